// iamd's settings: flags win over environment variables, which win over defaults. Validated once at
// start so that a bad setting stops iamd with a clear message instead of failing a request later.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MasterKeyError, parseMasterKey, type MasterKey } from '../secrets/index.ts';
import type { JSONWebKeySet } from 'jose';
import { asKeySet } from '../sts/web-identity/issuer-keys.ts';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /** PostgreSQL connection string; when set, iamd stores its state there instead of SQLite. */
  databaseUrl?: string;
  /** The PostgreSQL schema iamd keeps its tables in (default: the connection's search path). */
  databaseSchema?: string;
  accountId: string;
  rootAccessKeyId: string;
  rootSecretAccessKey: string;
  /** True when the root credentials are the loopback defaults `test`/`test`. */
  defaultRootCredentials: boolean;
  /** IAMD_MASTER_KEY: what secrets at rest are sealed under; absent, the key file in the data folder. */
  masterKey?: MasterKey;
  allowReset: boolean;
  rolesQuota: number;
  serviceCatalogFile?: string;
  /** How long finished service-linked-role deletion tasks are kept before they are purged. */
  deletionTaskRetentionMs: number;
  /** Delay before a background job (deletion task step, resource lifecycle step) runs. */
  jobDelayMs: number;
  /** How long a job is leased to the node running it; a job whose node died runs again after this. */
  jobLeaseMs: number;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Server processes sharing the port (node:cluster); they share all state through the store. */
  workers: number;
  /** How long recorded calls (CloudTrail LookupEvents' event history) are kept. */
  auditRetentionDays: number;
  /** Record successful read-only calls too (on by default; writes and refusals are always recorded). */
  auditReadEvents: boolean;
  /** HTTPS on the same port: a certificate of the operator's, or one iamd makes and keeps in the data folder. */
  tls?: TlsSetting;
  /** The operator accepts plain HTTP on an address beyond loopback. */
  insecureHttp: boolean;
  /**
   * A port of its own for the web console (and the APIs it calls, so that they stay same-origin);
   * undefined: the console is served at /console/ on the main port.
   */
  consolePort?: number;
  /** Requests per second per access key (a token bucket of that many); undefined means no limit. */
  rateLimit?: number;
  /** Web identity key sets by issuer URL (--oidc-jwks ISSUER=FILE): those issuers' keys are never fetched. */
  oidcJwks?: Map<string, JSONWebKeySet>;
}

export type TlsSetting =
  | { kind: 'files'; certFile: string; keyFile: string }
  | { kind: 'self-signed'; dir: string };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const FLAGS: Record<string, { env: string; boolean?: boolean; /** Given again, it adds to the list (comma-separated). */ repeatable?: boolean }> = {
  host: { env: 'IAMD_HOST' },
  port: { env: 'IAMD_PORT' },
  'data-dir': { env: 'IAMD_DATA_DIR' },
  'database-url': { env: 'IAMD_DATABASE_URL' },
  'database-schema': { env: 'IAMD_DATABASE_SCHEMA' },
  'account-id': { env: 'IAMD_ACCOUNT_ID' },
  'allow-reset': { env: 'IAMD_ALLOW_RESET', boolean: true },
  'roles-quota': { env: 'IAMD_ROLES_QUOTA' },
  'service-catalog': { env: 'IAMD_SERVICE_CATALOG' },
  'deletion-task-retention-seconds': { env: 'IAMD_DELETION_TASK_RETENTION_SECONDS' },
  'job-delay-ms': { env: 'IAMD_JOB_DELAY_MS' },
  'job-lease-seconds': { env: 'IAMD_JOB_LEASE_SECONDS' },
  'max-body-bytes': { env: 'IAMD_MAX_BODY_BYTES' },
  workers: { env: 'IAMD_WORKERS' },
  'audit-retention-days': { env: 'IAMD_AUDIT_RETENTION_DAYS' },
  'audit-read-events': { env: 'IAMD_AUDIT_READ_EVENTS', boolean: true },
  'tls-cert': { env: 'IAMD_TLS_CERT' },
  'tls-key': { env: 'IAMD_TLS_KEY' },
  'tls-self-signed': { env: 'IAMD_TLS_SELF_SIGNED', boolean: true },
  'insecure-http': { env: 'IAMD_INSECURE_HTTP', boolean: true },
  'rate-limit': { env: 'IAMD_RATE_LIMIT' },
  'console-port': { env: 'IAMD_CONSOLE_PORT' },
  'oidc-jwks': { env: 'IAMD_OIDC_JWKS', repeatable: true },
};

export const CONFIG_HELP = Object.entries(FLAGS)
  .map(([flag, { env, boolean }]) => `  --${flag}${boolean ? '' : ' VALUE'}  (${env})`)
  .join('\n');

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

function parseFlags(argv: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument: ${arg}`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const spec = FLAGS[name];
    if (!spec) throw new ConfigError(`unknown option --${name}`);
    if (spec.boolean) values[name] = inline ?? 'true';
    else {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new ConfigError(`--${name} needs a value`);
      values[name] = spec.repeatable && values[name] !== undefined ? `${values[name]},${value}` : value;
    }
  }
  return values;
}

/**
 * IAMD_MASTER_KEY, checked. Only from the environment: a flag would show the key in the process list.
 */
export function masterKeyFromEnv(env: Env): MasterKey | undefined {
  const text = env.IAMD_MASTER_KEY;
  if (text === undefined || text === '') return undefined;
  try {
    return parseMasterKey(text, 'IAMD_MASTER_KEY');
  } catch (e) {
    if (e instanceof MasterKeyError) throw new ConfigError(e.message);
    throw e;
  }
}

function integer(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new ConfigError(`${name} must be a whole number, got "${text}"`);
  const n = Number(text);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function loadConfig(argv: string[], env: Env = process.env): ServerConfig {
  const flags = parseFlags(argv);
  const get = (flag: string): string | undefined => flags[flag] ?? env[FLAGS[flag].env];
  const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v);

  const host = get('host') ?? '127.0.0.1';
  const port = integer('port', get('port') ?? '4599', 0, 65535);
  const accountId = get('account-id') ?? '123456789012';
  if (!/^\d{12}$/.test(accountId)) throw new ConfigError(`account id must be 12 digits, got "${accountId}"`);

  let rootAccessKeyId = env.IAMD_ROOT_ACCESS_KEY_ID;
  let rootSecretAccessKey = env.IAMD_ROOT_SECRET_ACCESS_KEY;
  if ((rootAccessKeyId === undefined) !== (rootSecretAccessKey === undefined)) {
    throw new ConfigError('set both IAMD_ROOT_ACCESS_KEY_ID and IAMD_ROOT_SECRET_ACCESS_KEY, or neither');
  }
  const defaultRootCredentials = rootAccessKeyId === undefined;
  if (defaultRootCredentials) {
    if (!isLoopback(host)) {
      throw new ConfigError(
        `refusing to listen on ${host} with the default root credentials: set IAMD_ROOT_ACCESS_KEY_ID and IAMD_ROOT_SECRET_ACCESS_KEY`,
      );
    }
    rootAccessKeyId = 'test';
    rootSecretAccessKey = 'test';
  }

  const dataDir = resolve(get('data-dir') ?? '.iamd');
  const tls = tlsSetting(get('tls-cert') || undefined, get('tls-key') || undefined, truthy(get('tls-self-signed')), dataDir);
  const insecureHttp = truthy(get('insecure-http'));
  if (!tls && !insecureHttp && !isLoopback(host)) {
    throw new ConfigError(
      `refusing to serve plain HTTP on ${host}: signed requests and the secrets in answers (access keys, session credentials) ` +
        'would cross the network unencrypted. Give --tls-cert and --tls-key, or --tls-self-signed; or --insecure-http to accept that',
    );
  }
  const rateLimit = get('rate-limit');
  const consolePort = get('console-port');
  const oidcJwks = get('oidc-jwks') ? offlineKeySets(get('oidc-jwks')!) : undefined;

  const retention = get('deletion-task-retention-seconds');
  const masterKey = masterKeyFromEnv(env);
  return {
    host,
    port,
    dataDir,
    databaseUrl: get('database-url') || undefined,
    databaseSchema: get('database-schema') || undefined,
    accountId,
    rootAccessKeyId: rootAccessKeyId!,
    rootSecretAccessKey: rootSecretAccessKey!,
    defaultRootCredentials,
    ...(masterKey ? { masterKey } : {}),
    allowReset: truthy(get('allow-reset')),
    rolesQuota: integer('roles quota', get('roles-quota') ?? '1000', 1, 1_000_000),
    serviceCatalogFile: get('service-catalog'),
    deletionTaskRetentionMs: retention === undefined ? 24 * 3600_000 : integer('deletion task retention', retention, 0, 10 ** 9) * 1000,
    jobDelayMs: integer('job delay', get('job-delay-ms') ?? '200', 0, 3_600_000),
    jobLeaseMs: integer('job lease seconds', get('job-lease-seconds') ?? '30', 1, 86_400) * 1000,
    maxBodyBytes: integer('max body bytes', get('max-body-bytes') ?? String(1024 * 1024), 1024, 64 * 1024 * 1024),
    workers: integer('workers', get('workers') ?? '1', 1, 64),
    auditRetentionDays: integer('audit retention days', get('audit-retention-days') ?? '90', 1, 36_500),
    // On unless turned off: recording a read costs a few percent (BENCHMARKS.md), as a trail with reads.
    auditReadEvents: get('audit-read-events') === undefined || truthy(get('audit-read-events')),
    ...(tls ? { tls } : {}),
    insecureHttp,
    ...(rateLimit !== undefined ? { rateLimit: integer('rate limit', rateLimit, 1, 1_000_000) } : {}),
    ...(consolePort !== undefined && consolePort !== '' ? { consolePort: integer('console port', consolePort, 0, 65535) } : {}),
    ...(oidcJwks ? { oidcJwks } : {}),
  };
}

/** `ISSUER=FILE[,ISSUER=FILE…]`: each file a JWKS (what the issuer's jwks_uri serves), read once, now. */
function offlineKeySets(text: string): Map<string, JSONWebKeySet> {
  const sets = new Map<string, JSONWebKeySet>();
  for (const pair of text.split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    const issuer = at < 0 ? '' : pair.slice(0, at);
    const file = at < 0 ? '' : pair.slice(at + 1);
    if (!issuer.startsWith('https://') || file === '') throw new ConfigError(`--oidc-jwks takes ISSUER=FILE with an https issuer URL, got "${pair}"`);
    let jwks: JSONWebKeySet;
    try {
      jwks = asKeySet(JSON.parse(readFileSync(file, 'utf8')), file);
    } catch (e) {
      throw new ConfigError(`--oidc-jwks: ${file} is not a readable JSON Web Key Set (${(e as Error).message})`);
    }
    if (jwks.keys.length === 0) throw new ConfigError(`--oidc-jwks: ${file} holds no keys`);
    sets.set(issuer, jwks);
  }
  return sets;
}

function tlsSetting(certFile: string | undefined, keyFile: string | undefined, selfSigned: boolean, dataDir: string): TlsSetting | undefined {
  if ((certFile === undefined) !== (keyFile === undefined)) throw new ConfigError('--tls-cert and --tls-key go together: give both, or neither');
  if (certFile !== undefined && keyFile !== undefined) {
    if (selfSigned) throw new ConfigError('--tls-self-signed and --tls-cert/--tls-key exclude each other: choose one certificate');
    return { kind: 'files', certFile: resolve(certFile), keyFile: resolve(keyFile) };
  }
  return selfSigned ? { kind: 'self-signed', dir: join(dataDir, 'tls') } : undefined;
}
