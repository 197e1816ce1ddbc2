// Amazon MQ's broker operations: CreateBroker, DescribeBroker, ListBrokers, UpdateBroker, DeleteBroker.
//
// Authorization, as the Service Authorization Reference lists it: CreateBroker and ListBrokers have no
// resource type (they are authorized on `*`; CreateBroker with `aws:RequestTag/…` and `aws:TagKeys`),
// the others act on the broker's ARN `arn:aws:mq:REGION:ACCOUNT:broker:NAME:ID` with `aws:ResourceTag/…`.
// A denial is ForbiddenException (errors.ts). Every operation first refuses a region where Amazon MQ
// has no service-linked role (regions.ts).

import { randomUUID } from 'node:crypto';
import type { AuthzCheck, CallContext, Operation } from '../../../common/call.ts';
import type { Tx } from '../../../store/types.ts';
import { requestTagContext, resourceTagContext } from '../../../authz/tag-context.ts';
import { ensureRole, scheduleStep, type LinkedHost } from '../../linked/index.ts';
import { brokerArn } from '../arn.ts';
import { badRequest, brokerNotFound, conflict, regionNotAvailable } from '../errors.ts';
import { BROKER_JOB, type StepPayload } from '../lifecycle.ts';
import { getBroker, insertBroker, listBrokers, updateBroker, type BrokerDoc, type WeeklyStartTime } from '../model.ts';
import { placeBroker } from '../network.ts';
import { operation, page } from '../operation.ts';
import { isMqRegion } from '../regions.ts';
import { PRINCIPAL } from '../role.ts';
import {
  checkBrokerName, checkEngineVersion, checkHostInstanceType, checkLogs, checkMaintenanceWindow, checkSubnetCount, checkTags,
  checkUsers, ENGINE_DEFAULTS, subnetRange, type UserInput,
} from '../validate.ts';
import { describeView, summaryView } from '../views.ts';

function requireRegion(ctx: CallContext): void {
  if (!isMqRegion(ctx.region)) throw regionNotAvailable();
}

/** An operation on one broker: authorized on its ARN (with a `*` name while the id names no broker). */
function brokerOperation<I extends { BrokerId: string }>(name: string, spec: {
  readOnly?: boolean;
  handle(input: I, broker: BrokerDoc, ctx: CallContext, tx: Tx): Promise<Record<string, unknown>>;
}): Operation {
  return operation<I>(name, {
    readOnly: spec.readOnly,
    async authorize(input, ctx, tx): Promise<AuthzCheck[]> {
      requireRegion(ctx);
      const broker = await getBroker(tx, ctx.account, ctx.region, input.BrokerId);
      return [{
        action: `mq:${name}`,
        resource: broker?.BrokerArn ?? brokerArn(ctx.region, ctx.account, '*', input.BrokerId),
        context: broker ? resourceTagContext(broker.Tags) : {},
      }];
    },
    async handle(input, ctx, tx) {
      const broker = await getBroker(tx, ctx.account, ctx.region, input.BrokerId);
      if (!broker) throw brokerNotFound(input.BrokerId);
      return spec.handle(input, broker, ctx, tx);
    },
  });
}

interface CreateBrokerInput {
  BrokerName: string;
  DeploymentMode: string;
  EngineType: string;
  EngineVersion?: string;
  HostInstanceType: string;
  PubliclyAccessible: boolean;
  AutoMinorVersionUpgrade?: boolean;
  AuthenticationStrategy?: string;
  Configuration?: { Id: string; Revision?: number };
  CreatorRequestId?: string;
  EncryptionOptions?: { UseAwsOwnedKey: boolean; KmsKeyId?: string };
  LdapServerMetadata?: unknown;
  Logs?: { General?: boolean; Audit?: boolean };
  MaintenanceWindowStartTime?: WeeklyStartTime;
  SecurityGroups?: string[];
  StorageType?: string;
  SubnetIds?: string[];
  Tags?: Record<string, string>;
  Users?: UserInput[];
  DataReplicationMode?: string;
  DataReplicationPrimaryBrokerArn?: string;
}

function createBroker(host: LinkedHost): Operation {
  return operation<CreateBrokerInput>('CreateBroker', {
    authorize(input, ctx): AuthzCheck[] {
      requireRegion(ctx);
      return [{ action: 'mq:CreateBroker', resource: '*', context: requestTagContext(input.Tags) }];
    },
    async handle(input, ctx, tx) {
      checkBrokerName(input.BrokerName);
      const range = subnetRange(input.EngineType, input.DeploymentMode);
      const defaults = ENGINE_DEFAULTS[input.EngineType];
      const engineVersion = input.EngineVersion ?? defaults.version;
      checkEngineVersion(engineVersion);
      checkHostInstanceType(input.HostInstanceType);
      const authenticationStrategy = input.AuthenticationStrategy ?? 'SIMPLE';
      if (authenticationStrategy === 'LDAP' && input.LdapServerMetadata === undefined) {
        throw badRequest('ldapServerMetadata', 'LDAP authentication requires ldapServerMetadata.');
      }
      checkUsers(input.EngineType, authenticationStrategy, input.Users ?? []);
      checkLogs(input.EngineType, input.Logs);
      checkMaintenanceWindow(input.MaintenanceWindowStartTime);
      checkTags(input.Tags);
      if (input.SubnetIds?.length) checkSubnetCount(input.SubnetIds.length, input.DeploymentMode, range);
      if ((input.DataReplicationMode ?? 'NONE') !== 'NONE' || input.DataReplicationPrimaryBrokerArn !== undefined) {
        throw badRequest('dataReplicationMode', 'Cross-Region data replication is not supported by iamd.');
      }
      if (input.Configuration) {
        throw badRequest('configuration', `Configuration [${input.Configuration.Id}] does not exist.`);
      }
      const network = await placeBroker(tx, ctx.account, ctx.region, {
        subnetIds: input.SubnetIds,
        securityGroups: input.SecurityGroups,
        subnetCount: range.min,
      });

      // The first broker of the account creates Amazon MQ's role with the caller's authority; without
      // iam:CreateServiceLinkedRole this throws and the whole request, broker included, rolls back.
      await ensureRole(host, ctx, tx, PRINCIPAL);

      const brokerId = `b-${randomUUID()}`;
      const broker: BrokerDoc = {
        BrokerId: brokerId,
        BrokerName: input.BrokerName,
        BrokerArn: brokerArn(ctx.region, ctx.account, input.BrokerName, brokerId),
        region: ctx.region,
        BrokerState: 'CREATION_IN_PROGRESS',
        Created: ctx.now.toISOString(),
        DeploymentMode: input.DeploymentMode,
        EngineType: input.EngineType,
        EngineVersion: engineVersion,
        HostInstanceType: input.HostInstanceType,
        PubliclyAccessible: input.PubliclyAccessible,
        AutoMinorVersionUpgrade: input.AutoMinorVersionUpgrade ?? false,
        AuthenticationStrategy: authenticationStrategy,
        StorageType: input.StorageType ?? defaults.storage,
        DataReplicationMode: 'NONE',
        SubnetIds: network.subnetIds,
        SecurityGroups: network.securityGroups,
        vpcId: network.vpcId,
        Tags: input.Tags ?? {},
        Users: (input.Users ?? []).map(({ Username, ConsoleAccess, Groups, ReplicationUser }) => ({ Username, ConsoleAccess, Groups, ReplicationUser })),
        Logs: { General: input.Logs?.General ?? false, Audit: input.Logs?.Audit ?? false },
        MaintenanceWindowStartTime: input.MaintenanceWindowStartTime ?? { DayOfWeek: 'SUNDAY', TimeOfDay: '00:00', TimeZone: 'UTC' },
        EncryptionOptions: input.EncryptionOptions ?? { UseAwsOwnedKey: true },
        Pending: {},
      };
      if (!(await insertBroker(tx, ctx.account, broker))) {
        throw conflict('brokerName', `Broker name [${input.BrokerName}] is already in use in this region. Broker names must be unique.`);
      }
      await scheduleStep<StepPayload>(host, tx, { type: BROKER_JOB, account: ctx.account, payload: { region: ctx.region, brokerId } });
      return { BrokerArn: broker.BrokerArn, BrokerId: brokerId };
    },
  });
}

function listBrokersOperation(): Operation {
  return operation<{ MaxResults?: number; NextToken?: string }>('ListBrokers', {
    readOnly: true,
    authorize(_input, ctx): AuthzCheck[] {
      requireRegion(ctx);
      return [{ action: 'mq:ListBrokers', resource: '*' }];
    },
    async handle(input, ctx, tx) {
      const brokers = (await listBrokers(tx, ctx.account, ctx.region)).sort(
        (a, b) => a.Created.localeCompare(b.Created) || a.BrokerId.localeCompare(b.BrokerId),
      );
      const { items, next } = page(brokers, input);
      return { BrokerSummaries: items.map(summaryView), NextToken: next };
    },
  });
}

interface UpdateBrokerInput {
  BrokerId: string;
  AuthenticationStrategy?: string;
  AutoMinorVersionUpgrade?: boolean;
  Configuration?: { Id: string };
  EngineVersion?: string;
  HostInstanceType?: string;
  LdapServerMetadata?: unknown;
  Logs?: { General?: boolean; Audit?: boolean };
  MaintenanceWindowStartTime?: WeeklyStartTime;
  SecurityGroups?: string[];
  DataReplicationMode?: string;
}

/**
 * Engine version, instance type, security groups and logs wait for the next reboot, as on AWS (they
 * show as Pending…; iamd has no RebootBroker, so they stay pending); the other settings apply at once.
 */
async function applyUpdate(input: UpdateBrokerInput, broker: BrokerDoc, ctx: CallContext, tx: Tx): Promise<Record<string, unknown>> {
  if (broker.BrokerState !== 'RUNNING') {
    throw conflict('broker-id', `Broker [${broker.BrokerId}] is in state ${broker.BrokerState}; it can be updated only when RUNNING.`);
  }
  if (input.EngineVersion !== undefined) checkEngineVersion(input.EngineVersion);
  if (input.HostInstanceType !== undefined) checkHostInstanceType(input.HostInstanceType);
  checkLogs(broker.EngineType, input.Logs);
  checkMaintenanceWindow(input.MaintenanceWindowStartTime);
  if (input.Configuration) throw badRequest('configuration', `Configuration [${input.Configuration.Id}] does not exist.`);
  if (input.DataReplicationMode !== undefined && input.DataReplicationMode !== 'NONE') {
    throw badRequest('dataReplicationMode', 'Cross-Region data replication is not supported by iamd.');
  }
  if (input.AuthenticationStrategy === 'LDAP' && input.LdapServerMetadata === undefined) {
    throw badRequest('ldapServerMetadata', 'LDAP authentication requires ldapServerMetadata.');
  }
  let securityGroups: string[] | undefined;
  if (input.SecurityGroups !== undefined) {
    securityGroups = (await placeBroker(tx, ctx.account, ctx.region, {
      subnetIds: broker.SubnetIds, securityGroups: input.SecurityGroups, subnetCount: broker.SubnetIds.length,
    })).securityGroups;
  }
  const updated: BrokerDoc = {
    ...broker,
    AuthenticationStrategy: input.AuthenticationStrategy ?? broker.AuthenticationStrategy,
    AutoMinorVersionUpgrade: input.AutoMinorVersionUpgrade ?? broker.AutoMinorVersionUpgrade,
    MaintenanceWindowStartTime: input.MaintenanceWindowStartTime ?? broker.MaintenanceWindowStartTime,
    Pending: {
      ...broker.Pending,
      ...(input.EngineVersion !== undefined && { EngineVersion: input.EngineVersion }),
      ...(input.HostInstanceType !== undefined && { HostInstanceType: input.HostInstanceType }),
      ...(securityGroups !== undefined && { SecurityGroups: securityGroups }),
      ...(input.Logs !== undefined && { Logs: { ...broker.Pending.Logs, ...input.Logs } }),
    },
  };
  await updateBroker(tx, ctx.account, updated);
  return {
    AuthenticationStrategy: updated.AuthenticationStrategy,
    AutoMinorVersionUpgrade: updated.AutoMinorVersionUpgrade,
    BrokerId: updated.BrokerId,
    EngineVersion: input.EngineVersion,
    HostInstanceType: input.HostInstanceType,
    Logs: input.Logs,
    MaintenanceWindowStartTime: updated.MaintenanceWindowStartTime,
    SecurityGroups: securityGroups,
    DataReplicationMode: updated.DataReplicationMode,
  };
}

export function brokerOperations(host: LinkedHost): Operation[] {
  return [
    createBroker(host),
    brokerOperation<{ BrokerId: string }>('DescribeBroker', {
      readOnly: true,
      handle: async (_input, broker) => describeView(broker),
    }),
    listBrokersOperation(),
    brokerOperation<UpdateBrokerInput>('UpdateBroker', { handle: applyUpdate }),
    brokerOperation<{ BrokerId: string }>('DeleteBroker', {
      async handle(_input, broker, ctx, tx) {
        if (broker.BrokerState === 'CREATION_IN_PROGRESS' || broker.BrokerState === 'DELETION_IN_PROGRESS') {
          throw conflict('broker-id', `Broker [${broker.BrokerId}] is in state ${broker.BrokerState} and cannot be deleted now.`);
        }
        await updateBroker(tx, ctx.account, { ...broker, BrokerState: 'DELETION_IN_PROGRESS', failure: undefined });
        await scheduleStep<StepPayload>(host, tx, { type: BROKER_JOB, account: ctx.account, payload: { region: ctx.region, brokerId: broker.BrokerId } });
        return { BrokerId: broker.BrokerId };
      },
    }),
  ];
}
