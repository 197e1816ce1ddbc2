// The simulation itself: every action against every resource, decided by the same engine that
// authorizes every call (src/policy, explain()), and the answer in the shapes of IAM's
// SimulatePrincipalPolicy / SimulateCustomPolicy (EvaluationResult, ResourceSpecificResult, Statement).
//
// One EvaluationResult per action, as AWS's current documentation describes it: its members sum up
// the action over all resources (the most restrictive decision, the union of matched statements and
// missing keys), and ResourceSpecificResults (when resources are named) holds each resource's own.

import {
  explain,
  variableKeysOf,
  type CompiledPolicy,
  type ContextValues,
  type DetailedExplanation,
  type KeySet,
  type PolicySet,
  type PolicyTypeVerdict,
  type RequestPrincipal,
  type StatementTrace,
} from '../../policy/index.ts';
import { accountInArn } from './arns.ts';
import type { PolicySource } from './sources.ts';

export type EvalDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface WireStatement {
  SourcePolicyId: string;
  SourcePolicyType: string;
  StartPosition?: { Line: number; Column: number };
  EndPosition?: { Line: number; Column: number };
}

export interface ResourceSpecificResult {
  EvalResourceName: string;
  EvalResourceDecision: EvalDecision;
  MatchedStatements: WireStatement[];
  MissingContextValues: string[];
  EvalDecisionDetails?: Record<string, EvalDecision>;
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
}

export interface EvaluationResult {
  EvalActionName: string;
  EvalResourceName: string;
  EvalDecision: EvalDecision;
  MatchedStatements: WireStatement[];
  MissingContextValues: string[];
  OrganizationsDecisionDetail: { AllowedByOrganizations: boolean };
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
  EvalDecisionDetails?: Record<string, EvalDecision>;
  ResourceSpecificResults?: ResourceSpecificResult[];
}

export interface Simulation {
  /** The identity-based policies (the entity's and PolicyInputList's). */
  identity: PolicySource[];
  boundary?: PolicySource;
  resourcePolicy?: PolicySource;
  /** Service control policies by level, organization root first (SimulateCustomPolicy only). */
  organizations?: CompiledPolicy[][];
  caller: RequestPrincipal;
  /** The resources as named, or undefined for `*` (ResourceArns not given). */
  resources: string[] | undefined;
  /** The owner of resources whose ARN names no account, and of the resource policy. */
  resourceOwner: string;
  context: ContextValues;
}

/** Keys of EvalDecisionDetails: iamd's names for the policy types (AWS's are not recorded). */
export const DECISION_SOURCE = {
  identity: 'IAM Policy',
  resource: 'Resource Policy',
  boundary: 'Permissions Boundary Policy',
} as const;

const RESTRICTIVENESS: Record<EvalDecision, number> = { allowed: 0, implicitDeny: 1, explicitDeny: 2 };
const worse = (a: EvalDecision, b: EvalDecision): EvalDecision => (RESTRICTIVENESS[b] > RESTRICTIVENESS[a] ? b : a);

const DECISION: Record<DetailedExplanation['decision'], EvalDecision> = {
  Allow: 'allowed',
  ExplicitDeny: 'explicitDeny',
  ImplicitDeny: 'implicitDeny',
};

const VERDICT: Record<PolicyTypeVerdict, EvalDecision> = { allow: 'allowed', deny: 'explicitDeny', silent: 'implicitDeny' };

export function simulate(simulation: Simulation, actions: readonly string[]): EvaluationResult[] {
  const sources = new Map<string, PolicySource>();
  for (const s of [...simulation.identity, simulation.boundary, simulation.resourcePolicy]) if (s) sources.set(s.policy.label, s);
  const set: PolicySet = { identity: simulation.identity.map((s) => s.policy) };
  if (simulation.boundary) set.boundary = simulation.boundary.policy;
  if (simulation.resourcePolicy) set.resource = simulation.resourcePolicy.policy;
  return actions.map((action) => simulateAction(simulation, set, sources, action));
}

function simulateAction(simulation: Simulation, set: PolicySet, sources: Map<string, PolicySource>, action: string): EvaluationResult {
  const named = simulation.resources !== undefined;
  const perResource = (simulation.resources ?? ['*']).map((resource) => simulateOne(simulation, set, sources, action, resource));

  let decision: EvalDecision = 'allowed';
  let allowedByOrganizations = true;
  let allowedByBoundary = true;
  const matched = new Map<string, WireStatement>();
  const missing = new Map<string, string>();
  let details: Record<string, EvalDecision> | undefined;
  for (const one of perResource) {
    decision = worse(decision, one.result.EvalResourceDecision);
    allowedByOrganizations &&= one.allowedByOrganizations;
    if (one.result.PermissionsBoundaryDecisionDetail) allowedByBoundary &&= one.result.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary;
    for (const s of one.result.MatchedStatements) matched.set(statementKey(s), s);
    for (const k of one.result.MissingContextValues) if (!missing.has(k.toLowerCase())) missing.set(k.toLowerCase(), k);
    if (one.result.EvalDecisionDetails) {
      details ??= {};
      for (const [type, d] of Object.entries(one.result.EvalDecisionDetails)) details[type] = details[type] ? worse(details[type], d) : d;
    }
  }

  const result: EvaluationResult = {
    EvalActionName: action,
    EvalResourceName: simulation.resources?.length === 1 ? simulation.resources[0]! : '*',
    EvalDecision: decision,
    MatchedStatements: [...matched.values()],
    MissingContextValues: [...missing.values()],
    OrganizationsDecisionDetail: { AllowedByOrganizations: allowedByOrganizations },
  };
  if (simulation.boundary) result.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: allowedByBoundary };
  // Present (empty for a same-account simulation) when resources are named; absent for `*` in the
  // same account; the per-type decisions for a cross-account one — as AWS documents and recorded.
  if (details !== undefined) result.EvalDecisionDetails = details;
  else if (named) result.EvalDecisionDetails = {};
  if (named) result.ResourceSpecificResults = perResource.map((one) => one.result);
  return result;
}

interface OneResource {
  result: ResourceSpecificResult;
  allowedByOrganizations: boolean;
}

function simulateOne(simulation: Simulation, set: PolicySet, sources: Map<string, PolicySource>, action: string, resource: string): OneResource {
  const resourceAccount = accountInArn(resource) ?? simulation.resourceOwner;
  const request = { principal: simulation.caller, action, resource, resourceAccount, context: simulation.context };
  const crossAccount = resourceAccount !== simulation.caller.account;

  // Service control policies first: every level must allow, and a Deny at any level ends it.
  let organizations: EvalDecision = 'allowed';
  for (const level of simulation.organizations ?? []) {
    const verdict = explain({ identity: level }, request).verdicts.identity ?? 'silent';
    organizations = worse(organizations, VERDICT[verdict]);
  }

  const explanation = explain(set, request);
  const decision = organizations === 'allowed' ? DECISION[explanation.decision] : organizations;
  const result: ResourceSpecificResult = {
    EvalResourceName: resource,
    EvalResourceDecision: decision,
    // SCP statements are never listed (AWS documents as much); an SCP denial lists none.
    MatchedStatements: organizations === 'allowed' ? deciding(explanation, sources) : [],
    MissingContextValues: missingKeys(explanation, sources, simulation.context),
  };
  if (crossAccount && organizations === 'allowed') result.EvalDecisionDetails = perTypeDecisions(explanation, set);
  if (set.boundary) result.PermissionsBoundaryDecisionDetail = { AllowedByPermissionsBoundary: explanation.verdicts.boundary === 'allow' };
  return { result, allowedByOrganizations: organizations === 'allowed' };
}

/**
 * The statements that decided: for a denial by a Deny, the Deny statements (AWS: "the deny statement
 * is the only entry included"); for an allowance, the identity-based and resource-based Allows that
 * matched; for an implicit denial, none (recorded).
 */
function deciding(explanation: DetailedExplanation, sources: Map<string, PolicySource>): WireStatement[] {
  let traces: StatementTrace[];
  if (explanation.decision === 'ExplicitDeny') traces = explanation.matched.filter((t) => t.effect === 'Deny');
  else if (explanation.decision === 'Allow') {
    traces = explanation.matched.filter((t) => t.effect === 'Allow' && (t.policyType === 'identity' || t.policyType === 'resource'));
  } else traces = [];
  const out: WireStatement[] = [];
  for (const trace of traces) {
    const source = sources.get(trace.policy);
    if (source === undefined) continue;
    const statement: WireStatement = { SourcePolicyId: source.id, SourcePolicyType: source.type };
    const at = source.position(trace.statementIndex);
    if (at) {
      statement.StartPosition = { Line: at.start.line, Column: at.start.column };
      statement.EndPosition = { Line: at.end.line, Column: at.end.column };
    }
    out.push(statement);
  }
  return out;
}

/**
 * The engine's missing keys (those that statements reaching their conditions test), and the keys the
 * `${…}` variables of every statement that names the action read but the request lacks — a statement
 * whose `arn:aws:s3:::b/${aws:username}` cannot match without `aws:username` needs it too.
 */
function missingKeys(explanation: DetailedExplanation, sources: Map<string, PolicySource>, context: ContextValues): string[] {
  const missing: KeySet = new Map(explanation.missingContextKeys.map((k) => [k.toLowerCase(), k]));
  const variables: KeySet = new Map();
  for (const trace of [...explanation.matched, ...explanation.unmatched]) {
    if (trace.miss?.kind === 'action') continue;
    const policy = sources.get(trace.policy)?.policy.parsed;
    const statement = policy?.statements[trace.statementIndex];
    if (policy && statement) variableKeysOf(statement, policy, variables);
  }
  // The simulator's context keys are lower-cased (context-entries.ts).
  for (const [lower, key] of variables) if (!Object.hasOwn(context, lower) && !missing.has(lower)) missing.set(lower, key);
  return [...missing.values()];
}

/** Cross-account: what each side said — the caller's account (identity, boundary) and the resource's. */
function perTypeDecisions(explanation: DetailedExplanation, set: PolicySet): Record<string, EvalDecision> {
  const { verdicts } = explanation;
  const details: Record<string, EvalDecision> = { [DECISION_SOURCE.identity]: VERDICT[verdicts.identity ?? 'silent'] };
  if (set.resource) details[DECISION_SOURCE.resource] = VERDICT[verdicts.resource ?? 'silent'];
  if (set.boundary) details[DECISION_SOURCE.boundary] = VERDICT[verdicts.boundary ?? 'silent'];
  return details;
}

const statementKey = (s: WireStatement): string =>
  `${s.SourcePolicyType}\n${s.SourcePolicyId}\n${s.StartPosition?.Line}:${s.StartPosition?.Column}`;
