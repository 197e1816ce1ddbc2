// STS as a service: caller identity and temporary credentials (src/sts/), with the IAM look-ups
// AssumeRole and AssumeRoleWithWebIdentity need, on the awsQuery protocol.

import { accountOfAccessKey, getAssumableRole, oidcProviderForIssuer, outboundTokenSigner, principalAccess, recordRoleUse, samlProviderForSts, verifyMfaToken } from '../../iam/index.ts';
import { insightOperations } from '../../sts/insight.ts';
import { assumeRoleWithSamlOperation } from '../../sts/assume-role-with-saml.ts';
import { stsOperations } from '../../sts/operations.ts';
import { SESSION_PURGE_JOB_TYPE, sessionPurgeHandler } from '../../sts/session-purge.ts';
import { organizationCredentialOperations } from '../../sts/organizations.ts';
import { outboundWebIdentityOperations } from '../../sts/outbound-web-identity.ts';
import { IssuerKeys } from '../../sts/web-identity/issuer-keys.ts';
import type { ServiceDescriptor } from '../descriptor.ts';

export const service: ServiceDescriptor = {
  name: 'sts',
  wire: {
    source: { file: 'sts-2011-06-15' },
    protocol: 'query',
    validation: { code: 'ValidationError', quoteValue: true, listEnumValues: false, ec2: false },
    auditTitle: 'STS',
  },
  operations: ({ authorizer, iam, secrets, settings }) => {
    const managedPolicyDocument = principalAccess(iam).managedPolicyDocument;
    return [
      ...stsOperations({
        authorizer,
        getRole: getAssumableRole,
        managedPolicyDocument,
        recordRoleUse,
        secrets,
        verifyMfa: (tx, caller, serial, code, now) => verifyMfaToken(tx, secrets, caller, serial, code, now),
        oidcProviderForIssuer,
        // One cache of identity providers' keys per process, for every account's web identity calls.
        issuerKeys: new IssuerKeys({ ...(settings.oidcJwks ? { offline: settings.oidcJwks } : {}) }),
      }),
      assumeRoleWithSamlOperation({ authorizer, getRole: getAssumableRole, samlProvider: (tx, account, arn) => samlProviderForSts(tx, secrets, account, arn), managedPolicyDocument, recordRoleUse, secrets }),
      ...insightOperations({ accountOfKey: accountOfAccessKey }),
      ...organizationCredentialOperations(),
      ...outboundWebIdentityOperations({ signer: (tx, account, alg) => outboundTokenSigner(tx, secrets, account, alg) }),
    ];
  },
  jobs: ({ store }) => ({ [SESSION_PURGE_JOB_TYPE]: sessionPurgeHandler(store) }),
};
