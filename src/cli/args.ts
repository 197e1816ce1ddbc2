// Command-line options for the `iamd` subcommands. Node's `util.parseArgs` cannot take several values
// after one flag (`--identity a.json b.json`), which the policy tools need, so this is a small parser
// with exactly the shapes the commands use: flags, one-value options, and many-value options.

/** `flag`: no value; `one`: exactly one value; `many`: one or more values, until the next `--option`. */
export type OptionArity = 'flag' | 'one' | 'many';

export type OptionSpec = Record<string, OptionArity>;

export interface ParsedArgs {
  /** Flags map to `true`; `one` options to their value; `many` options to all values, in order. */
  options: Map<string, true | string | string[]>;
  positionals: string[];
}

/** A mistake in how the command was called (exit code 2), as opposed to bad input data. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const isOptionToken = (token: string): boolean => token.startsWith('--') && token.length > 2;

/**
 * Parses `argv` against `spec` (option names without the leading `--`). Accepts `--name value`,
 * `--name=value`, repeated `many` options (values accumulate) and `--` to end options.
 */
export function parseArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const options = new Map<string, true | string | string[]>();
  const positionals: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const token = argv[i++];
    if (token === '--') {
      positionals.push(...argv.slice(i));
      break;
    }
    if (!isOptionToken(token)) {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = token.slice(2, eq === -1 ? undefined : eq);
    const inline = eq === -1 ? undefined : token.slice(eq + 1);
    const arity = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (arity === undefined) throw new UsageError(`unknown option --${name}`);

    if (arity === 'flag') {
      if (inline !== undefined) throw new UsageError(`option --${name} takes no value`);
      options.set(name, true);
      continue;
    }
    const values: string[] = [];
    if (inline !== undefined) values.push(inline);
    else if (arity === 'one') {
      if (i < argv.length && !isOptionToken(argv[i])) values.push(argv[i++]);
    } else {
      while (i < argv.length && !isOptionToken(argv[i]) && argv[i] !== '--') values.push(argv[i++]);
    }
    if (values.length === 0 || values.some((v) => v === '')) {
      throw new UsageError(`option --${name} needs ${arity === 'many' ? 'one or more values' : 'a value'}`);
    }
    if (arity === 'one') {
      if (options.has(name)) throw new UsageError(`option --${name} given more than once`);
      options.set(name, values[0]);
    } else {
      const previous = options.get(name);
      options.set(name, Array.isArray(previous) ? [...previous, ...values] : values);
    }
  }
  return { options, positionals };
}

/** Typed accessors, so commands read their options without casts. */
export const optionFlag = (args: ParsedArgs, name: string): boolean => args.options.get(name) === true;

export function optionValue(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function optionValues(args: ParsedArgs, name: string): string[] {
  const value = args.options.get(name);
  return Array.isArray(value) ? value : [];
}
