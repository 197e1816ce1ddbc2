// What the IAM operations depend on besides the store: their quotas and the AWS managed policy
// catalog. Passed in, so a deployment sets its quotas and a test can lower them.

import type { ManagedPolicyCatalog } from './catalog/managed-policies.ts';
import type { IamConfig } from './config.ts';

export type { AwsManagedPolicy } from './catalog/managed-policies.ts';

/** What IAM needs of the managed policy catalog (src/iam/catalog/managed-policies.ts). */
export type AwsManagedPolicyCatalog = Pick<ManagedPolicyCatalog, 'get' | 'list'>;

export interface IamDeps {
  config: IamConfig;
  awsPolicies: AwsManagedPolicyCatalog;
}
