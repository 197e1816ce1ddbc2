// What the dispatcher hands the audit log for every call it ran, allowed or denied; the compact form
// iamd stores of it; and the CloudTrail event record it is read back as.

import type { CallContext } from '../common/call.ts';

/** One call as the dispatcher saw it: who, what, on which resources, and how it ended. */
export interface CallRecord {
  service: string;
  operation: string;
  readOnly: boolean;
  input: Record<string, unknown>;
  /** The operation's output, when it succeeded. */
  output?: unknown;
  /** The error it ended with (an ApiError as the client saw it, or a bug). */
  error?: unknown;
  /** The ARNs its authorization checks named (`*` excluded). */
  resources: readonly string[];
  ctx: CallContext;
}

/** Where the dispatcher reports calls. Must not throw and must not wait for I/O. */
export interface AuditSink {
  record(call: CallRecord): void;
}

/**
 * An event as stored: short member names and nothing that can be derived, because every call
 * writes one and the bytes written are most of what recording costs (see docs/audit.md). Read back,
 * it becomes a CloudTrailRecord (`toCloudTrailRecord`).
 */
export interface StoredEvent {
  /** Event time, epoch milliseconds. */
  t: number;
  /** eventID. */
  id: string;
  /** requestID. */
  rq: string;
  /** iamd's service name (`iam`, `cloudwatch`, …) and the operation. */
  s: string;
  op: string;
  /** awsRegion, sourceIPAddress, userAgent. */
  r: string;
  ip: string;
  ua?: string;
  ro: boolean;
  /** Who: the caller. */
  who: StoredIdentity;
  /** requestParameters / responseElements as CloudTrail writes them (secrets already left out). */
  p?: Record<string, unknown>;
  o?: Record<string, unknown>;
  /** errorCode, errorMessage. */
  err?: [code: string, message: string];
  /** Resource ARNs. */
  res?: string[];
}

export type StoredIdentity =
  | { k: 'Root'; key?: string }
  | { k: 'IAMUser'; id: string; arn: string; key?: string; name: string }
  | {
      k: 'AssumedRole';
      id: string;
      arn: string;
      key?: string;
      role: { id: string; arn: string; name: string; session: string; issued: number; sourceIdentity?: string };
      via?: string;
    }
  /** An unsigned call (AssumeRoleWithWebIdentity): the web identity, once the call established it. */
  | { k: 'WebIdentityUser'; provider?: string; aud?: string; sub?: string; /** Never set: a web identity signs with no key. */ key?: undefined };

export interface SessionIssuer {
  type: 'Role';
  principalId: string;
  arn: string;
  accountId: string;
  userName: string;
}

export interface UserIdentity {
  type: 'Root' | 'IAMUser' | 'AssumedRole' | 'WebIdentityUser';
  principalId: string;
  /** Absent for a web identity, which is no IAM principal. */
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: {
    sessionIssuer: SessionIssuer;
    attributes: { creationDate: string; mfaAuthenticated: 'false' };
    sourceIdentity?: string;
  };
  /** The service principal, when a service made the call through its role. */
  invokedBy?: string;
  /** For a web identity: the provider that vouched for it. */
  identityProvider?: string;
}

export interface EventResource {
  accountId: string;
  type: string;
  ARN: string;
}

/** A CloudTrail event record (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html). */
export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: EventResource[];
  eventType: 'AwsApiCall';
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: 'Management';
}
