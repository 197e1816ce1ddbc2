// STS's two questions about things a caller already holds: which account an access key belongs to
// (GetAccessKeyInfo) and what an encoded authorization failure says (DecodeAuthorizationMessage).

import { defineOperation, type Operation } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import { decodeAuthorizationFailure, failureAccount } from '../authz/authorization-message.ts';
import type { Tx } from '../store/types.ts';

export interface InsightDeps {
  /** The account of a key iamd issued (long-term or session), if it issued it. */
  accountOfKey(tx: Tx, accessKeyId: string): Promise<string | undefined>;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The account AWS encodes in its key ids: after the four-letter prefix, the key is base32; its first
 * six bytes hold the account shifted left by seven bits. Undefined for an id that is not base32.
 */
export function accountEncodedIn(accessKeyId: string): string | undefined {
  const body = accessKeyId.slice(4).toUpperCase();
  if (body.length < 10) return undefined;
  let bits = 0n;
  for (const ch of body.slice(0, 10)) {
    const v = BASE32.indexOf(ch);
    if (v < 0) return undefined;
    bits = (bits << 5n) | BigInt(v);
  }
  // Ten characters are fifty bits; the first six bytes are their top forty-eight.
  const sixBytes = bits >> 2n;
  const account = (sixBytes & 0x7fffffffff80n) >> 7n;
  return account.toString().padStart(12, '0');
}

const invalidMessage = () => new ApiError('InvalidAuthorizationMessageException', 'The encoded authorization message is invalid.', 400);

export function insightOperations(deps: InsightDeps): Operation[] {
  return [
    defineOperation<{ AccessKeyId: string }, { Account: string }>('sts', 'GetAccessKeyInfo', {
      readOnly: true,
      authorize: () => [{ action: 'sts:GetAccessKeyInfo', resource: '*' }],
      async handle(input, _ctx, tx) {
        const account = (await deps.accountOfKey(tx, input.AccessKeyId)) ?? accountEncodedIn(input.AccessKeyId);
        if (account === undefined) throw new ApiError('ValidationError', `Access key id ${input.AccessKeyId} is invalid.`, 400);
        return { Account: account };
      },
    }),
    defineOperation<{ EncodedMessage: string }, { DecodedMessage: string }>('sts', 'DecodeAuthorizationMessage', {
      readOnly: true,
      authorize: () => [{ action: 'sts:DecodeAuthorizationMessage', resource: '*' }],
      async handle(input, ctx) {
        const failure = decodeAuthorizationFailure(input.EncodedMessage);
        // Only the account the refused request came from may read why it was refused.
        if (!failure || failureAccount(failure) !== ctx.account) throw invalidMessage();
        const decoded = {
          allowed: false,
          explicitDeny: failure.explicitDeny,
          matchedStatements: { items: [] },
          failures: { items: [] },
          context: {
            principal: { arn: failure.principal },
            action: failure.action,
            resource: failure.resource,
            conditions: { items: [] },
          },
        };
        return { DecodedMessage: JSON.stringify(decoded) };
      },
    }),
  ];
}
