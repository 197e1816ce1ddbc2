// The dispatcher's record of calls made inside another call's transaction: kept when that transaction
// commits, dropped when it rolls back (what the nested call wrote is gone), except the nested call's
// own refusals, which did happen.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { CallRecord } from '../../src/audit/types.ts';
import { Authorizer } from '../../src/authz/authorizer.ts';
import type { Operation } from '../../src/common/call.ts';
import { ApiError } from '../../src/common/errors.ts';
import { Dispatcher } from '../../src/dispatch/dispatcher.ts';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/types.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { callContext, rootCaller } from '../helpers/callers.ts';
import { tempDir } from '../helpers/server.ts';

let store: Store;
let dir: string;
const recorded: CallRecord[] = [];
let dispatcher: Dispatcher;

const ctx = () => callContext(rootCaller());

function op(name: string, handle: Operation['handle']): Operation {
  return { service: 'test', name, authorize: () => [], handle };
}

before(async () => {
  dir = tempDir();
  store = await openStore({ kind: 'sqlite', dir });
  dispatcher = new Dispatcher(store, new Authorizer(async () => undefined), { record: (call) => recorded.push(call) });
  dispatcher.register([
    op('Inner', async (input, _ctx, tx) => {
      if (input.refuse) throw new ApiError('AccessDenied', 'refused', 403);
      await tx.insert(ACCOUNT, 'test-thing', String(input.key), {});
    }),
    op('Outer', async (input, c, tx) => {
      await dispatcher.callInTx('test', 'Inner', { key: input.key, refuse: input.refuseInner }, c, tx).catch((e) => {
        if (!input.swallow) throw e;
      });
      if (input.fail) throw new ApiError('Boom', 'outer failed', 400);
      return {};
    }),
  ]);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const names = () => recorded.splice(0).map((r) => `${r.operation}:${r.error ? 'error' : 'ok'}`);

test('a nested call is recorded, before its outer call, when the outer transaction commits', async () => {
  await dispatcher.call('test', 'Outer', { key: 'a' }, ctx());
  assert.deepEqual(names(), ['Inner:ok', 'Outer:ok']);
});

test('a nested call whose writes were rolled back leaves no event of success', async () => {
  await assert.rejects(dispatcher.call('test', 'Outer', { key: 'b', fail: true }, ctx()), { code: 'Boom' });
  assert.deepEqual(names(), ['Outer:error']);
  assert.equal(await store.read((tx) => tx.get(ACCOUNT, 'test-thing', 'b')), undefined);
});

test('a nested refusal is recorded even though the outer transaction rolled back', async () => {
  await assert.rejects(dispatcher.call('test', 'Outer', { key: 'c', refuseInner: true }, ctx()), { code: 'AccessDenied' });
  assert.deepEqual(names(), ['Inner:error', 'Outer:error']);
});

test('a call outside any other call is recorded at once', async () => {
  await store.transaction((tx) => dispatcher.callInTx('test', 'Inner', { key: 'd' }, ctx(), tx));
  assert.deepEqual(names(), ['Inner:ok']);
});
