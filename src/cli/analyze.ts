// `iamd analyze`: who can reach what, from the store `iamd serve` uses (docs/analysis.md).
//   iamd analyze who-can ACTION RESOURCE [--account ID]   every principal that can, and how
//   iamd analyze reach PRINCIPAL_ARN                      everything it can do, by service
//   iamd analyze escalations [--account ID]               every non-admin principal's way to admin
// It reads the store directly (no server needed; SQLite and PostgreSQL both take a reader beside a
// running server) and analyzes one account or, without --account, every account.

import { accessGraph, escalations, linkedServiceRoles, reach, renderDot, renderText, whoCan, type Answer, type AnalysisSources } from '../analysis/index.ts';
import { loadServiceCatalog } from '../iam/catalog/service-linked-roles.ts';
import { listAccountIds } from '../iam/index.ts';
import type { Store } from '../store/types.ts';
import { optionValue, parseArgs, UsageError } from './args.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './io.ts';
import { STORE_OPTIONS, STORE_USAGE, storeAccessOrTell } from './store-access.ts';

const USAGE = `usage:
  iamd analyze who-can ACTION RESOURCE [--account ID] [--format json|text|dot] ${STORE_USAGE}
      Every principal that may call ACTION on RESOURCE, directly or through a path (assuming roles,
      minting credentials, changing policies, passing roles, acting through a service's role), each
      with its shortest path and the statements that allow every step.
  iamd analyze reach PRINCIPAL_ARN [--format json|text|dot] ${STORE_USAGE}
      Everything the user or role may do, directly and through paths, grouped by service.
  iamd analyze escalations [--account ID] [--format json|text|dot] ${STORE_USAGE}
      Every path from a principal without admin power to admin power.

Without --account, who-can and escalations look at every account. Default format: text.
Exit code: 0 answered, 1 no such principal, 2 usage error.
`;

const FORMATS = ['json', 'text', 'dot'] as const;
type Format = (typeof FORMATS)[number];

async function allAccounts(store: Store): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const page = await store.read((tx) => listAccountIds(tx, ids.at(-1), 1000));
    ids.push(...page);
    if (page.length < 1000) return ids;
  }
}

const accountOfArn = (arn: string): string | undefined => /^arn:aws[a-z-]*:iam::(\d{12}):(user|role)\//.exec(arn)?.[1];

function render(answer: Answer, format: Format): string {
  if (format === 'text') return renderText(answer);
  if (format === 'dot') return renderDot(answer);
  return `${JSON.stringify(answer.answer, null, 2)}\n`;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  let format: Format;
  try {
    parsed = parseArgs(argv, { account: 'one', format: 'one', ...STORE_OPTIONS, help: 'flag' });
    if (parsed.options.has('help')) {
      io.out(USAGE);
      return EXIT_OK;
    }
    const asked = optionValue(parsed, 'format') ?? 'text';
    if (!(FORMATS as readonly string[]).includes(asked)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    format = asked as Format;
    const [question, ...rest] = parsed.positionals;
    const arity: Record<string, number> = { 'who-can': 2, reach: 1, escalations: 0 };
    if (question === undefined || !(question in arity)) throw new UsageError('the question is who-can, reach or escalations');
    if (rest.length !== arity[question]) throw new UsageError(`${question} takes ${arity[question]} argument${arity[question] === 1 ? '' : 's'}`);
    const account = optionValue(parsed, 'account');
    if (account !== undefined && !/^\d{12}$/.test(account)) throw new UsageError(`an account id is 12 digits, got "${account}"`);
    if (question === 'reach' && accountOfArn(rest[0]) === undefined) throw new UsageError(`reach takes the ARN of a user or role, got "${rest[0]}"`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`iamd analyze: ${error.message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const access = storeAccessOrTell(parsed, io, 'analyze');
  if (!access) return EXIT_USAGE;

  const catalog = loadServiceCatalog();
  const sources: AnalysisSources = { awsPolicies: catalog.policies(), linked: linkedServiceRoles(catalog) };
  const [question, ...args] = parsed.positionals;
  const store = await access.open();
  try {
    if (question === 'reach') {
      const graph = await accessGraph(store, sources, accountOfArn(args[0])!);
      const answer = reach(graph, args[0]);
      if (!answer) {
        io.err(`iamd analyze: no user or role ${args[0]}\n`);
        return EXIT_FAILURE;
      }
      io.out(render({ question: 'reach', answer }, format));
      return EXIT_OK;
    }
    const only = optionValue(parsed, 'account');
    const accounts = only !== undefined ? [only] : await allAccounts(store);
    if (question === 'who-can') {
      const principals = [];
      for (const account of accounts) principals.push(...whoCan(await accessGraph(store, sources, account), args[0], args[1]).principals);
      io.out(render({ question: 'who-can', action: args[0], resource: args[1], answer: { principals } }, format));
    } else {
      const paths = [];
      for (const account of accounts) paths.push(...escalations(await accessGraph(store, sources, account)).paths);
      io.out(render({ question: 'escalations', answer: { paths } }, format));
    }
    return EXIT_OK;
  } finally {
    await store.close();
  }
}
