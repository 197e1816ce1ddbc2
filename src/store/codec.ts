// How documents and payloads are stored: JSON text. Text rather than PostgreSQL's jsonb because the
// store never looks inside a document, and text round-trips exactly what was written (key order,
// duplicate-free as JSON.stringify makes it) with no parse on the database side.

export const encodeDoc = (doc: unknown): string => JSON.stringify(doc === undefined ? null : doc);

export const decodeDoc = <T>(text: string): T => JSON.parse(text) as T;
