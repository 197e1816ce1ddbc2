// The real AWS SDK clients the crash run talks to one iamd incarnation with: no retries (an answer is
// taken as it comes, so the client's log of acknowledgements is exact), root credentials unless given.
// All of them share one keep-alive agent, and a client per set of credentials is made once: a client
// made per request (a new connection, its configuration resolved, its signing key derived) cost the
// run more CPU than the request it sent.

import { Agent } from 'node:http';
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
  /** Closes the connections (the incarnation they went to is gone, or the run is over). */
  close(): void;
}

/** Clients kept for signing as users and sessions; the oldest goes first (a run makes thousands of keys). */
const STS_CLIENTS = 512;

/**
 * `keepAlive` for the operations, which keep every connection busy. The check leaves connections idle
 * between its bursts of reads, and a server closes an idle one (after 5 s) just as a read may be sent
 * on it: that read would get no answer though nothing went wrong, so the check opens one per read.
 */
export function clientsFor(url: string, { keepAlive }: { keepAlive: boolean }): Clients {
  const agent = new Agent({ keepAlive });
  const config = (credentials: Credentials = ROOT) => ({
    endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: { httpAgent: agent },
  });
  const sts = new Map<string, STSClient>();
  const iam = new IAMClient(config());
  const memorydb = new MemoryDBClient(config());
  const ec2 = new EC2Client(config());
  return {
    iam,
    memorydb,
    ec2,
    sts: (credentials = ROOT) => {
      const key = `${credentials.accessKeyId}\n${credentials.secretAccessKey}\n${credentials.sessionToken ?? ''}`;
      let client = sts.get(key);
      if (!client) {
        client = new STSClient(config(credentials));
        sts.set(key, client);
        // Dropped, not destroyed: destroying a client destroys the agent it was given, which is shared.
        if (sts.size > STS_CLIENTS) sts.delete(sts.keys().next().value!);
      }
      return client;
    },
    close: () => agent.destroy(),
  };
}

/** An SDK error's name and HTTP status; no status means the request got no answer at all. */
export function answerOf(error: unknown): { name: string; status?: number; message: string } {
  const e = error as Error & { $metadata?: { httpStatusCode?: number } };
  return { name: e?.name ?? 'Error', status: e?.$metadata?.httpStatusCode, message: e?.message ?? String(error) };
}
