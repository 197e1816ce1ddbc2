// Policy size as AWS counts it against its quotas, and AWS's default quotas.
//
// IAM's quota page says, for managed policies and for inline policies alike, that "IAM does not count
// white space when calculating the size of a policy". We read that as JSON's insignificant white space:
// blanks between tokens are free, blanks inside string values are content. The count is the length of
// the document minified, in UTF-16 code units (the service's pattern allows only U+0009, U+000A,
// U+000D and U+0020–U+00FF, so for any document AWS accepts that is also its character count).
// Session policies are the exception: STS limits the `Policy` parameter itself (model: max 2048), so
// every character counts there.

import type { PolicyKind } from './types.ts';

/** AWS default quotas, in characters. */
export const POLICY_SIZE_LIMITS = {
  /** One managed policy version (CreatePolicy, CreatePolicyVersion); also a permissions boundary. */
  managed: 6144,
  /** All inline policies of one user, together. */
  inlineUser: 2048,
  /** All inline policies of one role, together. */
  inlineRole: 10240,
  /** All inline policies of one group, together. */
  inlineGroup: 5120,
  /** A role's trust policy (quota `ACLSizePerRole`; adjustable up to 4096 on AWS). */
  trust: 2048,
  /** The plaintext of an STS session policy (`Policy` parameter). */
  session: 2048,
  /**
   * A session's packed policies and tags, as a percentage of the packed limit (STS answers
   * `PackedPolicyTooLarge` above 100 and reports `PackedPolicySize`).
   */
  sessionPackedPercent: 100,
} as const;

/** The limit that applies to one document of this kind on its own (inline limits are per entity). */
export const defaultSizeLimit = (kind: PolicyKind): number => {
  switch (kind) {
    case 'identity':
    case 'boundary':
    case 'resource':
      return POLICY_SIZE_LIMITS.managed;
    case 'trust':
      return POLICY_SIZE_LIMITS.trust;
    case 'session':
      return POLICY_SIZE_LIMITS.session;
  }
};

/** The size of `text` as AWS counts it for `kind`. Works on any text, JSON or not; never throws. */
export function policySize(text: string, kind: PolicyKind): number {
  if (kind === 'session') return text.length;
  let size = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      size++;
      if (c === 0x5c /* \ */) {
        // The escaped character belongs to the string whatever it is (\" does not end it).
        if (i + 1 < text.length) {
          size++;
          i++;
        }
      } else if (c === 0x22 /* " */) {
        inString = false;
      }
      continue;
    }
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    size++;
    if (c === 0x22) inString = true;
  }
  return size;
}
