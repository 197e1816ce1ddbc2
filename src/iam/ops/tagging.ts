// Tag/Untag/List{User,Role,Policy,InstanceProfile,OpenIDConnectProvider}Tags.

import type { CallContext } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { check, roleCheck, userCheck } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { policyNotFound } from '../errors.ts';
import { requireRole, requireUser } from '../lookups.ts';
import { findCustomerPolicy, requireArnSyntax } from '../managed.ts';
import { KIND, nameKey, type Tag } from '../model.ts';
import { paginate, pageMembers, type PageInput } from '../pagination.ts';
import { mergeTags, removeTags, requestTagContext, resourceTagContext } from '../tags.ts';
import { defineOp, type Output } from './define.ts';
import { instanceProfileCheck, requireInstanceProfile } from './instance-profiles.ts';
import { oidcProviderCheck, requireOidcProvider } from '../oidc-providers.ts';
import { requireSamlProvider, samlProviderCheck } from '../saml-providers.ts';
import { requireServerCertificate, serverCertificateCheck } from './server-certificates.ts';

/** How one taggable kind is found, checked and rewritten. */
export interface Taggable {
  label: 'User' | 'Role' | 'Policy' | 'InstanceProfile' | 'MFADevice' | 'OpenIDConnectProvider' | 'SAMLProvider' | 'ServerCertificate';
  member: 'UserName' | 'RoleName' | 'PolicyArn' | 'InstanceProfileName' | 'SerialNumber' | 'OpenIDConnectProviderArn' | 'SAMLProviderArn' | 'ServerCertificateName';
  /** User and role tag keys are case-insensitive; policy tag keys are not. */
  caseInsensitive: boolean;
  check(tx: Tx, ctx: CallContext, action: string, id: string, extra: Record<string, string | string[]>): Promise<ReturnType<typeof check>>;
  load(tx: Tx, account: string, id: string): Promise<{ kind: string; key: string; doc: { Tags: Tag[] } }>;
  /** ListPolicyTags sorts (shorter keys first, then by code point: recorded); users and roles keep tag order. */
  listOrder?: (a: Tag, b: Tag) => number;
}

const TAGGABLES: Taggable[] = [
  {
    label: 'User',
    member: 'UserName',
    caseInsensitive: true,
    check: (tx, ctx, action, id, extra) => userCheck(tx, ctx, action, id, extra),
    async load(tx, account, id) {
      const e = await requireUser(tx, account, id);
      return { kind: KIND.user, key: e.key, doc: e.doc };
    },
  },
  {
    label: 'Role',
    member: 'RoleName',
    caseInsensitive: true,
    check: (tx, ctx, action, id, extra) => roleCheck(tx, ctx, action, id, extra),
    async load(tx, account, id) {
      const e = await requireRole(tx, account, id);
      return { kind: KIND.role, key: e.key, doc: e.doc };
    },
  },
  {
    label: 'Policy',
    member: 'PolicyArn',
    caseInsensitive: false,
    async check(tx, ctx, action, id, extra) {
      const doc = await findCustomerPolicy(tx, ctx.account, id);
      return check(action, id, { ...extra, ...resourceTagContext(doc?.Tags ?? [], false) });
    },
    async load(tx, account, id) {
      requireArnSyntax(id);
      const doc = await findCustomerPolicy(tx, account, id);
      if (!doc) throw policyNotFound(id);
      return { kind: KIND.policy, key: nameKey(doc.PolicyName), doc };
    },
    listOrder: (a, b) => a.Key.length - b.Key.length || (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0),
  },
  {
    label: 'InstanceProfile',
    member: 'InstanceProfileName',
    caseInsensitive: true,
    check: (tx, ctx, action, id, extra) => instanceProfileCheck(tx, ctx, action, id, extra),
    async load(tx, account, id) {
      const e = await requireInstanceProfile(tx, account, id);
      return { kind: KIND.instanceProfile, key: e.key, doc: e.doc };
    },
  },
  {
    label: 'OpenIDConnectProvider',
    member: 'OpenIDConnectProviderArn',
    caseInsensitive: true,
    check: (tx, ctx, action, id, extra) => oidcProviderCheck(tx, ctx, action, id, extra),
    async load(tx, account, id) {
      const e = await requireOidcProvider(tx, account, id);
      return { kind: KIND.oidcProvider, key: e.key, doc: e.doc };
    },
  },
  {
    label: 'SAMLProvider',
    member: 'SAMLProviderArn',
    caseInsensitive: true,
    check: (tx, ctx, action, id, extra) => samlProviderCheck(tx, ctx, action, id, extra),
    async load(tx, account, id) {
      const e = await requireSamlProvider(tx, account, id);
      return { kind: KIND.samlProvider, key: e.key, doc: e.doc };
    },
  },
  {
    label: 'ServerCertificate',
    member: 'ServerCertificateName',
    caseInsensitive: true,
    check: (tx, ctx, action, id, extra) => serverCertificateCheck(tx, ctx, action, id, extra),
    async load(tx, account, id) {
      const e = await requireServerCertificate(tx, account, id);
      return { kind: KIND.serverCertificate, key: e.key, doc: e.doc };
    },
  },
];

type Input = Record<string, unknown>;

export function tagOperationsFor(t: Taggable, deps: IamDeps) {
  const { quotas } = deps.config;
  const id = (input: Input) => input[t.member] as string;

  const tag = defineOp<Input & { Tags: Tag[] }>(`Tag${t.label}`, {
    authorize: async (input, ctx, tx) => [await t.check(tx, ctx, `Tag${t.label}`, id(input), requestTagContext(input.Tags))],
    async handle(input, ctx, tx) {
      const e = await t.load(tx, ctx.account, id(input));
      const Tags = mergeTags(e.doc.Tags, input.Tags, t.caseInsensitive, quotas.tagsPerEntity);
      await tx.update(ctx.account, e.kind, e.key, { ...e.doc, Tags });
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const untag = defineOp<Input & { TagKeys: string[] }>(`Untag${t.label}`, {
    authorize: async (input, ctx, tx) => [await t.check(tx, ctx, `Untag${t.label}`, id(input), { 'aws:TagKeys': input.TagKeys })],
    async handle(input, ctx, tx) {
      const e = await t.load(tx, ctx.account, id(input));
      await tx.update(ctx.account, e.kind, e.key, { ...e.doc, Tags: removeTags(e.doc.Tags, input.TagKeys, t.caseInsensitive) });
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const list = defineOp<Input & PageInput>(`List${t.label}Tags`, {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await t.check(tx, ctx, `List${t.label}Tags`, id(input), {})],
    async handle(input, ctx, tx): Promise<Output> {
      const e = await t.load(tx, ctx.account, id(input));
      const ordered = t.listOrder ? [...e.doc.Tags].sort(t.listOrder) : e.doc.Tags;
      // The marker is the position (zero-padded, so it sorts): tags have no key that sorts in this order.
      const keyed = ordered.map((tag, i) => ({ tag, key: String(i).padStart(4, '0') }));
      const page = paginate(keyed, (k) => k.key, input);
      return { Tags: page.items.map((k) => ({ Key: k.tag.Key, Value: k.tag.Value })), ...pageMembers(page) };
    },
  });

  return [tag, untag, list];
}

export function tagOperations(deps: IamDeps) {
  return TAGGABLES.flatMap((t) => tagOperationsFor(t, deps));
}
