// Service-linked roles: the three IAM operations, the deletion job, the linked-service usage registry,
// the protection rule the role operations consult, and the testing endpoint. docs/service-linked-roles.md.
//
// Wiring (src/server/app.ts):
//   const serviceCatalog = loadServiceCatalog({ file: config.serviceCatalogFile });
//   const linkedServices = new LinkedServiceRegistry(serviceCatalog);
//   const slr = { store, catalog: serviceCatalog, linkedServices, jobDelayMs: config.jobDelayMs,
//                 deletionTaskRetentionMs: config.deletionTaskRetentionMs, kick: (ms) => jobs.kick(ms) };
//   dispatcher.register(serviceLinkedRoleOperations(slr));
//   jobs.register(DELETION_JOB_TYPE, deletionJobHandler(slr));
//   internal routes: linkedServiceAdmin({ store, linkedServices, allowReset: config.allowReset, defaultAccount: config.accountId })

export { assertModifiable, isModifiable, isServiceLinked, type RoleChange } from './protection.ts';
export { countCustomerRoles, SERVICE_LINKED_ROLE_REF } from './quota.ts';
export {
  serviceLinkedRoleOperations,
  serviceLinkedTrustPolicy,
  serviceRolePath,
  type ServiceLinkedRoleOpsDeps,
} from './operations.ts';
export { DELETION_JOB_TYPE, deletionJobHandler, type DeletionJobDeps } from './deletion-job.ts';
export { LinkedServiceRegistry, setSettableUsage, settableLinkedService, type LinkedService, type RoleUsageReport } from './usage.ts';
export { linkedServiceAdmin, type AdminRequest, type AdminResponse, type LinkedServiceAdminDeps } from './linked-service-admin.ts';
export { parseDeletionTaskId, type DeletionTaskDoc, type DeletionTaskStatus } from './tasks.ts';
