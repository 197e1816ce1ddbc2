// Service-linked roles count in GetAccountSummary's Roles but not against RolesPerAccount, the quota
// that stops CreateRole. Their entities carry this ref so that customer roles are counted in two
// indexed counts, without reading a document.

import type { Tx } from '../../store/types.ts';
import { KIND } from '../model.ts';

/** The `ref` of a service-linked role's entity. */
export const SERVICE_LINKED_ROLE_REF = 'service-linked';

/** The roles that count against RolesPerAccount. */
export async function countCustomerRoles(tx: Tx, account: string): Promise<number> {
  const [all, serviceLinked] = await Promise.all([tx.count(account, KIND.role), tx.count(account, KIND.role, { ref: SERVICE_LINKED_ROLE_REF })]);
  return all - serviceLinked;
}
