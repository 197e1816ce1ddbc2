// Amazon MQ (restJson1, SigV4 service `mq`): brokers that own their service-linked role
// (AWSServiceRoleForAmazonMQ). docs/services.md § "Amazon MQ"; the folder follows § "A linked
// service's folder".
//
// CreateBroker creates the role with the caller's authority on the account's first broker; the
// broker's lifecycle jobs act through the role (lifecycle.ts); DeleteServiceLinkedRole is refused
// while any region has a broker (usage.ts).

import type { ServiceDescriptor } from '../descriptor.ts';
import { accessDenied } from './errors.ts';
import { jobs } from './lifecycle.ts';
import { brokerOperations } from './ops/brokers.ts';
import { usage } from './usage.ts';

export const service: ServiceDescriptor = {
  name: 'mq',
  wire: {
    source: { file: 'mq-2017-11-27' },
    protocol: 'rest-json',
    validation: { code: 'BadRequestException', quoteValue: true, listEnumValues: true, ec2: false },
    auditTitle: 'AmazonMQ',
    pathPrefix: '/v1/',
  },
  operations: ({ host }) => brokerOperations(host),
  accessDenied,
  jobs: ({ host }) => jobs(host),
  linked: usage,
  // Their lifecycle jobs make and remove network interfaces (and metrics, logs) as the role.
  roleActions: ['mq:CreateBroker', 'mq:DeleteBroker'],
};
