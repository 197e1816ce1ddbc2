// Inline policies of users, groups and roles: Put/Get/Delete/List{User,Group,Role}Policy(ies).
// The three families behave alike, so each operation is built once per owner kind.

import type { IamDeps } from '../deps.ts';
import { checkInlinePolicyDocument } from '../documents.ts';
import { noSuchInlinePolicy } from '../errors.ts';
import { inlinePolicyKey, KIND, ownerKey, type InlinePolicyDoc } from '../model.ts';
import { paginate, pageMembers, type PageInput } from '../pagination.ts';
import { defineOp, OWNERS, type OwnerSpec } from './define.ts';

type Named = Record<string, string | undefined>;
const ownerName = (owner: OwnerSpec, input: Named): string => input[owner.nameMember]!;

function inlineOperationsFor(owner: OwnerSpec, deps: IamDeps) {
  const { quotas } = deps.config;
  const L = owner.label;

  const put = defineOp<Named & { PolicyName: string; PolicyDocument: string }>(`Put${L}Policy`, {
    authorize: async (input, ctx, tx) => [await owner.check(tx, ctx, `Put${L}Policy`, ownerName(owner, input))],
    async handle(input, ctx, tx) {
      const o = await owner.require(tx, ctx.account, ownerName(owner, input), true);
      const key = inlinePolicyKey(owner.kind, o.name, input.PolicyName);
      const others = (await tx.list<InlinePolicyDoc>(ctx.account, KIND.inlinePolicy, { keyPrefix: `${ownerKey(owner.kind, o.name)}/` }))
        .filter((e) => e.key !== key)
        .map((e) => e.doc.PolicyDocument);
      checkInlinePolicyDocument(input.PolicyDocument, { kind: owner.kind, name: o.name }, others, quotas);
      const doc: InlinePolicyDoc = { ownerKind: owner.kind, ownerName: o.name, PolicyName: input.PolicyName, PolicyDocument: input.PolicyDocument };
      if (!(await tx.update(ctx.account, KIND.inlinePolicy, key, doc))) await tx.insert(ctx.account, KIND.inlinePolicy, key, doc);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const get = defineOp<Named & { PolicyName: string }>(`Get${L}Policy`, {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await owner.check(tx, ctx, `Get${L}Policy`, ownerName(owner, input))],
    async handle(input, ctx, tx) {
      const o = await owner.require(tx, ctx.account, ownerName(owner, input), false);
      const e = await tx.get<InlinePolicyDoc>(ctx.account, KIND.inlinePolicy, inlinePolicyKey(owner.kind, o.name, input.PolicyName));
      if (!e) throw noSuchInlinePolicy(owner.kind, input.PolicyName);
      return { [owner.nameMember]: o.name, PolicyName: e.doc.PolicyName, PolicyDocument: e.doc.PolicyDocument };
    },
  });

  const del = defineOp<Named & { PolicyName: string }>(`Delete${L}Policy`, {
    authorize: async (input, ctx, tx) => [await owner.check(tx, ctx, `Delete${L}Policy`, ownerName(owner, input))],
    async handle(input, ctx, tx) {
      const o = await owner.require(tx, ctx.account, ownerName(owner, input), true);
      if (!(await tx.delete(ctx.account, KIND.inlinePolicy, inlinePolicyKey(owner.kind, o.name, input.PolicyName)))) {
        throw noSuchInlinePolicy(owner.kind, input.PolicyName);
      }
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const list = defineOp<Named & PageInput>(`List${L}Policies`, {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await owner.check(tx, ctx, `List${L}Policies`, ownerName(owner, input as Named))],
    async handle(input, ctx, tx) {
      const o = await owner.require(tx, ctx.account, ownerName(owner, input as Named), false);
      const all = await tx.list<InlinePolicyDoc>(ctx.account, KIND.inlinePolicy, { keyPrefix: `${ownerKey(owner.kind, o.name)}/` });
      const page = paginate(all, (e) => e.key, input);
      return { PolicyNames: page.items.map((e) => e.doc.PolicyName), ...pageMembers(page) };
    },
  });

  return [put, get, del, list];
}

export function inlinePolicyOperations(deps: IamDeps) {
  return [OWNERS.user, OWNERS.group, OWNERS.role].flatMap((owner) => inlineOperationsFor(owner, deps));
}
