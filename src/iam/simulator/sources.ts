// The policies a simulation weighs, each with what the answer says about it: its SourcePolicyId and
// SourcePolicyType, and, read only when one of its statements is reported, where each statement is.

import { loadPolicy, statementPositions, type CompiledPolicy, type PolicyKind, type StatementPosition } from '../../policy/index.ts';
import { invalidInput } from './errors.ts';

/**
 * SourcePolicyType as the answer carries it. AWS was recorded answering `IAM Policy` for a managed
 * policy reached through a user, group or role, where its model lists `aws-managed` / `user-managed`;
 * the recorded value is used for managed and input policies, the model's for the others.
 */
export type SourcePolicyType = 'IAM Policy' | 'user' | 'group' | 'role' | 'resource' | 'none';

export class PolicySource {
  private positions?: StatementPosition[];

  constructor(
    readonly id: string,
    readonly type: SourcePolicyType,
    readonly text: string,
    readonly policy: CompiledPolicy,
  ) {}

  /** Where statement `index` is in the text (see src/policy/positions.ts). */
  position(index: number): StatementPosition | undefined {
    this.positions ??= statementPositions(this.text);
    return this.positions[index];
  }
}

/** Labels name the source inside the engine, so a matched statement leads back to its source. */
export function sourceLabel(index: number): string {
  return `#${index}`;
}

/**
 * A policy given in the request, checked as IAM checks it when it is stored (the same parser and
 * messages); a document IAM would refuse is refused here as InvalidInput, the error the model gives
 * these operations.
 */
export function parseInputPolicy(text: string, kind: PolicyKind, label: string, member: string): CompiledPolicy {
  const loaded = loadPolicy(text, kind, label);
  if (loaded.ok) return loaded.policy;
  // A trust policy given as the resource policy (sts:AssumeRole) names no Resource: read it as one.
  if (kind === 'resource') {
    const trust = loadPolicy(text, 'trust', label);
    if (trust.ok) return trust.policy;
  }
  throw invalidInput(`${member}: ${loaded.error.message}`);
}
