// Policy documents through IAM's doors: each is validated by the policy engine for its kind and size
// quota, and stored as the caller's original text (AWS returns documents as they were written).

import { ApiError } from '../common/errors.ts';
import { inlineAggregateExceeded, parsePolicy, policySize } from '../policy/parse.ts';
import type { ParsedPolicy, PolicyError } from '../policy/types.ts';
import type { IamQuotas } from './config.ts';
import type { OwnerKind } from './model.ts';

const toApiError = (error: PolicyError): ApiError =>
  error.code === 'LimitExceeded' ? new ApiError('LimitExceeded', error.message, 409) : new ApiError(error.code, error.message, 400);

function parseOrThrow(...args: Parameters<typeof parsePolicy>): ParsedPolicy {
  const result = parsePolicy(...args);
  if (!result.ok) throw toApiError(result.error);
  return result.policy;
}

/** A managed policy version (CreatePolicy, CreatePolicyVersion): identity grammar, Version 2012-10-17, PolicySize quota. */
export const checkManagedPolicyDocument = (text: string, quotas: IamQuotas): ParsedPolicy =>
  parseOrThrow(text, 'identity', { managed: true, maxSize: quotas.policySize });

/** A role's trust policy: trust grammar, ACLSizePerRole quota. */
export const checkTrustPolicyDocument = (text: string, quotas: IamQuotas): ParsedPolicy =>
  parseOrThrow(text, 'trust', { maxSize: quotas.assumeRolePolicySize });

const inlineQuota = (owner: OwnerKind, quotas: IamQuotas): number =>
  owner === 'user' ? quotas.userPolicySize : owner === 'group' ? quotas.groupPolicySize : quotas.rolePolicySize;

/**
 * An inline policy. AWS limits the inline policies of one entity together, so the new document is
 * counted with the entity's other inline policies (`others`: their texts, without the one replaced).
 */
export function checkInlinePolicyDocument(
  text: string,
  owner: { kind: OwnerKind; name: string },
  others: readonly string[],
  quotas: IamQuotas,
): ParsedPolicy {
  const parsed = parseOrThrow(text, 'identity');
  const limit = inlineQuota(owner.kind, quotas);
  const total = others.reduce((sum, doc) => sum + policySize(doc, 'identity'), policySize(text, 'identity'));
  if (total > limit) throw new ApiError('LimitExceeded', inlineAggregateExceeded(owner.kind, owner.name, limit), 409);
  return parsed;
}
