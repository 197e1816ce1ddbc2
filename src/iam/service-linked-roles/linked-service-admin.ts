// A testing facility, not an AWS API: `PUT /_iamd/linked-services/<principal>/usage` with
// `{"account": "123456789012", "usage": [{"region": "us-east-1", "resources": ["arn:…"]}]}` sets what a
// user-catalog service reports as using its service-linked role (`"usage": []` clears it);
// `GET` on the same path answers `{"account", "usage"}` for `?account=…` (default: iamd's account).
// It exists only when iamd runs with --allow-reset, and answers only callers on loopback.

import type { Store } from '../../store/types.ts';
import { SETTABLE_USAGE_KIND, setSettableUsage, type LinkedServiceRegistry, type RoleUsageReport, type SettableUsageDoc } from './usage.ts';

/** The parts of an HTTP request the endpoint reads (the server's RawRequest has them). */
export interface AdminRequest {
  method: string;
  path: string;
  rawQuery: string;
  body: Buffer;
  sourceIp: string;
}

export interface AdminResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface LinkedServiceAdminDeps {
  store: Store;
  linkedServices: LinkedServiceRegistry;
  allowReset: boolean;
  defaultAccount: string;
}

const PATH = /^\/_iamd\/linked-services\/([^/]+)\/usage$/;

const json = (status: number, body: unknown): AdminResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const isLoopback = (ip: string): boolean => ip === '::1' || ip.startsWith('127.');

function readUsage(value: unknown): RoleUsageReport[] | string {
  if (!Array.isArray(value)) return 'usage must be an array of { region, resources? }';
  const out: RoleUsageReport[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) return 'each usage entry must be an object { region, resources? }';
    const { region, resources } = item as { region?: unknown; resources?: unknown };
    if (typeof region !== 'string' || region === '') return 'usage[].region must be a non-empty string';
    if (resources === undefined) out.push({ region });
    else if (Array.isArray(resources) && resources.every((r) => typeof r === 'string')) out.push({ region, resources: [...(resources as string[])] });
    else return 'usage[].resources, when given, must be an array of ARN strings';
  }
  return out;
}

/** Answers the endpoint, or undefined when `req` is not for it (the server then tries its other routes). */
export function linkedServiceAdmin(deps: LinkedServiceAdminDeps): (req: AdminRequest) => Promise<AdminResponse | undefined> {
  return async (req) => {
    const match = PATH.exec(req.path);
    if (!match) return undefined;
    if (!deps.allowReset || !isLoopback(req.sourceIp)) {
      return json(403, { error: 'linked-service usage can be set only from loopback on an iamd started with --allow-reset' });
    }
    const principal = decodeURIComponent(match[1]!);
    if (!deps.linkedServices.isSettable(principal)) {
      return json(404, { error: `${principal} is not a service of the user service catalog (IAMD_SERVICE_CATALOG)` });
    }
    if (req.method === 'GET') {
      const account = new URLSearchParams(req.rawQuery).get('account') ?? deps.defaultAccount;
      const stored = await deps.store.read((tx) => tx.get<SettableUsageDoc>(account, SETTABLE_USAGE_KIND, principal));
      return json(200, { account, usage: stored?.doc.usage ?? [] });
    }
    if (req.method !== 'PUT') return json(405, { error: 'use PUT (set) or GET (read)' });

    let body: { account?: unknown; usage?: unknown };
    try {
      body = JSON.parse(req.body.toString('utf8')) as typeof body;
    } catch {
      return json(400, { error: 'the body must be JSON: {"account": "…", "usage": [{"region": "…", "resources": ["arn:…"]}]}' });
    }
    const account = body.account === undefined ? deps.defaultAccount : body.account;
    if (typeof account !== 'string' || !/^\d{12}$/.test(account)) return json(400, { error: 'account must be a 12-digit account id' });
    const usage = readUsage(body.usage);
    if (typeof usage === 'string') return json(400, { error: usage });
    await deps.store.transaction((tx) => setSettableUsage(tx, account, principal, usage));
    return json(200, { account, usage });
  };
}
