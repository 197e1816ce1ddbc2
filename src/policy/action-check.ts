// What IAM accepts in Action / NotAction: `*`, or `vendor:name` with exactly one colon. AWS checks
// the vendor's characters but not the name's (it accepts "iam: asdf safdsf af "), and does not check
// that the action exists.

import { MSG, vendorNotValid } from './messages.ts';

/** Letters, digits, `-`, `.` and `_` as in service prefixes; wildcards as in `s3*`. */
const VENDOR = /^[A-Za-z0-9._*?-]+$/;

/** AWS's message for an action it refuses, or undefined when the value is acceptable. */
export function actionProblem(action: string): string | undefined {
  if (action === '*') return undefined;
  const colon = action.indexOf(':');
  if (colon < 0) return MSG.actionNoVendor;
  if (action.indexOf(':', colon + 1) >= 0) return MSG.actionTwoColons;
  const vendor = action.slice(0, colon);
  if (!VENDOR.test(vendor)) return vendorNotValid(vendor);
  return undefined;
}

/** The actions a role's trust policy may name (case-insensitive, as actions are). */
const TRUST_ACTIONS = [
  'sts:assumerole', 'sts:assumerolewithsaml', 'sts:assumerolewithwebidentity', 'sts:tagsession',
  'sts:setsourceidentity', 'sts:setcontext',
];

/** True when an action pattern of a trust policy can only match STS AssumeRole-family actions. */
export function isTrustAction(action: string): boolean {
  const lower = action.toLowerCase();
  if (!lower.startsWith('sts:') && !lower.startsWith('*')) return false;
  const pattern = globToRegExp(lower);
  return TRUST_ACTIONS.some((a) => pattern.test(a));
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
