// Endpoint host names in ElastiCache's form: `<cluster>.<id>.<node>.<region-short>.cache.amazonaws.com`,
// where `<id>` is the same for every cluster of an account in a region (as on AWS), so it is derived
// from the two rather than stored.

import { createHash } from 'node:crypto';
import { regionShortName } from '../ec2/zones.ts';

function accountRegionId(account: string, region: string): string {
  const digest = createHash('sha256').update(`${account}/${region}`).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(digest.subarray(0, 6), (b) => alphabet[b % alphabet.length]).join('');
}

const domain = (account: string, region: string) => `${accountRegionId(account, region)}`;
const suffix = (region: string) => `${regionShortName(region)}.cache.amazonaws.com`;

export function nodeAddress(account: string, region: string, clusterId: string, nodeId: string): string {
  return `${clusterId}.${domain(account, region)}.${nodeId}.${suffix(region)}`;
}

/** Memcached's configuration endpoint. */
export function configurationAddress(account: string, region: string, clusterId: string): string {
  return `${clusterId}.${domain(account, region)}.cfg.${suffix(region)}`;
}

export function primaryAddress(account: string, region: string, groupId: string): string {
  return `${groupId}.${domain(account, region)}.ng.0001.${suffix(region)}`;
}

export function readerAddress(account: string, region: string, groupId: string): string {
  return `${groupId}-ro.${domain(account, region)}.ng.0001.${suffix(region)}`;
}
