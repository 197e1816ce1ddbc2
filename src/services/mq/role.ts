// Amazon MQ's service-linked role (AWSServiceRoleForAmazonMQ): the principal it trusts and the tag its
// policy keys on. The account's first broker creates the role with the caller's authority
// (ensureRole, in the broker's own transaction); without iam:CreateServiceLinkedRole the caller gets
// IAM's AccessDenied (as MQ's ForbiddenException, errors.ts) and the request, broker included, rolls
// back.


/** Amazon MQ's service principal: its role's trust policy names it, and it acts through that role. */
export const PRINCIPAL = 'mq.amazonaws.com';

/**
 * The tag key Amazon MQ puts (value `true`) on the VPC endpoints it makes: the role's policy allows
 * creating an endpoint only with this request tag, and deleting only endpoints that carry it.
 */
export const MANAGED_TAG = 'AMQManaged';
