// What the IAM operations depend on besides the store: their quotas and the AWS managed policy
// catalog. Passed in, so a deployment sets its quotas and a test can lower them.

import type { IamConfig } from './config.ts';

/** An AWS managed policy as the catalog (src/iam/catalog/managed-policies.ts) describes it. */
export interface AwsManagedPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  CreateDate: Date;
  UpdateDate: Date;
  IsAttachable: boolean;
  Description?: string;
  Versions: { VersionId: string; IsDefaultVersion: boolean; CreateDate: Date; Document: string }[];
}

export interface AwsManagedPolicyCatalog {
  get(arn: string): AwsManagedPolicy | undefined;
  list(): AwsManagedPolicy[];
}

export interface IamDeps {
  config: IamConfig;
  awsPolicies: AwsManagedPolicyCatalog;
}
