/**
 * CSV grammar for form exports: papaparse does quoting, multi-line cells and delimiter detection;
 * this module adds what error messages need — the physical line where each record starts.
 */
import Papa from 'papaparse';
import { unreadable } from '../errors';
import type { Warning } from './types';

export interface CsvRecord {
  cells: string[];
  /** 1-based record index: the spreadsheet row number the user sees (header = row 1). */
  record: number;
  /** 1-based physical line where the record starts (differs from `record` after multi-line cells). */
  line: number;
}

export interface CsvTable {
  records: CsvRecord[];
  delimiter: string;
  warnings: Warning[];
}

/** Form tools export with commas, semicolons (European Excel) or tabs; `|` is never a form export. */
const DELIMITERS = [',', ';', '\t'];

/**
 * Split CSV text into records with their line numbers: `readCsv("a;b\n1;2").records[1].cells` → `["1","2"]`.
 * Throws `unreadable` with the line of an unterminated quoted cell.
 */
export function readCsv(text: string): CsvTable {
  const source = text.replace(/^\uFEFF+/, '');
  const records: CsvRecord[] = [];
  const warnings: Warning[] = [];
  let linebreak = '\n';
  // Line counting advances monotonically over the text, so the whole file is scanned once.
  let scanned = 0;
  let linesBefore = 0;
  const lineAt = (offset: number): number => {
    const end = Math.min(Math.max(offset, scanned), source.length);
    const mark = linebreak === '\r' ? '\r' : '\n';
    for (let i = scanned; i < end; i++) if (source[i] === mark) linesBefore++;
    scanned = end;
    return linesBefore + 1;
  };
  let start = 0;
  let badQuotesLine: number | undefined;
  let delimiter = ',';
  Papa.parse<string[]>(source, {
    delimitersToGuess: DELIMITERS,
    skipEmptyLines: false,
    step: (row) => {
      linebreak = row.meta.linebreak || linebreak;
      delimiter = row.meta.delimiter || delimiter;
      const line = lineAt(start);
      for (const e of row.errors) {
        if (e.code === 'MissingQuotes') {
          const at = typeof e.index === 'number' && e.index >= start ? lineAt(e.index) : line;
          throw unreadable('a quoted cell is never closed (a " is missing), so the rest of the file cannot be read', `line ${at}`);
        }
        if (e.code === 'InvalidQuotes' && badQuotesLine === undefined) badQuotesLine = line;
      }
      records.push({ cells: Array.isArray(row.data) ? row.data.map(String) : [], record: records.length + 1, line });
      start = row.meta.cursor;
    },
  });
  if (badQuotesLine !== undefined) {
    warnings.push({
      code: 'bad_quotes',
      message: `line ${badQuotesLine}: a quoted cell has text after its closing quote; it was read as it stands`,
      line: badQuotesLine,
    });
  }
  return { records, delimiter, warnings };
}
