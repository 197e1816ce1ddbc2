// Loading the entity an operation names, or answering with AWS's NoSuchEntity text.

import type { Entity, Tx } from '../store/types.ts';
import { noSuchGroup, noSuchRole, noSuchUser } from './errors.ts';
import { KIND, nameKey, type GroupDoc, type RoleDoc, type UserDoc } from './model.ts';

export async function requireUser(tx: Tx, account: string, name: string): Promise<Entity<UserDoc>> {
  const e = await tx.get<UserDoc>(account, KIND.user, nameKey(name));
  if (!e) throw noSuchUser(name);
  return e;
}

export async function requireGroup(tx: Tx, account: string, name: string): Promise<Entity<GroupDoc>> {
  const e = await tx.get<GroupDoc>(account, KIND.group, nameKey(name));
  if (!e) throw noSuchGroup(name);
  return e;
}

export async function requireRole(tx: Tx, account: string, name: string): Promise<Entity<RoleDoc>> {
  const e = await tx.get<RoleDoc>(account, KIND.role, nameKey(name));
  if (!e) throw noSuchRole(name);
  return e;
}

export const findUser = async (tx: Tx, account: string, name: string): Promise<UserDoc | undefined> =>
  (await tx.get<UserDoc>(account, KIND.user, nameKey(name)))?.doc;

export const findRole = async (tx: Tx, account: string, name: string): Promise<RoleDoc | undefined> =>
  (await tx.get<RoleDoc>(account, KIND.role, nameKey(name)))?.doc;

/** Path filters are plain string prefixes (`/a` matches `/ab/`), as AWS applies them. */
export const underPath = (path: string, prefix: string | undefined): boolean => prefix === undefined || path.startsWith(prefix);

/**
 * The `keep` filter of a paged listing by PathPrefix — none when the request gives no prefix: an
 * unfiltered page reads exactly a page and one more from the store, where a filtered one reads in
 * batches of hundreds (and decodes every row of them).
 */
export const pathFilter = <T extends { Path: string }>(prefix: string | undefined): ((entity: Entity<T>) => boolean) | undefined =>
  prefix === undefined ? undefined : (entity) => entity.doc.Path.startsWith(prefix);
