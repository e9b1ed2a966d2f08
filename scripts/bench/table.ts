/** Plain-text tables for benchmark output: a title, a header row, aligned columns, pipe-separated. */

export type Cell = string | number;

/** `renderTable('Parse', ['parser', 'msg/s'], [['ours', 812000]])` → a Markdown-style table as one string. */
export function renderTable(title: string, header: string[], rows: Cell[][], notes: string[] = []): string {
  const text = rows.map((r) => header.map((_, i) => cellText(r[i])));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === '—'));
  const widths = header.map((h, i) => Math.max(width(h), ...text.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (numeric[i] ? padStart(c, widths[i] ?? 0) : padEnd(c, widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [`\n### ${title}\n`, line(header), rule, ...text.map(line), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}

export function printTable(title: string, header: string[], rows: Cell[][], notes: string[] = []): void {
  console.log(renderTable(title, header, rows, notes));
}

function cellText(c: Cell | undefined): string {
  if (c === undefined) return '';
  if (typeof c === 'number') return Number.isInteger(c) ? c.toLocaleString('en-US') : c.toFixed(2);
  return c;
}

// CJK and other wide characters take two columns in a terminal; combining marks take none.
function width(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (/\p{Mn}|\p{Cf}/u.test(ch)) continue;
    w += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0x1f300 && cp <= 0x1faff) ? 2 : 1;
  }
  return w;
}

function padEnd(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}

function padStart(s: string, w: number): string {
  return ' '.repeat(Math.max(0, w - width(s))) + s;
}

/** `rate(100_000, 250)` → `"400.0k/s"`. */
export function rate(count: number, ms: number): string {
  const perSecond = (count * 1000) / ms;
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)}M/s` : `${(perSecond / 1e3).toFixed(1)}k/s`;
}

/** `megabytes(35_000_000)` → `"33.4 MB"` (MiB, as RSS is counted). */
export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ms(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`;
}

export function met(ok: boolean | null): string {
  return ok === null ? '—' : ok ? 'yes' : 'NO';
}
