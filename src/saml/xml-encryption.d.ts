// The part of xml-encryption (a CommonJS package without types of its own) that iamd and its tests
// use: decrypting an EncryptedData/EncryptedKey pair with an RSA private key, and encrypting one.

declare module 'xml-encryption' {
  export interface DecryptOptions {
    /** PEM of the RSA private key. */
    key: string;
    /** false lets AES-CBC (and RSA-1.5, 3DES) through; iamd checks the algorithms itself first. */
    disallowDecryptionWithInsecureAlgorithm?: boolean;
    warnInsecureAlgorithm?: boolean;
  }
  export interface EncryptOptions {
    /** PEM of the RSA public key the content key is wrapped with. */
    rsa_pub: string;
    /** PEM of the certificate named in KeyInfo. */
    pem: string;
    encryptionAlgorithm: string;
    keyEncryptionAlgorithm: string;
    keyEncryptionDigest?: string;
    disallowEncryptionWithInsecureAlgorithm?: boolean;
    warnInsecureAlgorithm?: boolean;
  }
  type Callback = (err: Error | null, result?: string) => void;
  export function decrypt(xml: string, options: DecryptOptions, callback: Callback): void;
  export function encrypt(content: string, options: EncryptOptions, callback: Callback): void;
  const xmlenc: { decrypt: typeof decrypt; encrypt: typeof encrypt };
  export default xmlenc;
}
