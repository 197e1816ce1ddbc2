// The permissions policies of a user, group or role, with the text IAM keeps of each, named as the
// policy simulator names a matched statement's source: SourcePolicyId is the policy's name, and
// SourcePolicyType `user`/`group`/`role` for an inline policy or `IAM Policy` for a managed one
// (docs/analysis.md, "Policy simulator"). The simulator page marks matched statements in these texts.

import { query } from './client.ts';
import { attachedRolePolicies, decodeDocument, listAll, pagedField, policyDocument, roleInlinePolicies, type AttachedPolicy, type Group } from './iam.ts';

export interface SourcePolicy {
  id: string;
  type: string;
  text: string;
}

type Kind = 'user' | 'group' | 'role';

/** The kind and name of an IAM user, group or role ARN (its name is the last part of the path). */
export function principalOf(arn: string): { kind: Kind; name: string } | undefined {
  const m = /^arn:[^:]+:iam::\d{12}:(user|group|role)\/(?:.*\/)?([^/]+)$/.exec(arn.trim());
  return m ? { kind: m[1] as Kind, name: m[2] } : undefined;
}

const CAPITAL: Record<Kind, string> = { user: 'User', group: 'Group', role: 'Role' };

async function inline(kind: Kind, name: string): Promise<SourcePolicy[]> {
  if (kind === 'role') return (await roleInlinePolicies(name)).map((p) => ({ id: p.name, type: 'role', text: p.document }));
  const key = `${CAPITAL[kind]}Name`;
  const names = await listAll((Marker) => query('iam', `List${CAPITAL[kind]}Policies`, { [key]: name, Marker }).then(pagedField<string>('PolicyNames')));
  return Promise.all(
    names.map(async (PolicyName) => {
      const r = await query<{ PolicyDocument: string }>('iam', `Get${CAPITAL[kind]}Policy`, { [key]: name, PolicyName });
      return { id: PolicyName, type: kind, text: decodeDocument(r.PolicyDocument) };
    }),
  );
}

async function attached(kind: Kind, name: string): Promise<SourcePolicy[]> {
  const policies =
    kind === 'role'
      ? await attachedRolePolicies(name)
      : await listAll((Marker) => query('iam', `ListAttached${CAPITAL[kind]}Policies`, { [`${CAPITAL[kind]}Name`]: name, Marker }).then(pagedField<AttachedPolicy>('AttachedPolicies')));
  return Promise.all(policies.map(async (p) => ({ id: p.PolicyName, type: 'IAM Policy', text: await policyDocument(p.PolicyArn) })));
}

/** Every permissions policy the simulator weighs for the principal: its own, and a user's groups'. */
export async function principalPolicies(arn: string): Promise<SourcePolicy[]> {
  const principal = principalOf(arn);
  if (!principal) return [];
  const own = [...(await inline(principal.kind, principal.name)), ...(await attached(principal.kind, principal.name))];
  if (principal.kind !== 'user') return own;
  const groups = await listAll((Marker) => query('iam', 'ListGroupsForUser', { UserName: principal.name, Marker }).then(pagedField<Group>('Groups')));
  const theirs = await Promise.all(groups.map(async (g) => [...(await inline('group', g.GroupName)), ...(await attached('group', g.GroupName))]));
  return [...own, ...theirs.flat()];
}
