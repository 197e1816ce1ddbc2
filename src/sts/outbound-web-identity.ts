// GetWebIdentityToken: a JWT, signed by STS, naming the calling identity to a service outside AWS.
// Outbound web identity federation is the account's switch (IAM EnableOutboundWebIdentityFederation);
// while it is off every call is refused as AWS refuses it. While it is on the token is signed with the
// account's key for the requested algorithm (kept sealed by IAM, src/iam/outbound-signing-keys.ts),
// and relying parties verify it against the issuer's JWKS, which iamd serves
// (src/server/outbound-issuer.ts, docs/federation.md).

import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { defineOperation, type Caller, type Operation } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import type { ContextValues } from '../policy/types.ts';
import type { Tx } from '../store/types.ts';

interface Input {
  Audience: string[];
  SigningAlgorithm: string;
  DurationSeconds?: number;
  Tags?: { Key: string; Value: string }[];
}

/** What minting needs of IAM: the account's issuer and its key for an algorithm, or undefined while disabled. */
export interface OutboundWebIdentityDeps {
  signer(tx: Tx, account: string, alg: 'RS256' | 'ES384'): Promise<{ issuer: string; kid: string; key: KeyObject } | undefined>;
}

const ALGORITHMS = ['RS256', 'ES384'] as const;
type Algorithm = (typeof ALGORITHMS)[number];
/** The model's documentation: five minutes unless asked. */
const DEFAULT_DURATION = 300;
/** The namespace AWS nests its own claims under (the IAM User Guide's token claims). */
const AWS_CLAIMS = 'https://sts.amazonaws.com/';
/**
 * iamd's bound on the payload, which AWS does not publish: 8 KiB of JSON keeps the token within
 * what HTTP headers carry everywhere. Only request tags can grow it that far.
 */
const MAX_PAYLOAD_BYTES = 8192;

// The model's documentation of each error.
const disabled = () =>
  new ApiError(
    'OutboundWebIdentityFederationDisabledException',
    'The outbound web identity federation feature is not enabled for this account. To use this feature, you must first enable it through the Amazon Web Services Management Console or API.',
    403,
  );
const escalation = () =>
  new ApiError(
    'SessionDurationEscalationException',
    'The requested token duration would extend the session beyond its original expiration time. You cannot use this operation to extend the lifetime of a session beyond what was granted when the session was originally created.',
    403,
  );
const tooLarge = () =>
  new ApiError(
    'JWTPayloadSizeExceededException',
    'The requested token payload size exceeds the maximum allowed size. Reduce the number of request tags included in the GetWebIdentityToken API call to reduce the token payload size.',
    400,
  );
// The model gives the member only a length of five; AWS's wording for another value is not recorded.
const badAlgorithm = (value: string) =>
  new ApiError('ValidationError', `1 validation error detected: Value '${value}' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RS256, ES384]`, 400);

/** The request's condition keys, so policies that limit audiences, algorithms or lifetimes apply. */
function requestContext(input: Input): ContextValues {
  const context: ContextValues = { 'sts:IdentityTokenAudience': input.Audience, 'sts:SigningAlgorithm': input.SigningAlgorithm };
  if (input.DurationSeconds !== undefined) context['sts:DurationSeconds'] = String(input.DurationSeconds);
  const tags = input.Tags ?? [];
  for (const t of tags) context[`aws:RequestTag/${t.Key}`] = t.Value;
  if (tags.length > 0) context['aws:TagKeys'] = tags.map((t) => t.Key);
  return context;
}

/** The token's subject: the IAM identity behind the credentials — a role session names its role, as AWS's tokens do. */
const subjectOf = (caller: Caller): string => caller.session?.roleArn ?? caller.principal.arn;

function awsClaims(caller: Caller, region: string, tags: Input['Tags']): Record<string, unknown> {
  const claims: Record<string, unknown> = { aws_account: caller.account, source_region: region };
  if (Object.keys(caller.tags).length > 0) claims.principal_tags = { ...caller.tags };
  if (tags && tags.length > 0) claims.request_tags = Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
  return claims;
}

export function outboundWebIdentityOperations(deps: OutboundWebIdentityDeps): Operation[] {
  return [
    defineOperation<Input>('sts', 'GetWebIdentityToken', {
      authorize: (input) => [{ action: 'sts:GetWebIdentityToken', resource: '*', context: requestContext(input) }],
      async handle(input, ctx, tx) {
        if (!(ALGORITHMS as readonly string[]).includes(input.SigningAlgorithm)) throw badAlgorithm(input.SigningAlgorithm);
        const signer = await deps.signer(tx, ctx.account, input.SigningAlgorithm as Algorithm);
        if (!signer) throw disabled();
        const now = ctx.now.getTime();
        const expiresAt = Math.floor(now / 1000) + (input.DurationSeconds ?? DEFAULT_DURATION);
        const sessionEnd = ctx.caller.session?.expiresAt;
        if (sessionEnd !== undefined && expiresAt * 1000 > sessionEnd) throw escalation();

        const payload = { [AWS_CLAIMS]: awsClaims(ctx.caller, ctx.region, input.Tags) };
        const audience = input.Audience.length === 1 ? input.Audience[0]! : input.Audience;
        const jwt = new SignJWT(payload)
          .setProtectedHeader({ alg: input.SigningAlgorithm, kid: signer.kid, typ: 'JWT' })
          .setIssuer(signer.issuer)
          .setSubject(subjectOf(ctx.caller))
          .setAudience(audience)
          .setIssuedAt(Math.floor(now / 1000))
          .setExpirationTime(expiresAt)
          .setJti(randomUUID());
        const token = await jwt.sign(signer.key);
        const encodedPayload = token.split('.')[1]!;
        if (Buffer.from(encodedPayload, 'base64url').length > MAX_PAYLOAD_BYTES) throw tooLarge();
        return { WebIdentityToken: token, Expiration: new Date(expiresAt * 1000) };
      },
    }),
  ];
}
