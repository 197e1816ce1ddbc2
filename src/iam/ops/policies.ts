// Customer managed policies and their versions, and read access to AWS managed ones: CreatePolicy,
// GetPolicy, ListPolicies, DeletePolicy, CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions,
// DeletePolicyVersion, SetDefaultPolicyVersion, ListEntitiesForPolicy.

import type { CallContext } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { check } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { checkManagedPolicyDocument } from '../documents.ts';
import {
  accessDenied,
  defaultVersionDelete,
  policyAttached,
  policyExists,
  policyHasVersions,
  policyNotAttachable,
  policyNotFound,
  policyVersionNotFound,
  quotaExceeded,
  versionLimit,
} from '../errors.ts';
import {
  customerPolicyView,
  findCustomerPolicy,
  findManagedPolicy,
  requireArnSyntax,
  usageCounts,
  type ManagedPolicyView,
} from '../managed.ts';
import {
  KIND,
  nameKey,
  newId,
  parsePolicyArn,
  policyArn,
  type AttachmentDoc,
  type BoundaryUseDoc,
  type GroupDoc,
  type PolicyDoc,
  type RoleDoc,
  type Tag,
  type UserDoc,
} from '../model.ts';
import { policyOut } from '../output.ts';
import { paginate, pageMembers, type PageInput } from '../pagination.ts';
import { listPolicies as listPolicyPage, type PolicyListing } from '../policy-listing.ts';
import { mergeTags, requestTagContext } from '../tags.ts';
import { defineOp, insertNew, nowIso } from './define.ts';

interface CreatePolicyInput {
  PolicyName: string;
  Path?: string;
  PolicyDocument: string;
  Description?: string;
  Tags?: Tag[];
}

/** Checks on a policy ARN. Its tags give `aws:ResourceTag/…` for customer managed policies. */
async function policyCheck(tx: Tx, ctx: CallContext, action: string, arn: string) {
  const doc = await findCustomerPolicy(tx, ctx.account, arn);
  const context: Record<string, string> = {};
  for (const tag of doc?.Tags ?? []) context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
  return check(action, arn, context);
}

/** The caller's own customer managed policy; AWS managed ones cannot be changed by anyone. */
async function requireOwnPolicy(tx: Tx, ctx: CallContext, action: string, arn: string): Promise<PolicyDoc> {
  requireArnSyntax(arn);
  const doc = await findCustomerPolicy(tx, ctx.account, arn);
  if (doc) return doc;
  if (parsePolicyArn(arn)?.account === 'aws') throw accessDenied(ctx.caller.principal.arn, `iam:${action}`, arn);
  throw policyNotFound(arn);
}

export function policyOperations(deps: IamDeps) {
  const { quotas } = deps.config;

  async function requireAnyPolicy(tx: Tx, account: string, arn: string): Promise<ManagedPolicyView> {
    requireArnSyntax(arn);
    const view = await findManagedPolicy(tx, deps, account, arn);
    if (!view) throw policyNotFound(arn);
    return view;
  }

  const createPolicy = defineOp<CreatePolicyInput>('CreatePolicy', {
    authorize(input, ctx) {
      const arn = policyArn(ctx.account, input.Path ?? '/', input.PolicyName);
      const checks = [check('CreatePolicy', arn, requestTagContext(input.Tags))];
      if (input.Tags?.length) checks.push(check('TagPolicy', arn, requestTagContext(input.Tags)));
      return checks;
    },
    async handle(input, ctx, tx) {
      checkManagedPolicyDocument(input.PolicyDocument, quotas);
      const tags = mergeTags([], input.Tags ?? [], false, quotas.tagsPerEntity);
      if ((await tx.count(ctx.account, KIND.policy)) >= quotas.policiesPerAccount) throw quotaExceeded('PoliciesPerAccount', quotas.policiesPerAccount);
      const path = input.Path ?? '/';
      const now = nowIso(ctx);
      const doc: PolicyDoc = {
        PolicyName: input.PolicyName,
        PolicyId: newId('ANPA'),
        Arn: policyArn(ctx.account, path, input.PolicyName),
        Path: path,
        CreateDate: now,
        UpdateDate: now,
        DefaultVersionId: 'v1',
        nextVersion: 2,
        versions: [{ VersionId: 'v1', Document: input.PolicyDocument, CreateDate: now }],
        Tags: tags,
      };
      if (input.Description !== undefined) doc.Description = input.Description;
      await insertNew(tx, ctx.account, KIND.policy, nameKey(input.PolicyName), doc, null, () => policyExists(input.PolicyName));
      return { Policy: policyOut(customerPolicyView(doc), { AttachmentCount: 0, PermissionsBoundaryUsageCount: 0 }, 'create') };
    },
  });

  const getPolicy = defineOp<{ PolicyArn: string }>('GetPolicy', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await policyCheck(tx, ctx, 'GetPolicy', input.PolicyArn)],
    async handle(input, ctx, tx) {
      const view = await requireAnyPolicy(tx, ctx.account, input.PolicyArn);
      return { Policy: policyOut(view, await usageCounts(tx, ctx.account, view.Arn), 'get') };
    },
  });

  const listPolicies = defineOp<
    PolicyListing & PageInput
  >('ListPolicies', {
    readOnly: true,
    authorize: () => [check('ListPolicies', '*')],
    async handle(input, ctx, tx) {
      const page = await listPolicyPage(tx, deps, ctx.account, input);
      return { Policies: page.items.map((p) => policyOut(p.view, p.counts, 'list')), ...pageMembers(page) };
    },
  });

  const deletePolicy = defineOp<{ PolicyArn: string }>('DeletePolicy', {
    authorize: async (input, ctx, tx) => [await policyCheck(tx, ctx, 'DeletePolicy', input.PolicyArn)],
    async handle(input, ctx, tx) {
      const doc = await requireOwnPolicy(tx, ctx, 'DeletePolicy', input.PolicyArn);
      const counts = await usageCounts(tx, ctx.account, doc.Arn);
      if (counts.AttachmentCount > 0 || counts.PermissionsBoundaryUsageCount > 0) throw policyAttached();
      // AWS deletes only the default version with the policy; the others must be deleted first.
      if (doc.versions.length > 1) throw policyHasVersions();
      await tx.delete(ctx.account, KIND.policy, nameKey(doc.PolicyName));
      return {};
    },
  });

  const createPolicyVersion = defineOp<{ PolicyArn: string; PolicyDocument: string; SetAsDefault?: boolean }>('CreatePolicyVersion', {
    authorize: async (input, ctx, tx) => [await policyCheck(tx, ctx, 'CreatePolicyVersion', input.PolicyArn)],
    async handle(input, ctx, tx) {
      const doc = await requireOwnPolicy(tx, ctx, 'CreatePolicyVersion', input.PolicyArn);
      if (doc.versions.length >= quotas.versionsPerPolicy) throw versionLimit(quotas.versionsPerPolicy);
      checkManagedPolicyDocument(input.PolicyDocument, quotas);
      const now = nowIso(ctx);
      const VersionId = `v${doc.nextVersion}`;
      const updated: PolicyDoc = {
        ...doc,
        nextVersion: doc.nextVersion + 1,
        // UpdateDate is the creation time of the newest version (AWS's definition).
        UpdateDate: now,
        versions: [...doc.versions, { VersionId, Document: input.PolicyDocument, CreateDate: now }],
        DefaultVersionId: input.SetAsDefault ? VersionId : doc.DefaultVersionId,
      };
      await tx.update(ctx.account, KIND.policy, nameKey(doc.PolicyName), updated);
      if (input.SetAsDefault) await tx.bumpGeneration(ctx.account);
      return { PolicyVersion: { VersionId, IsDefaultVersion: updated.DefaultVersionId === VersionId, CreateDate: new Date(now) } };
    },
  });

  const getPolicyVersion = defineOp<{ PolicyArn: string; VersionId: string }>('GetPolicyVersion', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await policyCheck(tx, ctx, 'GetPolicyVersion', input.PolicyArn)],
    async handle(input, ctx, tx) {
      requireArnSyntax(input.PolicyArn);
      const view = await findManagedPolicy(tx, deps, ctx.account, input.PolicyArn);
      const version = view?.versions.find((v) => v.VersionId === input.VersionId);
      if (!view || !version) throw policyVersionNotFound(input.PolicyArn, input.VersionId);
      return {
        PolicyVersion: {
          Document: version.Document,
          VersionId: version.VersionId,
          IsDefaultVersion: version.VersionId === view.DefaultVersionId,
          CreateDate: version.CreateDate,
        },
      };
    },
  });

  const listPolicyVersions = defineOp<{ PolicyArn: string } & PageInput>('ListPolicyVersions', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await policyCheck(tx, ctx, 'ListPolicyVersions', input.PolicyArn)],
    async handle(input, ctx, tx) {
      const view = await requireAnyPolicy(tx, ctx.account, input.PolicyArn);
      // Newest first; the sort key inverts the version number so the marker order matches.
      const keyed = view.versions.map((v) => ({ v, key: String(1e9 - Number(v.VersionId.slice(1))).padStart(10, '0') }));
      const page = paginate(keyed, (k) => k.key, input);
      return {
        Versions: page.items.map(({ v }) => ({ VersionId: v.VersionId, IsDefaultVersion: v.VersionId === view.DefaultVersionId, CreateDate: v.CreateDate })),
        ...pageMembers(page),
      };
    },
  });

  const deletePolicyVersion = defineOp<{ PolicyArn: string; VersionId: string }>('DeletePolicyVersion', {
    authorize: async (input, ctx, tx) => [await policyCheck(tx, ctx, 'DeletePolicyVersion', input.PolicyArn)],
    async handle(input, ctx, tx) {
      const doc = await requireOwnPolicy(tx, ctx, 'DeletePolicyVersion', input.PolicyArn);
      if (!doc.versions.some((v) => v.VersionId === input.VersionId)) throw policyVersionNotFound(input.PolicyArn, input.VersionId);
      if (doc.DefaultVersionId === input.VersionId) throw defaultVersionDelete();
      await tx.update(ctx.account, KIND.policy, nameKey(doc.PolicyName), { ...doc, versions: doc.versions.filter((v) => v.VersionId !== input.VersionId) });
      return {};
    },
  });

  const setDefaultPolicyVersion = defineOp<{ PolicyArn: string; VersionId: string }>('SetDefaultPolicyVersion', {
    authorize: async (input, ctx, tx) => [await policyCheck(tx, ctx, 'SetDefaultPolicyVersion', input.PolicyArn)],
    async handle(input, ctx, tx) {
      requireArnSyntax(input.PolicyArn);
      const doc = await findCustomerPolicy(tx, ctx.account, input.PolicyArn);
      if (!doc || !doc.versions.some((v) => v.VersionId === input.VersionId)) {
        if (!doc && parsePolicyArn(input.PolicyArn)?.account === 'aws' && deps.awsPolicies.get(input.PolicyArn)) {
          throw accessDenied(ctx.caller.principal.arn, 'iam:SetDefaultPolicyVersion', input.PolicyArn);
        }
        throw policyVersionNotFound(input.PolicyArn, input.VersionId);
      }
      if (doc.DefaultVersionId !== input.VersionId) {
        await tx.update(ctx.account, KIND.policy, nameKey(doc.PolicyName), { ...doc, DefaultVersionId: input.VersionId });
        await tx.bumpGeneration(ctx.account);
      }
      return {};
    },
  });

  const listEntitiesForPolicy = defineOp<
    {
      PolicyArn: string;
      EntityFilter?: 'User' | 'Role' | 'Group' | 'LocalManagedPolicy' | 'AWSManagedPolicy';
      PathPrefix?: string;
      PolicyUsageFilter?: 'PermissionsPolicy' | 'PermissionsBoundary';
    } & PageInput
  >('ListEntitiesForPolicy', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await policyCheck(tx, ctx, 'ListEntitiesForPolicy', input.PolicyArn)],
    async handle(input, ctx, tx) {
      requireArnSyntax(input.PolicyArn);
      const view = await findManagedPolicy(tx, deps, ctx.account, input.PolicyArn);
      if (!view) throw policyNotAttachable(input.PolicyArn);
      const uses: { key: string; kind: 'user' | 'group' | 'role'; name: string; id: string }[] = [];
      if (input.PolicyUsageFilter !== 'PermissionsBoundary') {
        for (const a of await tx.listByRef<AttachmentDoc>(ctx.account, KIND.attachment, view.Arn)) {
          uses.push({ key: a.key, kind: a.doc.ownerKind, name: a.doc.ownerName, id: a.doc.ownerId });
        }
      }
      if (input.PolicyUsageFilter !== 'PermissionsPolicy') {
        for (const b of await tx.listByRef<BoundaryUseDoc>(ctx.account, KIND.boundaryUse, view.Arn)) {
          // An entity with the policy both attached and as boundary is listed once.
          if (!uses.some((u) => u.kind === b.doc.ownerKind && nameKey(u.name) === nameKey(b.doc.ownerName))) {
            uses.push({ key: `${b.key}/`, kind: b.doc.ownerKind, name: b.doc.ownerName, id: b.doc.ownerId });
          }
        }
      }
      const wanted = entityKindFilter(input.EntityFilter);
      const selected = [];
      for (const u of uses.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
        if (!wanted.has(u.kind)) continue;
        if (input.PathPrefix !== undefined && !(await entityPath(tx, ctx.account, u.kind, u.name))?.startsWith(input.PathPrefix)) continue;
        selected.push(u);
      }
      const page = paginate(selected, (u) => u.key, input);
      const pick = (kind: string) => page.items.filter((u) => u.kind === kind);
      return {
        PolicyGroups: pick('group').map((u) => ({ GroupName: u.name, GroupId: u.id })),
        PolicyUsers: pick('user').map((u) => ({ UserName: u.name, UserId: u.id })),
        PolicyRoles: pick('role').map((u) => ({ RoleName: u.name, RoleId: u.id })),
        ...pageMembers(page),
      };
    },
  });

  return [
    createPolicy,
    getPolicy,
    listPolicies,
    deletePolicy,
    createPolicyVersion,
    getPolicyVersion,
    listPolicyVersions,
    deletePolicyVersion,
    setDefaultPolicyVersion,
    listEntitiesForPolicy,
  ];
}


/** Policies list by name, case-insensitively, then by ARN (names repeat across AWS's paths). */

function entityKindFilter(filter: string | undefined): Set<string> {
  switch (filter) {
    case 'User':
      return new Set(['user']);
    case 'Group':
      return new Set(['group']);
    case 'Role':
      return new Set(['role']);
    case 'LocalManagedPolicy':
    case 'AWSManagedPolicy':
      // Policies are never attached to policies: AWS answers with empty lists.
      return new Set();
    default:
      return new Set(['user', 'group', 'role']);
  }
}

async function entityPath(tx: Tx, account: string, kind: 'user' | 'group' | 'role', name: string): Promise<string | undefined> {
  const e = await tx.get<UserDoc | GroupDoc | RoleDoc>(account, kind === 'user' ? KIND.user : kind === 'group' ? KIND.group : KIND.role, nameKey(name));
  return e?.doc.Path;
}
