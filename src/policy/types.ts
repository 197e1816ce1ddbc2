// The policy engine's vocabulary. Parsing produces a `ParsedPolicy`; compiling turns it into a
// `CompiledPolicy`; evaluation takes a `PolicySet` and an `AuthzRequest` and returns a `Decision`
// (and, when asked, an `Explanation`). Nothing here knows about HTTP or storage.

export type PolicyKind = 'identity' | 'resource' | 'trust' | 'boundary' | 'session';

export type PolicyVersion = '2012-10-17' | '2008-10-17';

export type Effect = 'Allow' | 'Deny';

/** `"*"` or a map of principal type to its values, as written in the policy (values always arrays). */
export type PrincipalSpec =
  | '*'
  | {
      AWS?: string[];
      Service?: string[];
      Federated?: string[];
      CanonicalUser?: string[];
    };

export type ConditionBaseOperator =
  | 'StringEquals' | 'StringNotEquals' | 'StringEqualsIgnoreCase' | 'StringNotEqualsIgnoreCase'
  | 'StringLike' | 'StringNotLike'
  | 'NumericEquals' | 'NumericNotEquals' | 'NumericLessThan' | 'NumericLessThanEquals'
  | 'NumericGreaterThan' | 'NumericGreaterThanEquals'
  | 'DateEquals' | 'DateNotEquals' | 'DateLessThan' | 'DateLessThanEquals'
  | 'DateGreaterThan' | 'DateGreaterThanEquals'
  | 'Bool' | 'BinaryEquals' | 'IpAddress' | 'NotIpAddress'
  | 'ArnEquals' | 'ArnLike' | 'ArnNotEquals' | 'ArnNotLike'
  | 'Null';

export type SetQualifier = 'ForAllValues' | 'ForAnyValue';

/** One (operator, key) pair of a statement's Condition block. Values are OR-ed; clauses are AND-ed. */
export interface ConditionClause {
  /** The operator exactly as written, e.g. `ForAllValues:StringLikeIfExists`. */
  operator: string;
  base: ConditionBaseOperator;
  qualifier?: SetQualifier;
  ifExists: boolean;
  /** The key exactly as written (matching is case-insensitive). */
  key: string;
  /** Values as strings: JSON booleans and numbers are turned into their text, as AWS does. */
  values: string[];
}

export interface Statement {
  /** Position in the policy's Statement list (0-based). */
  index: number;
  sid?: string;
  effect: Effect;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  conditions: ConditionClause[];
}

export interface ParsedPolicy {
  kind: PolicyKind;
  /** Absent when the document has no Version (policy variables are then literal text). */
  version?: PolicyVersion;
  id?: string;
  statements: Statement[];
}

export type PolicyErrorCode = 'MalformedPolicyDocument' | 'LimitExceeded';

export interface PolicyError {
  code: PolicyErrorCode;
  message: string;
}

export type ParseResult =
  | { ok: true; policy: ParsedPolicy; warnings: string[] }
  | { ok: false; error: PolicyError };

export interface ParseOptions {
  /** Maximum size in characters, counted as AWS counts it for this kind (see `policySize`). */
  maxSize?: number;
}

/** Who is asking. */
export type PrincipalKind = 'root' | 'user' | 'assumed-role' | 'federated-user' | 'service' | 'anonymous';

export interface RequestPrincipal {
  kind: PrincipalKind;
  /**
   * The ARN of the caller (`arn:aws:iam::111122223333:user/alice`,
   * `arn:aws:sts::111122223333:assumed-role/R/session`, `arn:aws:iam::111122223333:root`),
   * or the service principal name for `service` (`memorydb.amazonaws.com`), or `*` for anonymous.
   */
  arn: string;
  /** The caller's account; absent for service and anonymous principals. */
  account?: string;
  /** For an assumed-role session: the role's ARN (`arn:aws:iam::111122223333:role/path/R`). */
  roleArn?: string;
  /** For a federated principal: the identity provider it came from. */
  federatedProvider?: string;
}

/**
 * Context values: a key is present exactly when it is listed. A string is a single-valued key, an
 * array a multi-valued one (`[]` is present and empty). Numbers and booleans are their text.
 */
export type ContextValue = string | string[];
export type ContextValues = Record<string, ContextValue>;

export interface AuthzRequest {
  principal: RequestPrincipal;
  /** `service:Action`, e.g. `iam:CreateServiceLinkedRole`. */
  action: string;
  /** The resource ARN, or `*` for actions without a resource. */
  resource: string;
  /** The account that owns the resource; defaults to the principal's account. */
  resourceAccount?: string;
  context: ContextValues;
}

/** A policy prepared for fast evaluation; produced once per distinct document (see `compilePolicy`). */
export interface CompiledPolicy {
  readonly kind: PolicyKind;
  /** A label for explanations and AccessDenied messages: a policy ARN, `role/R inline P`, a file name. */
  readonly label: string;
  readonly parsed: ParsedPolicy;
}

/**
 * Everything that governs one request. Absent boundary / session means "no limit of that kind".
 * `resource` is the resource-based policy of the target (a role's trust policy for sts:AssumeRole).
 */
export interface PolicySet {
  identity: CompiledPolicy[];
  resource?: CompiledPolicy;
  boundary?: CompiledPolicy;
  /** Session policies (inline `Policy` and each of `PolicyArns`); all of them together limit the session. */
  session?: CompiledPolicy[];
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** Which kind of policy decided a denial — AWS names it in AccessDenied messages. */
export type DenyingPolicyType = 'identity' | 'resource' | 'boundary' | 'session';

export interface EvaluationResult {
  decision: Decision;
  /** For a denial: the policy type AWS would name ("no identity-based policy allows", …). */
  deniedBy?: DenyingPolicyType;
}

/** Why one statement did or did not apply. */
export type StatementMiss =
  | { kind: 'action'; detail: string }
  | { kind: 'resource'; detail: string }
  | { kind: 'principal'; detail: string }
  | { kind: 'condition'; operator: string; key: string; values: string[]; actual: ContextValue | null; detail: string };

export interface StatementTrace {
  policyType: DenyingPolicyType;
  policy: string;
  statementIndex: number;
  sid?: string;
  effect: Effect;
  /** True when the statement applied to the request (its effect counts). */
  matched: boolean;
  /** For a statement that did not apply: the first reason found. */
  miss?: StatementMiss;
}

export interface Explanation extends EvaluationResult {
  /** Statements whose effect applied: Allow statements that granted, Deny statements that denied. */
  matched: StatementTrace[];
  /** Statements that did not apply, each with why. */
  unmatched: StatementTrace[];
  /** A one-line human summary, e.g. "Denied: no identity-based policy allows iam:CreateRole". */
  summary: string;
}
