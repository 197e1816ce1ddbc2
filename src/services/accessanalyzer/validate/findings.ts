// ValidatePolicy's findings: a type, AWS's issue code, the details text, the reference page's anchor
// for the check and where in the document it is.

import type { Location } from './located.ts';

export type FindingType = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';

export interface ValidatePolicyFinding {
  findingDetails: string;
  findingType: FindingType;
  issueCode: string;
  learnMoreLink: string;
  locations: Location[];
}

const REFERENCE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html';

const ANCHOR_PREFIX: Record<FindingType, string> = {
  ERROR: 'error',
  SECURITY_WARNING: 'security-warning',
  WARNING: 'general-warning',
  SUGGESTION: 'suggestion',
};

/** The check's section of AWS's reference page: its anchor is its type and its title (the code, hyphenated). */
export function learnMoreLink(type: FindingType, issueCode: string): string {
  return `${REFERENCE}#access-analyzer-reference-policy-checks-${ANCHOR_PREFIX[type]}-${issueCode.toLowerCase().replaceAll('_', '-')}`;
}

export function finding(type: FindingType, issueCode: string, details: string, ...locations: Location[]): ValidatePolicyFinding {
  return { findingDetails: details, findingType: type, issueCode, learnMoreLink: learnMoreLink(type, issueCode), locations };
}
