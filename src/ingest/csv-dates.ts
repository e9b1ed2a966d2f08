/**
 * Submit-time cells of form exports. Pure: no clock, no time zones — a form sheet holds wall-clock
 * times of the sheet's own zone, so we keep them as local ISO (`2024-05-29T19:41:00`), or `…Z` when
 * the column says it is UTC (Typeform's `Submit Date (UTC)`).
 */
import { asciiDigits, cleanText } from '../text/clean';

/** The pieces one cell gives before day/month order is known. */
interface TimeParts {
  /** `ymd`: year first (unambiguous); `ambiguous`: `a/b/y` with a and b both possibly the day. */
  shape: 'ymd' | 'ambiguous';
  a: number;
  b: number;
  year: number;
  hour: number;
  minute: number;
  second: number;
  utc: boolean;
}

export type DayOrder = 'dmy' | 'mdy';

export interface TimeColumn {
  /** ISO per cell (same order as the input), null where a cell is empty or unreadable. */
  times: (string | null)[];
  /** How `a/b/y` cells were read; undefined when the column had none. */
  order?: DayOrder;
  /** True when nothing in the column settled the day/month order and day-first was assumed. */
  orderGuessed: boolean;
  /** Non-empty cells that could not be read as a time. */
  unreadable: number;
}

const TIME = String.raw`(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?(?:\s*([ap])\.?\s?m\.?)?`;
/** Trailing zone words Google and Excel append: `GMT+2`, `UTC`, `CEST`, `+02:00`, `Z`. Dropped: times stay wall-clock. */
const ZONE = String.raw`(?:\s*(?:(?:gmt|utc)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|[a-z]{2,5}|[+-]\d{2}:?\d{2}|z))?`;
const YMD = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:t|,?\s)${TIME})?(${ZONE})$`);
const AMBIGUOUS = new RegExp(String.raw`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:,?\s+${TIME})?(${ZONE})$`);

function readParts(raw: string, utcColumn: boolean): TimeParts | null {
  const s = asciiDigits(cleanText(raw)).replace(/\s+/g, ' ').trim().toLowerCase();
  if (s === '' || s.length > 60) return null;
  const ymd = YMD.exec(s);
  const m = ymd ?? AMBIGUOUS.exec(s);
  if (!m) return null;
  let year = Number(ymd ? m[1] : m[3]);
  if (!ymd && year < 100) year += 2000;
  let hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const marker = m[7];
  if (marker !== undefined) {
    if (hour < 1 || hour > 12) return null;
    if (marker === 'p' && hour < 12) hour += 12;
    if (marker === 'a' && hour === 12) hour = 0;
  }
  if (hour > 23 || minute > 59 || second > 59) return null;
  const zone = (m[8] ?? '').trim();
  const utc = utcColumn || zone === 'z' || /^(gmt|utc)$/.test(zone);
  return {
    shape: ymd ? 'ymd' : 'ambiguous',
    a: Number(ymd ? m[2] : m[1]),
    b: Number(ymd ? m[3] : m[2]),
    year,
    hour,
    minute,
    second,
    utc,
  };
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function toIso(p: TimeParts, order: DayOrder): string | null {
  const [month, day] = p.shape === 'ymd' || order === 'mdy' ? [p.a, p.b] : [p.b, p.a];
  if (p.year < 1970 || p.year > 2200 || month < 1 || month > 12 || day < 1 || day > daysIn(p.year, month)) return null;
  const iso = `${pad(p.year, 4)}-${pad(month)}-${pad(day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
  return p.utc ? `${iso}Z` : iso;
}

/**
 * Day/month order for the `a/b/y` cells of one column, decided once per column like the chat
 * parsers do: a part above 12 settles it; else the part that changes more often between
 * consecutive rows is the day (responses arrive over days, rarely over months); else day-first.
 */
function decideOrder(parts: TimeParts[]): { order: DayOrder; guessed: boolean } {
  let aBig = false;
  let bBig = false;
  let aChanges = 0;
  let bChanges = 0;
  let prev: TimeParts | undefined;
  for (const p of parts) {
    if (p.a > 12) aBig = true;
    if (p.b > 12) bBig = true;
    if (prev) {
      if (p.a !== prev.a) aChanges++;
      if (p.b !== prev.b) bChanges++;
    }
    prev = p;
  }
  if (aBig !== bBig) return { order: aBig ? 'dmy' : 'mdy', guessed: false };
  if (aChanges !== bChanges) return { order: aChanges > bChanges ? 'dmy' : 'mdy', guessed: false };
  return { order: 'dmy', guessed: true };
}

/**
 * Read a whole column of submit times: `readTimeColumn(["5/29/2024 19:41:00"], false).times` →
 * `["2024-05-29T19:41:00"]`; `utcColumn` appends `Z` (the header said UTC).
 */
export function readTimeColumn(cells: readonly string[], utcColumn: boolean): TimeColumn {
  const parts = cells.map((c) => readParts(c, utcColumn));
  const ambiguous = parts.filter((p): p is TimeParts => p !== null && p.shape === 'ambiguous');
  const decided = ambiguous.length > 0 ? decideOrder(ambiguous) : undefined;
  const order = decided?.order ?? 'dmy';
  let unreadableCount = 0;
  const times = parts.map((p, i) => {
    const iso = p ? toIso(p, order) : null;
    if (iso === null && (cells[i] ?? '').trim() !== '') unreadableCount++;
    return iso;
  });
  return { times, order: decided?.order, orderGuessed: decided?.guessed ?? false, unreadable: unreadableCount };
}

/** True when a cell reads as a date or date-time: `looksLikeTime("2021-09-24 11:39:34")` → true. */
export function looksLikeTime(cell: string): boolean {
  return readParts(cell, false) !== null;
}
