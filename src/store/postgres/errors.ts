// PostgreSQL error codes the store acts on.

/** serialization_failure, deadlock_detected: the transaction lost a race and may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01']);

export const UNIQUE_VIOLATION = '23505';

export const sqlState = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
    ? (e as { code: string }).code
    : undefined;

export const isRetryable = (e: unknown): boolean => RETRYABLE.has(sqlState(e) ?? '');
