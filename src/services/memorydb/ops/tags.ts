// TagResource, UntagResource, ListTags on clusters, snapshots and subnet groups, by ARN. An ARN
// MemoryDB cannot read is InvalidARNFault; one of another account or region names nothing here.

import type { CallContext, Operation } from '../../../common/call.ts';
import type { Tx } from '../../../store/types.ts';
import { parseMemoryDbArn, type ParsedArn } from '../arn.ts';
import { requestTagContext, resourceTagContext } from '../../../authz/tag-context.ts';
import { memoryDbCheck } from '../authz.ts';
import { aclNotFound, clusterNotFound, invalidArn, parameterGroupNotFound, snapshotNotFound, subnetGroupNotFound, tagNotFound } from '../errors.ts';
import { getDoc, KIND, saveDoc, type ClusterDoc, type SnapshotDoc, type SubnetGroupDoc, type Tag } from '../model.ts';
import { operation } from '../operation.ts';
import { findSubnetGroup } from '../network.ts';
import { checkTags } from '../validate.ts';

type Taggable = ClusterDoc | SnapshotDoc | SubnetGroupDoc;

const KIND_OF = { cluster: KIND.cluster, snapshot: KIND.snapshot, subnetgroup: KIND.subnetGroup } as const;

function parse(arn: string): ParsedArn {
  const parsed = parseMemoryDbArn(arn);
  if (!parsed) throw invalidArn(arn);
  return parsed;
}

function notFound(arn: ParsedArn) {
  switch (arn.type) {
    case 'cluster': return clusterNotFound(arn.name);
    case 'snapshot': return snapshotNotFound(arn.name);
    case 'subnetgroup': return subnetGroupNotFound(arn.name);
    case 'acl': return aclNotFound(arn.name);
    case 'parametergroup': return parameterGroupNotFound(arn.name);
  }
}

/** The tagged resource, or undefined when the ARN names none of the caller's (in its account and region). */
async function findTaggable(tx: Tx, ctx: CallContext, arn: ParsedArn): Promise<{ kind: string; doc: Taggable } | undefined> {
  if (arn.account !== ctx.account || arn.region !== ctx.region) return undefined;
  if (arn.type === 'subnetgroup') {
    const group = await findSubnetGroup(tx, ctx.account, ctx.region, arn.name);
    return group && { kind: KIND.subnetGroup, doc: group };
  }
  if (arn.type !== 'cluster' && arn.type !== 'snapshot') return undefined;
  const doc = await getDoc<Taggable>(tx, ctx.account, KIND_OF[arn.type], ctx.region, arn.name);
  return doc && { kind: KIND_OF[arn.type], doc };
}

async function requireTaggable(tx: Tx, ctx: CallContext, resourceArn: string): Promise<{ kind: string; doc: Taggable }> {
  const arn = parse(resourceArn);
  const found = await findTaggable(tx, ctx, arn);
  if (!found) throw notFound(arn);
  return found;
}

async function existingTags(tx: Tx, ctx: CallContext, resourceArn: string): Promise<Tag[] | undefined> {
  const arn = parseMemoryDbArn(resourceArn);
  return arn && (await findTaggable(tx, ctx, arn))?.doc.Tags;
}

export function tagOperations(): Operation[] {
  const tagResource = operation<{ ResourceArn: string; Tags: Tag[] }>('TagResource', {
    async authorize(input, ctx, tx) {
      parse(input.ResourceArn);
      const context = { ...resourceTagContext(await existingTags(tx, ctx, input.ResourceArn)), ...requestTagContext(input.Tags) };
      return [memoryDbCheck('TagResource', input.ResourceArn, context)];
    },
    async handle(input, ctx, tx) {
      const { kind, doc } = await requireTaggable(tx, ctx, input.ResourceArn);
      const tagged = { ...doc, Tags: checkTags(input.Tags, doc.Tags) };
      await saveDoc(tx, ctx.account, kind, tagged);
      return { TagList: tagged.Tags };
    },
  });

  const untagResource = operation<{ ResourceArn: string; TagKeys: string[] }>('UntagResource', {
    async authorize(input, ctx, tx) {
      parse(input.ResourceArn);
      const context = { ...resourceTagContext(await existingTags(tx, ctx, input.ResourceArn)), 'aws:TagKeys': input.TagKeys };
      return [memoryDbCheck('UntagResource', input.ResourceArn, context)];
    },
    async handle(input, ctx, tx) {
      const { kind, doc } = await requireTaggable(tx, ctx, input.ResourceArn);
      for (const key of input.TagKeys) if (!doc.Tags.some((t) => t.Key === key)) throw tagNotFound(key);
      const untagged = { ...doc, Tags: doc.Tags.filter((t) => !input.TagKeys.includes(t.Key)) };
      await saveDoc(tx, ctx.account, kind, untagged);
      return { TagList: untagged.Tags };
    },
  });

  // Not read-only: the default subnet group is derived from EC2's default network, made on first use.
  const listTags = operation<{ ResourceArn: string }>('ListTags', {
    async authorize(input, ctx, tx) {
      parse(input.ResourceArn);
      return [memoryDbCheck('ListTags', input.ResourceArn, resourceTagContext(await existingTags(tx, ctx, input.ResourceArn)))];
    },
    async handle(input, ctx, tx) {
      const { doc } = await requireTaggable(tx, ctx, input.ResourceArn);
      return { TagList: doc.Tags };
    },
  });

  return [tagResource, untagResource, listTags];
}
