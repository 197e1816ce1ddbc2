// The usage recorder on a real SQLite store: uses under one key coalesce into the latest, a repeat
// within a minute is not written again, a later one is, and a batch the store refused is written by the
// next flush without moving a newer use back.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccessUse } from '../../src/store/types.ts';
import { ACCESS_USAGE, accessUseKey } from '../../src/iam/index.ts';
import { UsageRecorder } from '../../src/server/usage-recorder.ts';
import { ACCOUNT_A as A } from '../helpers/accounts.ts';
import { sqliteBackend, withStore } from '../store/harness.ts';

const use = (action: string, lastUsed: number): AccessUse =>
  ({ account: A, principalId: 'AIDAEXAMPLE', principalArn: `arn:aws:iam::${A}:user/u`, namespace: 'iam', action, region: 'us-east-1', lastUsed });

const NEVER = 3_600_000; // no timer flush during the test: every flush is the test's own

test('uses coalesce, repeats within a minute are skipped, a refused batch is kept for the next flush', () =>
  withStore(sqliteBackend, async (store) => {
    const rows = () => store.read((tx) => tx.listAccess(A)).then((r) => r.map((u) => [u.action, u.lastUsed]));
    let refuse = false;
    const recorder = new UsageRecorder(store, {
      ...ACCESS_USAGE,
      write: (tx, batch) => (refuse ? Promise.reject(new Error('store down')) : ACCESS_USAGE.write(tx, batch)),
    }, () => {}, NEVER);
    try {
      const note = (u: AccessUse) => recorder.note(accessUseKey(u), u);
      note(use('GetUser', 1_000));
      note(use('GetUser', 30_000)); // within a minute of the recorded one: nothing new to write
      note(use('ListUsers', 2_000));
      await recorder.flush();
      assert.deepEqual(await rows(), [['GetUser', 1_000], ['ListUsers', 2_000]]);

      refuse = true;
      note(use('GetUser', 70_000));
      await recorder.flush();
      assert.deepEqual(await rows(), [['GetUser', 1_000], ['ListUsers', 2_000]], 'nothing written while the store refuses');
      refuse = false;
      await recorder.flush();
      assert.deepEqual(await rows(), [['GetUser', 70_000], ['ListUsers', 2_000]], 'the refused batch is written by the next flush');
    } finally {
      await recorder.close();
    }
  }));
