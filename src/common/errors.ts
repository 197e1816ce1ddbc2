// An error that an API answers with. Domain code throws it; each protocol encodes it in its own
// envelope (Query XML, JSON 1.1, REST-JSON, EC2 XML). Anything else that escapes a handler is a bug,
// answered as InternalFailure (500) and logged.

export type Fault = 'Sender' | 'Receiver';

export class ApiError extends Error {
  constructor(
    /** The wire `Code`, e.g. `NoSuchEntity`, `CacheClusterNotFound`, `ValidationError`. */
    readonly code: string,
    message: string,
    /** HTTP status, as the service's model gives it for this error. */
    readonly status = 400,
    readonly fault: Fault = 'Sender',
    /**
     * Members of the error shape beyond the message, by wire name, for protocols whose error body
     * carries them (MQ's `errorAttribute`: REST-JSON puts them beside `message`).
     */
    readonly members?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
