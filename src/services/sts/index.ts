// STS as a service: caller identity and temporary credentials (src/sts/), with the IAM look-ups
// AssumeRole needs, on the awsQuery protocol.

import { getAssumableRole, principalAccess, recordRoleUse, verifyMfaToken } from '../../iam/index.ts';
import { stsOperations } from '../../sts/operations.ts';
import type { ServiceDescriptor } from '../descriptor.ts';

export const service: ServiceDescriptor = {
  name: 'sts',
  wire: {
    source: { file: 'sts-2011-06-15' },
    protocol: 'query',
    validation: { code: 'ValidationError', quoteValue: true, listEnumValues: false, ec2: false },
    auditTitle: 'STS',
  },
  operations: ({ authorizer, iam, secrets }) =>
    stsOperations({
      authorizer,
      getRole: getAssumableRole,
      managedPolicyDocument: principalAccess(iam).managedPolicyDocument,
      recordRoleUse,
      secrets,
      verifyMfa: (tx, caller, serial, code, now) => verifyMfaToken(tx, secrets, caller, serial, code, now),
    }),
};
