// MemoryDB's resource ARNs, as the Service Authorization Reference gives them:
// arn:aws:memorydb:REGION:ACCOUNT:cluster/NAME (snapshot/, subnetgroup/, acl/, parametergroup/).

export type MemoryDbResourceType = 'cluster' | 'snapshot' | 'subnetgroup' | 'acl' | 'parametergroup';

const TYPES: ReadonlySet<string> = new Set<MemoryDbResourceType>(['cluster', 'snapshot', 'subnetgroup', 'acl', 'parametergroup']);

export const memoryDbArn = (region: string, account: string, type: MemoryDbResourceType, name: string): string =>
  `arn:aws:memorydb:${region}:${account}:${type}/${name}`;

export interface ParsedArn {
  region: string;
  account: string;
  type: MemoryDbResourceType;
  name: string;
}

const ARN = /^arn:aws:memorydb:([a-z0-9-]+):(\d{12}):([a-z]+)\/(.+)$/;

export function parseMemoryDbArn(arn: string): ParsedArn | undefined {
  const m = ARN.exec(arn);
  if (!m || !TYPES.has(m[3])) return undefined;
  return { region: m[1], account: m[2], type: m[3] as MemoryDbResourceType, name: m[4] };
}
