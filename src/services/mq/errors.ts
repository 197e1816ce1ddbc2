// Amazon MQ's errors (restJson1): the shape name is the code (`x-amzn-ErrorType`), the status comes
// from the model, and the body carries `errorAttribute` — the wire name of the member at fault — beside
// the message, which the SDKs expose as `ErrorAttribute`. AWS's MQ texts are not recorded anywhere
// public except the not-found one; the others follow its style and are iamd's wording.

import { ApiError } from '../../common/errors.ts';
import { authErrorFor } from '../../auth/errors.ts';
import { modelError } from '../../protocol/errors.ts';

type MqErrorShape = 'BadRequestException' | 'NotFoundException' | 'ConflictException' | 'ForbiddenException';

function mqError(shape: MqErrorShape, errorAttribute: string | undefined, message: string): ApiError {
  const base = modelError('mq', shape, message);
  return new ApiError(base.code, message, base.status, base.fault, errorAttribute === undefined ? undefined : { errorAttribute });
}

/** A request value MQ refuses; `attribute` is the member's wire name (`brokerName`, `subnetIds`, …). */
export const badRequest = (attribute: string, message: string): ApiError => mqError('BadRequestException', attribute, message);

export const brokerNotFound = (brokerId: string): ApiError =>
  mqError('NotFoundException', 'broker-id', `Can't find requested broker [${brokerId}]. Make sure your broker exists.`);

export const conflict = (attribute: string, message: string): ApiError => mqError('ConflictException', attribute, message);

/** MQ answers a denial as ForbiddenException (403), keeping IAM's message. */
export function accessDenied(denial: ApiError): ApiError {
  return mqError('ForbiddenException', undefined, denial.message);
}

/**
 * A region where this account cannot use Amazon MQ. iamd's accounts live in the `aws` partition, so
 * a request signed for another partition's region (GovCloud's `us-gov-west-1`) — or for a region the
 * account has not enabled — is answered as AWS answers credentials it does not know there.
 */
export const regionNotAvailable = (): ApiError => authErrorFor('UnknownAccessKey', 'rest-json');
