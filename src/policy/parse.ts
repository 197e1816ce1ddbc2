// Parses and validates an IAM policy document into the engine's `ParsedPolicy`.
//
// The checks run in the order AWS applies them, as its recorded answers show (a document with several
// faults gets the message of the earliest check):
//   1. size (when a limit is given)          → LimitExceeded
//   2. JSON                                  → "This policy contains invalid Json" (trust) / "Syntax errors in policy."
//   3. grammar (elements, types)             → "Syntax errors in policy."
//   4. version (managed policies only)       → "Policy document must be version 2012-10-17 or greater."
//   5. elements this kind must / must not have (Principal, Resource)
//   6. what the old parser cannot read       → "The policy failed legacy parsing"
//   7. statement ids: unique, alphanumeric
//   8. each statement in turn: actions present, resources present, resource ARNs, action names,
//      trust actions, principals
// Pure: no I/O, and it never throws, whatever the input.

import { readJson } from './json-reader.ts';
import { shapePolicy, type ShapedPolicy, type ShapedStatement } from './shape.ts';
import { MSG, SIZE_QUOTA_NAME, quotaExceeded } from './messages.ts';
import { policySize } from './limits.ts';
import { failsLegacyArnParsing, resourceProblem } from './resource-check.ts';
import { actionProblem, isTrustAction } from './action-check.ts';
import { principalProblem } from './principal-check.ts';
import { isAcceptedDate } from './date-value.ts';
import { valueFamily } from './condition-operator.ts';
import { conditionValueWarnings } from './condition-values.ts';
import type { ParseOptions, ParseResult, ParsedPolicy, PolicyError, PolicyKind, Statement } from './types.ts';

export { policySize, POLICY_SIZE_LIMITS, defaultSizeLimit } from './limits.ts';
export { inlineAggregateExceeded, quotaExceeded } from './messages.ts';

export interface PolicyParseOptions extends ParseOptions {
  /**
   * The document is a managed policy version (CreatePolicy, CreatePolicyVersion). AWS then insists on
   * `"Version": "2012-10-17"`; inline, trust and session policies may say 2008-10-17 or nothing.
   */
  managed?: boolean;
}

type Check = (policy: ShapedPolicy, kind: PolicyKind) => string | undefined;

const malformed = (message: string): { ok: false; error: PolicyError } => ({
  ok: false,
  error: { code: 'MalformedPolicyDocument', message },
});

export function parsePolicy(text: string, kind: PolicyKind, options: PolicyParseOptions = {}): ParseResult {
  try {
    return parseUnguarded(text, kind, options);
  } catch {
    // Every path above is meant to be total; should one not be, the client still gets AWS's
    // generic answer for a document IAM cannot read rather than an internal error.
    return malformed(MSG.syntax);
  }
}

function parseUnguarded(text: string, kind: PolicyKind, options: PolicyParseOptions): ParseResult {
  if (typeof text !== 'string') return malformed(MSG.syntax);
  if (options.maxSize !== undefined && policySize(text, kind) > options.maxSize) {
    return { ok: false, error: { code: 'LimitExceeded', message: quotaExceeded(SIZE_QUOTA_NAME[kind], options.maxSize) } };
  }

  const json = readJson(text);
  if (!json.ok) return malformed(kind === 'trust' ? MSG.invalidJson : MSG.syntax);

  const shaped = shapePolicy(json.value);
  if (!shaped) return malformed(MSG.syntax);

  if (options.managed && shaped.version !== '2012-10-17') return malformed(MSG.versionTooOld);

  for (const check of [checkKindElements, checkLegacyParsing, checkStatementIds, checkStatements]) {
    const problem = check(shaped, kind);
    if (problem) return malformed(problem);
  }

  const policy: ParsedPolicy = { kind, statements: shaped.statements.map((s) => s.statement) };
  if (shaped.version) policy.version = shaped.version;
  if (shaped.id !== undefined) policy.id = shaped.id;
  return { ok: true, policy, warnings: warningsFor(policy) };
}

const hasPrincipal = (s: Statement): boolean => s.principal !== undefined || s.notPrincipal !== undefined;

/** Principal is for resource-based policies (a role's trust policy is one); Resource is not for trust policies. */
const checkKindElements: Check = (policy, kind) => {
  for (const { statement } of policy.statements) {
    switch (kind) {
      case 'identity':
      case 'boundary':
      case 'session':
        if (hasPrincipal(statement)) return MSG.principalNotAllowed;
        break;
      case 'trust':
        if (statement.resource !== undefined) return MSG.prohibitedResource;
        if (statement.notResource !== undefined) return MSG.prohibitedNotResource;
        if (!hasPrincipal(statement)) return MSG.missingPrincipal;
        break;
      case 'resource':
        if (!hasPrincipal(statement)) return MSG.missingPrincipal;
        break;
    }
  }
  return undefined;
};

const checkLegacyParsing: Check = (policy) => {
  for (const { statement, effectText } of policy.statements) {
    if (effectText !== statement.effect) return MSG.legacyParsing;
    for (const clause of statement.conditions) {
      if (valueFamily(clause.base) === 'date' && !clause.values.every(isAcceptedDate)) return MSG.legacyParsing;
    }
    const resources = statement.resource ?? statement.notResource ?? [];
    if (resources.some(failsLegacyArnParsing)) return MSG.legacyParsing;
  }
  return undefined;
};

const SID = /^[0-9A-Za-z]*$/;

const checkStatementIds: Check = (policy) => {
  const seen = new Set<string>();
  for (const { statement } of policy.statements) {
    // Empty ids are allowed more than once (recorded): they identify nothing.
    if (!statement.sid) continue;
    if (seen.has(statement.sid)) return MSG.duplicateSid;
    seen.add(statement.sid);
  }
  for (const { statement } of policy.statements) {
    if (statement.sid !== undefined && !SID.test(statement.sid)) return MSG.sidNotAlphanumeric;
  }
  return undefined;
};

const checkStatements: Check = (policy, kind) => {
  for (const shaped of policy.statements) {
    const problem = statementProblem(shaped, kind);
    if (problem) return problem;
  }
  return undefined;
};

function statementProblem({ statement }: ShapedStatement, kind: PolicyKind): string | undefined {
  const actions = statement.action ?? statement.notAction ?? [];
  if (actions.length === 0) return MSG.missingActions;

  if (kind !== 'trust') {
    const resources = statement.resource ?? statement.notResource ?? [];
    if (resources.length === 0) return MSG.missingResources;
    for (const resource of resources) {
      const problem = resourceProblem(resource);
      if (problem) return problem;
    }
  }

  for (const action of actions) {
    const problem = actionProblem(action);
    if (problem) return problem;
  }

  if (kind === 'trust') {
    if (statement.notAction !== undefined || !actions.every(isTrustAction)) return MSG.trustActionsOnlyAssumeRole;
  }

  const principal = statement.principal ?? statement.notPrincipal;
  if (principal !== undefined) return principalProblem(principal);
  return undefined;
}

function warningsFor(policy: ParsedPolicy): string[] {
  const warnings: string[] = [];
  for (const statement of policy.statements) {
    for (const clause of statement.conditions) warnings.push(...conditionValueWarnings(clause, statement.index));
  }
  if (policy.version === undefined && /\$\{/.test(JSON.stringify(policy.statements))) {
    warnings.push('The policy has no Version, so ${…} policy variables are literal text; add "Version": "2012-10-17" to use them.');
  }
  return warnings;
}
