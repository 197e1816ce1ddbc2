// The (account, region) an EC2 call acts on, with its defaults in place, and the look-ups every
// operation makes: a resource by id, or EC2's error for that kind of id.

import type { CallContext } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { ensureDefaults } from './defaults.ts';
import {
  groupIdMalformed, groupNotFound, networkInterfaceMalformed, networkInterfaceNotFound, subnetNotFound,
  vpcEndpointNotFound, vpcNotFound,
} from './errors.ts';
import {
  getResource, NETWORK_INTERFACE, SECURITY_GROUP, SUBNET, VPC, VPC_ENDPOINT,
  type DefaultsDoc, type NetworkInterfaceDoc, type SecurityGroupDoc, type SubnetDoc, type VpcDoc, type VpcEndpointDoc,
} from './model.ts';

export interface Region {
  tx: Tx;
  account: string;
  region: string;
  defaults: DefaultsDoc;
}

export async function regionOf(ctx: CallContext, tx: Tx): Promise<Region> {
  return { tx, account: ctx.account, region: ctx.region, defaults: await ensureDefaults(tx, ctx.account, ctx.region) };
}

export async function requireVpc(r: Region, id: string): Promise<VpcDoc> {
  const doc = id.startsWith('vpc-') ? await getResource(r.tx, r.account, r.region, VPC, id) : undefined;
  if (!doc) throw vpcNotFound(id);
  return doc;
}

export async function requireSubnet(r: Region, id: string): Promise<SubnetDoc> {
  const doc = id.startsWith('subnet-') ? await getResource(r.tx, r.account, r.region, SUBNET, id) : undefined;
  if (!doc) throw subnetNotFound(id);
  return doc;
}

export async function requireGroup(r: Region, id: string): Promise<SecurityGroupDoc> {
  if (!id.startsWith('sg-')) throw groupIdMalformed(id);
  const doc = await getResource(r.tx, r.account, r.region, SECURITY_GROUP, id);
  if (!doc) throw groupNotFound(id);
  return doc;
}

export async function requireNetworkInterface(r: Region, id: string): Promise<NetworkInterfaceDoc> {
  if (!id.startsWith('eni-')) throw networkInterfaceMalformed(id);
  const doc = await getResource(r.tx, r.account, r.region, NETWORK_INTERFACE, id);
  if (!doc) throw networkInterfaceNotFound(id);
  return doc;
}

export async function findVpcEndpoint(r: Region, id: string): Promise<VpcEndpointDoc | undefined> {
  return id.startsWith('vpce-') ? getResource(r.tx, r.account, r.region, VPC_ENDPOINT, id) : undefined;
}

export async function requireVpcEndpoint(r: Region, id: string): Promise<VpcEndpointDoc> {
  const doc = await findVpcEndpoint(r, id);
  if (!doc) throw vpcEndpointNotFound(id);
  return doc;
}

/** Each id once, in the order given. */
export function unique(ids: readonly string[] | undefined): string[] {
  return [...new Set(ids ?? [])];
}
