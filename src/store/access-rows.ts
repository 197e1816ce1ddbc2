// Access Advisor's rows as both databases return them (principal, principal_arn, namespace, action,
// region, last_used — the column order of the listAccess statements), read back the same way.

import type { AccessUse } from './types.ts';

/** last_used is a number from SQLite, a bigint string from PostgreSQL. */
export type AccessRow = [principal: string, principalArn: string, namespace: string, action: string, region: string, lastUsed: string | number | bigint];

export const toAccessUse = (account: string, row: AccessRow): AccessUse => ({
  account,
  principalId: row[0],
  principalArn: row[1],
  namespace: row[2],
  action: row[3],
  region: row[4],
  lastUsed: Number(row[5]),
});
