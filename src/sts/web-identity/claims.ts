// What a verified token brings to the trust policy and to the session: the web identity condition
// keys (IAM User Guide, "Available keys for AWS OIDC federation"; "AWS global condition context keys",
// aws:FederatedProvider), and the session tags and source identity a provider may put in its tokens
// ("Passing session tags using AssumeRoleWithWebIdentity"; "Monitor and control actions taken with
// assumed roles").

import type { ContextValues } from '../../policy/types.ts';
import type { Tag } from '../role-sessions.ts';
import { notValidated } from './errors.ts';
import type { VerifiedToken } from './token.ts';

const TAGS_CLAIM = 'https://aws.amazon.com/tags';
const SOURCE_IDENTITY_CLAIM = 'https://aws.amazon.com/source_identity';
const SOURCE_IDENTITY = /^[\w+=,.@-]{2,64}$/;

const strings = (value: unknown): string[] | undefined =>
  typeof value === 'string' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;

/**
 * `aws:FederatedProvider` (the provider's ARN, as AWS documents for providers that are not built in),
 * and `<provider>:aud` (the client id: `azp`, else `aud`), `<provider>:oaud` (the token's `aud`),
 * `<provider>:sub`, `<provider>:amr` (multi-valued). Keys lower-cased, as the engine reads them.
 */
export function webIdentityKeys(token: VerifiedToken): ContextValues {
  const prefix = token.provider.id.toLowerCase();
  const keys: ContextValues = {
    'aws:federatedprovider': token.provider.arn,
    [`${prefix}:aud`]: token.audience,
    [`${prefix}:sub`]: token.subject,
  };
  if (token.audiences.length > 0) keys[`${prefix}:oaud`] = token.audiences.length === 1 ? token.audiences[0]! : token.audiences;
  const amr = strings(token.claims.amr);
  if (amr) keys[`${prefix}:amr`] = amr;
  return keys;
}

/** The session tags of the token's `https://aws.amazon.com/tags` claim, and which are transitive. */
export function tokenSessionTags(token: VerifiedToken): { tags: Tag[]; transitiveKeys: string[] } {
  const claim = token.claims[TAGS_CLAIM] as { principal_tags?: unknown; transitive_tag_keys?: unknown } | undefined;
  if (claim === undefined) return { tags: [], transitiveKeys: [] };
  const principal = claim?.principal_tags;
  if (typeof principal !== 'object' || principal === null) throw notValidated();
  const tags: Tag[] = [];
  for (const [Key, value] of Object.entries(principal)) {
    const values = strings(value);
    if (!values || values.length !== 1) throw notValidated();
    tags.push({ Key, Value: values[0]! });
  }
  const transitiveKeys = claim.transitive_tag_keys === undefined ? [] : strings(claim.transitive_tag_keys);
  if (!transitiveKeys) throw notValidated();
  return { tags, transitiveKeys };
}

/** The token's `https://aws.amazon.com/source_identity`, if it has one. */
export function tokenSourceIdentity(token: VerifiedToken): string | undefined {
  const value = token.claims[SOURCE_IDENTITY_CLAIM];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !SOURCE_IDENTITY.test(value)) throw notValidated();
  return value;
}
