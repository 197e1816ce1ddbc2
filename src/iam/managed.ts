// One view over both kinds of managed policy: customer managed ones in the store and AWS managed ones
// in the catalog (read-only, shared by every account). Attachment and boundary counts are per account
// and always come from the store.

import type { Tx } from '../store/types.ts';
import type { IamDeps } from './deps.ts';
import { invalidArn } from './errors.ts';
import { KIND, nameKey, parsePolicyArn, type PolicyDoc, type Tag } from './model.ts';

export interface ManagedPolicyVersion {
  VersionId: string;
  Document: string;
  CreateDate: Date;
}

export interface ManagedPolicyView {
  Arn: string;
  PolicyName: string;
  PolicyId: string;
  Path: string;
  Description?: string;
  CreateDate: Date;
  UpdateDate: Date;
  DefaultVersionId: string;
  IsAttachable: boolean;
  /** True for AWS managed policies (`arn:aws:iam::aws:policy/…`). */
  aws: boolean;
  /** Newest first, as ListPolicyVersions answers. */
  versions: ManagedPolicyVersion[];
  Tags: Tag[];
}

/** AWS's service-linked-role policies live under this path; only service-linked roles may have them. */
export const SERVICE_ROLE_POLICY_PATH = '/aws-service-role/';

const versionNumber = (id: string): number => Number(/^v(\d+)/.exec(id)?.[1] ?? 0);
const newestFirst = (a: { VersionId: string }, b: { VersionId: string }) => versionNumber(b.VersionId) - versionNumber(a.VersionId);

export function customerPolicyView(doc: PolicyDoc): ManagedPolicyView {
  const view: ManagedPolicyView = {
    Arn: doc.Arn,
    PolicyName: doc.PolicyName,
    PolicyId: doc.PolicyId,
    Path: doc.Path,
    CreateDate: new Date(doc.CreateDate),
    UpdateDate: new Date(doc.UpdateDate),
    DefaultVersionId: doc.DefaultVersionId,
    IsAttachable: true,
    aws: false,
    versions: doc.versions
      .map((v) => ({ VersionId: v.VersionId, Document: v.Document, CreateDate: new Date(v.CreateDate) }))
      .sort(newestFirst),
    Tags: doc.Tags,
  };
  if (doc.Description !== undefined) view.Description = doc.Description;
  return view;
}

export function awsPolicyView(deps: IamDeps, arn: string): ManagedPolicyView | undefined {
  const p = deps.awsPolicies.get(arn);
  if (!p) return undefined;
  const view: ManagedPolicyView = {
    Arn: p.Arn,
    PolicyName: p.PolicyName,
    PolicyId: p.PolicyId,
    Path: p.Path,
    CreateDate: p.CreateDate,
    UpdateDate: p.UpdateDate,
    DefaultVersionId: p.DefaultVersionId,
    IsAttachable: p.IsAttachable,
    aws: true,
    versions: p.Versions.map((v) => ({ VersionId: v.VersionId, Document: v.Document, CreateDate: v.CreateDate })).sort(newestFirst),
    Tags: [],
  };
  if (p.Description !== undefined) view.Description = p.Description;
  return view;
}

/** Anything shaped like an ARN; other strings get AWS's "ARN x is not valid." */
export const looksLikeArn = (s: string): boolean => /^arn:[^:]*:[^:]*:[^:]*:[^:]*:.+$/.test(s);

export function requireArnSyntax(arn: string): void {
  if (!looksLikeArn(arn)) throw invalidArn(arn);
}

/** The customer managed policy entity behind `arn` in `account`, if any. */
export async function findCustomerPolicy(tx: Tx, account: string, arn: string): Promise<PolicyDoc | undefined> {
  const parsed = parsePolicyArn(arn);
  if (!parsed || parsed.account !== account) return undefined;
  const entity = await tx.get<PolicyDoc>(account, KIND.policy, nameKey(parsed.name));
  return entity && entity.doc.Arn === arn ? entity.doc : undefined;
}

/** The managed policy `arn` names, as seen from `account` (its own policies and AWS's). */
export async function findManagedPolicy(tx: Tx, deps: IamDeps, account: string, arn: string): Promise<ManagedPolicyView | undefined> {
  const parsed = parsePolicyArn(arn);
  if (!parsed) return undefined;
  if (parsed.account === 'aws') return awsPolicyView(deps, arn);
  const doc = await findCustomerPolicy(tx, account, arn);
  return doc && customerPolicyView(doc);
}

export const defaultDocument = (view: ManagedPolicyView): string =>
  view.versions.find((v) => v.VersionId === view.DefaultVersionId)?.Document ?? '';

export interface UsageCounts {
  AttachmentCount: number;
  PermissionsBoundaryUsageCount: number;
}

export async function usageCounts(tx: Tx, account: string, arn: string): Promise<UsageCounts> {
  return (await usageCountsOf(tx, account, [arn]))[0]!;
}

/** The counts of several policies, read from the store's ref counters in two queries whatever their number. */
export async function usageCountsOf(tx: Tx, account: string, arns: readonly string[]): Promise<UsageCounts[]> {
  const [attachments, boundaries] = await Promise.all([
    tx.countRefs(account, KIND.attachment, arns),
    tx.countRefs(account, KIND.boundaryUse, arns),
  ]);
  return arns.map((_, i) => ({ AttachmentCount: attachments[i]!, PermissionsBoundaryUsageCount: boundaries[i]! }));
}
