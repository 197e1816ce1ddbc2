// Expired sessions are purged (src/sts/session-purge.ts), so the store does not grow with every session
// ever issued, and a purged session's token still answers as AWS's do: ExpiredToken, because it carries
// its expiry under a MAC (src/sts/token-stamp.ts); a token iamd did not stamp for that key answers
// InvalidClientTokenId. Sessions stored before the expiry index are entered in it by migration 8.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { describe, test } from 'node:test';
import { GetAccessKeyInfoCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { ListRolesCommand } from '@aws-sdk/client-iam';
import { storeSecrets } from '../../src/server/secrets.ts';
import { openStore, storeConfigOf } from '../../src/store/index.ts';
import { GLOBAL } from '../../src/store/types.ts';
import { SESSION_RETENTION_MS } from '../../src/sts/session-purge.ts';
import { issueSession, purgeExpiredSessions, ROLE_SESSION_KIND, saveSession, SESSION_EXPIRY_KIND, SESSION_KIND } from '../../src/sts/sessions.ts';
import { ACCOUNT, ACCOUNT_A as A } from '../helpers/accounts.ts';
import { eventually } from '../helpers/eventually.ts';
import { rejects } from '../helpers/rejects.ts';
import { startServer, tempDir } from '../helpers/server.ts';
import { atVersion, BACKENDS, insertSql } from '../store/harness.ts';

const NOW = Date.UTC(2026, 11, 3, 12);
const HOUR = 3600_000;
const ROLE_ARN = `arn:aws:iam::${A}:role/app`;
const pad13 = (ms: number) => String(ms).padStart(13, '0');

/** A stored session as iamd before the expiry index wrote it, and its role index entry (at `indexedAt`). */
function stored(key: string, expiresAt: number, options: { role?: boolean; indexedAt?: number } = {}): string[] {
  const doc = {
    account: A, issuedAt: expiresAt - HOUR, expiresAt, region: 'us-east-1',
    ...(options.role ? { role: { roleArn: ROLE_ARN, roleId: 'AROAAPPROLE000000001', roleName: 'app', sessionName: key, expiresAt } } : { owner: { type: 'root' } }),
    secretAccessKey: { v: 1, iv: '', tag: '', data: '' }, sessionTokenHash: 'x',
  };
  const rows = [insertSql(GLOBAL, SESSION_KIND, key, doc, A)];
  if (options.role) rows.push(insertSql(A, ROLE_SESSION_KIND, `${ROLE_ARN} ${pad13(options.indexedAt ?? expiresAt)} ${key}`, {}));
  return rows;
}

for (const factory of BACKENDS) {
  describe(`expired sessions' purge: ${factory.label}`, () => {
    test('migration 8 enters stored sessions in the expiry index; the purge takes the expired ones a page at a time, with their entries', async () => {
      const backend = factory();
      try {
        await atVersion(7, backend, [
          ...stored('ASIAEXPIREDROLE00001', NOW - 2 * HOUR, { role: true }),
          // Ended early (endSession): its record says it expired 3 hours ago, its role index its first expiry.
          ...stored('ASIAENDEDROLE0000001', NOW - 3 * HOUR, { role: true, indexedAt: NOW + HOUR }),
          ...stored('ASIALIVEROLE00000001', NOW + HOUR, { role: true }),
          ...stored('ASIAEXPIREDROOT00001', NOW - 2 * HOUR),
          ...stored('ASIALIVEROOT00000001', NOW + HOUR),
        ]);
        const store = await backend.open();
        try {
          const index = await store.read((tx) => tx.listKeyRefs(GLOBAL, SESSION_EXPIRY_KIND));
          const role = (key: string, at: number) => `${A} ${ROLE_ARN} ${pad13(at)} ${key}`;
          assert.deepEqual(index, [
            { key: `${pad13(NOW - 3 * HOUR)} ASIAENDEDROLE0000001`, ref: role('ASIAENDEDROLE0000001', NOW + HOUR) },
            { key: `${pad13(NOW - 2 * HOUR)} ASIAEXPIREDROLE00001`, ref: role('ASIAEXPIREDROLE00001', NOW - 2 * HOUR) },
            { key: `${pad13(NOW - 2 * HOUR)} ASIAEXPIREDROOT00001`, ref: null },
            { key: `${pad13(NOW + HOUR)} ASIALIVEROLE00000001`, ref: role('ASIALIVEROLE00000001', NOW + HOUR) },
            { key: `${pad13(NOW + HOUR)} ASIALIVEROOT00000001`, ref: null },
          ]);

          assert.equal(await store.transaction((tx) => purgeExpiredSessions(tx, NOW, 2)), 2, 'a page of 2');
          assert.equal(await store.transaction((tx) => purgeExpiredSessions(tx, NOW, 10)), 1, 'the rest');
          assert.equal(await store.transaction((tx) => purgeExpiredSessions(tx, NOW, 10)), 0);
          await store.read(async (tx) => {
            assert.deepEqual((await tx.listKeyRefs(GLOBAL, SESSION_KIND)).map((e) => e.key), ['ASIALIVEROLE00000001', 'ASIALIVEROOT00000001']);
            assert.deepEqual((await tx.listKeyRefs(A, ROLE_SESSION_KIND)).map((e) => e.key), [`${ROLE_ARN} ${pad13(NOW + HOUR)} ASIALIVEROLE00000001`]);
            assert.equal((await tx.listKeyRefs(GLOBAL, SESSION_EXPIRY_KIND)).length, 2);
          });
          assert.equal(await store.transaction((tx) => purgeExpiredSessions(tx, NOW + HOUR, 10)), 0, 'a session expiring at the cutoff is not before it');
        } finally {
          await store.close();
        }
      } finally {
        await backend.dispose();
      }
    });
  });
}

describe('a purged session over the SDK', () => {
  test('its token answers ExpiredToken and its key its account; other tokens are invalid; live sessions stay', async () => {
    // Sessions as iamd issues them, expired beyond the retention, stored before the server starts: its
    // start schedules the purge to run at once.
    const dataDir = tempDir();
    const store = await openStore(storeConfigOf({ dataDir }));
    const secrets = await storeSecrets(store, { dataDir });
    const expiresAt = Date.now() - SESSION_RETENTION_MS - 60_000;
    const issuedAt = expiresAt - HOUR;
    const legacyToken = `legacy-${randomBytes(24).toString('base64')}`;
    const issued = await store.transaction(async (tx) => {
      const role = await issueSession(tx, secrets, {
        account: ACCOUNT, issuedAt, expiresAt, region: 'eu-west-1',
        role: { roleArn: `arn:aws:iam::${ACCOUNT}:role/gone`, roleName: 'gone', roleId: 'AROAGONEROLE00000001', sessionName: 's', issuedAt, expiresAt, sessionPolicies: [], tags: {} },
      });
      const root = await issueSession(tx, secrets, { account: ACCOUNT, issuedAt, expiresAt, region: 'us-east-1', owner: { type: 'root' } });
      // A token issued before stamps: nothing in it says what it was once its session is gone.
      const legacy = { accessKeyId: 'ASIALEGACYSESSION001', secretAccessKey: randomBytes(30).toString('base64'), sessionToken: legacyToken };
      await saveSession(tx, secrets, legacy.accessKeyId, { ...legacy, account: ACCOUNT, issuedAt, expiresAt, region: 'us-east-1', owner: { type: 'root' } });
      return { role, root, legacy };
    });
    await store.close();

    const server = await startServer(['--data-dir', dataDir]);
    try {
      const live = (await server.sts().send(new GetSessionTokenCommand({}))).Credentials!;
      const liveCredentials = { accessKeyId: live.AccessKeyId!, secretAccessKey: live.SecretAccessKey!, sessionToken: live.SessionToken! };
      await eventually(
        'the purge of the expired sessions',
        () => server.iamd.store.read((tx) => tx.listKeyRefs(GLOBAL, SESSION_KIND)),
        (sessions) => sessions.length === 1,
      );
      await server.iamd.store.read(async (tx) => {
        assert.deepEqual((await tx.listKeyRefs(GLOBAL, SESSION_KIND)).map((e) => e.key), [live.AccessKeyId], 'the live session stays');
        assert.equal((await tx.listKeyRefs(GLOBAL, SESSION_EXPIRY_KIND)).length, 1);
        assert.deepEqual(await tx.listKeyRefs(ACCOUNT, ROLE_SESSION_KIND), [], "the role session's index entry went with it");
      });

      const expired = 'The security token included in the request is expired';
      const invalid = 'The security token included in the request is invalid.';
      for (const credentials of [issued.role, issued.root]) {
        await rejects(server.sts(credentials).send(new GetCallerIdentityCommand({})), 'ExpiredToken', expired, 403);
        await rejects(server.iam(credentials).send(new ListRolesCommand({})), 'ExpiredToken', expired, 403);
      }
      await rejects(server.sts(issued.legacy).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', invalid, 403);
      // A stamp holds only for its own key id and its own bytes.
      await rejects(server.sts({ ...issued.root, sessionToken: issued.role.sessionToken }).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', invalid, 403);
      const altered = issued.role.sessionToken.slice(0, 40) + (issued.role.sessionToken[40] === 'A' ? 'B' : 'A') + issued.role.sessionToken.slice(41);
      await rejects(server.sts({ ...issued.role, sessionToken: altered }).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', invalid, 403);

      // The key id carries its account, as AWS's do: GetAccessKeyInfo answers after the purge.
      for (const { accessKeyId } of [issued.role, issued.root]) {
        assert.equal((await server.sts().send(new GetAccessKeyInfoCommand({ AccessKeyId: accessKeyId }))).Account, ACCOUNT);
      }
      // The control: the live session signs.
      assert.equal((await server.sts(liveCredentials).send(new GetCallerIdentityCommand({}))).Account, ACCOUNT);
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
