// The one path every call takes after authentication, whether it arrived over HTTP or comes from a
// linked service acting through its role: find the operation, authorize it, run it in one transaction,
// and report it to the event log — allowed or denied, however it ended.

import type { AuditSink } from '../audit/types.ts';
import type { AuthzCheck, CallContext, Operation } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import type { Authorizer } from '../authz/authorizer.ts';
import type { Store, Tx } from '../store/types.ts';
import { unavailableAsApiError } from '../common/unavailable.ts';

/** How a service words a denial (EC2: UnauthorizedOperation, MQ: ForbiddenException, …). */
export type AccessDeniedMapper = (denial: ApiError) => ApiError;

/** Told of every authenticated call, allowed or denied: Access Advisor's last-accessed data. */
export interface UsageSink {
  noteCall(ctx: CallContext, service: string, operation: string): void;
}

/** What one run of an operation asked authorization for, kept for its event. */
interface Trace {
  checks?: AuthzCheck[];
}

/** The event of a call made inside another call's transaction, held until that transaction ends. */
interface NestedReport {
  failed: boolean;
  report(): void;
}

export class Dispatcher {
  private readonly operations = new Map<string, Operation>();
  /** Calls in progress by their context, collecting the events of calls nested in their transaction. */
  private readonly nested = new WeakMap<CallContext, NestedReport[]>();
  private readonly denialMappers = new Map<string, AccessDeniedMapper>();

  constructor(
    private readonly store: Store,
    private readonly authorizer: Authorizer,
    /** Told of every call this dispatcher runs (src/audit/). */
    private readonly audit?: AuditSink,
    /** Told of every call, however it ended (src/iam/access-advisor/). */
    private readonly usage?: UsageSink,
  ) {}

  /** `accessDenied` rewords AccessDenied for services whose API names it differently. */
  register(operations: Operation[], options: { accessDenied?: AccessDeniedMapper } = {}): void {
    for (const op of operations) {
      if (options.accessDenied) this.denialMappers.set(op.service, options.accessDenied);
      const key = `${op.service}:${op.name}`;
      if (this.operations.has(key)) throw new Error(`operation ${key} registered twice`);
      this.operations.set(key, op as Operation);
    }
  }

  has(service: string, name: string): boolean {
    return this.operations.has(`${service}:${name}`);
  }

  /** For an operation served unsigned: the account its request acts on (Operation.unsignedAccount). */
  async unsignedAccount(service: string, name: string, input: Record<string, unknown>, tx: Tx): Promise<string | undefined> {
    return this.operations.get(`${service}:${name}`)?.unsignedAccount?.(input, tx);
  }

  isReadOnly(service: string, name: string): boolean {
    return this.operations.get(`${service}:${name}`)?.readOnly === true;
  }

  /** A read view in which several steps of one request (authentication, a read-only call) share a snapshot. */
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.read(fn);
  }

  /** Throws `ApiError` for every failure a client should see (including AccessDenied). */
  async call(service: string, name: string, input: Record<string, unknown>, ctx: CallContext): Promise<unknown> {
    const op = this.operations.get(`${service}:${name}`);
    if (!op) throw new ApiError('InvalidAction', `Could not find operation ${name} for version ${service}`, 400);
    const trace: Trace = {};
    const run = (tx: Tx) => this.runIn(op, input, ctx, tx, trace);
    const nested: NestedReport[] = [];
    this.nested.set(ctx, nested);
    try {
      // Before the transaction, never inside it: it may wait on the network.
      if (op.prepare) await op.prepare(input, ctx, (fn) => this.store.read(fn));
      const output = await (op.readOnly ? this.store.read(run) : this.store.transaction(run));
      for (const n of nested) n.report();
      this.report(op, input, ctx, trace, { output });
      return output;
    } catch (error) {
      // The transaction rolled back: what a nested call wrote is gone, so only its refusals happened.
      for (const n of nested) if (n.failed) n.report();
      const reworded = this.reword(service, error);
      this.report(op, input, ctx, trace, { error: reworded });
      throw reworded;
    } finally {
      this.nested.delete(ctx);
    }
  }

  /**
   * The same call inside a transaction the caller already holds — for an operation that is one step
   * of another (a linked service creating its role with its caller's authority: if the role cannot be
   * created, nothing of the outer request is written either).
   */
  async callInTx(service: string, name: string, input: Record<string, unknown>, ctx: CallContext, tx: Tx): Promise<unknown> {
    const op = this.operations.get(`${service}:${name}`);
    if (!op) throw new Error(`operation ${service}:${name} is not registered`);
    if (op.prepare) throw new Error(`operation ${service}:${name} prepares outside a transaction; it cannot run inside another call's`);
    const trace: Trace = {};
    // Inside another call's transaction, this call's event waits for that transaction's outcome.
    const outer = this.nested.get(ctx);
    const report = (outcome: { output?: unknown; error?: unknown }) => {
      if (outer) outer.push({ failed: 'error' in outcome, report: () => this.report(op, input, ctx, trace, outcome) });
      else this.report(op, input, ctx, trace, outcome);
    };
    try {
      const output = await this.runIn(op, input, ctx, tx, trace);
      report({ output });
      return output;
    } catch (error) {
      const reworded = this.reword(service, error);
      report({ error: reworded });
      throw reworded;
    }
  }

  private async runIn(op: Operation, input: Record<string, unknown>, ctx: CallContext, tx: Tx, trace: Trace): Promise<unknown> {
    const checks = await op.authorize(input, ctx, tx);
    trace.checks = checks;
    await this.authorizer.authorize(checks, ctx, tx);
    return op.handle(input, ctx, tx);
  }

  private report(op: Operation, input: Record<string, unknown>, ctx: CallContext, trace: Trace, outcome: { output?: unknown; error?: unknown }): void {
    this.usage?.noteCall(ctx, op.service, op.name);
    if (!this.audit) return;
    const resources = trace.checks?.map((c) => c.resource) ?? [];
    this.audit.record({ service: op.service, operation: op.name, readOnly: op.readOnly === true, input, resources, ctx, ...outcome });
  }

  private reword(service: string, failure: unknown): unknown {
    // An unreachable store is reported (and recorded) as ServiceUnavailable, not as a bug.
    const error = unavailableAsApiError(failure);
    const mapper = this.denialMappers.get(service);
    if (mapper && error instanceof ApiError && error.code === 'AccessDenied') return mapper(error);
    return error;
  }
}
