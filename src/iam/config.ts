// IAM's quotas, as AWS documents their defaults. A deployment may raise or lower them (a test
// lowers RolesPerAccount to reach the limit quickly); every check and GetAccountSummary read them here.

export interface IamQuotas {
  usersPerAccount: number;
  groupsPerAccount: number;
  rolesPerAccount: number;
  /** Customer managed policies per account. */
  policiesPerAccount: number;
  groupsPerUser: number;
  accessKeysPerUser: number;
  attachedPoliciesPerUser: number;
  attachedPoliciesPerGroup: number;
  attachedPoliciesPerRole: number;
  versionsPerPolicy: number;
  /** Characters (white space not counted) of one managed policy version. */
  policySize: number;
  /** Aggregate characters of a user's inline policies. */
  userPolicySize: number;
  groupPolicySize: number;
  rolePolicySize: number;
  /** Characters of a role's trust policy. */
  assumeRolePolicySize: number;
  tagsPerEntity: number;
  policyVersionsInUse: number;
  instanceProfilesPerAccount: number;
  /** AWS calls it InstanceSessionsPerInstanceProfile: one role per instance profile. */
  rolesPerInstanceProfile: number;
  /** MFA devices enabled for one user (AWS allows eight). */
  mfaDevicesPerUser: number;
  oidcProvidersPerAccount: number;
  clientIdsPerOidcProvider: number;
  thumbprintsPerOidcProvider: number;
  samlProvidersPerAccount: number;
  serverCertificatesPerAccount: number;
  /** AWS calls it CertificatesPerUser. */
  signingCertificatesPerUser: number;
  sshPublicKeysPerUser: number;
  serviceCredentialsPerUserPerService: number;
}

export interface IamConfig {
  quotas: IamQuotas;
}

export const DEFAULT_QUOTAS: IamQuotas = {
  usersPerAccount: 5000,
  groupsPerAccount: 300,
  rolesPerAccount: 1000,
  policiesPerAccount: 1500,
  groupsPerUser: 10,
  accessKeysPerUser: 2,
  attachedPoliciesPerUser: 10,
  attachedPoliciesPerGroup: 10,
  attachedPoliciesPerRole: 10,
  versionsPerPolicy: 5,
  policySize: 6144,
  userPolicySize: 2048,
  groupPolicySize: 5120,
  rolePolicySize: 10240,
  assumeRolePolicySize: 2048,
  tagsPerEntity: 50,
  policyVersionsInUse: 10000,
  instanceProfilesPerAccount: 1000,
  rolesPerInstanceProfile: 1,
  mfaDevicesPerUser: 8,
  oidcProvidersPerAccount: 100,
  clientIdsPerOidcProvider: 100,
  thumbprintsPerOidcProvider: 5,
  samlProvidersPerAccount: 100,
  serverCertificatesPerAccount: 20,
  signingCertificatesPerUser: 2,
  sshPublicKeysPerUser: 5,
  serviceCredentialsPerUserPerService: 2,
};

export function iamConfig(overrides: { quotas?: Partial<IamQuotas> } = {}): IamConfig {
  return { quotas: { ...DEFAULT_QUOTAS, ...overrides.quotas } };
}
