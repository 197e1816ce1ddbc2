// MemoryDB's service-linked role (AWSServiceRoleForMemoryDB): the principal it trusts and the tag its
// policy keys on. The account's first cluster creates the role with the caller's authority
// (ensureRole, in the cluster's own transaction); a caller who may not create it gets IAM's
// AccessDenied (in MemoryDB's words, errors.ts) and the request creates nothing, not even the role.


export const PRINCIPAL = 'memorydb.amazonaws.com';

/**
 * The tag key MemoryDB puts (value `true`) on the network interfaces it makes: the role's policy lets
 * it delete only interfaces that carry it.
 */
export const MANAGED_TAG = 'AmazonMemoryDBManaged';
