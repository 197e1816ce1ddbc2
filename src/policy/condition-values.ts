// Condition values that IAM stores without complaint but that can never match. AWS refuses only
// malformed dates when a policy is written (see date-value.ts); a numeric condition on "ten", a Bool on
// "yes" or an IpAddress on "10.0.0.300" are accepted and simply never true. iamd accepts them too, and
// says so in the parse result's warnings, so a console or linter can show what AWS keeps silent about.

import { valueFamily } from './condition-operator.ts';
import type { ConditionClause } from './types.ts';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(\/(3[0-2]|[12]?\d))?$/;

function isIpv6Cidr(value: string): boolean {
  const [address, prefix, extra] = value.split('/');
  if (extra !== undefined) return false;
  if (prefix !== undefined && !/^(12[0-8]|1[01]\d|[1-9]?\d)$/.test(prefix)) return false;
  if (!/^[0-9A-Fa-f:.]+$/.test(address) || !address.includes(':')) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  const last = groups[groups.length - 1] ?? '';
  const embeddedV4 = last.includes('.');
  if (embeddedV4 && !IPV4.test(last)) return false;
  const hexGroups = embeddedV4 ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const width = hexGroups.length + (embeddedV4 ? 2 : 0);
  return halves.length === 2 ? width < 8 : width === 8;
}

const WELL_FORMED: Partial<Record<ReturnType<typeof valueFamily>, { ok: (v: string) => boolean; expects: string }>> = {
  numeric: { ok: (v) => NUMBER.test(v), expects: 'a number' },
  bool: { ok: (v) => /^(true|false)$/i.test(v), expects: 'true or false' },
  null: { ok: (v) => /^(true|false)$/i.test(v), expects: 'true or false' },
  binary: { ok: (v) => BASE64.test(v), expects: 'base64 text' },
  ip: { ok: (v) => IPV4.test(v) || isIpv6Cidr(v), expects: 'an IP address or CIDR range' },
};

/** One warning per value that the clause's operator can never match. */
export function conditionValueWarnings(clause: ConditionClause, statementIndex: number): string[] {
  const rule = WELL_FORMED[valueFamily(clause.base)];
  if (!rule) return [];
  return clause.values
    .filter((v) => !rule.ok(v))
    .map(
      (v) =>
        `Statement ${statementIndex}: ${clause.operator} on ${clause.key} expects ${rule.expects}; ` +
        `${JSON.stringify(v)} never matches.`,
    );
}
