// A SAML 2.0 Response as AssumeRoleWithSAML takes it (base64), verified and read. What is read comes
// only from the bytes the signature covers (xml-crypto's getSignedReferences): a signature-wrapping
// attack — a signed element moved aside and an unsigned look-alike put where a reader looks — then
// has nothing to offer. On top of that the document must hold exactly one Assertion, the signature
// must be a child of the element it signs, and that element must be the Response or the Assertion.

import type { Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
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

/**
 * The one Assertion of a base64 SAML Response whose Response or Assertion is signed by one of
 * `certificates`, read from the signed bytes.
 */
export function verifyResponse(base64: string, certificates: string[]): Element {
  const xml = Buffer.from(base64, 'base64').toString('utf8');
  const doc = parseXml(xml);
  if (!doc) throw invalid('Invalid SAML response: not well-formed XML');
  const response = doc.documentElement!;
  if (!is(response, NS.samlp, 'Response')) throw invalid('Invalid SAML response: the document is not a samlp:Response');
  if (descendants(response, NS.saml, 'EncryptedAssertion').length > 0) throw invalid('Encrypted assertions are not supported');
  const assertions = descendants(response, NS.saml, 'Assertion');
  if (assertions.length !== 1) throw invalid('Invalid SAML response: it must hold exactly one Assertion');
  const assertion = assertions[0]!;
  if (assertion.parentNode !== response) throw invalid('Invalid SAML response: the Assertion must be a child of the Response');

  for (const signed of [response, assertion]) {
    const signature = signatureOf(signed);
    if (!signature) continue;
    const references = verified(xml, signature, certificates);
    if (!references) throw invalid('Response signature invalid');
    if (references.length !== 1) throw invalid('Response signature invalid');
    const covered = parseXml(references[0]!)?.documentElement;
    // The signed bytes must be the very element the signature sits in.
    const id = signed.getAttribute('ID');
    if (!covered || !id || covered.getAttribute('ID') !== id || covered.localName !== signed.localName || covered.namespaceURI !== signed.namespaceURI) {
      throw invalid('Response signature invalid');
    }
    const readable = is(covered, NS.saml, 'Assertion') ? covered : children(covered, NS.saml, 'Assertion');
    const one = Array.isArray(readable) ? readable : [readable];
    if (one.length !== 1) throw invalid('Invalid SAML response: it must hold exactly one Assertion');
    return one[0]!;
  }
  throw invalid('Response signature invalid');
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
