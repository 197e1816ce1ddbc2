// iamd assembled: the store, the operations of every service, the authorizer, the job runner and the
// HTTP listener, wired once. Tests start it in-process on port 0 with a temporary data folder.

import { AuditLog, moveEvents } from '../audit/index.ts';
import { actionPrefixOf } from '../protocol/index.ts';
import { Authorizer } from '../authz/authorizer.ts';
import type { IdentityDirectory } from '../auth/callers.ts';
import * as iam from '../iam/index.ts';
import { loadServiceCatalog } from '../iam/catalog/service-linked-roles.ts';
import { LinkedServiceRegistry, linkedServiceAdmin } from '../iam/service-linked-roles/index.ts';
import { JobRunner } from '../jobs/runner.ts';
import type { Secrets } from '../secrets/index.ts';
import { eventStoreConfigOf, openStore, storeConfigOf } from '../store/index.ts';
import { scheduleSessionPurge } from '../sts/session-purge.ts';
import { openSession } from '../sts/sessions.ts';
import { expiredSessionToken } from '../sts/token-stamp.ts';
import type { Store } from '../store/types.ts';
import type { ServiceParts } from '../services/descriptor.ts';
import { installServices } from '../services/install.ts';
import { SERVICES } from '../services/registry.ts';
import { ApiHandler } from './api.ts';
import { analysisRoutes } from './analysis.ts';
import { linkedServiceRoles } from '../analysis/index.ts';
import type { ServerConfig } from './config.ts';
import { Dispatcher, type UsageSink } from '../dispatch/dispatcher.ts';
import { UsageRecorder } from './usage-recorder.ts';
import { consoleHandler } from './console.ts';
import type { AddressInfo } from 'node:net';
import { createHttpServer, listen, type Listener, type RawRequest, type RawResponse } from './http.ts';
import { RateLimiter } from './rate-limit.ts';
import { loadTls, type TlsMaterial } from './tls.ts';
import { storeSecrets } from './secrets.ts';
import { outboundIssuerDocuments } from './outbound-issuer.ts';

export interface Iamd {
  url: string;
  port: number;
  /** Where the web console is: /console/ on the main port, or on --console-port. */
  consoleUrl: string;
  store: Store;
  /** Where the event log is kept: a SQLite file of its own, or the same PostgreSQL database as `store`. */
  events: Store;
  /** Seals and opens the store's secrets (under IAMD_MASTER_KEY or the data folder's key file). */
  secrets: Secrets;
  dispatcher: Dispatcher;
  jobs: JobRunner;
  storeDescription: string;
  /** The certificate served when iamd speaks HTTPS. */
  tls?: Omit<TlsMaterial, 'key'>;
  close(): Promise<void>;
}

export interface StartOptions {
  log?: (line: string) => void;
}

const json = (status: number, body: unknown): RawResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function isLoopbackAddress(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.');
}

/**
 * Makes sure the default account exists and that its root can sign with the configured keys, and that
 * the expired sessions' purge is scheduled.
 */
async function bootstrap(store: Store, secrets: Secrets, config: ServerConfig): Promise<void> {
  await store.transaction(async (tx) => {
    await iam.createAccount(tx, secrets, config.accountId, {
      accessKeyId: config.rootAccessKeyId,
      secretAccessKey: config.rootSecretAccessKey,
    });
    await scheduleSessionPurge(tx, Date.now());
  });
}

export async function startIamd(config: ServerConfig, options: StartOptions = {}): Promise<Iamd> {
  const log = options.log ?? ((line: string) => console.error(line));
  // Before the store opens: a certificate that cannot be used stops iamd before it holds anything.
  const tls = config.tls ? await loadTls(config.tls, config.host) : undefined;
  const store = await openStore(storeConfigOf(config));
  const storeDescription = config.databaseUrl ? `PostgreSQL${config.databaseSchema ? ` (schema ${config.databaseSchema})` : ''}` : `SQLite in ${config.dataDir}`;
  const listAccounts = (after: string | undefined, limit: number) => store.read((tx) => iam.listAccountIds(tx, after, limit));
  let secrets: Secrets;
  let events: Store = store;
  try {
    // Before anything reads a secret: a missing or wrong master key stops iamd here, with its reason.
    secrets = await storeSecrets(store, config);
    await bootstrap(store, secrets, config);
    // On SQLite the event log has a file of its own; on PostgreSQL it shares the database.
    const eventConfig = eventStoreConfigOf(config);
    if (eventConfig.kind === 'sqlite') events = await openStore(eventConfig);
    // Events stored one a row by an older iamd (in the main file or the event log's store) become blocks.
    const moved = await moveEvents(store, events, listAccounts);
    if (moved > 0) log(`event log: converted ${moved} events stored one a row into blocks`);
  } catch (e) {
    if (events !== store) await events.close();
    await store.close();
    throw e;
  }

  // AWS's managed policies plus those a user catalog file defines, loaded on first use.
  const serviceCatalog = loadServiceCatalog({ file: config.serviceCatalogFile });
  let managedPolicies: iam.AwsManagedPolicyCatalog | undefined;
  const awsPolicies: iam.AwsManagedPolicyCatalog = {
    get: (arn) => (managedPolicies ??= serviceCatalog.policies()).get(arn),
    list: () => (managedPolicies ??= serviceCatalog.policies()).list(),
  };
  const iamDeps: iam.IamDeps = { config: iam.iamConfig({ quotas: { rolesPerAccount: config.rolesQuota } }), awsPolicies, secrets };
  const access = iam.principalAccess(iamDeps);
  const authorizer = new Authorizer(access.principalPolicies);
  // Every call the dispatcher runs is recorded; LookupEvents reads the record back.
  const audit = new AuditLog(events, { accounts: listAccounts, retentionDays: config.auditRetentionDays, readEvents: config.auditReadEvents, log });
  // Access Advisor: every call the dispatcher runs, allowed or denied, coalesced and upserted.
  const accessUsage = new UsageRecorder(store, iam.ACCESS_USAGE, log);
  const usage: UsageSink = {
    noteCall(ctx, service, operation) {
      // Access Advisor keys uses by IAM namespace (`access-analyzer`), not by model name.
      const use = iam.accessUseOf(ctx, actionPrefixOf(service), operation);
      if (use) accessUsage.note(iam.accessUseKey(use), use);
    },
  };
  const dispatcher = new Dispatcher(store, authorizer, audit, usage);
  const jobs = new JobRunner(store, { log, leaseMs: config.jobLeaseMs });
  const linkedServices = new LinkedServiceRegistry(serviceCatalog);
  const parts: ServiceParts = {
    store,
    dispatcher,
    authorizer,
    audit,
    events,
    iam: iamDeps,
    catalog: serviceCatalog,
    linkedServices,
    secrets,
    host: { store, dispatcher, catalog: serviceCatalog, jobDelayMs: config.jobDelayMs, kick: (ms) => jobs.kick(ms), secrets },
    settings: {
      deletionTaskRetentionMs: config.deletionTaskRetentionMs,
      auditRetentionDays: config.auditRetentionDays,
      ...(config.oidcJwks ? { oidcJwks: config.oidcJwks } : {}),
    },
  };
  installServices(SERVICES, parts, jobs);
  const linkedServiceUsage = linkedServiceAdmin({ store, linkedServices, allowReset: config.allowReset, defaultAccount: config.accountId });
  jobs.start();

  // Secrets are opened here, on a credential cache miss only (src/auth/credential-cache.ts).
  const directory: IdentityDirectory = {
    findAccessKey: (tx, id) => iam.findAccessKey(tx, secrets, id),
    getUser: iam.getUser,
    getRole: iam.getRole,
    findSession: (tx, id) => openSession(tx, secrets, id),
    expiredSessionToken: (tx, id, token, now) => expiredSessionToken(tx, secrets, id, token, now),
  };
  const keyUsage = new UsageRecorder(store, iam.ACCESS_KEY_USAGE, log);
  const rateLimiter = config.rateLimit !== undefined ? new RateLimiter(config.rateLimit) : undefined;
  const api = new ApiHandler({ store, dispatcher, directory, keyUsage, usage, log, ...(rateLimiter ? { rateLimiter } : {}) });
  const analysis = analysisRoutes({ store, api, authorizer, sources: { awsPolicies, linked: linkedServiceRoles(serviceCatalog) }, log });

  const issuerDocuments = outboundIssuerDocuments(store);
  const webConsole = consoleHandler(serviceCatalog);
  // Answered synchronously for an API request (nearly every request): no promise to wait on before the
  // API handler starts.
  const internal = (req: RawRequest, withConsole: boolean): RawResponse | Promise<RawResponse | undefined> | undefined => {
    // Before the /_iamd/ test: an issuer's documents are also served at its own URL (its Host).
    const issuerDocument = issuerDocuments(req);
    if (issuerDocument) return issuerDocument;
    if (!req.path.startsWith('/_iamd/')) return withConsole ? webConsole(req) : undefined;
    return iamdEndpoint(req);
  };
  const iamdEndpoint = async (req: RawRequest): Promise<RawResponse> => {
    if (req.path === '/_iamd/health' && req.method === 'GET') return json(200, { status: 'ok' });
    if (req.path === '/_iamd/reset' && req.method === 'POST') {
      if (!config.allowReset || !isLoopbackAddress(req.sourceIp)) {
        return json(403, { error: 'reset is allowed only from loopback on an iamd started with --allow-reset' });
      }
      await jobs.stop();
      // Events of the old state still in memory are written now, so the wipe removes them too.
      await audit.flush();
      // The store bumps every generation on a wipe, so no cache of any worker trusts what it held.
      await store.wipe();
      if (events !== store) await events.wipe();
      await bootstrap(store, secrets, config);
      jobs.start();
      return json(200, { status: 'reset' });
    }
    const usage = await linkedServiceUsage(req);
    if (usage) return usage;
    const analyzed = await analysis(req);
    if (analyzed) return analyzed;
    return json(404, { error: `no such iamd endpoint: ${req.method} ${req.path}` });
  };

  // With --console-port the console has a listener of its own, which answers the APIs too: the page
  // calls them on its own origin, so no CORS is ever needed. The main port then serves no console.
  const listener = (withConsole: boolean): Listener =>
    createHttpServer({
      maxBodyBytes: config.maxBodyBytes,
      internal: (req) => internal(req, withConsole),
      api: (req) => api.handle(req),
      tooLarge: (req) => api.tooLarge(req, config.maxBodyBytes),
      internalError: (req, error) => {
        log(`unhandled error on ${req.method} ${req.path}: ${(error as Error)?.stack ?? String(error)}`);
        return json(500, { error: 'internal error' });
      },
    }, tls);
  const urlOf = (address: { family: string; address: string; port: number }) =>
    `${tls ? 'https' : 'http'}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  const closeListener = (listening: Listener) =>
    new Promise<void>((resolve) => {
      listening.close(() => resolve());
      listening.closeAllConnections();
    });
  const server = listener(config.consolePort === undefined);
  const address = await listen(server, config.host, config.port);
  const url = urlOf(address);
  let consoleServer: Listener | undefined;
  if (config.consolePort !== undefined) {
    consoleServer = listener(true);
    try {
      await listen(consoleServer, config.host, config.consolePort);
    } catch (error) {
      await closeListener(server);
      await jobs.stop();
      await store.close();
      throw error;
    }
  }
  const consoleUrl = `${consoleServer ? urlOf(consoleServer.address() as AddressInfo) : url}/console/`;

  return {
    url,
    port: address.port,
    consoleUrl,
    store,
    events,
    secrets,
    dispatcher,
    jobs,
    storeDescription,
    ...(tls ? { tls: { cert: tls.cert, certFile: tls.certFile, fingerprint: tls.fingerprint, ...(tls.selfSigned ? { selfSigned: tls.selfSigned } : {}) } } : {}),
    async close() {
      await jobs.stop();
      await keyUsage.close();
      await accessUsage.close();
      await Promise.all([server, ...(consoleServer ? [consoleServer] : [])].map(closeListener));
      // After the listener: the last calls answered are in the last flush.
      await audit.close();
      if (events !== store) await events.close();
      await store.close();
    },
  };
}

