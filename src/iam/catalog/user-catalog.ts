// Reads and validates a user service catalog (the file named by IAMD_SERVICE_CATALOG): extra or
// replacement service-linked-role definitions, each with its permission policy given either as an
// existing AWS managed policy ARN or as a document that becomes a new service-role managed policy.
// Every problem is reported at start, all at once, naming the file, the entry and the fault.
// Format: docs/catalog.md § "Your own services".
import { readFileSync, statSync } from 'node:fs';
import { parsePolicy } from '../../policy/parse.ts';
import { awsManagedPolicyId } from './policy-id.ts';
import { SERVICE_ROLE_POLICY_PATH, type AwsManagedPolicy, type ManagedPolicyCatalog } from './managed-policies.ts';
import type { ServiceLinkedRoleSpec } from './types.ts';

export class ServiceCatalogError extends Error {
  constructor(
    readonly file: string,
    /** One line per problem: `entry 2 (widgets.amazonaws.com): roleName …`. */
    readonly problems: string[],
  ) {
    super(`invalid service catalog ${file}:\n  ${problems.join('\n  ')}`);
    this.name = 'ServiceCatalogError';
  }
}

export interface UserCatalog {
  services: ServiceLinkedRoleSpec[];
  /** The service-role managed policies defined by the entries' `policy` documents. */
  policies: AwsManagedPolicy[];
}

// IAM's own rules (botocore iam-2010-05-08 shapes roleNameType, policyNameType, roleDescriptionType,
// policyDescriptionType); `AWSServiceName` is a groupNameType, which a DNS name always satisfies.
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const ROLE_DESCRIPTION = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]{0,1000}$/;
const POLICY_DESCRIPTION_MAX = 1000;
const SERVICE_NAME_MAX = 128;
// Service principals are DNS names (`memorydb.amazonaws.com`): lower-case labels, at least two.
const DNS_LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const SERVICE_PRINCIPAL = new RegExp(`^${DNS_LABEL}(?:\\.${DNS_LABEL})+$`);
const AWS_MANAGED_POLICY_ARN = /^arn:aws:iam::aws:policy\//;

const ENTRY_KEYS = new Set(['servicePrincipal', 'roleName', 'path', 'customSuffixAllowed', 'description', 'policyArn', 'policy']);
const POLICY_KEYS = new Set(['name', 'document', 'description']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An inline policy, checked, waiting for the ARN references of all entries to be known. */
interface InlinePolicy {
  arn: string;
  name: string;
  document: string;
  description?: string;
}

/**
 * Reads `file` and checks it against `awsPolicies` (the ARNs an entry may refer to). Throws
 * `ServiceCatalogError` listing every problem; returns the entries in file order otherwise.
 */
export function readUserCatalog(file: string, awsPolicies: ManagedPolicyCatalog): UserCatalog {
  const fail = (problem: string): never => {
    throw new ServiceCatalogError(file, [problem]);
  };
  let text = '';
  let modified = new Date(0);
  try {
    text = readFileSync(file, 'utf8');
    modified = statSync(file).mtime;
  } catch (error) {
    fail(`cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let root: Json = null;
  try {
    root = JSON.parse(text) as Json;
  } catch (error) {
    fail(`is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(root)) return fail('must be a JSON array of service entries');

  const problems: string[] = [];
  const services: ServiceLinkedRoleSpec[] = [];
  const inline = new Map<string, InlinePolicy>();
  const references: { where: string; arn: string }[] = [];
  const principals = new Set<string>();

  root.forEach((entry, index) => {
    const principal = isObject(entry) && typeof entry.servicePrincipal === 'string' ? entry.servicePrincipal : undefined;
    const where = `entry ${index + 1}${principal === undefined ? '' : ` (${principal})`}`;
    const problem = (message: string): void => void problems.push(`${where}: ${message}`);
    if (!isObject(entry)) return problem('must be an object');

    for (const key of Object.keys(entry)) if (!ENTRY_KEYS.has(key)) problem(`unknown field "${key}"`);

    if (principal === undefined) problem('servicePrincipal is required and must be a string');
    else if (principal.length > SERVICE_NAME_MAX || !SERVICE_PRINCIPAL.test(principal)) {
      problem(`servicePrincipal must be a lower-case DNS name such as "widgets.amazonaws.com" (at most ${SERVICE_NAME_MAX} characters)`);
    } else if (principals.has(principal)) problem('servicePrincipal appears more than once in the file');
    else principals.add(principal);

    const path = principal === undefined ? undefined : `/aws-service-role/${principal}/`;
    if (entry.path !== undefined && entry.path !== path) problem(`path, when given, must be "${path ?? '/aws-service-role/<servicePrincipal>/'}"`);

    const { roleName, customSuffixAllowed, description } = entry;
    if (typeof roleName !== 'string') problem('roleName is required and must be a string');
    else if (!ROLE_NAME.test(roleName)) problem('roleName must be 1-64 characters of letters, digits and _+=,.@-');
    if (customSuffixAllowed !== undefined && typeof customSuffixAllowed !== 'boolean') problem('customSuffixAllowed must be true or false');
    if (description !== undefined && (typeof description !== 'string' || !ROLE_DESCRIPTION.test(description))) {
      problem('description must be a string of at most 1000 characters from tab, newline and U+0020-U+007E, U+00A1-U+00FF');
    }

    const policyArns: string[] = [];
    if ((entry.policyArn === undefined) === (entry.policy === undefined)) {
      problem('needs exactly one of policyArn (an AWS managed policy ARN) and policy ({ name, document })');
    } else if (entry.policyArn !== undefined) {
      if (typeof entry.policyArn !== 'string' || !AWS_MANAGED_POLICY_ARN.test(entry.policyArn)) {
        problem('policyArn must be an AWS managed policy ARN, arn:aws:iam::aws:policy/…');
      } else {
        policyArns.push(entry.policyArn);
        references.push({ where, arn: entry.policyArn });
      }
    } else {
      const policy = readInlinePolicy(entry.policy!, awsPolicies, problem);
      if (policy !== undefined) {
        if (inline.has(policy.arn)) problem(`policy name "${policy.name}" is already defined by another entry`);
        else inline.set(policy.arn, policy);
        policyArns.push(policy.arn);
      }
    }

    if (principal !== undefined && path !== undefined && typeof roleName === 'string') {
      services.push({
        servicePrincipal: principal,
        roleName,
        path,
        policyArns,
        customSuffixAllowed: customSuffixAllowed === true,
        ...(typeof description === 'string' ? { description } : {}),
        source: 'user',
      });
    }
  });

  for (const { where, arn } of references) {
    if (awsPolicies.get(arn) === undefined && !inline.has(arn)) {
      problems.push(`${where}: policyArn ${arn} is neither an AWS managed policy nor defined by an entry of this file`);
    }
  }
  if (problems.length > 0) throw new ServiceCatalogError(file, problems);

  // AWS dates are whole seconds; the file's modification time stands for "when AWS published it".
  const published = new Date(Math.floor(modified.getTime() / 1000) * 1000);
  return { services, policies: [...inline.values()].map((p) => toManagedPolicy(p, published)) };
}

function readInlinePolicy(
  spec: Json,
  awsPolicies: ManagedPolicyCatalog,
  problem: (message: string) => void,
): InlinePolicy | undefined {
  if (!isObject(spec)) return void problem('policy must be an object { name, document, description? }');
  let ok = true;
  const bad = (message: string): void => {
    ok = false;
    problem(message);
  };
  for (const key of Object.keys(spec)) if (!POLICY_KEYS.has(key)) bad(`unknown field "policy.${key}"`);
  const { name, document, description } = spec;
  if (typeof name !== 'string' || !POLICY_NAME.test(name)) bad('policy.name must be 1-128 characters of letters, digits and _+=,.@-');
  if (description !== undefined && (typeof description !== 'string' || description.length > POLICY_DESCRIPTION_MAX)) {
    bad(`policy.description must be a string of at most ${POLICY_DESCRIPTION_MAX} characters`);
  }
  // A document may be written as JSON or as the text AWS would store; text is kept as written.
  const text = typeof document === 'string' ? document : isObject(document) ? JSON.stringify(document) : undefined;
  if (text === undefined) bad('policy.document is required: a policy object or its JSON text');
  else {
    // AWS's own service-role policies are exempt from the customer quota of 6,144 characters, so
    // no size limit is applied; the grammar and AWS's managed-policy rules are.
    const parsed = parsePolicy(text, 'identity', { managed: true });
    if (!parsed.ok) bad(`policy.document is not a valid identity policy: ${parsed.error.code}: ${parsed.error.message}`);
  }
  if (!ok || typeof name !== 'string' || text === undefined) return undefined;
  const arn = `arn:aws:iam::aws:policy${SERVICE_ROLE_POLICY_PATH}${name}`;
  if (awsPolicies.get(arn) !== undefined) {
    return void problem(`policy ${arn} is already an AWS managed policy; refer to it with policyArn instead`);
  }
  return { arn, name, document: text, ...(typeof description === 'string' ? { description } : {}) };
}

function toManagedPolicy(policy: InlinePolicy, published: Date): AwsManagedPolicy {
  return {
    PolicyName: policy.name,
    PolicyId: awsManagedPolicyId(policy.arn),
    Arn: policy.arn,
    Path: SERVICE_ROLE_POLICY_PATH,
    DefaultVersionId: 'v1',
    CreateDate: published,
    UpdateDate: published,
    // As AWS reports its own service-role policies (see isServiceRolePolicy).
    IsAttachable: true,
    ...(policy.description === undefined ? {} : { Description: policy.description }),
    Versions: [{ VersionId: 'v1', IsDefaultVersion: true, CreateDate: published, Document: policy.document }],
  };
}
