// The web console's files, served at /console/ on iamd's own listener. The console is a static
// single-page app (console/, bundled into console/dist at install time by scripts/build-console.js):
// it holds no secret and reaches no data of its own. Every account datum it shows comes from the
// public AWS APIs, signed in the browser with the credentials its user typed, so it is authorized
// and audited like any client's call. Same origin as the APIs, so no CORS is needed or offered.

import { existsSync, readFileSync } from 'node:fs';
import type { ServiceCatalog } from '../iam/catalog/service-linked-roles.ts';
import type { RawRequest, RawResponse } from './http.ts';

export const CONSOLE_PREFIX = '/console/';

const DIST = new URL('../../console/dist/', import.meta.url);

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  svg: 'image/svg+xml',
};

/**
 * The page may load only its own files and talk only to its own origin: a script injected through a
 * displayed value (a role description, a tag) could neither load code nor send credentials elsewhere.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** What the create-role wizard needs of the service-linked-role catalog (public knowledge, as on AWS). */
export interface ConsoleCatalogEntry {
  servicePrincipal: string;
  roleName: string;
  customSuffixAllowed: boolean;
  policyArns: string[];
  description?: string;
}

export function consoleCatalog(catalog: ServiceCatalog): ConsoleCatalogEntry[] {
  return catalog.list().map((s) => ({
    servicePrincipal: s.servicePrincipal,
    roleName: s.roleName,
    customSuffixAllowed: s.customSuffixAllowed,
    policyArns: s.policyArns,
    ...(s.description ? { description: s.description } : {}),
  }));
}

function page(status: number, type: string, body: string | Buffer, cache: string): RawResponse {
  return { status, headers: { 'content-type': type, 'cache-control': cache, ...SECURITY_HEADERS }, body };
}

/**
 * The handler of /console and /console/…; undefined for any other path. The bundle is read once:
 * it changes only with a reinstall, which restarts iamd.
 */
export function consoleHandler(catalog: ServiceCatalog): (req: RawRequest) => RawResponse | undefined {
  const files = new Map<string, Buffer>();
  let catalogJson: string | undefined;
  const file = (name: string): Buffer | undefined => {
    if (!files.has(name)) {
      const url = new URL(name, DIST);
      if (!existsSync(url)) return undefined;
      files.set(name, readFileSync(url));
    }
    return files.get(name);
  };
  return (req) => {
    if (req.path === '/console') return { status: 301, headers: { location: CONSOLE_PREFIX }, body: '' };
    if (!req.path.startsWith(CONSOLE_PREFIX)) return undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return { status: 405, headers: { allow: 'GET, HEAD', 'content-type': 'text/plain' }, body: 'method not allowed' };
    }
    const name = req.path.slice(CONSOLE_PREFIX.length) || 'index.html';
    if (name === 'catalog.json') {
      catalogJson ??= JSON.stringify(consoleCatalog(catalog));
      return page(200, TYPES.json, catalogJson, 'no-cache');
    }
    // Only the bundle's own flat file names: nothing outside console/dist can be named.
    if (!/^[a-z0-9-]+\.(html|js|css|svg)$/.test(name)) return page(404, 'text/plain', 'not found', 'no-store');
    const body = file(name);
    if (!body) {
      return name === 'index.html'
        ? page(503, 'text/plain; charset=utf-8', 'The console is not built: run `npm run build:console` (npm install does it).', 'no-store')
        : page(404, 'text/plain', 'not found', 'no-store');
    }
    return page(200, TYPES[name.slice(name.lastIndexOf('.') + 1)], body, 'no-cache');
  };
}
