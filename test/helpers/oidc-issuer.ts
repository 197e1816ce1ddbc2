// A real OpenID Connect issuer for the web identity tests: an HTTPS server (node:https, a self-signed
// certificate for 127.0.0.1 made on the spot) on a random port, serving its discovery document and its
// JWKS, and signing tokens with keys it made (jose). iamd trusts it the way AWS trusts such a provider:
// by the certificate's thumbprint in the provider's ThumbprintList.

import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWK, type JWTPayload } from 'jose';
import { generate } from 'selfsigned';

type Key = { kid: string; alg: string; privateKey: CryptoKey; jwk: JWK };

export interface TestIssuer {
  /** `https://127.0.0.1:<port>[/path]`: the `iss` of its tokens and the provider URL. */
  url: string;
  /** The provider id: the URL without `https://`, the prefix of its condition keys. */
  id: string;
  /** SHA-1 thumbprint of its certificate, for the provider's ThumbprintList. */
  thumbprint: string;
  /** Paths asked of it, in order. */
  requests: string[];
  /** The JWKS it serves (public keys). */
  jwks(): JSONWebKeySet;
  /** A token: `iss` the issuer, `aud` client-1, a subject, issued now for five minutes, unless `claims` say otherwise (undefined removes a claim). */
  sign(claims?: Record<string, unknown>, options?: { kid?: string; key?: 'rsa' | 'ec' | 'unpublished' }): Promise<string>;
  /** A new RSA key (new kid) replaces the published one. */
  rotate(): Promise<void>;
  /** What the discovery document says the issuer is (default: the URL). */
  discoveryIssuer?: string;
  close(): Promise<void>;
}

let kids = 0;

async function newKey(alg: 'RS256' | 'ES256'): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `key-${++kids}`;
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export async function startIssuer(path = ''): Promise<TestIssuer> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7 as const, ip: '127.0.0.1' }] }],
  });
  let rsa = await newKey('RS256');
  const ec = await newKey('ES256');
  const unpublished = await newKey('RS256');
  const requests: string[] = [];
  let url = '';
  const issuer: TestIssuer = {
    url: '',
    id: '',
    thumbprint: new X509Certificate(pems.cert).fingerprint.replace(/:/g, '').toLowerCase(),
    requests,
    jwks: () => ({ keys: [rsa.jwk, ec.jwk] }),
    async sign(claims = {}, options = {}) {
      const key = options.key === 'ec' ? ec : options.key === 'unpublished' ? unpublished : rsa;
      const now = Math.floor(Date.now() / 1000);
      const payload: Record<string, unknown> = { iss: url, aud: 'client-1', sub: 'repo:org/app:ref:refs/heads/main', iat: now, exp: now + 300, ...claims };
      for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
      return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: 'JWT' }).sign(key.privateKey);
    },
    async rotate() {
      rsa = await newKey('RS256');
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    requests.push(req.url ?? '');
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === `${path}/.well-known/openid-configuration`) send({ issuer: issuer.discoveryIssuer ?? url, jwks_uri: `${url}/keys`, id_token_signing_alg_values_supported: ['RS256', 'ES256'] });
    else if (req.url === `${path}/keys`) send(issuer.jwks());
    else {
      res.writeHead(404);
      res.end();
    }
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  issuer.url = url;
  issuer.id = url.slice('https://'.length);
  return issuer;
}
