// Which service-linked role each AWS service principal gets: the built-in catalog generated into
// data/service-linked-roles.json, plus the services of an optional user catalog file
// (IAMD_SERVICE_CATALOG) that add new principals or replace built-in ones.
import { readFileSync } from 'node:fs';
import { awsManagedPolicies, withExtraPolicies, type ManagedPolicyCatalog } from './managed-policies.ts';
import { readUserCatalog, ServiceCatalogError } from './user-catalog.ts';
import type { ServiceLinkedRoleSpec } from './types.ts';

export type { ServiceLinkedRoleSpec, ServiceEntrySource } from './types.ts';
export { ServiceCatalogError } from './user-catalog.ts';

export interface ServiceCatalog {
  get(servicePrincipal: string): ServiceLinkedRoleSpec | undefined;
  /** Sorted by service principal. */
  list(): ServiceLinkedRoleSpec[];
  /** The managed policies the entries' policyArns resolve in: AWS's, plus the user file's. */
  policies(): ManagedPolicyCatalog;
  /** The user catalog file that was read, if any. */
  readonly userFile?: string;
}

export interface LoadServiceCatalogOptions {
  /**
   * A user catalog file. When the option is left out, `IAMD_SERVICE_CATALOG` names it (empty: none);
   * `{ file: undefined }` means no user catalog whatever the environment says.
   */
  file?: string;
}

const DATA_FILE = new URL('../../../data/service-linked-roles.json', import.meta.url);

let builtIn: ServiceLinkedRoleSpec[] | undefined;

const builtInServices = (): ServiceLinkedRoleSpec[] =>
  (builtIn ??= (JSON.parse(readFileSync(DATA_FILE, 'utf8')) as { services: ServiceLinkedRoleSpec[] }).services);

/**
 * The service catalog iamd runs with. Throws `ServiceCatalogError` — naming the file, each faulty
 * entry and its fault — when the user catalog cannot be used; iamd should refuse to start then.
 */
export function loadServiceCatalog(options: LoadServiceCatalogOptions = {}): ServiceCatalog {
  const file = 'file' in options ? options.file : process.env.IAMD_SERVICE_CATALOG || undefined;
  const byPrincipal = new Map(builtInServices().map((s) => [s.servicePrincipal, s]));
  if (file === undefined) return serviceCatalog(byPrincipal, awsManagedPolicies);

  const user = readUserCatalog(file, awsManagedPolicies());
  for (const service of user.services) byPrincipal.set(service.servicePrincipal, service);
  // Role names are unique in an account whatever their path, so two services cannot share one.
  const principalOfRole = new Map<string, string>();
  const problems: string[] = [];
  for (const service of byPrincipal.values()) {
    const other = principalOfRole.get(service.roleName);
    if (other !== undefined && (service.source === 'user' || byPrincipal.get(other)!.source === 'user')) {
      const [mine, theirs] = service.source === 'user' ? [service.servicePrincipal, other] : [other, service.servicePrincipal];
      problems.push(`${mine}: roleName ${service.roleName} is already the role of ${theirs}`);
    }
    principalOfRole.set(service.roleName, service.servicePrincipal);
  }
  if (problems.length > 0) throw new ServiceCatalogError(file, problems);

  let policies: ManagedPolicyCatalog | undefined;
  return serviceCatalog(byPrincipal, () => (policies ??= withExtraPolicies(awsManagedPolicies(), user.policies)), file);
}

function serviceCatalog(
  byPrincipal: Map<string, ServiceLinkedRoleSpec>,
  policies: () => ManagedPolicyCatalog,
  userFile?: string,
): ServiceCatalog {
  const sorted = [...byPrincipal.values()].sort((a, b) => (a.servicePrincipal < b.servicePrincipal ? -1 : 1));
  return {
    get: (servicePrincipal) => byPrincipal.get(servicePrincipal),
    list: () => [...sorted],
    policies,
    ...(userFile === undefined ? {} : { userFile }),
  };
}
