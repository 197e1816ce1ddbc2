// Several iamd processes over one PostgreSQL database, in a schema of their own that is dropped
// afterwards: how the multi-node tests start. The nodes share one master key, as nodes sharing a
// database must (docs/security.md).

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { spawnServer, type ChildServer } from './server.ts';

export const TEST_DATABASE_URL = process.env.IAMD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface PostgresNodes {
  nodes: ChildServer[];
  /** Stops every node and drops the schema. */
  close(): Promise<void>;
}

export async function startPostgresNodes(count = 2): Promise<PostgresNodes> {
  const schema = `iamd_e2e_${randomBytes(6).toString('hex')}`;
  const args = ['--database-url', TEST_DATABASE_URL, '--database-schema', schema];
  const env = { IAMD_MASTER_KEY: randomBytes(32).toString('base64') };
  const nodes: ChildServer[] = [];
  for (let i = 0; i < count; i++) nodes.push(await spawnServer(args, env));
  return {
    nodes,
    async close() {
      await Promise.all(nodes.map((n) => n.kill()));
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}
