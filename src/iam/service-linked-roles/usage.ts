// What a linked service tells IAM when its service-linked role is to be deleted: the resources, by
// region, that still need the role. A deletion task fails while any service reports any use.
//
// The real services (MemoryDB, ElastiCache, Amazon MQ) register their own implementation. Services that
// exist only in a user catalog (IAMD_SERVICE_CATALOG) get a settable one: what they report is stored
// per account and set through the testing endpoint (see linked-service-admin.ts), so a test can put a
// role "in use" and take it out of use again, across restarts and on every node.

import type { Tx } from '../../store/types.ts';
import type { ServiceCatalog } from '../catalog/service-linked-roles.ts';

/** One region where the role is in use; `resources` absent when the service reports regions only. */
export interface RoleUsageReport {
  region: string;
  resources?: string[];
}

export interface LinkedService {
  servicePrincipal: string;
  /** Empty when the role is not in use. Runs inside the deletion task's transaction. */
  usage(tx: Tx, account: string, roleArn: string): Promise<RoleUsageReport[]>;
}

/** The stored usage of a settable linked service. key: service principal. */
export const SETTABLE_USAGE_KIND = 'linked-service-usage';

export interface SettableUsageDoc {
  servicePrincipal: string;
  usage: RoleUsageReport[];
}

/** A linked service whose usage is whatever was last set for the account (nothing until then). */
export function settableLinkedService(servicePrincipal: string): LinkedService {
  return {
    servicePrincipal,
    async usage(tx, account) {
      const stored = await tx.get<SettableUsageDoc>(account, SETTABLE_USAGE_KIND, servicePrincipal);
      return stored?.doc.usage ?? [];
    },
  };
}

/** Replaces what the settable service `servicePrincipal` reports for `account`; an empty list clears it. */
export async function setSettableUsage(tx: Tx, account: string, servicePrincipal: string, usage: RoleUsageReport[]): Promise<void> {
  await tx.delete(account, SETTABLE_USAGE_KIND, servicePrincipal);
  if (usage.length > 0) await tx.insert<SettableUsageDoc>(account, SETTABLE_USAGE_KIND, servicePrincipal, { servicePrincipal, usage });
}

export class LinkedServiceRegistry {
  private readonly services = new Map<string, LinkedService>();
  private readonly settable = new Set<string>();

  /** `catalog`'s user-defined services get a settable implementation until a real one registers. */
  constructor(catalog?: ServiceCatalog) {
    for (const spec of catalog?.list() ?? []) if (spec.source === 'user') this.settable.add(spec.servicePrincipal);
  }

  register(service: LinkedService): void {
    if (this.services.has(service.servicePrincipal)) throw new Error(`linked service ${service.servicePrincipal} registered twice`);
    this.services.set(service.servicePrincipal, service);
  }

  /** The service that answers for `servicePrincipal`; undefined when none does (its role is never in use). */
  get(servicePrincipal: string): LinkedService | undefined {
    const real = this.services.get(servicePrincipal);
    if (real) return real;
    return this.settable.has(servicePrincipal) ? settableLinkedService(servicePrincipal) : undefined;
  }

  /** Whether the testing endpoint may set this service's usage. */
  isSettable(servicePrincipal: string): boolean {
    return this.settable.has(servicePrincipal) && !this.services.has(servicePrincipal);
  }
}
