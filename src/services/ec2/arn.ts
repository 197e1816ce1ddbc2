// EC2 resource ARNs, as IAM policies name them: `arn:aws:ec2:REGION:ACCOUNT:TYPE/ID`. A resource that
// a request is about to create has no id yet; EC2 authorizes it as `TYPE/*`, and its denials say so.

export type Ec2ResourceType = 'vpc' | 'subnet' | 'security-group' | 'security-group-rule' | 'network-interface' | 'vpc-endpoint';

/** The partition a region belongs to (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** `ec2Arn('us-east-1', '123456789012', 'subnet', 'subnet-0abc…')`; without an id, the not-yet-created `TYPE/*`. */
export function ec2Arn(region: string, account: string, type: Ec2ResourceType, id = '*'): string {
  return `arn:${partitionOf(region)}:ec2:${region}:${account}:${type}/${id}`;
}
