// `iamd slr` as a user runs it: the real command, in a child process, against a started iamd.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tempDir, type TestServer } from '../helpers/server.ts';

const BIN = new URL('../../bin/iamd.js', import.meta.url).pathname;
const WIDGETS = 'widgets.amazonaws.com';

let server: TestServer;
before(async () => {
  const catalog = join(tempDir('iamd-catalog-'), 'services.json');
  writeFileSync(catalog, JSON.stringify([{ servicePrincipal: WIDGETS, roleName: 'AWSServiceRoleForWidgets', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }]));
  server = await startServer(['--allow-reset', '--service-catalog', catalog]);
});
after(() => server.close());

const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1) ?? '';

function iamdSlr(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'slr', ...args],
      {
        env: {
          PATH: process.env.PATH,
          HOME: tempDir('iamd-home-'),
          AWS_ENDPOINT_URL: server.url,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_REGION: 'us-east-1',
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

test('create prints the role; delete --wait follows the task to SUCCEEDED', async () => {
  const created = await iamdSlr(['create', 'mq.amazonaws.com']);
  assert.equal(created.code, 0, created.stderr);
  const role = JSON.parse(created.stdout) as { RoleName: string; AssumeRolePolicyDocument: string };
  assert.equal(role.RoleName, 'AWSServiceRoleForAmazonMQ');
  assert.equal(JSON.parse(role.AssumeRolePolicyDocument).Statement[0].Principal.Service, 'mq.amazonaws.com');

  const deleted = await iamdSlr(['delete', 'AWSServiceRoleForAmazonMQ', '--wait', '--poll-ms', '20']);
  assert.equal(deleted.code, 0, deleted.stderr);
  const lines = deleted.stdout.trim().split('\n');
  assert.match(lines[0]!, /^task\/aws-service-role\/mq\.amazonaws\.com\/AWSServiceRoleForAmazonMQ\/[0-9a-f-]{36}$/);
  assert.equal(lines.at(-1), 'SUCCEEDED');

  const status = await iamdSlr(['status', lines[0]!]);
  assert.deepEqual([status.code, status.stdout], [0, 'SUCCEEDED\n']);
});

test('delete --wait prints a failure with its resources by region, and exits 1', async () => {
  assert.equal((await iamdSlr(['create', WIDGETS])).code, 0);
  const arn = 'arn:aws:widgets:eu-west-1:123456789012:widget/w1';
  const set = await fetch(`${server.url}/_iamd/linked-services/${WIDGETS}/usage`, {
    method: 'PUT',
    body: JSON.stringify({ account: '123456789012', usage: [{ region: 'eu-west-1', resources: [arn] }, { region: 'us-west-2' }] }),
  });
  assert.equal(set.status, 200);
  const deleted = await iamdSlr(['delete', 'AWSServiceRoleForWidgets', '--wait', '--poll-ms', '20', '--endpoint-url', server.url], { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' });
  assert.equal(deleted.code, 1, deleted.stderr);
  // The states seen depend on when the polls land; the end and the failure report do not.
  const out = deleted.stdout.trim().split('\n').slice(1).filter((l) => l !== 'NOT_STARTED' && l !== 'IN_PROGRESS');
  assert.deepEqual(out, [
    'FAILED',
    `reason: Service-linked role AWSServiceRoleForWidgets is still used by ${WIDGETS} in eu-west-1, us-west-2.`,
    '  eu-west-1:',
    `    ${arn}`,
    '  us-west-2: (in use; the service named no resources)',
  ]);
});

test('errors from the service are one line and exit 1; usage mistakes exit 2', async () => {
  const missing = await iamdSlr(['delete', 'NoSuchRole']);
  assert.equal(missing.code, 1);
  // The SDK may print its own warnings (Node version support) before; ours is the last line.
  assert.equal(lastLine(missing.stderr), 'iamd slr: NoSuchEntityException: The role with name NoSuchRole cannot be found.');
  const denied = await iamdSlr(['create', 'memorydb.amazonaws.com'], { AWS_SECRET_ACCESS_KEY: 'wrong' });
  assert.equal(denied.code, 1);
  assert.match(lastLine(denied.stderr), /^iamd slr: SignatureDoesNotMatch/);
  const usage = await iamdSlr(['frobnicate']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /unknown subcommand 'frobnicate'/);
});
