// A transaction that counts what its reads cost: the statements they ran and the rows they returned.
// Wraps a real Tx (nothing is faked): tests of "reads what it shows, however large the account" count
// through it.

import type { Tx } from '../../src/store/types.ts';

export interface CountingTx {
  tx: Tx;
  /** Read calls made through `tx` so far (each one statement, one round trip on PostgreSQL). */
  reads(): number;
  /** Rows (entities, keys, Access Advisor rows) those calls returned. */
  rows(): number;
}

const LIST_READS = ['list', 'listKeyRefs', 'listStored', 'listByRef', 'listByRefs', 'listUnder', 'listAccess'] as const;

export function counting(inner: Tx): CountingTx {
  let reads = 0;
  let rows = 0;
  const tx = Object.create(inner) as Tx;
  tx.get = async <T>(account: string, kind: string, key: string) => {
    reads++;
    const e = await inner.get<T>(account, kind, key);
    if (e) rows++;
    return e;
  };
  for (const name of LIST_READS) {
    const read = inner[name] as (...args: unknown[]) => Promise<unknown[]>;
    (tx as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      reads++;
      const found = await read.apply(inner, args);
      rows += found.length;
      return found;
    };
  }
  return { tx, reads: () => reads, rows: () => rows };
}
