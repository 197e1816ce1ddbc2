// The policy checks: ValidatePolicy and the three custom checks. None reads state; each is
// authorized as `access-analyzer:<Operation>` on `*` (they have no resource type).

import type { AuthzCheck, Operation } from '../../../common/call.ts';
import type { PolicyKind } from '../../../policy/types.ts';
import { checkAccessNotGranted, type AccessItem } from '../custom/access-not-granted.ts';
import { checkNoNewAccess } from '../custom/no-new-access.ts';
import { checkNoPublicAccess } from '../custom/no-public-access.ts';
import { readStatements, type Statement } from '../custom/statements.ts';
import { invalidParameter } from '../errors.ts';
import { ACTION_PREFIX, operation, page } from '../operation.ts';
import { validatePolicy, type PolicyType } from '../validate/checks.ts';

const TRUST = 'AWS::IAM::AssumeRolePolicyDocument';

const onStar = (name: string) => (): AuthzCheck[] => [{ action: `${ACTION_PREFIX}:${name}`, resource: '*' }];

/**
 * The statements of a document given to a custom check, read by the engine's parser. A resource
 * policy without Resource is read as a role trust policy (the one resource policy that has none).
 */
function readDocument(text: string, policyType: string, member: string, resourceType?: string): { statements: Statement[]; variables: boolean } {
  const kinds: PolicyKind[] = policyType === 'IDENTITY_POLICY' ? ['identity'] : resourceType === TRUST ? ['trust'] : ['resource', 'trust'];
  let message = '';
  for (const kind of kinds) {
    const read = readStatements(text, kind);
    if (read.ok) return read;
    message ||= read.message;
  }
  throw invalidParameter(`Invalid ${member}: ${message}`);
}

const statementsOf = (text: string, policyType: string, member: string, resourceType?: string): Statement[] =>
  readDocument(text, policyType, member, resourceType).statements;

function validatePolicyOperation(): Operation {
  return operation<{ policyDocument: string; policyType: PolicyType; validatePolicyResourceType?: string; maxResults?: number; nextToken?: string; locale?: string }>('ValidatePolicy', {
    readOnly: true,
    authorize: onStar('ValidatePolicy'),
    async handle(input) {
      // `locale` only translates findingDetails; iamd words them in English.
      const findings = await validatePolicy(input.policyDocument, { policyType: input.policyType, resourceType: input.validatePolicyResourceType });
      const { items, next } = page(findings, input);
      return { findings: items, nextToken: next };
    },
  });
}

function checkNoNewAccessOperation(): Operation {
  return operation<{ newPolicyDocument: string; existingPolicyDocument: string; policyType: string }>('CheckNoNewAccess', {
    readOnly: true,
    authorize: onStar('CheckNoNewAccess'),
    async handle(input) {
      const fresh = readDocument(input.newPolicyDocument, input.policyType, 'newPolicyDocument');
      const existing = readDocument(input.existingPolicyDocument, input.policyType, 'existingPolicyDocument');
      return { ...checkNoNewAccess(fresh.statements, existing.statements, fresh.variables === existing.variables) };
    },
  });
}

function checkAccessNotGrantedOperation(): Operation {
  return operation<{ policyDocument: string; access: AccessItem[]; policyType: string }>('CheckAccessNotGranted', {
    readOnly: true,
    authorize: onStar('CheckAccessNotGranted'),
    async handle(input) {
      if (input.access.some((a) => !a.actions?.length && !a.resources?.length)) {
        throw invalidParameter('Each access entry must list at least one action or resource.');
      }
      return { ...checkAccessNotGranted(statementsOf(input.policyDocument, input.policyType, 'policyDocument'), input.access) };
    },
  });
}

function checkNoPublicAccessOperation(): Operation {
  return operation<{ policyDocument: string; resourceType: string }>('CheckNoPublicAccess', {
    readOnly: true,
    authorize: onStar('CheckNoPublicAccess'),
    async handle(input) {
      const statements = statementsOf(input.policyDocument, 'RESOURCE_POLICY', 'policyDocument', input.resourceType);
      return { ...checkNoPublicAccess(statements) };
    },
  });
}

export const policyCheckOperations = (): Operation[] => [
  validatePolicyOperation(),
  checkNoNewAccessOperation(),
  checkAccessNotGrantedOperation(),
  checkNoPublicAccessOperation(),
];
