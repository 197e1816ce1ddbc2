// Every way one principal gains another's power, each found by asking the policy engine about the
// calls it takes (steps.ts). An edge is one or more steps made by its source, after which the source
// holds the target's power:
//
//   assume-role                 sts:AssumeRole (trust ∧ identity ∧ boundary ∧ conditions)
//   create-access-key           iam:CreateAccessKey for another user — then sign as that user
//   login-profile               iam:CreateLoginProfile / UpdateLoginProfile — sign in as that user
//   policy-change               Put/Attach*Policy, CreatePolicyVersion, SetDefaultPolicyVersion on
//                               one's own permissions (or on a principal one can act as), a boundary
//                               deleted or replaced, UpdateAssumeRolePolicy then AssumeRole
//   group-membership            iam:AddUserToGroup oneself
//   pass-role                   iam:PassRole to a service that runs code the caller controls
//   service-role (+ create-service-linked-role)
//                               a call that makes a linked service act through its service-linked role
//                               (memorydb:CreateCluster), creating the role first when the account has none

import { compileForAnalysis } from './compile.ts';
import type { CompiledPolicy, ContextValues } from '../policy/types.ts';
import { resourceTagContext } from '../iam/tags.ts';
import type { Node, Variant } from './nodes.ts';
import type { GroupState, PrincipalState } from './state.ts';
import { mayAllow, mayAllowService, resourcesAllowing } from './statements.ts';
import { allows, witnessResource, type Step, type StepKind } from './steps.ts';

export interface Edge {
  from: Node;
  to: Node;
  steps: Step[];
}

/** What the edge finders need of the graph under construction. */
export interface EdgeWorld {
  account: string;
  /** Base nodes of users and of roles a principal can act as (service-linked roles excluded). */
  users: readonly Node[];
  roles: readonly Node[];
  groups: ReadonlyMap<string, GroupState>;
  /** Customer managed policies by ARN, with how many versions they keep. */
  customerPolicyVersions(arn: string): number;
  /** The node of `principal` changed by `variant` (made on first use). */
  variantOf(node: Node, variant: Variant): Node;
  /** Roles whose trust policy names this ARN (a user, a role, a session). */
  rolesNaming(arn: string): readonly Node[];
  /** Roles whose trust policy lets in the whole account (or anyone): the caller's own policies decide. */
  rolesTrustingAccount: readonly Node[];
  trustOf(role: Node): CompiledPolicy;
  /** Services a role's trust policy lets assume it (for iam:PassRole). */
  servicesTrusted(role: Node): readonly string[];
  serviceRoles: readonly ServiceRoleTarget[];
}

/** A linked service iamd serves: the actions that make it act through its role, and that role's node. */
export interface ServiceRoleTarget {
  servicePrincipal: string;
  actions: readonly string[];
  role: Node;
}

export const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

/**
 * Services that, handed a role with iam:PassRole, run what the caller gives them with that role's
 * power — with the calls that make them do it (Rhino Security Labs' PassRole methods).
 */
export const PASS_ROLE_LAUNCHERS: Readonly<Record<string, readonly string[]>> = {
  'ec2.amazonaws.com': ['ec2:RunInstances'],
  'lambda.amazonaws.com': ['lambda:CreateFunction', 'lambda:InvokeFunction'],
  'cloudformation.amazonaws.com': ['cloudformation:CreateStack'],
  'glue.amazonaws.com': ['glue:CreateDevEndpoint'],
  'datapipeline.amazonaws.com': ['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'],
  'ecs-tasks.amazonaws.com': ['ecs:RegisterTaskDefinition', 'ecs:RunTask'],
  'codebuild.amazonaws.com': ['codebuild:CreateProject', 'codebuild:StartBuild'],
  'sagemaker.amazonaws.com': ['sagemaker:CreateNotebookInstance', 'sagemaker:CreatePresignedNotebookInstanceUrl'],
};

const targetContexts = new WeakMap<PrincipalState, ContextValues>();
/** The keys a call about an existing user or role carries (src/iam/checks.ts): its tags and boundary. */
function targetContext(principal: PrincipalState): ContextValues {
  let context = targetContexts.get(principal);
  if (!context) {
    context = resourceTagContext(principal.tags, true);
    if (principal.boundary) context['iam:PermissionsBoundary'] = principal.boundary.label;
    targetContexts.set(principal, context);
  }
  return context;
}

interface Call {
  kind: StepKind;
  action: string;
  resource: string;
  to: string;
  context?: ContextValues;
  trust?: CompiledPolicy;
}

/** The step if `node` may make the call (cheap refusal first: no statement names it), else undefined. */
function attempt(node: Node, call: Call): Step | undefined {
  if (!call.trust && !mayAllow(node.set, call.action, call.resource)) return undefined;
  const step: Step = { kind: call.kind, node, to: call.to, action: call.action, resource: call.resource, context: call.context ?? {} };
  if (call.trust) step.trust = call.trust;
  return allows(step) ? step : undefined;
}

const first = (node: Node, calls: Call[]): Step | undefined => {
  for (const call of calls) {
    const step = attempt(node, call);
    if (step) return step;
  }
  return undefined;
};

const POLICY_WRITES = ['iam:PutUserPolicy', 'iam:AttachUserPolicy', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:PutGroupPolicy', 'iam:AttachGroupPolicy', 'iam:CreatePolicyVersion'];
const BOUNDARY_WRITES = ['iam:DeleteUserPermissionsBoundary', 'iam:PutUserPermissionsBoundary', 'iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary'];
/** Most principals may write no policy at all: then no call need be built for any target. */
const mayWriteAny = (node: Node, actions: readonly string[]): boolean =>
  mayAllowService(node.set, 'iam') && actions.some((a) => resourcesAllowing(node.set, a) !== null);

/** The calls that write `target`'s own permission policies (for a user, also its groups'). */
function policyWrites(world: EdgeWorld, target: Node): Call[] {
  const p = target.principal;
  const own = targetContext(p);
  const Type = p.type === 'user' ? 'User' : 'Role';
  const calls: Call[] = [
    { kind: 'policy-change', action: `iam:Put${Type}Policy`, resource: p.arn, to: p.arn, context: own },
    { kind: 'policy-change', action: `iam:Attach${Type}Policy`, resource: p.arn, to: p.arn, context: { ...own, 'iam:PolicyARN': ADMINISTRATOR_ACCESS } },
  ];
  const groups = [...p.groups, ...(target.variant.group ? [target.variant.group] : [])];
  for (const name of groups) {
    const group = world.groups.get(name.toLowerCase());
    if (!group) continue;
    calls.push(
      { kind: 'policy-change', action: 'iam:PutGroupPolicy', resource: group.arn, to: p.arn },
      { kind: 'policy-change', action: 'iam:AttachGroupPolicy', resource: group.arn, to: p.arn, context: { 'iam:PolicyARN': ADMINISTRATOR_ACCESS } },
    );
  }
  const attached = [...p.attached, ...(target.variant.group ? (world.groups.get(target.variant.group.toLowerCase())?.attached ?? []) : [])];
  for (const arn of new Set(attached)) {
    if (world.customerPolicyVersions(arn) > 0) calls.push({ kind: 'policy-change', action: 'iam:CreatePolicyVersion', resource: arn, to: p.arn });
  }
  return calls;
}

/** The calls that take `target`'s permissions boundary away (or swap in AdministratorAccess). */
function boundaryRemovals(target: Node): Call[] {
  const p = target.principal;
  if (!p.boundary || target.variant.noBoundary) return [];
  const Type = p.type === 'user' ? 'User' : 'Role';
  const own = targetContext(p);
  return [
    { kind: 'policy-change', action: `iam:Delete${Type}PermissionsBoundary`, resource: p.arn, to: p.arn, context: own },
    { kind: 'policy-change', action: `iam:Put${Type}PermissionsBoundary`, resource: p.arn, to: p.arn, context: { ...own, 'iam:PermissionsBoundary': ADMINISTRATOR_ACCESS } },
  ];
}

/** A principal changing its own permissions: any policy, no boundary, one more group, an older policy version. */
export function selfChanges(world: EdgeWorld, node: Node): Edge[] {
  const edges: Edge[] = [];
  const add = (variant: Variant, step: Step | undefined) => {
    if (step) edges.push({ from: node, to: world.variantOf(node, { ...node.variant, ...variant }), steps: [step] });
  };
  if (!node.variant.anyPolicy && mayWriteAny(node, POLICY_WRITES)) add({ anyPolicy: true }, first(node, policyWrites(world, node)));
  if (mayWriteAny(node, BOUNDARY_WRITES)) add({ noBoundary: true }, first(node, boundaryRemovals(node)));
  const p = node.principal;
  if (node.variant.anyPolicy) return edges;
  if (!node.variant.versionsOf && mayAllowService(node.set, 'iam')) {
    for (const arn of new Set(p.attached)) {
      if (world.customerPolicyVersions(arn) < 2) continue;
      add({ versionsOf: arn }, attempt(node, { kind: 'policy-change', action: 'iam:SetDefaultPolicyVersion', resource: arn, to: p.arn }));
    }
  }
  if (p.type === 'user' && !node.variant.group && mayAllowService(node.set, 'iam') && resourcesAllowing(node.set, 'iam:AddUserToGroup') !== null) {
    const member = new Set(p.groups.map((g) => g.toLowerCase()));
    for (const group of world.groups.values()) {
      if (member.has(group.name.toLowerCase()) || group.policies.length === 0) continue;
      add({ group: group.name }, attempt(node, { kind: 'group-membership', action: 'iam:AddUserToGroup', resource: group.arn, to: group.arn }));
    }
  }
  return edges;
}

/** How `node` comes to act as another user or role, if it can. */
function actAs(world: EdgeWorld, node: Node, target: Node, assumable: boolean): Step[] | undefined {
  const p = target.principal;
  if (p.type === 'role') {
    if (assumable) {
      const step = attempt(node, { kind: 'assume-role', action: 'sts:AssumeRole', resource: p.arn, to: p.arn, trust: world.trustOf(target) });
      if (step) return [step];
    }
    // Rewrite the trust policy to name oneself, then assume: the caller's own policies still decide.
    const rewrite = attempt(node, { kind: 'policy-change', action: 'iam:UpdateAssumeRolePolicy', resource: p.arn, to: p.arn, context: targetContext(p) });
    if (!rewrite) return undefined;
    const assume = attempt(node, { kind: 'assume-role', action: 'sts:AssumeRole', resource: p.arn, to: p.arn, trust: trustNaming(node) });
    return assume && [rewrite, assume];
  }
  const mint = first(node, [
    { kind: 'create-access-key', action: 'iam:CreateAccessKey', resource: p.arn, to: p.arn, context: targetContext(p) },
    p.hasLoginProfile
      ? { kind: 'login-profile', action: 'iam:UpdateLoginProfile', resource: p.arn, to: p.arn, context: targetContext(p) }
      : { kind: 'login-profile', action: 'iam:CreateLoginProfile', resource: p.arn, to: p.arn, context: targetContext(p) },
  ]);
  return mint && [mint];
}

/** The trust policy an UpdateAssumeRolePolicy would write to let `node` in. */
const trustNamingCache = new WeakMap<Node, CompiledPolicy>();
function trustNaming(node: Node): CompiledPolicy {
  let trust = trustNamingCache.get(node);
  if (!trust) {
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: node.arn }, Action: 'sts:AssumeRole' }] });
    trust = compileForAnalysis(document, 'trust', `trust policy naming ${node.arn} (written by the previous step)`);
    trustNamingCache.set(node, trust);
  }
  return trust;
}

/** Which targets an edge finder looks at: all of them, or those whose incoming edges are being computed. */
export type Scope = (target: Node) => boolean;

/** The users and roles `node` can act as, then their permissions changed by it where it may. */
export function principalEdges(world: EdgeWorld, node: Node, inScope: Scope): Edge[] {
  const edges: Edge[] = [];
  const me = node.principal.arn;
  const candidates = new Map<Node, boolean>(); // target → may the trust policy let node in as it is
  for (const role of world.rolesNaming(node.arn)) if (inScope(role)) candidates.set(role, true);
  if (node.request.arn !== node.arn) for (const role of world.rolesNaming(node.request.arn)) if (inScope(role)) candidates.set(role, true);
  const assume = resourcesAllowing(node.set, 'sts:AssumeRole');
  if (assume) for (const role of world.rolesTrustingAccount) if (inScope(role) && (assume.any || assume.test(role.arn))) candidates.set(role, true);
  const iam = mayAllowService(node.set, 'iam');
  const rewrite = iam ? resourcesAllowing(node.set, 'iam:UpdateAssumeRolePolicy') : null;
  if (rewrite && assume) for (const role of world.roles) if (!candidates.has(role) && inScope(role) && (rewrite.any || rewrite.test(role.arn))) candidates.set(role, false);
  const mints = iam ? ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'].flatMap((a) => resourcesAllowing(node.set, a) ?? []) : [];
  if (mints.length > 0) {
    for (const user of world.users) {
      if (inScope(user) && mints.some((m) => m.any || m.test(user.arn))) candidates.set(user, false);
    }
  }
  const writes = mayWriteAny(node, POLICY_WRITES);
  const unbinds = mayWriteAny(node, BOUNDARY_WRITES);
  for (const [target, trusted] of candidates) {
    if (target.principal.arn === me) continue;
    const steps = actAs(world, node, target, trusted);
    if (!steps) continue;
    edges.push({ from: node, to: target, steps });
    // Having its power, write it any policy, or take its boundary away — with one's own permissions.
    const write = writes && first(node, policyWrites(world, target));
    if (write) edges.push({ from: node, to: world.variantOf(target, { anyPolicy: true }), steps: [write, ...steps] });
    const unbound = unbinds && first(node, boundaryRemovals(target));
    if (unbound) edges.push({ from: node, to: world.variantOf(target, { noBoundary: true }), steps: [unbound, ...steps] });
  }
  return edges;
}

/** iam:PassRole of a role trusted by a service that then runs the caller's code with it. */
export function passRoleEdges(world: EdgeWorld, node: Node, inScope: Scope): Edge[] {
  const pass = resourcesAllowing(node.set, 'iam:PassRole');
  if (!pass) return [];
  const edges: Edge[] = [];
  for (const role of world.roles) {
    if (role.principal.arn === node.principal.arn || !inScope(role) || !(pass.any || pass.test(role.arn))) continue;
    for (const service of world.servicesTrusted(role)) {
      const launch = PASS_ROLE_LAUNCHERS[service];
      if (!launch) continue;
      const passed = attempt(node, { kind: 'pass-role', action: 'iam:PassRole', resource: role.arn, to: role.arn, context: { 'iam:PassedToService': service } });
      if (!passed) continue;
      const steps: Step[] = [passed];
      for (const action of launch) {
        const resource = witnessResource(node, action, resourcesAllowing(node.set, action)?.patterns ?? []);
        if (resource === undefined) break;
        steps.push({ kind: 'pass-role', node, to: service, action, resource, context: {} });
      }
      if (steps.length === launch.length + 1) {
        edges.push({ from: node, to: role, steps });
        break;
      }
    }
  }
  return edges;
}

/** A call that makes a linked service act through its service-linked role — creating the role when absent. */
export function serviceRoleEdges(world: EdgeWorld, node: Node, inScope: Scope): Edge[] {
  const edges: Edge[] = [];
  for (const target of world.serviceRoles) {
    if (!inScope(target.role)) continue;
    let use: Step | undefined;
    for (const action of target.actions) {
      const resource = witnessResource(node, action, resourcesAllowing(node.set, action)?.patterns ?? []);
      if (resource === undefined) continue;
      use = { kind: 'service-role', node, to: target.servicePrincipal, action, resource, context: {} };
      break;
    }
    if (!use) continue;
    if (!target.role.virtual) {
      edges.push({ from: node, to: target.role, steps: [use] });
      continue;
    }
    const create = attempt(node, {
      kind: 'create-service-linked-role',
      action: 'iam:CreateServiceLinkedRole',
      resource: target.role.arn,
      to: target.role.arn,
      context: { 'iam:AWSServiceName': target.servicePrincipal },
    });
    if (create) edges.push({ from: node, to: target.role, steps: [create, use] });
  }
  return edges;
}
