// During a database outage (src/common/unavailable.ts) the log gets one line per stretch of outage
// instead of a stack trace per request.

import type { ServiceUnavailable } from '../common/unavailable.ts';

/** Logs the first request failed by an outage, then at most one summary line per interval. */
export class OutageLog {
  private lastLogged = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly log: (line: string) => void,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  note(error: ServiceUnavailable): void {
    const at = this.now();
    if (at - this.lastLogged < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const more = this.suppressed > 0 ? ` (and ${this.suppressed} more requests since the last report)` : '';
    this.log(`answering 503 ServiceUnavailable: ${error.cause.message}${more}`);
    this.lastLogged = at;
    this.suppressed = 0;
  }
}
