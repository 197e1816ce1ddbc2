// The answers of the service-linked-role operations. "recorded": real AWS's text (shared/reference
// aws-recorded, slr-api-facts.json); "reported": AWS's text as public reports of real responses show it;
// "iamd": no AWS text is known, so iamd words it in AWS's style (docs/service-linked-roles.md lists them).

import { ApiError } from '../../common/errors.ts';
import { invalidInput } from '../errors.ts';

// recorded
export const roleNameTaken = (roleName: string) =>
  invalidInput(`Service role name ${roleName} has been taken in this account, please try a different suffix.`);
// recorded
export const customSuffixNotAllowed = (servicePrincipal: string) => invalidInput(`Custom suffix is not allowed for ${servicePrincipal}`);
// iamd
export const unknownServicePrincipal = (servicePrincipal: string) =>
  invalidInput(`Service ${servicePrincipal} does not support service-linked roles.`);
// iamd: AWS's validation format, as for any member longer than the model allows.
export const roleNameTooLong = (roleName: string) =>
  new ApiError(
    'ValidationError',
    `1 validation error detected: Value '${roleName}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    400,
  );
// iamd: DeleteServiceLinkedRole's model lists NoSuchEntity as its only client error for a role.
export const notServiceLinked = (roleName: string) =>
  new ApiError('NoSuchEntity', `The role with name ${roleName} is not a service-linked role.`, 404);
// iamd
export const invalidDeletionTaskId = (id: string) => invalidInput(`Invalid deletion task id: ${id}`);
// iamd
export const noSuchDeletionTask = (id: string) => new ApiError('NoSuchEntity', `The deletion task with id ${id} cannot be found.`, 404);
