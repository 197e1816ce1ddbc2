// An EncryptedAssertion opened with one of the provider's private keys (XML Encryption: a content key
// wrapped with RSA-OAEP, the Assertion under AES-CBC or AES-GCM). xml-encryption does the
// cryptography; iamd decides first which algorithms it accepts, from every EncryptionMethod in the
// element, so the library's own choice of element can never meet an algorithm iamd refused.
// RSA-1.5 key transport is refused: its padding check is a decryption oracle (Bleichenbacher,
// Marvin), which is why Node no longer decrypts it (CVE-2023-46809).

import type { Element } from '@xmldom/xmldom';
import { XMLSerializer } from '@xmldom/xmldom';
import xmlenc from 'xml-encryption';
import { descendants } from './xml.ts';

const XENC = 'http://www.w3.org/2001/04/xmlenc#';

const KEY_TRANSPORT = new Set(['http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p', 'http://www.w3.org/2009/xmlenc11#rsa-oaep']);
const CONTENT = new Set([
  'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'http://www.w3.org/2009/xmlenc11#aes256-gcm',
]);

/** Why an EncryptedAssertion could not be opened; STS words each for the caller. */
export type DecryptFault = 'no-keys' | 'algorithm' | 'failed';

export class DecryptError extends Error {
  constructor(readonly fault: DecryptFault, message: string) {
    super(message);
  }
}

/** The algorithms named in `encrypted`, refused unless each is one iamd accepts in its place. */
function checkAlgorithms(encrypted: Element): void {
  const methods = descendants(encrypted, XENC, 'EncryptionMethod');
  if (methods.length === 0) throw new DecryptError('algorithm', 'no EncryptionMethod');
  for (const method of methods) {
    const algorithm = method.getAttribute('Algorithm') ?? '';
    const parent = method.parentNode as Element | null;
    const allowed = parent?.localName === 'EncryptedKey' ? KEY_TRANSPORT : CONTENT;
    if (!allowed.has(algorithm)) throw new DecryptError('algorithm', `unsupported encryption algorithm ${algorithm}`);
  }
}

function decryptWith(xml: string, key: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // The algorithms were checked above; the library's own list would refuse AES-CBC, which AWS takes.
    xmlenc.decrypt(xml, { key, disallowDecryptionWithInsecureAlgorithm: false, warnInsecureAlgorithm: false }, (err, result) => {
      if (err || result === undefined) reject(err ?? new Error('no result'));
      else resolve(result);
    });
  });
}

/** The plaintext XML inside `encrypted` (a saml:EncryptedAssertion), opened with the first of `keys` that opens it. */
export async function decryptAssertion(encrypted: Element, keys: readonly string[]): Promise<string> {
  if (keys.length === 0) throw new DecryptError('no-keys', 'the provider has no private key');
  checkAlgorithms(encrypted);
  // The element alone, with the namespace declarations it needs: the key it holds must be its own.
  const xml = new XMLSerializer().serializeToString(encrypted);
  for (const key of keys) {
    try {
      return await decryptWith(xml, key);
    } catch {
      // not this key (or not decryptable at all): one answer for every failure, so no oracle
    }
  }
  throw new DecryptError('failed', 'no private key of the provider decrypts the assertion');
}
