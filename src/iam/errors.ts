// IAM's error answers, with the codes, statuses and texts real AWS returns. Texts marked "recorded"
// appear in shared/reference/aws-recorded; the others follow AWS's documented wording (docs/iam.md).

import { ApiError } from '../common/errors.ts';

const notFound = (message: string) => new ApiError('NoSuchEntity', message, 404);
const exists = (message: string) => new ApiError('EntityAlreadyExists', message, 409);
const conflict = (message: string) => new ApiError('DeleteConflict', message, 409);

// recorded
export const noSuchUser = (name: string) => notFound(`The user with name ${name} cannot be found.`);
export const noSuchGroup = (name: string) => notFound(`The group with name ${name} cannot be found.`);
export const noSuchRole = (name: string) => notFound(`The role with name ${name} cannot be found.`);
export const noSuchInlinePolicy = (owner: 'user' | 'group' | 'role', name: string) =>
  notFound(`The ${owner} policy with name ${name} cannot be found.`);
export const policyNotFound = (arn: string) => notFound(`Policy ${arn} was not found.`);
export const policyNotAttachable = (arn: string) => notFound(`Policy ${arn} does not exist or is not attachable.`);
export const policyVersionNotFound = (arn: string, versionId: string) =>
  notFound(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
export const boundaryNotFound = (arn: string) => notFound(`Scope ARN: ${arn} does not exist or is not attachable.`);
export const noSuchInstanceProfile = (name: string) => notFound(`Instance Profile ${name} cannot be found.`);
export const roleNotInInstanceProfile = (role: string, profile: string) => notFound(`Role ${role} in Instance Profile ${profile} cannot be found.`);
export const noSuchOidcProvider = (arn: string) => notFound(`OpenIDConnect Provider not found for arn ${arn}`);
/** recorded for DeleteOpenIDConnectProvider, which words it differently from the other operations. */
export const oidcProviderToDeleteNotFound = (arn: string) => notFound(`OpenId connect Provider ${arn} cannot be found.`);
/** Access Advisor: a job id never issued, or issued to another principal (AWS shows neither apart). */
export const noSuchAccessAdvisorJob = (jobId: string) => notFound(`No report job with id ${jobId} exists.`);
export const noSuchAccessKey = (id: string) => notFound(`The Access Key with id ${id} cannot be found.`);

export const userExists = (name: string) => exists(`User with name ${name} already exists.`);
export const groupExists = (name: string) => exists(`Group with name ${name} already exists.`);
export const roleExists = (name: string) => exists(`Role with name ${name} already exists.`);
// documented wording (CreateAccountAlias, DeleteAccountAlias); not in the recordings
export const accountAliasTaken = (alias: string) => exists(`The account alias ${alias} already exists.`);
export const noSuchAccountAlias = (alias: string) => notFound(`The account alias ${alias} cannot be found.`);
// recorded
export const oidcProviderExists = (url: string) => exists(`Provider with url ${url} already exists.`);
export const invalidOidcProviderUrl = () => new ApiError('ValidationError', 'Invalid Open ID Connect Provider URL', 400);
export const tooManyThumbprints = (max: number) => new ApiError('InvalidInput', `Thumbprint list must contain fewer than ${max} entries.`, 400);
export const instanceProfileExists = (name: string) => exists(`Instance Profile ${name} already exists.`);
export const policyExists = (name: string) => exists(`A policy called ${name} already exists. Duplicate names are not allowed.`);

export const mustDetachPolicies = () => conflict('Cannot delete entity, must detach all policies first.');
export const mustDeletePolicies = () => conflict('Cannot delete entity, must delete policies first.');
export const mustRemoveRolesFromInstanceProfile = () => conflict('Cannot delete entity, must remove roles from instance profile first.');
export const policyAttached = () => conflict('Cannot delete a policy attached to entities.');
export const defaultVersionDelete = () => conflict('Cannot delete the default version of a policy.');
// AWS's answer as quoted in public issue reports (aws-nuke, cloud-custodian); not in the recordings.
export const policyHasVersions = () =>
  conflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
// documented, not recorded
export const mustRemoveUsers = () => conflict('Cannot delete entity, must remove users from group first.');
export const mustRemoveFromGroups = () => conflict('Cannot delete entity, must remove user from all groups first.');
export const mustDeleteAccessKeys = () => conflict('Cannot delete entity, must delete access keys first.');

/** Every IAM quota error reads the same way (recorded for AccessKeysPerUser, InstanceSessionsPerInstanceProfile). */
export const quotaExceeded = (quota: string, value: number) =>
  new ApiError('LimitExceeded', `Cannot exceed quota for ${quota}: ${value}`, 409);
// recorded
export const versionLimit = (max: number) =>
  new ApiError(
    'LimitExceeded',
    `A managed policy can have up to ${max} versions. Before you create a new version, you must delete an existing version.`,
    409,
  );
export const tagLimit = () => new ApiError('LimitExceeded', 'The number of tags has reached the maximum limit.', 409);
export const inlineSizeExceeded = (owner: 'user' | 'group' | 'role', name: string, max: number) =>
  new ApiError('LimitExceeded', `Maximum policy size of ${max} bytes exceeded for ${owner} ${name}`, 409);

/** Documented (IAM User Guide, service-linked roles); the text as AWS answers CreateRole under that path. */
export const reservedServiceRolePath = () =>
  new ApiError('InvalidInput', "Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles", 400);

// recorded
export const invalidArn = (arn: string) => new ApiError('ValidationError', `ARN ${arn} is not valid.`, 400);
export const invalidBoundaryArn = (arn: string) => new ApiError('InvalidInput', `ARN ${arn} is not valid.`, 400);
export const duplicateTagKeys = (caseInsensitive: boolean) =>
  new ApiError(
    'InvalidInput',
    caseInsensitive ? 'Duplicate tag keys found. Please note that Tag keys are case insensitive.' : 'Duplicate tag keys found.',
    400,
  );
export const invalidMarker = () => new ApiError('ValidationError', 'Invalid Marker.', 400);
export const mustSpecifyUserName = () =>
  new ApiError('ValidationError', 'Must specify userName when calling with non-User credentials', 400);

export const invalidInput = (message: string) => new ApiError('InvalidInput', message, 400);
export const notAttachable = (message: string) => new ApiError('PolicyNotAttachable', message, 400);
export const unmodifiable = (message: string) => new ApiError('UnmodifiableEntity', message, 400);
export const malformedPolicy = (message: string) => new ApiError('MalformedPolicyDocument', message, 400);

/** AWS's refusal to change a service-linked role through the customer-facing role operations. */
export const protectedRole = (roleName: string) =>
  unmodifiable(`Cannot perform the operation on the protected role '${roleName}' - this role is only modifiable by AWS`);

/** The standard AccessDenied text, for calls AWS refuses whatever the caller's policies say. */
export const accessDenied = (principalArn: string, action: string, resource: string) =>
  new ApiError('AccessDenied', `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource}`, 403);

/** recorded: GetAccessKeyLastUsed on a key the account does not own (AWS writes no colon after "perform" here). */
export const unknownAccessKeyDenied = (principalArn: string, accessKeyId: string) =>
  new ApiError(
    'AccessDenied',
    `User: ${principalArn} is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key ${accessKeyId}`,
    403,
  );

// ---- MFA devices ----
// recorded
export const noSuchMfaDevice = (serial: string) => notFound(`MFA Device with serial number ${serial} does not exist.`);
export const mfaDeviceExists = () => exists('MFA device already exists.');
// AWS's texts as users report them; not in the recordings
export const mfaDeviceInUse = () => exists('MFA Device is already in use.');
export const mfaDeviceEnabled = () => conflict('MFA VirtualDevice in use. Must deactivate first.');
export const invalidAuthenticationCode = () => new ApiError('InvalidAuthenticationCode', 'Authentication code for device is not valid.', 403);
export const mustDeleteMfaDevice = () => conflict('Cannot delete entity, must delete MFA device first.');

// ---- passwords ----
// recorded
export const noSuchLoginProfile = (user: string) => notFound(`Login Profile for User ${user} cannot be found.`);
export const loginProfileExists = (user: string) => exists(`Login Profile for user ${user} already exists.`);
export const noPasswordPolicy = (account: string) => notFound(`The Password Policy with domain name ${account} cannot be found.`);
export const noPasswordPolicyToDelete = () => notFound('The account policy with name PasswordPolicy cannot be found.');
// AWS's text as users report it; not in the recordings
export const mustDeleteLoginProfile = () => conflict('Cannot delete entity, must delete login profile first.');
// ours: AWS's wording is not known (docs/iam.md)
export const passwordPolicyViolation = (message: string) => new ApiError('PasswordPolicyViolation', message, 400);
export const notAnIamUser = () => new ApiError('InvalidUserType', 'Only IAM users can change their own password.', 400);
export const wrongOldPassword = () => new ApiError('AccessDenied', 'The old password was incorrect.', 403);

// ---- credential report ----
// recorded: AWS answers ReportNotPresent with no message at all
export const reportNotPresent = () => new ApiError('ReportNotPresent', '', 410);
// the model's documentation of these errors; not in the recordings
export const reportExpired = () =>
  new ApiError(
    'ReportExpired',
    'The request was rejected because the most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport.',
    410,
  );
