// End to end: the real @aws-sdk/client-sts signs GetCallerIdentity and sends it over HTTP to a
// small node:http server that runs verify() on what arrived. The assertions are on what verify saw.

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AuthError, authErrorFor, verify, type KeyCredentials, type VerifiedRequest } from '../../src/auth/sigv4.ts';
import { SessionTokenCheck, tokenDigest } from '../../src/secrets/index.ts';
import { EXAMPLE_KEY, EXAMPLE_TOKEN } from './signer.ts';

const TEMP_ID = 'ASIAIOSFODNN7EXAMPLE';

const lookup = async (id: string): Promise<KeyCredentials | undefined> => {
  if (id === EXAMPLE_KEY.accessKeyId) return { secretAccessKey: EXAMPLE_KEY.secretAccessKey };
  if (id === TEMP_ID) return { secretAccessKey: EXAMPLE_KEY.secretAccessKey, sessionToken: new SessionTokenCheck(tokenDigest(EXAMPLE_TOKEN)), expiresAt: Date.now() + 3600_000 };
  return undefined;
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const IDENTITY_XML = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:root</Arn><UserId>123456789012</UserId><Account>123456789012</Account></GetCallerIdentityResult>
  <ResponseMetadata><RequestId>e2e</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`;

const errorXml = (code: string, message: string) =>
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>e2e</RequestId></ErrorResponse>`;

describe('verify with the real STS client over HTTP', () => {
  let server: Server;
  let endpoint: string;
  const seen: (VerifiedRequest | AuthError)[] = [];

  before(async () => {
    server = createServer(async (req, res) => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const result = await verify(
        {
          method: req.method ?? 'GET',
          path: q < 0 ? url : url.slice(0, q),
          query: q < 0 ? '' : url.slice(q + 1),
          headers: req.headersDistinct,
          body: await readBody(req),
        },
        lookup,
        new Date(),
      );
      seen.push(result);
      if (result instanceof AuthError) {
        const api = authErrorFor(result, 'query');
        res.writeHead(api.status, { 'content-type': 'text/xml' }).end(errorXml(api.code, api.message));
      } else {
        res.writeHead(200, { 'content-type': 'text/xml' }).end(IDENTITY_XML);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new STSClient({ endpoint, region: 'ap-southeast-2', credentials, maxAttempts: 1 });

  it('long-term keys: the request verifies and verify reports the scope the SDK signed with', async () => {
    const out = await client(EXAMPLE_KEY).send(new GetCallerIdentityCommand({}));
    assert.equal(out.Account, '123456789012');
    const v = seen.at(-1);
    assert.ok(v && !(v instanceof AuthError), v instanceof AuthError ? v.message : 'no request seen');
    assert.deepEqual(
      [v.accessKeyId, v.region, v.service, v.form, v.sessionToken],
      [EXAMPLE_KEY.accessKeyId, 'ap-southeast-2', 'sts', 'header', undefined],
    );
  });

  it('session credentials: the token travels and is checked', async () => {
    await client({ accessKeyId: TEMP_ID, secretAccessKey: EXAMPLE_KEY.secretAccessKey, sessionToken: EXAMPLE_TOKEN }).send(new GetCallerIdentityCommand({}));
    const v = seen.at(-1);
    assert.ok(v && !(v instanceof AuthError), v instanceof AuthError ? v.message : 'no request seen');
    assert.equal(v.accessKeyId, TEMP_ID);
    assert.equal(v.sessionToken, EXAMPLE_TOKEN);
  });

  it('a wrong secret: verify refuses and the SDK reads SignatureDoesNotMatch', async () => {
    await assert.rejects(
      client({ ...EXAMPLE_KEY, secretAccessKey: 'not-the-secret' }).send(new GetCallerIdentityCommand({})),
      (err: Error & { Code?: string; $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(err.name, 'SignatureDoesNotMatch');
        assert.equal(err.$metadata?.httpStatusCode, 403);
        return true;
      },
    );
    const e = seen.at(-1);
    assert.ok(e instanceof AuthError);
    assert.equal(e.reason, 'SignatureMismatch');
  });

  it('an unknown key: the SDK reads InvalidClientTokenId with AWS\'s message', async () => {
    await assert.rejects(
      client({ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})),
      (err: Error) => {
        assert.equal(err.name, 'InvalidClientTokenId');
        assert.equal(err.message, 'The security token included in the request is invalid.');
        return true;
      },
    );
  });
});
