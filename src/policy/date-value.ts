// Which Date* condition values IAM accepts when a policy is written. AWS's parser is a lenient ISO 8601
// reader, as the recorded answers show: "01T", "2016-12-13t2:00:00.593194+23" and "-292275054" are
// accepted; "sdfdsf", "234-13" (month 13), an offset of one digit ("+1"), ten fraction digits and a
// year beyond ±292 million years ("9223372036854775808") are refused with "The policy failed legacy
// parsing". A plain integer is an epoch time and must fit a signed 64-bit number (recorded:
// "-292275054" passes, "9223372036854775808" = 2^63 fails).

const DATE = String.raw`([+-]?\d{1,9})(?:-(?:(\d{1,2})(?:-(\d{1,2}))?|[Ww](\d{1,2})(?:-(\d))?|(\d{3})))?`;
const TIME = String.raw`(\d{1,2})(?::(\d{1,2})(?::(\d{1,2}))?)?(?:[.,]\d{1,9})?`;
const OFFSET = String.raw`[Zz]|[+-](\d{2})(?::?(\d{2}))?`;
const DATE_TIME = new RegExp(`^(?:${DATE}(?:[Tt](?:${TIME})?(?:${OFFSET})?)?|[Tt]${TIME}(?:${OFFSET})?)$`);

/** The range of years the parser can represent (that of a 64-bit millisecond clock). */
const MIN_YEAR = -292275054;
const MAX_YEAR = 292278993;

const inRange = (text: string | undefined, min: number, max: number): boolean =>
  text === undefined || (Number(text) >= min && Number(text) <= max);

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const INTEGER = /^[+-]?\d+$/;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

export function isAcceptedDate(value: string): boolean {
  if (INTEGER.test(value)) {
    const n = BigInt(value);
    return n >= LONG_MIN && n <= LONG_MAX;
  }
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [, year, month, day, week, weekday, ordinal, hour, minute, second, offH, offM, hour2, minute2, second2, offH2, offM2] = m;
  if (!inRange(year, MIN_YEAR, MAX_YEAR)) return false;
  if (!inRange(month, 1, 12) || !inRange(week, 1, 53) || !inRange(weekday, 1, 7) || !inRange(ordinal, 1, 366)) {
    return false;
  }
  if (day !== undefined && !inRange(day, 1, daysInMonth(Number(year), Number(month)))) return false;
  return (
    inRange(hour ?? hour2, 0, 23) && inRange(minute ?? minute2, 0, 59) && inRange(second ?? second2, 0, 59) &&
    inRange(offH ?? offH2, 0, 23) && inRange(offM ?? offM2, 0, 59)
  );
}
