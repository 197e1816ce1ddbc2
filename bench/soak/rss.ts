// The resident set size of a process, from /proc (Linux): what the soak watches for growth.

import { readFileSync } from 'node:fs';

/** RSS in MiB, or undefined when the process is gone or /proc is not there. */
export function rssMiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
