// One call → one event, as CloudTrail would record the same call: who made it (root, an IAM user, or
// a role session — with the service that acted through the role as `invokedBy` and as the source
// address), what was asked (secrets left out), how it ended. `storedEvent` keeps the least that
// says all of it, on the request path; `toCloudTrailRecord` writes the full record when it is read.

import { randomUUID } from 'node:crypto';
import type { Caller } from '../common/call.ts';
import { isApiError } from '../common/errors.ts';
import { recordedMembers } from './parameters.ts';
import { describeResource } from './resources.ts';
import type { CallRecord, CloudTrailRecord, StoredEvent, StoredIdentity, UserIdentity } from './types.ts';

export const EVENT_VERSION = '1.09';

/** iamd's service names whose event source is not `<service>.amazonaws.com`. */
const EVENT_SOURCE: Record<string, string> = { cloudwatch: 'monitoring.amazonaws.com', accessanalyzer: 'access-analyzer.amazonaws.com' };

export const eventSourceOf = (service: string): string => EVENT_SOURCE[service] ?? `${service}.amazonaws.com`;

/** CloudTrail writes times to the second: `2024-05-01T12:34:56Z`. */
export const cloudTrailTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Read-only as CloudTrail counts it: what the operation declares, else a reading verb. */
const READING = /^(Get|List|Describe|Lookup)/;

const INTERNAL_FAILURE: [string, string] = ['InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.'];

function storedIdentity(caller: Caller): StoredIdentity {
  const key = caller.accessKeyId;
  const session = caller.session;
  if (session) {
    return {
      k: 'AssumedRole',
      id: caller.userId,
      arn: caller.principal.arn,
      key,
      role: {
        id: session.roleId,
        arn: session.roleArn,
        name: session.roleName,
        session: session.sessionName,
        issued: session.issuedAt,
        ...(session.sourceIdentity !== undefined ? { sourceIdentity: session.sourceIdentity } : {}),
      },
      ...(session.viaService !== undefined ? { via: session.viaService } : {}),
    };
  }
  if (caller.principal.kind === 'root') return { k: 'Root', key };
  return { k: 'IAMUser', id: caller.userId, arn: caller.principal.arn, key, name: caller.userName ?? '' };
}

/** An unsigned call's identity: the web identity its answer names, when it succeeded. */
function webIdentityOf(output: unknown): StoredIdentity {
  const o = (output ?? {}) as { Provider?: unknown; Audience?: unknown; SubjectFromWebIdentityToken?: unknown };
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const provider = text(o.Provider);
  const aud = text(o.Audience);
  const sub = text(o.SubjectFromWebIdentityToken);
  return { k: 'WebIdentityUser', ...(provider ? { provider } : {}), ...(aud ? { aud } : {}), ...(sub ? { sub } : {}) };
}

/** The event to store for a call (on the request path: kept small and cheap). */
export function storedEvent(call: CallRecord, eventId: string = randomUUID()): StoredEvent {
  const { ctx } = call;
  const readOnly = call.readOnly || READING.test(call.operation);
  const failed = call.error !== undefined;
  const params = recordedMembers(call.input);
  // Like CloudTrail, reads record no response; writes record theirs without secrets.
  const response = failed || readOnly ? null : recordedMembers(call.output);
  const resources = call.resources.filter((arn, i) => arn !== '*' && call.resources.indexOf(arn) === i);
  return {
    t: ctx.now.getTime(),
    id: eventId,
    rq: ctx.requestId,
    s: call.service,
    op: call.operation,
    r: ctx.region,
    ip: ctx.sourceIp,
    ...(ctx.userAgent !== undefined ? { ua: ctx.userAgent } : {}),
    ro: readOnly,
    who: ctx.caller.principal.kind === 'anonymous' ? webIdentityOf(call.output) : storedIdentity(ctx.caller),
    ...(params ? { p: params } : {}),
    ...(response ? { o: response } : {}),
    ...(failed ? { err: isApiError(call.error) ? [call.error.code, call.error.message] : INTERNAL_FAILURE } : {}),
    ...(resources.length ? { res: resources } : {}),
  };
}

function userIdentity(who: StoredIdentity, account: string): UserIdentity {
  switch (who.k) {
    case 'Root':
      return { type: 'Root', principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account, accessKeyId: who.key };
    case 'IAMUser':
      return { type: 'IAMUser', principalId: who.id, arn: who.arn, accountId: account, accessKeyId: who.key, userName: who.name };
    case 'AssumedRole':
      return {
        type: 'AssumedRole',
        principalId: who.id,
        arn: who.arn,
        accountId: account,
        accessKeyId: who.key,
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: who.role.id, arn: who.role.arn, accountId: account, userName: who.role.name },
          attributes: { creationDate: cloudTrailTime(who.role.issued), mfaAuthenticated: 'false' },
          ...(who.role.sourceIdentity !== undefined ? { sourceIdentity: who.role.sourceIdentity } : {}),
        },
        ...(who.via !== undefined ? { invokedBy: who.via } : {}),
      };
    case 'WebIdentityUser':
      return {
        type: 'WebIdentityUser',
        principalId: who.provider !== undefined ? `${who.provider}:${who.aud ?? ''}:${who.sub ?? ''}` : '',
        ...(who.sub !== undefined ? { userName: who.sub } : {}),
        ...(who.provider !== undefined ? { identityProvider: who.provider } : {}),
      };
  }
}

/** The CloudTrail record of a stored event of `account`. */
export function toCloudTrailRecord(e: StoredEvent, account: string): CloudTrailRecord {
  const resources = (e.res ?? []).map(describeResource).filter((d) => d !== undefined).map((d) => d.record);
  return {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentity(e.who, account),
    eventTime: cloudTrailTime(e.t),
    eventSource: eventSourceOf(e.s),
    eventName: e.op,
    awsRegion: e.r,
    sourceIPAddress: e.ip,
    ...(e.ua !== undefined ? { userAgent: e.ua } : {}),
    ...(e.err ? { errorCode: e.err[0], errorMessage: e.err[1] } : {}),
    requestParameters: e.p ?? null,
    responseElements: e.o ?? null,
    requestID: e.rq,
    eventID: e.id,
    readOnly: e.ro,
    ...(resources.length ? { resources } : {}),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
}

/** LookupEvents' `Username`: `root`, the IAM user's name, or the role session's name. */
export function usernameOf(e: StoredEvent): string {
  switch (e.who.k) {
    case 'Root':
      return 'root';
    case 'IAMUser':
      return e.who.name;
    case 'AssumedRole':
      return e.who.role.session;
    case 'WebIdentityUser':
      return e.who.sub ?? '';
  }
}

/** LookupEvents' `Resources`. */
export const lookupResources = (e: StoredEvent): { ResourceType: string; ResourceName: string }[] =>
  (e.res ?? []).map(describeResource).filter((d) => d !== undefined).map((d) => d.lookup);
