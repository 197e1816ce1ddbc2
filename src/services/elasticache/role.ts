// ElastiCache's service-linked role (AWSServiceRoleForElastiCache): the principal it trusts. The first
// cluster, replication group or cache subnet group creates the role with the caller's authority
// (ensureRole, in the resource's own transaction); a caller who may not create it gets IAM's
// AccessDenied naming iam:CreateServiceLinkedRole, as iamd's linked services all answer, and the
// request creates nothing, not even the role. (Real ElastiCache has been seen answering
// ServiceLinkedRoleNotFoundFault here; docs/services.md says why iamd does not.) ElastiCache finds
// its network interfaces by description, so its role's policy keys on no tag.


export const PRINCIPAL = 'elasticache.amazonaws.com';
