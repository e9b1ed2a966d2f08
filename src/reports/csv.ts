/**
 * CSV for spreadsheets. Pure. RFC 4180 quoting, and cells a spreadsheet would run as a formula
 * (starting with = + - @, a tab or a carriage return, or their full-width forms) get a leading apostrophe.
 */

const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** One cell, neutralised and quoted when needed: `csvCell('=1+1')` → `'=1+1`, `csvCell('a,b')` → `"a,b"`. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line ending in CRLF: `csvLine(['a', 1])` → 'a,1\r\n'. */
export function csvLine(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const ITEM_CSV_HEADER = ['id', 'at', 'channel', 'context', 'language', 'participant', 'status', 'themes', 'text'] as const;

export interface CsvItem {
  id: number;
  at: string | null;
  channel: string;
  context: string | null;
  language: string | null;
  participant: string | null;
  status: string;
  themes: { key: string }[];
  text: string;
}

/** An item as a CSV line; themes joined with '; '. */
export function itemCsvLine(item: CsvItem): string {
  const themes = item.themes
    .map((t) => t.key)
    .filter((k) => k !== '')
    .join('; ');
  return csvLine([item.id, item.at, item.channel, item.context, item.language, item.participant, item.status, themes, item.text]);
}

/** A whole items file (BOM first, so spreadsheet apps read UTF-8): `itemsCsv([])` → '\ufeffid,at,…\r\n'. */
export function itemsCsv(items: CsvItem[]): string {
  return `\ufeff${csvLine([...ITEM_CSV_HEADER])}${items.map(itemCsvLine).join('')}`;
}
