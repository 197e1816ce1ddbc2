// The check after a restart, as root through the SDK: first let background work end (every deletion
// task and cluster lifecycle reaches its terminal state, polled with a bound), then read the whole
// account (GetAccountAuthorizationDetails and the individual Gets and Lists) and hold it to
//   - wholeness: nothing listed but unreadable, no attachment to a missing policy, attachment counts
//     that match the attachments, every service-linked role with exactly its service's policies, no
//     duplicate role, every available cluster with a network interface per node and none orphaned;
//   - the acknowledgements: every acknowledged write there, every acknowledged delete gone, keys that
//     sign or do not, sessions alive or dead as their role is;
// and finally adopt what the server holds as the model, so requests cut off by the kill are resolved.

import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import {
  DeleteServiceLinkedRoleCommand, GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetServiceLinkedRoleDeletionStatusCommand,
  GetUserCommand, GetUserPolicyCommand, ListAccessKeysCommand, ListAttachedRolePoliciesCommand, ListAttachedUserPoliciesCommand,
  paginateGetAccountAuthorizationDetails, paginateListPolicies, paginateListRoles, paginateListUsers,
} from '@aws-sdk/client-iam';
import { DescribeClustersCommand, type Cluster } from '@aws-sdk/client-memorydb';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { ServiceCatalog } from '../../src/iam/catalog/service-linked-roles.ts';
import { answerOf, type Clients } from './clients.ts';
import { ACCOUNT, attachable, type WorkerModel } from './model.ts';

export interface CheckContext {
  clients: Clients;
  workers: WorkerModel[];
  catalog: ServiceCatalog;
  violations: string[];
  /** How long background work may take to end after a restart before that is a violation. */
  boundMs: number;
}

interface UserSeen {
  id: string;
  attached: Set<string>;
  inline: Set<string>;
  keys: Set<string>;
}

interface RoleSeen {
  path: string;
  attached: Set<string>;
}

export interface Snapshot {
  users: Map<string, UserSeen>;
  roles: Map<string, RoleSeen>;
  /** Customer policies by ARN. */
  policies: Set<string>;
  clusters: Map<string, Cluster>;
}

export interface Settled {
  tasks: number;
  clusters: number;
  ms: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How often background work is polled while it settles. */
const POLL_MS = 20;
/** Reads the check keeps in flight at once: the server answers them side by side. */
const CONCURRENCY = 16;

/** `check` for every item, at most CONCURRENCY at a time. */
async function inParallel<T>(items: Iterable<T>, check: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const runner = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await check(item);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, runner));
}
const TERMINAL_TASK = new Set(['SUCCEEDED', 'FAILED']);
const TERMINAL_CLUSTER = new Set(['available', 'create-failed']);
const MEMORYDB_ENI = /^MemoryDB node (.+)-(\d{4}-\d{3})$/;

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
const show = (s: Set<string>) => `[${[...s].sort().join(', ')}]`;

async function exists(send: () => Promise<unknown>): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (error) {
    if (answerOf(error).name === 'NoSuchEntityException') return false;
    throw error;
  }
}

/** Lets background work end: deletion tasks (also those of requests cut off) and cluster lifecycles. */
export async function settle(ctx: CheckContext): Promise<Settled> {
  const { iam, memorydb } = ctx.clients;
  const started = Date.now();
  const deadline = started + ctx.boundMs;
  let tasks = 0;
  const serviceRoles = ctx.workers.flatMap((w) => w.serviceRoles);
  // A DeleteServiceLinkedRole cut off may have started a task nobody knows the id of: asking again
  // answers with the pending one (or starts one), and that task is followed to its end like any.
  // The role may also go between the two calls: a task the restarted server resumed finished then.
  await inParallel(serviceRoles.filter((s) => s.state === 'unknown'), async (s) => {
    let task: string | undefined;
    const there =
      (await exists(() => iam.send(new GetRoleCommand({ RoleName: s.roleName })))) &&
      (await exists(async () => {
        task = (await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: s.roleName }))).DeletionTaskId!;
      }));
    if (there) {
      s.tasks.push(task!);
      s.state = 'deleting';
    } else {
      s.state = 'absent';
    }
  });
  // Each role's tasks in order (the latest decides its fate), the roles and the clusters side by side.
  const followTasks = inParallel(serviceRoles, async (s) => {
    let last: string | undefined;
    for (const id of s.tasks) {
      tasks++;
      let status: string | undefined;
      for (;;) {
        try {
          status = (await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: id }))).Status;
        } catch (error) {
          ctx.violations.push(`deletion task ${id} acknowledged but unreadable: ${answerOf(error).name}`);
          break;
        }
        if (TERMINAL_TASK.has(status!)) break;
        if (Date.now() > deadline) {
          ctx.violations.push(`deletion task ${id} still ${status} ${ctx.boundMs} ms after the restart`);
          break;
        }
        await sleep(POLL_MS);
      }
      last = status;
    }
    // The latest task decides: SUCCEEDED removed the role, FAILED kept it (its service still uses it).
    if (s.state === 'deleting') s.state = last === 'SUCCEEDED' ? 'absent' : last === 'FAILED' ? 'present' : 'unknown';
    s.tasks = [];
  });
  let clusters = 0;
  const followClusters = async () => {
    if (!ctx.workers.some((w) => w.clusters.length > 0)) return;
    for (;;) {
      const all = (await memorydb.send(new DescribeClustersCommand({}))).Clusters ?? [];
      const moving = all.filter((c) => !TERMINAL_CLUSTER.has(c.Status!));
      clusters = Math.max(clusters, moving.length);
      if (moving.length === 0) break;
      if (Date.now() > deadline) {
        for (const c of moving) ctx.violations.push(`cluster ${c.Name} still ${c.Status} ${ctx.boundMs} ms after the restart`);
        break;
      }
      await sleep(POLL_MS);
    }
  };
  await Promise.all([followTasks, followClusters()]);
  return { tasks, clusters, ms: Date.now() - started };
}

/** Reads the whole account and checks that everything in it is whole. */
export async function checkWhole(ctx: CheckContext): Promise<Snapshot> {
  const { iam, memorydb, ec2 } = ctx.clients;
  const v = ctx.violations;
  const snapshot: Snapshot = { users: new Map(), roles: new Map(), policies: new Set(), clusters: new Map() };
  const policyCounts = new Map<string, { count: number; default?: string }>();
  const attachedAnywhere = new Map<string, number>();
  const count = (arn: string) => attachedAnywhere.set(arn, (attachedAnywhere.get(arn) ?? 0) + 1);

  for await (const page of paginateGetAccountAuthorizationDetails({ client: iam }, {})) {
    for (const u of page.UserDetailList ?? []) {
      const attached = new Set((u.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn!));
      attached.forEach(count);
      snapshot.users.set(u.UserName!, { id: u.UserId!, attached, inline: new Set((u.UserPolicyList ?? []).map((p) => p.PolicyName!)), keys: new Set() });
    }
    for (const r of page.RoleDetailList ?? []) {
      const attached = new Set((r.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn!));
      attached.forEach(count);
      snapshot.roles.set(r.RoleName!, { path: r.Path!, attached });
    }
    for (const g of page.GroupDetailList ?? []) for (const p of g.AttachedManagedPolicies ?? []) count(p.PolicyArn!);
    for (const p of page.Policies ?? []) {
      policyCounts.set(p.Arn!, { count: p.AttachmentCount ?? 0, default: p.DefaultVersionId });
      if (!p.Arn!.startsWith('arn:aws:iam::aws:')) snapshot.policies.add(p.Arn!);
    }
  }

  // Listed by the list operations exactly as by GetAccountAuthorizationDetails.
  const listedUsers = new Set<string>();
  for await (const page of paginateListUsers({ client: iam }, {})) for (const u of page.Users ?? []) listedUsers.add(u.UserName!);
  if (!sameSet(listedUsers, new Set(snapshot.users.keys()))) v.push(`ListUsers ${show(listedUsers)} ≠ GetAccountAuthorizationDetails ${show(new Set(snapshot.users.keys()))}`);
  const listedRoles: string[] = [];
  for await (const page of paginateListRoles({ client: iam }, {})) for (const r of page.Roles ?? []) listedRoles.push(r.RoleName!);
  if (!sameSet(new Set(listedRoles), new Set(snapshot.roles.keys()))) v.push(`ListRoles ${show(new Set(listedRoles))} ≠ GetAccountAuthorizationDetails`);
  const lower = listedRoles.map((n) => n.toLowerCase());
  if (new Set(lower).size !== lower.length) v.push(`duplicate role names: ${listedRoles.join(', ')}`);
  const listedPolicies = new Set<string>();
  for await (const page of paginateListPolicies({ client: iam }, { Scope: 'Local' })) for (const p of page.Policies ?? []) listedPolicies.add(p.Arn!);
  if (!sameSet(listedPolicies, snapshot.policies)) v.push(`ListPolicies ${show(listedPolicies)} ≠ GetAccountAuthorizationDetails ${show(snapshot.policies)}`);

  await inParallel(snapshot.users, async ([name, seen]) => {
    try {
      const user = (await iam.send(new GetUserCommand({ UserName: name }))).User!;
      if (user.UserId !== seen.id) v.push(`user ${name}: GetUser's id ${user.UserId} ≠ ${seen.id}`);
      const attached = new Set(((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: name }))).AttachedPolicies ?? []).map((p) => p.PolicyArn!));
      if (!sameSet(attached, seen.attached)) v.push(`user ${name}: ListAttachedUserPolicies ${show(attached)} ≠ ${show(seen.attached)}`);
      for (const policy of seen.inline) await iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: policy }));
      for (const key of (await iam.send(new ListAccessKeysCommand({ UserName: name }))).AccessKeyMetadata ?? []) seen.keys.add(key.AccessKeyId!);
    } catch (error) {
      v.push(`user ${name} is listed but unreadable: ${answerOf(error).name} ${answerOf(error).message}`);
    }
  });

  const serviceRoles = new Map<string, string[]>();
  await inParallel(snapshot.roles, async ([name, seen]) => {
    try {
      await iam.send(new GetRoleCommand({ RoleName: name }));
      const attached = new Set(((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }))).AttachedPolicies ?? []).map((p) => p.PolicyArn!));
      if (!sameSet(attached, seen.attached)) v.push(`role ${name}: ListAttachedRolePolicies ${show(attached)} ≠ ${show(seen.attached)}`);
      const service = /^\/aws-service-role\/([^/]+)\/$/.exec(seen.path)?.[1];
      if (service) {
        serviceRoles.set(service, [...(serviceRoles.get(service) ?? []), name]);
        const expected = new Set(ctx.catalog.get(service)?.policyArns ?? []);
        if (!sameSet(attached, expected)) v.push(`service-linked role ${name} has ${show(attached)}, its service's policies are ${show(expected)}`);
      }
    } catch (error) {
      v.push(`role ${name} is listed but unreadable: ${answerOf(error).name} ${answerOf(error).message}`);
    }
  });
  for (const [service, names] of serviceRoles) if (names.length > 1) v.push(`${service} has ${names.length} service-linked roles: ${names.join(', ')}`);

  await inParallel(policyCounts, async ([arn, { count: stated, default: version }]) => {
    const actual = attachedAnywhere.get(arn) ?? 0;
    if (stated !== actual) v.push(`policy ${arn}: AttachmentCount ${stated}, attached to ${actual}`);
    try {
      const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
      if ((policy.AttachmentCount ?? 0) !== actual) v.push(`policy ${arn}: GetPolicy's AttachmentCount ${policy.AttachmentCount}, attached to ${actual}`);
      const got = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: version ?? policy.DefaultVersionId }))).PolicyVersion!;
      if (!got.IsDefaultVersion) v.push(`policy ${arn}: its default version ${version} is not marked default`);
    } catch (error) {
      v.push(`policy ${arn} is listed but unreadable: ${answerOf(error).name} ${answerOf(error).message}`);
    }
  });
  for (const arn of attachedAnywhere.keys()) {
    if (!policyCounts.has(arn)) v.push(`an attachment to ${arn}, which GetAccountAuthorizationDetails does not list`);
  }

  if (ctx.workers.some((w) => w.clusters.length > 0)) {
    const clusters = (await memorydb.send(new DescribeClustersCommand({ ShowShardDetails: true }))).Clusters ?? [];
    for (const c of clusters) snapshot.clusters.set(c.Name!, c);
    const interfaces = (await ec2.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces ?? [];
    const byCluster = new Map<string, number>();
    for (const eni of interfaces) {
      const m = MEMORYDB_ENI.exec(eni.Description ?? '');
      if (m) byCluster.set(m[1], (byCluster.get(m[1]) ?? 0) + 1);
    }
    for (const c of clusters) {
      const nodes = (c.Shards ?? []).flatMap((s) => s.Nodes ?? []);
      const enis = byCluster.get(c.Name!) ?? 0;
      if (c.Status === 'available') {
        if (nodes.some((n) => !n.Endpoint)) v.push(`cluster ${c.Name} is available with a node that has no endpoint`);
        if (enis !== nodes.length) v.push(`cluster ${c.Name} is available with ${nodes.length} nodes and ${enis} network interfaces`);
      }
    }
    for (const [name, enis] of byCluster) if (!snapshot.clusters.has(name)) v.push(`${enis} network interfaces left by cluster ${name}, which is gone`);
  }
  return snapshot;
}

/** Does this key sign requests, and as whom? */
async function signsAs(ctx: CheckContext, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Promise<string | undefined> {
  try {
    return (await ctx.clients.sts(credentials).send(new GetCallerIdentityCommand({}))).Arn;
  } catch (error) {
    const { name, status } = answerOf(error);
    if (status === 403 && (name === 'InvalidClientTokenId' || name === 'ExpiredToken')) return undefined;
    throw error;
  }
}

/** Every acknowledged write is there and every acknowledged delete is gone. */
export async function checkAcknowledged(ctx: CheckContext, snapshot: Snapshot): Promise<void> {
  const v = ctx.violations;
  // Which keys and sessions sign is asked of the server side by side once the model has been walked.
  const signing: (() => Promise<void>)[] = [];
  const expect = (what: string, state: string, there: boolean) => {
    if (state === 'present' && !there) v.push(`${what}: acknowledged, but gone`);
    if (state === 'absent' && there) v.push(`${what}: acknowledged as deleted (or never made), but there`);
  };
  for (const w of ctx.workers) {
    for (const u of w.users) {
      const seen = snapshot.users.get(u.name);
      expect(`user ${u.name}`, u.state, seen !== undefined);
      if (u.state !== 'present' || !seen) continue;
      for (const arn of attachable(w)) expect(`${arn} attached to user ${u.name}`, u.attached.get(arn) ?? 'absent', seen.attached.has(arn));
      expect(`inline policy of user ${u.name}`, u.inline, seen.inline.has('assume'));
      for (const key of u.keys.values()) {
        expect(`access key ${key.id} of ${u.name}`, key.state, seen.keys.has(key.id));
        const secret = key.secret;
        if (!secret || key.state === 'unknown') continue;
        const want = key.state === 'present' ? `arn:aws:iam::${ACCOUNT}:user/${u.name}` : undefined;
        const state = key.state;
        signing.push(async () => {
          const as = await signsAs(ctx, { accessKeyId: key.id, secretAccessKey: secret });
          if (as !== want) v.push(`access key ${key.id} of ${u.name} (${state}) signs as ${as ?? 'nobody'}`);
        });
      }
      if (!u.unseenKey) for (const id of seen.keys) if (!u.keys.has(id)) v.push(`user ${u.name} has a key ${id} nobody was given`);
    }
    for (const r of w.roles) {
      const seen = snapshot.roles.get(r.name);
      expect(`role ${r.name}`, r.state, seen !== undefined);
      if (r.state === 'present' && seen) for (const arn of attachable(w)) expect(`${arn} attached to role ${r.name}`, r.attached.get(arn) ?? 'absent', seen.attached.has(arn));
    }
    for (const p of w.policies) expect(`policy ${p.arn}`, p.state, snapshot.policies.has(p.arn));
    for (const s of w.serviceRoles) expect(`service-linked role ${s.roleName}`, s.state, snapshot.roles.has(s.roleName));
    for (const c of w.clusters) {
      const there = snapshot.clusters.has(c.name);
      if (c.state === 'deleting' && there) v.push(`cluster ${c.name}: its acknowledged deletion did not finish`);
      else expect(`cluster ${c.name}`, c.state, there);
    }
    for (const s of w.sessions) {
      const role = w.roles.find((r) => r.name === s.roleName)!;
      const alive = role.state === 'present' && role.incarnation === s.roleIncarnation;
      // A role deleted since, for certain: its sessions must be dead. Otherwise (cut off) either way.
      if (!alive && role.state !== 'absent') continue;
      signing.push(async () => {
        const as = await signsAs(ctx, s);
        if (alive && as !== s.arn) v.push(`session ${s.arn}: acknowledged, but signs as ${as ?? 'nobody'}`);
        if (!alive && as !== undefined) v.push(`session ${s.arn} outlived its role`);
      });
    }
  }
  await inParallel(signing, (sign) => sign());
}

/** The model becomes what the server holds: every fact certain again. */
export function adopt(ctx: CheckContext, snapshot: Snapshot): void {
  for (const w of ctx.workers) {
    for (const u of w.users) {
      const seen = snapshot.users.get(u.name);
      u.state = seen ? 'present' : 'absent';
      u.unseenKey = false;
      u.inline = seen?.inline.has('assume') ? 'present' : 'absent';
      u.attached = new Map(attachable(w).map((arn) => [arn, seen?.attached.has(arn) ? 'present' : 'absent']));
      const keys = new Map<string, { id: string; secret?: string; state: 'present' }>();
      for (const id of seen?.keys ?? []) keys.set(id, { id, secret: u.keys.get(id)?.secret, state: 'present' });
      u.keys = keys;
    }
    for (const r of w.roles) {
      const seen = snapshot.roles.get(r.name);
      r.state = seen ? 'present' : 'absent';
      r.attached = new Map(attachable(w).map((arn) => [arn, seen?.attached.has(arn) ? 'present' : 'absent']));
    }
    for (const p of w.policies) p.state = snapshot.policies.has(p.arn) ? 'present' : 'absent';
    for (const s of w.serviceRoles) s.state = snapshot.roles.has(s.roleName) ? 'present' : 'absent';
    for (const c of w.clusters) c.state = snapshot.clusters.has(c.name) ? 'present' : 'absent';
    // Sessions of roles whose fate was unknown cannot be judged any more.
    w.sessions = w.sessions.filter((s) => w.roles.find((r) => r.name === s.roleName)!.incarnation === s.roleIncarnation);
  }
}
