// Why a request failed authentication, and how each AWS protocol family words that failure.
//
// `AuthError` is protocol-neutral: a reason plus the message AWS's query services (IAM, STS,
// ElastiCache) give for it. `authErrorFor` turns it into the ApiError a given family answers with,
// because the JSON services and EC2 name the same failures differently. Sources per row are in
// docs/auth.md; the rows marked "unverified" there are inferences, not recorded AWS traffic.

import { ApiError } from '../common/errors.ts';

export type AuthReason =
  /** No Authorization header and no presigned query parameters. */
  | 'MissingAuthentication'
  /** Authorization header or presign parameters present but malformed (also a bad X-Amz-Date/Expires). */
  | 'IncompleteSignature'
  /** The credential scope is wrong: its date, region, service or terminator. */
  | 'InvalidCredentialScope'
  /** The request time is more than the allowed skew away from the server's clock. */
  | 'RequestTimeTooSkewed'
  /** A presigned URL used after X-Amz-Date + X-Amz-Expires. */
  | 'PresignedUrlExpired'
  /** The access key id is not known (or not active). */
  | 'UnknownAccessKey'
  /** A session token that does not belong to the key, is missing for a temporary key, or sent with a long-term key. */
  | 'InvalidSessionToken'
  /** Temporary credentials past their expiry. */
  | 'ExpiredSessionToken'
  /** The signature does not match the one we compute. */
  | 'SignatureMismatch';

export type ProtocolFamily = 'query' | 'ec2' | 'json' | 'rest-json';

export const MESSAGES = {
  missingAuthentication: 'Request is missing Authentication Token',
  invalidToken: 'The security token included in the request is invalid.',
  expiredToken: 'The security token included in the request is expired',
  signatureMismatch:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  requestExpired: 'Request has expired.',
} as const;

export class AuthError {
  constructor(
    readonly reason: AuthReason,
    /** The message as AWS's query-protocol services word it (it may carry request details). */
    readonly message: string,
  ) {}
}

export const isAuthError = (x: unknown): x is AuthError => x instanceof AuthError;

/** Code, HTTP status and (when fixed) message of one failure in one family. */
interface Wire {
  code: string;
  status: number;
  /** A fixed text that replaces AuthError.message; absent = use the AuthError's own message. */
  message?: string;
}

// Query (awsQuery: IAM, STS, ElastiCache): the Common Errors codes, 403 except IncompleteSignature.
const QUERY: Record<AuthReason, Wire> = {
  MissingAuthentication: { code: 'MissingAuthenticationToken', status: 403 },
  IncompleteSignature: { code: 'IncompleteSignature', status: 400 },
  InvalidCredentialScope: { code: 'SignatureDoesNotMatch', status: 403 },
  RequestTimeTooSkewed: { code: 'SignatureDoesNotMatch', status: 403 },
  PresignedUrlExpired: { code: 'RequestExpired', status: 400 },
  UnknownAccessKey: { code: 'InvalidClientTokenId', status: 403 },
  InvalidSessionToken: { code: 'InvalidClientTokenId', status: 403 },
  ExpiredSessionToken: { code: 'ExpiredToken', status: 403 },
  SignatureMismatch: { code: 'SignatureDoesNotMatch', status: 403 },
};

// EC2 folds every credential/signature failure into AuthFailure (401) and every time failure,
// expired session credentials included, into RequestExpired (400).
const EC2_AUTH_FAILURE: Wire = {
  code: 'AuthFailure',
  status: 401,
  message: 'AWS was not able to validate the provided access credentials',
};
const EC2_REQUEST_EXPIRED: Wire = { code: 'RequestExpired', status: 400, message: MESSAGES.requestExpired };
const EC2: Record<AuthReason, Wire> = {
  MissingAuthentication: {
    code: 'MissingAuthenticationToken',
    status: 401,
    message: 'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.',
  },
  IncompleteSignature: { code: 'IncompleteSignature', status: 400 },
  InvalidCredentialScope: EC2_AUTH_FAILURE,
  RequestTimeTooSkewed: EC2_REQUEST_EXPIRED,
  PresignedUrlExpired: EC2_REQUEST_EXPIRED,
  UnknownAccessKey: EC2_AUTH_FAILURE,
  InvalidSessionToken: EC2_AUTH_FAILURE,
  ExpiredSessionToken: EC2_REQUEST_EXPIRED,
  SignatureMismatch: EC2_AUTH_FAILURE,
};

// The Coral JSON front ends (awsJson 1.0/1.1: MemoryDB, Logs, CloudWatch) answer these with
// `…Exception` names and 400; the REST-JSON ones (MQ) use the same names with 403.
function jsonFamily(status: number): Record<AuthReason, Wire> {
  return {
    MissingAuthentication: {
      code: 'MissingAuthenticationTokenException',
      status,
      message: 'Missing Authentication Token',
    },
    IncompleteSignature: { code: 'IncompleteSignatureException', status },
    InvalidCredentialScope: { code: 'InvalidSignatureException', status },
    RequestTimeTooSkewed: { code: 'InvalidSignatureException', status },
    PresignedUrlExpired: { code: 'RequestExpired', status: 400 },
    UnknownAccessKey: { code: 'UnrecognizedClientException', status },
    InvalidSessionToken: { code: 'UnrecognizedClientException', status },
    ExpiredSessionToken: { code: 'ExpiredTokenException', status },
    SignatureMismatch: { code: 'InvalidSignatureException', status },
  };
}

const FAMILIES: Record<ProtocolFamily, Record<AuthReason, Wire>> = {
  query: QUERY,
  ec2: EC2,
  json: jsonFamily(400),
  'rest-json': jsonFamily(403),
};

const DEFAULT_MESSAGE: Record<AuthReason, string> = {
  MissingAuthentication: MESSAGES.missingAuthentication,
  IncompleteSignature: 'The request signature does not conform to AWS standards.',
  InvalidCredentialScope: MESSAGES.signatureMismatch,
  RequestTimeTooSkewed: MESSAGES.signatureMismatch,
  PresignedUrlExpired: MESSAGES.requestExpired,
  UnknownAccessKey: MESSAGES.invalidToken,
  InvalidSessionToken: MESSAGES.invalidToken,
  ExpiredSessionToken: MESSAGES.expiredToken,
  SignatureMismatch: MESSAGES.signatureMismatch,
};

/**
 * The ApiError a protocol family answers for an authentication failure. Given a bare reason, the
 * message is the generic one for that reason; given an AuthError, its detailed message is kept
 * wherever the family words the failure the same way.
 */
export function authErrorFor(failure: AuthError | AuthReason, family: ProtocolFamily): ApiError {
  const reason = typeof failure === 'string' ? failure : failure.reason;
  const wire = FAMILIES[family][reason];
  const message = wire.message ?? (typeof failure === 'string' ? DEFAULT_MESSAGE[reason] : failure.message);
  return new ApiError(wire.code, message, wire.status, 'Sender');
}
