// iamd's own JSON API for "who can reach what" (docs/analysis.md):
//   GET /_iamd/analysis/who-can?action=…&resource=…   GET /_iamd/analysis/reach?principal=…
//   GET /_iamd/analysis/escalations
// Unlike /_iamd/health and /_iamd/reset these answer about an account's permissions, so each request
// is SigV4-signed (credential scope service `iam`, as an IAM client signs) and authorized like the
// IAM call that reveals the same: iam:GetAccountAuthorizationDetails on `*`. Anyone who may read every
// policy of the account can compute the analysis from them; nobody else gets it. The answer is about
// the caller's own account. Graphs are kept per account until its generation moves.

import type { Authorizer } from '../authz/authorizer.ts';
import { accessGraph, escalations, reach, whoCan, type AccessGraph, type AnalysisSources } from '../analysis/index.ts';
import { ApiError, isApiError } from '../common/errors.ts';
import { unavailableAsApiError } from '../common/unavailable.ts';
import type { Store } from '../store/types.ts';
import type { ApiHandler } from './api.ts';
import type { RawRequest, RawResponse } from './http.ts';

export const ANALYSIS_ACTION = 'iam:GetAccountAuthorizationDetails';
const PREFIX = '/_iamd/analysis/';
const MAX_CACHED_ACCOUNTS = 32;

export interface AnalysisRouteDeps {
  store: Store;
  api: ApiHandler;
  authorizer: Authorizer;
  sources: AnalysisSources;
  log: (line: string) => void;
}

const json = (status: number, body: unknown): RawResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Errors in the awsJson envelope an SDK reads: `__type` and `message`. */
const failure = (error: ApiError): RawResponse => json(error.status, { __type: error.code, message: error.message });

const missing = (name: string) => new ApiError('ValidationError', `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`, 400);

export function analysisRoutes(deps: AnalysisRouteDeps): (req: RawRequest) => Promise<RawResponse | undefined> {
  const graphs = new Map<string, { generation: number; graph: AccessGraph }>();

  async function graphOf(account: string): Promise<AccessGraph> {
    const generation = await deps.store.read((tx) => tx.generation(account));
    const cached = graphs.get(account);
    if (cached && cached.generation === generation) return cached.graph;
    const graph = await accessGraph(deps.store, deps.sources, account);
    graphs.delete(account);
    if (graphs.size >= MAX_CACHED_ACCOUNTS) graphs.delete(graphs.keys().next().value!);
    graphs.set(account, { generation, graph });
    return graph;
  }

  async function answer(question: string, query: URLSearchParams, account: string): Promise<unknown> {
    const graph = await graphOf(account);
    switch (question) {
      case 'who-can': {
        const action = query.get('action');
        const resource = query.get('resource');
        if (!action) throw missing('action');
        if (!resource) throw missing('resource');
        return whoCan(graph, action, resource);
      }
      case 'reach': {
        const principal = query.get('principal');
        if (!principal) throw missing('principal');
        const answered = reach(graph, principal);
        if (!answered) throw new ApiError('NoSuchEntity', `The user or role with ARN ${principal} cannot be found in account ${account}.`, 404);
        return answered;
      }
      default:
        return escalations(graph);
    }
  }

  return async (req) => {
    if (!req.path.startsWith(PREFIX)) return undefined;
    const question = req.path.slice(PREFIX.length);
    if (!['who-can', 'reach', 'escalations'].includes(question)) return json(404, { error: `no such iamd endpoint: ${req.method} ${req.path}` });
    if (req.method !== 'GET') return json(405, { error: `${req.path} answers GET only` });
    try {
      const now = new Date();
      const ctx = await deps.store.read(async (tx) => {
        const context = await deps.api.signedContext(req, tx, now, 'iam', 'GetAccountAuthorizationDetails');
        await deps.authorizer.authorize([{ action: ANALYSIS_ACTION, resource: '*' }], context, tx);
        return context;
      });
      return json(200, await answer(question, new URLSearchParams(req.rawQuery), ctx.account));
    } catch (caught) {
      const error = unavailableAsApiError(caught);
      if (isApiError(error)) return failure(error);
      deps.log(`analysis ${req.path} failed: ${(error as Error)?.stack ?? String(error)}`);
      return json(500, { __type: 'InternalFailure', message: 'The request processing has failed because of an unknown error, exception or failure.' });
    }
  };
}
