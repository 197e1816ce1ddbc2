// A role's unexpired sessions (what holds a service-linked role's deletion) come from the role's own
// index: reading them costs what that role's live sessions cost, not what the account's every session,
// expired ones included, would. Sessions stored before the index are entered in it by migration 6.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { activeRoleSessions, ROLE_SESSION_KIND, SESSION_KIND } from '../../src/sts/sessions.ts';
import { GLOBAL } from '../../src/store/types.ts';
import { counting } from '../helpers/counting-tx.ts';
import { ACCOUNT_A as A, ACCOUNT_B as B } from '../helpers/accounts.ts';
import { atVersion, BACKENDS, insertSql } from '../store/harness.ts';

const ROLE_ARN = `arn:aws:iam::${A}:role/aws-service-role/memorydb.amazonaws.com/AWSServiceRoleForMemoryDB`;
const ROLE_ID = 'AROAROLEOFTODAY00001';
const NOW = Date.UTC(2026, 11, 3, 12);

/** A stored role session as an earlier iamd wrote it (no index entry). */
function session(key: string, account: string, role: { arn: string; id: string }, expiresAt: number, region = 'us-east-1'): string {
  const doc = {
    account, issuedAt: expiresAt - 3600_000, expiresAt, region,
    role: { roleArn: role.arn, roleId: role.id, roleName: 'AWSServiceRoleForMemoryDB', sessionName: key, expiresAt },
    secretAccessKey: { v: 1, iv: '', tag: '', data: '' }, sessionTokenHash: 'x',
  };
  return insertSql(GLOBAL, SESSION_KIND, key, doc, account);
}

for (const factory of BACKENDS) {
  describe(`role sessions' index: ${factory.label}`, () => {
    test('migration 6 enters stored role sessions; the deletion check reads only the live ones of the role', async () => {
      const backend = factory();
      try {
        const role = { arn: ROLE_ARN, id: ROLE_ID };
        const expired = Array.from({ length: 40 }, (_, i) => session(`ASIAEXPIRED${String(i).padStart(9, '0')}`, A, role, NOW - 1000 * (i + 1)));
        await atVersion(5, backend, [
          ...expired,
          session('ASIALIVE000000000001', A, role, NOW + 3600_000, 'eu-west-1'),
          // A session of an earlier role of the same name: it holds nothing.
          session('ASIAEARLIERROLE00001', A, { arn: ROLE_ARN, id: 'AROAROLEOFBEFORE0001' }, NOW + 3600_000),
          // Another account's session, under its own account.
          session('ASIAOTHERACCOUNT0001', B, { arn: ROLE_ARN.replace(A, B), id: ROLE_ID }, NOW + 3600_000),
          insertSql(GLOBAL, SESSION_KIND, 'ASIAUSERSESSION00001', { account: A, issuedAt: NOW, expiresAt: NOW + 3600_000, region: 'us-east-1', owner: { type: 'root' } }, A),
        ]);
        const store = await backend.open();
        try {
          const index = await store.read((tx) => tx.list(A, ROLE_SESSION_KIND));
          assert.equal(index.length, 42, 'every role session of the account, expired ones too, is in the index');
          assert.ok(index.every((e) => e.key.startsWith(`${ROLE_ARN} `)));
          const { live, rows } = await store.read(async (tx) => {
            const c = counting(tx);
            return { live: await activeRoleSessions(c.tx, A, role, NOW), rows: c.rows() };
          });
          assert.deepEqual(live.map((s) => s.region), ['eu-west-1']);
          // Two index entries from `now` on and their two sessions — not the 43 sessions of the account.
          assert.equal(rows, 4);
          assert.deepEqual(await store.read((tx) => activeRoleSessions(tx, A, role, NOW + 3600_000)), [], 'expired at its expiry');
        } finally {
          await store.close();
        }
      } finally {
        await backend.dispose();
      }
    });
  });
}
