// Server certificates through the real IAM client: the recorded shapes and errors, the checks made on
// the certificate, its private key and its chain, paging, renames, tags, the account quota and its
// summary, enforcement on the certificate's ARN — and the private key nowhere but in the sealed store.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import {
  DeleteServerCertificateCommand,
  GetAccountSummaryCommand,
  GetServerCertificateCommand,
  ListServerCertificatesCommand,
  ListServerCertificateTagsCommand,
  TagServerCertificateCommand,
  UntagServerCertificateCommand,
  UpdateServerCertificateCommand,
  UploadServerCertificateCommand,
  type IAMClient,
  type UploadServerCertificateCommandInput,
} from '@aws-sdk/client-iam';
import { ACCOUNT } from '../helpers/accounts.ts';
import { certificate, chainOfTwo, pemBody, type Pem } from '../helpers/certificates.ts';
import { allow, freshAccount, policy, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';
import { assertNoSecret, eventsText, storeBytes } from '../helpers/secret-traces.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let iam: IAMClient;
let pem: Pem;

before(async () => {
  server = await startServer();
  iam = server.iam();
  pem = await certificate();
});
after(() => server.close());

const upload = (name: string, extra: Partial<UploadServerCertificateCommandInput> = {}, client = iam, p = pem) =>
  client.send(new UploadServerCertificateCommand({ ServerCertificateName: name, CertificateBody: p.cert, PrivateKey: p.key, ...extra }));

const METADATA_KEYS = ['Arn', 'Expiration', 'Path', 'ServerCertificateId', 'ServerCertificateName', 'UploadDate'];

describe('server certificates', () => {
  test('upload, get, list and delete answer with the recorded members; the key is never returned', async () => {
    const answer = await upload('web-cert', { Path: '/web/' });
    const meta = answer.ServerCertificateMetadata!;
    assert.deepEqual(Object.keys(meta).sort(), METADATA_KEYS);
    assert.equal(answer.Tags, undefined);
    assert.equal(meta.Arn, `arn:aws:iam::${ACCOUNT}:server-certificate/web/web-cert`);
    assert.match(meta.ServerCertificateId!, /^ASCA[A-Z2-7]{17}$/);
    assert.equal(meta.Expiration!.getTime(), new Date(new X509Certificate(pem.cert).validTo).getTime());

    const got = (await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'web-cert' }))).ServerCertificate!;
    assert.deepEqual(Object.keys(got).sort(), ['CertificateBody', 'ServerCertificateMetadata', 'Tags']);
    assert.equal(got.CertificateBody, pem.cert);
    assert.deepEqual(got.Tags, []);
    assert.deepEqual(got.ServerCertificateMetadata, meta);

    const listed = await iam.send(new ListServerCertificatesCommand({ PathPrefix: '/web/' }));
    assert.deepEqual([listed.ServerCertificateMetadataList, listed.IsTruncated], [[meta], false]);
    assert.deepEqual((await iam.send(new ListServerCertificatesCommand({ PathPrefix: '/other/' }))).ServerCertificateMetadataList, []);

    await iam.send(new DeleteServerCertificateCommand({ ServerCertificateName: 'web-cert' }));
    await rejects(iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'web-cert' })), 'NoSuchEntityException', 'The Server Certificate with name web-cert cannot be found.', 404);
    await rejects(iam.send(new DeleteServerCertificateCommand({ ServerCertificateName: 'web-cert' })), 'NoSuchEntityException', 'The Server Certificate with name web-cert cannot be found.', 404);
  });

  test('a name is taken whatever its case (recorded text)', async () => {
    await upload('dup-cert');
    await rejects(upload('dup-cert'), 'EntityAlreadyExistsException', 'The Server Certificate with name dup-cert already exists.', 409);
    await rejects(upload('DUP-cert'), 'EntityAlreadyExistsException', 'The Server Certificate with name DUP-cert already exists.', 409);
  });

  test('the certificate, the private key and the chain are checked', async () => {
    await rejects(upload('bad', { CertificateBody: 'certificate-body' }), 'MalformedCertificateException', 'Unable to parse certificate. Please ensure the certificate is in PEM format.', 400);
    await rejects(upload('bad', { PrivateKey: 'private-key' }), 'MalformedCertificateException', 'Unable to parse private key. Please ensure the private key is in PEM format.', 400);
    const other = await certificate();
    await rejects(upload('bad', { PrivateKey: other.key }), 'KeyPairMismatchException', 'The public key certificate and the private key do not match.', 400);
    const expired = await certificate({ notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    await rejects(upload('bad', {}, iam, expired), 'MalformedCertificateException', 'The certificate is expired or not yet valid.', 400);

    const { ca, leaf } = await chainOfTwo();
    const chainText = (index: number) =>
      `Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, followed by any intermediaries in order. The index within the chain of the invalid certificate is: ${index}`;
    await rejects(upload('bad', { CertificateChain: other.cert }, iam, leaf), 'MalformedCertificateException', chainText(-1), 400);
    await rejects(upload('bad', { CertificateChain: ca.cert + other.cert }, iam, leaf), 'MalformedCertificateException', chainText(0), 400);
    await rejects(upload('bad', { CertificateChain: 'not a chain' }, iam, leaf), 'MalformedCertificateException', chainText(0), 400);
    await rejects(iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'bad' })), 'NoSuchEntityException');

    await upload('chained', { CertificateChain: ca.cert }, iam, leaf);
    const got = (await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'chained' }))).ServerCertificate!;
    assert.deepEqual([got.CertificateBody, got.CertificateChain], [leaf.cert, ca.cert]);
  });

  test('ListServerCertificates pages with Marker and MaxItems', async () => {
    const { iam: own } = await freshAccount(server);
    for (const name of ['p-a', 'p-b', 'p-c']) await upload(name, {}, own);
    const first = await own.send(new ListServerCertificatesCommand({ MaxItems: 2 }));
    assert.deepEqual([first.ServerCertificateMetadataList!.map((m) => m.ServerCertificateName), first.IsTruncated], [['p-a', 'p-b'], true]);
    const rest = await own.send(new ListServerCertificatesCommand({ MaxItems: 2, Marker: first.Marker }));
    assert.deepEqual([rest.ServerCertificateMetadataList!.map((m) => m.ServerCertificateName), rest.IsTruncated, rest.Marker], [['p-c'], false, undefined]);
    await rejects(own.send(new ListServerCertificatesCommand({ Marker: 'bogus' })), 'ValidationError', 'Invalid Marker.', 400);
  });

  test('UpdateServerCertificate renames and moves; the new name must be free', async () => {
    const before = (await upload('old-name')).ServerCertificateMetadata!;
    await upload('taken-name');
    await rejects(
      iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: 'old-name', NewServerCertificateName: 'taken-name' })),
      'EntityAlreadyExistsException',
      'The Server Certificate with name taken-name already exists.',
      409,
    );
    await iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: 'old-name', NewServerCertificateName: 'new-name', NewPath: '/moved/' }));
    await rejects(iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'old-name' })), 'NoSuchEntityException');
    const meta = (await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'new-name' }))).ServerCertificate!.ServerCertificateMetadata!;
    assert.deepEqual(
      [meta.Arn, meta.Path, meta.ServerCertificateId],
      [`arn:aws:iam::${ACCOUNT}:server-certificate/moved/new-name`, '/moved/', before.ServerCertificateId],
    );
    await rejects(iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: 'nope' })), 'NoSuchEntityException', 'The Server Certificate with name nope cannot be found.', 404);
  });

  test('tags: on upload, Tag/Untag/List with paging, the 50-tag limit', async () => {
    const answer = await upload('tagged', { Tags: [{ Key: 'team', Value: 'web' }] });
    assert.deepEqual(answer.Tags, [{ Key: 'team', Value: 'web' }]);
    await iam.send(new TagServerCertificateCommand({ ServerCertificateName: 'tagged', Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'TEAM', Value: 'api' }] }));
    const page = await iam.send(new ListServerCertificateTagsCommand({ ServerCertificateName: 'tagged', MaxItems: 1 }));
    assert.deepEqual([page.Tags, page.IsTruncated], [[{ Key: 'TEAM', Value: 'api' }], true]);
    const rest = await iam.send(new ListServerCertificateTagsCommand({ ServerCertificateName: 'tagged', Marker: page.Marker }));
    assert.deepEqual(rest.Tags, [{ Key: 'env', Value: 'prod' }]);
    await iam.send(new UntagServerCertificateCommand({ ServerCertificateName: 'tagged', TagKeys: ['team'] }));
    assert.deepEqual((await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'tagged' }))).ServerCertificate!.Tags, [{ Key: 'env', Value: 'prod' }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejects(iam.send(new TagServerCertificateCommand({ ServerCertificateName: 'tagged', Tags: many })), 'LimitExceededException', 'The number of tags has reached the maximum limit.', 409);
    await rejects(iam.send(new ListServerCertificateTagsCommand({ ServerCertificateName: 'nope' })), 'NoSuchEntityException', 'The Server Certificate with name nope cannot be found.', 404);
  });

  test('20 per account (LimitExceeded); GetAccountSummary counts them', async () => {
    const { iam: own } = await freshAccount(server);
    const summary = async () => (await own.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    assert.deepEqual([(await summary()).ServerCertificates, (await summary()).ServerCertificatesQuota], [0, 20]);
    for (let i = 0; i < 20; i++) await upload(`q${i}`, {}, own);
    await rejects(upload('q20', {}, own), 'LimitExceededException', 'Cannot exceed quota for ServerCertificatesPerAccount: 20', 409);
    assert.equal((await summary()).ServerCertificates, 20);
  });

  test('enforced on the certificate ARN, with resource tags', async () => {
    await upload('allowed-cert', { Path: '/team/', Tags: [{ Key: 'owner', Value: 'ann' }] });
    await upload('other-cert', { Tags: [{ Key: 'owner', Value: 'bob' }] });
    const ann = await userWithPolicy(
      server,
      'cert-reader',
      policy(
        allow('iam:GetServerCertificate', `arn:aws:iam::${ACCOUNT}:server-certificate/team/*`),
        allow('iam:DeleteServerCertificate', '*', { Condition: { StringEquals: { 'aws:ResourceTag/owner': 'ann' } } }),
        allow('iam:ListServerCertificates'),
      ),
    );
    const client = server.iam(ann);
    await client.send(new GetServerCertificateCommand({ ServerCertificateName: 'allowed-cert' }));
    await rejects(
      client.send(new GetServerCertificateCommand({ ServerCertificateName: 'other-cert' })),
      'AccessDenied',
      `User: ${ann.arn} is not authorized to perform: iam:GetServerCertificate on resource: arn:aws:iam::${ACCOUNT}:server-certificate/other-cert because no identity-based policy allows the iam:GetServerCertificate action`,
      403,
    );
    await rejects(client.send(new DeleteServerCertificateCommand({ ServerCertificateName: 'other-cert' })), 'AccessDenied', /iam:DeleteServerCertificate on resource: arn:aws:iam::\d+:server-certificate\/other-cert/, 403);
    await rejects(client.send(new UploadServerCertificateCommand({ ServerCertificateName: 'x', CertificateBody: pem.cert, PrivateKey: pem.key })), 'AccessDenied', /iam:UploadServerCertificate/, 403);
    await client.send(new DeleteServerCertificateCommand({ ServerCertificateName: 'allowed-cert' }));
    assert.ok((await client.send(new ListServerCertificatesCommand({}))).ServerCertificateMetadataList!.some((m) => m.ServerCertificateName === 'other-cert'));
  });
});

test('the private key is in no event and nowhere in the SQLite file', async () => {
  const own = await startServer();
  try {
    const key = (await certificate()).key;
    const p = await certificate();
    const client = own.iam();
    await client.send(new UploadServerCertificateCommand({ ServerCertificateName: 'secret-cert', CertificateBody: p.cert, PrivateKey: p.key }));
    await client.send(new GetServerCertificateCommand({ ServerCertificateName: 'secret-cert' }));
    // A refused upload carries a key too.
    await rejects(client.send(new UploadServerCertificateCommand({ ServerCertificateName: 'refused', CertificateBody: p.cert, PrivateKey: key })), 'KeyPairMismatchException');
    const secrets = [pemBody(p.key), pemBody(key), pemBody(p.key).slice(20, 60)];
    assertNoSecret('the events', await eventsText(own, 'UploadServerCertificate'), secrets, 'secret-cert');
    await own.iamd.close();
    for (const bytes of storeBytes(own.dataDir)) assertNoSecret('the SQLite file', bytes, secrets, 'secret-cert');
  } finally {
    rmSync(own.dataDir, { recursive: true, force: true });
  }
});
