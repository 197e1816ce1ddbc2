// What the client knows about the account after the answers it got: each worker's entities and, for
// each, whether it is there. An acknowledged write makes a fact certain; a request that got no answer
// (cut off by the kill) makes the facts it touched `unknown` — it may or may not have happened — until
// the check after the restart reads what is really there and adopts it.
//
// Each worker owns its entities (names carry its prefix), so its requests run one after another and
// at most one of them is in flight when the server dies.

export type State = 'present' | 'absent' | 'unknown';
/** Background work the server has acknowledged but not finished (a deletion task, a cluster going). */
export type Pending = 'deleting';

export interface KeyModel {
  id: string;
  /** Unknown for a key the check found but whose creation was never answered. */
  secret?: string;
  state: State;
}

export interface UserModel {
  name: string;
  state: State;
  keys: Map<string, KeyModel>;
  /** A CreateAccessKey was cut off: the user may have a key the client never saw. */
  unseenKey: boolean;
  attached: Map<string, State>;
  /** The inline policy that lets the user assume this worker's roles. */
  inline: State;
}

export interface RoleModel {
  name: string;
  state: State;
  /** Bumped by every deletion: a session is valid only for the incarnation it was issued for. */
  incarnation: number;
  attached: Map<string, State>;
}

export interface PolicyModel {
  name: string;
  arn: string;
  state: State;
}

export interface ServiceRoleModel {
  service: string;
  roleName: string;
  /** `deleting` while the latest task decides the role's fate; anything since (a cluster made) decides it instead. */
  state: State | Pending;
  /** Deletion tasks acknowledged (or found) since the last check, oldest first: each must reach its end. */
  tasks: string[];
}

export interface ClusterModel {
  name: string;
  state: State | Pending;
}

export interface SessionModel {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  roleName: string;
  roleIncarnation: number;
  arn: string;
}

export interface WorkerModel {
  id: number;
  prefix: string;
  users: UserModel[];
  roles: RoleModel[];
  policies: PolicyModel[];
  serviceRoles: ServiceRoleModel[];
  clusters: ClusterModel[];
  sessions: SessionModel[];
}

export const ACCOUNT = '123456789012';
/** An AWS managed policy, attached beside the worker's own (its AttachmentCount is checked too). */
export const AWS_POLICY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
export const MEMORYDB = 'memorydb.amazonaws.com';

export interface WorldShape {
  users: number;
  roles: number;
  policies: number;
  clusters: number;
}

export const DEFAULT_SHAPE: WorldShape = { users: 4, roles: 3, policies: 3, clusters: 2 };

export function newWorker(id: number, services: { service: string; roleName: string }[], shape: WorldShape, withClusters: boolean): WorkerModel {
  const prefix = `crash${id}`;
  return {
    id,
    prefix,
    users: Array.from({ length: shape.users }, (_, i) => ({
      name: `${prefix}-u${i}`, state: 'absent', keys: new Map(), unseenKey: false, attached: new Map(), inline: 'absent',
    })),
    roles: Array.from({ length: shape.roles }, (_, i) => ({ name: `${prefix}-r${i}`, state: 'absent', incarnation: 0, attached: new Map() })),
    policies: Array.from({ length: shape.policies }, (_, i) => ({
      name: `${prefix}-p${i}`, arn: `arn:aws:iam::${ACCOUNT}:policy/${prefix}-p${i}`, state: 'absent',
    })),
    serviceRoles: services.map((s) => ({ ...s, state: 'absent', tasks: [] })),
    clusters: withClusters ? Array.from({ length: shape.clusters }, (_, i) => ({ name: `${prefix}-m${i}`, state: 'absent' })) : [],
    sessions: [],
  };
}

/** The ARNs a worker attaches: its own policies and one AWS managed policy. */
export const attachable = (w: WorkerModel): string[] => [...w.policies.map((p) => p.arn), AWS_POLICY];

/** How many of the worker's users and roles the model has `arn` attached to, and whether that is certain. */
export function attachmentsOf(w: WorkerModel, arn: string): { count: number; certain: boolean } {
  let count = 0;
  let certain = true;
  for (const owner of [...w.users, ...w.roles]) {
    const s = owner.attached.get(arn) ?? 'absent';
    if (s === 'present') count++;
    if (s === 'unknown') certain = false;
  }
  return { count, certain };
}
