// The Resource element's checks: ARN shape (prefix, fields, partition, service case) and, for a literal
// ARN of a service the catalog knows, that it is one of the service's resource types. Also what the
// security checks ask of a resource: does it name every role, or every service-linked role?

import { serviceInfo, type ServiceInfo } from './catalog.ts';
import type { Item, Report } from './report.ts';

const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);

/** The resource types of a service whose ARN template admits `arn` (templates' `${…}` match any text). */
function matchingTypes(service: ServiceInfo, arn: string): boolean {
  return service.resourceTypes.some((t) => {
    const pattern = t.arn
      .split(/\$\{[^}]*\}/)
      .map((lit) => lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^]*');
    return new RegExp(`^${pattern}$`, 'i').test(arn);
  });
}

export async function checkResource(report: Report, item: Item): Promise<void> {
  const text = item.text;
  if (text === '*') return;
  if (!text.startsWith('arn:')) {
    report.at('ERROR', 'INVALID_ARN_PREFIX', 'Add the required prefix (arn) to the resource ARN.', item.path);
    return;
  }
  const parts = text.split(':');
  if (parts.length < 6) {
    report.at('ERROR', 'MISSING_ARN_FIELD', 'Resource ARNs must include at least 6 fields and include the following structure: arn:partition:service:region:account:resource', item.path);
    return;
  }
  const [, partition, prefix] = parts;
  if (!/[*?$]/.test(partition) && !PARTITIONS.has(partition)) {
    report.at('ERROR', 'INVALID_PARTITION', `The resource ARN for the service ${prefix} does not have a valid partition. Use one of the following partitions: ${[...PARTITIONS].join(', ')}.`, item.path);
    return;
  }
  if (/[*?$]/.test(prefix)) return;
  if (prefix !== prefix.toLowerCase()) {
    report.at('ERROR', 'INVALID_ARN_SERVICE_CASE', `Update the service name ${prefix} in the resource ARN to use all lowercase letters.`, item.path);
    return;
  }
  const service = await serviceInfo(prefix);
  if (!service || service.resourceTypes.length === 0) return;
  // A resource part with wildcards or variables may mean many ARNs; only a literal one is judged.
  const rest = parts.slice(3).join(':');
  if (/[*?$]/.test(rest)) return;
  const concrete = ['arn', 'aws', prefix, ...parts.slice(3)].join(':');
  if (!matchingTypes(service, concrete)) {
    report.at('ERROR', 'INVALID_ARN_RESOURCE', `Resource ARN does not match the expected ARN format for the service ${prefix}. Update the resource portion of the ARN.`, item.path);
  }
}

/** `*`, or an ARN whose resource part is a bare wildcard over roles (`arn:aws:iam::*:*`, `…:role/*`). */
export function isRoleWildcard(resource: string): boolean {
  if (resource === '*') return true;
  const parts = resource.split(':');
  if (parts.length < 6) return false;
  const rest = parts.slice(5).join(':');
  return (parts[2] === 'iam' || parts[2] === '*') && (rest === '*' || rest === 'role/*' || rest === 'role*');
}

/** A resource that names the service-linked roles of every service: `*`, `role/*`, `role/aws-service-role/*`. */
export function isAnyServiceRole(resource: string): boolean {
  if (isRoleWildcard(resource)) return true;
  const parts = resource.split(':');
  if (parts.length < 6) return false;
  const rest = parts.slice(5).join(':');
  return (parts[2] === 'iam' || parts[2] === '*') && /^role\/aws-service-role\/?\*$/.test(rest);
}
