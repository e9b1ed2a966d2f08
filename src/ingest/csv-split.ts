/**
 * Multi-select answers packed into one cell: Google Forms joins checkbox answers with ", ",
 * Microsoft Forms with ";" (and a trailing ";"). An option may itself contain ", " ("Grants, small
 * funds"), so Google cells are split against the known option list when there is one, or against
 * options inferred from the column itself; only what neither explains is split blindly.
 */
import { normaliseForMatch } from '../text/clean';

/** One selected answer: a known option, or text the respondent typed into "Other". */
export interface Pick {
  label: string;
  other: boolean;
}

export interface SplitColumn {
  /** Per cell (same order as the input): the answers it holds, without duplicates. */
  picks: Pick[][];
  /** Option labels in list order (given options) or first-seen order (inferred). */
  options: string[];
  /** Inferred options that contain ", " (kept whole because they recur as a unit). */
  compound: string[];
  /** Runs that matched nothing and were split on ", " without evidence. */
  blind: string[];
}

const COMMA = ', ';
/** Google writes ", "; hand-merged sheets also use ",\n". Pieces are re-joined with ", ". */
const SPLIT = /,\s+/;
/** Longer cells are not option lists; splitting them would only cost time. */
const MAX_PIECES = 64;
/** An option label holding more than 7 ", " is implausible; bounding it keeps segmentation linear. */
const MAX_OPTION_PIECES = 8;

interface Segment {
  text: string;
  known: boolean;
}

/**
 * Fewest segments wins, so a known option containing ", " beats its pieces; unknown pieces cost most.
 * Pieces are normalised once; a segment's key is their join (normalising is per piece anyway).
 */
function segment(cell: string, known: ReadonlyMap<string, string>): Segment[] {
  const pieces = splitOutside(cell).map((p) => p.trim());
  if (pieces.length > MAX_PIECES) return [{ text: cell, known: known.has(normaliseForMatch(cell)) }];
  const keys = pieces.map(normaliseForMatch);
  const n = pieces.length;
  const cost: number[] = [0];
  const from: number[] = [0];
  const isKnown: boolean[] = [false];
  for (let i = 1; i <= n; i++) {
    cost[i] = Number.POSITIVE_INFINITY;
    from[i] = i - 1;
    isKnown[i] = false;
    for (let j = Math.max(0, i - MAX_OPTION_PIECES); j < i; j++) {
      const hit = known.has(keys.slice(j, i).join(COMMA));
      if (!hit && i - j > 1) continue;
      const c = (cost[j] ?? 0) + (hit ? 1 : 1000);
      if (c < (cost[i] ?? Number.POSITIVE_INFINITY)) {
        cost[i] = c;
        from[i] = j;
        isKnown[i] = hit;
      }
    }
  }
  const out: Segment[] = [];
  for (let i = n; i > 0; ) {
    const j = from[i] ?? i - 1;
    const seg = pieces.slice(j, i).join(COMMA);
    const hit = isKnown[i] ?? false;
    const last = out[0];
    // Adjacent unknown pieces form one run: "my own idea, with commas" stays together.
    if (!hit && last && !last.known) last.text = `${seg}${COMMA}${last.text}`;
    else out.unshift({ text: seg, known: hit });
    i = j;
  }
  return out.filter((s) => s.text !== '');
}

function labelMap(labels: Iterable<string>): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of labels) {
    const k = normaliseForMatch(l);
    if (k !== '' && !m.has(k)) m.set(k, l.trim());
  }
  return m;
}

function joined(cell: string): boolean {
  return SPLIT.test(cell) && splitOutside(cell).length > 1;
}

/**
 * Pieces of a cell split at ", " outside brackets: an option such as "Community Health (safety, harassment)"
 * keeps its parenthesis whole. `splitOutside("A (x, y), B")` → `["A (x, y)", "B"]`.
 */
export function splitOutside(cell: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < cell.length; i++) {
    const c = cell.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123 || c === 0xff08) depth++;
    else if ((c === 41 || c === 93 || c === 125 || c === 0xff09) && depth > 0) depth--;
    else if (c === 44 && depth === 0 && /\s/.test(cell.charAt(i + 1))) {
      out.push(cell.slice(start, i));
      let j = i + 1;
      while (j < cell.length && /\s/.test(cell.charAt(j))) j++;
      start = j;
      i = j - 1;
    }
  }
  out.push(cell.slice(start));
  return out;
}

/** Cells answered with a single option (no ", " in them): the inferred option list. */
function atomsOf(cells: readonly string[]): Map<string, string> {
  return labelMap(cells.map((c) => c.trim()).filter((c) => c !== '' && !joined(c)));
}

const MULTI_HINT =
  /select all|all that apply|check all|tick all|one or more|choose (up to|all|any)|\(s\)|several|multiple|plusieurs|toutes? les|varias|todas las|mehrere|alle zutreffenden|meerdere|يمكن اختيار|複数/i;

/**
 * Evidence that ", " separates options in this column — any of:
 * - a cell made only of options seen alone elsewhere ("Training, Events" when "Training" and
 *   "Events" were answers by themselves);
 * - an option seen alone that also appears inside two different combinations;
 * - a header asking for several answers, and a piece shared by two different combinations.
 * `commaSeparatesOptions(["A", "B", "A, B"], "Q")` → true.
 */
export function commaSeparatesOptions(cells: readonly string[], header: string, given?: readonly string[]): boolean {
  const compound = cells.filter(joined);
  if (compound.length === 0) return false;
  const known = given ? labelMap(given) : atomsOf(cells);
  for (const c of compound) {
    const segs = segment(c, known);
    if (segs.length >= 2 && segs.every((s) => s.known)) return true;
  }
  const seenIn = new Map<string, Set<string>>();
  for (const c of new Set(compound.map(normaliseForMatch))) {
    for (const p of splitOutside(c)) {
      const cells = seenIn.get(p) ?? new Set<string>();
      cells.add(c);
      seenIn.set(p, cells);
    }
  }
  const hinted = MULTI_HINT.test(header);
  for (const [piece, inCells] of seenIn) {
    if (inCells.size >= 2 && (hinted || known.has(piece))) return true;
  }
  return false;
}

function dedupe(picks: Pick[]): Pick[] {
  const seen = new Set<string>();
  return picks.filter((p) => {
    const k = `${p.other ? 'o' : 'k'}:${normaliseForMatch(p.label)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Options of a ", " column without a given list: the cells answered alone, plus whole cells that
 * hold ", " yet share no piece with those (a candidate option such as "Grants, small funds") and
 * recur as a unit in another cell. A candidate seen only once is ambiguous — one option, or two
 * never picked apart — and is split; `compound` collects the kept ones for a warning.
 */
function inferOptions(cells: readonly string[], compound: string[]): Map<string, string> {
  const atoms = atomsOf(cells);
  const candidates = labelMap(
    cells
      .map((c) => c.trim())
      .filter((c) => joined(c) && !splitOutside(c).some((p) => atoms.has(normaliseForMatch(p)))),
  );
  if (candidates.size === 0) return atoms;
  const trial = new Map([...atoms, ...candidates]);
  const uses = new Map<string, number>();
  for (const c of cells) {
    if (!joined(c)) continue;
    for (const s of segment(c.trim(), trial)) {
      const k = normaliseForMatch(s.text);
      if (s.known && candidates.has(k)) uses.set(k, (uses.get(k) ?? 0) + 1);
    }
  }
  const known = new Map(atoms);
  for (const [k, label] of candidates) {
    if ((uses.get(k) ?? 0) >= 2) {
      known.set(k, label);
      compound.push(label);
    }
  }
  return known;
}

/**
 * Split a Google-style ", " column: `splitCommaColumn(["A", "B", "A, B"]).picks[2]` →
 * `[{label:"A",other:false},{label:"B",other:false}]`. With `given` options, text outside the list
 * becomes an "Other" pick; without, options are inferred from the column.
 */
export function splitCommaColumn(cells: readonly string[], given?: readonly string[]): SplitColumn {
  const compound: string[] = [];
  const blind: string[] = [];
  const known = given ? labelMap(given) : inferOptions(cells, compound);
  const order = new Map<string, string>(given ? known : []);
  const picks = cells.map((cell) => {
    const out: Pick[] = [];
    if (cell.trim() === '') return out;
    for (const s of segment(cell.trim(), known)) {
      if (s.known) {
        const label = known.get(normaliseForMatch(s.text)) ?? s.text;
        out.push({ label, other: false });
      } else if (given) {
        out.push({ label: s.text, other: true });
      } else {
        if (joined(s.text)) blind.push(s.text);
        for (const p of splitOutside(s.text)) if (p.trim() !== '') out.push({ label: p.trim(), other: false });
      }
    }
    for (const p of out) if (!p.other && !order.has(normaliseForMatch(p.label))) order.set(normaliseForMatch(p.label), p.label);
    return dedupe(out);
  });
  return { picks, options: [...order.values()], compound, blind: [...new Set(blind)] };
}

/**
 * Split a Microsoft-Forms-style ";" column: `splitSemicolonColumn(["A;B;", "B;"]).options` → `["A","B"]`.
 * With `given` options, pieces outside the list become "Other" picks.
 */
export function splitSemicolonColumn(cells: readonly string[], given?: readonly string[]): SplitColumn {
  const known = given ? labelMap(given) : undefined;
  const order = new Map<string, string>(known ?? []);
  const picks = cells.map((cell) => {
    const out: Pick[] = [];
    for (const raw of cell.split(';')) {
      const piece = raw.trim();
      if (piece === '') continue;
      const k = normaliseForMatch(piece);
      if (known && !known.has(k)) {
        out.push({ label: piece, other: true });
        continue;
      }
      const label = known?.get(k) ?? order.get(k) ?? piece;
      if (!order.has(k)) order.set(k, label);
      out.push({ label, other: false });
    }
    return dedupe(out);
  });
  return { picks, options: [...order.values()], compound: [], blind: [] };
}

/** True when every non-empty cell ends with ";" — Microsoft Forms' multi-select shape: `["A;B;", "C;"]` → true. */
export function looksSemicolonJoined(cells: readonly string[]): boolean {
  const filled = cells.map((c) => c.trim()).filter((c) => c !== '');
  return filled.length > 0 && filled.every((c) => c.endsWith(';') && c.length > 1);
}
