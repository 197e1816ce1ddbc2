// How long a session issued to a user's or the root's own long-term keys lasts (GetSessionToken,
// GetFederationToken): twelve hours by default and thirty-six at most for a user, one hour for the root.

import { ApiError } from '../common/errors.ts';

const ONE_HOUR = 3600;
const USER_DEFAULT = 43200;
const USER_MAX = 129600;

export function longTermSessionDuration(requested: number | undefined, root: boolean): number {
  const max = root ? ONE_HOUR : USER_MAX;
  const duration = requested ?? (root ? ONE_HOUR : USER_DEFAULT);
  if (duration > max) {
    throw new ApiError('ValidationError', `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to ${max}`, 400);
  }
  return duration;
}
