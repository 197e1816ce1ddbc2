// IAM as a service: the IAM domain's operations (src/iam/) and its service-linked roles' operations
// and deletion tasks, on the awsQuery protocol. IAM is global; its requests are served from us-east-1.

import { ACCESS_ADVISOR_JOB_TYPE, accessAdvisorJobHandler, accessAdvisorOperations, createIamOperations } from '../../iam/index.ts';
import {
  DELETION_JOB_TYPE,
  deletionJobHandler,
  serviceLinkedRoleOperations,
  type DeletionJobDeps,
  type ServiceLinkedRoleOpsDeps,
} from '../../iam/service-linked-roles/index.ts';
import type { ServiceDescriptor, ServiceParts } from '../descriptor.ts';

const serviceLinkedRoles = ({ store, catalog, linkedServices, host, settings }: ServiceParts): DeletionJobDeps & ServiceLinkedRoleOpsDeps => ({
  store,
  catalog,
  linkedServices,
  jobDelayMs: host.jobDelayMs,
  deletionTaskRetentionMs: settings.deletionTaskRetentionMs,
  kick: (delayMs) => host.kick(delayMs),
});

export const service: ServiceDescriptor = {
  name: 'iam',
  wire: {
    source: { file: 'iam-2010-05-08' },
    protocol: 'query',
    validation: { code: 'ValidationError', quoteValue: false, listEnumValues: false, ec2: false },
    auditTitle: 'IAM',
    urlEncodedOutputShapes: ['policyDocumentType'],
  },
  operations: (parts) => [
    ...createIamOperations(parts.iam),
    ...accessAdvisorOperations({ iam: parts.iam, kick: (delayMs) => parts.host.kick(delayMs) }),
    ...serviceLinkedRoleOperations(serviceLinkedRoles(parts)),
  ],
  jobs: (parts) => ({
    [DELETION_JOB_TYPE]: deletionJobHandler(serviceLinkedRoles(parts)),
    [ACCESS_ADVISOR_JOB_TYPE]: accessAdvisorJobHandler({ store: parts.store, iam: parts.iam }),
  }),
};
