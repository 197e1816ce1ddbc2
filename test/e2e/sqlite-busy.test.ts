// SQLite's side of "the database is unavailable": another process holds the write lock longer than
// iamd's busy timeout (5 s). The write waiting for it is answered 503 ServiceUnavailable — not 500 —
// reads go on meanwhile (WAL), and writes succeed again as soon as the lock is released.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CreateUserCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { SERVICE_UNAVAILABLE_MESSAGE } from '../../src/common/unavailable.ts';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite/sqlite-store.ts';
import { ROOT, spawnServer, tempDir } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';

test('a write lock held by another process beyond the busy timeout: 503 ServiceUnavailable, then writes resume', async () => {
  const dataDir = tempDir();
  const server = await spawnServer(['--data-dir', dataDir]);
  const other = new Database(join(dataDir, SQLITE_FILE_NAME));
  try {
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
    await iam.send(new CreateUserCommand({ UserName: 'before' }));
    other.exec('BEGIN IMMEDIATE');
    await rejects(iam.send(new CreateUserCommand({ UserName: 'blocked' })), 'ServiceUnavailable', SERVICE_UNAVAILABLE_MESSAGE, 503);
    assert.equal((await iam.send(new GetUserCommand({ UserName: 'before' }))).User?.UserName, 'before', 'reads are not blocked');
    other.exec('COMMIT');
    await iam.send(new CreateUserCommand({ UserName: 'after' }));
    await rejects(iam.send(new GetUserCommand({ UserName: 'blocked' })), 'NoSuchEntityException');
    assert.equal(server.process.exitCode, null);
    assert.doesNotMatch(server.output(), /request \S+ \(\w+\) failed:/, 'no request failed as a bug');
  } finally {
    other.close();
    await server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
