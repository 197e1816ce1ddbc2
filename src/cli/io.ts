// What a subcommand may touch of the outside world besides files: its two output streams.
// Passing them in (rather than using `process` directly) keeps commands callable from tests and
// lets `main` own the one place where output reaches the terminal.

export interface CliIo {
  /** Writes to standard output; `text` carries its own line ends. */
  out(text: string): void;
  /** Writes to standard error; `text` carries its own line ends. */
  err(text: string): void;
}

/** Exit codes shared by every subcommand. */
export const EXIT_OK = 0;
/** The input was read and judged: invalid policy, failed check. */
export const EXIT_FAILURE = 1;
/** The command was called wrongly or its input could not be read. */
export const EXIT_USAGE = 2;

/** A subcommand module's one export that `main` calls. */
export type CommandRun = (args: string[], io: CliIo) => Promise<number>;
