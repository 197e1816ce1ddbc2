// The fuzz loop: builds case after case (cases.ts), turns each into bytes (encode, damage, sign),
// sends it to a running iamd and checks the answer (envelopes.ts). Several cases are in flight at
// once; case generation depends on (seed, index) only, so the order in which answers come back does
// not change what is sent. Collects what the run saw — statuses, error codes, which operations
// answered NotImplemented — and every failure with what is needed to replay it.

import { serviceModel } from '../../src/protocol/model.ts';
import { signingNameOf } from '../../src/protocol/index.ts';
import { generateCase, type Cleanup, type FuzzCase } from './cases.ts';
import { checkAnswer, errorCode, isHttpRefusal, type Answer } from './envelopes.ts';
import { Hang, Transport } from './send.ts';
import { sign, type SigningCredentials } from './signing.ts';
import { encodeRequest, type HttpRequestSpec } from './wire.ts';
import { applyWireMutation } from './wire-mutations.ts';

export interface RunOptions {
  seed: number;
  /** Cases 0 … count-1, unless `only` names the cases to run. */
  count: number;
  only?: readonly number[];
  endpoint: string;
  root: SigningCredentials;
  caller: SigningCredentials;
  concurrency: number;
  timeoutMs: number;
  /** The run stops after this many failures. */
  maxFailures: number;
  /** Says why the server is gone (it exited), or undefined while it runs. */
  serverGone?: () => string | undefined;
  progress?: (done: number, report: Report) => void;
}

export interface Failure {
  seed: number;
  index: number;
  problem: string;
  fuzzCase: FuzzCase;
  request?: HttpRequestSpec;
  answer?: Answer;
  /** The follow-up that failed, when it was a policy case's cleanup. */
  during?: string;
}

export interface Report {
  seed: number;
  cases: number;
  requests: number;
  elapsedMs: number;
  failures: Failure[];
  statuses: Map<number, number>;
  codes: Map<string, number>;
  /** Operations (`service:Operation`) that cases were sent to. */
  operations: Set<string>;
  /** Operations that answered NotImplemented at least once. */
  notImplemented: Set<string>;
  /** Operations that answered 2xx at least once. */
  succeeded: Set<string>;
  /** Properly signed cases without damage below the input that were still refused as unauthentic. */
  refusedAuthentic: number;
  /** Cleanups of policy cases that did not succeed (state then grows; not a protocol failure). */
  cleanupsFailed: number;
  /** Requests that were not HTTP Node reads (Transport.beyondHttp), refused by Node before iamd. */
  httpRefused: number;
}

/** Codes every protocol uses for "this request is not authentic". */
const AUTH_CODES = new Set([
  'MissingAuthenticationToken', 'IncompleteSignature', 'SignatureDoesNotMatch', 'InvalidClientTokenId', 'AuthFailure',
  'MissingAuthenticationTokenException', 'IncompleteSignatureException', 'InvalidSignatureException', 'UnrecognizedClientException',
]);

const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);

/** The bytes of a case, signed now. */
export async function requestOf(c: FuzzCase, credentials: SigningCredentials, host: string): Promise<HttpRequestSpec> {
  const model = serviceModel(c.service);
  const op = model.operations.get(c.operation)!;
  let spec = encodeRequest(model, c.protocol, op, c.input, c.encode);
  for (const m of c.wireMutations) spec = applyWireMutation(spec, m);
  return sign(spec, c.sign, credentials, signingNameOf(c.service), host, new Date());
}

function cleanupInput(cleanup: Cleanup, answer: Answer): Record<string, unknown> | undefined {
  switch (cleanup.operation) {
    case 'DeletePolicy':
      return { PolicyArn: cleanup.policyArn };
    case 'DeleteRole':
      return { RoleName: cleanup.roleName };
    case 'DeletePolicyVersion': {
      const version = /<VersionId>(v\d+)<\/VersionId>/.exec(answer.body.toString('utf8'))?.[1];
      return version ? { PolicyArn: cleanup.policyArn, VersionId: version } : undefined;
    }
  }
}

export async function runFuzz(options: RunOptions): Promise<Report> {
  const transport = new Transport(options.endpoint, options.timeoutMs, options.concurrency);
  const report: Report = {
    seed: options.seed, cases: 0, requests: 0, elapsedMs: 0, failures: [], statuses: new Map(), codes: new Map(),
    operations: new Set(), notImplemented: new Set(), succeeded: new Set(), refusedAuthentic: 0, cleanupsFailed: 0, httpRefused: 0,
  };
  const indexes = options.only ?? Array.from({ length: options.count }, (_, i) => i);
  const started = performance.now();
  let next = 0;
  let stopped = false;

  const fail = (failure: Omit<Failure, 'seed'>) => {
    report.failures.push({ seed: options.seed, ...failure });
    if (report.failures.length >= options.maxFailures) stopped = true;
  };

  /** Sends one request and checks its answer; false when it failed. */
  const exchange = async (c: FuzzCase, request: HttpRequestSpec, during?: string): Promise<Answer | undefined> => {
    report.requests++;
    const beyondHttp = Transport.beyondHttp(request);
    let answer: Answer;
    try {
      answer = await transport.send(request);
    } catch (error) {
      const gone = options.serverGone?.();
      // Node closes the connection after refusing what is not HTTP, maybe while the body is still going out.
      if (!gone && beyondHttp && !(error instanceof Hang)) {
        report.httpRefused++;
        return undefined;
      }
      const problem = gone ?? (error instanceof Hang ? `hang: ${error.message}` : `no answer: ${(error as Error).message}`);
      fail({ index: c.index, problem, fuzzCase: c, request, ...(during ? { during } : {}) });
      if (gone) stopped = true;
      return undefined;
    }
    bump(report.statuses, answer.status);
    const code = answer.status >= 300 ? errorCode(answer) : undefined;
    if (code) bump(report.codes, code);
    if (beyondHttp && isHttpRefusal(answer)) report.httpRefused++;
    const problem = checkAnswer(during ? c.protocol : c.expect, answer, beyondHttp);
    if (problem) {
      fail({ index: c.index, problem, fuzzCase: c, request, answer, ...(during ? { during } : {}) });
      return undefined;
    }
    return answer;
  };

  const runCase = async (index: number) => {
    const c = generateCase(options.seed, index);
    const credentials = c.signer === 'root' ? options.root : options.caller;
    const key = `${c.service}:${c.operation}`;
    report.cases++;
    report.operations.add(key);
    let request: HttpRequestSpec;
    try {
      request = await requestOf(c, credentials, transport.host);
    } catch (error) {
      // A bug of the fuzzer itself, reported like any failure so the run goes on and the case replays.
      fail({ index, problem: `the fuzzer could not build the request: ${(error as Error).stack ?? String(error)}`, fuzzCase: c });
      return;
    }
    const answer = await exchange(c, request);
    if (!answer) return;
    const code = answer.status >= 300 ? errorCode(answer) : undefined;
    // Only answers that are surely the operation's own (not another service's, not a damaged Action's).
    if (c.expect !== 'any' && c.wireMutations.length === 0) {
      if (code === 'NotImplemented') report.notImplemented.add(key);
      if (answer.status < 300) report.succeeded.add(key);
    }
    // The SDK's signer leaves a query parameter named `__proto__` out of its canonical query (it builds
    // it in a plain object), so such a request fails verification as it would on AWS.
    const protoParam = request.query.some(([name]) => name === '__proto__');
    const undamaged =
      c.sign.form !== 'none' && c.sign.tampers.length === 0 && c.sign.scopeService === undefined && c.sign.skewSeconds === 0 && !c.sign.wrongSecret && c.wireMutations.length === 0 && !protoParam;
    if (undamaged && code !== undefined && AUTH_CODES.has(code)) {
      report.refusedAuthentic++;
      fail({ index, problem: `a properly signed request was refused: ${code}`, fuzzCase: c, request, answer });
    }
    if (c.cleanup && answer.status < 300) {
      const input = cleanupInput(c.cleanup, answer);
      const model = serviceModel(c.service);
      const op = input && model.operations.get(c.cleanup.operation);
      if (!input || !op) {
        report.cleanupsFailed++;
        return;
      }
      const spec = encodeRequest(model, c.protocol, op, input);
      const cleanupRequest = await sign(spec, { ...c.sign, tampers: [] }, options.root, signingNameOf(c.service), transport.host, new Date());
      const done = await exchange(c, cleanupRequest, c.cleanup.operation);
      if (!done || done.status >= 300) report.cleanupsFailed++;
    }
  };

  const worker = async () => {
    while (!stopped && next < indexes.length) {
      const index = indexes[next++];
      await runCase(index);
      if (options.progress && report.cases % 10_000 === 0) options.progress(report.cases, report);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    transport.close();
    report.elapsedMs = performance.now() - started;
  }
  return report;
}
