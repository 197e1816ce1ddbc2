// The IAM and STS answers the console reads, typed as the Query protocol delivers them (every scalar
// is text; lists through list()), and the calls that fetch them.

import { query, type Credentials } from './client.ts';
import { list } from './xml.ts';

export type XmlList<T> = T[] | string | undefined;

export interface Tag {
  Key: string;
  Value: string;
}

export interface Role {
  RoleName: string;
  RoleId: string;
  Arn: string;
  Path: string;
  CreateDate: string;
  Description?: string;
  MaxSessionDuration?: string;
  AssumeRolePolicyDocument?: string;
  RoleLastUsed?: { LastUsedDate?: string; Region?: string } | string;
  Tags?: XmlList<Tag>;
}

export interface User {
  UserName: string;
  UserId: string;
  Arn: string;
  Path: string;
  CreateDate: string;
  PasswordLastUsed?: string;
  Tags?: XmlList<Tag>;
}

export interface Group {
  GroupName: string;
  GroupId: string;
  Arn: string;
  Path: string;
  CreateDate: string;
}

export interface ManagedPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  AttachmentCount: string;
  IsAttachable: string;
  Description?: string;
  CreateDate: string;
  UpdateDate: string;
}

export interface AttachedPolicy {
  PolicyName: string;
  PolicyArn: string;
}

export interface PolicyVersion {
  VersionId: string;
  IsDefaultVersion: string;
  CreateDate: string;
  Document?: string;
}

export interface AccessKeyMetadata {
  AccessKeyId: string;
  Status: string;
  CreateDate: string;
  UserName: string;
}

export interface RoleUsage {
  Region: string;
  Resources: XmlList<string>;
}

export interface DeletionStatus {
  Status: 'NOT_STARTED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  Reason?: { Reason?: string; RoleUsageList?: XmlList<RoleUsage> } | string;
}

export interface Paged<T> {
  items: T[];
  marker?: string;
}

const paged = <T>(r: Record<string, unknown>, field: string): Paged<T> => ({
  items: list(r[field] as XmlList<T>),
  ...(r.IsTruncated === 'true' && typeof r.Marker === 'string' ? { marker: r.Marker } : {}),
});

/** The page reader of a list named `field`, for listAll over any IAM List* call. */
export const pagedField =
  <T>(field: string) =>
  (r: unknown): Paged<T> =>
    paged<T>(r as Record<string, unknown>, field);

/** IAM's policy documents travel URL-encoded. */
export const decodeDocument = (text: string | undefined): string => {
  if (!text) return '';
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

export const isServiceLinked = (role: Pick<Role, 'Path'>): boolean => role.Path.startsWith('/aws-service-role/');

export async function callerIdentity(credentials?: Credentials): Promise<{ Arn: string; Account: string; UserId: string }> {
  return query('sts', 'GetCallerIdentity', {}, credentials ? { credentials } : {});
}

export async function accountSummary(): Promise<Record<string, string>> {
  const r = await query<{ SummaryMap: Record<string, string> }>('iam', 'GetAccountSummary');
  return r.SummaryMap;
}

export async function listRoles(params: { Marker?: string; MaxItems?: number; PathPrefix?: string }): Promise<Paged<Role>> {
  return paged<Role>(await query('iam', 'ListRoles', params), 'Roles');
}

/** Every page of a paged IAM list (for small lists such as the service-linked roles). */
export async function listAll<T>(page: (marker?: string) => Promise<Paged<T>>): Promise<T[]> {
  const all: T[] = [];
  let marker: string | undefined;
  do {
    const p = await page(marker);
    all.push(...p.items);
    marker = p.marker;
  } while (marker);
  return all;
}

export async function getRole(RoleName: string, signal?: AbortSignal): Promise<Role> {
  return (await query<{ Role: Role }>('iam', 'GetRole', { RoleName }, signal ? { signal } : {})).Role;
}

export async function updateRoleDescription(RoleName: string, Description: string): Promise<void> {
  await query('iam', 'UpdateRoleDescription', { RoleName, Description });
}

export async function attachedRolePolicies(RoleName: string): Promise<AttachedPolicy[]> {
  return listAll((Marker) => query('iam', 'ListAttachedRolePolicies', { RoleName, Marker }).then((r) => paged<AttachedPolicy>(r as Record<string, unknown>, 'AttachedPolicies')));
}

export async function roleInlinePolicies(RoleName: string): Promise<{ name: string; document: string }[]> {
  const names = await listAll((Marker) => query('iam', 'ListRolePolicies', { RoleName, Marker }).then((r) => paged<string>(r as Record<string, unknown>, 'PolicyNames')));
  return Promise.all(
    names.map(async (PolicyName) => {
      const r = await query<{ PolicyDocument: string }>('iam', 'GetRolePolicy', { RoleName, PolicyName });
      return { name: PolicyName, document: decodeDocument(r.PolicyDocument) };
    }),
  );
}

export async function getPolicy(PolicyArn: string): Promise<ManagedPolicy> {
  return (await query<{ Policy: ManagedPolicy }>('iam', 'GetPolicy', { PolicyArn })).Policy;
}

export async function policyDocument(PolicyArn: string, VersionId?: string): Promise<string> {
  const version = VersionId ?? (await getPolicy(PolicyArn)).DefaultVersionId;
  const r = await query<{ PolicyVersion: PolicyVersion }>('iam', 'GetPolicyVersion', { PolicyArn, VersionId: version });
  return decodeDocument(r.PolicyVersion.Document);
}

export async function createServiceLinkedRole(input: { AWSServiceName: string; Description?: string; CustomSuffix?: string }): Promise<Role> {
  return (await query<{ Role: Role }>('iam', 'CreateServiceLinkedRole', input)).Role;
}

export async function deleteServiceLinkedRole(RoleName: string): Promise<string> {
  return (await query<{ DeletionTaskId: string }>('iam', 'DeleteServiceLinkedRole', { RoleName })).DeletionTaskId;
}

export async function deletionStatus(DeletionTaskId: string): Promise<DeletionStatus> {
  return query<DeletionStatus>('iam', 'GetServiceLinkedRoleDeletionStatus', { DeletionTaskId });
}

export const roleUsage = (status: DeletionStatus): RoleUsage[] =>
  typeof status.Reason === 'object' ? list(status.Reason.RoleUsageList) : [];

export async function roleTags(RoleName: string): Promise<Tag[]> {
  return listAll((Marker) => query('iam', 'ListRoleTags', { RoleName, Marker }).then((r) => paged<Tag>(r as Record<string, unknown>, 'Tags')));
}

export async function listUsers(Marker?: string): Promise<Paged<User>> {
  return paged<User>(await query('iam', 'ListUsers', { Marker, MaxItems: 100 }), 'Users');
}

export async function listGroups(Marker?: string): Promise<Paged<Group>> {
  return paged<Group>(await query('iam', 'ListGroups', { Marker, MaxItems: 100 }), 'Groups');
}

export async function listPolicies(params: { Marker?: string; Scope?: 'All' | 'AWS' | 'Local'; OnlyAttached?: boolean }): Promise<Paged<ManagedPolicy>> {
  return paged<ManagedPolicy>(await query('iam', 'ListPolicies', { ...params, MaxItems: 100 }), 'Policies');
}
