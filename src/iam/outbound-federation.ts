// The account's outbound web identity federation switch as the store holds it (one account-scoped
// entity), and the GLOBAL index from an issuer's id — the host label of its URL — to its account, so
// the issuer's public documents (discovery, JWKS) can be found without a caller.

import { GLOBAL, type Tx } from '../store/types.ts';
import { KIND } from './model.ts';

export interface OutboundFederationDoc {
  enabled: boolean;
  issuer: string;
}

export const OUTBOUND_FEDERATION_KEY = 'settings';
export const OUTBOUND_ISSUER_KIND = 'outbound-issuer';

interface IssuerIndexDoc {
  account: string;
}

/** The account's switch, if it was ever enabled. */
export async function outboundFederation(tx: Tx, account: string): Promise<OutboundFederationDoc | undefined> {
  return (await tx.get<OutboundFederationDoc>(account, KIND.outboundFederation, OUTBOUND_FEDERATION_KEY))?.doc;
}

/** The issuer's id: the first label of its host (`https://<id>.tokens.sts.global.api.aws`). */
export const issuerId = (issuer: string): string => new URL(issuer).hostname.split('.')[0]!;

/** Records that `issuer` is `account`'s, once. */
export async function indexIssuer(tx: Tx, account: string, issuer: string): Promise<void> {
  const id = issuerId(issuer);
  if (!(await tx.get(GLOBAL, OUTBOUND_ISSUER_KIND, id))) await tx.insert(GLOBAL, OUTBOUND_ISSUER_KIND, id, { account } satisfies IssuerIndexDoc, account);
}

/** The account whose issuer has the id `id`, if any. */
export async function accountOfIssuer(tx: Tx, id: string): Promise<string | undefined> {
  return (await tx.get<IssuerIndexDoc>(GLOBAL, OUTBOUND_ISSUER_KIND, id))?.doc.account;
}
