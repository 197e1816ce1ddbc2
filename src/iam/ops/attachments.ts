// Managed policy attachments: Attach/Detach{User,Group,Role}Policy and
// ListAttached{User,Group,Role}Policies.

import type { Tx } from '../../store/types.ts';
import type { IamDeps } from '../deps.ts';
import { notAttachable, policyNotAttachable, policyNotFound, quotaExceeded } from '../errors.ts';
import { findManagedPolicy, requireArnSyntax, SERVICE_ROLE_POLICY_PATH } from '../managed.ts';
import { attachmentKey, KIND, ownerKey, parsePolicyArn, type AttachmentDoc, type RoleDoc } from '../model.ts';
import { paginate, pageMembers, type PageInput } from '../pagination.ts';
import { defineOp, OWNERS, type OwnerSpec } from './define.ts';

type Named = Record<string, string | undefined>;
const ownerName = (owner: OwnerSpec, input: Named): string => input[owner.nameMember]!;

const QUOTA_NAME = { user: 'PoliciesPerUser', group: 'PoliciesPerGroup', role: 'PoliciesPerRole' } as const;
/** AWS's text for roles is recorded; users and groups follow its pattern. */
const SERVICE_ROLE_REFUSAL = {
  user: 'Cannot attach a Service Role Policy to a User.',
  group: 'Cannot attach a Service Role Policy to a Group.',
  role: 'Cannot attach a Service Role Policy to a Customer Role.',
} as const;

function attachmentOperationsFor(owner: OwnerSpec, deps: IamDeps) {
  const { quotas } = deps.config;
  const L = owner.label;
  const limit = { user: quotas.attachedPoliciesPerUser, group: quotas.attachedPoliciesPerGroup, role: quotas.attachedPoliciesPerRole }[owner.kind];

  const attach = defineOp<Named & { PolicyArn: string }>(`Attach${L}Policy`, {
    authorize: async (input, ctx, tx) => [
      await owner.check(tx, ctx, `Attach${L}Policy`, ownerName(owner, input), { 'iam:PolicyARN': input.PolicyArn }),
    ],
    async handle(input, ctx, tx) {
      requireArnSyntax(input.PolicyArn);
      const o = await owner.require(tx, ctx.account, ownerName(owner, input), true);
      const policy = await findManagedPolicy(tx, deps, ctx.account, input.PolicyArn);
      if (!policy || !policy.IsAttachable) throw policyNotAttachable(input.PolicyArn);
      if (policy.Path === SERVICE_ROLE_POLICY_PATH) throw notAttachable(SERVICE_ROLE_REFUSAL[owner.kind]);
      const key = attachmentKey(owner.kind, o.name, policy.Arn);
      if (await tx.get(ctx.account, KIND.attachment, key)) return {};
      if ((await tx.count(ctx.account, KIND.attachment, { keyPrefix: `${ownerKey(owner.kind, o.name)}/` })) >= limit) {
        throw quotaExceeded(QUOTA_NAME[owner.kind], limit);
      }
      const doc: AttachmentDoc = { ownerKind: owner.kind, ownerName: o.name, ownerId: o.id, PolicyArn: policy.Arn, PolicyName: policy.PolicyName };
      await tx.insert(ctx.account, KIND.attachment, key, doc, policy.Arn);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const detach = defineOp<Named & { PolicyArn: string }>(`Detach${L}Policy`, {
    authorize: async (input, ctx, tx) => [
      await owner.check(tx, ctx, `Detach${L}Policy`, ownerName(owner, input), { 'iam:PolicyARN': input.PolicyArn }),
    ],
    async handle(input, ctx, tx) {
      requireArnSyntax(input.PolicyArn);
      const o = await owner.require(tx, ctx.account, ownerName(owner, input), true);
      if (!(await tx.delete(ctx.account, KIND.attachment, attachmentKey(owner.kind, o.name, input.PolicyArn)))) {
        throw policyNotFound(input.PolicyArn);
      }
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const list = defineOp<Named & { PathPrefix?: string } & PageInput>(`ListAttached${L}Policies`, {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await owner.check(tx, ctx, `ListAttached${L}Policies`, ownerName(owner, input as Named))],
    async handle(input, ctx, tx) {
      const o = await owner.require(tx, ctx.account, ownerName(owner, input as Named), false);
      const all = (await tx.list<AttachmentDoc>(ctx.account, KIND.attachment, { keyPrefix: `${ownerKey(owner.kind, o.name)}/` })).filter(
        (e) => input.PathPrefix === undefined || (parsePolicyArn(e.doc.PolicyArn)?.path ?? '/').startsWith(input.PathPrefix),
      );
      const page = paginate(all, (e) => e.key, input);
      return { AttachedPolicies: page.items.map((e) => ({ PolicyName: e.doc.PolicyName, PolicyArn: e.doc.PolicyArn })), ...pageMembers(page) };
    },
  });

  return [attach, detach, list];
}

export function attachmentOperations(deps: IamDeps) {
  return [OWNERS.user, OWNERS.group, OWNERS.role].flatMap((owner) => attachmentOperationsFor(owner, deps));
}

/**
 * Attaches a managed policy to a role without the customer-facing refusals (service-role policies,
 * protected roles): how a service-linked role receives its service's policy.
 */
export async function attachPolicyToServiceLinkedRole(
  tx: Tx,
  account: string,
  role: RoleDoc,
  policy: { Arn: string; PolicyName: string },
): Promise<void> {
  const key = attachmentKey('role', role.RoleName, policy.Arn);
  if (await tx.get(account, KIND.attachment, key)) return;
  const doc: AttachmentDoc = { ownerKind: 'role', ownerName: role.RoleName, ownerId: role.RoleId, PolicyArn: policy.Arn, PolicyName: policy.PolicyName };
  await tx.insert(account, KIND.attachment, key, doc, policy.Arn);
  await tx.bumpGeneration(account);
}
