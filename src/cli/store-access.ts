// How the commands that work on iamd's store without a server (`iamd accounts`, `iamd keys`) find it
// and its secrets: the same data folder, database and master key `iamd serve` would use, from the
// same flags and environment variables.

import { resolve } from 'node:path';
import { ConfigError, masterKeyFromEnv } from '../server/config.ts';
import { storeSecrets } from '../server/secrets.ts';
import type { MasterKey, Secrets } from '../secrets/index.ts';
import { openStore, storeConfigOf } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import { optionValue, type OptionSpec, type ParsedArgs } from './args.ts';
import type { CliIo } from './io.ts';

export const STORE_OPTIONS: OptionSpec = { 'data-dir': 'one', 'database-url': 'one', 'database-schema': 'one' };

export const STORE_USAGE = '[--data-dir DIR | --database-url URL [--database-schema NAME]]';

export interface StoreAccess {
  dataDir: string;
  /** IAMD_MASTER_KEY, when set. */
  masterKey?: MasterKey;
  open(): Promise<Store>;
  secrets(store: Store): Promise<Secrets>;
}

/** Throws ConfigError for a malformed IAMD_MASTER_KEY. */
export function storeAccess(args: ParsedArgs, env: Record<string, string | undefined> = process.env): StoreAccess {
  const dataDir = resolve(optionValue(args, 'data-dir') ?? env.IAMD_DATA_DIR ?? '.iamd');
  const config = storeConfigOf({
    dataDir,
    databaseUrl: optionValue(args, 'database-url') ?? env.IAMD_DATABASE_URL,
    databaseSchema: optionValue(args, 'database-schema') ?? env.IAMD_DATABASE_SCHEMA,
  });
  const masterKey = masterKeyFromEnv(env);
  return {
    dataDir,
    ...(masterKey ? { masterKey } : {}),
    open: () => openStore(config),
    secrets: (store) => storeSecrets(store, { dataDir, ...(masterKey ? { masterKey } : {}) }),
  };
}

export { ConfigError };

/** storeAccess for the command `name`, or undefined once the bad option is told on stderr (exit 2 follows). */
export function storeAccessOrTell(args: ParsedArgs, io: CliIo, name: string): StoreAccess | undefined {
  try {
    return storeAccess(args);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`iamd ${name}: ${error.message}\n`);
    return undefined;
  }
}
