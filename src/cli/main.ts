// The `iamd` command: a table of subcommands, each a module loaded only when it is run (so
// `iamd policy` never loads the server or the database). Adding a subcommand is one line in
// `commands`; its module exports `run(args, io)`.

import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io.ts';
import type { CliIo, CommandRun } from './io.ts';

interface CommandEntry {
  summary: string;
  load: () => Promise<{ run: CommandRun }>;
}

const commands: Record<string, CommandEntry> = {
  serve: { summary: 'start the server (IAM, STS and the linked services on one port)', load: () => import('./serve.ts') },
  accounts: { summary: 'add an account and print its root credentials', load: () => import('./accounts.ts') },
  keys: { summary: 're-seal every secret in the store under a new master key', load: () => import('./keys.ts') },
  policy: { summary: 'validate policies and evaluate requests, without a server', load: () => import('./policy.ts') },
  analyze: { summary: "who can reach what: who may call an action, a principal's reach, escalations", load: () => import('./analyze.ts') },
  slr: { summary: 'create and delete service-linked roles on a running iamd', load: () => import('./slr.ts') },
};

const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'usage: iamd <command> [arguments]',
    '',
    'commands:',
    ...lines,
    '',
    "Run 'iamd <command> --help' (or 'iamd help <command>') for a command's arguments.",
    '',
  ].join('\n');
}

/** Runs the `iamd` command line (`argv` without node and the script) and returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined) return main([topic, '--help'], io);
    (name === undefined ? io.err : io.out)(usage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (entry === undefined) {
    io.err(`iamd: unknown command '${name}'\n\n${usage()}`);
    return EXIT_USAGE;
  }
  try {
    const { run } = await entry.load();
    return await run(rest, io);
  } catch (error) {
    // Commands report bad input themselves; reaching here is a bug. Say so in one line, not a trace,
    // unless the user asked for the details.
    const detail = process.env.IAMD_DEBUG ? String((error as Error)?.stack ?? error) : String((error as Error)?.message ?? error);
    io.err(`iamd ${name}: unexpected error: ${detail}\n`);
    return EXIT_FAILURE;
  }
}
