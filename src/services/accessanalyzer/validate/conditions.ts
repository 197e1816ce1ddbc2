// The Condition element's checks: operators AWS knows (not `NullIfExists`), condition keys the catalog
// knows (global `aws:` keys, or the service's own), and operators that can compare the key's type.

import type { JsonValue } from '../../../policy/json-reader.ts';
import { isJsonObject } from '../../../policy/json-reader.ts';
import { splitOperator, valueFamily, type ValueFamily } from '../../../policy/condition-operator.ts';
import { conditionKeyMatches, globalKeyType, serviceInfo } from './catalog.ts';
import type { Path, Report } from './report.ts';

/** Checks a Condition block; returns the (lower-cased) keys it tests. */
export async function checkCondition(report: Report, condition: JsonValue, path: Path): Promise<string[]> {
  const keys: string[] = [];
  if (!isJsonObject(condition)) {
    report.at('ERROR', 'DATA_TYPE_MISMATCH', 'The text does not match the expected JSON data type Object.', path);
    return keys;
  }
  if (condition.size === 0) report.at('SUGGESTION', 'EMPTY_OBJECT_CONDITION', 'This condition block is empty and does not affect the policy. Specify conditions.', path);
  for (const [operator, block] of condition) {
    const opPath = [...path, operator];
    const parts = splitOperator(operator);
    if (!parts) {
      if (/^(ForAllValues:|ForAnyValue:)?NullIfExists$/.test(operator)) {
        report.atKey('ERROR', 'NULL_WITH_IF_EXISTS', 'The Null condition operator cannot be used with the IfExists suffix. Update the operator or the suffix.', opPath);
      } else {
        report.atKey('ERROR', 'INVALID_CONDITION_OPERATOR', `The condition operator ${operator} is not valid. Use a valid condition operator.`, opPath);
      }
    }
    if (!isJsonObject(block)) {
      report.at('ERROR', 'DATA_TYPE_MISMATCH', 'The text does not match the expected JSON data type Object.', opPath);
      continue;
    }
    for (const key of block.keys()) {
      keys.push(key.toLowerCase());
      const type = await checkConditionKey(report, key, [...opPath, key]);
      if (parts && type) checkOperatorType(report, operator, valueFamily(parts.base), key, type, [...opPath, key]);
    }
  }
  return keys;
}

/** Checks a condition key; returns its value type when the catalog knows it. */
async function checkConditionKey(report: Report, key: string, path: Path): Promise<string | undefined> {
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1) {
    report.atKey('ERROR', 'INVALID_CONDITION_KEY_FORMAT', `The condition key format is not valid. Use the format service:keyname.`, path);
    return undefined;
  }
  const prefix = key.slice(0, colon).toLowerCase();
  if (prefix === 'aws') {
    const type = globalKeyType(key);
    if (type === undefined) report.atKey('ERROR', 'INVALID_GLOBAL_CONDITION_KEY', `The condition key ${key} does not exist. Use a valid condition key.`, path);
    return type;
  }
  const service = await serviceInfo(prefix);
  // Keys of identity providers (`accounts.google.com:aud`, `saml:sub`) and unknown prefixes are not judged.
  if (!service || service.conditionKeys.length === 0) return undefined;
  const known = service.conditionKeys.find((t) => conditionKeyMatches(t.key, key));
  if (!known) {
    report.atKey('ERROR', 'INVALID_SERVICE_CONDITION_KEY', `The condition key ${key} does not exist in the service ${prefix}. Use a valid condition key.`, path);
  }
  return known?.type;
}

/** The operator families that can compare values of each key type (ARNs compare as strings too). */
const FAMILIES_FOR_TYPE: Record<string, { families: readonly ValueFamily[]; operator: string }> = {
  string: { families: ['string'], operator: 'String' },
  arn: { families: ['arn', 'string'], operator: 'ARN' },
  numeric: { families: ['numeric'], operator: 'Numeric' },
  date: { families: ['date'], operator: 'Date' },
  bool: { families: ['bool'], operator: 'Bool' },
  ipaddress: { families: ['ip'], operator: 'IpAddress' },
  binary: { families: ['binary'], operator: 'Binary' },
};

function checkOperatorType(report: Report, operator: string, family: ValueFamily, key: string, type: string, path: Path): void {
  if (family === 'null') return;
  const expected = FAMILIES_FOR_TYPE[type.replace(/^ArrayOf/, '').toLowerCase()];
  if (!expected || expected.families.includes(family)) return;
  report.atKey('WARNING', 'TYPE_MISMATCH', `Use the operator type ${expected.operator} instead of operator ${operator} for the condition key ${key}.`, path);
}
