// Reading SAML's XML (IdP metadata and assertions) strictly: a well-formed document without a DTD,
// walked by namespace and local name. A DTD is refused outright — SAML never needs one, and it is
// where entity expansion and external entity tricks live.

import { DOMParser, onErrorStopParsing, type Document, type Element } from '@xmldom/xmldom';

export const NS = {
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** The parsed document, or undefined when it is not well-formed XML or carries a DTD. */
export function parseXml(text: string): Document | undefined {
  if (/<!DOCTYPE/i.test(text)) return undefined;
  try {
    const doc = new DOMParser({ onError: onErrorStopParsing }).parseFromString(text, 'text/xml');
    return doc.documentElement ? doc : undefined;
  } catch {
    return undefined;
  }
}

export const is = (el: Element | null | undefined, ns: string, local: string): el is Element =>
  el !== null && el !== undefined && el.namespaceURI === ns && el.localName === local;

/** Element children of `el`, optionally only those named (ns, local). */
export function children(el: Element, ns?: string, local?: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue;
    const child = n as Element;
    if (ns === undefined || is(child, ns, local!)) out.push(child);
  }
  return out;
}

export const child = (el: Element, ns: string, local: string): Element | undefined => children(el, ns, local)[0];

/** Every descendant element named (ns, local), in document order. */
export function descendants(el: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  const visit = (e: Element): void => {
    for (const c of children(e)) {
      if (is(c, ns, local)) out.push(c);
      visit(c);
    }
  };
  visit(el);
  return out;
}

export const text = (el: Element | undefined): string | undefined => (el ? (el.textContent ?? '').trim() : undefined);
