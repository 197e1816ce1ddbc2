// The policies of the user, group or role a SimulatePrincipalPolicy names (PolicySourceArn): its
// inline and attached policies, a user's groups' too, and its permissions boundary — read by the same
// functions the authorizer's loader uses (src/iam/principal.ts), here with what the answer names them by.

import type { Tx } from '../../store/types.ts';
import type { IamDeps } from '../deps.ts';
import { noSuchGroup, noSuchRole, noSuchUser } from '../errors.ts';
import { findRole, findUser } from '../lookups.ts';
import { KIND, nameKey, type GroupDoc } from '../model.ts';
import { boundaryPolicy, groupsOfUser, ownedPolicies, type OwnedPolicy } from '../principal.ts';
import type { EntityArn } from './arns.ts';
import type { PolicyOrigin } from './exclusions.ts';
import type { SourcePolicyType } from './sources.ts';

export interface EntityPolicy {
  /** SourcePolicyId: the policy's name (an inline policy's, as AWS's CLI examples show; a managed policy's). */
  id: string;
  type: SourcePolicyType;
  document: string;
  origin: PolicyOrigin;
}

export interface EntityPolicies {
  policies: EntityPolicy[];
  boundary?: EntityPolicy;
}

/** NoSuchEntity (AWS's texts) when the ARN names no entity of the caller's account. */
export async function entityPolicies(tx: Tx, deps: IamDeps, account: string, entity: EntityArn): Promise<EntityPolicies> {
  if (entity.type === 'group') {
    const group = (await tx.get<GroupDoc>(account, KIND.group, nameKey(entity.name)))?.doc;
    if (!group || entity.account !== account || group.Arn !== entity.arn) throw noSuchGroup(entity.name);
    return { policies: (await ownedPolicies(tx, deps, account, 'group', group.GroupName)).map(asEntityPolicy) };
  }
  const doc = entity.type === 'user' ? await findUser(tx, account, entity.name) : await findRole(tx, account, entity.name);
  if (!doc || entity.account !== account || doc.Arn !== entity.arn) throw (entity.type === 'user' ? noSuchUser : noSuchRole)(entity.name);
  const name = 'UserName' in doc ? doc.UserName : doc.RoleName;
  const owned = await ownedPolicies(tx, deps, account, entity.type, name);
  if (entity.type === 'user') {
    for (const group of await groupsOfUser(tx, account, name)) owned.push(...(await ownedPolicies(tx, deps, account, 'group', group)));
  }
  const result: EntityPolicies = { policies: owned.map(asEntityPolicy) };
  const boundary = await boundaryPolicy(tx, deps, account, doc.PermissionsBoundary);
  if (boundary) result.boundary = { id: boundary.name, type: 'IAM Policy', document: boundary.document, origin: { kind: 'boundary', arn: boundary.label } };
  return result;
}

function asEntityPolicy(p: OwnedPolicy): EntityPolicy {
  return p.managed
    ? { id: p.name, type: 'IAM Policy', document: p.document, origin: { kind: 'managed', arn: p.managed.arn, aws: p.managed.aws } }
    : { id: p.name, type: p.ownerKind, document: p.document, origin: { kind: 'inline', attachmentType: p.ownerKind, attachmentName: p.ownerName, policyName: p.name } };
}
