// Cache subnet groups: the subnets (of one VPC) a cluster's nodes may be placed in. A cluster created
// without one goes into the `default` group of the default VPC, which ElastiCache makes on first use.

import type { CallContext, Operation } from '../../../common/call.ts';
import { UniqueViolation, type Tx } from '../../../store/types.ts';
import { ensureRole, type LinkedHost } from '../../linked/index.ts';
import { elastiCacheArn } from '../arn.ts';
import { on, onExisting, onNew } from '../authz.ts';
import {
  cacheSubnetGroupAlreadyExists, cacheSubnetGroupInUse, cacheSubnetGroupNotFound, invalidParameterValue, invalidSubnet,
} from '../errors.ts';
import {
  CLUSTER, deleteResource, getResource, insertResource, listResources, SUBNET_GROUP, type SubnetGroupDoc,
} from '../model.ts';
import { defaultSubnets, subnetsOf, type SubnetInfo } from '../network.ts';
import { operation, page, type PageInput } from '../operation.ts';
import { PRINCIPAL } from '../role.ts';
import { identifier, tagsOf } from '../validate.ts';
import { subnetGroupView } from '../views.ts';

export const DEFAULT_SUBNET_GROUP = 'default';
const MAX_SUBNETS = 20;

function subnetGroupDoc(ctx: CallContext, name: string, description: string, subnets: SubnetInfo[], tags: SubnetGroupDoc['Tags']): SubnetGroupDoc {
  return {
    CacheSubnetGroupName: name,
    CacheSubnetGroupDescription: description,
    VpcId: subnets[0].vpcId,
    Subnets: subnets.map((s) => ({ SubnetIdentifier: s.subnetId, SubnetAvailabilityZone: { Name: s.availabilityZone }, SupportedNetworkTypes: ['ipv4'] })),
    ARN: elastiCacheArn(ctx.region, ctx.account, 'subnetgroup', name),
    SupportedNetworkTypes: ['ipv4'],
    Tags: tags,
    internal: { region: ctx.region },
  };
}

/** The group a new cluster is placed in: the one named (which must exist), or `default`, made now if need be. */
export async function subnetGroupFor(tx: Tx, ctx: CallContext, name: string | undefined): Promise<SubnetGroupDoc> {
  const wanted = (name ?? DEFAULT_SUBNET_GROUP).toLowerCase();
  const existing = await getResource(tx, ctx.account, ctx.region, SUBNET_GROUP, wanted);
  if (existing) return existing;
  if (name !== undefined && wanted !== DEFAULT_SUBNET_GROUP) throw cacheSubnetGroupNotFound(wanted);
  const doc = subnetGroupDoc(ctx, DEFAULT_SUBNET_GROUP, 'Default CacheSubnetGroup', await defaultSubnets(tx, ctx.account, ctx.region), []);
  await insertResource(tx, ctx.account, ctx.region, SUBNET_GROUP, DEFAULT_SUBNET_GROUP, doc);
  return doc;
}

interface CreateInput {
  CacheSubnetGroupName: string;
  CacheSubnetGroupDescription: string;
  SubnetIds: string[];
  Tags?: { Key?: string; Value?: string }[];
}

export function subnetGroupOperations(host: LinkedHost): Operation[] {
  const create = operation<CreateInput>('CreateCacheSubnetGroup', {
    authorize: (input, ctx) => onNew(ctx, 'CreateCacheSubnetGroup', 'subnetgroup', input.CacheSubnetGroupName.toLowerCase(), tagsOf(input.Tags)),
    async handle(input, ctx, tx) {
      const name = identifier('CacheSubnetGroupName', input.CacheSubnetGroupName, 255);
      if (name === DEFAULT_SUBNET_GROUP) throw invalidParameterValue('Cannot create a cache subnet group named default; the name is reserved.');
      const tags = tagsOf(input.Tags);
      const ids = [...new Set(input.SubnetIds)];
      if (ids.length === 0) throw invalidParameterValue('The parameter SubnetIds must contain at least one subnet.');
      if (ids.length > MAX_SUBNETS) throw invalidParameterValue(`A cache subnet group can contain at most ${MAX_SUBNETS} subnets.`);
      const known = await subnetsOf(tx, ctx.account, ctx.region);
      const subnets = ids.map((id) => {
        const subnet = known.get(id);
        if (!subnet) throw invalidSubnet(`The subnet ID ${id} does not exist`);
        return subnet;
      });
      if (new Set(subnets.map((s) => s.vpcId)).size > 1) throw invalidSubnet('Subnets in a cache subnet group must all belong to the same VPC.');
      await ensureRole(host, ctx, tx, PRINCIPAL);
      const doc = subnetGroupDoc(ctx, name, input.CacheSubnetGroupDescription, subnets, tags);
      try {
        await insertResource(tx, ctx.account, ctx.region, SUBNET_GROUP, name, doc);
      } catch (error) {
        if (error instanceof UniqueViolation) throw cacheSubnetGroupAlreadyExists(name);
        throw error;
      }
      return { CacheSubnetGroup: subnetGroupView(doc) };
    },
  });

  const describe = operation<{ CacheSubnetGroupName?: string } & PageInput>('DescribeCacheSubnetGroups', {
    readOnly: true,
    authorize: (input, ctx) => [on(ctx, 'DescribeCacheSubnetGroups', 'subnetgroup', input.CacheSubnetGroupName?.toLowerCase())],
    async handle(input, ctx, tx) {
      let groups: SubnetGroupDoc[];
      if (input.CacheSubnetGroupName !== undefined) {
        const doc = await getResource(tx, ctx.account, ctx.region, SUBNET_GROUP, input.CacheSubnetGroupName);
        if (!doc) throw cacheSubnetGroupNotFound(input.CacheSubnetGroupName.toLowerCase());
        groups = [doc];
      } else {
        groups = await listResources(tx, ctx.account, ctx.region, SUBNET_GROUP);
      }
      const { items, next } = page(groups, (g) => g.CacheSubnetGroupName, input, { min: 20, max: 100 });
      return { CacheSubnetGroups: items.map(subnetGroupView), Marker: next };
    },
  });

  const remove = operation<{ CacheSubnetGroupName: string }>('DeleteCacheSubnetGroup', {
    async authorize(input, ctx, tx) {
      const doc = await getResource(tx, ctx.account, ctx.region, SUBNET_GROUP, input.CacheSubnetGroupName);
      return [onExisting(ctx, 'DeleteCacheSubnetGroup', 'subnetgroup', input.CacheSubnetGroupName.toLowerCase(), doc?.Tags ?? [])];
    },
    async handle(input, ctx, tx) {
      const name = input.CacheSubnetGroupName.toLowerCase();
      const doc = await getResource(tx, ctx.account, ctx.region, SUBNET_GROUP, name);
      if (!doc) throw cacheSubnetGroupNotFound(name);
      const clusters = await listResources(tx, ctx.account, ctx.region, CLUSTER);
      if (clusters.some((c) => c.CacheSubnetGroupName === name)) throw cacheSubnetGroupInUse(name);
      if (name === DEFAULT_SUBNET_GROUP) throw invalidParameterValue('Cannot delete default cache subnet group.');
      await deleteResource(tx, ctx.account, ctx.region, SUBNET_GROUP, name);
    },
  });

  return [create, describe, remove];
}
