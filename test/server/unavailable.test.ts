// The server's side of an unreachable store: StoreUnavailable becomes AWS's ServiceUnavailable (503,
// Receiver), anything else passes through untouched, and an outage is logged once per interval rather
// than once per request.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/common/errors.ts';
import { SERVICE_UNAVAILABLE_MESSAGE, ServiceUnavailable, unavailableAsApiError } from '../../src/common/unavailable.ts';
import { OutageLog } from '../../src/server/unavailable.ts';
import { StoreUnavailable } from '../../src/store/types.ts';

test('StoreUnavailable is ServiceUnavailable 503 with AWS text; other errors pass through', () => {
  const answer = unavailableAsApiError(new StoreUnavailable(new Error('connect ECONNREFUSED 127.0.0.1:5432')));
  assert.ok(answer instanceof ServiceUnavailable);
  assert.deepEqual([answer.code, answer.message, answer.status, answer.fault], ['ServiceUnavailable', SERVICE_UNAVAILABLE_MESSAGE, 503, 'Receiver']);
  assert.equal(SERVICE_UNAVAILABLE_MESSAGE, 'The request has failed due to a temporary failure of the server.');
  const denied = new ApiError('AccessDenied', 'no', 403);
  assert.equal(unavailableAsApiError(denied), denied);
  const bug = new TypeError('x is undefined');
  assert.equal(unavailableAsApiError(bug), bug);
});

test('an outage is logged when it starts and then at most once per interval, with what was left out', () => {
  const lines: string[] = [];
  let now = 1_000;
  const log = new OutageLog((line) => lines.push(line), 10_000, () => now);
  const failure = () => new ServiceUnavailable(new StoreUnavailable(new Error('read ECONNRESET')));
  log.note(failure());
  for (let i = 0; i < 50; i++) {
    now += 100;
    log.note(failure());
  }
  assert.deepEqual(lines, ['answering 503 ServiceUnavailable: store unavailable: read ECONNRESET']);
  now += 10_000;
  log.note(failure());
  assert.equal(lines.length, 2);
  assert.equal(lines[1], 'answering 503 ServiceUnavailable: store unavailable: read ECONNRESET (and 50 more requests since the last report)');
});
