// `npm run bench [-- NAME... [--quick] [--full] [--FLAG VALUE]...]`: runs every bench/*.bench.ts, or those
// whose name is given (`npm run bench -- policy`). Each benchmark module exports `run(options)` and prints
// its own tables, always with the peers it compares against measured in the same run. Flags with a value
// (`--minutes 10`) are the named benchmark's own; long-running ones (the soak) run only when named.

import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchOptions } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const options: BenchOptions = { quick: args.includes('--quick'), full: args.includes('--full'), args };
const BOOLEAN_FLAGS = new Set(['--quick', '--full']);
/** A word right after a flag that is not one of the boolean ones is that flag's value, not a name. */
const names = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--') && !args[i - 1].includes('=') && !BOOLEAN_FLAGS.has(args[i - 1])));
/** Benchmarks that take many minutes, run only when asked for by name. */
const ON_REQUEST = new Set(['soak']);

const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
const unknown = names.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  console.error(`no benchmark named ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}

console.log(`node ${process.version}, ${process.platform}/${process.arch}${options.quick ? ', quick run' : ''}`);
for (const name of names.length > 0 ? names : available.filter((n) => !ON_REQUEST.has(n))) {
  const module = (await import(pathToFileURL(join(here, `${name}.bench.ts`)).href)) as BenchModule;
  console.log(`\n# ${name}: ${module.title}\n`);
  await module.run(options);
}
