// The grammar of a policy document: which elements exist, where, and of which JSON type. A document
// that breaks it is what AWS answers with "Syntax errors in policy."; one that keeps it comes out
// normalised (lists always arrays, condition blocks split per operator and key, values as text).
// Rules about the *content* of the elements (ARN shapes, action names, …) live in their own modules.

import { type JsonObject, type JsonValue, JsonNumber, isJsonObject } from './json-reader.ts';
import { splitOperator } from './condition-operator.ts';
import type { ConditionClause, Effect, PolicyVersion, PrincipalSpec, Statement } from './types.ts';

export interface ShapedStatement {
  statement: Statement;
  /** Effect as written: AWS accepts it case-insensitively here and insists on the case later. */
  effectText: string;
}

export interface ShapedPolicy {
  version?: PolicyVersion;
  id?: string;
  statements: ShapedStatement[];
}

const TOP_LEVEL_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition',
]);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const VERSIONS: ReadonlySet<string> = new Set<PolicyVersion>(['2012-10-17', '2008-10-17']);

/** Thrown inside this module only; `shapePolicy` turns it into `undefined`. */
class NotInGrammar {
  constructor(readonly where: string) {}
}

function reject(where: string): never {
  throw new NotInGrammar(where);
}

/** The normalised policy, or undefined when the document breaks the grammar. Never throws otherwise. */
export function shapePolicy(doc: JsonValue): ShapedPolicy | undefined {
  try {
    return shapeDocument(doc);
  } catch (e) {
    if (e instanceof NotInGrammar) return undefined;
    throw e;
  }
}

function shapeDocument(doc: JsonValue): ShapedPolicy {
  if (!isJsonObject(doc)) return reject('document');
  for (const key of doc.keys()) if (!TOP_LEVEL_KEYS.has(key)) reject(key);

  const policy: ShapedPolicy = { statements: [] };
  const version = doc.get('Version');
  if (version !== undefined) {
    if (typeof version !== 'string' || !VERSIONS.has(version)) reject('Version');
    policy.version = version as PolicyVersion;
  }
  const id = doc.get('Id');
  if (id !== undefined) policy.id = text(id, 'Id');

  const statement = doc.get('Statement');
  if (statement === undefined) reject('Statement');
  const list = Array.isArray(statement) ? statement : [statement];
  if (list.length === 0) reject('Statement');
  policy.statements = list.map((s, index) => shapeStatement(s, index));
  return policy;
}

function shapeStatement(value: JsonValue, index: number): ShapedStatement {
  if (!isJsonObject(value)) return reject('Statement');
  for (const key of value.keys()) if (!STATEMENT_KEYS.has(key)) reject(key);

  const effectText = text(value.get('Effect'), 'Effect');
  const effect = effectText.toLowerCase();
  if (effect !== 'allow' && effect !== 'deny') reject('Effect');

  const statement: Statement = {
    index,
    effect: (effect === 'allow' ? 'Allow' : 'Deny') satisfies Effect,
    conditions: [],
  };
  const sid = value.get('Sid');
  if (sid !== undefined) statement.sid = text(sid, 'Sid');

  const [action, notAction] = exclusive(value, 'Action', 'NotAction');
  if (action !== undefined) statement.action = textList(action, 'Action');
  if (notAction !== undefined) statement.notAction = textList(notAction, 'NotAction');

  const [resource, notResource] = exclusive(value, 'Resource', 'NotResource');
  if (resource !== undefined) statement.resource = textList(resource, 'Resource');
  if (notResource !== undefined) statement.notResource = textList(notResource, 'NotResource');

  const [principal, notPrincipal] = exclusive(value, 'Principal', 'NotPrincipal');
  if (principal !== undefined) statement.principal = principalSpec(principal);
  if (notPrincipal !== undefined) statement.notPrincipal = principalSpec(notPrincipal);

  const condition = value.get('Condition');
  if (condition !== undefined) statement.conditions = conditionClauses(condition);

  return { statement, effectText };
}

/** At most one of a pair (Action/NotAction, …) may be present. */
function exclusive(statement: JsonObject, a: string, b: string): [JsonValue | undefined, JsonValue | undefined] {
  const va = statement.get(a);
  const vb = statement.get(b);
  if (va !== undefined && vb !== undefined) reject(`${a}+${b}`);
  return [va, vb];
}

function text(value: JsonValue | undefined, where: string): string {
  if (typeof value !== 'string') return reject(where);
  return value;
}

/** A string or an array of strings (possibly empty — that is a content error, decided later). */
function textList(value: JsonValue, where: string): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return reject(where);
  return value.map((item) => text(item, where));
}

function principalSpec(value: JsonValue): PrincipalSpec {
  if (value === '*') return '*';
  if (!isJsonObject(value) || value.size === 0) return reject('Principal');
  const spec: Exclude<PrincipalSpec, '*'> = {};
  for (const [type, ids] of value) {
    if (!PRINCIPAL_TYPES.has(type)) reject('Principal');
    spec[type as keyof typeof spec] = textList(ids, 'Principal');
  }
  return spec;
}

function conditionClauses(value: JsonValue): ConditionClause[] {
  if (!isJsonObject(value)) return reject('Condition');
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of value) {
    if (!isJsonObject(block)) reject('Condition');
    // AWS accepts an unknown operator as long as its block is empty: it compares nothing.
    if (block.size === 0) continue;
    const parts = splitOperator(operator);
    if (!parts) reject('Condition');
    for (const [key, values] of block) {
      clauses.push({ operator, ...parts, key, values: conditionValues(values) });
    }
  }
  return clauses;
}

function conditionValues(value: JsonValue): string[] {
  if (Array.isArray(value)) return value.map(scalarText);
  return [scalarText(value)];
}

/** Condition values are compared as text: JSON numbers and booleans become the text they were written as. */
function scalarText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof JsonNumber) return value.text;
  return reject('Condition');
}
