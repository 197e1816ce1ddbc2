// One MemoryDB operation: `memorydb:<Name>` checks and a handler, over plain objects named as in the model.

import { defineOperation, type AuthzCheck, type CallContext, type Operation } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import type { LinkedHost } from '../linked/index.ts';

export const SERVICE_PRINCIPAL = 'memorydb.amazonaws.com';
export const CLUSTER_JOB = 'memorydb:cluster';
export const SNAPSHOT_JOB = 'memorydb:snapshot';

export interface MemoryDbDeps {
  host: LinkedHost;
}

export interface MemoryDbOperationSpec<I> {
  readOnly?: boolean;
  authorize(input: I, ctx: CallContext, tx: Tx): Promise<AuthzCheck[]> | AuthzCheck[];
  handle(input: I, ctx: CallContext, tx: Tx): Promise<Record<string, unknown>>;
}

export const memoryDbOperation = <I>(name: string, spec: MemoryDbOperationSpec<I>): Operation => defineOperation('memorydb', name, spec);
