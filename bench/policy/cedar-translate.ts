// Translates a workload's IAM identity policies into Cedar, and its requests into Cedar requests, so
// that Cedar decides the same questions as IAM. How:
//
// - Each IAM statement becomes one Cedar policy: Allow → `permit`, Deny → `forbid`. With identity
//   policies only, IAM's rule (an explicit Deny wins, else any Allow, else implicit deny) is exactly
//   Cedar's (forbid overrides permit, default deny). A Cedar deny with a satisfied forbid among its
//   reasons is IAM's ExplicitDeny; a deny with none is ImplicitDeny.
// - Actions: IAM matches them case-insensitively, so both sides are lower-cased. A statement whose
//   actions are all exact becomes a scope constraint `action in [Action::"s3:getobject", …]` (Cedar's
//   idiomatic form); wildcards become `context.action like "s3:get*"`; NotAction is the negation.
// - Resources: `context.resource like "<pattern>"` (IAM's `*` matches any run of characters, as `like`
//   does, colons and slashes included); NotResource is the negation; `"*"` is no constraint.
// - Conditions: condition keys are case-insensitive in IAM, so context attributes are the lower-cased
//   key names (`context["aws:sourceip"]`). Values are typed by `Workload.keyTypes`: strings, sets of
//   strings, Longs (numeric operators), Booleans (Bool) and `ip` extension values (IpAddress).
//   A key missing from the request is a missing attribute, tested with `has` first:
//     StringEquals k [a,b]          → context has k && [a,b].contains(context[k])
//     StringNotEquals k [a,b]       → !(context has k && [a,b].contains(context[k]))
//     StringLike k [p,q]            → context has k && (context[k] like p || context[k] like q)
//     Numeric*/Bool                 → context has k && (context[k] <op> v || …)
//     IpAddress k [c]               → context has k && context[k].isInRange(ip(c))   (NotIpAddress: negated)
//     ForAllValues:StringEquals     → !(context has k) || [vals].containsAll(context[k])
//     ForAnyValue:StringEquals      → context has k && context[k].containsAny([vals])
//     Null k true|false             → !(context has k) | context has k   (sets: an empty set is null too)
//     …IfExists                     → !(context has k) || <the clause>
//   Operators outside this list are refused: the translation must be exact or not be made at all.

import type { ContextKeyType, IamStatement, IamValue, Workload, WorkloadPolicy } from './workload.ts';
import { asArray } from './workload.ts';

export type CedarValue = string | number | boolean | string[] | { __extn: { fn: string; arg: string } };

export interface CedarRequest {
  principal: { type: string; id: string };
  action: { type: string; id: string };
  resource: { type: string; id: string };
  context: Record<string, CedarValue>;
}

const str = (s: string) => JSON.stringify(s);

/** A Cedar `like` pattern for an IAM pattern that uses only `*` (a literal `*` cannot occur). */
function likePattern(iamPattern: string): string {
  if (iamPattern.includes('?')) throw new Error(`Cedar has no single-character wildcard: ${iamPattern}`);
  return str(iamPattern);
}

const hasWildcard = (pattern: string) => pattern.includes('*') || pattern.includes('?');

function actionClause(statement: IamStatement): { scope: string; condition?: string } {
  const negated = statement.NotAction !== undefined;
  const actions = asArray(negated ? statement.NotAction : statement.Action).map((a) => a.toLowerCase());
  if (!negated && actions.includes('*')) return { scope: 'action' };
  if (!negated && !actions.some(hasWildcard)) {
    return { scope: `action in [${actions.map((a) => `Action::${str(a)}`).join(', ')}]` };
  }
  const any = actions.map((a) => (a === '*' ? 'true' : `context.action like ${likePattern(a)}`)).join(' || ');
  return { scope: 'action', condition: negated ? `!(${any})` : `(${any})` };
}

function resourceClause(statement: IamStatement): string | undefined {
  const negated = statement.NotResource !== undefined;
  const resources = asArray(negated ? statement.NotResource : statement.Resource);
  if (!negated && resources.includes('*')) return undefined;
  const any = resources.map((r) => (r === '*' ? 'true' : `context.resource like ${likePattern(r)}`)).join(' || ');
  return negated ? `!(${any})` : `(${any})`;
}

function literal(value: string, type: ContextKeyType): string {
  switch (type) {
    case 'string':
    case 'set':
      return str(value);
    case 'long':
      if (!/^-?\d+$/.test(value)) throw new Error(`not a Cedar Long: ${value}`);
      return value;
    case 'bool':
      if (value !== 'true' && value !== 'false') throw new Error(`not a Boolean: ${value}`);
      return value;
    case 'ip':
      return `ip(${str(value)})`;
  }
}

const NUMERIC: Record<string, string> = {
  NumericEquals: '==',
  NumericLessThan: '<',
  NumericLessThanEquals: '<=',
  NumericGreaterThan: '>',
  NumericGreaterThanEquals: '>=',
};

function conditionClause(operator: string, rawKey: string, rawValues: IamValue, keyTypes: Workload['keyTypes']): string {
  const key = rawKey.toLowerCase();
  const type = keyTypes[key];
  if (type === undefined) throw new Error(`no type known for condition key ${rawKey}`);
  const values = asArray(rawValues);
  const attr = `context[${str(key)}]`;
  const has = `context has ${str(key)}`;
  const list = () => `[${values.map((v) => literal(v, type)).join(', ')}]`;

  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  let clause: string;
  if (base === 'Null') {
    if (values.length !== 1) throw new Error('Null with several values is not translated');
    // An empty set counts as no value (as iamd reads AWS's "null data set"; see src/policy/conditions.ts).
    const absent = type === 'set' ? `(!(${has}) || ${attr}.isEmpty())` : `!(${has})`;
    clause = values[0] === 'true' ? absent : `!${absent}`;
  } else if (base === 'ForAllValues:StringEquals' && type === 'set') {
    clause = `(!(${has}) || ${list()}.containsAll(${attr}))`;
  } else if (base === 'ForAnyValue:StringEquals' && type === 'set') {
    clause = `(${has} && ${attr}.containsAny(${list()}))`;
  } else if (type === 'set') {
    throw new Error(`${operator} on the multi-valued key ${rawKey} is not translated`);
  } else if (base === 'StringEquals' && type === 'string') {
    clause = `(${has} && ${list()}.contains(${attr}))`;
  } else if (base === 'StringNotEquals' && type === 'string') {
    clause = `!(${has} && ${list()}.contains(${attr}))`;
  } else if (base === 'StringLike' && type === 'string') {
    clause = `(${has} && (${values.map((v) => `${attr} like ${likePattern(v)}`).join(' || ')}))`;
  } else if (base === 'StringNotLike' && type === 'string') {
    clause = `!(${has} && (${values.map((v) => `${attr} like ${likePattern(v)}`).join(' || ')}))`;
  } else if (base in NUMERIC && type === 'long') {
    clause = `(${has} && (${values.map((v) => `${attr} ${NUMERIC[base]} ${literal(v, type)}`).join(' || ')}))`;
  } else if (base === 'NumericNotEquals' && type === 'long') {
    clause = `!(${has} && ${list()}.contains(${attr}))`;
  } else if (base === 'Bool' && type === 'bool') {
    clause = `(${has} && ${list()}.contains(${attr}))`;
  } else if ((base === 'IpAddress' || base === 'NotIpAddress') && type === 'ip') {
    const inAny = `(${has} && (${values.map((v) => `${attr}.isInRange(${literal(v, type)})`).join(' || ')}))`;
    clause = base === 'IpAddress' ? inAny : `!${inAny}`;
  } else {
    throw new Error(`${operator} on ${type} key ${rawKey} is not translated`);
  }
  return ifExists ? `(!(${has}) || ${clause})` : clause;
}

function statementToCedar(statement: IamStatement, keyTypes: Workload['keyTypes']): string {
  const effect = statement.Effect === 'Allow' ? 'permit' : 'forbid';
  const { scope, condition } = actionClause(statement);
  const when: string[] = [];
  if (condition) when.push(condition);
  const resource = resourceClause(statement);
  if (resource) when.push(resource);
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) when.push(conditionClause(operator, key, values, keyTypes));
  }
  const body = when.length > 0 ? ` when { ${when.join(' && ')} }` : '';
  return `${effect} (principal, ${scope}, resource)${body};`;
}

/** The Cedar policy set text of a principal's identity policies. */
export function policiesToCedar(policies: WorkloadPolicy[], keyTypes: Workload['keyTypes']): string {
  return policies
    .flatMap((p) => p.document.Statement.map((s) => statementToCedar(s, keyTypes)))
    .join('\n');
}

function contextValue(raw: IamValue, type: ContextKeyType | undefined, key: string): CedarValue {
  if (type === undefined) throw new Error(`no type known for context key ${key}`);
  if (type === 'set') {
    if (!Array.isArray(raw)) throw new Error(`${key} must be multi-valued`);
    return raw;
  }
  if (Array.isArray(raw)) throw new Error(`${key} must be single-valued`);
  switch (type) {
    case 'string':
      return raw;
    case 'long':
      return Number(raw);
    case 'bool':
      return raw === 'true';
    case 'ip':
      return { __extn: { fn: 'ip', arg: raw } };
  }
}

export function requestToCedar(workload: Workload, index: number): CedarRequest {
  const request = workload.requests[index];
  const action = request.action.toLowerCase();
  const context: Record<string, CedarValue> = { action, resource: request.resource };
  for (const [key, value] of Object.entries(request.context)) {
    const lower = key.toLowerCase();
    context[lower] = contextValue(value, workload.keyTypes[lower], key);
  }
  return {
    principal: { type: 'Principal', id: workload.principals[request.principal].arn },
    action: { type: 'Action', id: action },
    resource: { type: 'Resource', id: request.resource },
    context,
  };
}
