// The resources of an event, from the ARNs the call's authorization named: CloudTrail's record
// (`{accountId, type, ARN}`) and LookupEvents' view (`{ResourceType, ResourceName}`), where the type is
// CloudFormation-style (`AWS::IAM::Role`, `AWS::EC2::NetworkInterface`) and the name is the resource's
// own name or id (its last path segment).

import { auditTitleOf } from '../protocol/index.ts';
import type { EventResource } from './types.ts';

/** ARN service names → the spelling CloudFormation types use. */
const pascal = (token: string): string =>
  token
    .split(/[-_]/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');

export interface DescribedResource {
  record: EventResource;
  lookup: { ResourceType: string; ResourceName: string };
}

/** Undefined for `*` and anything that is not an ARN. */
export function describeResource(arn: string): DescribedResource | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, , service, , accountId] = parts;
  const resource = parts.slice(5).join(':');
  if (!resource || resource === '*') return undefined;
  const typeToken = /^[^/:]*/.exec(resource)![0];
  const hasType = typeToken.length < resource.length;
  const typeName = hasType ? pascal(typeToken) : pascal(service);
  const type = `AWS::${auditTitleOf(service) ?? pascal(service)}::${typeName}`;
  // `role/path/Name` names its resource last; `log-group:Name:log-stream:…` right after the type.
  const rest = resource.slice(typeToken.length + 1);
  const name = !hasType ? resource : resource[typeToken.length] === '/' ? rest.split('/').pop() || rest : rest.split(':')[0];
  return { record: { accountId, type, ARN: arn }, lookup: { ResourceType: type, ResourceName: name } };
}
