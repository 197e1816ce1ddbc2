// A database that cannot be reached is a temporary failure of the server, not a bug: the client gets
// AWS's ServiceUnavailable (503, in the protocol's own envelope), which every AWS SDK retries with
// back-off. Both the dispatcher (which records the refusal) and the server (which answers it) need it.

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
