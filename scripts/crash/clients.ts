// The real AWS SDK clients the crash run talks to one iamd incarnation with: no retries (an answer is
// taken as it comes, so the client's log of acknowledgements is exact), root credentials unless given.

import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { MemoryDBClient } from '@aws-sdk/client-memorydb';
import { STSClient } from '@aws-sdk/client-sts';
import { ROOT, type Credentials } from '../../test/helpers/server.ts';

export interface Clients {
  iam: IAMClient;
  memorydb: MemoryDBClient;
  ec2: EC2Client;
  sts(credentials?: Credentials): STSClient;
}

export function clientsFor(url: string): Clients {
  const config = (credentials: Credentials = ROOT) => ({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
  return {
    iam: new IAMClient(config()),
    memorydb: new MemoryDBClient(config()),
    ec2: new EC2Client(config()),
    sts: (credentials) => new STSClient(config(credentials)),
  };
}

/** An SDK error's name and HTTP status; no status means the request got no answer at all. */
export function answerOf(error: unknown): { name: string; status?: number; message: string } {
  const e = error as Error & { $metadata?: { httpStatusCode?: number } };
  return { name: e?.name ?? 'Error', status: e?.$metadata?.httpStatusCode, message: e?.message ?? String(error) };
}
