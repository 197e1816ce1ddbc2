// Secrets in a real store, on SQLite and on PostgreSQL: the store's record of its master key decides
// which key opens it (a missing or different key is refused with both ids, and no new key is made
// for a store that has secrets); an earlier version's plaintext secrets are sealed on the first open,
// once even when several open together; a rotation re-seals everything in one transaction, and a
// rotation interrupted before its key file was replaced is finished by the next open. Every holder is
// covered, the newest too: SAML providers' private keys and outbound web identity signing keys.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { GLOBAL, type Store } from '../../src/store/types.ts';
import {
  generateMasterKey, keyFilePath, MASTER_KEY_KIND, MasterKeyError, nextKeyFilePath, openSecrets, readKeyFile, rotateSecrets, tokenDigest,
  writeNextKeyFile, type MasterKey, type Sealed, type Secrets,
} from '../../src/secrets/index.ts';
import { SECRET_HOLDERS } from '../../src/server/secrets.ts';
import { BACKENDS, type Backend } from '../store/harness.ts';
import { tempDir } from '../helpers/server.ts';

const KEY_AT = (id: string) => ({ kind: 'access-key', key: id, field: 'SecretAccessKey' });
const SESSION_AT = (id: string) => ({ kind: 'sts-session', key: id, field: 'secretAccessKey' });
const SAML_KEY_AT = (id: string) => ({ kind: 'saml-private-key', key: id, field: 'PrivateKey' });
const SIGNING_KEY_AT = (key: string) => ({ kind: 'outbound-signing-key', key, field: 'privateKey' });
/** Stand-ins for PEMs: what matters is that the text goes in sealed and comes out the same. */
const SAML_PEM = '-----BEGIN PRIVATE KEY-----\nsamlPrivateKeyBody\n-----END PRIVATE KEY-----\n';
const SIGNING_PEM = '-----BEGIN PRIVATE KEY-----\nsigningPrivateKeyBody\n-----END PRIVATE KEY-----\n';

/** The newest holders' entities, written unsealed: their holders must seal them like the oldest. */
async function writePlaintextKeys(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.insert(GLOBAL, 'saml-private-key', 'SAMLKEY0000000000000000001', { account: '123456789012', PrivateKey: SAML_PEM }, '123456789012');
    await tx.insert(GLOBAL, 'outbound-signing-key', '123456789012/RS256', {
      account: '123456789012', alg: 'RS256', kid: 'k1', publicJwk: { kty: 'RSA', kid: 'k1' }, privateKey: SIGNING_PEM, createdAt: '2025-01-01T00:00:00.000Z',
    }, '123456789012');
  });
}

/** What an iamd before sealing wrote: secrets and tokens in plaintext. */
async function writePlaintext(store: Store): Promise<{ rootSecret: string; userSecret: string; sessionSecret: string; token: string }> {
  const plain = { rootSecret: 'rootSecretrootSecretrootSecretrootSecret', userSecret: 'userSecretuserSecretuserSecretuserSecret', sessionSecret: 'sessionSecretsessionSecretsessionSecret', token: 'IQoJb3JpZ2luX2VjEplaintexttoken' };
  await store.transaction(async (tx) => {
    await tx.insert(GLOBAL, 'account', '123456789012', { accountId: '123456789012', CreateDate: '2025-01-01T00:00:00.000Z' });
    await tx.insert(GLOBAL, 'access-key', 'AKIAROOT', { AccessKeyId: 'AKIAROOT', account: '123456789012', root: true, SecretAccessKey: plain.rootSecret, Status: 'Active', CreateDate: '2025-01-01T00:00:00.000Z' }, '123456789012/');
    await tx.insert(GLOBAL, 'access-key', 'AKIAUSER', { AccessKeyId: 'AKIAUSER', account: '123456789012', userName: 'u', SecretAccessKey: plain.userSecret, Status: 'Active', CreateDate: '2025-01-01T00:00:00.000Z' }, '123456789012/u');
    await tx.insert(GLOBAL, 'sts-session', 'ASIASESSION', {
      account: '123456789012', secretAccessKey: plain.sessionSecret, sessionToken: plain.token, issuedAt: 1, expiresAt: 2, region: 'us-east-1', owner: { type: 'root' },
    }, '123456789012');
  });
  return plain;
}

const get = (store: Store, kind: string, key: string) => store.read((tx) => tx.get<Record<string, unknown>>(GLOBAL, kind, key));

async function withBackend(factory: () => Backend, fn: (backend: Backend, keyFile: string) => Promise<void>): Promise<void> {
  const backend = factory();
  const dir = tempDir();
  try {
    await fn(backend, keyFilePath(dir));
  } finally {
    await backend.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withOpen<T>(backend: Backend, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await backend.open();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const open = (store: Store, keyFile: string, masterKey?: MasterKey): Promise<Secrets> =>
  openSecrets(store, { keyFile, holders: SECRET_HOLDERS, ...(masterKey ? { masterKey } : {}) });

const refused = (pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof MasterKeyError, String(e));
  assert.match(e.message, pattern);
  return true;
};

for (const factory of BACKENDS) {
  describe(`secrets at rest: ${factory.label}`, () => {
    test('a fresh store makes its key file, records the key, and opens with it from then on', () =>
      withBackend(factory, (backend, keyFile) =>
        withOpen(backend, async (store) => {
          const first = await open(store, keyFile);
          assert.equal(readKeyFile(keyFile)!.id, first.keyId);
          assert.equal((await get(store, MASTER_KEY_KIND, 'current'))!.doc.keyId, first.keyId);
          assert.equal((await open(store, keyFile)).keyId, first.keyId);
        })));

    test('a missing or different key is refused by name, and no key is made for a store that has one', () =>
      withBackend(factory, (backend, keyFile) =>
        withOpen(backend, async (store) => {
          const { keyId } = await open(store, keyFile);
          const other = generateMasterKey();
          await assert.rejects(open(store, keyFile, other), refused(new RegExp(
            `^the secrets in this store are sealed under master key ${keyId}, but IAMD_MASTER_KEY is master key ${other.id}: give iamd the key they were sealed with`,
          )));
          rmSync(keyFile);
          await assert.rejects(open(store, keyFile), refused(new RegExp(
            `^the secrets in this store are sealed under master key ${keyId}, and no master key was given: set IAMD_MASTER_KEY to that key \\(the same on every node\\), or restore the key file ${keyFile}$`,
          )));
          assert.equal(existsSync(keyFile), false);
        })));

    test("an earlier version's plaintext secrets are sealed, and its session tokens hashed, once", () =>
      withBackend(factory, async (backend, keyFile) => {
        const plain = await withOpen(backend, writePlaintext);
        await withOpen(backend, writePlaintextKeys);
        const key = generateMasterKey();
        // Several openers at once (on SQLite one after the other: one store per file per process).
        const stores = await Promise.all([backend.open(), backend.open(), backend.open()]);
        try {
          const opened = backend.name === 'postgres'
            ? await Promise.all(stores.map((s) => open(s, keyFile, key)))
            : [await open(stores[0], keyFile, key), await open(stores[1], keyFile, key), await open(stores[2], keyFile, key)];
          const secrets = opened[0];
          const store = stores[0];
          for (const [id, secret] of [['AKIAROOT', plain.rootSecret], ['AKIAUSER', plain.userSecret]] as const) {
            const doc = (await get(store, 'access-key', id))!;
            assert.match(String(doc.doc.SecretAccessKey), new RegExp(`^v1:${key.id}:`));
            assert.equal(secrets.open(doc.doc.SecretAccessKey as Sealed, KEY_AT(id)), secret);
            assert.equal(doc.ref, id === 'AKIAROOT' ? '123456789012/' : '123456789012/u');
          }
          const session = (await get(store, 'sts-session', 'ASIASESSION'))!;
          assert.equal(secrets.open(session.doc.secretAccessKey as Sealed, SESSION_AT('ASIASESSION')), plain.sessionSecret);
          assert.equal(session.doc.sessionTokenHash, tokenDigest(plain.token));
          assert.equal('sessionToken' in session.doc, false);
          assert.deepEqual(session.doc.owner, { type: 'root' });
          const samlKey = (await get(store, 'saml-private-key', 'SAMLKEY0000000000000000001'))!;
          const signingKey = (await get(store, 'outbound-signing-key', '123456789012/RS256'))!;
          assert.match(String(samlKey.doc.PrivateKey), new RegExp(`^v1:${key.id}:`));
          assert.match(String(signingKey.doc.privateKey), new RegExp(`^v1:${key.id}:`));
          assert.equal(secrets.open(samlKey.doc.PrivateKey as Sealed, SAML_KEY_AT('SAMLKEY0000000000000000001')), SAML_PEM);
          assert.equal(secrets.open(signingKey.doc.privateKey as Sealed, SIGNING_KEY_AT('123456789012/RS256')), SIGNING_PEM);
          assert.deepEqual(signingKey.doc.publicJwk, { kty: 'RSA', kid: 'k1' });
          // With the key given, no key file was written.
          assert.equal(existsSync(keyFile), false);
        } finally {
          await Promise.all(stores.map((s) => s.close()));
        }
      }));

    test('rotation re-seals every secret under the new key, which alone opens the store afterwards', () =>
      withBackend(factory, async (backend, keyFile) => {
        const plain = await withOpen(backend, writePlaintext);
        await withOpen(backend, writePlaintextKeys);
        await withOpen(backend, async (store) => {
          const old = generateMasterKey();
          const before = await open(store, keyFile, old);
          const next = generateMasterKey();
          assert.equal(await rotateSecrets(store, SECRET_HOLDERS, old, next), 5);
          const samlKey = (await get(store, 'saml-private-key', 'SAMLKEY0000000000000000001'))!.doc.PrivateKey as Sealed;
          const signingKey = (await get(store, 'outbound-signing-key', '123456789012/RS256'))!.doc.privateKey as Sealed;
          assert.match(samlKey, new RegExp(`^v1:${next.id}:`));
          assert.match(signingKey, new RegExp(`^v1:${next.id}:`));
          const after = await open(store, keyFile, next);
          assert.equal(after.open((await get(store, 'access-key', 'AKIAUSER'))!.doc.SecretAccessKey as Sealed, KEY_AT('AKIAUSER')), plain.userSecret);
          assert.equal(after.open((await get(store, 'sts-session', 'ASIASESSION'))!.doc.secretAccessKey as Sealed, SESSION_AT('ASIASESSION')), plain.sessionSecret);
          assert.equal(after.open(samlKey, SAML_KEY_AT('SAMLKEY0000000000000000001')), SAML_PEM);
          assert.equal(after.open(signingKey, SIGNING_KEY_AT('123456789012/RS256')), SIGNING_PEM);
          assert.equal((await get(store, 'sts-session', 'ASIASESSION'))!.doc.sessionTokenHash, tokenDigest(plain.token));
          await assert.rejects(open(store, keyFile, old), refused(new RegExp(`sealed under master key ${next.id}, but IAMD_MASTER_KEY is master key ${old.id}`)));
          // A process still holding the old key cannot write a secret under it any more.
          await assert.rejects(
            store.transaction((tx) => before.seal(tx, 'new secret', KEY_AT('AKIANEW'))),
            refused(new RegExp(`sealed under master key ${next.id}, but this iamd \\(started before a rotation\\?\\) is master key ${old.id}`)),
          );
          // Rotating from a key that is not the store's changes nothing.
          await assert.rejects(rotateSecrets(store, SECRET_HOLDERS, old, generateMasterKey()), MasterKeyError);
          assert.equal((await open(store, keyFile, next)).keyId, next.id);
        });
      }));

    test('a rotation stopped after its commit is finished by the next open; one stopped before it is ignored', () =>
      withBackend(factory, (backend, keyFile) =>
        withOpen(backend, async (store) => {
          const { keyId } = await open(store, keyFile);
          const current = readKeyFile(keyFile)!;
          // Stopped before the store changed: the .next key is not the store's, so it is ignored.
          writeNextKeyFile(keyFile, generateMasterKey());
          assert.equal((await open(store, keyFile)).keyId, keyId);
          assert.equal(readKeyFile(keyFile)!.id, keyId);
          // Stopped after the commit, before the key file was replaced.
          const next = generateMasterKey();
          writeNextKeyFile(keyFile, next);
          await rotateSecrets(store, SECRET_HOLDERS, current, next);
          assert.equal((await open(store, keyFile)).keyId, next.id);
          assert.equal(readKeyFile(keyFile)!.id, next.id);
          assert.equal(existsSync(nextKeyFilePath(keyFile)), false);
        })));

    test('a wiped store (POST /_iamd/reset) adopts the key of the next secret sealed', () =>
      withBackend(factory, (backend, keyFile) =>
        withOpen(backend, async (store) => {
          const secrets = await open(store, keyFile);
          await store.wipe();
          assert.equal(await get(store, MASTER_KEY_KIND, 'current'), undefined);
          const sealed = await store.transaction((tx) => secrets.seal(tx, 'secret', KEY_AT('AKIAX')));
          assert.equal(secrets.open(sealed, KEY_AT('AKIAX')), 'secret');
          assert.equal((await get(store, MASTER_KEY_KIND, 'current'))!.doc.keyId, secrets.keyId);
        })));
  });
}
