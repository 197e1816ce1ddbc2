// ListRoles reads its page from the store from the marker on (pageOfEntities) instead of the whole
// list: the pages and markers must be exactly those of paginate() over every entity, whatever the
// page size and however sparse the filter (a filter that keeps few makes it read several batches).

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { pageOfEntities, paginate, type PageInput } from '../../src/iam/pagination.ts';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/types.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { rejectsApiError } from '../helpers/rejects.ts';
import { tempDir } from '../helpers/server.ts';

const KIND = 'paging-test';
const COUNT = 1200;

describe('pageOfEntities', () => {
  let store: Store;
  const dir = tempDir();
  before(async () => {
    store = await openStore({ kind: 'sqlite', dir });
    await store.transaction(async (tx) => {
      for (let i = 0; i < COUNT; i++) await tx.insert(ACCOUNT, KIND, `k${String(i).padStart(5, '0')}`, { n: i });
    });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const walk = async (size: number, keep: (doc: { n: number }) => boolean) => {
    const all = (await store.read((tx) => tx.list<{ n: number }>(ACCOUNT, KIND))).filter((e) => keep(e.doc));
    let marker: string | undefined;
    let pages = 0;
    do {
      const input: PageInput = { MaxItems: size, ...(marker ? { Marker: marker } : {}) };
      const expected = paginate(all, (e) => e.key, input);
      const got = await store.read((tx) => pageOfEntities<{ n: number }>(tx, ACCOUNT, KIND, input, { keep: (e) => keep(e.doc) }));
      assert.deepEqual(got, expected, `page ${pages} of size ${size}`);
      marker = got.Marker;
      pages++;
    } while (marker);
    return pages;
  };

  test('every page and marker as paginate() gives them, for dense and sparse filters', async () => {
    assert.equal(await walk(100, () => true), 12);
    assert.equal(await walk(1000, () => true), 2);
    assert.equal(await walk(7, (d) => d.n % 97 === 0), 2);
    // One kept at the very end: several batches are read for one page.
    assert.equal(await walk(3, (d) => d.n === COUNT - 1), 1);
    assert.equal(await walk(50, () => false), 1);
  });

  test('a marker iamd did not hand out is refused as before', async () => {
    await rejectsApiError(store.read((tx) => pageOfEntities(tx, ACCOUNT, KIND, { Marker: 'garbage' })), 'ValidationError', 'Invalid Marker.', 400);
  });
});
