// The public documents of each account's outbound web identity issuer (GetWebIdentityToken's tokens):
// its OpenID Connect discovery document and its JWKS, which a relying party fetches to verify a token.
// Served unauthenticated, like any OIDC issuer's, in two places:
//   - at the issuer's own URL, for a request whose Host is the issuer's host
//     (`<id>.tokens.sts.global.api.aws`, pointed at iamd by DNS or a proxy):
//     GET /.well-known/openid-configuration and GET /.well-known/jwks.json;
//   - under iamd's own endpoints, whatever the Host:
//     GET /_iamd/outbound-issuers/<id>/.well-known/openid-configuration and …/jwks.json.
// Either way the discovery document names the issuer as the tokens do, and its jwks_uri is the
// issuer's. An unknown issuer, or one whose account has disabled federation, is a 404.

import { outboundIssuerKeys, SIGNING_ALGORITHMS } from '../iam/index.ts';
import type { Store } from '../store/types.ts';
import type { RawRequest, RawResponse } from './http.ts';

const ISSUER_HOST = /^([0-9a-f-]{36})\.tokens\.sts\.global\.api\.aws(?::\d+)?$/i;
const UNDER_IAMD = /^\/_iamd\/outbound-issuers\/([0-9a-f-]{36})(\/\.well-known\/(?:openid-configuration|jwks\.json))$/;
const DOCUMENTS = new Set(['/.well-known/openid-configuration', '/.well-known/jwks.json']);

const json = (status: number, body: unknown, cache = false): RawResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...(cache ? { 'cache-control': 'public, max-age=300' } : {}) },
  body: JSON.stringify(body),
});

function hostOf(req: RawRequest): string {
  const host = req.headers.host;
  return (Array.isArray(host) ? host[0] : host) ?? '';
}

/** Which issuer and which document the request asks for, if it asks for one. */
function target(req: RawRequest): { id: string; document: string } | undefined {
  const under = UNDER_IAMD.exec(req.path);
  if (under) return { id: under[1]!.toLowerCase(), document: under[2]! };
  const host = ISSUER_HOST.exec(hostOf(req));
  if (host && DOCUMENTS.has(req.path)) return { id: host[1]!.toLowerCase(), document: req.path };
  return undefined;
}

function discovery(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...SIGNING_ALGORITHMS],
    claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti', 'https://sts.amazonaws.com/'],
  };
}

/**
 * The answer to a request for an issuer's document; undefined — at once, not a promise of it — when the
 * request is not one, as nearly every request is not.
 */
export function outboundIssuerDocuments(store: Store): (req: RawRequest) => Promise<RawResponse> | undefined {
  const answer = async (req: RawRequest, asked: { id: string; document: string }): Promise<RawResponse> => {
    if (req.method !== 'GET') return json(405, { error: `${req.method} is not allowed on ${req.path}` });
    const found = await store.read((tx) => outboundIssuerKeys(tx, asked.id));
    if (!found) return json(404, { error: 'no such issuer' });
    return asked.document === '/.well-known/jwks.json' ? json(200, { keys: found.keys }, true) : json(200, discovery(found.issuer), true);
  };
  return (req) => {
    const asked = target(req);
    return asked ? answer(req, asked) : undefined;
  };
}
