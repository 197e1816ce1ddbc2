// Decides whether a caller may do what an operation asks, with the same policy engine for every
// service. Compiled policy sets are cached per principal and trusted only while the account's
// generation counter (bumped by every write that changes permissions) is unchanged, so a policy change
// takes effect on the next request — on every node, since the counter lives in the store.

import type { AuthzCheck, CallContext, Caller } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import { evaluate, explain } from '../policy/index.ts';
import type { AuthzRequest, CompiledPolicy, DenyingPolicyType, EvaluationResult, Explanation, PolicySet } from '../policy/types.ts';
import type { Tx } from '../store/types.ts';
import { globalContext } from './context.ts';
import { compileStored } from './compile.ts';

export interface StoredPolicy {
  label: string;
  document: string;
}

/** Where the authorizer finds an identity's policies (the IAM module provides it). */
export type PolicyLoader = (
  tx: Tx,
  account: string,
  identity: { type: 'user' | 'role'; name: string },
) => Promise<{ policies: StoredPolicy[]; boundary?: StoredPolicy } | undefined>;

interface CachedIdentity {
  generation: number;
  identity: CompiledPolicy[];
  boundary?: CompiledPolicy;
}

const MAX_CACHED_IDENTITIES = 10_000;
const ROOT_ALLOWED = Symbol('root allowed');

/** What the root may do, as an identity policy: everything (compiled once, on first use). */
const ROOT_IDENTITY = (): CompiledPolicy =>
  compileStored('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 'identity', 'the account root');

export interface DecideOptions {
  resourcePolicy?: CompiledPolicy;
}

const POLICY_TYPE_WORDS: Record<DenyingPolicyType, { implicit: string; explicit: string }> = {
  identity: { implicit: 'no identity-based policy allows', explicit: 'an identity-based policy' },
  resource: { implicit: 'no resource-based policy allows', explicit: 'a resource-based policy' },
  boundary: { implicit: 'no permissions boundary allows', explicit: 'a permissions boundary' },
  session: { implicit: 'no session policy allows', explicit: 'a session policy' },
};

/** AWS's AccessDenied text, e.g. "User: arn:… is not authorized to perform: iam:CreateRole on resource: arn:… because no identity-based policy allows the iam:CreateRole action". */
export function accessDeniedMessage(callerArn: string, check: AuthzCheck, result: EvaluationResult): string {
  const head = `User: ${callerArn} is not authorized to perform: ${check.action} on resource: ${check.resource}`;
  const words = POLICY_TYPE_WORDS[result.deniedBy ?? 'identity'];
  return result.decision === 'ExplicitDeny'
    ? `${head} with an explicit deny in ${words.explicit}`
    : `${head} because ${words.implicit} the ${check.action} action`;
}

export class Authorizer {
  private readonly cache = new Map<string, CachedIdentity>();

  constructor(private readonly loadPolicies: PolicyLoader) {}

  /** Evaluates every check; throws AccessDenied (AWS's text) at the first that is not allowed. */
  async authorize(checks: AuthzCheck[], ctx: CallContext, tx: Tx): Promise<void> {
    for (const check of checks) {
      const result = await this.decide(check, ctx, tx);
      if (result.decision !== 'Allow') {
        throw new ApiError('AccessDenied', accessDeniedMessage(ctx.caller.principal.arn, check, result), 403);
      }
    }
  }

  /**
   * One decision. `resourcePolicy` is the target's resource-based policy (a role's trust policy for
   * sts:AssumeRole), evaluated together with the caller's own policies.
   */
  async decide(check: AuthzCheck, ctx: CallContext, tx: Tx, options: DecideOptions = {}): Promise<EvaluationResult> {
    const prepared = await this.prepare(check, ctx, tx, options);
    return prepared === ROOT_ALLOWED ? { decision: 'Allow' } : evaluate(prepared.set, prepared.request);
  }

  /** The same decision with every statement's part in it (for AssumeRole's trust rules, the simulator). */
  async explain(check: AuthzCheck, ctx: CallContext, tx: Tx, options: DecideOptions = {}): Promise<Explanation | undefined> {
    const prepared = await this.prepare(check, ctx, tx, options);
    return prepared === ROOT_ALLOWED ? undefined : explain(prepared.set, prepared.request);
  }

  private async prepare(
    check: AuthzCheck,
    ctx: CallContext,
    tx: Tx,
    options: DecideOptions,
  ): Promise<typeof ROOT_ALLOWED | { set: PolicySet; request: AuthzRequest }> {
    const { caller } = ctx;
    const resourceAccount = check.resourceAccount ?? ctx.account;
    // The root user may do anything in its own account; IAM policies cannot limit it.
    if (caller.principal.kind === 'root' && resourceAccount === caller.account && !options.resourcePolicy) return ROOT_ALLOWED;
    const set = await this.policySet(caller, tx);
    if (options.resourcePolicy) set.resource = options.resourcePolicy;
    const request: AuthzRequest = {
      principal: caller.principal,
      action: check.action,
      resource: check.resource,
      resourceAccount,
      context: { ...globalContext(ctx), ...lowerKeys(check.context) },
    };
    return { set, request };
  }

  /** The policies that govern a caller: its identity's, its boundary, and its session's. */
  async policySet(caller: Caller, tx: Tx): Promise<PolicySet> {
    const set: PolicySet = { identity: [] };
    if (caller.identity) {
      const cached = await this.identityPolicies(caller.account, caller.identity, tx);
      set.identity = cached.identity;
      set.boundary = cached.boundary;
    }
    // A federated user issued to the root has the root's every permission, limited by its session policies.
    if (caller.federation?.viaRoot) set.identity = [ROOT_IDENTITY()];
    const sessionPolicies = caller.session?.sessionPolicies ?? caller.federation?.sessionPolicies;
    if (sessionPolicies && sessionPolicies.length > 0) {
      set.session = sessionPolicies.map((p) => compileStored(p.document, 'session', p.label));
    }
    return set;
  }

  private async identityPolicies(
    account: string,
    identity: { type: 'user' | 'role'; name: string },
    tx: Tx,
  ): Promise<CachedIdentity> {
    const generation = await tx.generation(account);
    const key = `${account}\n${identity.type}\n${identity.name.toLowerCase()}`;
    const hit = this.cache.get(key);
    if (hit && hit.generation === generation) return hit;
    const loaded = await this.loadPolicies(tx, account, identity);
    const entry: CachedIdentity = {
      generation,
      identity: (loaded?.policies ?? []).map((p) => compileStored(p.document, 'identity', p.label)),
      boundary: loaded?.boundary && compileStored(loaded.boundary.document, 'boundary', loaded.boundary.label),
    };
    if (this.cache.size >= MAX_CACHED_IDENTITIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, entry);
    return entry;
  }
}

function lowerKeys(context: AuthzCheck['context']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (context) for (const [k, v] of Object.entries(context)) out[k.toLowerCase()] = v;
  return out;
}
