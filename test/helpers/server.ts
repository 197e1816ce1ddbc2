// Starts a real iamd for a test: in this process on a random port with a fresh SQLite folder, or as
// a child process (for crash tests and the CLI). Clients are the real AWS SDK clients, pointed at it.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { loadConfig } from '../../src/server/config.ts';
import { startIamd, type Iamd } from '../../src/server/app.ts';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const ROOT: Credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface TestServer {
  iamd: Iamd;
  url: string;
  dataDir: string;
  iam(credentials?: Credentials, region?: string): IAMClient;
  sts(credentials?: Credentials, region?: string): STSClient;
  /** Any SDK v3 client constructor, configured for this server. */
  client<C>(Client: new (config: ClientConfig) => C, credentials?: Credentials, region?: string): C;
  close(): Promise<void>;
}

export interface ClientConfig {
  endpoint: string;
  region: string;
  credentials: Credentials;
  maxAttempts: number;
  /** Over HTTPS: an agent that trusts the server's certificate (and nothing else). */
  requestHandler?: { httpsAgent: Agent };
}

/** SDK client options that make a client trust `cert` (PEM) as the only certificate authority. */
export const trusting = (cert: string): { requestHandler: { httpsAgent: Agent } } => ({ requestHandler: { httpsAgent: new Agent({ ca: cert }) } });

export function tempDir(prefix = 'iamd-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A service catalog file (for --service-catalog) holding `entries`, in a folder of its own. */
export function serviceCatalogFile(entries: object[]): string {
  const file = join(tempDir('iamd-catalog-'), 'services.json');
  writeFileSync(file, JSON.stringify(entries));
  return file;
}

/** Starts iamd in-process; `args` and `env` are iamd's own flags and variables. */
export async function startServer(args: string[] = [], env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = tempDir();
  const config = loadConfig(['--port', '0', '--data-dir', dataDir, '--job-delay-ms', '0', ...args], { ...env });
  const iamd = await startIamd(config, { log: () => {} });
  const clientConfig = (credentials: Credentials = ROOT, region = 'us-east-1'): ClientConfig => ({
    endpoint: iamd.url,
    region,
    credentials,
    maxAttempts: 1,
    ...(iamd.tls ? trusting(iamd.tls.cert) : {}),
  });
  return {
    iamd,
    url: iamd.url,
    dataDir,
    iam: (credentials, region) => new IAMClient(clientConfig(credentials, region)),
    sts: (credentials, region) => new STSClient(clientConfig(credentials, region)),
    client: (Client, credentials, region) => new Client(clientConfig(credentials, region)),
    async close() {
      await iamd.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ChildServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const BIN = new URL('../../bin/iamd.js', import.meta.url).pathname;

/** Starts `iamd serve` as a child process and waits until /_iamd/health answers. */
export async function spawnServer(args: string[], env: Record<string, string> = {}): Promise<ChildServer> {
  // IAMD_TEST_NODE_ARGS passes flags to the server's node, e.g. `--cpu-prof` to profile a benchmark.
  const nodeArgs = process.env.IAMD_TEST_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`iamd did not start:\n${output}`)), 20_000);
    const onData = () => {
      const m = /listening on (https?:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`iamd exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    output: () => output,
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
