// `iamd policy`: the policy engine without a server.
//   iamd policy validate FILE… [--kind identity|resource|trust|boundary|session]
//   iamd policy eval [--identity FILE…] [--resource-policy FILE] [--boundary FILE] [--session FILE…]
//                    (--request JSON | --requests FILE.jsonl|-) [--explain]
// `validate` judges documents as IAM would when they are stored; `eval` prints one JSON decision per
// request, in request order. Input problems are reported on stderr in one line each, never as a trace.

import { readFile } from 'node:fs/promises';
import { compilePolicy, defaultSizeLimit, evaluate, explain, parsePolicy, policySize } from '../policy/index.ts';
import type { AuthzRequest, CompiledPolicy, PolicyKind, PolicySet } from '../policy/types.ts';
import { optionFlag, optionValue, optionValues, parseArgs, UsageError } from './args.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io.ts';
import type { CliIo } from './io.ts';
import { parseRequestText, RequestInputError } from './request.ts';

const POLICY_KINDS: readonly PolicyKind[] = ['identity', 'resource', 'trust', 'boundary', 'session'];

const USAGE = `usage:
  iamd policy validate FILE... [--kind identity|resource|trust|boundary|session] [--managed]
                       [--max-size N]
      Checks each policy document as IAM does when it is stored (default kind: identity) and prints
      the findings: AWS's error code and message for an invalid document, warnings otherwise.
      --managed: a managed policy version (must say "Version": "2012-10-17").
      --max-size: the size quota in characters (default: AWS's for the kind, e.g. 6144 identity).
      Exit code: 0 all valid, 1 some invalid, 2 usage error or unreadable file.

  iamd policy eval [--identity FILE...] [--resource-policy FILE] [--boundary FILE] [--session FILE...]
                   (--request JSON | --requests FILE.jsonl) [--explain]
      Evaluates requests against the policies and prints one JSON line per request:
      {"decision":"Allow"|"ExplicitDeny"|"ImplicitDeny", "deniedBy"?: ..., "explanation"?: ...}.
      A request is {"principal", "action", "resource", "context", "principalAccount"?, "resourceAccount"?};
      --requests reads one request per line ("-" reads standard input).
      Exit code: 0 evaluated, 1 invalid policy, 2 usage error or unreadable input.
`;

/** Bad input found while preparing a command; `exitCode` says whether it is usage (2) or invalid (1). */
class InputProblem extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

async function readInput(path: string): Promise<string> {
  try {
    return path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputProblem(`cannot read ${path}: ${reason}`, EXIT_USAGE);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function readKind(value: string | undefined): PolicyKind {
  if (value === undefined) return 'identity';
  if ((POLICY_KINDS as readonly string[]).includes(value)) return value as PolicyKind;
  throw new UsageError(`--kind must be one of ${POLICY_KINDS.join(', ')}`);
}

// ---- validate ----------------------------------------------------------------------------------

async function validate(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { kind: 'one', managed: 'flag', 'max-size': 'one', help: 'flag' });
  if (optionFlag(args, 'help')) return help(io);
  const kind = readKind(optionValue(args, 'kind'));
  const maxSize = readMaxSize(optionValue(args, 'max-size'), kind);
  const managed = optionFlag(args, 'managed');
  if (args.positionals.length === 0) throw new UsageError('validate needs a policy FILE');

  let exit = EXIT_OK;
  for (const path of args.positionals) {
    const text = await readInput(path);
    const result = parsePolicy(text, kind, { maxSize, managed });
    if (!result.ok) {
      io.out(`${path}: invalid ${kind} policy\n  error ${result.error.code}: ${result.error.message}\n`);
      exit = EXIT_FAILURE;
      continue;
    }
    const count = result.policy.statements.length;
    const size = `${policySize(text, kind)} of ${maxSize} characters`;
    io.out(`${path}: valid ${kind} policy (${count} statement${count === 1 ? '' : 's'}, ${size})\n`);
    for (const warning of result.warnings) io.out(`  warning: ${warning}\n`);
  }
  return exit;
}

function readMaxSize(value: string | undefined, kind: PolicyKind): number {
  if (value === undefined) return defaultSizeLimit(kind);
  if (!/^[1-9]\d{0,6}$/.test(value)) throw new UsageError('--max-size must be a positive number of characters');
  return Number(value);
}

// ---- eval --------------------------------------------------------------------------------------

async function loadPolicyFile(path: string, kind: PolicyKind): Promise<CompiledPolicy> {
  const result = parsePolicy(await readInput(path), kind);
  if (!result.ok) {
    throw new InputProblem(`${path}: invalid ${kind} policy: ${result.error.code}: ${result.error.message}`, EXIT_FAILURE);
  }
  return compilePolicy(result.policy, path);
}

async function loadPolicySet(args: ReturnType<typeof parseArgs>): Promise<PolicySet> {
  const set: PolicySet = {
    identity: await Promise.all(optionValues(args, 'identity').map((p) => loadPolicyFile(p, 'identity'))),
  };
  const resourcePolicy = optionValue(args, 'resource-policy');
  if (resourcePolicy !== undefined) set.resource = await loadPolicyFile(resourcePolicy, 'resource');
  const boundary = optionValue(args, 'boundary');
  if (boundary !== undefined) set.boundary = await loadPolicyFile(boundary, 'boundary');
  const session = optionValues(args, 'session');
  if (session.length > 0) set.session = await Promise.all(session.map((p) => loadPolicyFile(p, 'session')));
  return set;
}

/** All requests, or every problem in them: nothing is evaluated unless every line reads. */
async function loadRequests(args: ReturnType<typeof parseArgs>): Promise<AuthzRequest[]> {
  const inline = optionValue(args, 'request');
  const file = optionValue(args, 'requests');
  if ((inline === undefined) === (file === undefined)) {
    throw new UsageError('eval needs exactly one of --request JSON or --requests FILE.jsonl');
  }
  if (inline !== undefined) {
    try {
      return [parseRequestText(inline, '--request')];
    } catch (error) {
      if (error instanceof RequestInputError) throw new InputProblem(error.message, EXIT_USAGE);
      throw error;
    }
  }
  const requests: AuthzRequest[] = [];
  const problems: string[] = [];
  const lines = (await readInput(file!)).split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      requests.push(parseRequestText(line, `${file}:${i + 1}`));
    } catch (error) {
      if (!(error instanceof RequestInputError)) throw error;
      problems.push(error.message);
    }
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 20);
    if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more`);
    throw new InputProblem(shown.join('\n'), EXIT_USAGE);
  }
  if (requests.length === 0) throw new InputProblem(`${file}: no requests`, EXIT_USAGE);
  return requests;
}

async function evalRequests(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, {
    identity: 'many',
    'resource-policy': 'one',
    boundary: 'one',
    session: 'many',
    request: 'one',
    requests: 'one',
    explain: 'flag',
    help: 'flag',
  });
  if (optionFlag(args, 'help')) return help(io);
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const requests = await loadRequests(args);
  const set = await loadPolicySet(args);
  const withExplanation = optionFlag(args, 'explain');

  // One write per block of lines: a write per line dominates the run time for large request files.
  let block = '';
  for (const request of requests) {
    let line: string;
    if (withExplanation) {
      // The request's own fields are what the user just wrote; the rest is the explanation.
      const { decision, deniedBy, action: _a, resource: _r, principal: _p, ...explanation } = explain(set, request);
      line = JSON.stringify({ decision, ...(deniedBy && { deniedBy }), explanation });
    } else {
      const { decision, deniedBy } = evaluate(set, request);
      line = JSON.stringify({ decision, ...(deniedBy && { deniedBy }) });
    }
    block += line + '\n';
    if (block.length > 1 << 16) {
      io.out(block);
      block = '';
    }
  }
  if (block !== '') io.out(block);
  return EXIT_OK;
}

// ---- dispatch ----------------------------------------------------------------------------------

function help(io: CliIo): number {
  io.out(USAGE);
  return EXIT_OK;
}

/** Entry point of `iamd policy …`. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'validate':
        return await validate(rest, io);
      case 'eval':
        return await evalRequests(rest, io);
      case '--help':
      case '-h':
      case 'help':
        return help(io);
      case undefined:
        throw new UsageError('missing subcommand: validate or eval');
      default:
        throw new UsageError(`unknown subcommand '${sub}': expected validate or eval`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`iamd policy: ${error.message}\nRun 'iamd policy --help' for usage.\n`);
      return EXIT_USAGE;
    }
    if (error instanceof InputProblem) {
      io.err(`iamd policy: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
