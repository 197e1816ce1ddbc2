// `iamd accounts create [--id N]`: adds an account to iamd's store and prints its root credentials.
// It opens the same store as `iamd serve` (the data folder or IAMD_DATABASE_URL), so it works whether
// or not a server is running: SQLite and PostgreSQL both take concurrent writers.

import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { createAccount } from '../iam/index.ts';
import { openStore, storeConfigOf } from '../store/index.ts';
import { GLOBAL } from '../store/types.ts';
import { KIND } from '../iam/model.ts';
import { parseArgs, UsageError } from './args.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './io.ts';

const USAGE = `usage: iamd accounts create [--id ACCOUNT_ID] [--data-dir DIR | --database-url URL [--database-schema SCHEMA]]

Adds an account (12 digits; a random one when --id is not given) and prints its root credentials
as JSON. Accounts are fully isolated from each other.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args, { id: 'one', 'data-dir': 'one', 'database-url': 'one', 'database-schema': 'one', help: 'flag' });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`iamd accounts: ${error.message}\n${USAGE}`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (parsed.options.has('help')) {
    io.out(USAGE);
    return EXIT_OK;
  }
  if (parsed.positionals[0] !== 'create' || parsed.positionals.length !== 1) {
    io.err(USAGE);
    return EXIT_USAGE;
  }
  const id = (parsed.options.get('id') as string | undefined) ?? String(randomInt(100_000_000_000, 999_999_999_999));
  if (!/^\d{12}$/.test(id)) {
    io.err(`iamd accounts: an account id is 12 digits, got "${id}"\n`);
    return EXIT_USAGE;
  }
  const option = (name: string, env: string): string | undefined => (parsed.options.get(name) as string | undefined) ?? process.env[env];
  const store = await openStore(
    storeConfigOf({
      dataDir: resolve(option('data-dir', 'IAMD_DATA_DIR') ?? '.iamd'),
      databaseUrl: option('database-url', 'IAMD_DATABASE_URL'),
      databaseSchema: option('database-schema', 'IAMD_DATABASE_SCHEMA'),
    }),
  );
  try {
    const credentials = await store.transaction(async (tx) => {
      if (await tx.get(GLOBAL, KIND.account, id)) return undefined;
      return createAccount(tx, id);
    });
    if (!credentials) {
      io.err(`iamd accounts: account ${id} exists already\n`);
      return EXIT_FAILURE;
    }
    io.out(`${JSON.stringify({ AccountId: id, AccessKeyId: credentials.accessKeyId, SecretAccessKey: credentials.secretAccessKey }, null, 2)}\n`);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}
