// What IAM accepts in Resource / NotResource. The rules and their order follow what AWS answered for
// the recorded documents (aws-recorded, TestPolicyDocumentValidity): AWS splits the value at colons,
// takes the second part as the partition whatever the first part says, and checks the rest only for a
// partition it knows.

import {
  MSG, iamResourceRegion, partitionNotValid, resourceNotArn, resourceRegion,
} from './messages.ts';

export const PARTITIONS: ReadonlySet<string> = new Set([
  'aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc',
]);

const IAM_PATH_STARTS = [
  'user/', 'federated-user/', 'role/', 'group/', 'instance-profile/', 'mfa/', 'server-certificate/',
  'policy/', 'sms-mfa/', 'saml-provider/', 'oidc-provider/', 'report/', 'access-report/',
];

/** A partition as written: a known one, or a wildcard pattern matching one (AWS's own policies say `arn:*:`). */
export function isKnownPartition(partition: string): boolean {
  if (PARTITIONS.has(partition)) return true;
  if (!/[*?]/.test(partition)) return false;
  const pattern = new RegExp(`^${partition.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return [...PARTITIONS].some((p) => pattern.test(p));
}

/**
 * True when AWS's older ARN parser cannot split the value. Recorded: a known partition followed by an
 * empty service (`arn:aws::x`), or by four or five parts (`arn:aws:s3::bucket`), fails; `arn:aws:svc`
 * and full six-part ARNs pass. AWS's own policies also use `arn:aws:waf:*`, so a short ARN whose last
 * part is a wildcard passes too (it stands for the missing parts). Such documents fail with "The policy
 * failed legacy parsing", before any other content rule.
 */
export function failsLegacyArnParsing(resource: string): boolean {
  if (resource === '*') return false;
  const parts = resource.split(':');
  if (parts.length < 3 || !isKnownPartition(parts[1])) return false;
  if (parts[2] === '') return true;
  return (parts.length === 4 || parts.length === 5) && !parts[parts.length - 1].endsWith('*');
}

/** AWS's message for a resource it refuses, or undefined when the value is acceptable. */
export function resourceProblem(resource: string): string | undefined {
  if (resource === '*') return undefined;
  const parts = resource.split(':');
  if (parts.length < 2) return resourceNotArn(resource);

  const partition = parts[1];
  if (!isKnownPartition(partition)) return partitionNotValid(partition, shownForPartitionError(parts));
  // iamd: AWS's recorded answers never show a first part other than `arn` with a valid partition;
  // treating it as not-an-ARN is the honest reading of "must be in ARN format".
  if (parts[0] !== 'arn') return resourceNotArn(resource);
  if (parts.length === 2) return MSG.resourceVendorNotQualified;

  const [, , service, region = '', account = ''] = parts;
  const path = parts.slice(5).join(':');
  if (service === 'iam') {
    if (region !== '') return iamResourceRegion(resource);
    if (parts.length >= 6 && !iamPathAllowed(path)) return MSG.iamResourcePath;
  }
  // S3 buckets and objects are global; access points and other account-scoped S3 resources name both.
  if (service === 's3' && region !== '' && account === '') return resourceRegion(resource);
  return undefined;
}

function iamPathAllowed(path: string): boolean {
  if (path === '*' || path === 'root') return true;
  return IAM_PATH_STARTS.some((start) => path.startsWith(start));
}

/** How AWS prints a value with an unknown partition: `arn:<partition>:` and four parts, `*` for missing ones. */
function shownForPartitionError(parts: string[]): string {
  const rest = parts.slice(2);
  while (rest.length < 4) rest.push('*');
  return ['arn', parts[1], ...rest].join(':');
}
