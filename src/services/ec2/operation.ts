// The shape every EC2 operation shares: it acts on one (account, region) whose defaults exist, and a
// request with `DryRun=true` stops right after authorization with DryRunOperation, as EC2 does.

import type { AuthzCheck, CallContext, Operation } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { dryRunOperation } from './errors.ts';
import { regionOf, type Region } from './region.ts';

type Input = Record<string, unknown>;

export interface Ec2OperationSpec<I> {
  name: string;
  authorize(input: I, r: Region, ctx: CallContext): Promise<AuthzCheck[]> | AuthzCheck[];
  handle(input: I, r: Region, ctx: CallContext): Promise<Record<string, unknown> | void>;
}

export function ec2Operation<I extends { DryRun?: boolean }>(spec: Ec2OperationSpec<I>): Operation {
  return {
    service: 'ec2',
    name: spec.name,
    async authorize(input: Input, ctx: CallContext, tx: Tx) {
      return spec.authorize(input as I, await regionOf(ctx, tx), ctx);
    },
    async handle(input: Input, ctx: CallContext, tx: Tx) {
      if ((input as I).DryRun === true) throw dryRunOperation();
      return spec.handle(input as I, await regionOf(ctx, tx), ctx);
    },
  };
}
