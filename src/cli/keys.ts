// `iamd keys rotate`: re-seals every secret in the store under a new master key, in one transaction,
// and makes the new key the one iamd starts with. With a key file the new key (given, or generated)
// is written beside the old one before the store changes and replaces it after, so a crash at any
// point leaves a key that opens the store (src/secrets/key-file.ts). With IAMD_MASTER_KEY the new key
// must be given, and the operator sets it on every node: iamd never prints a key.

import { generateMasterKey, keyFilePath, MasterKeyError, parseMasterKey, readKeyFile, replaceKeyFile, rotateSecrets, writeNextKeyFile, type MasterKey } from '../secrets/index.ts';
import { SECRET_HOLDERS } from '../server/secrets.ts';
import { optionValue, parseArgs, UsageError } from './args.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './io.ts';
import { ConfigError, STORE_OPTIONS, STORE_USAGE, storeAccess } from './store-access.ts';

const USAGE = `usage: iamd keys rotate [--new-key KEY] ${STORE_USAGE}

Re-seals every secret in the store (access key secrets, session secrets) under a new master key, in
one transaction, and makes it the store's key. Stop every iamd using the store first.

  with IAMD_MASTER_KEY set (the current key): --new-key is required (base64 or hex of 32 bytes,
    e.g. from \`openssl rand -base64 32\`); afterwards start every node with IAMD_MASTER_KEY set to it.
  with the key file (DATA_DIR/master.key): the new key is --new-key, or a generated one, and
    replaces the key file's.
`;

function fail(io: CliIo, message: string, code: number): number {
  io.err(`iamd keys: ${message}\n`);
  return code;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args, { 'new-key': 'one', ...STORE_OPTIONS, help: 'flag' });
  } catch (error) {
    if (error instanceof UsageError) return fail(io, `${error.message}\n${USAGE}`, EXIT_USAGE);
    throw error;
  }
  if (parsed.options.has('help')) {
    io.out(USAGE);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1 || parsed.positionals[0] !== 'rotate') {
    io.err(USAGE);
    return EXIT_USAGE;
  }
  let access;
  let given: MasterKey | undefined;
  try {
    access = storeAccess(parsed);
    const text = optionValue(parsed, 'new-key');
    given = text === undefined ? undefined : parseMasterKey(text, '--new-key');
  } catch (error) {
    if (error instanceof ConfigError || error instanceof MasterKeyError) return fail(io, error.message, EXIT_USAGE);
    throw error;
  }
  const fromEnv = access.masterKey;
  if (fromEnv && !given) {
    return fail(io, 'IAMD_MASTER_KEY is set: give the new key with --new-key (make one with: openssl rand -base64 32)', EXIT_USAGE);
  }

  const store = await access.open();
  try {
    try {
      // Checks the current key against the store (and seals an older version's plaintext first).
      await access.secrets(store);
    } catch (error) {
      if (error instanceof MasterKeyError) return fail(io, error.message, EXIT_FAILURE);
      throw error;
    }
    const keyFile = keyFilePath(access.dataDir);
    const current = fromEnv ?? readKeyFile(keyFile)!;
    const next = given ?? generateMasterKey();
    if (next.id === current.id) return fail(io, `the new key is the current key (${current.id})`, EXIT_USAGE);

    // Kept even if the rotation fails: an error after a commit the client never heard of must not
    // lose the key the store is now sealed under. Unused, it is ignored; the next start finds it if
    // the store does turn out to be sealed under it.
    if (!fromEnv) writeNextKeyFile(keyFile, next);
    const count = await rotateSecrets(store, SECRET_HOLDERS, current, next);
    if (fromEnv) {
      io.out(`re-sealed ${count} secrets under master key ${next.id} (was ${current.id}); start every node with IAMD_MASTER_KEY set to the new key\n`);
    } else {
      replaceKeyFile(keyFile, next);
      io.out(`re-sealed ${count} secrets under master key ${next.id} (was ${current.id}); ${keyFile} holds the new key\n`);
    }
    return EXIT_OK;
  } finally {
    await store.close();
  }
}
