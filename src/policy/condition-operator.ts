// Splits a condition operator as written (`ForAllValues:StringLikeIfExists`) into its parts.
// Operator names are case-sensitive on AWS, like every other policy element name.

import type { ConditionBaseOperator, SetQualifier } from './types.ts';

const BASE_OPERATORS: ReadonlySet<string> = new Set<ConditionBaseOperator>([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase',
  'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals',
  'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals',
  'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress',
  'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike',
  'Null',
]);

export interface OperatorParts {
  base: ConditionBaseOperator;
  qualifier?: SetQualifier;
  ifExists: boolean;
}

const IF_EXISTS = 'IfExists';

/** The parts of a known operator, or undefined for a name AWS does not know. */
export function splitOperator(operator: string): OperatorParts | undefined {
  let rest = operator;
  let qualifier: SetQualifier | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon);
    if (prefix !== 'ForAllValues' && prefix !== 'ForAnyValue') return undefined;
    qualifier = prefix;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  // `Null` is about existence itself, so AWS has no `NullIfExists`.
  if (rest.endsWith(IF_EXISTS) && rest !== IF_EXISTS) {
    const base = rest.slice(0, -IF_EXISTS.length);
    if (base !== 'Null' && BASE_OPERATORS.has(base)) {
      rest = base;
      ifExists = true;
    }
  }
  if (!BASE_OPERATORS.has(rest)) return undefined;
  const parts: OperatorParts = { base: rest as ConditionBaseOperator, ifExists };
  if (qualifier) parts.qualifier = qualifier;
  return parts;
}

export type ValueFamily = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';

/** Which kind of value an operator compares, which decides what a well-formed value looks like. */
export function valueFamily(base: ConditionBaseOperator): ValueFamily {
  if (base.startsWith('String')) return 'string';
  if (base.startsWith('Numeric')) return 'numeric';
  if (base.startsWith('Date')) return 'date';
  if (base.startsWith('Arn')) return 'arn';
  switch (base) {
    case 'Bool':
      return 'bool';
    case 'BinaryEquals':
      return 'binary';
    case 'IpAddress':
    case 'NotIpAddress':
      return 'ip';
    default:
      return 'null';
  }
}
