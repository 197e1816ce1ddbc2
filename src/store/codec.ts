// How documents and payloads are stored: JSON text. Text rather than PostgreSQL's jsonb because the
// store never looks inside a document, and text round-trips exactly what was written (key order,
// duplicate-free as JSON.stringify makes it) with no parse on the database side.

/**
 * A document already encoded as JSON text, stored as it is: the event log encodes each event once when
 * it is recorded (a string the GC moves in one piece, not an object graph held until the flush) and
 * writes a block as those texts joined. The caller vouches that the text is valid JSON.
 */
export class EncodedDoc {
  constructor(readonly json: string) {}
}

export const encodeDoc = (doc: unknown): string => (doc instanceof EncodedDoc ? doc.json : JSON.stringify(doc === undefined ? null : doc));

export const decodeDoc = <T>(text: string): T => JSON.parse(text) as T;
