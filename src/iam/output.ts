// Stored documents → API output shapes. Each operation returns the members AWS returns for it (the
// recorded answers differ: CreateRole omits MaxSessionDuration and RoleLastUsed, ListRoles omits
// tags and boundaries, GetRole has them all), so each shape has its variants here.

import type { GroupDoc, RoleDoc, Tag, UserDoc } from './model.ts';
import type { ManagedPolicyView, UsageCounts } from './managed.ts';

export type Out = Record<string, unknown>;

const boundaryOut = (arn: string | undefined): Out | undefined =>
  arn === undefined ? undefined : { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn };

const tagsOut = (tags: readonly Tag[]): Tag[] => tags.map((t) => ({ Key: t.Key, Value: t.Value }));

/** `full`: GetUser, CreateUser (boundary, tags). `brief`: ListUsers, GetGroup's Users. */
export function userOut(doc: UserDoc, variant: 'full' | 'brief'): Out {
  const out: Out = { Path: doc.Path, UserName: doc.UserName, UserId: doc.UserId, Arn: doc.Arn, CreateDate: new Date(doc.CreateDate) };
  if (doc.PasswordLastUsed) out.PasswordLastUsed = new Date(doc.PasswordLastUsed);
  if (variant === 'full') {
    if (doc.PermissionsBoundary) out.PermissionsBoundary = boundaryOut(doc.PermissionsBoundary);
    if (doc.Tags.length > 0) out.Tags = tagsOut(doc.Tags);
  }
  return out;
}

export const groupOut = (doc: GroupDoc): Out => ({
  Path: doc.Path,
  GroupName: doc.GroupName,
  GroupId: doc.GroupId,
  Arn: doc.Arn,
  CreateDate: new Date(doc.CreateDate),
});

export const roleLastUsedOut = (doc: RoleDoc): Out =>
  doc.RoleLastUsed ? { LastUsedDate: new Date(doc.RoleLastUsed.LastUsedDate), Region: doc.RoleLastUsed.Region } : {};

/**
 * `create`: CreateRole (no MaxSessionDuration, no RoleLastUsed). `get`: GetRole (everything).
 * `list`: ListRoles (MaxSessionDuration, no boundary, tags or last use). `brief`: UpdateRoleDescription.
 */
export function roleOut(doc: RoleDoc, variant: 'create' | 'get' | 'list' | 'brief'): Out {
  const out: Out = {
    Path: doc.Path,
    RoleName: doc.RoleName,
    RoleId: doc.RoleId,
    Arn: doc.Arn,
    CreateDate: new Date(doc.CreateDate),
    AssumeRolePolicyDocument: doc.AssumeRolePolicyDocument,
  };
  if (doc.Description !== undefined) out.Description = doc.Description;
  if (variant === 'get' || variant === 'list') out.MaxSessionDuration = doc.MaxSessionDuration;
  if (variant === 'get' || variant === 'create') {
    if (doc.PermissionsBoundary) out.PermissionsBoundary = boundaryOut(doc.PermissionsBoundary);
    if (doc.Tags.length > 0) out.Tags = tagsOut(doc.Tags);
  }
  if (variant === 'get') out.RoleLastUsed = roleLastUsedOut(doc);
  return out;
}

/** `create`: CreatePolicy (no Description). `get`: GetPolicy (Description, Tags — always). `list`: ListPolicies. */
export function policyOut(view: ManagedPolicyView, counts: UsageCounts, variant: 'create' | 'get' | 'list'): Out {
  const out: Out = {
    PolicyName: view.PolicyName,
    PolicyId: view.PolicyId,
    Arn: view.Arn,
    Path: view.Path,
    DefaultVersionId: view.DefaultVersionId,
    AttachmentCount: counts.AttachmentCount,
    PermissionsBoundaryUsageCount: counts.PermissionsBoundaryUsageCount,
    IsAttachable: view.IsAttachable,
    CreateDate: view.CreateDate,
    UpdateDate: view.UpdateDate,
  };
  if (variant === 'get' && view.Description !== undefined) out.Description = view.Description;
  // Recorded: GetPolicy answers with a Tags list even when empty, for AWS managed policies too.
  if (variant === 'get') out.Tags = tagsOut(view.Tags);
  if (variant === 'create' && view.Tags.length > 0) out.Tags = tagsOut(view.Tags);
  return out;
}

export { boundaryOut, tagsOut };
