// The one door through which IAM stores a secret it must read back later (a virtual MFA device's
// seed). Sealing at rest (AES-256-GCM under the server's key) belongs to the secrets module being
// built on another branch; when it lands, these two bodies call it and nothing else changes. Until
// then a value is kept as it is, tagged `plain:` so that the secrets module can find and seal what
// was written before it.

/** A secret as stored: never returned by an API, never logged. */
export type SealedSecret = string;

const PLAIN = 'plain:';

export function sealSecret(text: string): SealedSecret {
  return PLAIN + text;
}

export function openSecret(sealed: SealedSecret): string {
  if (!sealed.startsWith(PLAIN)) throw new Error('a stored secret in a form this build cannot open');
  return sealed.slice(PLAIN.length);
}
