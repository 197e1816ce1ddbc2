// SimulatePrincipalPolicy's PolicyExclusionList: policies left out of the simulation by type, by ARN
// (with at most one `*` in the name) or by inline policy name and owner. A malformed identifier is
// refused; one that matches nothing is ignored; SCP and RCP identifiers are ignored — iamd's accounts
// belong to no organization. (The API reference allows `*` and `?` in an inline policy's
// AttachmentName, but the model's pattern for it, which the protocol layer enforces, admits neither.)

import { invalidInput } from './errors.ts';

export type PolicyIdentifierType = 'inline' | 'aws-managed' | 'user-managed' | 'permission-boundary' | 'scp' | 'rcp';

export interface PolicyIdentifier {
  PolicyType?: PolicyIdentifierType;
  PolicyArn?: string;
  InlinePolicyIdentifier?: { PolicyName: string; AttachmentType: 'user' | 'group' | 'role'; AttachmentName: string };
}

/** What an exclusion is matched against: one policy of the entity. */
export type PolicyOrigin =
  | { kind: 'inline'; attachmentType: 'user' | 'group' | 'role'; attachmentName: string; policyName: string }
  | { kind: 'managed'; arn: string; aws: boolean }
  | { kind: 'boundary'; arn: string };

export type Exclusion = (origin: PolicyOrigin) => boolean;

const MANAGED_ARN = /^arn:aws:iam::(\d{12}|aws):policy\/(.+)$/;

export function compileExclusions(identifiers: readonly PolicyIdentifier[] | undefined): Exclusion[] {
  return (identifiers ?? []).map(compileExclusion);
}

function compileExclusion(id: PolicyIdentifier): Exclusion {
  const given = [id.PolicyType, id.PolicyArn, id.InlinePolicyIdentifier].filter((m) => m !== undefined).length;
  if (given !== 1) throw invalidInput('Each PolicyIdentifier must specify exactly one of PolicyType, PolicyArn and InlinePolicyIdentifier.');

  if (id.PolicyType !== undefined) {
    const type = id.PolicyType;
    return (o) =>
      (type === 'inline' && o.kind === 'inline') ||
      (type === 'aws-managed' && o.kind === 'managed' && o.aws) ||
      (type === 'user-managed' && o.kind === 'managed' && !o.aws) ||
      (type === 'permission-boundary' && o.kind === 'boundary');
  }

  if (id.PolicyArn !== undefined) {
    const arn = id.PolicyArn;
    const m = MANAGED_ARN.exec(arn);
    const stars = (arn.match(/\*/g) ?? []).length;
    if (!m || stars > 1 || arn.includes('?')) throw invalidInput(`Invalid policy ARN in PolicyExclusionList: ${arn}`);
    const matches = wildcard(arn);
    return (o) => o.kind === 'managed' && matches(o.arn);
  }

  // IAM names compare without regard to case.
  const inline = id.InlinePolicyIdentifier!;
  const owner = inline.AttachmentName.toLowerCase();
  const policyName = inline.PolicyName.toLowerCase();
  return (o) =>
    o.kind === 'inline' && o.attachmentType === inline.AttachmentType && o.attachmentName.toLowerCase() === owner && o.policyName.toLowerCase() === policyName;
}

/** `*` matches any run of characters; ARNs compare without regard to case, as IAM names do. */
function wildcard(pattern: string): (text: string) => boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c.replace(/[\\^$.|+()[\]{}?]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${source}$`, 'i');
  return (text) => re.test(text);
}
