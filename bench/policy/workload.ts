// A policy workload as every engine in the benchmark receives it: IAM policy documents (as JSON
// values), the principals they belong to, and requests. Each engine adapter translates this once,
// outside the measured loop, into its own input form.

export type IamValue = string | string[];

export interface IamStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: IamValue;
  NotAction?: IamValue;
  Resource?: IamValue;
  NotResource?: IamValue;
  Condition?: Record<string, Record<string, IamValue>>;
}

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

export interface WorkloadPolicy {
  name: string;
  document: IamPolicyDocument;
}

/** One principal and its identity policies. */
export interface WorkloadPrincipal {
  /** The caller's ARN, e.g. an assumed-role session of a service-linked role. */
  arn: string;
  account: string;
  policies: WorkloadPolicy[];
}

export interface WorkloadRequest {
  /** Index into `Workload.principals`. */
  principal: number;
  action: string;
  resource: string;
  /** Authoritative context: a key is present exactly when listed. */
  context: Record<string, IamValue>;
}

/**
 * The value type of each condition key (lower-cased), which engines with typed values (Cedar) need to
 * translate policies and contexts; IAM itself types by operator.
 */
export type ContextKeyType = 'string' | 'set' | 'long' | 'bool' | 'ip';

export interface Workload {
  name: string;
  description: string;
  principals: WorkloadPrincipal[];
  requests: WorkloadRequest[];
  keyTypes: Record<string, ContextKeyType>;
}

export type BenchDecision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** An engine prepared for one workload: `decide(i)` evaluates request i. */
export interface PreparedEngine {
  decide(i: number): BenchDecision;
}

export interface EngineAdapter {
  name: string;
  /** How the engine is called, for the report (API and what is prepared outside the loop). */
  method: string;
  prepare(workload: Workload): PreparedEngine;
}

export const asArray = (v: IamValue | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
