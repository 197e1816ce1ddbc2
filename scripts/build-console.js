#!/usr/bin/env node
// Bundles the web console (console/src) into console/dist: one script, one stylesheet and the page,
// all served by iamd at /console/. Run by `npm install` (postinstall), so a fresh clone serves it with
// nothing fetched at run time; `npm run build:console` after changing console/src.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';

const root = new URL('../console/', import.meta.url);
const dist = new URL('dist/', root);
mkdirSync(dist, { recursive: true });
await build({
  entryPoints: [new URL('src/main.tsx', root).pathname],
  outfile: new URL('app.js', dist).pathname,
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(new URL('src/index.html', root), new URL('index.html', dist));
copyFileSync(new URL('src/app.css', root), new URL('app.css', dist));
if (process.argv.includes('--size')) {
  for (const name of ['app.js', 'app.css', 'index.html']) console.log(`${name}\t${statSync(new URL(name, dist)).size} bytes`);
}
