// `iamd accounts create [--id N]`: adds an account to iamd's store and prints its root credentials.
// It opens the same store as `iamd serve` (the data folder or IAMD_DATABASE_URL), so it works whether
// or not a server is running: SQLite and PostgreSQL both take concurrent writers.

import { randomInt } from 'node:crypto';
import { createAccount } from '../iam/index.ts';
import { MasterKeyError } from '../secrets/index.ts';
import { GLOBAL } from '../store/types.ts';
import { KIND } from '../iam/model.ts';
import { parseArgs, UsageError } from './args.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './io.ts';
import { STORE_OPTIONS, STORE_USAGE, storeAccessOrTell } from './store-access.ts';

const USAGE = `usage: iamd accounts create [--id ACCOUNT_ID] ${STORE_USAGE}

Adds an account (12 digits; a random one when --id is not given) and prints its root credentials
as JSON. Accounts are fully isolated from each other. The store is the one \`iamd serve\` uses, with
the same master key (IAMD_MASTER_KEY, or the key file in the data folder).
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args, { id: 'one', ...STORE_OPTIONS, help: 'flag' });
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
  const access = storeAccessOrTell(parsed, io, 'accounts');
  if (!access) return EXIT_USAGE;
  const store = await access.open();
  try {
    let secrets;
    try {
      secrets = await access.secrets(store);
    } catch (error) {
      if (!(error instanceof MasterKeyError)) throw error;
      io.err(`iamd accounts: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    const credentials = await store.transaction(async (tx) => {
      if (await tx.get(GLOBAL, KIND.account, id)) return undefined;
      return createAccount(tx, secrets, id);
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
