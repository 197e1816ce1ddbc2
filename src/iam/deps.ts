// What the IAM operations depend on besides the store: their quotas, the AWS managed policy catalog
// and the master key secrets are sealed with. Passed in, so a deployment sets its quotas and a test
// can lower them.

import type { ManagedPolicyCatalog } from './catalog/managed-policies.ts';
import type { IamConfig } from './config.ts';
import type { Secrets } from '../secrets/index.ts';

export type { AwsManagedPolicy } from './catalog/managed-policies.ts';

/** What IAM needs of the managed policy catalog (src/iam/catalog/managed-policies.ts). */
export type AwsManagedPolicyCatalog = Pick<ManagedPolicyCatalog, 'get' | 'list'>;

export interface IamDeps {
  config: IamConfig;
  awsPolicies: AwsManagedPolicyCatalog;
  secrets: Secrets;
}
