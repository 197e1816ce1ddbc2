// SSH public keys through the real IAM client. Keys are made by node:crypto (RSA, ECDSA) and
// OpenSSH's ssh-keygen (Ed25519, which it cannot import from PEM), and ssh-keygen — not iamd's code
// — says what their OpenSSH form and MD5 fingerprint are, so the encodings are checked against the
// tool CodeCommit users run. Also: the recorded shapes and errors, weak and broken keys, five per
// user, duplicates, DeleteUser's refusal, a rename, and enforcement on the user's ARN.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateUserCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  GetSSHPublicKeyCommand,
  ListSSHPublicKeysCommand,
  UpdateSSHPublicKeyCommand,
  UpdateUserCommand,
  UploadSSHPublicKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';
import { startServer, tempDir, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let iam: IAMClient;
let dir: string;

before(async () => {
  server = await startServer();
  iam = server.iam();
  dir = tempDir('iamd-ssh-');
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Key {
  /** OpenSSH one-line form, with a comment. */
  ssh: string;
  /** SubjectPublicKeyInfo PEM. */
  pem?: string;
  md5: string;
}

let made = 0;
const keygen = (args: string[]): string => execFileSync('ssh-keygen', args, { encoding: 'utf8' });
const md5Of = (pubFile: string): string => /MD5:([0-9a-f:]{47})/.exec(keygen(['-l', '-E', 'md5', '-f', pubFile]))![1]!;

/** A node:crypto key pair's public half, in OpenSSH form as ssh-keygen imports it. */
function nodeKey(type: 'rsa' | 'ec', option: { modulusLength?: number; namedCurve?: string }): Key {
  const { publicKey } = generateKeyPairSync(type as 'rsa', option as { modulusLength: number });
  const pem = String(publicKey.export({ type: 'spki', format: 'pem' }));
  const pemFile = join(dir, `k${++made}.pem`);
  writeFileSync(pemFile, pem);
  const ssh = `${keygen(['-i', '-m', 'PKCS8', '-f', pemFile]).trim()} user@host`;
  const pubFile = `${pemFile}.pub`;
  writeFileSync(pubFile, ssh);
  return { ssh, pem, md5: md5Of(pubFile) };
}

function ed25519(): Key {
  const file = join(dir, `k${++made}`);
  keygen(['-q', '-t', 'ed25519', '-N', '', '-C', 'dev@laptop', '-f', file]);
  return { ssh: readFileSync(`${file}.pub`, 'utf8').trim(), md5: md5Of(`${file}.pub`) };
}

const rsa = (bits = 2048) => nodeKey('rsa', { modulusLength: bits });
const ecdsa = (namedCurve: string) => nodeKey('ec', { namedCurve });
const upload = (UserName: string, SSHPublicKeyBody: string) => iam.send(new UploadSSHPublicKeyCommand({ UserName, SSHPublicKeyBody }));
const withoutComment = (ssh: string) => ssh.split(' ').slice(0, 2).join(' ');

describe('SSH public keys', () => {
  test('every accepted kind: the recorded members, the fingerprint and both encodings as OpenSSH has them', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'git-user' }));
    const keys = [rsa(), ecdsa('P-256'), ecdsa('P-384'), ecdsa('P-521'), ed25519()];
    for (const key of keys) {
      const uploaded = (await upload('git-user', key.ssh)).SSHPublicKey!;
      assert.deepEqual(Object.keys(uploaded).sort(), ['Fingerprint', 'SSHPublicKeyBody', 'SSHPublicKeyId', 'Status', 'UploadDate', 'UserName']);
      assert.match(uploaded.SSHPublicKeyId!, /^APKA[A-Z2-7]{17}$/);
      assert.deepEqual([uploaded.Fingerprint, uploaded.SSHPublicKeyBody, uploaded.Status, uploaded.UserName], [key.md5, key.ssh, 'Active', 'git-user']);
      const get = async (Encoding: 'SSH' | 'PEM') =>
        (await iam.send(new GetSSHPublicKeyCommand({ UserName: 'git-user', SSHPublicKeyId: uploaded.SSHPublicKeyId, Encoding }))).SSHPublicKey!;
      assert.deepEqual(await get('SSH'), uploaded);
      const pem = (await get('PEM')).SSHPublicKeyBody!;
      assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n/);
      if (key.pem) assert.equal(pem, key.pem);
    }
    const listed = await iam.send(new ListSSHPublicKeysCommand({ UserName: 'git-user' }));
    assert.equal(listed.SSHPublicKeys!.length, 5);
    assert.deepEqual(Object.keys(listed.SSHPublicKeys![0]!).sort(), ['SSHPublicKeyId', 'Status', 'UploadDate', 'UserName']);
    const page = await iam.send(new ListSSHPublicKeysCommand({ UserName: 'git-user', MaxItems: 3 }));
    const rest = await iam.send(new ListSSHPublicKeysCommand({ UserName: 'git-user', Marker: page.Marker }));
    assert.deepEqual([page.IsTruncated, rest.IsTruncated], [true, false]);
    assert.deepEqual([...page.SSHPublicKeys!, ...rest.SSHPublicKeys!], listed.SSHPublicKeys);
    await rejects(upload('git-user', rsa().ssh), 'LimitExceededException', 'Cannot exceed quota for SSHPublicKeysPerUser: 5', 409);
  });

  test('a PEM upload is answered in SSH form as ssh-keygen writes it', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'pem-user' }));
    const key = rsa(3072);
    const uploaded = (await upload('pem-user', key.pem!)).SSHPublicKey!;
    assert.deepEqual([uploaded.Fingerprint, uploaded.SSHPublicKeyBody], [key.md5, key.pem]);
    const ssh = (await iam.send(new GetSSHPublicKeyCommand({ UserName: 'pem-user', SSHPublicKeyId: uploaded.SSHPublicKeyId, Encoding: 'SSH' }))).SSHPublicKey!;
    assert.equal(ssh.SSHPublicKeyBody, withoutComment(key.ssh));
    await rejects(upload('pem-user', key.ssh), 'DuplicateSSHPublicKeyException', 'The SSH public key is already associated with the specified IAM user.', 400);
  });

  test('weak, broken and unrecognised keys are refused', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'bad-keys' }));
    const invalid = (why: string) => `The public key is malformed or otherwise invalid: ${why}`;
    await rejects(upload('bad-keys', rsa(1024).ssh), 'InvalidPublicKeyException', invalid('RSA keys must be at least 2048 bits.'), 400);
    await rejects(upload('bad-keys', 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB'), 'InvalidPublicKeyException', invalid('the key data is malformed.'), 400);
    const [, blob] = ed25519().ssh.split(' ');
    await rejects(upload('bad-keys', `ssh-rsa ${blob}`), 'InvalidPublicKeyException', invalid('the key type inside the key does not match its name.'), 400);
    await rejects(upload('bad-keys', 'ssh-dss AAAAB3NzaC1kc3MAAACBAP'), 'InvalidPublicKeyException', invalid('key type ssh-dss is not supported.'), 400);
    await rejects(upload('bad-keys', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'), 'InvalidPublicKeyException', invalid('the PEM text holds no public key.'), 400);
    await rejects(upload('bad-keys', 'not a key'), 'UnrecognizedPublicKeyEncodingException', 'The public key encoding format is unsupported or unrecognized.', 400);
    assert.deepEqual((await iam.send(new ListSSHPublicKeysCommand({ UserName: 'bad-keys' }))).SSHPublicKeys, []);
  });

  test('the recorded NoSuchEntity texts; Update to Inactive; Delete', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'ssh-life' }));
    const id = 'APKAXXXXXXXXXXXXXXXXX';
    const missing = 'The Public Key with id APKAXXXXXXXXXXXXXXXXX cannot be found.';
    await rejects(iam.send(new GetSSHPublicKeyCommand({ UserName: 'ssh-life', SSHPublicKeyId: id, Encoding: 'SSH' })), 'NoSuchEntityException', missing, 404);
    await rejects(iam.send(new UpdateSSHPublicKeyCommand({ UserName: 'ssh-life', SSHPublicKeyId: id, Status: 'Inactive' })), 'NoSuchEntityException', missing, 404);
    await rejects(iam.send(new DeleteSSHPublicKeyCommand({ UserName: 'ssh-life', SSHPublicKeyId: id })), 'NoSuchEntityException', missing, 404);
    await rejects(upload('nobody-here', rsa().ssh), 'NoSuchEntityException', 'The user with name nobody-here cannot be found.', 404);

    const key = (await upload('ssh-life', ecdsa('P-256').ssh)).SSHPublicKey!;
    // Another user's key is not found under this user.
    await iam.send(new CreateUserCommand({ UserName: 'ssh-other' }));
    await rejects(iam.send(new GetSSHPublicKeyCommand({ UserName: 'ssh-other', SSHPublicKeyId: key.SSHPublicKeyId, Encoding: 'SSH' })), 'NoSuchEntityException');
    await iam.send(new UpdateSSHPublicKeyCommand({ UserName: 'ssh-life', SSHPublicKeyId: key.SSHPublicKeyId, Status: 'Inactive' }));
    const got = (await iam.send(new GetSSHPublicKeyCommand({ UserName: 'ssh-life', SSHPublicKeyId: key.SSHPublicKeyId, Encoding: 'SSH' }))).SSHPublicKey!;
    assert.equal(got.Status, 'Inactive');
    await iam.send(new DeleteSSHPublicKeyCommand({ UserName: 'ssh-life', SSHPublicKeyId: key.SSHPublicKeyId }));
    assert.deepEqual((await iam.send(new ListSSHPublicKeysCommand({ UserName: 'ssh-life' }))).SSHPublicKeys, []);
  });

  test('DeleteUser refuses while a key remains; a rename carries the keys', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'ssh-leaving' }));
    const key = (await upload('ssh-leaving', ed25519().ssh)).SSHPublicKey!;
    await rejects(iam.send(new DeleteUserCommand({ UserName: 'ssh-leaving' })), 'DeleteConflictException', 'Cannot delete entity, must delete SSH public keys first.', 409);
    await iam.send(new UpdateUserCommand({ UserName: 'ssh-leaving', NewUserName: 'ssh-left' }));
    const listed = (await iam.send(new ListSSHPublicKeysCommand({ UserName: 'ssh-left' }))).SSHPublicKeys!;
    assert.deepEqual(listed.map((k) => [k.SSHPublicKeyId, k.UserName]), [[key.SSHPublicKeyId, 'ssh-left']]);
    await iam.send(new DeleteSSHPublicKeyCommand({ UserName: 'ssh-left', SSHPublicKeyId: key.SSHPublicKeyId }));
    await iam.send(new DeleteUserCommand({ UserName: 'ssh-left' }));
  });

  test('enforced on the user ARN; ListSSHPublicKeys without a name lists the caller', async () => {
    const self = await userWithPolicy(server, 'ssh-self', policy(allow(['iam:UploadSSHPublicKey', 'iam:ListSSHPublicKeys'], `arn:aws:iam::${ACCOUNT}:user/ssh-self`)));
    const client = server.iam(self);
    const key = (await client.send(new UploadSSHPublicKeyCommand({ UserName: 'ssh-self', SSHPublicKeyBody: ed25519().ssh }))).SSHPublicKey!;
    assert.deepEqual((await client.send(new ListSSHPublicKeysCommand({}))).SSHPublicKeys!.map((k) => k.SSHPublicKeyId), [key.SSHPublicKeyId]);
    await rejects(
      client.send(new UploadSSHPublicKeyCommand({ UserName: 'git-user', SSHPublicKeyBody: ed25519().ssh })),
      'AccessDenied',
      `User: ${self.arn} is not authorized to perform: iam:UploadSSHPublicKey on resource: arn:aws:iam::${ACCOUNT}:user/git-user because no identity-based policy allows the iam:UploadSSHPublicKey action`,
      403,
    );
    await rejects(client.send(new DeleteSSHPublicKeyCommand({ UserName: 'ssh-self', SSHPublicKeyId: key.SSHPublicKeyId })), 'AccessDenied', /iam:DeleteSSHPublicKey/, 403);
  });
});
