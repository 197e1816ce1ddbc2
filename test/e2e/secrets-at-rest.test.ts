// Secrets at rest, end to end: credentials made through the real SDK clients (a user's access key,
// an AssumeRole session, a GetSessionToken session, a SAML provider's private key, the key outbound
// web identity tokens are signed with) appear nowhere in what iamd stores — the SQLite
// file and its WAL as raw bytes, before and after a checkpoint; every row of every PostgreSQL table as
// text — and still work after a restart and after `iamd keys rotate`. A wrong, missing or malformed
// master key stops `iamd serve` with its reason; an earlier version's plaintext store is sealed by
// the first start, once, even when two nodes start together.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  CreateAccessKeyCommand, CreateRoleCommand, CreateSAMLProviderCommand, CreateUserCommand, EnableOutboundWebIdentityFederationCommand, IAMClient,
} from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand, AssumeRoleWithSAMLCommand, GetCallerIdentityCommand, GetSessionTokenCommand, GetWebIdentityTokenCommand, STSClient,
} from '@aws-sdk/client-sts';
import { keyFilePath, readKeyFile, type Sealed } from '../../src/secrets/index.ts';
import { loadConfig } from '../../src/server/config.ts';
import { startIamd, type Iamd } from '../../src/server/app.ts';
import { openStore, type StoreConfig } from '../../src/store/index.ts';
import { GLOBAL } from '../../src/store/types.ts';
import { policy, sessionCredentials, trust } from '../helpers/iam.ts';
import { encryptedAssertion, makeIdp, metadata, type TestIdp } from '../helpers/saml.ts';
import { spawnServer, tempDir, type Credentials } from '../helpers/server.ts';
import { POSTGRES_URL } from '../store/harness.ts';

const execute = promisify(execFile);
const BIN = new URL('../../bin/iamd.js', import.meta.url).pathname;
const ACCOUNT = '123456789012';

/** `iamd ARGS` as a child process: its exit code and output, whatever the code. */
async function iamdCommand(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('IAMD_')));
  try {
    const { stdout, stderr } = await execute(process.execPath, [BIN, ...args], { env: { ...clean, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** iamd in this process over the store its flags name. */
function start(args: string[], env: Record<string, string> = {}): Promise<Iamd> {
  return startIamd(loadConfig(['--port', '0', '--job-delay-ms', '0', ...args], env), { log: () => {} });
}

const clients = (url: string, credentials: Credentials) => ({
  iam: new IAMClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 }),
  sts: new STSClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 }),
});

interface Made {
  user: Credentials;
  assumed: Credentials;
  token: Credentials;
  /** The IdP and the key pair its assertions are encrypted to (the provider's private key). */
  saml: { idp: TestIdp; decryptsWith: TestIdp };
  /** The key id of the outbound web identity tokens' RS256 key, and the issuer. */
  outbound: { kid: string; issuer: string };
  /** Every secret string the answers carried, and what any private key in PEM starts with. */
  secrets: string[];
}

const SAML_ROLE = `arn:aws:iam::${ACCOUNT}:role/saml-user`;
const SAML_PROVIDER = `arn:aws:iam::${ACCOUNT}:saml-provider/corp`;

/** A SAML provider holding a private key, and outbound federation with its signing key made by a first token. */
async function makeFederation(root: ReturnType<typeof clients>): Promise<Pick<Made, 'saml' | 'outbound'>> {
  const [idp, decryptsWith] = await Promise.all([makeIdp(), makeIdp()]);
  await root.iam.send(new CreateSAMLProviderCommand({ Name: 'corp', SAMLMetadataDocument: metadata(idp), AddPrivateKey: decryptsWith.privateKey, AssertionEncryptionMode: 'Required' }));
  const federated = policy({ Effect: 'Allow', Principal: { Federated: SAML_PROVIDER }, Action: 'sts:AssumeRoleWithSAML' });
  await root.iam.send(new CreateRoleCommand({ RoleName: 'saml-user', AssumeRolePolicyDocument: federated }));
  const issuer = (await root.iam.send(new EnableOutboundWebIdentityFederationCommand({}))).IssuerIdentifier!;
  const token = (await root.sts.send(new GetWebIdentityTokenCommand({ Audience: ['https://api.example.com'], SigningAlgorithm: 'RS256' }))).WebIdentityToken!;
  return { saml: { idp, decryptsWith }, outbound: { kid: decodeProtectedHeader(token).kid!, issuer } };
}

/** A user's key, an AssumeRole session and a GetSessionToken session, through the real SDK clients; and the federation keys. */
async function makeCredentials(url: string, rootCredentials: Credentials = { accessKeyId: 'test', secretAccessKey: 'test' }): Promise<Made> {
  const root = clients(url, rootCredentials);
  const federation = await makeFederation(root);
  await root.iam.send(new CreateUserCommand({ UserName: 'alice' }));
  const key = (await root.iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
  const user = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  await root.iam.send(new CreateRoleCommand({ RoleName: 'auditor', AssumeRolePolicyDocument: trust(`arn:aws:iam::${ACCOUNT}:user/alice`) }));
  const alice = clients(url, user);
  const assumed = sessionCredentials((await alice.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/auditor`, RoleSessionName: 's1' }))).Credentials);
  const token = sessionCredentials((await alice.sts.send(new GetSessionTokenCommand({}))).Credentials);
  const samlKeyBody = federation.saml.decryptsWith.privateKey.split('\n')[1]!;
  return {
    user, assumed, token, ...federation,
    secrets: [user.secretAccessKey, assumed.secretAccessKey, assumed.sessionToken!, token.secretAccessKey, token.sessionToken!, samlKeyBody, 'PRIVATE KEY'],
  };
}

/** Each credential signs a call that iamd accepts, as the identity it was issued to. */
async function stillWork(url: string, made: Made): Promise<void> {
  const who = async (c: Credentials) => (await clients(url, c).sts.send(new GetCallerIdentityCommand({}))).Arn;
  assert.equal(await who(made.user), `arn:aws:iam::${ACCOUNT}:user/alice`);
  assert.equal(await who(made.assumed), `arn:aws:sts::${ACCOUNT}:assumed-role/auditor/s1`);
  assert.equal(await who(made.token), `arn:aws:iam::${ACCOUNT}:user/alice`);
  // The SAML provider's sealed private key still decrypts its IdP's encrypted assertions.
  const SAMLAssertion = await encryptedAssertion(made.saml.idp, { subject: 'alice', roles: [`${SAML_ROLE},${SAML_PROVIDER}`], sessionName: 'alice' }, { to: made.saml.decryptsWith });
  const saml = await clients(url, made.user).sts.send(new AssumeRoleWithSAMLCommand({ RoleArn: SAML_ROLE, PrincipalArn: SAML_PROVIDER, SAMLAssertion }));
  assert.equal(saml.Subject, 'alice');
  // The sealed signing key still signs, under the same key id, tokens that verify against the served JWKS.
  const root = clients(url, { accessKeyId: 'test', secretAccessKey: 'test' });
  const jwt = (await root.sts.send(new GetWebIdentityTokenCommand({ Audience: ['https://api.example.com'], SigningAlgorithm: 'RS256' }))).WebIdentityToken!;
  assert.equal(decodeProtectedHeader(jwt).kid, made.outbound.kid);
  const jwks = createRemoteJWKSet(new URL(`/_iamd/outbound-issuers/${new URL(made.outbound.issuer).hostname.split('.')[0]}/.well-known/jwks.json`, url));
  assert.equal((await jwtVerify(jwt, jwks, { issuer: made.outbound.issuer })).payload.sub, `arn:aws:iam::${ACCOUNT}:root`);
}

/** None of `secrets` in `bytes`, which must hold `witness` (so this is the data, not an empty file). */
function assertNoSecret(what: string, bytes: Buffer, secrets: string[], witness?: string): void {
  if (witness !== undefined) assert.ok(bytes.includes(witness), `${what} should hold ${witness}`);
  for (const secret of secrets) assert.equal(bytes.includes(secret), false, `a secret is in ${what}`);
}

const readIfExists = (file: string): Buffer => (existsSync(file) ? readFileSync(file) : Buffer.alloc(0));

/** Every row of every table of `schema`, as text. */
async function dumpSchema(schema: string): Promise<Buffer> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
    assert.ok(tables.length >= 4, `schema ${schema} has its tables`);
    let text = '';
    for (const { table_name } of tables) {
      const { rows } = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${schema}.${table_name} t`);
      text += rows.map((r) => r.row).join('\n');
    }
    return Buffer.from(text, 'utf8');
  } finally {
    await client.end();
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

describe('secrets at rest, end to end', () => {
  test('SQLite: no secret in the file or its WAL; credentials survive a restart and a rotation; a wrong or missing key stops iamd', async () => {
    const dir = tempDir();
    const file = join(dir, 'iamd.sqlite');
    try {
      let iamd = await start(['--data-dir', dir]);
      const made = await makeCredentials(iamd.url);
      await stillWork(iamd.url, made);
      // Before a checkpoint the new pages are in the WAL; after one, in the file.
      assertNoSecret('the WAL', readIfExists(`${file}-wal`), made.secrets, made.user.accessKeyId);
      assertNoSecret('the database file', readFileSync(file), made.secrets);
      const checkpoint = new Database(file);
      assert.deepEqual(checkpoint.pragma('wal_checkpoint(TRUNCATE)'), [{ busy: 0, log: 0, checkpointed: 0 }]);
      checkpoint.close();
      assertNoSecret('the checkpointed database file', readFileSync(file), made.secrets, made.user.accessKeyId);
      assertNoSecret('the WAL after a checkpoint', readIfExists(`${file}-wal`), made.secrets);
      await iamd.close();

      const firstKey = readKeyFile(keyFilePath(dir))!;
      iamd = await start(['--data-dir', dir]);
      await stillWork(iamd.url, made);
      await iamd.close();

      const rotated = await iamdCommand(['keys', 'rotate', '--data-dir', dir]);
      assert.equal(rotated.code, 0, rotated.stderr);
      const ids = /^re-sealed [4-9] secrets under master key ([0-9a-f]{16}) \(was ([0-9a-f]{16})\); (.*) holds the new key\n$/.exec(rotated.stdout);
      assert.ok(ids, rotated.stdout);
      const [, newId, oldId, keyFile] = ids;
      assert.equal(oldId, firstKey.id);
      assert.equal(keyFile, keyFilePath(dir));
      assert.equal(readKeyFile(keyFilePath(dir))!.id, newId);
      iamd = await start(['--data-dir', dir]);
      await stillWork(iamd.url, made);
      await iamd.close();
      assertNoSecret('the database file after the rotation', Buffer.concat([readFileSync(file), readIfExists(`${file}-wal`)]), made.secrets, made.user.accessKeyId);

      const wrong = randomBytes(32);
      const refused = await iamdCommand(['serve', '--port', '0', '--data-dir', dir], { IAMD_MASTER_KEY: wrong.toString('base64') });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`^iamd serve: cannot start: the secrets in this store are sealed under master key ${newId}, but IAMD_MASTER_KEY is master key [0-9a-f]{16}: give iamd the key they were sealed with`));
      assert.equal(refused.stderr.includes(wrong.toString('base64')), false);

      const malformed = await iamdCommand(['serve', '--port', '0', '--data-dir', dir], { IAMD_MASTER_KEY: 'not-a-key-but-a-secret' });
      assert.equal(malformed.code, 2);
      assert.match(malformed.stderr, /^iamd serve: IAMD_MASTER_KEY must be 32 bytes written as base64 \(44 characters\) or hex \(64 characters\), got 22 characters/);
      assert.equal(malformed.stderr.includes('not-a-key-but-a-secret'), false);

      rmSync(keyFilePath(dir));
      const missing = await iamdCommand(['serve', '--port', '0', '--data-dir', dir]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, new RegExp(`^iamd serve: cannot start: the secrets in this store are sealed under master key ${newId}, and no master key was given: set IAMD_MASTER_KEY`));
      assert.equal(existsSync(keyFilePath(dir)), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('PostgreSQL: no secret in any row of any table; every node needs the same IAMD_MASTER_KEY; rotation with --new-key', async () => {
    const schema = `iamd_secrets_${randomBytes(6).toString('hex')}`;
    const dirs = [tempDir(), tempDir()];
    const key = randomBytes(32).toString('base64');
    const onPostgres = (dir: string) => ['--data-dir', dir, '--database-url', POSTGRES_URL, '--database-schema', schema];
    try {
      let iamd = await start(onPostgres(dirs[0]), { IAMD_MASTER_KEY: key });
      const made = await makeCredentials(iamd.url);
      await stillWork(iamd.url, made);
      assertNoSecret(`the tables of ${schema}`, await dumpSchema(schema), made.secrets, made.user.accessKeyId);
      // IAMD_MASTER_KEY given: no key file anywhere.
      assert.equal(existsSync(keyFilePath(dirs[0])), false);

      // A second node not given the key does not make one of its own: it is refused, and says why.
      await assert.rejects(start(onPostgres(dirs[1])), {
        name: 'MasterKeyError',
        message: /^the secrets in this store are sealed under master key [0-9a-f]{16}, and no master key was given: set IAMD_MASTER_KEY to that key \(the same on every node\)/,
      });
      assert.equal(existsSync(keyFilePath(dirs[1])), false);
      await assert.rejects(start(onPostgres(dirs[1]), { IAMD_MASTER_KEY: randomBytes(32).toString('base64') }), {
        name: 'MasterKeyError',
        message: /^the secrets in this store are sealed under master key [0-9a-f]{16}, but IAMD_MASTER_KEY is master key [0-9a-f]{16}/,
      });
      const second = await start(onPostgres(dirs[1]), { IAMD_MASTER_KEY: Buffer.from(key, 'base64').toString('hex') });
      await stillWork(second.url, made);
      await Promise.all([iamd.close(), second.close()]);

      const next = randomBytes(32).toString('base64');
      const withoutNew = await iamdCommand(['keys', 'rotate', '--database-url', POSTGRES_URL, '--database-schema', schema], { IAMD_MASTER_KEY: key });
      assert.equal(withoutNew.code, 2);
      assert.match(withoutNew.stderr, /IAMD_MASTER_KEY is set: give the new key with --new-key/);
      const badNew = await iamdCommand(['keys', 'rotate', '--new-key', 'short-new-key', '--database-url', POSTGRES_URL, '--database-schema', schema], { IAMD_MASTER_KEY: key });
      assert.equal(badNew.code, 2);
      assert.match(badNew.stderr, /^iamd keys: --new-key must be 32 bytes written as base64/);
      assert.equal(badNew.stderr.includes('short-new-key'), false);
      const rotated = await iamdCommand(['keys', 'rotate', '--new-key', next, '--database-url', POSTGRES_URL, '--database-schema', schema], { IAMD_MASTER_KEY: key });
      assert.equal(rotated.code, 0, rotated.stderr);
      assert.match(rotated.stdout, /^re-sealed [4-9] secrets under master key [0-9a-f]{16} \(was [0-9a-f]{16}\); start every node with IAMD_MASTER_KEY set to the new key\n$/);
      assert.equal(rotated.stdout.includes(next), false);

      await assert.rejects(start(onPostgres(dirs[0]), { IAMD_MASTER_KEY: key }), { name: 'MasterKeyError' });
      iamd = await start(onPostgres(dirs[0]), { IAMD_MASTER_KEY: next });
      await stillWork(iamd.url, made);
      await iamd.close();
      assertNoSecret(`the tables of ${schema} after the rotation`, await dumpSchema(schema), made.secrets, made.user.accessKeyId);
    } finally {
      await dropSchema(schema);
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('an earlier version\'s store, with its secrets in plaintext', () => {
    const OLD_ACCOUNT = '111122223333';
    const old = {
      root: { accessKeyId: 'AKIAOLDROOTKEY000001', secretAccessKey: `old-root-${randomBytes(15).toString('hex')}` },
      session: { accessKeyId: 'ASIAOLDSESSION000001', secretAccessKey: `old-session-${randomBytes(15).toString('hex')}`, sessionToken: `IQoJb3JpZ2luX2VjE-old-${randomBytes(40).toString('base64')}` },
    };

    /** Written as iamd wrote them before secrets were sealed. */
    async function writeOldStore(config: StoreConfig): Promise<void> {
      const store = await openStore(config);
      const now = Date.now();
      await store.transaction(async (tx) => {
        await tx.insert(GLOBAL, 'account', OLD_ACCOUNT, { accountId: OLD_ACCOUNT, CreateDate: new Date(now).toISOString() });
        await tx.insert(GLOBAL, 'access-key', old.root.accessKeyId, {
          AccessKeyId: old.root.accessKeyId, account: OLD_ACCOUNT, root: true, SecretAccessKey: old.root.secretAccessKey, Status: 'Active', CreateDate: new Date(now).toISOString(),
        }, `${OLD_ACCOUNT}/`);
        await tx.insert(GLOBAL, 'sts-session', old.session.accessKeyId, {
          account: OLD_ACCOUNT, secretAccessKey: old.session.secretAccessKey, sessionToken: old.session.sessionToken, issuedAt: now, expiresAt: now + 3600_000, region: 'us-east-1', owner: { type: 'root' },
        }, OLD_ACCOUNT);
      });
      await store.close();
    }

    async function checkSealed(config: StoreConfig, url: string): Promise<void> {
      for (const credentials of [old.root, old.session]) {
        assert.equal((await clients(url, credentials).sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${OLD_ACCOUNT}:root`);
      }
      const store = await openStore(config);
      try {
        const key = await store.read((tx) => tx.get<{ SecretAccessKey: Sealed }>(GLOBAL, 'access-key', old.root.accessKeyId));
        const session = await store.read((tx) => tx.get<Record<string, unknown>>(GLOBAL, 'sts-session', old.session.accessKeyId));
        assert.match(key!.doc.SecretAccessKey, /^v1:[0-9a-f]{16}:/);
        assert.match(String(session!.doc.secretAccessKey), /^v1:[0-9a-f]{16}:/);
        assert.equal(JSON.stringify(session!.doc).includes(old.session.sessionToken), false);
      } finally {
        await store.close();
      }
    }

    test('SQLite: two iamd processes starting at once seal it once, and both accept its credentials', async () => {
      const dir = tempDir();
      try {
        await writeOldStore({ kind: 'sqlite', dir });
        const nodes = await Promise.all([spawnServer(['--data-dir', dir]), spawnServer(['--data-dir', dir])]);
        try {
          for (const node of nodes) await checkSealed({ kind: 'sqlite', dir }, node.url);
        } finally {
          await Promise.all(nodes.map((n) => n.kill()));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('PostgreSQL: two nodes starting at once seal it once, and both accept its credentials', async () => {
      const schema = `iamd_secrets_${randomBytes(6).toString('hex')}`;
      const config: StoreConfig = { kind: 'postgres', url: POSTGRES_URL, schema };
      const dir = tempDir();
      const env = { IAMD_MASTER_KEY: randomBytes(32).toString('hex') };
      try {
        await writeOldStore(config);
        const args = ['--data-dir', dir, '--database-url', POSTGRES_URL, '--database-schema', schema];
        const nodes = await Promise.all([start(args, env), start(args, env)]);
        try {
          for (const node of nodes) await checkSealed(config, node.url);
        } finally {
          await Promise.all(nodes.map((n) => n.close()));
        }
      } finally {
        await dropSchema(schema);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
