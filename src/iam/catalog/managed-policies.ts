// The AWS managed policies every iamd account sees (`arn:aws:iam::aws:policy/...`), read once from
// the generated data/aws-managed-policies.json.gz. The catalog is read-only: AWS managed policies
// cannot be changed by any caller, so callers must not mutate what they get.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';

export interface AwsManagedPolicyVersion {
  VersionId: string;
  IsDefaultVersion: boolean;
  CreateDate: Date;
  /** The policy document as JSON text (GetPolicyVersion URL-encodes it on the wire). */
  Document: string;
}

export interface AwsManagedPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  CreateDate: Date;
  UpdateDate: Date;
  IsAttachable: boolean;
  Description?: string;
  /** Oldest first (v1, v2, …); exactly one has `IsDefaultVersion`. */
  Versions: AwsManagedPolicyVersion[];
}

export interface ManagedPolicyCatalog {
  get(arn: string): AwsManagedPolicy | undefined;
  /** Sorted by PolicyName (then Arn, since names are only unique per path). */
  list(): AwsManagedPolicy[];
  /** How long reading the data file took, in milliseconds (0 for catalogs built in memory). */
  readonly loadMillis: number;
}

/** The folder under /aws-service-role/ holds the policies of service-linked roles. */
export const SERVICE_ROLE_POLICY_PATH = '/aws-service-role/';

/**
 * AWS reports these policies as attachable (`IsAttachable: true`) yet refuses to attach them to a
 * customer's user, group or role: AttachRolePolicy answers 400 `PolicyNotAttachable` "Cannot attach
 * a Service Role Policy to a Customer Role." Only service-linked roles carry them.
 */
export const isServiceRolePolicy = (policy: Pick<AwsManagedPolicy, 'Path'>): boolean =>
  policy.Path === SERVICE_ROLE_POLICY_PATH;

const DATA_FILE = new URL('../../../data/aws-managed-policies.json.gz', import.meta.url);

/** One policy as the generator writes it: dates as ISO 8601 text. */
interface PolicyRecord extends Omit<AwsManagedPolicy, 'CreateDate' | 'UpdateDate' | 'Versions'> {
  CreateDate: string;
  UpdateDate: string;
  Versions: (Omit<AwsManagedPolicyVersion, 'CreateDate'> & { CreateDate: string })[];
}

const fromRecord = (r: PolicyRecord): AwsManagedPolicy => ({
  ...r,
  CreateDate: new Date(r.CreateDate),
  UpdateDate: new Date(r.UpdateDate),
  Versions: r.Versions.map((v) => ({ ...v, CreateDate: new Date(v.CreateDate) })),
});

const byNameThenArn = (a: AwsManagedPolicy, b: AwsManagedPolicy): number =>
  a.PolicyName < b.PolicyName ? -1 : a.PolicyName > b.PolicyName ? 1 : a.Arn < b.Arn ? -1 : a.Arn > b.Arn ? 1 : 0;

/** A catalog over `policies`; a later policy with the same ARN replaces an earlier one. */
export function managedPolicyCatalog(policies: Iterable<AwsManagedPolicy>, loadMillis = 0): ManagedPolicyCatalog {
  const byArn = new Map<string, AwsManagedPolicy>();
  for (const policy of policies) byArn.set(policy.Arn, policy);
  let sorted: AwsManagedPolicy[] | undefined;
  return {
    get: (arn) => byArn.get(arn),
    // A copy, so a caller sorting or filtering it cannot disturb the next one.
    list: () => [...(sorted ??= [...byArn.values()].sort(byNameThenArn))],
    loadMillis,
  };
}

let builtIn: ManagedPolicyCatalog | undefined;

/** Every AWS managed policy iamd ships; the data file is read on the first call only. */
export function awsManagedPolicies(): ManagedPolicyCatalog {
  if (builtIn === undefined) {
    const started = performance.now();
    const file = JSON.parse(gunzipSync(readFileSync(DATA_FILE)).toString('utf8')) as { policies: PolicyRecord[] };
    const policies = file.policies.map(fromRecord);
    builtIn = managedPolicyCatalog(policies, performance.now() - started);
  }
  return builtIn;
}

/**
 * `base` plus `extra` — the service-role policies a user service catalog defines. An extra policy
 * with the ARN of a policy in `base` replaces it (the user catalog loader refuses that case, so it
 * only happens when a caller asks for it).
 */
export function withExtraPolicies(base: ManagedPolicyCatalog, extra: readonly AwsManagedPolicy[]): ManagedPolicyCatalog {
  if (extra.length === 0) return base;
  return managedPolicyCatalog([...base.list(), ...extra], base.loadMillis);
}
