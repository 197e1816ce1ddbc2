// What IAM accepts as a principal in a trust (or other resource-based) policy. AWS also refuses ARNs of
// users and roles that do not exist (it stores their unique ids); that needs the store, so it is the
// caller's job — this module checks only the form.

import { invalidPrincipal } from './messages.ts';
import { PARTITIONS } from './resource-check.ts';
import type { PrincipalSpec } from './types.ts';

const ACCOUNT_ID = /^[0-9]{12}$/;
/** `arn:<partition>:iam::<account>:root`, `…:user/path/name`, `…:role/path/name`. */
const IAM_PRINCIPAL_ARN = /^arn:([a-z-]+):iam::([0-9]{12}):(root|(user|role)\/[\x21-\x7e]+)$/;
/** `arn:<partition>:sts::<account>:assumed-role/role/session`, `…:federated-user/name`. */
const STS_PRINCIPAL_ARN = /^arn:([a-z-]+):sts::([0-9]{12}):(assumed-role\/[^/\s]+\/[^/\s]+|federated-user\/[^/\s]+)$/;
/** `ec2.amazonaws.com`, `elasticache.amazonaws.com.cn`, `states.us-east-1.amazonaws.com`, … */
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*\.(amazonaws\.com(\.cn)?|amazon\.com|aws\.internal|c2s\.ic\.gov|sc2s\.sgov\.gov)$/;
/** `arn:<partition>:iam::<account>:saml-provider/Name` or `…:oidc-provider/host/path`. */
const PROVIDER_ARN = /^arn:([a-z-]+):iam::[0-9]{12}:(saml-provider\/[\w+=,.@-]+|oidc-provider\/\S+)$/;
/** Web identity providers named by host: `cognito-identity.amazonaws.com`, `accounts.google.com`, … */
const PROVIDER_HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const CANONICAL_USER = /^[0-9a-f]{64}$/;

function awsPrincipalOk(id: string): boolean {
  if (id === '*' || ACCOUNT_ID.test(id)) return true;
  const m = IAM_PRINCIPAL_ARN.exec(id) ?? STS_PRINCIPAL_ARN.exec(id);
  // Wildcards are not allowed inside a principal ARN: only the bare "*" means everyone.
  return m !== null && PARTITIONS.has(m[1]) && !/[*?]/.test(id);
}

function federatedPrincipalOk(id: string): boolean {
  const m = PROVIDER_ARN.exec(id);
  if (m) return PARTITIONS.has(m[1]);
  return PROVIDER_HOST.test(id);
}

const CHECKS: Record<string, (id: string) => boolean> = {
  AWS: awsPrincipalOk,
  Service: (id) => SERVICE_PRINCIPAL.test(id),
  Federated: federatedPrincipalOk,
  CanonicalUser: (id) => CANONICAL_USER.test(id),
};

/** AWS's message for the first principal it refuses, or undefined when all are acceptable. */
export function principalProblem(spec: PrincipalSpec): string | undefined {
  if (spec === '*') return undefined;
  for (const [type, ids] of Object.entries(spec)) {
    const ok = CHECKS[type];
    // An empty list names nobody; AWS shows the type with an empty value.
    if (ids.length === 0) return invalidPrincipal(type, '');
    for (const id of ids) if (!ok(id)) return invalidPrincipal(type, id);
  }
  return undefined;
}
