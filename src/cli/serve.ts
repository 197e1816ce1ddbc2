// `iamd serve`: start the server in the foreground until SIGINT/SIGTERM.

import { ConfigError, CONFIG_HELP, loadConfig } from '../server/config.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './io.ts';

export async function run(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`usage: iamd serve [options]\n\noptions (and the environment variables they override):\n${CONFIG_HELP}\n`);
    return EXIT_OK;
  }
  let config;
  try {
    config = loadConfig(args);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`iamd serve: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  const { startIamd } = await import('../server/app.ts');
  let iamd;
  try {
    iamd = await startIamd(config, { log: (line) => io.err(`${line}\n`) });
  } catch (error) {
    io.err(`iamd serve: cannot start: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  io.out(`iamd listening on ${iamd.url} (account ${config.accountId}, ${iamd.storeDescription})\n`);
  if (config.defaultRootCredentials) {
    io.out(`root credentials of account ${config.accountId}: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test (loopback default)\n`);
  }
  io.out(`try: AWS_ENDPOINT_URL=${iamd.url} AWS_ACCESS_KEY_ID=${config.rootAccessKeyId} AWS_SECRET_ACCESS_KEY=… aws iam list-roles\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await iamd.close();
  return EXIT_OK;
}
