// What a service is to iamd: each service folder exports one `ServiceDescriptor`, and
// src/services/registry.ts lists them — the only list of services there is. The server installs
// every descriptor's operations, jobs and linked-service report from it; scripts/generate-models.ts
// writes each descriptor's wire facts beside its model (src/protocol/models/), where the protocol
// and audit layers read them without importing any service.

import type { JSONWebKeySet } from 'jose';
import type { AuditSink } from '../audit/types.ts';
import type { Authorizer } from '../authz/authorizer.ts';
import type { Operation } from '../common/call.ts';
import type { AccessDeniedMapper, Dispatcher } from '../dispatch/dispatcher.ts';
import type { ServiceCatalog } from '../iam/catalog/service-linked-roles.ts';
import type { IamDeps } from '../iam/index.ts';
import type { LinkedService, LinkedServiceRegistry } from '../iam/service-linked-roles/index.ts';
import type { JobHandler } from '../jobs/runner.ts';
import type { ServiceWire } from '../protocol/index.ts';
import type { Secrets } from '../secrets/index.ts';
import type { Store } from '../store/types.ts';
import type { LinkedHost } from './linked/index.ts';

/** The settings services read (a subset of the server's configuration). */
export interface ServiceSettings {
  /** How long finished service-linked-role deletion tasks are kept. */
  deletionTaskRetentionMs: number;
  /** How long recorded calls are kept for CloudTrail's LookupEvents. */
  auditRetentionDays: number;
  /** Web identity key sets given offline, by issuer URL (--oidc-jwks); those issuers are never fetched. */
  oidcJwks?: ReadonlyMap<string, JSONWebKeySet>;
}

/** What the server hands every service when it installs it: one bag, each service takes what it needs. */
export interface ServiceParts {
  store: Store;
  dispatcher: Dispatcher;
  authorizer: Authorizer;
  audit?: AuditSink;
  /** Where the event log is kept (src/audit/): LookupEvents reads it. */
  events: Store;
  /** Seals every secret at rest (src/secrets/). */
  secrets: Secrets;
  iam: IamDeps;
  /** The services that have service-linked roles: role names, policies, suffix rules. */
  catalog: ServiceCatalog;
  /** The linked services' role-usage reports, read by DeleteServiceLinkedRole's task. */
  linkedServices: LinkedServiceRegistry;
  /** What a linked service needs to act: the store, the dispatcher, its catalog entry, the job runner. */
  host: LinkedHost;
  settings: ServiceSettings;
}

export interface ServiceDescriptor {
  /** The service's model name (`iam`, `memorydb`): the dispatcher's key and the model file's name. */
  name: string;
  /** How it speaks: model source, protocol, validation wording, audit naming. */
  wire: ServiceWire & {
    /** The botocore model it is generated from, and the operations iamd serves of it (all when absent). */
    source: { file: string; operations?: readonly string[] };
  };
  operations(parts: ServiceParts): Operation[];
  /** How its API words a denial (EC2: UnauthorizedOperation, MQ: ForbiddenException, …). */
  accessDenied?: AccessDeniedMapper;
  /** Durable background jobs by type (types are prefixed with the service name: `memorydb:cluster`). */
  jobs?(parts: ServiceParts): Record<string, JobHandler>;
  /** A linked service: what DeleteServiceLinkedRole's task asks while the role is to be deleted. */
  linked?: LinkedService;
  /**
   * A linked service: the actions whose calls have the service work through its service-linked role
   * (and create that role with the caller's authority when the account has none). Whoever may call
   * one reaches what the role may do — src/analysis draws that edge from this list.
   */
  roleActions?: readonly string[];
}
