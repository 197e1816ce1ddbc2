// CreateSubnetGroup, DescribeSubnetGroups, DeleteSubnetGroup. The `default` group is always there
// (network.ts); it cannot be created again nor deleted, and a group clusters use cannot be deleted.

import type { CallContext, Operation } from '../../../common/call.ts';
import { memoryDbArn } from '../arn.ts';
import { requestTagContext, resourceTagContext } from '../../../authz/tag-context.ts';
import { memoryDbCheck } from '../authz.ts';
import { invalidParameterValue, subnetGroupExists, subnetGroupInUse, subnetGroupNotFound } from '../errors.ts';
import { deleteDoc, getDoc, insertDoc, KIND, listDocs, type ClusterDoc, type SubnetGroupDoc, type Tag } from '../model.ts';
import { operation, page } from '../operation.ts';
import { allSubnetGroups, DEFAULT_SUBNET_GROUP, findSubnetGroup, resolveSubnets } from '../network.ts';
import { checkName, checkTags } from '../validate.ts';
import { subnetGroupView } from '../views.ts';

const groupArn = (ctx: CallContext, name: string) => memoryDbArn(ctx.region, ctx.account, 'subnetgroup', name);

export function subnetGroupOperations(): Operation[] {
  const createSubnetGroup = operation<{ SubnetGroupName: string; Description?: string; SubnetIds: string[]; Tags?: Tag[] }>('CreateSubnetGroup', {
    authorize: (input, ctx) => [memoryDbCheck('CreateSubnetGroup', groupArn(ctx, input.SubnetGroupName), requestTagContext(input.Tags))],
    async handle(input, ctx, tx) {
      checkName('Subnet group', input.SubnetGroupName, 255);
      const tags = checkTags(input.Tags);
      if (input.SubnetIds.length === 0) throw invalidParameterValue('At least one subnet ID must be specified.');
      if (await findSubnetGroup(tx, ctx.account, ctx.region, input.SubnetGroupName)) throw subnetGroupExists(input.SubnetGroupName);
      const network = await resolveSubnets(tx, ctx.account, ctx.region, input.SubnetIds);
      const group: SubnetGroupDoc = {
        Name: input.SubnetGroupName,
        ARN: groupArn(ctx, input.SubnetGroupName),
        region: ctx.region,
        Description: input.Description ?? '',
        VpcId: network.vpcId,
        Subnets: network.subnets,
        Tags: tags,
      };
      await insertDoc(tx, ctx.account, KIND.subnetGroup, group, subnetGroupExists);
      return { SubnetGroup: subnetGroupView(group) };
    },
  });

  // Not read-only: the default group is derived from EC2's default network, made on first use.
  const describeSubnetGroups = operation<{ SubnetGroupName?: string; MaxResults?: number; NextToken?: string }>('DescribeSubnetGroups', {
    async authorize(input, ctx, tx) {
      if (input.SubnetGroupName === undefined) return [memoryDbCheck('DescribeSubnetGroups', groupArn(ctx, '*'))];
      const stored = await getDoc<SubnetGroupDoc>(tx, ctx.account, KIND.subnetGroup, ctx.region, input.SubnetGroupName);
      return [memoryDbCheck('DescribeSubnetGroups', groupArn(ctx, input.SubnetGroupName), resourceTagContext(stored?.Tags))];
    },
    async handle(input, ctx, tx) {
      let groups: SubnetGroupDoc[];
      if (input.SubnetGroupName !== undefined) {
        const group = await findSubnetGroup(tx, ctx.account, ctx.region, input.SubnetGroupName);
        if (!group) throw subnetGroupNotFound(input.SubnetGroupName);
        groups = [group];
      } else {
        groups = await allSubnetGroups(tx, ctx.account, ctx.region);
      }
      const { items, next } = page(groups, input);
      return { SubnetGroups: items.map(subnetGroupView), NextToken: next };
    },
  });

  const deleteSubnetGroup = operation<{ SubnetGroupName: string }>('DeleteSubnetGroup', {
    async authorize(input, ctx, tx) {
      const stored = await getDoc<SubnetGroupDoc>(tx, ctx.account, KIND.subnetGroup, ctx.region, input.SubnetGroupName);
      return [memoryDbCheck('DeleteSubnetGroup', groupArn(ctx, input.SubnetGroupName), resourceTagContext(stored?.Tags))];
    },
    async handle(input, ctx, tx) {
      if (input.SubnetGroupName === DEFAULT_SUBNET_GROUP) throw invalidParameterValue('The default subnet group cannot be deleted.');
      const group = await getDoc<SubnetGroupDoc>(tx, ctx.account, KIND.subnetGroup, ctx.region, input.SubnetGroupName);
      if (!group) throw subnetGroupNotFound(input.SubnetGroupName);
      const clusters = await listDocs<ClusterDoc>(tx, ctx.account, KIND.cluster, ctx.region);
      if (clusters.some((c) => c.SubnetGroupName === group.Name)) throw subnetGroupInUse(group.Name);
      await deleteDoc(tx, ctx.account, KIND.subnetGroup, ctx.region, group.Name);
      return { SubnetGroup: subnetGroupView(group) };
    },
  });

  return [createSubnetGroup, describeSubnetGroups, deleteSubnetGroup];
}
