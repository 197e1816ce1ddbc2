// SimulatePrincipalPolicy's PolicyExclusionList: policies left out of the simulation by type, by ARN
// (with at most one `*` in the name) or by inline policy name and owner (with `*` and `?` in the
// owner's name). A malformed identifier is refused; one that matches nothing is ignored; SCP and RCP
// identifiers are ignored — iamd's accounts belong to no organization.

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
    const matches = wildcard(arn, false);
    return (o) => o.kind === 'managed' && matches(o.arn);
  }

  const inline = id.InlinePolicyIdentifier!;
  if ((inline.AttachmentName.match(/\*/g) ?? []).length > 1) {
    throw invalidInput(`Invalid AttachmentName in PolicyExclusionList: ${inline.AttachmentName}`);
  }
  const owner = wildcard(inline.AttachmentName, true);
  const policyName = inline.PolicyName.toLowerCase();
  return (o) =>
    o.kind === 'inline' && o.attachmentType === inline.AttachmentType && owner(o.attachmentName) && o.policyName.toLowerCase() === policyName;
}

/** `*` any run of characters, `?` one (when allowed); IAM names compare without regard to case. */
function wildcard(pattern: string, question: boolean): (text: string) => boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' && question ? '.' : c.replace(/[\\^$.|+()[\]{}?]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${source}$`, 'i');
  return (text) => re.test(text);
}
