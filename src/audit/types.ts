// What the dispatcher hands the audit log for every call it ran, allowed or denied, and the
// CloudTrail-shaped record iamd keeps of it.

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

export interface SessionIssuer {
  type: 'Role';
  principalId: string;
  arn: string;
  accountId: string;
  userName: string;
}

export interface UserIdentity {
  type: 'Root' | 'IAMUser' | 'AssumedRole';
  principalId: string;
  arn: string;
  accountId: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: {
    sessionIssuer: SessionIssuer;
    attributes: { creationDate: string; mfaAuthenticated: 'false' };
    sourceIdentity?: string;
  };
  /** The service principal, when a service made the call through its role. */
  invokedBy?: string;
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

/** What is stored per event: the record, and the lookup fields CloudTrail derives from it. */
export interface StoredEvent {
  record: CloudTrailRecord;
  /** LookupEvents' `Username`: `root`, the IAM user's name, or the role session's name. */
  username: string;
  resources: { ResourceType: string; ResourceName: string }[];
}
