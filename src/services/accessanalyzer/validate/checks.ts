// ValidatePolicy: reads a policy with positions and reports what AWS's policy validation reports —
// grammar and structure, names the Service Authorization Reference does not know (services, actions,
// condition keys, resource ARNs of a service), `Null…IfExists`, `iam:PassRole` on `*`, and what is
// redundant — each finding pointing at the element at fault. The codes and finding types are AWS's
// (docs/analysis.md § "Access Analyzer" lists the ones iamd reports and where its wording is its own).

import { isJsonObject, JsonNumber, type JsonObject, type JsonPathStep, type JsonValue } from '../../../policy/json-reader.ts';
import { splitOperator } from '../../../policy/condition-operator.ts';
import { compileGlob } from '../../../policy/glob.ts';
import { conditionKeyMatches, globalKeyType, serviceInfo, type ServiceInfo } from './catalog.ts';
import { valueFamily, type ValueFamily } from '../../../policy/condition-operator.ts';
import { finding, type FindingType, type ValidatePolicyFinding } from './findings.ts';
import { LocatedPolicy } from './located.ts';

export type PolicyType = 'IDENTITY_POLICY' | 'RESOURCE_POLICY' | 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

export interface ValidateOptions {
  policyType: PolicyType;
  /** `AWS::IAM::AssumeRolePolicyDocument`, `AWS::S3::Bucket`, … (resource policies only). */
  resourceType?: string;
}

const POLICY_ELEMENTS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);

type Path = JsonPathStep[];

/** One string of an element that may be a string or a list of strings, with its path. */
interface Item {
  text: string;
  path: Path;
}

class Report {
  readonly findings: ValidatePolicyFinding[] = [];
  constructor(readonly doc: LocatedPolicy) {}
  at(type: FindingType, code: string, details: string, path: Path): void {
    this.findings.push(finding(type, code, details, this.doc.at(path)));
  }
  atKey(type: FindingType, code: string, details: string, path: Path): void {
    this.findings.push(finding(type, code, details, this.doc.atKey(path)));
  }
}

export async function validatePolicy(text: string, options: ValidateOptions): Promise<ValidatePolicyFinding[]> {
  const read = LocatedPolicy.read(text);
  if (!read.ok) {
    const { line, column, offset } = read.at;
    const location = { path: [], span: { start: read.at, end: read.at } };
    return [finding('ERROR', 'JSON_SYNTAX_ERROR', `Fix the JSON syntax error at index ${offset} line ${line} column ${column}.`, location)];
  }
  const report = new Report(read.doc);
  const root = read.doc.value;
  if (!isJsonObject(root)) {
    report.at('ERROR', 'DATA_TYPE_MISMATCH', 'The text does not match the expected JSON data type Object.', []);
    return report.findings;
  }
  for (const key of root.keys()) {
    if (!POLICY_ELEMENTS.has(key)) report.atKey('ERROR', 'INVALID_POLICY_ELEMENT', `The policy element ${key} is not valid.`, [key]);
  }
  checkVersion(report, root);
  const statements = root.get('Statement');
  if (statements === undefined) {
    report.at('ERROR', 'MISSING_STATEMENT', 'Add a Statement element to the policy.', []);
    return report.findings;
  }
  const listed: { statement: JsonObject; path: Path }[] = [];
  if (isJsonObject(statements)) listed.push({ statement: statements, path: ['Statement'] });
  else if (Array.isArray(statements)) {
    statements.forEach((s, i) => {
      if (isJsonObject(s)) listed.push({ statement: s, path: ['Statement', i] });
      else report.at('ERROR', 'DATA_TYPE_MISMATCH', 'The text does not match the expected JSON data type Object.', ['Statement', i]);
    });
  } else {
    report.at('ERROR', 'DATA_TYPE_MISMATCH', 'The text does not match the expected JSON data type Array.', ['Statement']);
  }
  checkSids(report, listed);
  for (const { statement, path } of listed) await checkStatement(report, statement, path, options);
  checkRedundantStatements(report, listed);
  return report.findings;
}

function checkVersion(report: Report, root: JsonObject): void {
  const version = root.get('Version');
  if (version === undefined) {
    report.at('WARNING', 'MISSING_VERSION', 'We recommend that you specify the Version element to help you with debugging permission issues.', []);
  } else if (typeof version !== 'string' || !VERSIONS.has(version)) {
    report.at('ERROR', 'INVALID_VERSION', `The version ${typeof version === 'string' ? version : textOf(version)} is not valid. Use one of the following versions: 2012-10-17, 2008-10-17.`, ['Version']);
  }
}

function checkSids(report: Report, listed: { statement: JsonObject; path: Path }[]): void {
  const seen = new Set<string>();
  for (const { statement, path } of listed) {
    const sid = statement.get('Sid');
    if (sid === '') report.at('SUGGESTION', 'EMPTY_SID_VALUE', 'Add a value to the empty string in the Sid element.', [...path, 'Sid']);
    if (typeof sid !== 'string' || sid === '') continue;
    if (seen.has(sid)) report.at('ERROR', 'UNIQUE_SIDS_REQUIRED', 'Duplicate statement IDs (SIDs) in a single policy are not supported for this policy type. Update the SID value.', [...path, 'Sid']);
    seen.add(sid);
  }
}

/** The strings of an element (a string or a list of them); anything else is reported. */
function itemsOf(report: Report, value: JsonValue, path: Path): Item[] {
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

async function checkStatement(report: Report, s: JsonObject, path: Path, options: ValidateOptions): Promise<void> {
  for (const key of s.keys()) {
    if (!STATEMENT_ELEMENTS.has(key)) report.atKey('ERROR', 'INVALID_POLICY_ELEMENT', `The policy element ${key} is not valid.`, [...path, key]);
  }
  const effect = s.get('Effect');
  if (effect === undefined) report.at('ERROR', 'MISSING_EFFECT', 'Add an Effect element to the policy statement with a value of Allow or Deny.', path);
  else if (effect !== 'Allow' && effect !== 'Deny') report.at('ERROR', 'INVALID_EFFECT', 'The Effect element value is not valid. Use a value of Allow or Deny.', [...path, 'Effect']);

  for (const [a, b] of [['Action', 'NotAction'], ['Resource', 'NotResource'], ['Principal', 'NotPrincipal']] as const) {
    if (s.has(a) && s.has(b)) {
      report.at('ERROR', 'UNSUPPORTED_ELEMENT_COMBINATION', `The policy elements ${a} and ${b} can not be used in the same statement. Remove one of the elements.`, path);
    }
  }
  const actionKey = s.has('Action') ? 'Action' : s.has('NotAction') ? 'NotAction' : undefined;
  if (!actionKey) report.at('ERROR', 'MISSING_ACTION', 'Add an Action or NotAction element to the policy statement.', path);

  const trust = options.resourceType === 'AWS::IAM::AssumeRolePolicyDocument';
  const hasPrincipal = s.has('Principal') || s.has('NotPrincipal');
  const resourceKey = s.has('Resource') ? 'Resource' : s.has('NotResource') ? 'NotResource' : undefined;
  switch (options.policyType) {
    case 'IDENTITY_POLICY':
      if (hasPrincipal) report.atKey('ERROR', 'UNSUPPORTED_PRINCIPAL', 'Policy type IDENTITY_POLICY does not support the Principal element. Remove the Principal element.', [...path, s.has('Principal') ? 'Principal' : 'NotPrincipal']);
      if (!resourceKey) report.at('ERROR', 'MISSING_RESOURCE', 'Add a Resource or NotResource element to the policy statement.', path);
      break;
    case 'RESOURCE_POLICY':
      if (!hasPrincipal) report.at('ERROR', 'MISSING_PRINCIPAL', 'Add a Principal element to the policy statement.', path);
      if (!resourceKey && !trust) report.at('ERROR', 'MISSING_RESOURCE', 'Add a Resource or NotResource element to the policy statement.', path);
      break;
    case 'SERVICE_CONTROL_POLICY':
      if (hasPrincipal) report.atKey('ERROR', 'SCP_SYNTAX_ERROR_PRINCIPAL', 'The Principal element is not supported in service control policies. Remove the Principal element.', [...path, s.has('Principal') ? 'Principal' : 'NotPrincipal']);
      break;
    case 'RESOURCE_CONTROL_POLICY':
      if (!hasPrincipal) report.at('ERROR', 'MISSING_PRINCIPAL', 'Add a Principal element to the policy statement.', path);
      break;
  }

  const actions = actionKey ? itemsOf(report, s.get(actionKey)!, [...path, actionKey]) : [];
  const resources = resourceKey ? itemsOf(report, s.get(resourceKey)!, [...path, resourceKey]) : [];
  for (const action of actions) await checkAction(report, action);
  for (const resource of resources) await checkResource(report, resource);
  redundantItems(report, actions, 'REDUNDANT_ACTION', (n) => `The ${n} action is redundant because it provides similar permissions to another action in the statement. Remove the redundant action.`, true);
  redundantItems(report, resources, 'REDUNDANT_RESOURCE', (n) => `The ${n} resource ARN is redundant because it grants access to a subset of the resources of another ARN in the statement. Remove the redundant resource ARN.`, false);

  const condition = s.get('Condition');
  const conditionKeys = condition === undefined ? [] : await checkCondition(report, condition, [...path, 'Condition']);

  if (effect === 'Allow' && actionKey === 'Action' && resourceKey === 'Resource') {
    const passesRoles = actions.some((a) => globOf(a.text).test('iam:passrole', null));
    const starResource = resources.find((r) => isRoleWildcard(r.text));
    if (passesRoles && starResource && !conditionKeys.includes('iam:passedtoservice')) {
      report.at('SECURITY_WARNING', 'PASS_ROLE_WITH_STAR_IN_RESOURCE',
        'Using the iam:PassRole action with wildcards (*) in the resource can be overly permissive because it allows iam:PassRole permissions on multiple resources. We recommend that you specify resource ARNs or add the iam:PassedToService condition key to your statement.',
        starResource.path);
    }
    const createsSlrs = actions.some((a) => globOf(a.text).test('iam:createservicelinkedrole', null));
    const anyServiceRole = resources.find((r) => isAnyServiceRole(r.text));
    if (createsSlrs && anyServiceRole && !conditionKeys.includes('iam:awsservicename')) {
      report.at('WARNING', 'CREATE_SLR_WITH_STAR_IN_RESOURCE',
        'Using the iam:CreateServiceLinkedRole action with wildcards (*) in the resource can be overly permissive because it allows creating the service-linked role of any service. We recommend that you name the service in the resource ARN (role/aws-service-role/SERVICE-PRINCIPAL/*) or add the iam:AWSServiceName condition key to your statement.',
        anyServiceRole.path);
    }
  }
}

/** A resource that names the service-linked roles of every service: `*`, `role/*`, `role/aws-service-role/*`. */
function isAnyServiceRole(resource: string): boolean {
  if (isRoleWildcard(resource)) return true;
  const parts = resource.split(':');
  if (parts.length < 6) return false;
  const rest = parts.slice(5).join(':');
  return (parts[2] === 'iam' || parts[2] === '*') && /^role\/aws-service-role\/?\*$/.test(rest);
}

const globOf = (pattern: string) => compileGlob(pattern.toLowerCase(), { wildcards: true, variables: false, ignoreCase: true });

/** `*`, or an ARN whose resource part is a bare wildcard over roles (`arn:aws:iam::*:*`, `…:role/*`). */
function isRoleWildcard(resource: string): boolean {
  if (resource === '*') return true;
  const parts = resource.split(':');
  if (parts.length < 6) return false;
  const rest = parts.slice(5).join(':');
  return (parts[2] === 'iam' || parts[2] === '*') && (rest === '*' || rest === 'role/*' || rest === 'role*');
}

async function checkAction(report: Report, item: Item): Promise<void> {
  const text = item.text;
  if (text === '*') return;
  const colon = text.indexOf(':');
  if (colon <= 0) {
    report.at('ERROR', 'INVALID_ACTION', `The action ${text} does not exist.`, item.path);
    return;
  }
  const prefix = text.slice(0, colon);
  const name = text.slice(colon + 1);
  if (/[*?]/.test(prefix)) {
    report.at('SUGGESTION', 'WILDCARD_IN_SERVICE_NAME', 'Avoid using wildcards (*, ?) in the service name because it might grant unintended access to other AWS services with similar names.', item.path);
    return;
  }
  const service = await serviceInfo(prefix);
  if (!service) {
    report.at('ERROR', 'INVALID_SERVICE', `The service ${prefix} does not exist.`, item.path);
    return;
  }
  if (!namesAnAction(service, name.toLowerCase())) {
    report.at('ERROR', 'INVALID_ACTION', `The action ${text} does not exist.`, item.path);
  }
}

/** Whether an action name (lower-cased, maybe a wildcard) names an action of the service; remembered per pattern. */
const actionNameCache = new WeakMap<ServiceInfo, Map<string, boolean>>();
function namesAnAction(service: ServiceInfo, name: string): boolean {
  let cache = actionNameCache.get(service);
  if (!cache) actionNameCache.set(service, (cache = new Map()));
  let known = cache.get(name);
  if (known === undefined) {
    if (/[*?]/.test(name)) {
      const glob = compileGlob(name, { wildcards: true, variables: false, ignoreCase: true });
      known = service.actionsLower.some((a) => glob.test(a, null));
    } else {
      known = service.actionsLower.includes(name);
    }
    // A policy can be written to fill this with made-up names; past a bound it is started afresh.
    if (cache.size >= 10_000) cache.clear();
    cache.set(name, known);
  }
  return known;
}

/** The resource types of a service whose ARN template admits `arn` (templates' `${…}` match any text). */
function matchingTypes(service: ServiceInfo, arn: string): boolean {
  return service.resourceTypes.some((t) => {
    const pattern = t.arn
      .split(/\$\{[^}]*\}/)
      .map((lit) => lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^]*');
    return new RegExp(`^${pattern}$`, 'i').test(arn);
  });
}

async function checkResource(report: Report, item: Item): Promise<void> {
  const text = item.text;
  if (text === '*') return;
  if (!text.startsWith('arn:')) {
    report.at('ERROR', 'INVALID_ARN_PREFIX', 'Add the required prefix (arn) to the resource ARN.', item.path);
    return;
  }
  const parts = text.split(':');
  if (parts.length < 6) {
    report.at('ERROR', 'MISSING_ARN_FIELD', 'Resource ARNs must include at least 6 fields and include the following structure: arn:partition:service:region:account:resource', item.path);
    return;
  }
  const [, partition, prefix] = parts;
  if (!/[*?$]/.test(partition) && !PARTITIONS.has(partition)) {
    report.at('ERROR', 'INVALID_PARTITION', `The resource ARN for the service ${prefix} does not have a valid partition. Use one of the following partitions: ${[...PARTITIONS].join(', ')}.`, item.path);
    return;
  }
  if (/[*?$]/.test(prefix)) return;
  if (prefix !== prefix.toLowerCase()) {
    report.at('ERROR', 'INVALID_ARN_SERVICE_CASE', `Update the service name ${prefix} in the resource ARN to use all lowercase letters.`, item.path);
    return;
  }
  const service = await serviceInfo(prefix);
  if (!service || service.resourceTypes.length === 0) return;
  // A resource part with wildcards or variables may mean many ARNs; only a literal one is judged.
  const rest = parts.slice(3).join(':');
  if (/[*?$]/.test(rest)) return;
  const concrete = ['arn', 'aws', prefix, ...parts.slice(3)].join(':');
  if (!matchingTypes(service, concrete)) {
    report.at('ERROR', 'INVALID_ARN_RESOURCE', `Resource ARN does not match the expected ARN format for the service ${prefix}. Update the resource portion of the ARN.`, item.path);
  }
}

/**
 * Items covered by another of the same statement: a duplicate, or one a wildcard of another already
 * matches. An item with wildcards is judged covered only by `*` or by a wider prefix wildcard, which
 * is certain; other overlaps of two patterns are left alone.
 */
function redundantItems(report: Report, items: Item[], code: string, details: (name: string) => string, ignoreCase: boolean): void {
  const norm = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  items.forEach((item, j) => {
    const covered = items.some((other, k) => {
      if (k === j) return false;
      const a = norm(other.text);
      const b = norm(item.text);
      if (a === b) return k < j;
      if (!/[*?]/.test(a)) return false;
      if (/[*?]/.test(b)) return a === '*' || (a.endsWith('*') && !/[*?]/.test(a.slice(0, -1)) && b.startsWith(a.slice(0, -1)));
      return compileGlob(a, { wildcards: true, variables: false }).test(b, null);
    });
    if (covered) report.at('SUGGESTION', code, details(item.text), item.path);
  });
}

/** Checks a Condition block; returns the (lower-cased) keys it tests. */
async function checkCondition(report: Report, condition: JsonValue, path: Path): Promise<string[]> {
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

function checkRedundantStatements(report: Report, listed: { statement: JsonObject; path: Path }[]): void {
  const seen = new Set<string>();
  for (const { statement, path } of listed) {
    const canonical = canonicalWithoutSid(statement);
    if (seen.has(canonical)) {
      report.at('SUGGESTION', 'REDUNDANT_STATEMENT', 'The statement is redundant because it provides identical permissions to another statement in the policy. Remove the redundant statement.', path);
    }
    seen.add(canonical);
  }
}

function canonicalWithoutSid(statement: JsonObject): string {
  const entries = [...statement].filter(([k]) => k !== 'Sid').sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(entries.map(([k, v]) => [k, plain(v)]));
}

function plain(v: JsonValue): unknown {
  if (v instanceof JsonNumber) return v.text;
  if (Array.isArray(v)) return v.map(plain);
  if (isJsonObject(v)) return [...v].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, plain(x)]);
  return v;
}

function textOf(v: JsonValue): string {
  return JSON.stringify(plain(v));
}
