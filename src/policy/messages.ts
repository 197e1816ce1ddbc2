// Every message the policy parser can answer with, in one place, so that docs/policy.md
// ("Messages") and the tests can be checked against a single list. Texts marked [recorded] were
// returned by real AWS (shared/reference/aws-recorded); [reported] ones are quoted from AWS answers in
// public issue threads; [iamd] ones are our own, used where AWS's wording is not known.

import type { PolicyKind } from './types.ts';

export const MSG = {
  /** [recorded] CreatePolicy given non-JSON, and any structural (schema) error. */
  syntax: 'Syntax errors in policy.',
  /** [recorded] CreateRole / UpdateAssumeRolePolicy given non-JSON. */
  invalidJson: 'This policy contains invalid Json',
  /** [recorded] Managed policies require the current version. */
  versionTooOld: 'Policy document must be version 2012-10-17 or greater.',
  /** [recorded] Effect in the wrong case, unparseable dates, ARNs the old parser cannot split. */
  legacyParsing: 'The policy failed legacy parsing',
  /** [recorded] */
  duplicateSid: 'Statement IDs (SID) in a single policy must be unique.',
  /** [reported] */
  sidNotAlphanumeric:
    'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
  /** [recorded] */
  missingActions: 'Policy statement must contain actions.',
  /** [recorded] */
  missingResources: 'Policy statement must contain resources.',
  /** [recorded] */
  actionNoVendor: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  /** [recorded] */
  actionTwoColons: 'Actions/Condition can contain only one colon.',
  /** [recorded] */
  resourceVendorNotQualified: 'Resource vendor must be fully qualified and cannot contain regexes.',
  /** [recorded] */
  iamResourcePath:
    'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.',
  /** [reported] Identity, boundary and session policies. */
  principalNotAllowed: 'Policy document should not specify a principal.',
  /** [recorded] Trust policies (no trailing period in AWS's text). */
  prohibitedResource: 'Has prohibited field Resource',
  /** [iamd] by analogy with the recorded Resource text. */
  prohibitedNotResource: 'Has prohibited field NotResource',
  /** [reported] Trust and resource policies. */
  missingPrincipal: 'Missing required field Principal',
  /** [recorded] */
  trustActionsOnlyAssumeRole: 'AssumeRole policy may only specify STS AssumeRole actions.',
} as const;

/** [recorded] `Vendor a a is not valid` */
export const vendorNotValid = (vendor: string): string => `Vendor ${vendor} is not valid`;

/** [recorded] `Resource sdfsadf must be in ARN format or "*".` */
export const resourceNotArn = (resource: string): string => `Resource ${resource} must be in ARN format or "*".`;

/** [recorded] `Partition "b" is not valid for resource "arn:b:cadfsdf:*:*:*".` */
export const partitionNotValid = (partition: string, shownAs: string): string =>
  `Partition "${partition}" is not valid for resource "${shownAs}".`;

/** [recorded] */
export const iamResourceRegion = (resource: string): string =>
  `IAM resource ${resource} cannot contain region information.`;

/** [recorded] (AWS writes "can not" here and "cannot" for IAM.) */
export const resourceRegion = (resource: string): string =>
  `Resource ${resource} can not contain region information.`;

/**
 * [reported] `Invalid principal in policy: "AWS":"arn:aws:iam::…"`. AWS upper-cases every type
 * except AWS: `"SERVICE":"amazonaws.com"`.
 */
export const invalidPrincipal = (type: string, value: string): string =>
  `Invalid principal in policy: "${type === 'AWS' ? 'AWS' : type.toUpperCase()}":"${value}"`;

/** [recorded] shape of `Cannot exceed quota for <Name>: <n>` (quota names per kind below). */
export const quotaExceeded = (quota: string, limit: number): string => `Cannot exceed quota for ${quota}: ${limit}`;

/** The quota AWS names when one document is too large. */
export const SIZE_QUOTA_NAME: Record<PolicyKind, string> = {
  identity: 'PolicySize',
  boundary: 'PolicySize',
  resource: 'PolicySize',
  session: 'PolicySize',
  trust: 'ACLSizePerRole',
};

/** Inline policies are limited per entity (all inline policies together), as AWS words it. */
export const inlineAggregateExceeded = (entity: 'user' | 'role' | 'group', name: string, limit: number): string =>
  `Maximum policy size of ${limit} bytes exceeded for ${entity} ${name}`;
