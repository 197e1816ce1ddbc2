// The IAM domain's public face: its operations (for the protocol layer and the server) and the
// look-ups the server's authentication and authorization make on every request.

import type { Operation } from '../common/call.ts';
import { awsManagedPolicies } from './catalog/managed-policies.ts';
import { iamConfig, type IamConfig } from './config.ts';
import type { AwsManagedPolicyCatalog, IamDeps } from './deps.ts';
import { accessKeyOperations } from './ops/access-keys.ts';
import { accountOperations } from './ops/account.ts';
import { attachmentOperations } from './ops/attachments.ts';
import { boundaryOperations } from './ops/boundaries.ts';
import { groupOperations } from './ops/groups.ts';
import { inlinePolicyOperations } from './ops/inline-policies.ts';
import { policyOperations } from './ops/policies.ts';
import { roleOperations } from './ops/roles.ts';
import { tagOperations } from './ops/tagging.ts';
import { userOperations } from './ops/users.ts';
import { createAccount, type RootCredentials } from './principal.ts';
import type { Secrets } from '../secrets/index.ts';
import type { Tx } from '../store/types.ts';

/** Every IAM operation this module implements, bound to `deps`. */
export function createIamOperations(deps: IamDeps): Operation[] {
  return [
    ...userOperations(deps),
    ...groupOperations(deps),
    ...roleOperations(deps),
    ...accessKeyOperations(deps),
    ...policyOperations(deps),
    ...inlinePolicyOperations(deps),
    ...attachmentOperations(deps),
    ...boundaryOperations(deps),
    ...tagOperations(deps),
    ...accountOperations(deps),
  ] as Operation[];
}

/** The default dependencies: AWS's default quotas and the built-in AWS managed policy catalog (loaded on first use). */
export function defaultIamDeps(secrets: Secrets, config: IamConfig = iamConfig()): IamDeps {
  let catalog: AwsManagedPolicyCatalog | undefined;
  const awsPolicies: AwsManagedPolicyCatalog = {
    get: (arn) => (catalog ??= awsManagedPolicies()).get(arn),
    list: () => (catalog ??= awsManagedPolicies()).list(),
  };
  return { config, awsPolicies, secrets };
}

/** Makes sure `accountId` exists and its root can sign with `rootKeys` (the server's bootstrap). */
export const ensureAccount = (tx: Tx, secrets: Secrets, accountId: string, rootKeys: RootCredentials): Promise<RootCredentials> =>
  createAccount(tx, secrets, accountId, rootKeys);

export { principalAccess, findAccessKey, createAccount, listAccountIds, recordAccessKeyUse, recordRoleUse, getRole, getUser } from './principal.ts';
export type { FoundAccessKey, IdentityRef, LabelledPolicy, PrincipalPolicies, RootCredentials } from './principal.ts';
export { iamConfig, DEFAULT_QUOTAS, type IamConfig, type IamQuotas } from './config.ts';
export type { IamDeps, AwsManagedPolicyCatalog } from './deps.ts';
export { attachPolicyToServiceLinkedRole } from './ops/attachments.ts';
export { accessKeySecrets } from './sealed.ts';
export * from './model.ts';
