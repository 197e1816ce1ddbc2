// What every operation handler receives: who is calling, on which account and region, and when.
// Built by the server from an authenticated HTTP request, or by a linked service acting through its
// role; either way the same handlers and the same authorization run.

import type { ContextValues, RequestPrincipal } from '../policy/types.ts';
import type { Tx } from '../store/types.ts';

/** An assumed-role session (credentials from sts:AssumeRole, or a linked service acting as its role). */
export interface RoleSession {
  roleArn: string;
  roleName: string;
  /** The role's unique id (`AROA…`); with the session name it forms `aws:userid`. */
  roleId: string;
  sessionName: string;
  /** Epoch milliseconds. */
  issuedAt: number;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Session policy documents (`Policy` and the documents of `PolicyArns`), which limit the session. */
  sessionPolicies: { label: string; document: string }[];
  sourceIdentity?: string;
  /** Session tags (they override role tags of the same key for aws:PrincipalTag). */
  tags: Record<string, string>;
  /** The session tags marked transitive: they pass on to every role this session assumes in turn. */
  transitiveTags?: Record<string, string>;
  /** For a service acting through its service-linked role: the service principal. */
  viaService?: string;
  /**
   * Condition keys the session brings to every request it signs: for AssumeRoleWithWebIdentity,
   * `aws:FederatedProvider` and the token's claims (`<provider>:sub`, …). Lower-cased keys.
   */
  context?: ContextValues;
}

/** A federated user (GetFederationToken): the IAM user's (or root's) permissions, limited by the session policies. */
export interface FederatedSession {
  name: string;
  sessionPolicies: { label: string; document: string }[];
  /** Issued to the account's root: its identity is the root's, which has every permission. */
  viaRoot: boolean;
}

export interface Caller {
  account: string;
  principal: RequestPrincipal;
  /** `aws:userid`: `AIDA…` for a user, `AROA…:session` for a role session, the account id for root. */
  userId: string;
  /** `aws:username`, for IAM users only. */
  userName?: string;
  /** IAM user name or role name whose identity policies apply (absent for root). */
  identity?: { type: 'user' | 'role'; name: string };
  /** `aws:PrincipalTag/…` values (tag keys as stored). */
  tags: Record<string, string>;
  accessKeyId?: string;
  session?: RoleSession;
  /** Credentials from GetSessionToken: the user's (or root's) own, limited in what they may call (auth/session-token-scope.ts). */
  sessionToken?: { issuedAt: number };
  /** A federated user's session (GetFederationToken): its name and the session policies that alone grant it anything. */
  federation?: FederatedSession;
  /** Epoch milliseconds at which these temporary credentials' holder proved an MFA code (aws:MultiFactorAuthAge counts from it). */
  mfaAuthenticatedAt?: number;
}

export interface CallContext {
  requestId: string;
  caller: Caller;
  /** The account the call acts on (the caller's account). */
  account: string;
  /** The region from the request's credential scope. */
  region: string;
  now: Date;
  sourceIp: string;
  secureTransport: boolean;
  /** The client's User-Agent (a service acting through its role: the service principal). */
  userAgent?: string;
}

/** One authorization question an operation asks: may the caller do `action` on `resource`? */
export interface AuthzCheck {
  action: string;
  resource: string;
  resourceAccount?: string;
  /** Service-specific and request keys (`iam:AWSServiceName`, `aws:RequestTag/k`, `aws:TagKeys`, …). */
  context?: ContextValues;
}

/**
 * An API operation, declared once: its authorization and its behaviour. Input and output are plain
 * objects whose members are named as in the service's botocore model (`RoleName`, `Tags: [{Key, Value}]`),
 * so the protocol layer can decode and encode them from the model alone.
 */
export interface Operation<I = Record<string, unknown>, O = Record<string, unknown> | void> {
  service: string;
  name: string;
  /** The checks to pass before `handle` runs. Reads state where conditions need it (resource tags). */
  authorize(input: I, ctx: CallContext, tx: Tx): Promise<AuthzCheck[]> | AuthzCheck[];
  /** Runs inside one store transaction. */
  handle(input: I, ctx: CallContext, tx: Tx): Promise<O>;
  /** Read-only operations can run on a read view instead of a write transaction. */
  readOnly?: boolean;
  /**
   * Work that must not hold the store's transaction open — fetching an identity provider's keys over
   * the network — done before it, with `read` for the look-ups it needs. What it finds, the operation
   * keeps for its `handle` of the same call (same `ctx`).
   */
  prepare?(input: I, ctx: CallContext, read: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>): Promise<void>;
  /**
   * For an operation AWS serves unsigned (STS AssumeRoleWithWebIdentity), which has no caller to take
   * an account from: the account the request acts on — where it runs and is recorded — when it names
   * one iamd holds; undefined otherwise (the call is answered, and not recorded in any account).
   */
  unsignedAccount?(input: I, tx: Tx): Promise<string | undefined>;
}

/** What an operation declares beside its service and name, written over its own input type. */
export type OperationSpec<I, O extends Record<string, unknown> | void = Record<string, unknown> | void> = Omit<Operation<I, O>, 'service' | 'name'>;

/**
 * An operation written over its own input type. The protocol layer has decoded and validated the
 * input against the service's model before any handler runs, so the handler may rely on its shape;
 * this is the one place that says so to the type checker.
 */
export function defineOperation<I, O extends Record<string, unknown> | void = Record<string, unknown> | void>(
  service: string,
  name: string,
  spec: OperationSpec<I, O>,
): Operation {
  return { service, name, ...spec } as unknown as Operation;
}

/** A service's `defineOperation`: its operation files name only the operation. */
export type DefineOperation = <I, O extends Record<string, unknown> | void = Record<string, unknown> | void>(
  name: string,
  spec: OperationSpec<I, O>,
) => Operation;

export function defineOperationFor(service: string): DefineOperation {
  return <I, O extends Record<string, unknown> | void = Record<string, unknown> | void>(name: string, spec: OperationSpec<I, O>): Operation =>
    defineOperation<I, O>(service, name, spec);
}
