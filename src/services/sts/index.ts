// STS as a service: caller identity and temporary credentials (src/sts/), with the IAM look-ups
// AssumeRole needs, on the awsQuery protocol.

import { getAssumableRole, principalAccess, recordRoleUse, samlProviderForSts } from '../../iam/index.ts';
import { assumeRoleWithSamlOperation } from '../../sts/assume-role-with-saml.ts';
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
  operations: ({ authorizer, iam, secrets }) => {
    const managedPolicyDocument = principalAccess(iam).managedPolicyDocument;
    return [
      ...stsOperations({ authorizer, getRole: getAssumableRole, managedPolicyDocument, recordRoleUse, secrets }),
      assumeRoleWithSamlOperation({ authorizer, getRole: getAssumableRole, samlProvider: samlProviderForSts, managedPolicyDocument, recordRoleUse, secrets }),
    ];
  },
};
