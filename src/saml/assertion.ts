// A SAML 2.0 Response as AssumeRoleWithSAML takes it (base64), verified and read. What is read comes
// only from the bytes the signature covers (xml-crypto's getSignedReferences): a signature-wrapping
// attack — a signed element moved aside and an unsigned look-alike put where a reader looks — then
// has nothing to offer. On top of that the document must hold exactly one Assertion, the signature
// must be a child of the element it signs, and that element must be the Response or the Assertion.
// An EncryptedAssertion is opened with the provider's private keys (decrypt.ts) where it stands.

import type { Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { DecryptError, decryptAssertion } from './decrypt.ts';
import { child, children, descendants, is, NS, parseXml, text } from './xml.ts';

/** Why an assertion is refused: STS answers each kind with its own error code. */
export type AssertionFault = 'invalid' | 'expired';

export class AssertionError extends Error {
  constructor(
    readonly fault: AssertionFault,
    message: string,
  ) {
    super(message);
  }
}

export interface SamlClaims {
  issuer: string;
  subject: string;
  /** The NameID's Format, as given (absent when the NameID has none). */
  subjectFormat?: string;
  /** Recipient of the bearer SubjectConfirmationData (AWS's saml:aud and Audience). */
  recipient?: string;
  audiences: string[];
  /** Attribute name → values. */
  attributes: Map<string, string[]>;
  /** Epoch ms of AuthnStatement's SessionNotOnOrAfter, when given. */
  sessionNotOnOrAfter?: number;
}

const invalid = (message: string) => new AssertionError('invalid', message);

/** Within this many ms a clock difference with the IdP is forgiven on NotBefore. */
const SKEW_MS = 5 * 60 * 1000;

function signatureOf(el: Element): Element | undefined {
  return child(el, NS.ds, 'Signature');
}

/** Verifies `signature` over `xml` with one of `certificates`; the canonical bytes it covers, or undefined. */
function verified(xml: string, signature: Element, certificates: string[]): string[] | undefined {
  for (const cert of certificates) {
    // The certificate comes from the provider's metadata only, never from the assertion's KeyInfo.
    const sig = new SignedXml({ publicCert: cert, getCertFromKeyInfo: () => null });
    try {
      // xml-crypto works on @xmldom/xmldom nodes; its types name the DOM lib's Node.
      sig.loadSignature(signature as unknown as Parameters<SignedXml["loadSignature"]>[0]);
      if (sig.checkSignature(xml)) return sig.getSignedReferences();
    } catch {
      // a malformed signature or a digest mismatch: not verified with this certificate
    }
  }
  return undefined;
}

/** What decrypting needs of the provider: its private keys, and whether it takes only encrypted assertions. */
export interface Decryption {
  keys: readonly string[];
  required: boolean;
}

/** The one Assertion or EncryptedAssertion among the children of `response`, the only place one may be. */
function heldAssertion(response: Element): Element {
  const held = [...children(response, NS.saml, 'Assertion'), ...children(response, NS.saml, 'EncryptedAssertion')];
  if (held.length !== 1) throw invalid('Invalid SAML response: it must hold exactly one Assertion');
  return held[0]!;
}

/** The element `signature` signs in `xml` (a child of it), read back from the bytes it covers; refused unless it is `signed` itself. */
function signedElement(xml: string, signed: Element, signature: Element, certificates: string[]): Element {
  const references = verified(xml, signature, certificates);
  if (!references || references.length !== 1) throw invalid('Response signature invalid');
  const covered = parseXml(references[0]!)?.documentElement;
  // The signed bytes must be the very element the signature sits in.
  const id = signed.getAttribute('ID');
  if (!covered || !id || covered.getAttribute('ID') !== id || covered.localName !== signed.localName || covered.namespaceURI !== signed.namespaceURI) {
    throw invalid('Response signature invalid');
  }
  return covered;
}

/** The Assertion `held` is, or the one it encrypts (as its own document, with that document's text). */
async function opened(held: Element, decryption: Decryption): Promise<{ assertion: Element; decrypted?: string }> {
  if (is(held, NS.saml, 'Assertion')) {
    if (decryption.required) throw invalid('Invalid SAML response: the SAML provider accepts only encrypted assertions');
    return { assertion: held };
  }
  let plaintext: string;
  try {
    plaintext = await decryptAssertion(held, decryption.keys);
  } catch (e) {
    if (!(e instanceof DecryptError)) throw e;
    throw invalid(
      e.fault === 'no-keys'
        ? 'Invalid SAML response: the assertion is encrypted, but the SAML provider has no private key to decrypt it'
        : e.fault === 'algorithm'
          ? `Invalid SAML response: ${e.message}`
          : 'Invalid SAML response: failed to decrypt the assertion',
    );
  }
  const assertion = parseXml(plaintext)?.documentElement;
  if (!is(assertion, NS.saml, 'Assertion')) throw invalid('Invalid SAML response: the encrypted content is not an Assertion');
  return { assertion, decrypted: plaintext };
}

/**
 * The one Assertion of a base64 SAML Response whose Response or Assertion is signed by one of
 * `certificates`, read from the signed bytes. An encrypted Assertion is decrypted with the provider's
 * keys: after the Response's signature is checked (it covers the ciphertext), or before the
 * Assertion's own (which covers the plaintext).
 */
export async function verifyResponse(base64: string, certificates: string[], decryption: Decryption): Promise<Element> {
  const xml = Buffer.from(base64, 'base64').toString('utf8');
  const doc = parseXml(xml);
  if (!doc) throw invalid('Invalid SAML response: not well-formed XML');
  const response = doc.documentElement!;
  if (!is(response, NS.samlp, 'Response')) throw invalid('Invalid SAML response: the document is not a samlp:Response');
  const everywhere = [...descendants(response, NS.saml, 'Assertion'), ...descendants(response, NS.saml, 'EncryptedAssertion')];
  if (everywhere.length !== 1) throw invalid('Invalid SAML response: it must hold exactly one Assertion');
  if (everywhere[0]!.parentNode !== response) throw invalid('Invalid SAML response: the Assertion must be a child of the Response');

  const responseSignature = signatureOf(response);
  if (responseSignature) {
    const covered = signedElement(xml, response, responseSignature, certificates);
    return (await opened(heldAssertion(covered), decryption)).assertion;
  }
  const inner = await opened(heldAssertion(response), decryption);
  const signature = signatureOf(inner.assertion);
  if (!signature) throw invalid('Response signature invalid');
  return signedElement(inner.decrypted ?? xml, inner.assertion, signature, certificates);
}

/** The claims of a verified Assertion, its time window checked against `now`. */
export function readClaims(assertion: Element, now: number): SamlClaims {
  const issuer = text(child(assertion, NS.saml, 'Issuer'));
  if (!issuer) throw invalid('Invalid SAML response: no Issuer');
  const subjectEl = child(assertion, NS.saml, 'Subject');
  const nameId = subjectEl && child(subjectEl, NS.saml, 'NameID');
  const subject = text(nameId);
  if (!nameId || !subject) throw invalid('Invalid SAML response: no NameID');

  let recipient: string | undefined;
  let bearerUntil: number | undefined;
  for (const confirmation of children(subjectEl!, NS.saml, 'SubjectConfirmation')) {
    if (confirmation.getAttribute('Method') !== 'urn:oasis:names:tc:SAML:2.0:cm:bearer') continue;
    const data = child(confirmation, NS.saml, 'SubjectConfirmationData');
    if (!data) continue;
    recipient = data.getAttribute('Recipient') ?? undefined;
    const until = data.getAttribute('NotOnOrAfter');
    if (until) bearerUntil = time(until);
  }
  if (bearerUntil === undefined) throw invalid('Invalid SAML response: no bearer SubjectConfirmationData with NotOnOrAfter');
  if (now >= bearerUntil) throw new AssertionError('expired', 'Token is expired');

  const conditions = child(assertion, NS.saml, 'Conditions');
  const audiences: string[] = [];
  if (conditions) {
    const notBefore = conditions.getAttribute('NotBefore');
    const notOnOrAfter = conditions.getAttribute('NotOnOrAfter');
    if (notBefore && now + SKEW_MS < time(notBefore)) throw invalid('Invalid SAML response: the assertion is not valid yet');
    if (notOnOrAfter && now >= time(notOnOrAfter)) throw new AssertionError('expired', 'Token is expired');
    for (const restriction of children(conditions, NS.saml, 'AudienceRestriction')) {
      for (const a of children(restriction, NS.saml, 'Audience')) audiences.push(text(a) ?? '');
    }
  }

  const attributes = new Map<string, string[]>();
  for (const statement of children(assertion, NS.saml, 'AttributeStatement')) {
    for (const attribute of children(statement, NS.saml, 'Attribute')) {
      const name = attribute.getAttribute('Name') ?? '';
      const values = children(attribute, NS.saml, 'AttributeValue').map((v) => text(v) ?? '');
      attributes.set(name, [...(attributes.get(name) ?? []), ...values]);
    }
  }
  let sessionNotOnOrAfter: number | undefined;
  for (const authn of children(assertion, NS.saml, 'AuthnStatement')) {
    const s = authn.getAttribute('SessionNotOnOrAfter');
    if (s) sessionNotOnOrAfter = time(s);
  }
  const format = nameId.getAttribute('Format');
  return {
    issuer,
    subject,
    ...(format ? { subjectFormat: format } : {}),
    ...(recipient ? { recipient } : {}),
    audiences,
    attributes,
    ...(sessionNotOnOrAfter !== undefined ? { sessionNotOnOrAfter } : {}),
  };
}

function time(value: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalid(`Invalid SAML response: ${value} is not a time`);
  return t;
}
