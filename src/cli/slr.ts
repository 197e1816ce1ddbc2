// `iamd slr create|delete|status`: service-linked roles on a running iamd (or AWS itself), through the
// AWS SDK with the usual AWS settings — AWS_ENDPOINT_URL (or --endpoint-url), AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION (or --region).

import {
  CreateServiceLinkedRoleCommand,
  DeleteServiceLinkedRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  IAMClient,
  type GetServiceLinkedRoleDeletionStatusCommandOutput,
} from '@aws-sdk/client-iam';
import { optionFlag, optionValue, parseArgs, UsageError, type ParsedArgs } from './args.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './io.ts';

const USAGE = `usage: iamd slr create SERVICE_PRINCIPAL [--description TEXT] [--custom-suffix SUFFIX]
       iamd slr delete ROLE_NAME [--wait] [--poll-ms MS]
       iamd slr status DELETION_TASK_ID

  create   create the service-linked role of an AWS service (e.g. memorydb.amazonaws.com); prints the role
  delete   submit the role's deletion and print the task id; with --wait, follow the task until it ends
           and, if it failed, print why and the resources that still use the role, by region
  status   print a deletion task's status (and why it failed)

options common to all: --endpoint-url URL (else AWS_ENDPOINT_URL), --region REGION (else AWS_REGION, us-east-1)
credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
exit codes: 0 done (or the task succeeded), 1 refused by the service (or the task failed), 2 usage
`;

const SPEC = {
  'endpoint-url': 'one',
  region: 'one',
  description: 'one',
  'custom-suffix': 'one',
  wait: 'flag',
  'poll-ms': 'one',
  help: 'flag',
} as const;

function client(args: ParsedArgs): IAMClient {
  const endpoint = optionValue(args, 'endpoint-url') ?? process.env.AWS_ENDPOINT_URL_IAM ?? process.env.AWS_ENDPOINT_URL;
  const region = optionValue(args, 'region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = process.env;
  return new IAMClient({
    region,
    maxAttempts: 1,
    ...(endpoint ? { endpoint } : {}),
    // Without these the SDK's own chain (profiles, SSO, …) applies, as for any AWS tool.
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } } : {}),
  });
}

function one(args: ParsedArgs, what: string): string {
  if (args.positionals.length !== 2) throw new UsageError(`expected exactly one ${what}`);
  return args.positionals[1]!;
}

/** The failure reason and the resources by region, one line each. */
function describeFailure(reason: GetServiceLinkedRoleDeletionStatusCommandOutput['Reason']): string {
  if (!reason) return '';
  const lines = [`reason: ${reason.Reason ?? '(none given)'}`];
  for (const usage of reason.RoleUsageList ?? []) {
    lines.push(`  ${usage.Region}:${usage.Resources?.length ? '' : ' (in use; the service named no resources)'}`);
    for (const arn of usage.Resources ?? []) lines.push(`    ${arn}`);
  }
  return `${lines.join('\n')}\n`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function follow(iam: IAMClient, DeletionTaskId: string, pollMs: number, io: CliIo): Promise<number> {
  let last = '';
  for (;;) {
    const answer = await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }));
    if (answer.Status !== last) {
      last = answer.Status!;
      io.out(`${last}\n`);
    }
    if (last === 'SUCCEEDED') return EXIT_OK;
    if (last === 'FAILED') {
      io.out(describeFailure(answer.Reason));
      return EXIT_FAILURE;
    }
    await sleep(pollMs);
  }
}

async function runCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const iam = client(args);
  switch (args.positionals[0]) {
    case 'create': {
      const AWSServiceName = one(args, 'service principal');
      const Description = optionValue(args, 'description');
      const CustomSuffix = optionValue(args, 'custom-suffix');
      const { Role } = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName, Description, CustomSuffix }));
      const role = { ...Role, AssumeRolePolicyDocument: Role?.AssumeRolePolicyDocument && decodeURIComponent(Role.AssumeRolePolicyDocument) };
      io.out(`${JSON.stringify(role, null, 2)}\n`);
      return EXIT_OK;
    }
    case 'delete': {
      const RoleName = one(args, 'role name');
      const pollText = optionValue(args, 'poll-ms') ?? '500';
      if (!/^\d+$/.test(pollText)) throw new UsageError('--poll-ms must be a whole number of milliseconds');
      const { DeletionTaskId } = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName }));
      io.out(`${DeletionTaskId}\n`);
      return optionFlag(args, 'wait') ? follow(iam, DeletionTaskId!, Number(pollText), io) : EXIT_OK;
    }
    case 'status': {
      const DeletionTaskId = one(args, 'deletion task id');
      const answer = await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }));
      io.out(`${answer.Status}\n${describeFailure(answer.Reason)}`);
      return EXIT_OK;
    }
    default:
      throw new UsageError(args.positionals[0] === undefined ? 'which one: create, delete or status?' : `unknown subcommand '${args.positionals[0]}'`);
  }
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, SPEC);
    if (optionFlag(args, 'help')) {
      io.out(USAGE);
      return EXIT_OK;
    }
    return await runCommand(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`iamd slr: ${error.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    // An answer from the service (AccessDenied, NoSuchEntity, …) or a connection failure: one line.
    const e = error as Error & { $metadata?: unknown; code?: string };
    if (e.$metadata !== undefined || e.code === 'ECONNREFUSED' || e.name === 'TypeError') {
      io.err(`iamd slr: ${e.name}: ${e.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}
