// A broker's life after the API call that changed it, as one durable job per step: CREATION_IN_PROGRESS
// → RUNNING (or CREATION_FAILED), DELETION_IN_PROGRESS → gone. Amazon MQ does its work through its
// service-linked role, as the role's policy (AmazonMQServiceRolePolicy) foresees:
//
//   creating  ec2:CreateVpcEndpoint in the broker's subnets, tagged AMQManaged=true (the policy allows
//             the endpoint only with aws:RequestTag/AMQManaged=true, and ec2:CreateTags only with
//             ec2:CreateAction=CreateVpcEndpoint); with general logging on, the log group
//             /aws/amazonmq/broker/<id>/general, a stream and a first event (logs:CreateLogGroup,
//             CreateLogStream, PutLogEvents on log-group:/aws/amazonmq/*)
//   deleting  ec2:DeleteVpcEndpoints, allowed only on endpoints tagged AMQManaged=true
//
// Steps are idempotent: the endpoint is looked up by its broker tag before one is made (the policy
// grants ec2:DescribeVpcEndpoints), "already exists" from Logs counts as done, and every state change
// re-reads the broker in its own transaction. A refused call fails the broker (its ActionsRequired
// carries the refusal); anything else is retried by the job runner.

import type { Job } from '../../store/types.ts';
import type { JobHandler, JobOutcome } from '../../jobs/runner.ts';
import { ApiError } from '../../common/errors.ts';
import { asService, refusalOf, type LinkedHost, type ServiceSession } from '../linked/index.ts';
import { deleteBroker, getBroker, updateBroker, type BrokerDoc } from './model.ts';
import { MANAGED_TAG, PRINCIPAL } from './role.ts';
import { generalLogGroup } from './views.ts';

export const BROKER_JOB = 'mq:broker';

export interface StepPayload {
  region: string;
  brokerId: string;
}

/** The job handlers by type, for the service's descriptor. */
export function jobs(host: LinkedHost): Record<string, JobHandler> {
  return { [BROKER_JOB]: brokerJob(host) };
}

/** The tag by which iamd finds a broker's endpoint again. */
const BROKER_TAG_KEY = 'AMQBrokerId';

/** ActionRequiredCode of a broker whose service-linked role was refused a call. */
export const ROLE_REFUSED = 'SERVICE_LINKED_ROLE_ACCESS_DENIED';

/** How long a deletion refused through the role waits before trying again. */
const DELETION_RETRY_MS = 60_000;

/** The endpoint service a broker's VPC endpoint connects to (one per region in iamd). */
const endpointService = (region: string): string => `com.amazonaws.vpce.${region}.vpce-svc-amazonmq`;

async function findEndpoint(role: ServiceSession, broker: BrokerDoc): Promise<string | undefined> {
  const out = await role.call<{ VpcEndpoints?: { VpcEndpointId: string }[] }>('ec2', 'DescribeVpcEndpoints', {
    Filters: [{ Name: `tag:${BROKER_TAG_KEY}`, Values: [broker.BrokerId] }],
  });
  return out.VpcEndpoints?.[0]?.VpcEndpointId;
}

async function createEndpoint(role: ServiceSession, broker: BrokerDoc): Promise<string> {
  const out = await role.call<{ VpcEndpoint: { VpcEndpointId: string } }>('ec2', 'CreateVpcEndpoint', {
    VpcEndpointType: 'Interface',
    VpcId: broker.vpcId,
    ServiceName: endpointService(broker.region),
    SubnetIds: broker.SubnetIds,
    SecurityGroupIds: broker.SecurityGroups,
    PrivateDnsEnabled: false,
    TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: MANAGED_TAG, Value: 'true' }, { Key: BROKER_TAG_KEY, Value: broker.BrokerId }] }],
  });
  return out.VpcEndpoint.VpcEndpointId;
}

/** Logs' "already exists" means an earlier run of this step got that far. */
async function idempotent(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'ResourceAlreadyExistsException') return;
    throw error;
  }
}

async function startGeneralLog(role: ServiceSession, broker: BrokerDoc): Promise<void> {
  const logGroupName = generalLogGroup(broker.BrokerId);
  const logStreamName = `${broker.BrokerId}-1.log`;
  await idempotent(role.call('logs', 'CreateLogGroup', { logGroupName }));
  await idempotent(role.call('logs', 'CreateLogStream', { logGroupName, logStreamName }));
  await role.call('logs', 'PutLogEvents', {
    logGroupName,
    logStreamName,
    logEvents: [{ timestamp: Date.now(), message: `Broker ${broker.BrokerName} (${broker.EngineType} ${broker.EngineVersion}) started` }],
  });
}

function brokerJob(host: LinkedHost): JobHandler {
  const store = host.store;
  const reread = (job: Job, step: StepPayload) => store.read((tx) => getBroker(tx, job.account, step.region, step.brokerId));

  /** Changes the broker if it is still in `state` (a concurrent call may have moved it on). */
  const settle = (job: Job, step: StepPayload, state: BrokerDoc['BrokerState'], change: (b: BrokerDoc) => BrokerDoc | 'delete') =>
    store.transaction(async (tx) => {
      const current = await getBroker(tx, job.account, step.region, step.brokerId);
      if (!current || current.BrokerState !== state) return;
      const next = change(current);
      if (next === 'delete') await deleteBroker(tx, job.account, current);
      else await updateBroker(tx, job.account, next);
    });

  async function create(job: Job, step: StepPayload, broker: BrokerDoc): Promise<JobOutcome> {
    try {
      await asService(host, job.account, PRINCIPAL, step.region, async (role) => {
        if (!broker.vpcEndpointId) {
          const vpcEndpointId = (await findEndpoint(role, broker)) ?? (await createEndpoint(role, broker));
          await settle(job, step, 'CREATION_IN_PROGRESS', (b) => ({ ...b, vpcEndpointId }));
        }
        if (broker.Logs.General) await startGeneralLog(role, broker);
      });
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal === undefined) throw error;
      await settle(job, step, 'CREATION_IN_PROGRESS', (b) => ({ ...b, BrokerState: 'CREATION_FAILED', failure: { code: ROLE_REFUSED, info: refusal } }));
      return { done: true };
    }
    await settle(job, step, 'CREATION_IN_PROGRESS', (b) => ({ ...b, BrokerState: 'RUNNING' }));
    return { done: true };
  }

  async function remove(job: Job, step: StepPayload, broker: BrokerDoc): Promise<JobOutcome> {
    if (broker.vpcEndpointId) {
      try {
        await asService(host, job.account, PRINCIPAL, step.region, (role) =>
          role.call('ec2', 'DeleteVpcEndpoints', { VpcEndpointIds: [broker.vpcEndpointId] }));
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal === undefined) throw error;
        // The broker cannot go while its endpoint stays: it keeps needing the role, and says why.
        await settle(job, step, 'DELETION_IN_PROGRESS', (b) => ({ ...b, failure: { code: ROLE_REFUSED, info: refusal } }));
        return { done: false, runAt: Date.now() + Math.max(host.jobDelayMs, DELETION_RETRY_MS) };
      }
    }
    await settle(job, step, 'DELETION_IN_PROGRESS', () => 'delete');
    return { done: true };
  }

  return async (job) => {
    const step = job.payload as StepPayload;
    const broker = await reread(job, step);
    if (broker?.BrokerState === 'CREATION_IN_PROGRESS') return create(job, step, broker);
    if (broker?.BrokerState === 'DELETION_IN_PROGRESS') return remove(job, step, broker);
    return { done: true };
  };
}
