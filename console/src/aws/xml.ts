// AWS's XML answers (Query and EC2 protocols) as plain values: an element with no child elements is
// its text, `member`/`item` children make an array, `entry` children (key/value) an object, and any
// other element an object of its children, where a name seen twice becomes an array of them.
// Shapes are not known here, so an empty list reads as '' — read lists with list() or many().

export type Xml = string | Xml[] | { [name: string]: Xml };

function value(element: Element): Xml {
  const children = Array.from(element.children);
  if (children.length === 0) return element.textContent ?? '';
  if (children.every((c) => c.localName === 'member' || c.localName === 'item')) return children.map(value);
  if (children.every((c) => c.localName === 'entry')) {
    const map: Record<string, Xml> = {};
    for (const entry of children) {
      const k = entry.getElementsByTagName('key')[0]?.textContent ?? '';
      const v = entry.getElementsByTagName('value')[0];
      map[k] = v ? value(v) : '';
    }
    return map;
  }
  const object: Record<string, Xml> = {};
  const repeated = new Set<string>();
  for (const child of children) {
    const name = child.localName;
    const v = value(child);
    const seen = object[name];
    if (seen === undefined) object[name] = v;
    else if (repeated.has(name)) (seen as Xml[]).push(v);
    else {
      object[name] = [seen, v];
      repeated.add(name);
    }
  }
  return object;
}

/** The document element's content, or undefined when the text is not XML. */
export function parseXml(text: string): Record<string, Xml> | undefined {
  if (!text.trim().startsWith('<')) return undefined;
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return undefined;
  const v = value(doc.documentElement);
  return typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

/** A list field (`member`/`item` children): [] when empty or absent. */
export function list<T>(v: T[] | string | undefined): T[] {
  return Array.isArray(v) ? v : [];
}

/** Repeated elements of one name (ElastiCache's `<CacheCluster>`s): one of them is not an array. */
export function many<T>(v: T | T[] | string | undefined): T[] {
  if (v === undefined || v === '') return [];
  return Array.isArray(v) ? v : [v as T];
}
