// Amazon MQ (restJson1, SigV4 service `mq`): brokers that own their service-linked role
// (AWSServiceRoleForAmazonMQ). docs/services.md § "Amazon MQ".
//
// CreateBroker creates the role with the caller's authority on the account's first broker; the
// broker's lifecycle jobs act through the role (lifecycle.ts); DeleteServiceLinkedRole is refused
// while any region has a broker (usage.ts).

import type { ServiceDescriptor } from '../descriptor.ts';
import { mqForbidden } from './errors.ts';
import { BROKER_JOB_TYPE, brokerJobHandler } from './lifecycle.ts';
import { MQ_PRINCIPAL } from './model.ts';
import { mqOperations } from './operations.ts';
import { mqLinkedService } from './usage.ts';

export const service: ServiceDescriptor = {
  name: 'mq',
  wire: {
    source: { file: 'mq-2017-11-27' },
    protocol: 'rest-json',
    validation: { code: 'BadRequestException', quoteValue: true, listEnumValues: true, ec2: false },
    auditTitle: 'AmazonMQ',
    pathPrefix: '/v1/',
  },
  operations: ({ host }) => mqOperations(host),
  accessDenied: mqForbidden,
  jobs: ({ host }) => ({ [BROKER_JOB_TYPE]: brokerJobHandler(host) }),
  linked: mqLinkedService(MQ_PRINCIPAL),
};

export { MQ_PRINCIPAL } from './model.ts';
export { brokerArn } from './operations.ts';
export { MQ_SLR_REGIONS, isMqRegion } from './regions.ts';
export { BROKER_JOB_TYPE, MANAGED_TAG, ROLE_REFUSED } from './lifecycle.ts';
export { mqForbidden } from './errors.ts';
