// One call → one CloudTrail event record, as CloudTrail would write it for the same call: who made it
// (root, an IAM user, or a role session — with the service that acted through the role as
// `invokedBy` and as the source address), what was asked (secrets left out), how it ended.

import { randomUUID } from 'node:crypto';
import type { Caller } from '../common/call.ts';
import { isApiError } from '../common/errors.ts';
import { recordedMembers } from './parameters.ts';
import { describeResource } from './resources.ts';
import type { CallRecord, CloudTrailRecord, StoredEvent, UserIdentity } from './types.ts';

export const EVENT_VERSION = '1.09';

/** iamd's service names whose event source is not `<service>.amazonaws.com`. */
const EVENT_SOURCE: Record<string, string> = { cloudwatch: 'monitoring.amazonaws.com' };

export const eventSourceOf = (service: string): string => EVENT_SOURCE[service] ?? `${service}.amazonaws.com`;

/** CloudTrail writes times to the second: `2024-05-01T12:34:56Z`. */
export const cloudTrailTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Read-only as CloudTrail counts it: what the operation declares, else a reading verb. */
const READING = /^(Get|List|Describe|Lookup)/;

function userIdentity(caller: Caller): UserIdentity {
  const base = { principalId: caller.userId, arn: caller.principal.arn, accountId: caller.account, accessKeyId: caller.accessKeyId };
  const session = caller.session;
  if (session) {
    return {
      type: 'AssumedRole',
      ...base,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: session.roleId, arn: session.roleArn, accountId: caller.account, userName: session.roleName },
        attributes: { creationDate: cloudTrailTime(session.issuedAt), mfaAuthenticated: 'false' },
        ...(session.sourceIdentity !== undefined ? { sourceIdentity: session.sourceIdentity } : {}),
      },
      ...(session.viaService !== undefined ? { invokedBy: session.viaService } : {}),
    };
  }
  if (caller.principal.kind === 'root') return { type: 'Root', ...base };
  return { type: 'IAMUser', ...base, userName: caller.userName };
}

/** LookupEvents' `Username` of a caller. */
function usernameOf(caller: Caller): string {
  if (caller.session) return caller.session.sessionName;
  return caller.userName ?? 'root';
}

function failure(error: unknown): { errorCode: string; errorMessage: string } {
  if (isApiError(error)) return { errorCode: error.code, errorMessage: error.message };
  return { errorCode: 'InternalFailure', errorMessage: 'The request processing has failed because of an unknown error, exception or failure.' };
}

export function buildEvent(call: CallRecord, eventId: string = randomUUID()): StoredEvent {
  const { ctx } = call;
  const described = [];
  for (const arn of new Set(call.resources)) {
    const d = describeResource(arn);
    if (d) described.push(d);
  }
  const readOnly = call.readOnly || READING.test(call.operation);
  const failed = call.error !== undefined;
  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentity(ctx.caller),
    eventTime: cloudTrailTime(ctx.now.getTime()),
    eventSource: eventSourceOf(call.service),
    eventName: call.operation,
    awsRegion: ctx.region,
    sourceIPAddress: ctx.sourceIp,
    ...(ctx.userAgent !== undefined ? { userAgent: ctx.userAgent } : {}),
    ...(failed ? failure(call.error) : {}),
    requestParameters: recordedMembers(call.input),
    // Like CloudTrail, reads record no response; writes record theirs without secrets.
    responseElements: failed || readOnly ? null : recordedMembers(call.output),
    requestID: ctx.requestId,
    eventID: eventId,
    readOnly,
    ...(described.length ? { resources: described.map((d) => d.record) } : {}),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ctx.account,
    eventCategory: 'Management',
  };
  return { record, username: usernameOf(ctx.caller), resources: described.map((d) => d.lookup) };
}
