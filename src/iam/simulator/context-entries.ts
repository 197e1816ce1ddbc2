// SimulatePrincipalPolicy's and SimulateCustomPolicy's ContextEntries, turned into the request context
// the engine reads. The simulator puts nothing else there: as on AWS, a key no entry supplies is
// absent (and reported in MissingContextValues), even `aws:username`.
//
// Each value is checked against its declared ContextKeyType, so a typo in a number or a date is
// refused instead of silently never matching; a single-valued type takes exactly one value.

import { isAcceptedDate, parseCidr, type ContextValues } from '../../policy/index.ts';
import { invalidInput } from './errors.ts';

export type ContextKeyType =
  | 'string' | 'stringList' | 'numeric' | 'numericList' | 'boolean' | 'booleanList'
  | 'ip' | 'ipList' | 'binary' | 'binaryList' | 'date' | 'dateList';

export interface ContextEntry {
  ContextKeyName?: string;
  ContextKeyValues?: string[];
  ContextKeyType?: ContextKeyType;
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const BOOLEAN = /^(?:true|false)$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const VALID: Record<string, (value: string) => boolean> = {
  string: () => true,
  numeric: (v) => NUMBER.test(v),
  boolean: (v) => BOOLEAN.test(v),
  ip: (v) => parseCidr(v) !== undefined,
  binary: (v) => BASE64.test(v),
  date: isAcceptedDate,
};

export function contextFromEntries(entries: readonly ContextEntry[] | undefined): ContextValues {
  const context: ContextValues = {};
  for (const entry of entries ?? []) {
    const name = entry.ContextKeyName;
    if (name === undefined) throw invalidInput('ContextKeyName is required in each ContextEntry.');
    const values = entry.ContextKeyValues ?? [];
    const type = entry.ContextKeyType ?? (values.length === 1 ? 'string' : 'stringList');
    const list = type.endsWith('List');
    const base = list ? type.slice(0, -'List'.length) : type;
    const valid = VALID[base];
    if (valid === undefined) throw invalidInput(`Unknown ContextKeyType ${type} for context key ${name}.`);
    for (const value of values) {
      if (!valid(value)) throw invalidInput(`The value ${value} of context key ${name} is not a valid ${base}.`);
    }
    if (!list && values.length !== 1) {
      throw invalidInput(`Context key ${name} of type ${type} takes exactly one value; use ${type}List for several.`);
    }
    // Key names are case-insensitive: the later entry for a key wins, whatever its spelling.
    context[name.toLowerCase()] = list ? [...values] : values[0]!;
  }
  return context;
}
