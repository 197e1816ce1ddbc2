// The errors of IAM's certificate, SSH key and service-specific credential operations, with AWS's
// codes and statuses. Texts marked "recorded" appear in shared/reference/aws-recorded; "reported" ones
// are AWS's answers as quoted in public issue reports; the rest follow the model's documentation of
// the error (docs/iam.md lists them). Kept apart from errors.ts so these credentials stay one module.

import { ApiError } from '../common/errors.ts';

const notFound = (message: string) => new ApiError('NoSuchEntity', message, 404);
const conflict = (message: string) => new ApiError('DeleteConflict', message, 409);

// ---- server certificates ----
// recorded
export const noSuchServerCertificate = (name: string) => notFound(`The Server Certificate with name ${name} cannot be found.`);
export const serverCertificateExists = (name: string) => new ApiError('EntityAlreadyExists', `The Server Certificate with name ${name} already exists.`, 409);
// reported
export const unparsableCertificate = () => new ApiError('MalformedCertificate', 'Unable to parse certificate. Please ensure the certificate is in PEM format.', 400);
export const invalidChain = (index: number) =>
  new ApiError(
    'MalformedCertificate',
    `Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, followed by any intermediaries in order. The index within the chain of the invalid certificate is: ${index}`,
    400,
  );
// ours, in the reported texts' manner
export const unparsablePrivateKey = () => new ApiError('MalformedCertificate', 'Unable to parse private key. Please ensure the private key is in PEM format.', 400);
export const certificateOutOfValidity = () => new ApiError('MalformedCertificate', 'The certificate is expired or not yet valid.', 400);
// documented
export const keyPairMismatch = () => new ApiError('KeyPairMismatch', 'The public key certificate and the private key do not match.', 400);

// ---- signing certificates ----
// recorded
export const malformedSigningCertificate = (body: string) => new ApiError('MalformedCertificate', `Certificate ${body} is malformed.`, 400);
export const noSuchCertificate = (id: string) => notFound(`The Certificate with id ${id} cannot be found.`);
// documented
export const invalidCertificate = () => new ApiError('InvalidCertificate', 'The certificate is invalid: it is expired or not yet valid.', 400);
export const duplicateCertificate = () => new ApiError('DuplicateCertificate', 'The same certificate is associated with an IAM user in the account.', 409);

// ---- SSH public keys ----
// recorded
export const noSuchSshPublicKey = (id: string) => notFound(`The Public Key with id ${id} cannot be found.`);
// documented
export const invalidPublicKey = (why: string) => new ApiError('InvalidPublicKey', `The public key is malformed or otherwise invalid: ${why}`, 400);
export const duplicateSshPublicKey = () => new ApiError('DuplicateSSHPublicKey', 'The SSH public key is already associated with the specified IAM user.', 400);
export const unrecognizedPublicKeyEncoding = () =>
  new ApiError('UnrecognizedPublicKeyEncoding', 'The public key encoding format is unsupported or unrecognized.', 400);

// ---- service-specific credentials ----
// recorded (AWS answers NoSuchEntity here, not the model's NotSupportedService)
export const unsupportedService = (service: string) => notFound(`No such service ${service} is supported for Service Specific Credentials`);
export const noSuchServiceCredential = (id: string) => notFound(`No such credential ${id} exists`);

// ---- DeleteUser ----
// recorded (service-specific credentials)
export const mustRemoveReferencedObjects = () => conflict('Cannot delete entity, must remove referenced objects first.');
// documented pattern, not recorded
export const mustDeleteSigningCertificates = () => conflict('Cannot delete entity, must delete signing certificates first.');
export const mustDeleteSshPublicKeys = () => conflict('Cannot delete entity, must delete SSH public keys first.');

// ours: the model lets Expired through its enum, but only AWS sets it
export const cannotSetExpired = () => new ApiError('InvalidInput', 'Status Expired cannot be set: use Active or Inactive.', 400);
