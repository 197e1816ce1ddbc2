// The account ids the tests share, declared once. ACCOUNT is the one a started iamd serves unless told
// otherwise (--account-id), and the one the IAM harness works in; OTHER_ACCOUNT is a second account
// for cross-account and isolation checks.

export const ACCOUNT = '123456789012';
export const OTHER_ACCOUNT = '210987654321';

/**
 * The two accounts of the suites below IAM (the store and the event log's writer), where an account
 * is only a partition key: ids that tell apart at a glance in a failed comparison. The store's child
 * processes (test/store/fixtures) write under ACCOUNT_A too, so both sides must read it from here.
 */
export const ACCOUNT_A = '111111111111';
export const ACCOUNT_B = '222222222222';
