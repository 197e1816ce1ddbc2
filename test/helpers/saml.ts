// A SAML identity provider of the test's own: an RSA key pair and its self-signed certificate, the
// metadata document IAM's CreateSAMLProvider takes, and SAML Responses signed with xml-crypto as an
// IdP signs them (the Assertion, enveloped signature, exclusive c14n, RSA-SHA256) — and, for a provider
// that decrypts, encrypts them (XML Encryption by xml-encryption, to the provider's key).

import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignedXml } from 'xml-crypto';

export interface TestIdp {
  entityId: string;
  privateKey: string;
  /** PEM. */
  cert: string;
  /** The certificate's base64 body, as metadata carries it. */
  certBody: string;
}

export async function makeIdp(entityId = `https://idp.example.com/${randomUUID()}`): Promise<TestIdp> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'test-idp' }], { keyPair: { privateKey, publicKey }, algorithm: 'sha256' });
  const certBody = pems.cert.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
  return { entityId, privateKey, cert: pems.cert, certBody };
}

/** IdP metadata; `validUntil` and the descriptor's parts can be varied to make bad documents. */
export function metadata(idp: TestIdp, opts: { validUntil?: string; withCert?: boolean; descriptor?: 'IDPSSODescriptor' | 'SPSSODescriptor' } = {}): string {
  const descriptor = opts.descriptor ?? 'IDPSSODescriptor';
  const key =
    opts.withCert === false
      ? ''
      : `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${idp.certBody}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${idp.entityId}"${opts.validUntil ? ` validUntil="${opts.validUntil}"` : ''}>` +
    `<md:${descriptor} protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${key}` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso/redirect"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso/post"/>` +
    `</md:${descriptor}>` +
    `<md:Organization><md:OrganizationName xml:lang="en">Example</md:OrganizationName><md:OrganizationDisplayName xml:lang="en">Example IdP</md:OrganizationDisplayName><md:OrganizationURL xml:lang="en">https://idp.example.com</md:OrganizationURL></md:Organization>` +
    `</md:EntityDescriptor>`
  );
}

export interface AssertionSpec {
  subject: string;
  /** `roleArn,providerArn` pairs for the Role attribute. */
  roles: string[];
  sessionName?: string;
  sessionDuration?: string;
  audience?: string;
  /** Epoch ms; default now. */
  now?: number;
  /** Seconds before NotOnOrAfter; default 300. Negative makes an expired assertion. */
  lifetime?: number;
  issuer?: string;
  nameFormat?: string;
  /** More attributes: name → values. */
  attributes?: Record<string, string[]>;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** An unsigned SAML Response carrying one Assertion (ID `_a…`). */
export function response(idp: TestIdp, spec: AssertionSpec): { xml: string; assertionId: string } {
  const now = spec.now ?? Date.now();
  const until = now + (spec.lifetime ?? 300) * 1000;
  const audience = spec.audience ?? 'https://signin.aws.amazon.com/saml';
  const issuer = spec.issuer ?? idp.entityId;
  const assertionId = `_a${randomUUID().replace(/-/g, '')}`;
  const attrs: Record<string, string[]> = {
    'https://aws.amazon.com/SAML/Attributes/Role': spec.roles,
    ...(spec.sessionName !== undefined ? { 'https://aws.amazon.com/SAML/Attributes/RoleSessionName': [spec.sessionName] } : {}),
    ...(spec.sessionDuration !== undefined ? { 'https://aws.amazon.com/SAML/Attributes/SessionDuration': [spec.sessionDuration] } : {}),
    ...spec.attributes,
  };
  const attributeXml = Object.entries(attrs)
    .map(([name, values]) => `<saml:Attribute Name="${esc(name)}">${values.map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`)
    .join('');
  const xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomUUID().replace(/-/g, '')}" Version="2.0" IssueInstant="${iso(now)}" Destination="https://signin.aws.amazon.com/saml">` +
    `<saml:Issuer>${esc(issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `<saml:Assertion ID="${assertionId}" Version="2.0" IssueInstant="${iso(now)}">` +
    `<saml:Issuer>${esc(issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${spec.nameFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'}">${esc(spec.subject)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${iso(until)}" Recipient="https://signin.aws.amazon.com/saml"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(now - 5000)}" NotOnOrAfter="${iso(until)}"><saml:AudienceRestriction><saml:Audience>${esc(audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(now)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attributeXml}</saml:AttributeStatement>` +
    `</saml:Assertion></samlp:Response>`;
  return { xml, assertionId };
}

/** `xml` with the element whose ID is `id` signed by `key` (enveloped, the signature right after its Issuer). */
export function signElement(xml: string, id: string, key: string, cert: string): string {
  const sig = new SignedXml({
    privateKey: key,
    publicCert: cert,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  sig.addReference({
    xpath: `//*[@ID='${id}']`,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, { location: { reference: `//*[@ID='${id}']/*[local-name(.)='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

/** A signed Response, base64 as AssumeRoleWithSAML takes it. */
export function signedAssertion(idp: TestIdp, spec: AssertionSpec, signer: { key: string; cert: string } = { key: idp.privateKey, cert: idp.cert }): string {
  const { xml, assertionId } = response(idp, spec);
  return Buffer.from(signElement(xml, assertionId, signer.key, signer.cert)).toString('base64');
}

export interface EncryptionSpec {
  /** The provider's key pair whose public half the IdP encrypts to (a TestIdp's key and certificate). */
  to: TestIdp;
  /** XML Encryption's content algorithm; default AES-256-GCM. */
  content?: string;
  /** Key transport; default RSA-OAEP (MGF1P). */
  keyTransport?: string;
  /** Sign the Response around the EncryptedAssertion instead of the Assertion inside it. */
  signResponse?: boolean;
}

/** `xml`'s Assertion as a document of its own: with the saml namespace it inherited declared on it. */
function standaloneAssertion(xml: string): { before: string; assertion: string; after: string } {
  const start = xml.indexOf('<saml:Assertion ');
  const end = xml.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length;
  const assertion = xml.slice(start, end).replace('<saml:Assertion ', '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ');
  return { before: xml.slice(0, start), assertion, after: xml.slice(end) };
}

/** `plaintext` as XML Encryption's EncryptedData, its content key wrapped to `to`'s public key by xml-encryption. */
export async function encryptXml(plaintext: string, spec: EncryptionSpec): Promise<string> {
  const { default: xmlenc } = await import('xml-encryption');
  const rsaPub = createPublicKey(spec.to.privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return new Promise((resolve, reject) =>
    xmlenc.encrypt(
      plaintext,
      {
        rsa_pub: rsaPub,
        pem: spec.to.cert,
        encryptionAlgorithm: spec.content ?? 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
        keyEncryptionAlgorithm: spec.keyTransport ?? 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
        disallowEncryptionWithInsecureAlgorithm: false,
        warnInsecureAlgorithm: false,
      },
      (err, out) => (err || out === undefined ? reject(err ?? new Error('no output')) : resolve(out)),
    ),
  );
}

/**
 * A Response whose Assertion is encrypted to `encryption.to`, base64: the IdP signs the Assertion and
 * then encrypts it, or (signResponse) encrypts it and signs the Response around the ciphertext.
 */
export async function encryptedAssertion(idp: TestIdp, spec: AssertionSpec, encryption: EncryptionSpec): Promise<string> {
  const { xml, assertionId } = response(idp, spec);
  const signedFirst = encryption.signResponse ? xml : signElement(xml, assertionId, idp.privateKey, idp.cert);
  const parts = standaloneAssertion(signedFirst);
  const encrypted = `<saml:EncryptedAssertion>${await encryptXml(parts.assertion, encryption)}</saml:EncryptedAssertion>`;
  let out = parts.before + encrypted + parts.after;
  if (encryption.signResponse) out = signElement(out, /<samlp:Response [^>]*ID="([^"]+)"/.exec(out)![1]!, idp.privateKey, idp.cert);
  return Buffer.from(out).toString('base64');
}
