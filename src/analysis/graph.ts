// The access graph of one account: a node per user and role (and per service-linked role of a linked
// service, present or not yet created), an edge wherever one principal can gain another's power
// (edges.ts), and the variant nodes those edges lead to when a principal can change its own
// permissions. Nodes are made from the state at once, edges as questions need them (queries.ts).

import { compileForAnalysis } from './compile.ts';
import type { AwsManagedPolicyCatalog } from '../iam/index.ts';
import type { CompiledPolicy } from '../policy/types.ts';
import { passRoleEdges, principalEdges, selfChanges, serviceRoleEdges, type Edge, type EdgeWorld, type Scope, type ServiceRoleTarget } from './edges.ts';
import { makeNode, variantKey, type Node, type Variant, type VariantSources } from './nodes.ts';
import type { AccountState, GroupState, LabelledDocument, PrincipalState } from './state.ts';
import { allows } from './steps.ts';

/** A linked service iamd serves: its service-linked role (from the catalog) and the actions that use it. */
export interface LinkedServiceRole {
  servicePrincipal: string;
  roleName: string;
  path: string;
  policyArns: readonly string[];
  actions: readonly string[];
}

export interface GraphInput {
  state: AccountState;
  awsPolicies: AwsManagedPolicyCatalog;
  linked: readonly LinkedServiceRole[];
}

/**
 * Admin power: allowed an action of no particular service and IAM's own, on any resource. The first
 * is allowed only by `*`-like statements; the second rules out NotAction statements that spare IAM.
 */
const ADMIN_PROBES = ['iamd-analysis:AnyAction', 'iam:PutUserPolicy'];
const isAdmin = (node: Node): boolean => ADMIN_PROBES.every((action) => allows({ node, action, resource: '*', context: {} }));

interface TrustFacts {
  policy: CompiledPolicy;
  /** ARNs of users, roles and sessions it names. */
  names: string[];
  /** It names the account (or anyone): every principal whose own policies allow sts:AssumeRole may come in. */
  account: boolean;
  services: string[];
}

function trustFacts(account: string, role: PrincipalState): TrustFacts {
  const policy = compileForAnalysis(role.trust ?? '{"Statement":[]}', 'trust', `${role.arn} trust policy`);
  const facts: TrustFacts = { policy, names: [], account: false, services: [] };
  for (const statement of policy.parsed.statements) {
    if (statement.effect !== 'Allow') continue;
    const spec = statement.principal ?? (statement.notPrincipal ? '*' : undefined);
    if (spec === undefined) continue;
    if (spec === '*') {
      facts.account = true;
      continue;
    }
    for (const value of spec.AWS ?? []) {
      if (value === '*' || value === account || value === `arn:aws:iam::${account}:root`) facts.account = true;
      else facts.names.push(value);
    }
    for (const value of spec.Service ?? []) facts.services.push(value.toLowerCase());
  }
  return facts;
}

/**
 * The graph, built as far as it was asked: its nodes from the start, and the edges into a principal
 * (and into its variants) once a question needs them — `who-can` only those on the way to the
 * principals that can act, `escalations` and `reach` all of them (`complete()`).
 */
export class AccessGraph {
  readonly nodes = new Map<string, Node>();
  readonly out = new Map<Node, Edge[]>();
  readonly into = new Map<Node, Edge[]>();
  /** Every user and role as it is — service-linked roles included, variants and roles not yet created excluded. */
  readonly principals: Node[] = [];
  /** Trust policies of the roles a principal may assume, by role ARN (service-linked roles have none: nobody may). */
  readonly trusts = new Map<string, CompiledPolicy>();

  constructor(
    readonly account: string,
    readonly state: AccountState,
    private readonly expander: (targets: readonly Node[]) => void,
  ) {}

  /** The node of an existing user or role, by ARN. */
  principal(arn: string): Node | undefined {
    const node = this.nodes.get(arn);
    return node && !node.virtual ? node : undefined;
  }

  /** Computes every edge into these nodes' principals and their variants (once per principal). */
  expand(targets: readonly Node[]): void {
    this.expander(targets);
  }

  /** Computes every edge of the graph. */
  complete(): void {
    this.expander([...this.nodes.values()]);
  }

  add(edge: Edge): void {
    const out = this.out.get(edge.from);
    if (out) out.push(edge);
    else this.out.set(edge.from, [edge]);
    const into = this.into.get(edge.to);
    if (into) into.push(edge);
    else this.into.set(edge.to, [edge]);
  }

  get edgeCount(): number {
    let n = 0;
    for (const edges of this.out.values()) n += edges.length;
    return n;
  }
}

export function buildGraph(input: GraphInput): AccessGraph {
  const { state } = input;
  const account = state.account;
  const groups = new Map<string, GroupState>(state.groups.map((g) => [g.name.toLowerCase(), g]));
  const sources: VariantSources = {
    group: (name) => groups.get(name.toLowerCase()),
    versions: (arn): LabelledDocument[] => (state.policies.get(arn)?.versions ?? []).map((v) => ({ label: arn, document: v.document })),
  };

  // Edges are computed per target principal: `expanded` holds those done. A node that may act (not
  // admin: it can already do everything; not a service-linked role: the service decides what it
  // does) gets its self-changes when it is made, and its edges into every expanded principal — a
  // variant made later catches up on those already expanded.
  const expanded = new Set<PrincipalState>();
  const actors: Node[] = [];
  const late: Node[] = [];
  let graph: AccessGraph | undefined;
  const register = (node: Node): Node => {
    node.admin = !node.service && isAdmin(node);
    graph!.nodes.set(node.key, node);
    if (!node.admin && !node.service) {
      actors.push(node);
      late.push(node);
    }
    return node;
  };
  const edgesOf = (node: Node, inScope: Scope): void => {
    for (const edge of principalEdges(world, node, inScope)) graph!.add(edge);
    for (const edge of passRoleEdges(world, node, inScope)) graph!.add(edge);
    for (const edge of serviceRoleEdges(world, node, inScope)) graph!.add(edge);
  };
  const isExpanded: Scope = (target) => expanded.has(target.principal);
  const catchUp = (): void => {
    while (late.length > 0) {
      const node = late.shift()!;
      for (const edge of selfChanges(world, node)) graph!.add(edge);
      if (expanded.size > 0) edgesOf(node, isExpanded);
    }
  };
  graph = new AccessGraph(account, state, (targets) => {
    const fresh = new Set<PrincipalState>();
    for (const target of targets) if (!expanded.has(target.principal)) fresh.add(target.principal);
    if (fresh.size === 0) return;
    for (const principal of fresh) expanded.add(principal);
    const inScope: Scope = (target) => fresh.has(target.principal);
    const count = actors.length;
    for (let i = 0; i < count; i++) edgesOf(actors[i], inScope);
    catchUp();
  });

  const users = state.users.map((u) => register(makeNode(account, u, {}, sources)));
  const roles: Node[] = [];
  const serviceLinked = new Map<string, Node>();
  for (const r of state.roles) {
    const node = register(makeNode(account, r, {}, sources, r.serviceLinked ? { service: r.serviceLinked } : {}));
    if (r.serviceLinked) serviceLinked.set(r.serviceLinked, node);
    else roles.push(node);
  }
  graph.principals.push(...users, ...roles, ...serviceLinked.values());

  // A linked service's role that the account does not have yet: what it would be, from the catalog.
  const serviceRoles: ServiceRoleTarget[] = input.linked.map((linked) => {
    let role = serviceLinked.get(linked.servicePrincipal);
    if (!role) {
      const policies = linked.policyArns.flatMap((arn) => {
        const policy = input.awsPolicies.get(arn);
        const version = policy?.Versions.find((v) => v.VersionId === policy.DefaultVersionId);
        return version ? [{ label: arn, document: version.Document }] : [];
      });
      const principal: PrincipalState = {
        type: 'role',
        name: linked.roleName,
        arn: `arn:aws:iam::${account}:role${linked.path}${linked.roleName}`,
        id: 'AROA-NOT-CREATED-YET',
        tags: [],
        policies,
        attached: [...linked.policyArns],
        groups: [],
        serviceLinked: linked.servicePrincipal,
      };
      role = register(makeNode(account, principal, {}, sources, { service: linked.servicePrincipal, virtual: true }));
    }
    return { servicePrincipal: linked.servicePrincipal, actions: linked.actions, role };
  });

  const trusts = new Map<Node, TrustFacts>(roles.map((r) => [r, trustFacts(account, r.principal)]));
  for (const [role, facts] of trusts) graph.trusts.set(role.arn, facts.policy);
  const naming = new Map<string, Node[]>();
  for (const [role, facts] of trusts) {
    for (const name of facts.names) naming.set(name, [...(naming.get(name) ?? []), role]);
  }
  const customerVersions = new Map<string, number>();
  for (const policy of state.policies.values()) if (!policy.aws) customerVersions.set(policy.arn, policy.versions.length);

  const world: EdgeWorld = {
    account,
    users,
    roles,
    groups,
    customerPolicyVersions: (arn) => customerVersions.get(arn) ?? 0,
    variantOf(node: Node, variant: Variant): Node {
      const key = variantKey(node.principal.arn, variant);
      return graph.nodes.get(key) ?? register(makeNode(account, node.principal, variant, sources));
    },
    rolesNaming: (arn) => naming.get(arn) ?? [],
    rolesTrustingAccount: roles.filter((r) => trusts.get(r)!.account),
    trustOf: (role) => trusts.get(role)!.policy,
    servicesTrusted: (role) => trusts.get(role)?.services ?? [],
    serviceRoles,
  };
  catchUp();
  return graph;
}
