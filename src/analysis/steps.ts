// One step of a path: one call a principal makes (AssumeRole, CreateAccessKey, PutUserPolicy,
// memorydb:CreateCluster, …), decided by the policy engine exactly as the server decides that call —
// and, for a step shown to a user, the statements that allowed it.

import { evaluate, explain } from '../policy/index.ts';
import type { AuthzRequest, CompiledPolicy, ContextValues, PolicySet, StatementTrace } from '../policy/types.ts';
import { WRITTEN_POLICY_LABEL, type Node } from './nodes.ts';

export type StepKind =
  | 'assume-role'
  | 'create-access-key'
  | 'login-profile'
  | 'policy-change'
  | 'group-membership'
  | 'pass-role'
  | 'service-role'
  | 'create-service-linked-role'
  | 'direct';

export interface Step {
  kind: StepKind;
  /** Who makes the call. */
  node: Node;
  /** The principal (ARN) or service whose power the step brings closer. */
  to: string;
  action: string;
  resource: string;
  /** The call's own condition keys (iam:PolicyARN, iam:PassedToService, the target's tags, …). */
  context: ContextValues;
  /** For sts:AssumeRole: the role's trust policy, evaluated with the caller's own. */
  trust?: CompiledPolicy;
}

/** A statement that took part in a step's Allow, as the policy simulator reports matched statements. */
export interface StatementRef {
  policyId: string;
  policyType: string;
  sid?: string;
  index: number;
}

function requestOf(step: Omit<Step, 'kind' | 'to'>): { set: PolicySet; request: AuthzRequest } {
  const { node } = step;
  const set: PolicySet = step.trust ? { ...node.set, resource: step.trust } : node.set;
  const request: AuthzRequest = {
    principal: node.request,
    action: step.action,
    resource: step.resource,
    resourceAccount: node.request.account,
    context: withCallKeys(node.context, step.context),
  };
  return { set, request };
}

/** The principal's keys and the call's, lower-cased as the engine reads them (most calls add none). */
function withCallKeys(principal: ContextValues, call: ContextValues): ContextValues {
  let out: ContextValues | undefined;
  for (const k in call) {
    out ??= { ...principal };
    out[k.toLowerCase()] = call[k];
  }
  return out ?? principal;
}

/**
 * Whether the server would allow the call. For sts:AssumeRole the trust policy must let the caller in
 * itself, as src/sts judges it: an identity policy alone never opens a role.
 */
export function allows(step: Omit<Step, 'kind' | 'to'>): boolean {
  const { set, request } = requestOf(step);
  if (evaluate(set, request).decision !== 'Allow') return false;
  if (!step.trust) return true;
  // Whether a trust statement matches does not depend on the caller's own policies: explain the
  // trust policy alone (a statement or two), not every identity statement.
  return explain({ identity: [], resource: step.trust }, request).matched.some((t) => t.policyType === 'resource' && t.effect === 'Allow');
}

/** The Allow statements that matched, in the order the engine visited them. */
export function matchedStatements(step: Omit<Step, 'kind' | 'to'>): StatementRef[] {
  const { set, request } = requestOf(step);
  return explain(set, request)
    .matched.filter((t) => t.effect === 'Allow')
    .map((t) => ({ policyId: t.policy, policyType: policyTypeOf(t), ...(t.sid !== undefined ? { sid: t.sid } : {}), index: t.statementIndex }));
}

/** The policy simulator's source types (user, group, role, aws-managed, user-managed, resource), plus the boundary's. */
function policyTypeOf(trace: StatementTrace): string {
  if (trace.policyType === 'resource') return 'resource';
  if (trace.policyType === 'boundary') return 'permissions-boundary';
  if (trace.policyType === 'session') return 'session';
  const label = trace.policy;
  if (label === WRITTEN_POLICY_LABEL) return 'none';
  if (label.startsWith('arn:aws:iam::aws:policy/')) return 'aws-managed';
  if (label.startsWith('arn:')) return 'user-managed';
  return label.slice(0, label.indexOf('/'));
}

/**
 * A resource the principal may call `action` on, taken from its own statements' Resource patterns
 * (each pattern, as a request, stands for the resources it covers), or undefined. Used for the
 * actions of services whose resources the analysis does not enumerate (memorydb:CreateCluster, …).
 */
export function witnessResource(node: Node, action: string, patterns: readonly string[]): string | undefined {
  return patterns.find((resource) => allows({ node, action, resource, context: {} }));
}
