// Condition clauses, compiled once. A clause is one (operator, key) pair with its values; a statement's
// clauses are AND-ed, a clause's values OR-ed — and for the negated operators (StringNotEquals, …)
// the clause holds when the request value matches none of them.
//
// What the request carries decides the outcome as the IAM User Guide describes it:
// - key absent: positive operators do not match, negated operators do; `…IfExists` matches;
//   `ForAllValues:` matches, `ForAnyValue:` does not; `Null` tests exactly this.
// - key present and empty (`[]`, or `""` under a set operator): `ForAllValues:` matches,
//   `ForAnyValue:` does not (AWS: "resolves to an empty data set").
// - several request values without a set operator: a positive operator matches when any value
//   does, a negated one when no value matches the positive form.
// - a request value the operator cannot read (not a number, date, IP, boolean, base64) matches
//   nothing, for positive and negated operators alike.

import type { RequestContext } from './context.ts';
import { compileGlob } from './glob.ts';
import { cidrContains, parseCidr, parseIp, type CidrBlock } from './ip.ts';
import { canonicalBase64, parseBool, parseDate, parseNumber } from './operands.ts';
import type { ConditionBaseOperator, ConditionClause, ContextValue } from './types.ts';

/** Whether an operator matched one request value, or could not read it. */
const MATCH = 1;
const NO_MATCH = 0;
const UNREADABLE = -1;
type Outcome = typeof MATCH | typeof NO_MATCH | typeof UNREADABLE;

/** Does one request value match at least one of the clause's values (positive form)? */
type ValueTest = (actual: string, context: RequestContext) => Outcome;

export interface CompiledCondition {
  readonly clause: ConditionClause;
  readonly keyLower: string;
  /** The clause holds for the request. */
  test(context: RequestContext): boolean;
  /** The request's value of the clause's key (`null` when absent), for explanations. */
  actual(context: RequestContext): ContextValue | null;
}

const NEGATED: ReadonlySet<ConditionBaseOperator> = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
  'ArnNotEquals',
  'ArnNotLike',
]);

/** Operators whose values may hold policy variables (string, ARN and Bool comparisons). */
const TAKES_VARIABLES: ReadonlySet<ConditionBaseOperator> = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Bool',
]);

export function isNegated(base: ConditionBaseOperator): boolean {
  return NEGATED.has(base);
}

export function compileCondition(clause: ConditionClause, variables: boolean): CompiledCondition {
  const keyLower = clause.key.toLowerCase();
  if (clause.base === 'Null') return new NullCondition(clause, keyLower);
  const withVariables = variables && TAKES_VARIABLES.has(clause.base);
  return new ValueCondition(clause, keyLower, valueTest(clause.base, clause.values, withVariables));
}

abstract class BaseCondition implements CompiledCondition {
  constructor(readonly clause: ConditionClause, readonly keyLower: string) {}
  abstract test(context: RequestContext): boolean;
  actual(context: RequestContext): ContextValue | null {
    const value = context.get(this.clause.key, this.keyLower);
    return value === undefined ? null : value;
  }
}

class NullCondition extends BaseCondition {
  private readonly wantsAbsent: boolean;
  private readonly wantsPresent: boolean;
  constructor(clause: ConditionClause, keyLower: string) {
    super(clause, keyLower);
    this.wantsAbsent = clause.values.some((v) => parseBool(v) === true);
    this.wantsPresent = clause.values.some((v) => parseBool(v) === false);
  }
  test(context: RequestContext): boolean {
    const value = context.get(this.clause.key, this.keyLower);
    // An empty list is "no value": AWS suggests `Null: false` to guard ForAllValues against it.
    const absent = value === undefined || (typeof value !== 'string' && value.length === 0);
    return absent ? this.wantsAbsent : this.wantsPresent;
  }
}

class ValueCondition extends BaseCondition {
  private readonly negated: boolean;
  constructor(clause: ConditionClause, keyLower: string, private readonly matches: ValueTest) {
    super(clause, keyLower);
    this.negated = NEGATED.has(clause.base);
  }

  test(context: RequestContext): boolean {
    const { qualifier, ifExists } = this.clause;
    const value = context.get(this.clause.key, this.keyLower);
    if (value === undefined) {
      if (ifExists || qualifier === 'ForAllValues') return true;
      if (qualifier === 'ForAnyValue') return false;
      return this.negated;
    }
    if (typeof value === 'string') {
      if (qualifier !== undefined && value === '') return qualifier === 'ForAllValues';
      return this.holdsFor(value, context);
    }
    if (qualifier === 'ForAllValues') {
      for (const v of value) if (!this.holdsFor(v, context)) return false;
      return true;
    }
    if (qualifier === 'ForAnyValue') {
      for (const v of value) if (this.holdsFor(v, context)) return true;
      return false;
    }
    // Several values, no set operator: the positive form matches when any value does.
    let any = false;
    for (const v of value) {
      if (this.matches(v, context) === MATCH) {
        any = true;
        break;
      }
    }
    return this.negated ? !any && value.every((v) => this.matches(v, context) !== UNREADABLE) : any;
  }

  /** The operator (with its negation) applied to one request value. */
  private holdsFor(actual: string, context: RequestContext): boolean {
    const outcome = this.matches(actual, context);
    if (outcome === UNREADABLE) return false;
    return this.negated ? outcome === NO_MATCH : outcome === MATCH;
  }
}

function valueTest(base: ConditionBaseOperator, values: readonly string[], variables: boolean): ValueTest {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return stringTest(values, { wildcards: false, variables });
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return stringTest(values, { wildcards: false, variables, ignoreCase: true });
    case 'StringLike':
    case 'StringNotLike':
      return stringTest(values, { wildcards: true, variables });
    case 'ArnEquals':
    case 'ArnNotEquals':
    case 'ArnLike':
    case 'ArnNotLike':
      // Both Arn operators take wildcards inside each of the six components.
      return stringTest(values, { wildcards: true, variables, arn: 'components' });
    case 'Bool': {
      const test = stringTest(values, { wildcards: false, variables, ignoreCase: true });
      return (actual, context) => (parseBool(actual) === undefined ? UNREADABLE : test(actual.trim(), context));
    }
    case 'NumericEquals':
    case 'NumericNotEquals':
      return ordered(values, parseNumber, (a, b) => a === b);
    case 'NumericLessThan':
      return ordered(values, parseNumber, (a, b) => a < b);
    case 'NumericLessThanEquals':
      return ordered(values, parseNumber, (a, b) => a <= b);
    case 'NumericGreaterThan':
      return ordered(values, parseNumber, (a, b) => a > b);
    case 'NumericGreaterThanEquals':
      return ordered(values, parseNumber, (a, b) => a >= b);
    case 'DateEquals':
    case 'DateNotEquals':
      return ordered(values, parseDate, (a, b) => a === b);
    case 'DateLessThan':
      return ordered(values, parseDate, (a, b) => a < b);
    case 'DateLessThanEquals':
      return ordered(values, parseDate, (a, b) => a <= b);
    case 'DateGreaterThan':
      return ordered(values, parseDate, (a, b) => a > b);
    case 'DateGreaterThanEquals':
      return ordered(values, parseDate, (a, b) => a >= b);
    case 'BinaryEquals': {
      const wanted = new Set(values.map(canonicalBase64).filter((v): v is string => v !== undefined));
      return (actual) => {
        const bytes = canonicalBase64(actual);
        return bytes === undefined ? UNREADABLE : wanted.has(bytes) ? MATCH : NO_MATCH;
      };
    }
    case 'IpAddress':
    case 'NotIpAddress': {
      const blocks = values.map(parseCidr).filter((b): b is CidrBlock => b !== undefined);
      return (actual) => {
        const address = parseIp(actual);
        if (!address) return UNREADABLE;
        for (const block of blocks) if (cidrContains(block, address)) return MATCH;
        return NO_MATCH;
      };
    }
    case 'Null':
      // Handled by NullCondition; kept so the switch covers every operator.
      return () => UNREADABLE;
  }
}

interface StringOptions {
  wildcards: boolean;
  variables: boolean;
  ignoreCase?: boolean;
  arn?: 'components';
}

function stringTest(values: readonly string[], options: StringOptions): ValueTest {
  const globs = values.map((v) => compileGlob(v, options));
  const ignoreCase = options.ignoreCase === true;
  // Many exact values (long allow-lists) are one hash lookup.
  if (!options.wildcards && !options.arn && globs.length > 4 && globs.every((g) => !g.dynamic)) {
    const exact = new Set(values.map((v) => (ignoreCase ? v.toLowerCase() : v)));
    return (actual) => (exact.has(ignoreCase ? actual.toLowerCase() : actual) ? MATCH : NO_MATCH);
  }
  return (actual, context) => {
    const input = ignoreCase ? actual.toLowerCase() : actual;
    for (const glob of globs) if (glob.test(input, context)) return MATCH;
    return NO_MATCH;
  };
}

function ordered(
  values: readonly string[],
  parse: (text: string) => number | undefined,
  compare: (actual: number, wanted: number) => boolean,
): ValueTest {
  const wanted = values.map(parse).filter((n): n is number => n !== undefined);
  return (actual) => {
    const n = parse(actual);
    if (n === undefined) return UNREADABLE;
    for (const w of wanted) if (compare(n, w)) return MATCH;
    return NO_MATCH;
  };
}
