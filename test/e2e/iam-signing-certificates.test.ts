// Signing certificates through the real IAM client: the recorded lifecycle and errors, two per user,
// duplicates refused across the account, the calling user or the root when UserName is left out,
// GetAccountSummary's fields, DeleteUser's refusal, a rename carrying them, and enforcement.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserCommand,
  DeleteSigningCertificateCommand,
  DeleteUserCommand,
  GetAccountSummaryCommand,
  ListSigningCertificatesCommand,
  UpdateSigningCertificateCommand,
  UpdateUserCommand,
  UploadSigningCertificateCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { listSigningCertificates } from '../../src/iam/index.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { certificate } from '../helpers/certificates.ts';
import { allow, freshAccount, policy, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startServer();
  iam = server.iam();
});
after(() => server.close());

const uploadFor = async (UserName: string | undefined, client = iam) => {
  const { cert } = await certificate();
  return (await client.send(new UploadSigningCertificateCommand({ UserName, CertificateBody: cert }))).Certificate!;
};

describe('signing certificates', () => {
  test('the recorded lifecycle: upload Active, Inactive and back, delete', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'signer' }));
    const { cert } = await certificate();
    const made = (await iam.send(new UploadSigningCertificateCommand({ UserName: 'signer', CertificateBody: cert }))).Certificate!;
    assert.deepEqual(Object.keys(made).sort(), ['CertificateBody', 'CertificateId', 'Status', 'UploadDate', 'UserName']);
    assert.deepEqual([made.CertificateBody, made.Status, made.UserName], [cert, 'Active', 'signer']);
    assert.match(made.CertificateId!, /^[A-Z2-7]{28}$/);

    const list = async () => iam.send(new ListSigningCertificatesCommand({ UserName: 'signer' }));
    assert.deepEqual([(await list()).Certificates, (await list()).IsTruncated], [[made], false]);
    await iam.send(new UpdateSigningCertificateCommand({ UserName: 'signer', CertificateId: made.CertificateId, Status: 'Inactive' }));
    assert.equal((await list()).Certificates![0]!.Status, 'Inactive');
    await iam.send(new UpdateSigningCertificateCommand({ UserName: 'signer', CertificateId: made.CertificateId, Status: 'Active' }));
    assert.equal((await list()).Certificates![0]!.Status, 'Active');
    await rejects(
      iam.send(new UpdateSigningCertificateCommand({ UserName: 'signer', CertificateId: made.CertificateId, Status: 'Expired' })),
      'InvalidInputException',
      'Status Expired cannot be set: use Active or Inactive.',
      400,
    );
    await iam.send(new DeleteSigningCertificateCommand({ UserName: 'signer', CertificateId: made.CertificateId }));
    assert.deepEqual((await list()).Certificates, []);
  });

  test('the recorded errors', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'signer-errors' }));
    const { cert } = await certificate();
    const noUser = 'The user with name nonexistent-user cannot be found.';
    await rejects(iam.send(new UploadSigningCertificateCommand({ UserName: 'nonexistent-user', CertificateBody: cert })), 'NoSuchEntityException', noUser, 404);
    await rejects(iam.send(new ListSigningCertificatesCommand({ UserName: 'nonexistent-user' })), 'NoSuchEntityException', noUser, 404);
    const id = 'NONEXISTENTCERTID12345678901';
    await rejects(iam.send(new DeleteSigningCertificateCommand({ UserName: 'nonexistent-user', CertificateId: id })), 'NoSuchEntityException', noUser, 404);
    await rejects(iam.send(new UpdateSigningCertificateCommand({ UserName: 'nonexistent-user', CertificateId: id, Status: 'Inactive' })), 'NoSuchEntityException', noUser, 404);
    await rejects(
      iam.send(new UploadSigningCertificateCommand({ UserName: 'signer-errors', CertificateBody: 'invalid-certificate-body' })),
      'MalformedCertificateException',
      'Certificate invalid-certificate-body is malformed.',
      400,
    );
    const noCert = `The Certificate with id ${id} cannot be found.`;
    await rejects(iam.send(new UpdateSigningCertificateCommand({ UserName: 'signer-errors', CertificateId: id, Status: 'Inactive' })), 'NoSuchEntityException', noCert, 404);
    await rejects(iam.send(new DeleteSigningCertificateCommand({ UserName: 'signer-errors', CertificateId: id })), 'NoSuchEntityException', noCert, 404);
    await uploadFor('signer-errors');
    await uploadFor('signer-errors');
    await rejects(uploadFor('signer-errors'), 'LimitExceededException', 'Cannot exceed quota for CertificatesPerUser: 2', 409);
  });

  test('an expired certificate is invalid; the same certificate twice in the account is a duplicate', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'dup-a' }));
    await iam.send(new CreateUserCommand({ UserName: 'dup-b' }));
    const expired = await certificate({ notBefore: new Date(Date.now() - 10 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
    await rejects(iam.send(new UploadSigningCertificateCommand({ UserName: 'dup-a', CertificateBody: expired.cert })), 'InvalidCertificateException', 'The certificate is invalid: it is expired or not yet valid.', 400);
    const { cert } = await certificate();
    await iam.send(new UploadSigningCertificateCommand({ UserName: 'dup-a', CertificateBody: cert }));
    const duplicate = 'The same certificate is associated with an IAM user in the account.';
    await rejects(iam.send(new UploadSigningCertificateCommand({ UserName: 'dup-a', CertificateBody: cert })), 'DuplicateCertificateException', duplicate, 409);
    await rejects(iam.send(new UploadSigningCertificateCommand({ UserName: 'dup-b', CertificateBody: cert })), 'DuplicateCertificateException', duplicate, 409);
  });

  test('without UserName: the calling user, or the root (AccountSigningCertificatesPresent)', async () => {
    const { iam: root } = await freshAccount(server);
    const summary = async () => (await root.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    assert.deepEqual([(await summary()).AccountSigningCertificatesPresent, (await summary()).SigningCertificatesPerUserQuota], [0, 2]);
    const rootCert = await uploadFor(undefined, root);
    assert.equal(rootCert.UserName, undefined);
    assert.equal((await summary()).AccountSigningCertificatesPresent, 1);
    assert.deepEqual((await root.send(new ListSigningCertificatesCommand({}))).Certificates!.map((c) => c.CertificateId), [rootCert.CertificateId]);

    const self = await userWithPolicy(server, 'self-signer', policy(allow(['iam:UploadSigningCertificate', 'iam:ListSigningCertificates'], `arn:aws:iam::${ACCOUNT}:user/self-signer`)));
    const client = server.iam(self);
    const own = await uploadFor(undefined, client);
    assert.equal(own.UserName, 'self-signer');
    assert.deepEqual((await client.send(new ListSigningCertificatesCommand({}))).Certificates!.map((c) => c.CertificateId), [own.CertificateId]);
    await rejects(
      client.send(new ListSigningCertificatesCommand({ UserName: 'signer' })),
      'AccessDenied',
      `User: ${self.arn} is not authorized to perform: iam:ListSigningCertificates on resource: arn:aws:iam::${ACCOUNT}:user/signer because no identity-based policy allows the iam:ListSigningCertificates action`,
      403,
    );
  });

  test('DeleteUser refuses while one remains; a rename carries them; the credential report reads them', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'leaving' }));
    const first = await uploadFor('leaving');
    const second = await uploadFor('leaving');
    await iam.send(new UpdateSigningCertificateCommand({ UserName: 'leaving', CertificateId: second.CertificateId, Status: 'Inactive' }));
    await rejects(iam.send(new DeleteUserCommand({ UserName: 'leaving' })), 'DeleteConflictException', 'Cannot delete entity, must delete signing certificates first.', 409);
    await iam.send(new UpdateUserCommand({ UserName: 'leaving', NewUserName: 'left' }));
    const listed = (await iam.send(new ListSigningCertificatesCommand({ UserName: 'left' }))).Certificates!;
    assert.deepEqual(listed.map((c) => c.UserName), ['left', 'left']);
    const report = await server.iamd.store.read((tx) => listSigningCertificates(tx, ACCOUNT, 'left'));
    assert.deepEqual(
      // The wire carries whole seconds.
      report.map((c) => [c.certificateId, c.status, Math.floor(c.uploadDate.getTime() / 1000) * 1000]),
      [first, second].map((c, i) => [c.CertificateId, i === 0 ? 'Active' : 'Inactive', c.UploadDate!.getTime()]),
    );
    for (const c of listed) await iam.send(new DeleteSigningCertificateCommand({ UserName: 'left', CertificateId: c.CertificateId }));
    await iam.send(new DeleteUserCommand({ UserName: 'left' }));
  });
});
