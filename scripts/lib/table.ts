/**
 * Plain-text tables for terminal output: aligned columns, a header and a rule, no box drawing
 * (the output is often pasted into reports or read in CI logs). Pure functions.
 */

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

// Wide (two-cell) characters: CJK, Hangul, fullwidth forms and most emoji. Combining marks take none.
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/u;

/** Terminal cells a string takes: `displayWidth("日本")` → 4, `displayWidth("abc")` → 3. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    if (ZERO_WIDTH.test(ch)) continue;
    w += WIDE.test(ch) ? 2 : 1;
  }
  return w;
}

/** Pads to a display width: `pad("7", 3, "right")` → `"  7"`. */
export function pad(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'right' ? fill + s : s + fill;
}

/**
 * Renders rows under headers with a rule: `renderTable([{header:"a"}], [["x"]])` → `"a\n─\nx"`.
 * Trailing spaces are trimmed so the output diffs cleanly; missing cells count as empty.
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[], indent = ''): string {
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    (indent + columns.map((c, i) => pad(cells[i] ?? '', widths[i] ?? 0, c.align)).join('  ')).trimEnd();
  return [
    line(columns.map((c) => c.header)),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}
