// ValidatePolicy: reads a policy with positions and reports what AWS's policy validation reports —
// grammar and structure, names the Service Authorization Reference does not know (services, actions,
// condition keys, resource ARNs of a service), `Null…IfExists`, `iam:PassRole` on `*`, and what is
// redundant — each finding pointing at the element at fault. The codes and finding types are AWS's
// (docs/analysis.md § "Access Analyzer" lists the ones iamd reports and where its wording is its own).

import { isJsonObject, type JsonObject, type JsonValue } from '../../../policy/json-reader.ts';
import { compileGlob } from '../../../policy/glob.ts';
import { checkAction } from './actions.ts';
import { checkCondition } from './conditions.ts';
import { finding, type ValidatePolicyFinding } from './findings.ts';
import { LocatedPolicy } from './located.ts';
import { checkRedundantStatements, plain, redundantItems } from './redundant.ts';
import { itemsOf, Report, type Path } from './report.ts';
import { checkPrincipal } from './principals.ts';
import { checkResource, isAnyServiceRole, isRoleWildcard } from './resources.ts';

export type PolicyType = 'IDENTITY_POLICY' | 'RESOURCE_POLICY' | 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

export interface ValidateOptions {
  policyType: PolicyType;
  /** `AWS::IAM::AssumeRolePolicyDocument`, `AWS::S3::Bucket`, … (resource policies only). */
  resourceType?: string;
}

const POLICY_ELEMENTS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);

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

  if (options.policyType !== 'IDENTITY_POLICY' && options.policyType !== 'SERVICE_CONTROL_POLICY') {
    for (const key of ['Principal', 'NotPrincipal'] as const) if (s.has(key)) checkPrincipal(report, s.get(key)!, [...path, key]);
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

const globOf = (pattern: string) => compileGlob(pattern.toLowerCase(), { wildcards: true, variables: false, ignoreCase: true });

const textOf = (v: JsonValue): string => JSON.stringify(plain(v));
