// The policies of the user, group or role a SimulatePrincipalPolicy names (PolicySourceArn): its
// inline and attached policies, a user's groups' too, and its permissions boundary — the same the
// authorizer loads for that identity (src/iam/principal.ts), here with what the answer names them by.

import type { Tx } from '../../store/types.ts';
import type { IamDeps } from '../deps.ts';
import { noSuchGroup, noSuchRole, noSuchUser } from '../errors.ts';
import { findRole, findUser } from '../lookups.ts';
import { defaultDocument, findManagedPolicy } from '../managed.ts';
import { KIND, nameKey, ownerKey, type AttachmentDoc, type GroupDoc, type InlinePolicyDoc, type MembershipDoc, type OwnerKind } from '../model.ts';
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
    return { policies: await ownedPolicies(tx, deps, account, 'group', group.GroupName) };
  }
  const doc = entity.type === 'user' ? await findUser(tx, account, entity.name) : await findRole(tx, account, entity.name);
  if (!doc || entity.account !== account || doc.Arn !== entity.arn) throw (entity.type === 'user' ? noSuchUser : noSuchRole)(entity.name);
  const name = 'UserName' in doc ? doc.UserName : doc.RoleName;
  const policies = await ownedPolicies(tx, deps, account, entity.type, name);
  if (entity.type === 'user') {
    for (const m of await tx.listByRef<MembershipDoc>(account, KIND.membership, nameKey(name))) {
      policies.push(...(await ownedPolicies(tx, deps, account, 'group', m.doc.GroupName)));
    }
  }
  const result: EntityPolicies = { policies };
  if (doc.PermissionsBoundary !== undefined) {
    const view = await findManagedPolicy(tx, deps, account, doc.PermissionsBoundary);
    if (view) {
      result.boundary = { id: view.PolicyName, type: 'IAM Policy', document: defaultDocument(view), origin: { kind: 'boundary', arn: view.Arn } };
    }
  }
  return result;
}

async function ownedPolicies(tx: Tx, deps: IamDeps, account: string, kind: OwnerKind, name: string): Promise<EntityPolicy[]> {
  const prefix = `${ownerKey(kind, name)}/`;
  const [inline, attached] = await Promise.all([
    tx.list<InlinePolicyDoc>(account, KIND.inlinePolicy, { keyPrefix: prefix }),
    tx.list<AttachmentDoc>(account, KIND.attachment, { keyPrefix: prefix }),
  ]);
  const out: EntityPolicy[] = inline.map(({ doc }) => ({
    id: doc.PolicyName,
    type: kind,
    document: doc.PolicyDocument,
    origin: { kind: 'inline', attachmentType: kind, attachmentName: doc.ownerName, policyName: doc.PolicyName },
  }));
  for (const a of attached) {
    const view = await findManagedPolicy(tx, deps, account, a.doc.PolicyArn);
    if (view) out.push({ id: view.PolicyName, type: 'IAM Policy', document: defaultDocument(view), origin: { kind: 'managed', arn: view.Arn, aws: view.aws } });
  }
  return out;
}
