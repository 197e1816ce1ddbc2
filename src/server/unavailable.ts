// A database that cannot be reached is a temporary failure of the server, not a bug: the client gets
// AWS's ServiceUnavailable (503, in the protocol's own envelope), which every AWS SDK retries with
// back-off, and the log gets one line per stretch of outage instead of a stack trace per request.

import { ApiError } from '../common/errors.ts';
import { StoreUnavailable } from '../store/types.ts';

/** The text of AWS's common error ServiceUnavailable (IAM, STS, EC2 and the JSON services list it so). */
export const SERVICE_UNAVAILABLE_MESSAGE = 'The request has failed due to a temporary failure of the server.';

/** ServiceUnavailable, with the store's failure as its cause (for the log, and for background work). */
export class ServiceUnavailable extends ApiError {
  override readonly cause: StoreUnavailable;

  constructor(storeError: StoreUnavailable) {
    super('ServiceUnavailable', SERVICE_UNAVAILABLE_MESSAGE, 503, 'Receiver');
    this.cause = storeError;
  }
}

/** The client's answer for an unavailable store; any other error as it is. */
export const unavailableAsApiError = (error: unknown): unknown =>
  error instanceof StoreUnavailable ? new ServiceUnavailable(error) : error;

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
