// The rows a read-only view has read by key. A read-only view's snapshot cannot change, and one
// request often reads an entity twice — to authorize, then to answer (GetRole) — so the second read
// needs no statement (no round trip on PostgreSQL). Rows are kept as the stored JSON text, decoded
// again for each caller, so no two callers share a document they might change.

/** A row as get() reads it: its ref and its document's text; null when there is none. */
export type StoredRow = [ref: string | null, doc: string] | null;

/** How many rows one view remembers: a request reads a handful; a long read (a report) keeps the first few. */
const LIMIT = 32;

export class SeenRows {
  private readonly rows = new Map<string, StoredRow>();

  static id(account: string, kind: string, key: string): string {
    return `${account}\0${kind}\0${key}`;
  }

  /** The row read before under `id`, or undefined when it has not been read (or was not kept). */
  get(id: string): StoredRow | undefined {
    return this.rows.get(id);
  }

  remember(id: string, row: StoredRow): void {
    if (this.rows.size < LIMIT) this.rows.set(id, row);
  }
}
