// The IAM domain's public face: its operations (for the protocol layer and the server) and the
// look-ups the server's authentication and authorization make on every request.

import type { Operation } from '../common/call.ts';
import type { IamDeps } from './deps.ts';
import { accessKeyOperations } from './ops/access-keys.ts';
import { accountOperations } from './ops/account.ts';
import { accountSettingOperations } from './ops/account-settings.ts';
import { attachmentOperations } from './ops/attachments.ts';
import { boundaryOperations } from './ops/boundaries.ts';
import { credentialReportOperations } from './ops/credential-report.ts';
import { delegationRequestOperations } from './ops/delegation-requests.ts';
import { groupOperations } from './ops/groups.ts';
import { inlinePolicyOperations } from './ops/inline-policies.ts';
import { instanceProfileOperations } from './ops/instance-profiles.ts';
import { loginProfileOperations } from './ops/login-profiles.ts';
import { mfaDeviceOperations } from './ops/mfa-devices.ts';
import { passwordPolicyOperations } from './ops/password-policy.ts';
import { oidcProviderOperations } from './ops/oidc-providers.ts';
import { organizationOperations } from './ops/organizations.ts';
import { outboundFederationOperations } from './ops/outbound-federation.ts';
import { policyOperations } from './ops/policies.ts';
import { roleOperations } from './ops/roles.ts';
import { samlProviderOperations } from './ops/saml-providers.ts';
import { serverCertificateOperations } from './ops/server-certificates.ts';
import { simulatorOperations } from './ops/simulator.ts';
import { signingCertificateOperations } from './ops/signing-certificates.ts';
import { sshPublicKeyOperations } from './ops/ssh-public-keys.ts';
import { serviceCredentialOperations } from './ops/service-credentials.ts';
import { tagOperations } from './ops/tagging.ts';
import { userOperations } from './ops/users.ts';

/** Every IAM operation this module implements, bound to `deps`. */
export function createIamOperations(deps: IamDeps): Operation[] {
  return [
    ...userOperations(deps),
    ...groupOperations(deps),
    ...roleOperations(deps),
    ...instanceProfileOperations(deps),
    ...oidcProviderOperations(deps),
    ...accessKeyOperations(deps),
    ...policyOperations(deps),
    ...inlinePolicyOperations(deps),
    ...attachmentOperations(deps),
    ...boundaryOperations(deps),
    ...tagOperations(deps),
    ...serverCertificateOperations(deps),
    ...signingCertificateOperations(deps),
    ...sshPublicKeyOperations(deps),
    ...serviceCredentialOperations(deps),
    ...accountOperations(deps),
    ...accountSettingOperations(),
    ...mfaDeviceOperations(deps),
    ...loginProfileOperations(),
    ...passwordPolicyOperations(),
    ...credentialReportOperations(),
    ...samlProviderOperations(deps),
    ...organizationOperations(),
    ...delegationRequestOperations(),
    ...outboundFederationOperations(),
    ...simulatorOperations(deps),
  ] as Operation[];
}

export { principalAccess, accountOfAccessKey, findAccessKey, createAccount, listAccountIds, recordAccessKeyUse, recordRoleUse, getRole, getAssumableRole, getUser, ACCESS_KEY_USAGE, type KeyUse } from './principal.ts';
export { accessAdvisorOperations, type AccessAdvisorOpsDeps } from './access-advisor/operations.ts';
export { ACCESS_ADVISOR_JOB_TYPE, accessAdvisorJobHandler } from './access-advisor/jobs.ts';
export { accessUseOf, accessUseKey, ACCESS_USAGE, lastAccessByPrincipal, type PrincipalLastAccess, type LastUse } from './access-advisor/records.ts';
export { actionsAllowedBy, namespacesAllowedBy } from './access-advisor/services.ts';
export { permissionsPoliciesOf, type GrantingPolicy } from './access-advisor/target.ts';
export type { FoundAccessKey, IdentityRef, LabelledPolicy, PrincipalPolicies, RootCredentials } from './principal.ts';
export { verifyMfaToken, type MfaVerdict } from './mfa/devices.ts';
export { oidcProviderForIssuer } from './oidc-providers.ts';
export { iamConfig, type IamConfig, type IamQuotas } from './config.ts';
export type { IamDeps, AwsManagedPolicyCatalog } from './deps.ts';
export { accessKeySecrets, serverCertificateKeySecrets, serviceCredentialSecrets } from './sealed.ts';
export { mfaSeedSecrets } from './mfa/seed.ts';
export { samlProviderForSts } from './saml-providers.ts';
export { samlPrivateKeySecrets } from './saml-private-keys.ts';
export { outboundIssuerKeys, outboundSigningKeySecrets, outboundTokenSigner, SIGNING_ALGORITHMS } from './outbound-signing-keys.ts';
export * from './model.ts';
export { listSigningCertificates, type SigningCertificateSummary } from './ops/signing-certificates.ts';
