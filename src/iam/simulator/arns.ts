// The ARNs a simulation names: the entity whose policies it weighs (PolicySourceArn), the simulated
// caller (CallerArn) and the resources' owner (ResourceOwner).

import type { RequestPrincipal } from '../../policy/index.ts';
import { invalidEntityArn, invalidResourceOwner } from './errors.ts';

export type EntityType = 'user' | 'group' | 'role';

export interface EntityArn {
  arn: string;
  account: string;
  type: EntityType;
  /** The path, `/` when none is written. */
  path: string;
  name: string;
}

const ENTITY = /^arn:aws:iam::(\d{12}):(user|group|role)(\/(?:[\x21-\x7e]*\/)?)?([\w+=,.@-]+)$/;

/** A user, group or role ARN; anything else (a session, a federated user, a service) is refused. */
export function parseEntityArn(arn: string): EntityArn {
  const m = ENTITY.exec(arn);
  if (!m) throw invalidEntityArn(arn);
  return { arn, account: m[1]!, type: m[2] as EntityType, path: m[3] ?? '/', name: m[4]! };
}

/**
 * The simulated caller as the engine sees it. A role calls through a session of it, which a resource
 * policy naming the role matches; a group, which can never call, is simulated as a user of that ARN
 * (no Principal can name a group, so only identity-based policies can grant it anything).
 */
export function simulatedPrincipal(entity: EntityArn): RequestPrincipal {
  if (entity.type === 'role') return { kind: 'assumed-role', arn: entity.arn, account: entity.account, roleArn: entity.arn };
  return { kind: 'user', arn: entity.arn, account: entity.account };
}

/** With no CallerArn and no entity: an unnamed user of the calling account (no Principal can match it). */
export function anonymousCaller(account: string): RequestPrincipal {
  return { kind: 'user', arn: `arn:aws:iam::${account}:user/`, account };
}

const ACCOUNT_ROOT = /^arn:aws:iam::(\d{12}):root$/;

/** ResourceOwner is the account's root ARN; AWS refuses a bare account id (boto/botocore#1346). */
export function resourceOwnerAccount(owner: string): string {
  const m = ACCOUNT_ROOT.exec(owner);
  if (!m) throw invalidResourceOwner(owner);
  return m[1]!;
}

/** The account an ARN names in its fifth field, if it names one (S3 bucket ARNs do not). */
export function accountInArn(arn: string): string | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const account = arn.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}
