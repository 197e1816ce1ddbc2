// Input validation from the model's constraints (required, length, range, pattern, enum), with the
// message AWS's service framework writes (query-protocol.md § 4.4):
//   1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64
// Services differ in the error code and in whether the offending value is quoted; EC2 has its own
// wording altogether (MissingParameter / InvalidParameterValue, one problem at a time).

import { ApiError } from '../common/errors.ts';
import type { Member, Shape } from './model.ts';
import type { ValidationStyle } from './wire.ts';


/** One failed constraint. `value` undefined means the member is missing. */
export interface Violation {
  path: string;
  /** The parameter as sent on the wire (EC2 messages name it so). */
  wirePath: string;
  value: unknown;
  constraint: string;
  /** The shape whose constraint failed (absent for a missing member). */
  shape?: string;
}

const NOT_NULL = 'Member must not be null';

function render(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function describe(style: ValidationStyle, v: Violation): string {
  if (v.value === undefined) return `Value null at '${v.path}' failed to satisfy constraint: ${v.constraint}`;
  const at = style.quoteValue ? `Value '${render(v.value)}' at` : 'Value at';
  return `${at} '${v.path}' failed to satisfy constraint: ${v.constraint}`;
}

/** The ApiError for a non-empty list of violations, in the style of the service. */
export function validationError(style: ValidationStyle, violations: readonly Violation[]): ApiError {
  if (style.ec2) {
    const v = violations[0];
    if (v.value === undefined) {
      return new ApiError('MissingParameter', `The request must contain the parameter ${v.wirePath}`, 400);
    }
    return new ApiError(
      'InvalidParameterValue',
      `Value (${render(v.value)}) for parameter ${v.wirePath} is invalid. ${v.constraint}`,
      400,
    );
  }
  const n = violations.length;
  const head = `${n} validation error${n === 1 ? '' : 's'} detected: `;
  const code = style.codeByShape?.[violations[0].shape ?? ''] ?? style.code;
  return new ApiError(code, head + violations.map((v) => describe(style, v)).join('; '), 400);
}

/** The constraints of a shape as AWS lists them for the elements of a list. */
function constraintList(shape: Shape, style: ValidationStyle): string[] {
  const out: string[] = [];
  const numeric = isNumeric(shape);
  if (shape.max !== undefined) out.push(numeric ? `Member must have value less than or equal to ${shape.max}` : `Member must have length less than or equal to ${shape.max}`);
  if (shape.min !== undefined) out.push(numeric ? `Member must have value greater than or equal to ${shape.min}` : `Member must have length greater than or equal to ${shape.min}`);
  if (shape.patternSource !== undefined) out.push(`Member must satisfy regular expression pattern: ${shape.patternSource}`);
  if (shape.enumList) out.push(enumPhrase(shape, style));
  // Recorded for tag keys ([… pattern …, Member must not be null]) but not for OIDC client ids or
  // thumbprints (no pattern); the pattern is the one difference between them.
  if (shape.patternSource !== undefined) out.push(NOT_NULL);
  return out;
}

const isNumeric = (s: Shape): boolean =>
  s.type === 'integer' || s.type === 'long' || s.type === 'double' || s.type === 'float';

const enumPhrase = (shape: Shape, style: ValidationStyle): string =>
  style.listEnumValues ? `Member must satisfy enum value set: [${shape.enumList!.join(', ')}]` : 'Member must satisfy enum value set';

class Validator {
  readonly violations: Violation[] = [];

  constructor(
    private readonly style: ValidationStyle,
    /** Whether wire paths are EC2 parameter names (`Filter.1.Name`). */
    private readonly ec2: boolean,
  ) {}

  structure(shape: Shape, obj: Record<string, unknown>, path: string, wirePath: string): void {
    for (const m of shape.members) {
      const v = obj[m.name];
      if (v === undefined || v === null) {
        if (m.required) this.add(join(path, m.pathName), join(wirePath, this.wireName(m)), undefined, NOT_NULL);
        continue;
      }
      this.value(m.shape, v, join(path, m.pathName), join(wirePath, this.wireName(m)));
    }
  }

  private wireName(m: Member): string {
    return this.ec2 ? m.ec2Key : m.name;
  }

  private add(path: string, wirePath: string, value: unknown, constraint: string, shape?: Shape): void {
    this.violations.push({ path, wirePath, value, constraint, ...(shape ? { shape: shape.name } : {}) });
  }

  /** Checks one value; returns whether it passed (list elements use it to report on the list). */
  value(shape: Shape, v: unknown, path: string, wirePath: string): boolean {
    const before = this.violations.length;
    switch (shape.type) {
      case 'structure':
        if (typeof v === 'object' && v !== null) this.structure(shape, v as Record<string, unknown>, path, wirePath);
        break;
      case 'list':
        if (Array.isArray(v)) this.list(shape, v, path, wirePath);
        break;
      case 'map':
        if (typeof v === 'object' && v !== null) this.map(shape, v as Record<string, unknown>, path, wirePath);
        break;
      case 'string':
        if (typeof v === 'string') this.string(shape, v, path, wirePath);
        break;
      case 'blob':
        if (Buffer.isBuffer(v)) this.length(shape, v, v.length, path, wirePath);
        break;
      case 'integer':
      case 'long':
      case 'float':
      case 'double':
        if (typeof v === 'number') this.range(shape, v, path, wirePath);
        break;
      default:
        break;
    }
    return this.violations.length === before;
  }

  private string(shape: Shape, v: string, path: string, wirePath: string): void {
    if (shape.pattern && !shape.pattern.test(v)) {
      this.add(path, wirePath, v, `Member must satisfy regular expression pattern: ${shape.patternSource}`, shape);
    }
    if (shape.enumValues && !shape.enumValues.has(v)) this.add(path, wirePath, v, enumPhrase(shape, this.style), shape);
    this.length(shape, v, v.length, path, wirePath);
  }

  private length(shape: Shape, v: unknown, length: number, path: string, wirePath: string): void {
    if (shape.min !== undefined && length < shape.min) {
      this.add(path, wirePath, v, `Member must have length greater than or equal to ${shape.min}`, shape);
    }
    if (shape.max !== undefined && length > shape.max) {
      this.add(path, wirePath, v, `Member must have length less than or equal to ${shape.max}`, shape);
    }
  }

  private range(shape: Shape, v: number, path: string, wirePath: string): void {
    if (shape.min !== undefined && v < shape.min) {
      this.add(path, wirePath, v, `Member must have value greater than or equal to ${shape.min}`, shape);
    }
    if (shape.max !== undefined && v > shape.max) {
      this.add(path, wirePath, v, `Member must have value less than or equal to ${shape.max}`, shape);
    }
  }

  private list(shape: Shape, items: unknown[], path: string, wirePath: string): void {
    this.length(shape, items, items.length, path, wirePath);
    const element = shape.member!.shape;
    const scalar = element.type !== 'structure' && element.type !== 'list' && element.type !== 'map';
    if (scalar) {
      // Scalar elements are reported once, on the list, with every constraint of the element.
      const inner = new Validator(this.style, this.ec2);
      for (let i = 0; i < items.length; i++) {
        const ok = items[i] !== null && items[i] !== undefined && inner.value(element, items[i], path, wirePath);
        if (!ok) {
          if (this.style.ec2) {
            const first = inner.violations[0];
            this.add(path, `${wirePath}.${i + 1}`, items[i], first?.constraint ?? NOT_NULL);
          } else {
            this.add(path, wirePath, items, `Member must satisfy constraint: [${constraintList(element, this.style).join(', ')}]`);
          }
          return;
        }
      }
      return;
    }
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item === null || item === undefined) continue;
      this.value(element, item, `${path}.${i + 1}.member`, `${wirePath}.${i + 1}`);
    }
  }

  private map(shape: Shape, obj: Record<string, unknown>, path: string, wirePath: string): void {
    const keys = Object.keys(obj);
    this.length(shape, obj, keys.length, path, wirePath);
    const valueShape = shape.value!.shape;
    for (const k of keys) {
      const v = obj[k];
      if (v !== null && v !== undefined) this.value(valueShape, v, `${path}.${k}`, `${wirePath}.${k}`);
    }
  }
}

const join = (parent: string, name: string): string => (parent ? `${parent}.${name}` : name);

/** Checks a decoded input against its shape; undefined when it passes. */
export function validateInput(
  shape: Shape,
  input: Record<string, unknown>,
  style: ValidationStyle,
  extra: readonly Violation[] = [],
): ApiError | undefined {
  const v = new Validator(style, style.ec2);
  v.violations.push(...extra);
  v.structure(shape, input, '', '');
  return v.violations.length ? validationError(style, v.violations) : undefined;
}
