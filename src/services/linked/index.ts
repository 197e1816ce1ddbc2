// The framework every linked service (MemoryDB, ElastiCache, Amazon MQ) is built on. docs/services.md
// § "Linked services".
//
//   ensureRole(host, ctx, tx, principal)      first resource: create the role with the caller's authority
//   actAs(host, account, principal, region)   assume the role as the service; call EC2/CloudWatch/Logs with it
//   asService(host, account, principal, region, work)   the same, ending the session afterwards
//   scheduleStep(host, tx, {type, account, payload})     enqueue a lifecycle step (durable job)
//   refusalOf(error)                          the text a failed resource shows for a refused call
//   (a linked service's descriptor adds `linked`: its role usage; see src/services/descriptor.ts)

export { scheduleStep, type LinkedHost } from './host.ts';
export { ensureRole, findServiceRole } from './role.ts';
export { actAs, asService, SESSION_SECONDS, type ServiceSession } from './act-as.ts';
export { refusalOf } from './failure.ts';
