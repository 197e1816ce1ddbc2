// `iamd serve`: start the server in the foreground until SIGINT/SIGTERM.

import cluster from 'node:cluster';
import { ConfigError, CONFIG_HELP, loadConfig, type ServerConfig } from '../server/config.ts';
import type { TlsMaterial } from '../server/tls.ts';
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
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config, io);
  const { startIamd } = await import('../server/app.ts');
  let iamd;
  try {
    iamd = await startIamd(config, { log: (line) => io.err(`${line}\n`) });
  } catch (error) {
    io.err(`iamd serve: cannot start: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  if (cluster.isWorker) {
    // The primary announces the address once every worker listens. A worker stops with the primary:
    // on its signal, or when the primary is gone (the IPC channel closes).
    process.send?.({ listening: iamd.url, store: iamd.storeDescription, console: iamd.consoleUrl });
    await Promise.race([untilSignal(), new Promise<void>((resolve) => process.once('disconnect', () => resolve()))]);
    await iamd.close();
    // The IPC channel would keep this process alive after everything else has closed.
    if (process.connected) process.disconnect();
    return EXIT_OK;
  }
  announce(io, config, iamd.url, iamd.storeDescription, iamd.tls, iamd.consoleUrl);
  await untilSignal();
  await iamd.close();
  return EXIT_OK;
}

function announce(io: CliIo, config: ServerConfig, url: string, store: string, tls: Omit<TlsMaterial, 'key'> | undefined, consoleUrl: string): void {
  const workers = config.workers > 1 ? `, ${config.workers} workers` : '';
  // One write, so that whoever waits for the first line finds the rest with it.
  const lines = [`iamd listening on ${url} (account ${config.accountId}, ${store}${workers})`];
  if (config.defaultRootCredentials) {
    lines.push(`root credentials of account ${config.accountId}: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test (loopback default)`);
  }
  if (tls?.selfSigned) {
    lines.push(
      `TLS: self-signed certificate ${tls.certFile} (${tls.selfSigned.created ? 'made now' : 'kept from an earlier start'}), SHA-256 ${tls.fingerprint}`,
      `trust it: export AWS_CA_BUNDLE=${tls.certFile}   (the AWS CLI, boto3)`,
      `          export NODE_EXTRA_CA_CERTS=${tls.certFile}   (the AWS SDK for JavaScript)`,
    );
  }
  lines.push(`web console: ${consoleUrl}`);
  lines.push(`try: AWS_ENDPOINT_URL=${url} AWS_ACCESS_KEY_ID=${config.rootAccessKeyId} AWS_SECRET_ACCESS_KEY=… aws iam list-roles`);
  io.out(`${lines.join('\n')}\n`);
}

function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/**
 * Several server processes on one port (node:cluster hands connections out in turn). They share all
 * state through the store; each process's caches are checked against the store's generations, and
 * background jobs are leased, so no job runs twice.
 */
async function runPrimary(config: ServerConfig, io: CliIo): Promise<number> {
  // A self-signed certificate is made here, once, before the workers start: each of them then finds it
  // and serves the same one.
  let tls: TlsMaterial | undefined;
  if (config.tls) {
    const { loadTls } = await import('../server/tls.ts');
    try {
      tls = await loadTls(config.tls, config.host);
    } catch (error) {
      io.err(`iamd serve: cannot start: ${(error as Error).message}\n`);
      return EXIT_FAILURE;
    }
  }
  const forked = Array.from({ length: config.workers }, () => cluster.fork());
  let ready = 0;
  const started = new Promise<{ listening: string; store: string; console: string }>((resolve, reject) => {
    for (const worker of forked) {
      worker.on('message', (message: { listening?: string; store?: string; console?: string }) => {
        if (message.listening && ++ready === forked.length) resolve({ listening: message.listening, store: message.store ?? '', console: message.console ?? '' });
      });
      worker.once('exit', (code) => reject(new Error(`a worker exited with code ${code} while starting`)));
    }
  });
  let address;
  try {
    address = await started;
  } catch (error) {
    io.err(`iamd serve: cannot start: ${(error as Error).message}\n`);
    for (const worker of forked) worker.kill();
    return EXIT_FAILURE;
  }
  announce(io, config, address.listening, address.store, tls, address.console);
  await untilSignal();
  await Promise.all(
    forked.map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          worker.once('exit', () => resolve());
          worker.kill('SIGTERM');
        }),
    ),
  );
  return EXIT_OK;
}
