// Secrets in the store: the handle domain code seals and opens them with, the store's record of the
// master key they are sealed under, the one-time sealing of what earlier versions wrote in plaintext,
// and rotation to a new master key.
//
// The record (GLOBAL entity `master-key/current`) holds the key's id and a value sealed under it. At
// start it decides: a store that has one opens only with that key — a missing or different key stops
// iamd with a message, never a wrong signature later; a store without one has never been sealed, so
// its secrets (if any: an earlier version's) are sealed and the record written, in one transaction —
// which also makes this migration run exactly once however many nodes start together. Every later
// seal checks the record in its own transaction, so a node still holding the old key after a rotation
// refuses to write a secret under it instead of mixing keys in the store.

import { GLOBAL, UniqueViolation, type Store, type Tx } from '../store/types.ts';
import { SecretBox, SealError, type Sealed, type SealContext } from './box.ts';
import { createKeyFile, nextKeyFilePath, readKeyFile, replaceKeyFile } from './key-file.ts';
import { generateMasterKey, MasterKeyError, type MasterKey } from './master-key.ts';

export const MASTER_KEY_KIND = 'master-key';
const RECORD_KEY = 'current';
const RECORD_AT: SealContext = { kind: MASTER_KEY_KIND, key: RECORD_KEY, field: 'check' };
const CHECK_TEXT = 'iamd master key check';
/** Entities re-sealed per store call: bounded reads, whatever the number of secrets. */
const PAGE = 500;

interface KeyRecord {
  keyId: string;
  check: Sealed;
  since: string;
}

type Doc = Record<string, unknown>;

/** Entities that hold secrets: their kind (in the GLOBAL account) and the fields sealed in them. */
export interface SecretHolder {
  readonly kind: string;
  readonly sealedFields: readonly string[];
  /** The same document with its secrets sealed (or hashed), as an iamd before sealing wrote it. */
  fromPlaintext(doc: Doc, seal: (field: string, plaintext: string) => Sealed): Doc;
}

/** What domain code holds: seal a secret as it is written, open it when it is needed. */
export class Secrets {
  constructor(private readonly box: SecretBox) {}

  get keyId(): string {
    return this.box.keyId;
  }

  /** Seals under this iamd's master key, once `tx` shows it is still the store's. */
  async seal(tx: Tx, plaintext: string, at: SealContext): Promise<Sealed> {
    await adoptOrCheck(tx, this.box);
    return this.box.seal(plaintext, at);
  }

  open(sealed: Sealed, at: SealContext): string {
    return this.box.open(sealed, at);
  }
}

const readRecord = async (tx: Tx): Promise<KeyRecord | undefined> => (await tx.get<KeyRecord>(GLOBAL, MASTER_KEY_KIND, RECORD_KEY))?.doc;

const recordFor = (box: SecretBox): KeyRecord => ({ keyId: box.keyId, check: box.seal(CHECK_TEXT, RECORD_AT), since: new Date().toISOString() });

function mismatch(storeKeyId: string, keyId: string, origin: string): MasterKeyError {
  return new MasterKeyError(
    `the secrets in this store are sealed under master key ${storeKeyId}, but ${origin} is master key ${keyId}: ` +
      'give iamd the key they were sealed with (every node sharing a database needs the same IAMD_MASTER_KEY)',
  );
}

/**
 * The store's key is this box's, or the store has no record (a fresh store, or one just wiped by
 * /_iamd/reset) and adopts it.
 */
async function adoptOrCheck(tx: Tx, box: SecretBox): Promise<void> {
  let record = await readRecord(tx);
  if (!record) {
    try {
      await tx.insert(GLOBAL, MASTER_KEY_KIND, RECORD_KEY, recordFor(box));
      return;
    } catch (e) {
      if (!(e instanceof UniqueViolation)) throw e;
      record = (await readRecord(tx))!;
    }
  }
  if (record.keyId !== box.keyId) throw mismatch(record.keyId, box.keyId, 'this iamd (started before a rotation?)');
}

/** Every entity of the holders' kinds, a page at a time, rewritten by `rewrite` when it returns a document. */
async function rewriteHeld(tx: Tx, holders: readonly SecretHolder[], rewrite: (holder: SecretHolder, key: string, doc: Doc) => Doc): Promise<number> {
  let count = 0;
  for (const holder of holders) {
    let after: string | undefined;
    for (;;) {
      const page = await tx.list<Doc>(GLOBAL, holder.kind, { limit: PAGE, ...(after !== undefined ? { after } : {}) });
      for (const e of page) {
        await tx.update(GLOBAL, holder.kind, e.key, rewrite(holder, e.key, e.doc), e.ref);
        count++;
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1].key;
    }
  }
  return count;
}

/** Seals what an earlier iamd stored in plaintext and records the key; once per store. */
async function sealStore(tx: Tx, box: SecretBox, holders: readonly SecretHolder[], origin: string): Promise<void> {
  const record = await readRecord(tx);
  if (record) {
    // Another node sealed it first.
    if (record.keyId !== box.keyId) throw mismatch(record.keyId, box.keyId, origin);
    return;
  }
  await rewriteHeld(tx, holders, (holder, key, doc) => holder.fromPlaintext(doc, (field, plaintext) => box.seal(plaintext, { kind: holder.kind, key, field })));
  await tx.insert(GLOBAL, MASTER_KEY_KIND, RECORD_KEY, recordFor(box));
}

export interface OpenSecretsOptions {
  /** IAMD_MASTER_KEY, when set; it wins over the key file. */
  masterKey?: MasterKey;
  /** The key file used (and created, for a store never sealed) when no master key is given. */
  keyFile: string;
  holders: readonly SecretHolder[];
}

/** The key file's key, finishing a rotation that stopped after the store was re-sealed. */
function keyFromFile(keyFile: string, storeKeyId: string | undefined): MasterKey | undefined {
  const current = readKeyFile(keyFile);
  const next = readKeyFile(nextKeyFilePath(keyFile));
  if (next && next.id === storeKeyId && current?.id !== storeKeyId) {
    replaceKeyFile(keyFile, next);
    return next;
  }
  return current;
}

/**
 * The secrets of `store`, under the master key given or kept in the key file. Fails with a
 * MasterKeyError when the store's secrets are sealed under another key or no key is at hand for them;
 * seals an earlier version's plaintext secrets on the first start.
 */
export async function openSecrets(store: Store, options: OpenSecretsOptions): Promise<Secrets> {
  const record = await store.read(readRecord);
  const origin = options.masterKey ? 'IAMD_MASTER_KEY' : `the key file ${options.keyFile}`;
  let key = options.masterKey ?? keyFromFile(options.keyFile, record?.keyId);
  if (record && !key) {
    throw new MasterKeyError(
      `the secrets in this store are sealed under master key ${record.keyId}, and no master key was given: ` +
        `set IAMD_MASTER_KEY to that key (the same on every node), or restore the key file ${options.keyFile}`,
    );
  }
  if (record && record.keyId !== key!.id) throw mismatch(record.keyId, key!.id, origin);
  key ??= createKeyFile(options.keyFile, generateMasterKey());
  const box = new SecretBox(key);
  if (record) {
    try {
      box.open(record.check, RECORD_AT);
    } catch (e) {
      if (e instanceof SealError) throw new MasterKeyError(`the store's record of master key ${record.keyId} does not open with ${origin}: ${e.message}`);
      throw e;
    }
  } else {
    await store.transaction((tx) => sealStore(tx, box, options.holders, origin));
  }
  return new Secrets(box);
}

/**
 * Re-seals every secret of the holders under `next`, and records `next` as the store's key, in one
 * transaction: afterwards the store opens with `next` only. Returns how many entities were re-sealed.
 */
export async function rotateSecrets(store: Store, holders: readonly SecretHolder[], current: MasterKey, next: MasterKey): Promise<number> {
  const from = new SecretBox(current);
  const to = new SecretBox(next);
  return store.transaction(async (tx) => {
    const record = await readRecord(tx);
    if (record && record.keyId !== from.keyId) throw mismatch(record.keyId, from.keyId, 'the current key');
    const count = await rewriteHeld(tx, holders, (holder, key, doc) => {
      const out = { ...doc };
      for (const field of holder.sealedFields) {
        const value = doc[field];
        if (typeof value !== 'string') continue;
        const at = { kind: holder.kind, key, field };
        out[field] = to.seal(from.open(value as Sealed, at), at);
      }
      return out;
    });
    const written = recordFor(to);
    if (record) await tx.update(GLOBAL, MASTER_KEY_KIND, RECORD_KEY, written);
    else await tx.insert(GLOBAL, MASTER_KEY_KIND, RECORD_KEY, written);
    return count;
  });
}
