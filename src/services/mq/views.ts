// A stored broker as MQ's API shows it: DescribeBroker's full view, ListBrokers' summary, and the
// endpoints of a running broker's instances (MQ's host names: `b-<uuid>-1.mq.<region>.amazonaws.com`).

import type { BrokerDoc } from './model.ts';

export const generalLogGroup = (brokerId: string): string => `/aws/amazonmq/broker/${brokerId}/general`;
export const auditLogGroup = (brokerId: string): string => `/aws/amazonmq/broker/${brokerId}/audit`;

function instances(b: BrokerDoc): Record<string, unknown>[] {
  if (b.BrokerState !== 'RUNNING') return [];
  if (b.EngineType === 'RABBITMQ') {
    const host = `${b.BrokerId}.mq.${b.region}.amazonaws.com`;
    return [{ ConsoleURL: `https://${host}`, Endpoints: [`amqps://${host}:5671`] }];
  }
  const count = b.DeploymentMode === 'ACTIVE_STANDBY_MULTI_AZ' ? 2 : 1;
  return Array.from({ length: count }, (_, i) => {
    const host = `${b.BrokerId}-${i + 1}.mq.${b.region}.amazonaws.com`;
    return {
      ConsoleURL: `https://${host}:8162`,
      Endpoints: [`ssl://${host}:61617`, `amqp+ssl://${host}:5671`, `stomp+ssl://${host}:61614`, `mqtt+ssl://${host}:8883`, `wss://${host}:61619`],
    };
  });
}

function logsSummary(b: BrokerDoc): Record<string, unknown> {
  const summary: Record<string, unknown> = { General: b.Logs.General, GeneralLogGroup: generalLogGroup(b.BrokerId) };
  if (b.EngineType === 'ACTIVEMQ') {
    summary.Audit = b.Logs.Audit;
    summary.AuditLogGroup = auditLogGroup(b.BrokerId);
  }
  if (b.Pending.Logs) summary.Pending = b.Pending.Logs;
  return summary;
}

export function describeView(b: BrokerDoc): Record<string, unknown> {
  return {
    ActionsRequired: b.failure ? [{ ActionRequiredCode: b.failure.code, ActionRequiredInfo: b.failure.info }] : [],
    AuthenticationStrategy: b.AuthenticationStrategy,
    AutoMinorVersionUpgrade: b.AutoMinorVersionUpgrade,
    BrokerArn: b.BrokerArn,
    BrokerId: b.BrokerId,
    BrokerInstances: instances(b),
    BrokerName: b.BrokerName,
    BrokerState: b.BrokerState,
    Configurations: { Current: b.Configuration, History: [] },
    Created: b.Created,
    DeploymentMode: b.DeploymentMode,
    EncryptionOptions: b.EncryptionOptions,
    EngineType: b.EngineType,
    EngineVersion: b.EngineVersion,
    HostInstanceType: b.HostInstanceType,
    Logs: logsSummary(b),
    MaintenanceWindowStartTime: b.MaintenanceWindowStartTime,
    PendingEngineVersion: b.Pending.EngineVersion,
    PendingHostInstanceType: b.Pending.HostInstanceType,
    PendingSecurityGroups: b.Pending.SecurityGroups,
    PubliclyAccessible: b.PubliclyAccessible,
    SecurityGroups: b.SecurityGroups,
    StorageType: b.StorageType,
    SubnetIds: b.SubnetIds,
    Tags: b.Tags,
    Users: b.Users.map((u) => ({ Username: u.Username })),
    DataReplicationMode: b.DataReplicationMode,
  };
}

export function summaryView(b: BrokerDoc): Record<string, unknown> {
  return {
    BrokerArn: b.BrokerArn,
    BrokerId: b.BrokerId,
    BrokerName: b.BrokerName,
    BrokerState: b.BrokerState,
    Created: b.Created,
    DeploymentMode: b.DeploymentMode,
    EngineType: b.EngineType,
    HostInstanceType: b.HostInstanceType,
  };
}
