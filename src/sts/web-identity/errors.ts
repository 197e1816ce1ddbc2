// AssumeRoleWithWebIdentity's refusals, with the codes of STS's model and the texts AWS answers.
// Texts users have reported from AWS: the malformed-token, no-provider, missing-claim, audience,
// verification-key, could-not-be-validated and expired texts (docs/federation.md lists the sources).
// The not-yet-valid texts and IDPCommunicationError's (the model's description) are iamd's.

import { ApiError } from '../../common/errors.ts';

const invalidToken = (message: string) => new ApiError('InvalidIdentityToken', message, 400);

export const notAJwt = () => invalidToken('The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
export const noProviderFor = (iss: string) => invalidToken(`No OpenIDConnect provider found in your account for ${iss}`);
export const missingClaim = (claim: string) => invalidToken(`Missing a required claim: ${claim}`);
export const incorrectAudience = () => invalidToken('Incorrect token audience');
// Two spaces after the comma: AWS's text as it comes over the wire.
export const noVerificationKey = () =>
  invalidToken("Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements");
export const notValidated = () => invalidToken('The web identity token provided could not be validated');
export const notYetValid = (now: number, claim: 'nbf' | 'iat', at: number) =>
  invalidToken(`Token used too early: current date/time ${now} must be after the ${claim === 'nbf' ? 'not-before' : 'issued-at'} date/time ${at}`);

export const expired = (now: number, exp: number) =>
  new ApiError('ExpiredTokenException', `Token expired: current date/time ${now} must be before the expiration date/time ${exp}`, 400);

export const idpUnreachable = () =>
  new ApiError(
    'IDPCommunicationError',
    'The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached.',
    400,
  );

/** The trust policy did not let the web identity in (nor, for tags and source identity, do that). */
export const notAuthorized = (action: string) => new ApiError('AccessDenied', `Not authorized to perform ${action}`, 403);
