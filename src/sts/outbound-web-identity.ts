// GetWebIdentityToken: a JWT, signed by STS, naming the calling identity to a service outside AWS.
// Outbound web identity federation is the account's switch (IAM EnableOutboundWebIdentityFederation,
// src/iam/ops/outbound-federation.ts), but iamd does not mint these tokens yet: it would need an
// issuer signing key per account and the issuer's public OIDC discovery and JWKS documents. Until
// then every call answers as AWS does while the switch is off — never a token nobody could verify.

import { defineOperation, type Operation } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import type { ContextValues } from '../policy/types.ts';

interface Input {
  Audience: string[];
  SigningAlgorithm: string;
  DurationSeconds?: number;
  Tags?: { Key: string; Value: string }[];
}

/** The request's condition keys, so policies that limit audiences, algorithms or lifetimes apply. */
function requestContext(input: Input): ContextValues {
  const context: ContextValues = { 'sts:IdentityTokenAudience': input.Audience, 'sts:SigningAlgorithm': input.SigningAlgorithm };
  if (input.DurationSeconds !== undefined) context['sts:DurationSeconds'] = String(input.DurationSeconds);
  const tags = input.Tags ?? [];
  for (const t of tags) context[`aws:RequestTag/${t.Key}`] = t.Value;
  if (tags.length > 0) context['aws:TagKeys'] = tags.map((t) => t.Key);
  return context;
}

export function outboundWebIdentityOperations(): Operation[] {
  return [
    defineOperation<Input>('sts', 'GetWebIdentityToken', {
      readOnly: true,
      authorize: (input) => [{ action: 'sts:GetWebIdentityToken', resource: '*', context: requestContext(input) }],
      async handle() {
        // The model's documentation of the error.
        throw new ApiError(
          'OutboundWebIdentityFederationDisabledException',
          'The outbound web identity federation feature is not enabled for this account. To use this feature, you must first enable it through the Amazon Web Services Management Console or API.',
          403,
        );
      },
    }),
  ];
}
