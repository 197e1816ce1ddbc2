// The operation mix: given what a worker knows, the next request it makes — a write that the model
// says should succeed (so every refusal it gets is a contradiction worth reporting), or a read whose
// answer the model predicts. Each write says what its acknowledgement establishes (`ack`) and what
// becomes unknown when it gets no answer (`lost`).

import {
  AttachRolePolicyCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateRoleCommand,
  CreateServiceLinkedRoleCommand, CreateUserCommand, DeleteAccessKeyCommand, DeletePolicyCommand, DeleteRoleCommand,
  DeleteServiceLinkedRoleCommand, DeleteUserCommand, DeleteUserPolicyCommand, DetachRolePolicyCommand, DetachUserPolicyCommand,
  GetRoleCommand, GetServiceLinkedRoleDeletionStatusCommand, GetUserCommand, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateClusterCommand, DeleteClusterCommand, DescribeClustersCommand } from '@aws-sdk/client-memorydb';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { Prng } from '../../bench/policy/prng.ts';
import { answerOf, type Clients } from './clients.ts';
import {
  ACCOUNT, attachable, attachmentsOf, AWS_POLICY, MEMORYDB,
  type ClusterModel, type RoleModel, type ServiceRoleModel, type UserModel, type WorkerModel,
} from './model.ts';

export interface Prepared {
  name: string;
  write: boolean;
  /** Refusals the model cannot rule out (a cluster still being created cannot be deleted yet). */
  expected?: string[];
  send(c: Clients): Promise<unknown>;
  ack(output: unknown): void;
  lost(): void;
}

/** A read answered otherwise than the model predicts: something acknowledged is missing, or back. */
export class Contradiction extends Error {
  override name = 'Contradiction';
}

const TRUST_ACCOUNT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
});
const assumePolicy = (w: WorkerModel) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCOUNT}:role/${w.prefix}-*` }] });
const policyDocument = (name: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: name.replace(/[^A-Za-z0-9]/g, ''), Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }] });

const INLINE = 'assume';
const NO_ANSWER = Symbol('no answer');

const present = <T extends { state: string }>(items: T[]) => items.filter((i) => i.state === 'present');
const absent = <T extends { state: string }>(items: T[]) => items.filter((i) => i.state === 'absent');
const nothingAttached = (o: { attached: Map<string, string> }) => [...o.attached.values()].every((s) => s === 'absent');
const presentKeys = (u: UserModel) => [...u.keys.values()].filter((k) => k.state === 'present');
const policyUsable = (w: WorkerModel, arn: string) => arn === AWS_POLICY || w.policies.some((p) => p.arn === arn && p.state === 'present');

/** A read whose outcome the model predicts: `exists` true → it must succeed, false → NoSuchEntity. */
function predictedRead(name: string, exists: boolean, send: (c: Clients) => Promise<unknown>): Prepared {
  return {
    name,
    write: false,
    async send(c) {
      let answer: unknown = NO_ANSWER;
      try {
        await send(c);
        answer = 'found';
      } catch (error) {
        const { name: errorName, status } = answerOf(error);
        if (status === undefined || status >= 500) throw error;
        answer = errorName;
      }
      const want = exists ? 'found' : 'NoSuchEntityException';
      if (answer !== want) throw new Contradiction(`${name}: the model says ${exists ? 'present' : 'absent'}, iamd answered ${String(answer)}`);
    },
    ack: () => {},
    lost: () => {},
  };
}

function userOps(w: WorkerModel, rng: Prng): [number, () => Prepared | undefined][] {
  const pickUser = (filter: (u: UserModel) => boolean) => {
    const users = w.users.filter(filter);
    return users.length === 0 ? undefined : rng.pick(users);
  };
  return [
    [6, () => {
      const u = pickUser((x) => x.state === 'absent');
      return u && {
        name: 'CreateUser', write: true,
        send: (c) => c.iam.send(new CreateUserCommand({ UserName: u.name })),
        ack: () => Object.assign(u, { state: 'present', keys: new Map(), unseenKey: false, attached: new Map(), inline: 'absent' }),
        lost: () => (u.state = 'unknown'),
      };
    }],
    [3, () => {
      const u = pickUser((x) => x.state === 'present' && presentKeys(x).length === 0 && !x.unseenKey && [...x.keys.values()].every((k) => k.state === 'absent') && nothingAttached(x) && x.inline === 'absent');
      return u && {
        name: 'DeleteUser', write: true,
        send: (c) => c.iam.send(new DeleteUserCommand({ UserName: u.name })),
        ack: () => Object.assign(u, { state: 'absent', keys: new Map() }),
        lost: () => (u.state = 'unknown'),
      };
    }],
    [5, () => {
      const u = pickUser((x) => x.state === 'present' && !x.unseenKey && [...x.keys.values()].every((k) => k.state !== 'unknown') && presentKeys(x).length < 2);
      return u && {
        name: 'CreateAccessKey', write: true,
        send: (c) => c.iam.send(new CreateAccessKeyCommand({ UserName: u.name })),
        ack: (out) => {
          const key = (out as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } }).AccessKey;
          u.keys.set(key.AccessKeyId, { id: key.AccessKeyId, secret: key.SecretAccessKey, state: 'present' });
        },
        lost: () => (u.unseenKey = true),
      };
    }],
    [3, () => {
      const u = pickUser((x) => x.state === 'present' && presentKeys(x).length > 0);
      if (!u) return undefined;
      const key = rng.pick(presentKeys(u));
      return {
        name: 'DeleteAccessKey', write: true,
        send: (c) => c.iam.send(new DeleteAccessKeyCommand({ UserName: u.name, AccessKeyId: key.id })),
        ack: () => (key.state = 'absent'),
        lost: () => (key.state = 'unknown'),
      };
    }],
    [4, () => {
      const u = pickUser((x) => x.state === 'present' && x.inline === 'absent');
      return u && {
        name: 'PutUserPolicy', write: true,
        send: (c) => c.iam.send(new PutUserPolicyCommand({ UserName: u.name, PolicyName: INLINE, PolicyDocument: assumePolicy(w) })),
        ack: () => (u.inline = 'present'),
        lost: () => (u.inline = 'unknown'),
      };
    }],
    [2, () => {
      const u = pickUser((x) => x.state === 'present' && x.inline === 'present');
      return u && {
        name: 'DeleteUserPolicy', write: true,
        send: (c) => c.iam.send(new DeleteUserPolicyCommand({ UserName: u.name, PolicyName: INLINE })),
        ack: () => (u.inline = 'absent'),
        lost: () => (u.inline = 'unknown'),
      };
    }],
    [4, () => {
      const u = pickUser((x) => x.state === 'present');
      if (!u) return undefined;
      const arn = rng.pick(attachable(w).filter((a) => policyUsable(w, a) && (u.attached.get(a) ?? 'absent') === 'absent'));
      return arn === undefined ? undefined : {
        name: 'AttachUserPolicy', write: true,
        send: (c) => c.iam.send(new AttachUserPolicyCommand({ UserName: u.name, PolicyArn: arn })),
        ack: () => u.attached.set(arn, 'present'),
        lost: () => u.attached.set(arn, 'unknown'),
      };
    }],
    [3, () => {
      const u = pickUser((x) => x.state === 'present' && [...x.attached.values()].includes('present'));
      if (!u) return undefined;
      const arn = rng.pick([...u.attached].filter(([, s]) => s === 'present').map(([a]) => a));
      return {
        name: 'DetachUserPolicy', write: true,
        send: (c) => c.iam.send(new DetachUserPolicyCommand({ UserName: u.name, PolicyArn: arn })),
        ack: () => u.attached.set(arn, 'absent'),
        lost: () => u.attached.set(arn, 'unknown'),
      };
    }],
    [3, () => {
      const u = pickUser((x) => x.state !== 'unknown');
      return u && predictedRead('GetUser', u.state === 'present', (c) => c.iam.send(new GetUserCommand({ UserName: u.name })));
    }],
  ];
}

function roleOps(w: WorkerModel, rng: Prng): [number, () => Prepared | undefined][] {
  const pickRole = (filter: (r: RoleModel) => boolean) => {
    const roles = w.roles.filter(filter);
    return roles.length === 0 ? undefined : rng.pick(roles);
  };
  return [
    [4, () => {
      const r = pickRole((x) => x.state === 'absent');
      return r && {
        name: 'CreateRole', write: true,
        send: (c) => c.iam.send(new CreateRoleCommand({ RoleName: r.name, AssumeRolePolicyDocument: TRUST_ACCOUNT })),
        ack: () => Object.assign(r, { state: 'present', attached: new Map() }),
        lost: () => (r.state = 'unknown'),
      };
    }],
    [2, () => {
      const r = pickRole((x) => x.state === 'present' && nothingAttached(x));
      return r && {
        name: 'DeleteRole', write: true,
        send: (c) => c.iam.send(new DeleteRoleCommand({ RoleName: r.name })),
        ack: () => Object.assign(r, { state: 'absent', incarnation: r.incarnation + 1 }),
        lost: () => Object.assign(r, { state: 'unknown', incarnation: r.incarnation + 1 }),
      };
    }],
    [4, () => {
      const r = pickRole((x) => x.state === 'present');
      if (!r) return undefined;
      const arn = rng.pick(attachable(w).filter((a) => policyUsable(w, a) && (r.attached.get(a) ?? 'absent') === 'absent'));
      return arn === undefined ? undefined : {
        name: 'AttachRolePolicy', write: true,
        send: (c) => c.iam.send(new AttachRolePolicyCommand({ RoleName: r.name, PolicyArn: arn })),
        ack: () => r.attached.set(arn, 'present'),
        lost: () => r.attached.set(arn, 'unknown'),
      };
    }],
    [3, () => {
      const r = pickRole((x) => x.state === 'present' && [...x.attached.values()].includes('present'));
      if (!r) return undefined;
      const arn = rng.pick([...r.attached].filter(([, s]) => s === 'present').map(([a]) => a));
      return {
        name: 'DetachRolePolicy', write: true,
        send: (c) => c.iam.send(new DetachRolePolicyCommand({ RoleName: r.name, PolicyArn: arn })),
        ack: () => r.attached.set(arn, 'absent'),
        lost: () => r.attached.set(arn, 'unknown'),
      };
    }],
    [4, () => {
      // A user with a key it holds the secret of and the inline policy that allows it assumes a role.
      const users = w.users.filter((u) => u.state === 'present' && u.inline === 'present' && presentKeys(u).some((k) => k.secret));
      const roles = w.roles.filter((x) => x.state === 'present');
      if (users.length === 0 || roles.length === 0) return undefined;
      const user = rng.pick(users);
      const key = rng.pick(presentKeys(user).filter((k) => k.secret));
      const role = rng.pick(roles);
      const sessionName = `s${rng.int(0, 1e9)}`;
      return {
        name: 'AssumeRole', write: true,
        send: (c) => c.sts({ accessKeyId: key.id, secretAccessKey: key.secret! }).send(new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/${role.name}`, RoleSessionName: sessionName,
        })),
        ack: (out) => {
          const creds = (out as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }).Credentials;
          w.sessions.push({
            accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey, sessionToken: creds.SessionToken,
            roleName: role.name, roleIncarnation: role.incarnation, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role.name}/${sessionName}`,
          });
          if (w.sessions.length > 24) w.sessions.shift();
        },
        lost: () => {},
      };
    }],
    [2, () => {
      const r = pickRole((x) => x.state !== 'unknown');
      return r && predictedRead('GetRole', r.state === 'present', (c) => c.iam.send(new GetRoleCommand({ RoleName: r.name })));
    }],
  ];
}

function policyOps(w: WorkerModel, rng: Prng): [number, () => Prepared | undefined][] {
  return [
    [3, () => {
      const candidates = absent(w.policies);
      if (candidates.length === 0) return undefined;
      const p = rng.pick(candidates);
      return {
        name: 'CreatePolicy', write: true,
        send: (c) => c.iam.send(new CreatePolicyCommand({ PolicyName: p.name, PolicyDocument: policyDocument(p.name) })),
        ack: () => (p.state = 'present'),
        lost: () => (p.state = 'unknown'),
      };
    }],
    [2, () => {
      const candidates = present(w.policies).filter((p) => {
        const { count, certain } = attachmentsOf(w, p.arn);
        return certain && count === 0;
      });
      if (candidates.length === 0) return undefined;
      const p = rng.pick(candidates);
      return {
        name: 'DeletePolicy', write: true,
        send: (c) => c.iam.send(new DeletePolicyCommand({ PolicyArn: p.arn })),
        ack: () => (p.state = 'absent'),
        lost: () => (p.state = 'unknown'),
      };
    }],
  ];
}

function serviceRoleOps(w: WorkerModel, rng: Prng): [number, () => Prepared | undefined][] {
  const pick = (filter: (s: ServiceRoleModel) => boolean) => {
    const roles = w.serviceRoles.filter(filter);
    return roles.length === 0 ? undefined : rng.pick(roles);
  };
  return [
    [3, () => {
      // MemoryDB's role comes with the first cluster; the others are created directly.
      const s = pick((x) => x.state === 'absent' && x.service !== MEMORYDB);
      return s && {
        name: 'CreateServiceLinkedRole', write: true,
        send: (c) => c.iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: s.service })),
        ack: () => (s.state = 'present'),
        lost: () => (s.state = 'unknown'),
      };
    }],
    [3, () => {
      const s = pick((x) => x.state === 'present');
      return s && {
        name: 'DeleteServiceLinkedRole', write: true,
        send: (c) => c.iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: s.roleName })),
        ack: (out) => {
          s.tasks.push((out as { DeletionTaskId: string }).DeletionTaskId);
          s.state = 'deleting';
        },
        lost: () => (s.state = 'unknown'),
      };
    }],
    [4, () => {
      // Following a task to its end, as a client would, frees the role for the next round of the mix.
      const s = pick((x) => x.state === 'deleting');
      if (!s) return undefined;
      const task = s.tasks[s.tasks.length - 1]!;
      return {
        name: 'GetServiceLinkedRoleDeletionStatus', write: false,
        send: (c) => c.iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: task })),
        ack: (out) => {
          const status = (out as { Status: string }).Status;
          if (status !== 'SUCCEEDED' && status !== 'FAILED') return;
          s.state = status === 'SUCCEEDED' ? 'absent' : 'present';
          s.tasks = [];
        },
        lost: () => {},
      };
    }],
  ];
}

function clusterOps(w: WorkerModel, rng: Prng): [number, () => Prepared | undefined][] {
  if (w.clusters.length === 0) return [];
  const memorydbRole = w.serviceRoles.find((s) => s.service === MEMORYDB);
  const pick = (filter: (c: ClusterModel) => boolean) => {
    const clusters = w.clusters.filter(filter);
    return clusters.length === 0 ? undefined : rng.pick(clusters);
  };
  // Weighted high: only one worker makes clusters, and their lifecycles are the background work a
  // kill should land in as often as in a request.
  return [
    [14, () => {
      const cluster = pick((x) => x.state === 'absent');
      return cluster && {
        name: 'CreateCluster', write: true,
        send: (c) => c.memorydb.send(new CreateClusterCommand({
          ClusterName: cluster.name, NodeType: 'db.t4g.small', ACLName: 'open-access', NumShards: 1, NumReplicasPerShard: 0,
        })),
        ack: () => {
          cluster.state = 'present';
          // The cluster's transaction found the role or created it. A deletion task pending meanwhile
          // either saw the cluster and failed, or removed the role before it, and then the cluster made
          // it anew: either way the role is there; the task is still followed to its end.
          if (memorydbRole && memorydbRole.state !== 'unknown') memorydbRole.state = 'present';
        },
        lost: () => {
          cluster.state = 'unknown';
          if (memorydbRole && memorydbRole.state !== 'present') memorydbRole.state = 'unknown';
        },
      };
    }],
    [10, () => {
      const cluster = pick((x) => x.state === 'present');
      return cluster && {
        name: 'DeleteCluster', write: true,
        // A cluster still being created (or updated) cannot be deleted yet.
        expected: ['InvalidClusterStateFault'],
        send: (c) => c.memorydb.send(new DeleteClusterCommand({ ClusterName: cluster.name })),
        ack: () => (cluster.state = 'deleting'),
        lost: () => (cluster.state = 'unknown'),
      };
    }],
    [6, () => {
      // A cluster whose deletion was acknowledged is gone once DescribeClusters stops listing it.
      if (!w.clusters.some((x) => x.state === 'deleting')) return undefined;
      return {
        name: 'DescribeClusters', write: false,
        send: (c) => c.memorydb.send(new DescribeClustersCommand({})),
        ack: (out) => {
          const listed = new Set(((out as { Clusters?: { Name?: string }[] }).Clusters ?? []).map((x) => x.Name));
          for (const x of w.clusters) if (x.state === 'deleting' && !listed.has(x.name)) x.state = 'absent';
        },
        lost: () => {},
      };
    }],
  ];
}

/** The worker's next request, chosen by weight among those its model allows. */
export function nextOperation(w: WorkerModel, rng: Prng): Prepared {
  const makers = [...userOps(w, rng), ...roleOps(w, rng), ...policyOps(w, rng), ...serviceRoleOps(w, rng), ...clusterOps(w, rng)];
  for (let tries = 0; tries < 20; tries++) {
    const made = rng.weighted(makers)();
    if (made) return made;
  }
  // Everything the model allows was refused by chance draws: a read is always possible.
  const u = rng.pick(w.users.filter((x) => x.state !== 'unknown'));
  return predictedRead('GetUser', u.state === 'present', (c) => c.iam.send(new GetUserCommand({ UserName: u.name })));
}
