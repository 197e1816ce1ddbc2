// iamd assembled: the store, the operations of every service, the authorizer, the job runner and the
// HTTP listener, wired once. Tests start it in-process on port 0 with a temporary data folder.

import type { Server } from 'node:http';
import { AuditLog } from '../audit/index.ts';
import { Authorizer } from '../authz/authorizer.ts';
import type { IdentityDirectory } from '../auth/callers.ts';
import * as iam from '../iam/index.ts';
import { loadServiceCatalog } from '../iam/catalog/service-linked-roles.ts';
import {
  DELETION_JOB_TYPE,
  deletionJobHandler,
  LinkedServiceRegistry,
  linkedServiceAdmin,
  serviceLinkedRoleOperations,
} from '../iam/service-linked-roles/index.ts';
import { JobRunner } from '../jobs/runner.ts';
import { openStore, type StoreConfig } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import { stsOperations } from '../sts/operations.ts';
import { ec2Operations, unauthorizedOperation } from '../services/ec2/index.ts';
import { cloudWatchAccessDenied, cloudWatchOperations } from '../services/cloudwatch/index.ts';
import { logsAccessDenied, logsOperations } from '../services/logs/index.ts';
import { cloudTrailAccessDenied, cloudTrailOperations } from '../services/cloudtrail/index.ts';
import { elastiCacheService } from '../services/elasticache/index.ts';
import { installLinkedService, type LinkedHost, type LinkedServiceModule } from '../services/linked/index.ts';
import { memoryDbService } from '../services/memorydb/index.ts';
import { amazonMq } from '../services/mq/index.ts';
import { ApiHandler } from './api.ts';
import type { ServerConfig } from './config.ts';
import { Dispatcher } from './dispatcher.ts';
import { KeyUsageRecorder } from './key-usage.ts';
import { createHttpServer, listen, type RawRequest, type RawResponse } from './http.ts';

export interface Iamd {
  url: string;
  port: number;
  store: Store;
  dispatcher: Dispatcher;
  jobs: JobRunner;
  storeDescription: string;
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

/** Makes sure the default account exists and that its root can sign with the configured keys. */
async function bootstrap(store: Store, config: ServerConfig): Promise<void> {
  await store.transaction(async (tx) => {
    await iam.ensureAccount(tx, config.accountId, {
      accessKeyId: config.rootAccessKeyId,
      secretAccessKey: config.rootSecretAccessKey,
    });
  });
}

export async function startIamd(config: ServerConfig, options: StartOptions = {}): Promise<Iamd> {
  const log = options.log ?? ((line: string) => console.error(line));
  const storeConfig: StoreConfig = config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl, ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) }
    : { kind: 'sqlite', dir: config.dataDir };
  const store = await openStore(storeConfig);
  const storeDescription = config.databaseUrl ? `PostgreSQL${config.databaseSchema ? ` (schema ${config.databaseSchema})` : ''}` : `SQLite in ${config.dataDir}`;
  await bootstrap(store, config);

  // AWS's managed policies plus those a user catalog file defines, loaded on first use.
  const serviceCatalog = loadServiceCatalog({ file: config.serviceCatalogFile });
  let managedPolicies: iam.AwsManagedPolicyCatalog | undefined;
  const awsPolicies: iam.AwsManagedPolicyCatalog = {
    get: (arn) => (managedPolicies ??= serviceCatalog.policies()).get(arn),
    list: () => (managedPolicies ??= serviceCatalog.policies()).list(),
  };
  const iamDeps: iam.IamDeps = { config: iam.iamConfig({ quotas: { rolesPerAccount: config.rolesQuota } }), awsPolicies };
  const access = iam.principalAccess(iamDeps);
  const authorizer = new Authorizer(access.principalPolicies);
  // Every call the dispatcher runs is recorded; LookupEvents reads the record back.
  const audit = new AuditLog(store, { accounts: iam.listAccountIds, retentionDays: config.auditRetentionDays, readEvents: config.auditReadEvents, log });
  const dispatcher = new Dispatcher(store, authorizer, audit);
  dispatcher.register(iam.createIamOperations(iamDeps));
  dispatcher.register(
    stsOperations({
      authorizer,
      getRole: iam.getAssumableRole,
      managedPolicyDocument: access.managedPolicyDocument,
      recordRoleUse: iam.recordRoleUse,
    }),
  );

  const jobs = new JobRunner(store, { log, leaseMs: config.jobLeaseMs });
  const linkedServices = new LinkedServiceRegistry(serviceCatalog);
  const slr = {
    store,
    catalog: serviceCatalog,
    linkedServices,
    jobDelayMs: config.jobDelayMs,
    deletionTaskRetentionMs: config.deletionTaskRetentionMs,
    kick: (delayMs: number) => jobs.kick(delayMs),
  };
  dispatcher.register(serviceLinkedRoleOperations(slr));
  dispatcher.register(ec2Operations(), { accessDenied: unauthorizedOperation });
  dispatcher.register(cloudWatchOperations(), { accessDenied: cloudWatchAccessDenied });
  dispatcher.register(logsOperations(), { accessDenied: logsAccessDenied });
  dispatcher.register(cloudTrailOperations({ retentionDays: config.auditRetentionDays }), { accessDenied: cloudTrailAccessDenied });
  jobs.register(DELETION_JOB_TYPE, deletionJobHandler(slr));
  // Linked services (MemoryDB, ElastiCache, Amazon MQ): one line each, `installLinked(xService(linkedHost))`.
  const linkedHost: LinkedHost = { store, dispatcher, catalog: serviceCatalog, jobDelayMs: config.jobDelayMs, kick: (ms) => jobs.kick(ms) };
  const installLinked = (module: LinkedServiceModule) => installLinkedService({ dispatcher, jobs, linkedServices }, module);
  installLinked(memoryDbService(linkedHost));
  installLinked(elastiCacheService(linkedHost));
  installLinked(amazonMq(linkedHost));
  const linkedServiceUsage = linkedServiceAdmin({ store, linkedServices, allowReset: config.allowReset, defaultAccount: config.accountId });
  jobs.start();

  const directory: IdentityDirectory = { findAccessKey: iam.findAccessKey, getUser: iam.getUser, getRole: iam.getRole };
  const keyUsage = new KeyUsageRecorder(store, iam.recordAccessKeyUse, log);
  const api = new ApiHandler({ store, dispatcher, directory, keyUsage, log });

  const internal = async (req: RawRequest): Promise<RawResponse | undefined> => {
    if (!req.path.startsWith('/_iamd/')) return undefined;
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
      await bootstrap(store, config);
      jobs.start();
      return json(200, { status: 'reset' });
    }
    const usage = await linkedServiceUsage(req);
    if (usage) return usage;
    return json(404, { error: `no such iamd endpoint: ${req.method} ${req.path}` });
  };

  const server: Server = createHttpServer({
    maxBodyBytes: config.maxBodyBytes,
    internal,
    api: (req) => api.handle(req),
    tooLarge: (req) => api.tooLarge(req, config.maxBodyBytes),
    internalError: (req, error) => {
      log(`unhandled error on ${req.method} ${req.path}: ${(error as Error)?.stack ?? String(error)}`);
      return json(500, { error: 'internal error' });
    },
  });
  const address = await listen(server, config.host, config.port);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  return {
    url,
    port: address.port,
    store,
    dispatcher,
    jobs,
    storeDescription,
    async close() {
      await jobs.stop();
      await keyUsage.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // After the listener: the last calls answered are in the last flush.
      await audit.close();
      await store.close();
    },
  };
}

