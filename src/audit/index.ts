// The event log: every call the dispatcher runs, allowed or denied, as a CloudTrail event record,
// kept for a retention period and read back through CloudTrail's LookupEvents (src/services/cloudtrail/).

export { AuditLog, DEFAULT_RETENTION_DAYS, type AuditLogOptions } from './log.ts';
export { storedEvent, toCloudTrailRecord, usernameOf, lookupResources, eventSourceOf, cloudTrailTime } from './event.ts';
export { AUDIT_BLOCK_KIND, AUDIT_EVENT_KIND, addEvents, atOrBefore, encodedEvent, before, eventKey, listEvents, timeOfKey } from './store.ts';
export { isSecretMember } from './parameters.ts';
export type { AuditSink, CallRecord, CloudTrailRecord, StoredEvent, StoredIdentity, UserIdentity } from './types.ts';
export { moveEvents } from './relocate.ts';
