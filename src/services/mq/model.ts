// What Amazon MQ keeps in the store: one document per broker, keyed `<region>/<broker id>` so that a
// region's brokers are one key range, and a name reservation per (region, name) whose primary key
// makes broker names unique in an account's region without a read-then-write race.

import { UniqueViolation, type Tx } from '../../store/types.ts';

export const BROKER_KIND = 'mq-broker';
export const BROKER_NAME_KIND = 'mq-broker-name';

export type BrokerState = 'CREATION_IN_PROGRESS' | 'CREATION_FAILED' | 'DELETION_IN_PROGRESS' | 'RUNNING';

export interface BrokerUser {
  Username: string;
  ConsoleAccess?: boolean;
  Groups?: string[];
  ReplicationUser?: boolean;
}

export interface WeeklyStartTime {
  DayOfWeek: string;
  TimeOfDay: string;
  TimeZone?: string;
}

/** A broker, with members named as in the MQ model; passwords are never kept. */
export interface BrokerDoc {
  BrokerId: string;
  BrokerName: string;
  BrokerArn: string;
  region: string;
  BrokerState: BrokerState;
  /** ISO 8601. */
  Created: string;
  DeploymentMode: string;
  EngineType: string;
  EngineVersion: string;
  HostInstanceType: string;
  PubliclyAccessible: boolean;
  AutoMinorVersionUpgrade: boolean;
  AuthenticationStrategy: string;
  StorageType: string;
  DataReplicationMode: string;
  SubnetIds: string[];
  SecurityGroups: string[];
  /** The VPC of the subnets, where the broker's endpoint goes. */
  vpcId: string;
  Tags: Record<string, string>;
  Users: BrokerUser[];
  Logs: { General: boolean; Audit: boolean };
  MaintenanceWindowStartTime: WeeklyStartTime;
  EncryptionOptions: { UseAwsOwnedKey: boolean; KmsKeyId?: string };
  Configuration?: { Id: string; Revision?: number };
  Pending: {
    EngineVersion?: string;
    HostInstanceType?: string;
    SecurityGroups?: string[];
    Logs?: { General?: boolean; Audit?: boolean };
  };
  /** The VPC endpoint made through the service-linked role, once it exists. */
  vpcEndpointId?: string;
  /** Why creation (or a deletion step) failed: the refused call, as a real broker's ActionsRequired shows it. */
  failure?: { code: string; info: string };
}

const key = (region: string, brokerId: string) => `${region}/${brokerId}`;
const nameKey = (region: string, name: string) => `${region}/${name}`;

export async function getBroker(tx: Tx, account: string, region: string, brokerId: string): Promise<BrokerDoc | undefined> {
  return (await tx.get<BrokerDoc>(account, BROKER_KIND, key(region, brokerId)))?.doc;
}

export async function listBrokers(tx: Tx, account: string, region?: string): Promise<BrokerDoc[]> {
  const options = region === undefined ? {} : { keyPrefix: `${region}/` };
  return (await tx.list<BrokerDoc>(account, BROKER_KIND, options)).map((e) => e.doc);
}

/** Inserts a broker and reserves its name; false when the name is taken in the region. */
export async function insertBroker(tx: Tx, account: string, doc: BrokerDoc): Promise<boolean> {
  try {
    await tx.insert(account, BROKER_NAME_KIND, nameKey(doc.region, doc.BrokerName), { BrokerId: doc.BrokerId });
  } catch (error) {
    if (error instanceof UniqueViolation) return false;
    throw error;
  }
  await tx.insert(account, BROKER_KIND, key(doc.region, doc.BrokerId), doc);
  return true;
}

export async function updateBroker(tx: Tx, account: string, doc: BrokerDoc): Promise<void> {
  await tx.update(account, BROKER_KIND, key(doc.region, doc.BrokerId), doc);
}

/** Removes a broker and frees its name. */
export async function deleteBroker(tx: Tx, account: string, doc: BrokerDoc): Promise<void> {
  await tx.delete(account, BROKER_KIND, key(doc.region, doc.BrokerId));
  await tx.delete(account, BROKER_NAME_KIND, nameKey(doc.region, doc.BrokerName));
}
