// The master key kept in a file in the data folder, for deployments that set no IAMD_MASTER_KEY.
// Created once, readable by its owner only (0600), and never half-written: the key goes to a private
// temporary file that is then linked into place, so a process starting at the same moment finds
// either no key file or a whole one, and exactly one of them creates it.
//
// Rotation writes the new key beside it (`master.key.next`) before the store is re-sealed and puts it
// in place after; a crash in between leaves both, and the store's own record of its key tells which
// one is current (src/secrets/at-rest.ts). A `.next` that is not the store's key is a rotation that
// never committed: it is ignored, and overwritten by the next rotation.

import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { formatMasterKey, parseMasterKey, type MasterKey } from './master-key.ts';

export const KEY_FILE_NAME = 'master.key';

export const keyFilePath = (dataDir: string): string => join(dataDir, KEY_FILE_NAME);
export const nextKeyFilePath = (keyFile: string): string => `${keyFile}.next`;

/** The key in `path`, or undefined when there is no such file. */
export function readKeyFile(path: string): MasterKey | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return parseMasterKey(text, `the key file ${path}`);
}

/** Writes `key` to a new private file and flushes it to disk; fails if `path` exists. */
function writeNewFile(path: string, key: MasterKey): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, `${formatMasterKey(key)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates the key file with `key` unless another process created one first; returns the key the file
 * holds afterwards (theirs, if they won).
 */
export function createKeyFile(path: string, key: MasterKey): MasterKey {
  // With PostgreSQL nothing else may have made the data folder.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeNewFile(temporary, key);
  try {
    linkSync(temporary, path);
    syncDirectory(dirname(path));
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return readKeyFile(path)!;
  } finally {
    unlinkSync(temporary);
  }
}

/** Puts the next key beside the current one, replacing a leftover of an unfinished rotation. */
export function writeNextKeyFile(keyFile: string, key: MasterKey): void {
  const next = nextKeyFilePath(keyFile);
  removeFile(next);
  writeNewFile(next, key);
  syncDirectory(dirname(keyFile));
}

/**
 * Makes `key` the key file's key (a private file renamed over it: atomic) and drops the `.next` copy.
 * Written from the key in hand rather than by renaming `.next`, so that two processes finishing the
 * same rotation cannot lose it between them.
 */
export function replaceKeyFile(keyFile: string, key: MasterKey): void {
  const temporary = `${keyFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeNewFile(temporary, key);
  renameSync(temporary, keyFile);
  syncDirectory(dirname(keyFile));
  removeFile(nextKeyFilePath(keyFile));
}

function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
