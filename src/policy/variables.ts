// Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, `${*}`, `${aws:username, 'none'}`.
// A string is split once, at compile time, into literal text and variable references; at request
// time a reference is looked up in the request context. Only documents with Version 2012-10-17
// have variables — in older (or absent) versions `${…}` is literal text.

/** A `${key}` or `${key, 'default'}` reference inside a policy string. */
export interface VariableRef {
  /** The key as written, for explanations. */
  readonly key: string;
  /** The key lower-cased: context lookups are case-insensitive. */
  readonly keyLower: string;
  /** The text used when the key is absent from the request (`${key, 'default'}`). */
  readonly fallback?: string;
}

/**
 * The special `${*}`, `${?}` and `${$}` escapes: they stand for the character itself, never a
 * wildcard — callers receive them as `escaped` literal parts.
 */
export type TemplateToken =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'escaped'; readonly text: string }
  | { readonly kind: 'variable'; readonly variable: VariableRef };

const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

// `${ key }` or `${ key , 'default' }`; keys are what AWS allows in a condition key name.
const VARIABLE_BODY = /^\s*([^\s,'}]+)\s*(?:,\s*'([^']*)'\s*)?$/;

/**
 * Split `text` into tokens. Anything that is not a well-formed variable stays literal text, as
 * AWS leaves an unrecognised `${…}` untouched.
 */
export function tokenizeTemplate(text: string): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) break;
    const end = text.indexOf('}', start + 2);
    if (end < 0) break;
    const body = text.slice(start + 2, end);
    const escaped = ESCAPES[body];
    const variable = escaped === undefined ? VARIABLE_BODY.exec(body) : null;
    if (escaped === undefined && variable === null) {
      literal += text.slice(i, start + 2);
      i = start + 2;
      continue;
    }
    literal += text.slice(i, start);
    if (literal) tokens.push({ kind: 'text', text: literal });
    literal = '';
    if (escaped !== undefined) {
      tokens.push({ kind: 'escaped', text: escaped });
    } else if (variable) {
      const key = variable[1];
      const ref: VariableRef =
        variable[2] === undefined
          ? { key, keyLower: key.toLowerCase() }
          : { key, keyLower: key.toLowerCase(), fallback: variable[2] };
      tokens.push({ kind: 'variable', variable: ref });
    }
    i = end + 1;
  }
  literal += text.slice(i);
  if (literal) tokens.push({ kind: 'text', text: literal });
  return tokens;
}
