// Load for a database outage: one client per service and protocol calling in a loop (IAM writes that
// are acknowledged one by one, IAM and STS reads in Query XML, EC2 Query, MemoryDB and Logs in awsJson,
// MQ in REST-JSON), every answer kept with its time, so that what was answered while the database was
// away — and how soon each service answered again once it was back — can be read off afterwards.

import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateUserCommand, IAMClient, ListRolesCommand, paginateListUsers } from '@aws-sdk/client-iam';
import { DescribeClustersCommand, MemoryDBClient } from '@aws-sdk/client-memorydb';
import { ListBrokersCommand, MqClient } from '@aws-sdk/client-mq';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ROOT } from '../../test/helpers/server.ts';

export interface Outcome {
  /** When the request was sent and when its answer came. */
  sent: number;
  at: number;
  ok: boolean;
  name?: string;
  status?: number;
  message?: string;
}

export interface Loop {
  name: string;
  outcomes: Outcome[];
}

export interface Load {
  loops: Loop[];
  /** User names whose CreateUser was answered with success. */
  acknowledgedUsers: string[];
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the loops against `url`; `prefix` keeps the users of several runs apart. */
export function startLoad(url: string, prefix = 'outage'): Load {
  const config = { endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 };
  const iam = new IAMClient(config);
  const acknowledgedUsers: string[] = [];
  let counter = 0;
  const calls: [string, () => Promise<unknown>][] = [
    ['iam write (Query XML)', async () => {
      const UserName = `${prefix}-${counter++}`;
      await iam.send(new CreateUserCommand({ UserName }));
      acknowledgedUsers.push(UserName);
    }],
    ['iam read (Query XML)', () => iam.send(new ListRolesCommand({ MaxItems: 1 }))],
    ['sts (Query XML)', () => new STSClient(config).send(new GetCallerIdentityCommand({}))],
    ['ec2 (EC2 Query)', () => new EC2Client(config).send(new DescribeVpcsCommand({}))],
    ['memorydb (awsJson 1.1)', () => new MemoryDBClient(config).send(new DescribeClustersCommand({}))],
    ['logs (awsJson 1.1)', () => new CloudWatchLogsClient(config).send(new DescribeLogGroupsCommand({}))],
    ['mq (REST-JSON)', () => new MqClient(config).send(new ListBrokersCommand({}))],
  ];
  let running = true;
  const loops: Loop[] = calls.map(([name]) => ({ name, outcomes: [] }));
  const done = Promise.all(calls.map(async ([, call], i) => {
    const loop = loops[i];
    while (running) {
      const sent = Date.now();
      try {
        await call();
        loop.outcomes.push({ sent, at: Date.now(), ok: true });
      } catch (e) {
        const error = e as Error & { $metadata?: { httpStatusCode?: number } };
        loop.outcomes.push({ sent, at: Date.now(), ok: false, name: error.name, status: error.$metadata?.httpStatusCode, message: error.message });
        await sleep(5);
      }
    }
  }));
  return {
    loops,
    acknowledgedUsers,
    async stop() {
      running = false;
      await done;
    },
  };
}

export const successesAfter = (loop: Loop, t: number): number => loop.outcomes.filter((o) => o.ok && o.at > t).length;

/** Milliseconds from `t` to the loop's first success after it (undefined if none). */
export const firstSuccessAfter = (loop: Loop, t: number): number | undefined => {
  const first = loop.outcomes.find((o) => o.ok && o.at > t);
  return first === undefined ? undefined : first.at - t;
};

/** Acknowledged users that ListUsers does not show. */
export async function missingUsers(url: string, acknowledged: string[]): Promise<string[]> {
  const iam = new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 3 });
  const listed = new Set<string>();
  for await (const page of paginateListUsers({ client: iam }, {})) for (const u of page.Users ?? []) listed.add(u.UserName!);
  return acknowledged.filter((u) => !listed.has(u));
}
