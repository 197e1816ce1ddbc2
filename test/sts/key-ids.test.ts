// Session key ids carry their account as AWS's ids do (src/sts/key-ids.ts), so GetAccessKeyInfo reads
// it from the id alone: every account comes back from the id made for it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { accountEncodedIn, keyIdOfAccount } from '../../src/sts/key-ids.ts';

test('a key id made for an account decodes to it, and has the shape of an AWS key id', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (n) => {
      const account = String(n).padStart(12, '0');
      const id = keyIdOfAccount('ASIA', account);
      assert.match(id, /^ASIA[A-Z2-7]{16}$/);
      assert.equal(accountEncodedIn(id), account);
    }),
    { numRuns: 2000 },
  );
  // AWS's own published example, decoded the same way.
  assert.equal(accountEncodedIn('ASIAY34FZKBOKMUTVV7A'), '609629065308');
});
