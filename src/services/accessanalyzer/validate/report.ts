// What the ValidatePolicy checks share: the report they add findings to, pointing into the located
// document, and the strings of an element that may be one string or a list of them.

import type { JsonPathStep, JsonValue } from '../../../policy/json-reader.ts';
import { finding, type FindingType, type ValidatePolicyFinding } from './findings.ts';
import type { LocatedPolicy } from './located.ts';

export type Path = JsonPathStep[];

/** One string of an element that may be a string or a list of strings, with its path. */
export interface Item {
  text: string;
  path: Path;
}

export class Report {
  readonly findings: ValidatePolicyFinding[] = [];
  constructor(readonly doc: LocatedPolicy) {}
  at(type: FindingType, code: string, details: string, path: Path): void {
    this.findings.push(finding(type, code, details, this.doc.at(path)));
  }
  atKey(type: FindingType, code: string, details: string, path: Path): void {
    this.findings.push(finding(type, code, details, this.doc.atKey(path)));
  }
}

/** The strings of an element (a string or a list of them); anything else is reported. */
export function itemsOf(report: Report, value: JsonValue, path: Path): Item[] {
  if (typeof value === 'string') return [{ text: value, path }];
  if (Array.isArray(value)) {
    const element = path[path.length - 1];
    if (value.length === 0 && (element === 'Action' || element === 'Resource')) {
      const what = element === 'Action' ? 'actions' : 'resources';
      report.at('SUGGESTION', `EMPTY_ARRAY_${element.toUpperCase()}`, `This statement includes no ${what} and does not affect the policy. Specify ${what}.`, path);
    }
    const out: Item[] = [];
    value.forEach((v, i) => {
      if (typeof v === 'string') out.push({ text: v, path: [...path, i] });
      else report.at('ERROR', 'DATA_TYPE_MISMATCH', 'The text does not match the expected JSON data type String.', [...path, i]);
    });
    return out;
  }
  report.at('ERROR', 'DATA_TYPE_MISMATCH', 'The text does not match the expected JSON data type Array.', path);
  return [];
}
