// AssumeRoleWithSAML: credentials for a role, in exchange for a SAML assertion its account's identity
// provider signed. The call is unsigned, so there is no caller: the assertion is verified against the
// provider's signing certificates (saml/assertion.ts) — decrypted first with the provider's private
// keys when it is an EncryptedAssertion — and the role's trust policy alone decides,
// with the provider as the `Federated` principal and the assertion's claims as `saml:*` keys.

import { createHash } from 'node:crypto';
import { defineOperation, type CallContext, type Caller, type Operation } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import type { Authorizer } from '../authz/authorizer.ts';
import { compileStored } from '../authz/compile.ts';
import { AssertionError, readClaims, verifyResponse, type SamlClaims } from '../saml/assertion.ts';
import type { Tx } from '../store/types.ts';
import { accountOfHeldRole, issueRoleSession, parseRoleArn, type AssumableRole, type SessionDeps } from './role-sessions.ts';

/** What STS needs of an IAM SAML provider. */
export interface SamlProviderView {
  arn: string;
  name: string;
  issuer: string;
  signingCertificates: string[];
  /** PEMs of its private keys, to decrypt an EncryptedAssertion with. */
  decryptionKeys: string[];
  /** AssertionEncryptionMode Required: a plaintext assertion is refused. */
  encryptionRequired: boolean;
}

export interface SamlDeps extends SessionDeps {
  authorizer: Authorizer;
  getRole(tx: Tx, account: string, name: string): Promise<AssumableRole | undefined>;
  samlProvider(tx: Tx, account: string, arn: string): Promise<SamlProviderView | undefined>;
}

interface Input {
  RoleArn: string;
  PrincipalArn: string;
  SAMLAssertion: string;
  Policy?: string;
  PolicyArns?: { arn?: string }[];
  DurationSeconds?: number;
}

const PROVIDER_ARN = /^arn:aws:iam::(\d{12}):saml-provider\/[\w.-]+$/;
const ATTR = 'https://aws.amazon.com/SAML/Attributes/';
/** The audiences AWS's sign-in endpoints accept: the global one and the regional ones. */
const AUDIENCE = /^https:\/\/(?:[a-z0-9-]+\.)?signin\.aws\.amazon\.com\/saml$|^urn:amazon:webservices(?::[a-z0-9-]+)?$/;
const SESSION_NAME = /^[a-zA-Z_0-9+=,.@-]{2,64}$/;
const ONE_HOUR = 3600;

const invalidToken = (message: string) => new ApiError('InvalidIdentityToken', message, 400);
const notAuthorized = () => new ApiError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML', 403);

/** saml:* attribute keys AWS documents, by the attribute names IdPs send (OIDs and friendly names). */
const ATTRIBUTE_KEYS: Record<string, string> = {
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': 'edupersonaffiliation',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.2': 'edupersonnickname',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.3': 'edupersonorgdn',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.4': 'edupersonorgunitdn',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.5': 'edupersonprimaryaffiliation',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': 'edupersonprincipalname',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.7': 'edupersonentitlement',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.8': 'edupersonprimaryorgunitdn',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.9': 'edupersonscopedaffiliation',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.10': 'edupersontargetedid',
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.11': 'edupersonassurance',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.2': 'eduorghomepageuri',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.3': 'eduorgidentityauthnpolicyuri',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.4': 'eduorglegalname',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.5': 'eduorgsuperioruri',
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.6': 'eduorgwhitepagesuri',
  'urn:oid:2.5.4.3': 'cn',
  'urn:oid:2.5.4.10': 'o',
  'urn:oid:2.5.4.11': 'ou',
  'urn:oid:0.9.2342.19200300.100.1.1': 'uid',
  'urn:oid:0.9.2342.19200300.100.1.3': 'mail',
  'urn:oid:2.5.4.42': 'givenname',
  'urn:oid:2.5.4.4': 'surname',
  'urn:oid:2.16.840.1.113730.3.1.241': 'displayname',
};

/** `persistent`, `transient`, or the Format URI itself (AWS's saml:sub_type and SubjectType). */
function subjectType(format: string | undefined): string {
  if (format === 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent') return 'persistent';
  if (format === 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient') return 'transient';
  return format ?? 'unspecified';
}

/** AWS's NameQualifier: base64 of SHA-1 over issuer, account id and "/" provider name. */
const nameQualifier = (issuer: string, account: string, providerName: string): string =>
  createHash('sha1').update(`${issuer}${account}/${providerName}`).digest('base64');

function samlContext(claims: SamlClaims, audience: string, account: string, provider: SamlProviderView, qualifier: string): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {
    'saml:aud': audience,
    'saml:sub': claims.subject,
    'saml:sub_type': subjectType(claims.subjectFormat),
    'saml:iss': claims.issuer,
    'saml:namequalifier': qualifier,
    'saml:doc': `${account}/${provider.name}`,
  };
  for (const [name, values] of claims.attributes) {
    const key = ATTRIBUTE_KEYS[name];
    if (key) context[`saml:${key}`] = values.length === 1 ? values[0]! : values;
  }
  return context;
}

/** The request as the trust policy sees it: no identity of iamd's, the provider as its federated principal. */
function federatedContext(ctx: CallContext, account: string, provider: SamlProviderView, subject: string): CallContext {
  const caller: Caller = {
    account,
    principal: { kind: 'anonymous', arn: '*', federatedProvider: provider.arn },
    userId: `${provider.arn}:${subject}`,
    tags: {},
  };
  return { ...ctx, caller, account };
}

export function assumeRoleWithSamlOperation(deps: SamlDeps): Operation {
  return defineOperation<Input, Record<string, unknown>>('sts', 'AssumeRoleWithSAML', {
    // Unsigned: the call acts on the role's account, when iamd holds that role.
    unsignedAccount: (input, tx) => accountOfHeldRole(tx, deps.getRole, input.RoleArn),
    // Unsigned: the assertion and the trust policy decide, inside handle().
    authorize: () => [],
    async handle(input, ctx, tx) {
      const { account, name: roleName } = parseRoleArn(input.RoleArn);
      const providerMatch = PROVIDER_ARN.exec(input.PrincipalArn);
      if (!providerMatch) throw new ApiError('ValidationError', `${input.PrincipalArn} is invalid`, 400);
      if (providerMatch[1] !== account) throw notAuthorized();
      const provider = await deps.samlProvider(tx, account, input.PrincipalArn);
      if (!provider) throw invalidToken("Specified provider doesn't exist");

      let claims: SamlClaims;
      try {
        const assertion = await verifyResponse(input.SAMLAssertion, provider.signingCertificates, { keys: provider.decryptionKeys, required: provider.encryptionRequired });
        claims = readClaims(assertion, ctx.now.getTime());
      } catch (e) {
        if (!(e instanceof AssertionError)) throw e;
        throw e.fault === 'expired' ? new ApiError('ExpiredTokenException', e.message, 400) : invalidToken(e.message);
      }
      if (claims.issuer !== provider.issuer) throw invalidToken("Issuer of the SAML response doesn't match the identity provider's metadata");
      if (!claims.audiences.some((a) => AUDIENCE.test(a))) throw invalidToken('SAML assertion audience is not valid for AWS sign-in');
      const audience = claims.recipient ?? claims.audiences.find((a) => AUDIENCE.test(a))!;

      const pairs = (claims.attributes.get(`${ATTR}Role`) ?? []).map((v) => v.split(',').map((s) => s.trim()));
      if (!pairs.some((p) => p.length === 2 && p.includes(input.RoleArn) && p.includes(input.PrincipalArn))) throw notAuthorized();
      const sessionName = claims.attributes.get(`${ATTR}RoleSessionName`)?.[0];
      if (sessionName === undefined) throw invalidToken('RoleSessionName is required in AuthnResponse');
      if (!SESSION_NAME.test(sessionName)) throw invalidToken('RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}');
      const sourceIdentity = claims.attributes.get(`${ATTR}SourceIdentity`)?.[0];

      const role = await deps.getRole(tx, account, roleName);
      if (!role || role.serviceLinked) throw notAuthorized();
      const qualifier = nameQualifier(claims.issuer, account, provider.name);
      const fedCtx = federatedContext(ctx, account, provider, claims.subject);
      const trust = compileStored(role.AssumeRolePolicyDocument, 'trust', `${role.Arn} trust policy`);
      const context = samlContext(claims, audience, account, provider, qualifier);
      if (sourceIdentity !== undefined) context['sts:sourceidentity'] = sourceIdentity;
      const actions = ['sts:AssumeRoleWithSAML', ...(sourceIdentity !== undefined ? ['sts:SetSourceIdentity'] : [])];
      for (const action of actions) {
        const result = await deps.authorizer.decide({ action, resource: role.Arn, resourceAccount: account, context }, fedCtx, tx, { resourcePolicy: trust });
        if (result.decision !== 'Allow') throw notAuthorized();
      }

      const issued = await issueRoleSession(deps, tx, fedCtx, {
        role,
        roleAccount: account,
        sessionName,
        input: { Policy: input.Policy, PolicyArns: input.PolicyArns, DurationSeconds: durationOf(input.DurationSeconds, claims, ctx.now.getTime()) },
        chained: false,
        tags: [],
        transitiveKeys: [],
        inherited: {},
        ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
      });
      return {
        ...issued,
        Subject: claims.subject,
        SubjectType: subjectType(claims.subjectFormat),
        Issuer: claims.issuer,
        Audience: audience,
        NameQualifier: qualifier,
      };
    },
  });
}

/**
 * DurationSeconds, else the SessionDuration attribute, else an hour — never beyond the assertion's
 * SessionNotOnOrAfter (AWS: "whichever is shorter").
 */
function durationOf(requested: number | undefined, claims: SamlClaims, now: number): number {
  let duration = requested ?? ONE_HOUR;
  if (requested === undefined) {
    const attribute = claims.attributes.get(`${ATTR}SessionDuration`)?.[0];
    if (attribute !== undefined) {
      const n = Number(attribute);
      if (!Number.isInteger(n) || n < 900 || n > 43200) throw invalidToken('SessionDuration in AuthnResponse must be an integer between 900 and 43200');
      duration = n;
    }
  }
  if (claims.sessionNotOnOrAfter !== undefined) {
    const left = Math.floor((claims.sessionNotOnOrAfter - now) / 1000);
    if (left <= 0) throw new ApiError('ExpiredTokenException', 'Token is expired', 400);
    duration = Math.min(duration, left);
  }
  return duration;
}
