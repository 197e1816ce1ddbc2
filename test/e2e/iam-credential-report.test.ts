// The credential report through the real IAM client: GenerateCredentialReport's STARTED then COMPLETE,
// the errors before a report and after it expires, the four-hour reuse rule, and the CSV itself —
// parsed as CSV and checked row by row against what the account's own API calls say (creation
// dates, passwords, MFA, keys and their last use).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateSigningCertificateCommand,
  UploadSigningCertificateCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startServer, type Credentials, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { allow, freshAccount, policy, userWithKey } from '../helpers/iam.ts';
import { eventually } from '../helpers/eventually.ts';
import { enabledDevice } from '../helpers/mfa.ts';
import { certificate } from '../helpers/certificates.ts';
import { KIND } from '../../src/iam/index.ts';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

const COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation', 'mfa_active',
  'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region', 'access_key_2_last_used_service',
  'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
];

/** AWS's report timestamps: whole seconds, +00:00. */
const aws = (d: Date | undefined): string => d!.toISOString().replace(/\.\d{3}Z$/, '+00:00');

type Row = Record<string, string>;

async function report(iam: IAMClient): Promise<{ header: string[]; rows: Row[]; generated: Date }> {
  const answer = await iam.send(new GetCredentialReportCommand({}));
  assert.equal(answer.ReportFormat, 'text/csv');
  const text = Buffer.from(answer.Content!).toString('utf8');
  const records = parse(text) as string[][];
  const header = records[0]!;
  const rows = records.slice(1).map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]!])));
  return { header, rows, generated: answer.GeneratedTime! };
}

const noKey = { active: 'false', last_rotated: 'N/A', last_used_date: 'N/A', last_used_region: 'N/A', last_used_service: 'N/A' };
const keyColumns = (n: 1 | 2, k: typeof noKey): Row => Object.fromEntries(Object.entries(k).map(([c, v]) => [`access_key_${n}_${c}`, v]));
const noCerts = { cert_1_active: 'false', cert_1_last_rotated: 'N/A', cert_2_active: 'false', cert_2_last_rotated: 'N/A' };

test('a report of the account as it was: STARTED, COMPLETE, and the CSV row by row', async () => {
  const { iam, account, credentials: rootKeys } = await freshAccount(server);
  await rejects(iam.send(new GetCredentialReportCommand({})), 'CredentialReportNotPresentException', undefined, 410);

  await iam.send(new UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 90 }));
  // alice: a password, two keys (the second made inactive), the first used.
  const aliceKey = await userWithKey(iam, 'alice');
  await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Str0ng&Long-Passw0rd' }));
  const second = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
  await iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: second.AccessKeyId!, Status: 'Inactive' }));
  await server.sts(aliceKey).send(new GetCallerIdentityCommand({}));
  const used = await eventually(
    "alice's key use is recorded",
    () => iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: aliceKey.accessKeyId })),
    (a) => a.AccessKeyLastUsed?.LastUsedDate !== undefined,
  );
  // bob, with a name CSV must quote: no password, no key, an MFA device.
  await iam.send(new CreateUserCommand({ UserName: 'bob,jr' }));
  await enabledDevice(iam, 'bob,jr', 'bob-phone');
  // The root's own device.
  await enabledDevice(iam, account, 'root-account-mfa-device');

  const first = await iam.send(new GenerateCredentialReportCommand({}));
  assert.equal(first.State, 'STARTED');
  assert.equal(first.Description, 'No report exists. Starting a new report generation task');
  const again = await iam.send(new GenerateCredentialReportCommand({}));
  assert.equal(again.State, 'COMPLETE');
  assert.equal(again.Description, undefined);

  const { header, rows } = await report(iam);
  assert.deepEqual(header, COLUMNS);
  assert.deepEqual(rows.map((r) => r.user), ['<root_account>', 'alice', 'bob,jr']);

  const [root, alice, bob] = rows as [Row, Row, Row];
  const rootKey = (await iam.send(new ListAccessKeysCommand({}))).AccessKeyMetadata!;
  assert.equal(rootKey.length, 1);
  assert.equal(rootKeys.accessKeyId, rootKey[0]!.AccessKeyId);
  const rootUser = (await iam.send(new GetUserCommand({}))).User!;
  const rootKeyUse = (await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: rootKeys.accessKeyId }))).AccessKeyLastUsed!;
  const rootUsed = root.access_key_1_last_used_date!;
  assert.ok(rootUsed === 'N/A' || rootUsed <= aws(rootKeyUse.LastUsedDate), rootUsed);
  assert.deepEqual(root, {
    user: '<root_account>',
    arn: `arn:aws:iam::${account}:root`,
    user_creation_time: aws(rootUser.CreateDate),
    password_enabled: 'not_supported',
    password_last_used: 'no_information',
    password_last_changed: 'not_supported',
    password_next_rotation: 'not_supported',
    mfa_active: 'true',
    // The root's key was used moments ago by this test; the report was made after a flush or before it.
    ...keyColumns(1, {
      active: 'true',
      last_rotated: aws(rootKey[0]!.CreateDate),
      last_used_date: rootUsed,
      last_used_region: rootUsed === 'N/A' ? 'N/A' : 'us-east-1',
      last_used_service: rootUsed === 'N/A' ? 'N/A' : 'iam',
    }),
    ...keyColumns(2, noKey),
    ...noCerts,
  });

  const aliceUser = (await iam.send(new GetUserCommand({ UserName: 'alice' }))).User!;
  const aliceKeys = (await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }))).AccessKeyMetadata!;
  const firstKey = aliceKeys.find((k) => k.AccessKeyId === aliceKey.accessKeyId)!;
  const secondKey = aliceKeys.find((k) => k.AccessKeyId === second.AccessKeyId)!;
  const changed = await server.iamd.store.read(async (tx) => (await tx.list<{ passwordLastChanged: string }>(account, KIND.loginProfile))[0]!.doc.passwordLastChanged);
  assert.deepEqual(alice, {
    user: 'alice',
    arn: aliceUser.Arn!,
    user_creation_time: aws(aliceUser.CreateDate),
    password_enabled: 'true',
    password_last_used: 'no_information',
    password_last_changed: aws(new Date(changed)),
    password_next_rotation: aws(new Date(Date.parse(changed) + 90 * 86_400_000)),
    mfa_active: 'false',
    ...keyColumns(1, {
      active: 'true',
      last_rotated: aws(firstKey.CreateDate),
      last_used_date: aws(used.AccessKeyLastUsed!.LastUsedDate),
      last_used_region: used.AccessKeyLastUsed!.Region!,
      last_used_service: used.AccessKeyLastUsed!.ServiceName!,
    }),
    ...keyColumns(2, { ...noKey, active: 'false', last_rotated: aws(secondKey.CreateDate) }),
    ...noCerts,
  });
  assert.equal(used.AccessKeyLastUsed!.ServiceName, 'sts');

  const bobUser = (await iam.send(new GetUserCommand({ UserName: 'bob,jr' }))).User!;
  assert.deepEqual(bob, {
    user: 'bob,jr',
    arn: bobUser.Arn!,
    user_creation_time: aws(bobUser.CreateDate),
    password_enabled: 'false',
    password_last_used: 'N/A',
    password_last_changed: 'N/A',
    password_next_rotation: 'N/A',
    mfa_active: 'true',
    ...keyColumns(1, noKey),
    ...keyColumns(2, noKey),
    ...noCerts,
  });
});

test('signing certificates fill the cert columns: active or not, and when each was uploaded', async () => {
  const { iam } = await freshAccount(server);
  await iam.send(new CreateUserCommand({ UserName: 'signer' }));
  const first = (await iam.send(new UploadSigningCertificateCommand({ UserName: 'signer', CertificateBody: (await certificate({ cn: 'one' })).cert }))).Certificate!;
  const second = (await iam.send(new UploadSigningCertificateCommand({ UserName: 'signer', CertificateBody: (await certificate({ cn: 'two' })).cert }))).Certificate!;
  await iam.send(new UpdateSigningCertificateCommand({ UserName: 'signer', CertificateId: second.CertificateId!, Status: 'Inactive' }));
  await iam.send(new GenerateCredentialReportCommand({}));
  const row = (await report(iam)).rows.find((r) => r.user === 'signer')!;
  const time = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
  assert.deepEqual(
    [row.cert_1_active, row.cert_1_last_rotated, row.cert_2_active, row.cert_2_last_rotated],
    ['true', time(first.UploadDate!), 'false', time(second.UploadDate!)],
  );
});

test('four hours: a report is reused, then expires, then is made anew', async () => {
  const { iam, account } = await freshAccount(server);
  await iam.send(new CreateUserCommand({ UserName: 'early' }));
  assert.equal((await iam.send(new GenerateCredentialReportCommand({}))).State, 'STARTED');
  await iam.send(new CreateUserCommand({ UserName: 'late' }));
  assert.equal((await iam.send(new GenerateCredentialReportCommand({}))).State, 'COMPLETE');
  const reused = await report(iam);
  assert.deepEqual(reused.rows.map((r) => r.user), ['<root_account>', 'early']);

  // Five hours pass for this report: its generation time is moved back in the store.
  await server.iamd.store.transaction(async (tx) => {
    const [e] = await tx.list<{ GeneratedTime: string }>(account, KIND.credentialReport);
    await tx.update(account, KIND.credentialReport, e!.key, { ...e!.doc, GeneratedTime: new Date(Date.now() - 5 * 3600_000).toISOString() });
  });
  await rejects(iam.send(new GetCredentialReportCommand({})), 'CredentialReportExpiredException', /^The request was rejected because the most recent credential report has expired\./, 410);
  const regenerated = await iam.send(new GenerateCredentialReportCommand({}));
  assert.equal(regenerated.State, 'STARTED');
  const fresh = await report(iam);
  assert.deepEqual(fresh.rows.map((r) => r.user), ['<root_account>', 'early', 'late']);
  // GeneratedTime has whole seconds on the wire: the same second, or a later one.
  assert.ok(fresh.generated >= reused.generated);
});

test('authorization: both ask their action on *', async () => {
  const { iam, account } = await freshAccount(server);
  const reader: Credentials = await userWithKey(iam, 'report-reader', policy(allow('iam:GetCredentialReport')));
  const client = server.iam(reader);
  const action = 'iam:GenerateCredentialReport';
  await rejects(
    client.send(new GenerateCredentialReportCommand({})),
    'AccessDenied',
    `User: arn:aws:iam::${account}:user/report-reader is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`,
    403,
  );
  await rejects(client.send(new GetCredentialReportCommand({})), 'CredentialReportNotPresentException', undefined, 410);
  await iam.send(new GenerateCredentialReportCommand({}));
  assert.deepEqual((await report(client)).rows.map((r) => r.user), ['<root_account>', 'report-reader']);
});
