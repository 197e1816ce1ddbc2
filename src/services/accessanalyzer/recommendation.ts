// The remedy for an UnusedPermission finding, as GetFindingRecommendation states it: for each of the
// principal's permissions policies that allows something in the finding's service, either detach it
// (nothing it allows would be left) or create a policy that keeps only the actions the principal used
// in that service, then detach the old one — the two-step form AWS answers. Pure: the caller hands in
// the policies and the used actions.
//
// Only Allow statements' Action patterns naming the service itself are narrowed (`memorydb:*` →
// the used `memorydb:` actions). A pattern with a wildcard in its service part (`*`, `*:Describe*`)
// also grants other services and cannot be narrowed to one of them in an Action list; NotAction
// statements cannot be narrowed by listing either. Both are kept as they are — the recommendation then
// removes less than the finding names, never more than the principal used.

import { compileGlob } from '../../policy/glob.ts';

export interface PrincipalPolicy {
  /** The managed policy's ARN, or the inline policy's name. */
  id: string;
  document: string;
  updatedAt?: Date;
}

export interface RecommendedStep {
  recommendedAction: 'CREATE_POLICY' | 'DETACH_POLICY';
  existingPolicyId: string;
  recommendedPolicy?: string;
  policyUpdatedAt?: Date;
}

type Statement = Record<string, unknown>;

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** `pattern`'s Action entries once narrowed to the used actions of `namespace`; undefined when it is kept whole. */
function narrowed(pattern: string, namespace: string, used: readonly string[]): string[] | undefined {
  const colon = pattern.indexOf(':');
  if (colon < 0) return undefined;
  const service = pattern.slice(0, colon);
  if (/[*?]/.test(service) || service.toLowerCase() !== namespace) return undefined;
  const glob = compileGlob(pattern.slice(colon + 1).toLowerCase(), { wildcards: true, variables: false, ignoreCase: true });
  return used.filter((a) => glob.test(a.toLowerCase(), null)).map((a) => `${namespace}:${a}`);
}

/** The document with `namespace` narrowed to `used`, and whether it still allows anything. */
function narrowDocument(document: string, namespace: string, used: readonly string[]): { text: string; changed: boolean; allows: boolean } | undefined {
  let parsed: { Statement?: Statement | Statement[] } & Record<string, unknown>;
  try {
    parsed = JSON.parse(document) as typeof parsed;
  } catch {
    return undefined;
  }
  let changed = false;
  const statements: Statement[] = [];
  for (const statement of asList(parsed.Statement)) {
    if (statement.Effect !== 'Allow' || statement.Action === undefined) {
      statements.push(statement);
      continue;
    }
    const actions: string[] = [];
    for (const pattern of asList(statement.Action as string | string[])) {
      const narrow = narrowed(pattern, namespace, used);
      if (narrow === undefined) actions.push(pattern);
      else {
        changed ||= narrow.length !== 1 || narrow[0] !== pattern;
        actions.push(...narrow);
      }
    }
    const unique = [...new Set(actions)];
    if (unique.length > 0) statements.push({ ...statement, Action: unique.length === 1 ? unique[0] : unique });
  }
  const allows = statements.some((s) => s.Effect === 'Allow');
  return { text: JSON.stringify({ ...parsed, Statement: statements }), changed, allows };
}

/**
 * The steps for one finding: `policies` are the principal's permissions policies allowing something in
 * `namespace`, `used` the actions of it (as the Service Authorization Reference names them) the
 * principal used within the analyzer's tracking period.
 */
export function recommendedSteps(policies: readonly PrincipalPolicy[], namespace: string, used: readonly string[]): RecommendedStep[] {
  const steps: RecommendedStep[] = [];
  for (const policy of policies) {
    const result = narrowDocument(policy.document, namespace, used);
    if (!result?.changed) continue;
    const dated = policy.updatedAt ? { policyUpdatedAt: policy.updatedAt } : {};
    if (result.allows) steps.push({ recommendedAction: 'CREATE_POLICY', existingPolicyId: policy.id, recommendedPolicy: result.text, ...dated });
    steps.push({ recommendedAction: 'DETACH_POLICY', existingPolicyId: policy.id, ...dated });
  }
  return steps;
}
