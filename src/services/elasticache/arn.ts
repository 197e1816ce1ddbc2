// ElastiCache ARNs, as the Service Authorization Reference writes them:
// `arn:${Partition}:elasticache:${Region}:${Account}:cluster:${CacheClusterId}` and likewise for
// `replicationgroup`, `snapshot` and `subnetgroup`.

import { partitionOf } from '../ec2/index.ts';

export type ElastiCacheResourceType = 'cluster' | 'replicationgroup' | 'snapshot' | 'subnetgroup' | 'parametergroup';

/** The ARN of one resource; `name` `*` (the default) stands for every resource of the type. */
export function elastiCacheArn(region: string, account: string, type: ElastiCacheResourceType, name = '*'): string {
  return `arn:${partitionOf(region)}:elasticache:${region}:${account}:${type}:${name}`;
}
