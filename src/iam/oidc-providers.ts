// OpenID Connect providers as IAM keeps them: what a provider URL may be, the ARN it gets, and finding
// one by ARN (the IAM operations) or by a token's issuer (STS AssumeRoleWithWebIdentity).
//
// A provider is named by its URL without `https://` — the ARN's resource part and the key in the store —
// written exactly as the caller wrote it: an OIDC issuer is compared as a plain string (OpenID Connect
// Discovery §4.3), so `https://a.example/` and `https://a.example` are two providers, as on AWS.

import type { AuthzCheck, CallContext } from '../common/call.ts';
import type { Entity, Tx } from '../store/types.ts';
import type { OidcIssuer } from '../sts/web-identity/token.ts';
import { check } from './checks.ts';
import { invalidOidcProviderUrl, noSuchOidcProvider } from './errors.ts';
import { looksLikeArn, requireArnSyntax } from './managed.ts';
import { KIND, oidcProviderArn, type OidcProviderDoc } from './model.ts';
import { resourceTagContext } from './tags.ts';

const SCHEME = 'https://';

/**
 * The provider id of `url` (`host[:port][/path]`), or AWS's ValidationError: AWS takes only https
 * URLs of a host and an optional path, without credentials, query or fragment.
 */
export function oidcProviderId(url: string): string {
  if (!url.startsWith(SCHEME) || /[\s?#@\\]/.test(url)) throw invalidOidcProviderUrl();
  const id = url.slice(SCHEME.length);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidOidcProviderUrl();
  }
  if (parsed.hostname === '' || id.startsWith('/') || id.startsWith(':')) throw invalidOidcProviderUrl();
  return id;
}

/** The provider id an ARN names in `account`; undefined when it names no provider of that account. */
function idOf(account: string, arn: string): string | undefined {
  const prefix = oidcProviderArn(account, '');
  return arn.startsWith(prefix) && arn.length > prefix.length ? arn.slice(prefix.length) : undefined;
}

export async function findOidcProvider(tx: Tx, account: string, arn: string): Promise<Entity<OidcProviderDoc> | undefined> {
  const id = idOf(account, arn);
  return id === undefined ? undefined : tx.get<OidcProviderDoc>(account, KIND.oidcProvider, id);
}

/** The provider `arn` names, or AWS's answer: `ARN x is not valid.` for a non-ARN, else `notFound(arn)`. */
export async function requireOidcProvider(
  tx: Tx,
  account: string,
  arn: string,
  notFound: (arn: string) => Error = noSuchOidcProvider,
): Promise<Entity<OidcProviderDoc>> {
  requireArnSyntax(arn);
  const e = await findOidcProvider(tx, account, arn);
  if (!e) throw notFound(arn);
  return e;
}

/** A check on the provider `arn` names, with its tags as `aws:ResourceTag/…` while it exists. */
export async function oidcProviderCheck(tx: Tx, ctx: CallContext, action: string, arn: string, extra: Record<string, string | string[]> = {}): Promise<AuthzCheck> {
  const doc = looksLikeArn(arn) ? (await findOidcProvider(tx, ctx.account, arn))?.doc : undefined;
  return check(action, arn, { ...resourceTagContext(doc?.Tags ?? [], false), ...extra });
}

/** The provider of `account` whose URL is exactly the issuer `iss`, if any. */
export async function oidcProviderForIssuer(tx: Tx, account: string, iss: string): Promise<OidcIssuer | undefined> {
  if (!iss.startsWith(SCHEME) || iss.length === SCHEME.length) return undefined;
  const e = await tx.get<OidcProviderDoc>(account, KIND.oidcProvider, iss.slice(SCHEME.length));
  return e && { arn: e.doc.Arn, id: e.doc.Url, clientIds: [...e.doc.ClientIDList], thumbprints: [...e.doc.ThumbprintList] };
}
