// What CreateBroker and UpdateBroker accept beyond the model's own constraints (which the protocol
// layer checks): names, engine and deployment combinations, users, logs. Limits are the Amazon MQ
// Developer Guide's ("Quotas in Amazon MQ"); the texts are iamd's, in MQ's style, each naming the
// member at fault as `errorAttribute`.

import { badRequest } from './errors.ts';

export const ENGINE_DEFAULTS: Record<string, { version: string; storage: string }> = {
  ACTIVEMQ: { version: '5.18', storage: 'EFS' },
  RABBITMQ: { version: '3.13', storage: 'EBS' },
};

/** Deployment modes each engine offers, and how many subnets each takes. */
const DEPLOYMENTS: Record<string, Record<string, { min: number; max: number }>> = {
  ACTIVEMQ: { SINGLE_INSTANCE: { min: 1, max: 1 }, ACTIVE_STANDBY_MULTI_AZ: { min: 2, max: 2 } },
  RABBITMQ: { SINGLE_INSTANCE: { min: 1, max: 1 }, CLUSTER_MULTI_AZ: { min: 1, max: 3 } },
};

const BROKER_NAME = /^[A-Za-z0-9_.~-]{1,50}$/;
const USERNAME = /^[A-Za-z0-9_.~-]{2,100}$/;
const INSTANCE_TYPE = /^mq\.[a-z0-9]+\.[a-z0-9]+$/;
const ENGINE_VERSION = /^\d+(\.\d+){0,2}$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

export interface UserInput {
  Username: string;
  Password: string;
  ConsoleAccess?: boolean;
  Groups?: string[];
  ReplicationUser?: boolean;
}

export function checkBrokerName(name: string): void {
  if (!BROKER_NAME.test(name)) {
    throw badRequest('brokerName', `Broker name [${name}] is not valid. A broker name must be 1-50 characters long and contain only letters, digits, dashes, periods, underscores and tildes.`);
  }
}

export function checkHostInstanceType(type: string): void {
  if (!INSTANCE_TYPE.test(type)) throw badRequest('hostInstanceType', `Broker instance type [${type}] is not supported.`);
}

export function checkEngineVersion(version: string): void {
  if (!ENGINE_VERSION.test(version)) throw badRequest('engineVersion', `Broker engine version [${version}] is not supported.`);
}

/** The number of subnets `deploymentMode` takes for `engineType`; throws for an unsupported pair. */
export function subnetRange(engineType: string, deploymentMode: string): { min: number; max: number } {
  const range = DEPLOYMENTS[engineType]?.[deploymentMode];
  if (!range) throw badRequest('deploymentMode', `Deployment mode [${deploymentMode}] is not supported for engine type [${engineType}].`);
  return range;
}

export function checkSubnetCount(count: number, deploymentMode: string, range: { min: number; max: number }): void {
  if (count < range.min || count > range.max) {
    const wanted = range.min === range.max ? `${range.min}` : `${range.min} to ${range.max}`;
    throw badRequest('subnetIds', `Broker with deployment mode [${deploymentMode}] requires ${wanted} subnet(s), but ${count} were given.`);
  }
}

function checkPassword(password: string): void {
  const uniques = new Set(password).size;
  if (password.length < 12 || password.length > 250 || uniques < 4 || /[,:=]/.test(password)) {
    throw badRequest('password', 'Password must be 12-250 characters long, contain at least 4 unique characters, and must not contain commas, colons, or equal signs.');
  }
}

/** ActiveMQ brokers with SIMPLE authentication take 1-250 users; RabbitMQ brokers exactly one. */
export function checkUsers(engineType: string, authenticationStrategy: string, users: UserInput[]): void {
  if (authenticationStrategy === 'SIMPLE' && users.length === 0) throw badRequest('users', 'Broker must have at least one user.');
  if (engineType === 'RABBITMQ' && users.length > 1) throw badRequest('users', 'RabbitMQ brokers take exactly one user at creation.');
  if (users.length > 250) throw badRequest('users', 'Broker can have at most 250 users.');
  const seen = new Set<string>();
  for (const user of users) {
    if (!USERNAME.test(user.Username)) {
      throw badRequest('username', `Username [${user.Username}] is not valid. A username must be 2-100 characters long and contain only letters, digits, dashes, periods, underscores and tildes.`);
    }
    if (seen.has(user.Username)) throw badRequest('username', `Username [${user.Username}] is given more than once.`);
    seen.add(user.Username);
    checkPassword(user.Password);
    if (engineType === 'RABBITMQ' && (user.Groups?.length || user.ConsoleAccess !== undefined)) {
      throw badRequest('users', 'RabbitMQ users do not take groups or console access.');
    }
  }
}

export function checkLogs(engineType: string, logs: { Audit?: boolean } | undefined): void {
  if (engineType === 'RABBITMQ' && logs?.Audit) throw badRequest('logs', 'Audit logs are not supported for RabbitMQ brokers.');
}

export function checkMaintenanceWindow(window: { TimeOfDay: string } | undefined): void {
  if (window && !TIME_OF_DAY.test(window.TimeOfDay)) {
    throw badRequest('timeOfDay', `Time of day [${window.TimeOfDay}] is not valid. Use the 24-hour HH:MM format.`);
  }
}

export function checkTags(tags: Record<string, string> | undefined): void {
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (key.length < 1 || key.length > 128) throw badRequest('tags', `Tag key [${key}] must be 1-128 characters long.`);
    if (key.toLowerCase().startsWith('aws:')) throw badRequest('tags', `Tag key [${key}] must not begin with aws:.`);
    if (value.length > 256) throw badRequest('tags', `Tag value for key [${key}] must be at most 256 characters long.`);
  }
  if (Object.keys(tags ?? {}).length > 50) throw badRequest('tags', 'A broker can have at most 50 tags.');
}
