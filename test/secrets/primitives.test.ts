// The secrets module's parts on their own: master keys as IAMD_MASTER_KEY gives them (and the errors,
// which never repeat the key), the key file (private, created once however many processes race for
// it), sealing (round trip, bound to where the value lives, refused under another key or when
// altered), session token checks, and scrypt password hashes.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { SecretBox, SealError, type Sealed } from '../../src/secrets/box.ts';
import { createKeyFile, keyFilePath, nextKeyFilePath, readKeyFile, replaceKeyFile, writeNextKeyFile } from '../../src/secrets/key-file.ts';
import { formatMasterKey, generateMasterKey, MasterKeyError, parseMasterKey } from '../../src/secrets/master-key.ts';
import { hashPassword, verifyPassword } from '../../src/secrets/password.ts';
import { SessionTokenCheck, tokenDigest } from '../../src/secrets/token.ts';
import { tempDir } from '../helpers/server.ts';

const AT = { kind: 'access-key', key: 'AKIAEXAMPLE', field: 'SecretAccessKey' };

describe('master keys', () => {
  test('64 hex digits, base64 and URL-safe base64 of 32 bytes are the same key, with one id', () => {
    const bytes = randomBytes(32);
    const keys = [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64url'), ` ${bytes.toString('base64')}\n`]
      .map((text) => parseMasterKey(text, 'IAMD_MASTER_KEY'));
    for (const key of keys) {
      assert.deepEqual(key.bytes, bytes);
      assert.equal(key.id, keys[0].id);
    }
    assert.match(keys[0].id, /^[0-9a-f]{16}$/);
    assert.notEqual(generateMasterKey().id, keys[0].id);
    assert.equal(parseMasterKey(formatMasterKey(keys[0]), 'x').id, keys[0].id);
  });

  test('anything else is refused, without repeating what was given', () => {
    const tooShort = randomBytes(16).toString('base64');
    for (const text of ['', 'secret', tooShort, randomBytes(33).toString('base64'), randomBytes(31).toString('hex'), `${randomBytes(32).toString('hex')}zz`]) {
      assert.throws(() => parseMasterKey(text, 'IAMD_MASTER_KEY'), (e: unknown) => {
        assert.ok(e instanceof MasterKeyError);
        assert.match(e.message, /^IAMD_MASTER_KEY must be 32 bytes written as base64 \(44 characters\) or hex \(64 characters\), got \d+ characters/);
        if (text.length > 3) assert.equal(e.message.includes(text), false);
        return true;
      });
    }
  });
});

describe('the key file', () => {
  test('is created once, readable by its owner only; whoever comes later gets the key already there', () => {
    const dir = tempDir();
    try {
      const path = keyFilePath(dir);
      assert.equal(readKeyFile(path), undefined);
      const candidates = Array.from({ length: 5 }, () => generateMasterKey());
      const held = candidates.map((key) => createKeyFile(path, key));
      assert.ok(held.every((key) => key.id === candidates[0].id));
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.equal(readKeyFile(path)!.id, candidates[0].id);
      // No temporary file is left behind.
      assert.deepEqual(readdirSync(dir), ['master.key']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('rotation: the next key waits beside the current one, then replaces it', () => {
    const dir = tempDir();
    try {
      const path = keyFilePath(dir);
      const current = createKeyFile(path, generateMasterKey());
      const next = generateMasterKey();
      writeNextKeyFile(path, generateMasterKey());
      writeNextKeyFile(path, next); // a leftover .next is replaced
      assert.equal(readKeyFile(path)!.id, current.id);
      assert.equal(readKeyFile(nextKeyFilePath(path))!.id, next.id);
      assert.equal(statSync(nextKeyFilePath(path)).mode & 0o777, 0o600);
      replaceKeyFile(path, next);
      assert.equal(readKeyFile(path)!.id, next.id);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.equal(existsSync(nextKeyFilePath(path)), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a damaged key file is an error naming the file, not a new key', () => {
    const dir = tempDir();
    try {
      const path = keyFilePath(dir);
      writeFileSync(path, 'not a key\n', { mode: 0o600 });
      assert.throws(() => readKeyFile(path), { name: 'MasterKeyError', message: new RegExp(`^the key file ${path} must be 32 bytes`) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});



describe('sealing', () => {
  const key = generateMasterKey();
  const box = new SecretBox(key);

  test('opens to what was sealed; every seal differs; the text names format and key, never the secret', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const a = box.seal(secret, AT);
    const b = box.seal(secret, AT);
    assert.notEqual(a, b);
    assert.match(a, new RegExp(`^v1:${key.id}:[A-Za-z0-9_-]+$`));
    assert.equal(a.includes(secret), false);
    assert.equal(Buffer.from(a.split(':')[2], 'base64url').includes(Buffer.from(secret)), false);
    assert.equal(box.open(a, AT), secret);
    assert.equal(box.open(box.seal('', AT), AT), '');
    assert.equal(box.open(box.seal('ünïcödé ✓', AT), AT), 'ünïcödé ✓');
  });

  test('a value moved to another record or field does not open there', () => {
    const sealed = box.seal('secret', AT);
    for (const at of [{ ...AT, key: 'AKIAOTHER' }, { ...AT, field: 'Other' }, { ...AT, kind: 'sts-session' }]) {
      assert.throws(() => box.open(sealed, at), { name: 'SealError', message: `${at.kind} ${at.key} (${at.field}) does not open: altered, or moved from another record` });
    }
  });

  test('another master key is named, not tried; altered or foreign text is refused', () => {
    const other = new SecretBox(generateMasterKey());
    const sealed = other.seal('secret', AT);
    assert.throws(() => box.open(sealed, AT), {
      name: 'SealError',
      message: `access-key AKIAEXAMPLE (SecretAccessKey) is sealed under master key ${other.keyId}, but this iamd holds master key ${key.id}`,
    });
    const mine = box.seal('secret', AT);
    const body = Buffer.from(mine.split(':')[2], 'base64url');
    body[body.length - 20] ^= 1;
    const altered = `v1:${key.id}:${body.toString('base64url')}` as Sealed;
    assert.throws(() => box.open(altered, AT), SealError);
    assert.throws(() => box.open('plaintext-secret' as Sealed, AT), { name: 'SealError', message: 'access-key AKIAEXAMPLE (SecretAccessKey) holds no sealed value' });
    assert.throws(() => box.open(`v1:${key.id}:AAAA` as Sealed, AT), { message: 'access-key AKIAEXAMPLE (SecretAccessKey) is not a whole sealed value' });
  });
});

describe('session tokens', () => {
  test('only the digest is kept; the check accepts the token and nothing else, before and after a first match', () => {
    const token = `IQoJb3JpZ2luX2VjE${randomBytes(96).toString('base64')}`;
    const digest = tokenDigest(token);
    assert.equal(digest.includes(token.slice(0, 20)), false);
    assert.match(digest, /^[A-Za-z0-9_-]{43}$/);
    const check = new SessionTokenCheck(digest);
    assert.equal(check.matches(`${token}x`), false);
    assert.equal(check.matches(''), false);
    assert.equal(check.matches(token), true);
    assert.equal(check.matches(token), true);
    assert.equal(check.matches(token.slice(0, -1)), false);
    assert.equal(check.matches(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`), false);
    assert.equal(new SessionTokenCheck(tokenDigest('other')).matches(token), false);
  });
});

describe('passwords', () => {
  test('a salted scrypt hash in PHC form, verified only by the same password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    assert.match(hash, /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.equal(hash.includes('correct horse'), false);
    assert.notEqual(await hashPassword('correct horse battery staple'), hash);
    assert.equal(await verifyPassword('correct horse battery staple', hash), true);
    assert.equal(await verifyPassword('correct horse battery stapl', hash), false);
    assert.equal(await verifyPassword('', hash), false);
  });

  test('composed and decomposed accents are the same password', async () => {
    const hash = await hashPassword('caf\u00e9-Passw0rd');
    assert.equal(await verifyPassword('cafe\u0301-Passw0rd', hash), true);
  });

  test('anything that is not such a hash, or asks for an unbounded cost, verifies nothing', async () => {
    const hash = await hashPassword('pw');
    for (const stored of ['', 'pw', hash.replace('ln=15', 'ln=30'), hash.replace('$scrypt$', '$argon2id$'), hash.slice(0, -30)]) {
      assert.equal(await verifyPassword('pw', stored), false, stored);
    }
  });
});
