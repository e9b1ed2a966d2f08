/**
 * Column roles of a form export. Each column (or group of columns) becomes one of:
 *
 * - identity  — who answered (email, name, phone; by header, email/phone also by values, and a
 *               name by values that look like names under a header asking for the respondent's own).
 *               Personal data: only used to key the respondent, never emitted as text or options.
 * - personal  — other personal data (postal address parts): dropped.
 * - metadata  — what the tool adds: ids, timestamps, languages, seeds, IPs, timings, expressions.
 * - choice    — single choice: few distinct short values repeated across rows, or a short numeric
 *               scale (Likert 1–5, 0–10). Counted as a poll.
 * - multi     — multi-select: one cell joined with ", " (Google) or ";" (Microsoft), or one column
 *               per option holding 0/1/Y (LimeSurvey) or the option's own label (Typeform). A poll.
 * - text      — free text: long or mostly distinct answers, headers that ask for a written answer
 *               ("describe", "why", "comments"), "[Other]" columns, or `opts.textColumns`. One
 *               message per non-empty answer.
 * - ignored   — numbers that are not a scale (ages, counts), tick-only acknowledgements, uploads.
 * - empty     — nobody answered; nothing to classify.
 *
 * Order matters: the user's options first, then personal data (identity must win over everything,
 * a leaked email is worse than a lost answer), then bookkeeping, then shape-of-values rules.
 */
import { normaliseForMatch } from '../text/clean';
import {
  hintsFreeText,
  type IdentityKind,
  identityFromHeader,
  isAddressHeader,
  isMetadataHeader,
  isOtherLabel,
  mentionsOwnName,
  type SurveyFlavour,
  splitBracket,
} from './csv-headers';
import { commaSeparatesOptions, looksSemicolonJoined, type SplitColumn, splitCommaColumn, splitSemicolonColumn } from './csv-split';
import { looksLikePhone } from './identity';
import type { Warning } from './types';

export interface SurveyCsvOptions {
  /** Headers (or question texts) to import as free text whatever their answers look like. */
  textColumns?: string[];
  /** Headers whose cells hold several answers joined with ", " or ";". */
  multiSelect?: string[];
  /** The option list of a choice column, by header: lets ", " inside an option split correctly. */
  options?: Record<string, string[]>;
  /** What the caller's API calls the hints above, for messages the uploader can act on (the survey import's by default). */
  hintNames?: HintNames;
}

export interface HintNames {
  textColumns: string;
  multiSelect: string;
  /** Null where the API takes no option lists. */
  options: string | null;
}

/** The survey import's names (POST …/surveys); the upload endpoint has textColumn and multiSelect only. */
export const SURVEY_HINT_NAMES: HintNames = { textColumns: 'textColumns', multiSelect: 'multiSelect', options: 'options' };

/**
 * Hints that name no column of the file, with the name of the hint that gave them:
 * `unmatchedHints({ textColumns: ['Why?', 'Nope'] }, columns, false)` → `[{ hint: 'textColumns', key: 'Nope' }]`.
 */
export function unmatchedHints(opts: SurveyCsvOptions, columns: readonly Column[], twoHeaderRows: boolean): { hint: keyof HintNames | 'options'; key: string }[] {
  const given: { hint: keyof HintNames | 'options'; key: string }[] = [
    ...(opts.textColumns ?? []).map((key) => ({ hint: 'textColumns' as const, key })),
    ...(opts.multiSelect ?? []).map((key) => ({ hint: 'multiSelect' as const, key })),
    ...Object.keys(opts.options ?? {}).map((key) => ({ hint: 'options' as const, key })),
  ];
  return given.filter(({ key }) => !columns.some((col) => matchesKey([key], col, plainQuestion(col, twoHeaderRows))));
}

/** One column as the planner sees it: headers and the cleaned cells of the imported rows. */
export interface Column {
  index: number;
  /** Header cell (single header row) or Typeform's question row cell, forward-filled across its span. */
  top: string;
  /** Typeform's second header row (option label or sub-question); '' with one header row. */
  sub: string;
  /** First column of the Typeform span this column belongs to; 0 for every column with one header row. */
  spanStart: number;
  /** The header to match words against: sub-header when present, else the header. */
  label: string;
  cells: string[];
}

export type ColumnRole = 'identity' | 'personal' | 'metadata' | 'choice' | 'multi' | 'text' | 'ignored' | 'empty';

export interface Unit {
  role: ColumnRole;
  /** 0-based column indexes, in file order. */
  cols: number[];
  /** Question shown with messages and polls. */
  question: string;
  /** Why the column got its role, for the upload preview. */
  reason: string;
  /** True when the role was inferred from the answers rather than stated by header or option. */
  guessed: boolean;
  identity?: IdentityKind;
  /** Multi-select shape: packed in one cell, or one column per option. */
  shape?: 'comma' | 'semicolon' | 'flags' | 'labels';
  /** Option labels: known list for a choice, the per-column labels of a flags/labels group. */
  options?: string[];
  /** True when `options` came from the caller (answers outside it count as "Other"). */
  givenOptions?: boolean;
  /** For "[Other]" text columns: index in the unit list of the choice they belong to. */
  otherOf?: number;
  /** For text: the column is an "Other" column, whose blanks are not skipped answers. */
  isOther?: boolean;
  /** For one-cell multi-selects: the answers of each row, split once at planning time. */
  split?: SplitColumn;
}

export interface Plan {
  units: Unit[];
  warnings: Warning[];
}

export const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]{2,}$/;

function filled(cells: readonly string[]): string[] {
  return cells.filter((c) => c !== '');
}

/** Normalised non-empty answers of a column, computed once: several rules compare them. */
const normCache = new WeakMap<Column, string[]>();
function normsOf(col: Column): string[] {
  let n = normCache.get(col);
  if (!n) {
    n = filled(col.cells).map(normaliseForMatch);
    normCache.set(col, n);
  }
  return n;
}

function short(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Does an options key name this column? Keys match the header, the sub-header or the question. */
function matchesKey(keys: readonly string[] | undefined, col: Column, question: string): boolean {
  if (!keys || keys.length === 0) return false;
  const names = new Set([col.top, col.sub, col.label, question].filter((s) => s !== '').map(normaliseForMatch));
  return keys.some((k) => names.has(normaliseForMatch(k)));
}

function givenOptionsFor(opts: SurveyCsvOptions, col: Column, question: string): string[] | undefined {
  if (!opts.options) return undefined;
  for (const [k, v] of Object.entries(opts.options)) {
    if (Array.isArray(v) && matchesKey([k], col, question)) return v.filter((o) => typeof o === 'string');
  }
  return undefined;
}

/** Identity by values: emails anywhere, phones only when they carry 8+ digits or a `+` (7-digit answers are often codes). */
function identityFromValues(values: readonly string[]): IdentityKind | undefined {
  if (values.length === 0) return undefined;
  // Half the answers must be emails, four in five phones; stop as soon as that cannot happen.
  if (atLeast(values, values.length / 2, (v) => EMAIL.test(v))) return 'email';
  const phone = (v: string): boolean =>
    /^[+(\d]/.test(v) && looksLikePhone(v) && (v.startsWith('+') || v.replace(/\D/g, '').length >= 8);
  if (atLeast(values, (values.length * 4) / 5, phone)) return 'phone';
  return undefined;
}

const NAME_PART = /^\p{Lu}[\p{Ll}\p{M}]+(?:['’-]\p{Lu}?[\p{Ll}\p{M}]+)*$|^\p{Lu}\.$/u;
const NAME_PARTICLE = new Set(['de', 'da', 'do', 'dos', 'das', 'del', 'della', 'di', 'van', 'von', 'der', 'den', 'la', 'le', 'bin', 'binti', 'bint', 'ibn', 'al', 'el']);

/** "Selam Bekele", "Ana de Lima", "J. Okafor": two to four words, at least two of them capitalised, no digits. */
function looksLikeName(v: string): boolean {
  if (v.length > 60) return false;
  const words = v.split(/\s+/);
  if (words.length < 2 || words.length > 4) return false;
  let capitalised = 0;
  for (const w of words) {
    if (NAME_PART.test(w)) capitalised++;
    else if (!NAME_PARTICLE.has(w)) return false;
  }
  return capitalised >= 2;
}

/** Four answers in five look like people's names (the header must already ask for the respondent's own name). */
function looksLikeNames(values: readonly string[]): boolean {
  return values.length > 0 && atLeast(values, (values.length * 4) / 5, looksLikeName);
}

function atLeast(values: readonly string[], needed: number, ok: (v: string) => boolean): boolean {
  let hits = 0;
  let misses = 0;
  const allowedMisses = values.length - needed;
  for (const v of values) {
    if (ok(v)) hits++;
    else if (++misses > allowedMisses) return false;
  }
  return hits >= needed;
}

const NUMBER = /^[-+]?\d+(?:[.,]\d+)?$/;
const TICKS = new Set(['1', 'true', 'x', '✓', '✔', 'checked', 'on']);

/** Answers of one to three short words without sentence punctuation: "Often", "North America", "C++14". */
function isShortAnswer(v: string): boolean {
  return v.length <= 30 && v.split(/\s+/).length <= 3 && !/[.!?]/.test(v);
}

/**
 * A single column by the shape of its answers:
 * - numbers: a short integer scale (Likert 1–5, NPS 0–10) or a few values repeated is a choice;
 *   other numbers (ages, counts) are not feedback unless the header asks for a written answer;
 * - a choice repeats its values: at most half as many distinct answers as answers (at most 30,
 *   averaging ≤ 60 characters), or short one-to-three-word answers with at least one repeat;
 * - with fewer than four answers repetition cannot show, so short answers count as choices;
 * - everything else is free text, as are answers to headers that ask for one ("why", "describe…"),
 *   unless the answers are plainly options (see isStrongChoice).
 */
function classifySingle(col: Column, header: string): Pick<Unit, 'role' | 'reason' | 'guessed'> {
  const values = filled(col.cells);
  if (values.length === 0) return { role: 'empty', reason: 'no answers', guessed: false };
  if (values.every((v) => /^\[?\s*\{\s*"/.test(v))) {
    return { role: 'ignored', reason: 'file-upload descriptions', guessed: false };
  }
  const n = values.length;
  const d = new Set(normsOf(col)).size;
  if (n >= 3 && d === n && values.every((v) => /^[\p{L}\d_-]{2,40}$/u.test(v) && /\d/.test(v) && /\p{L}/u.test(v))) {
    // "P01", "r2h7c1v5", "resp-0042": one distinct code per row is a respondent or record id.
    return { role: 'metadata', reason: 'a distinct code on every row (an id)', guessed: true };
  }
  const hint = hintsFreeText(header);
  if (values.every((v) => NUMBER.test(v))) {
    const nums = values.map((v) => Number(v.replace(',', '.')));
    const scale = nums.every((x) => Number.isInteger(x) && x >= -10 && x <= 10) && d <= 11;
    if (scale || (n >= 4 && d * 2 <= n && d <= 11)) {
      return { role: 'choice', reason: scale ? 'numbers on a short scale' : `${d} distinct numbers repeated across ${n} rows`, guessed: true };
    }
    if (hint) return { role: 'text', reason: 'the question asks for a written answer', guessed: true };
    return { role: 'ignored', reason: 'numbers (ages, counts, amounts) are not feedback', guessed: true };
  }
  if (values.every((v) => TICKS.has(v.toLowerCase()))) {
    return { role: 'ignored', reason: 'only ever ticked: an acknowledgement, not an answer', guessed: true };
  }
  const avg = values.reduce((s, v) => s + v.length, 0) / n;
  if (hint && !isStrongChoice(normsOf(col), values)) {
    return { role: 'text', reason: 'the question asks for a written answer', guessed: true };
  }
  const allShort = values.every(isShortAnswer);
  if (n >= 4) {
    if ((d <= Math.max(2, Math.floor(n / 2)) && d <= 30 && avg <= 60) || (allShort && d < n && d <= 30)) {
      return { role: 'choice', reason: `${d} distinct answers repeated across ${n} rows`, guessed: true };
    }
    return { role: 'text', reason: `${d} distinct answers in ${n} rows`, guessed: true };
  }
  return allShort
    ? { role: 'choice', reason: 'few short answers', guessed: true }
    : { role: 'text', reason: 'written answers', guessed: true };
}

function isFlagColumn(cells: readonly string[]): boolean {
  const values = filled(cells).map((v) => v.toUpperCase());
  return values.every((v) => v === '0' || v === '1') || values.every((v) => v === 'Y');
}

function isOwnLabelColumn(col: Column): boolean {
  const values = filled(col.cells);
  const label = normaliseForMatch(col.sub !== '' ? col.sub : col.top);
  return values.length > 0 && label !== '' && normsOf(col).every((v) => v === label);
}

/**
 * Answers that are options whatever the header says ("Which of these ideas…?"): few distinct
 * values (a third of the answers at most), none long, nearly all picked more than once. A comments
 * column full of "No" still has its one-off real comments, so it fails the last test.
 */
function isStrongChoice(norms: readonly string[], values: readonly string[]): boolean {
  const counts = new Map<string, number>();
  for (const k of norms) counts.set(k, (counts.get(k) ?? 0) + 1);
  const d = counts.size;
  const singletons = [...counts.values()].filter((c) => c === 1).length;
  return norms.length >= 6 && d * 3 <= norms.length && values.every((v) => v.length <= 80) && singletons * 4 <= d;
}

interface PlanInput {
  columns: Column[];
  flavour: SurveyFlavour;
  twoHeaderRows: boolean;
  opts: SurveyCsvOptions;
}

/** Question label of a plain column; Typeform sub-headers are read with their span's question when they need it. */
export function plainQuestion(col: Column, twoHeaderRows: boolean): string {
  if (twoHeaderRows && col.sub !== '') return col.sub;
  return col.label !== '' ? col.label : `column ${col.index + 1}`;
}

/**
 * Plan every column of the file: `planColumns({columns, flavour, twoHeaderRows, opts}).units`.
 * Pure; the caller turns units into messages and polls.
 */
export function planColumns(input: PlanInput): Plan {
  const { columns, flavour, twoHeaderRows, opts } = input;
  const warnings: Warning[] = [];
  const roleOf: (Unit | undefined)[] = columns.map(() => undefined);
  const units: Unit[] = [];
  const assign = (u: Unit): void => {
    units.push(u);
    for (const c of u.cols) roleOf[c] = u;
  };

  // 1. Header rules, personal data first: identity by header, bookkeeping, identity by values
  //    (after bookkeeping, so a 10-digit LimeSurvey seed is not a phone), addresses, textColumns.
  for (const col of columns) {
    const question = plainQuestion(col, twoHeaderRows);
    const headerForRules = col.label !== '' ? col.label : col.top;
    const kind = identityFromHeader(headerForRules);
    // A checkbox option labelled "Email" ("How should we contact you?") holds its label, not addresses.
    if (kind && !isOwnLabelColumn(col)) {
      assign({ role: 'identity', cols: [col.index], question, reason: `header names a ${kind}`, guessed: false, identity: kind });
      continue;
    }
    if (isMetadataHeader(headerForRules) || (twoHeaderRows && col.sub === '' && isMetadataHeader(col.top))) {
      assign({ role: 'metadata', cols: [col.index], question, reason: 'added by the form tool', guessed: false });
      continue;
    }
    const byValues = identityFromValues(filled(col.cells));
    if (byValues) {
      const what = byValues === 'email' ? 'email addresses' : 'phone numbers';
      assign({ role: 'identity', cols: [col.index], question, reason: `answers are ${what}`, guessed: true, identity: byValues });
      continue;
    }
    if (mentionsOwnName(headerForRules) && looksLikeNames(filled(col.cells))) {
      assign({ role: 'identity', cols: [col.index], question, reason: "answers look like people's names", guessed: true, identity: 'name' });
      continue;
    }
    if (isAddressHeader(headerForRules)) {
      assign({ role: 'personal', cols: [col.index], question, reason: 'postal address', guessed: false });
      continue;
    }
    if (matchesKey(opts.textColumns, col, question)) {
      assign({ role: 'text', cols: [col.index], question, reason: 'listed in textColumns', guessed: false, isOther: isOtherLabel(col.sub) });
    }
  }

  // A LimeSurvey upload question has a "filecount - <question>" twin; the question column holds JSON.
  const uploads = new Set(
    columns.map((c) => /^filecount - (.*)$/i.exec(c.label)?.[1]?.trim()).filter((s): s is string => !!s).map(normaliseForMatch),
  );
  for (const col of columns) {
    if (!roleOf[col.index] && uploads.has(normaliseForMatch(col.label))) {
      assign({ role: 'ignored', cols: [col.index], question: col.label, reason: 'file upload', guessed: false });
    }
  }

  // 2. One column per option: 0/1 or Y flags under a shared `Question [` prefix (LimeSurvey), or
  //    cells that repeat their own option label (Typeform). Runs of such columns are one poll.
  groupFlagColumns(columns, roleOf, assign);
  groupLabelColumns(columns, roleOf, assign, twoHeaderRows, warnings);

  // 3. "Other" columns: always free text, attached to the choice just before them.
  for (const col of columns) {
    if (roleOf[col.index]) continue;
    const bracket = splitBracket(col.label);
    const typeformOther = twoHeaderRows && isOtherLabel(col.sub);
    if (!(bracket && isOtherLabel(bracket.label)) && !typeformOther) continue;
    if (filled(col.cells).length === 0) {
      assign({ role: 'empty', cols: [col.index], question: col.label, reason: 'no answers', guessed: false, isOther: true });
      continue;
    }
    assign({ role: 'text', cols: [col.index], question: col.label, reason: '"Other" answers', guessed: false, isOther: true });
  }

  // 4. Every remaining column alone.
  for (const col of columns) {
    if (roleOf[col.index]) continue;
    const question = plainQuestion(col, twoHeaderRows);
    const values = filled(col.cells);
    const given = givenOptionsFor(opts, col, question);
    const declaredMulti = matchesKey(opts.multiSelect, col, question);
    if (values.length === 0) {
      assign({ role: 'empty', cols: [col.index], question, reason: 'no answers', guessed: false });
      continue;
    }
    const semicolons =
      (looksSemicolonJoined(values) && (flavour === 'msforms' || flavour === 'generic' || declaredMulti)) ||
      (declaredMulti && flavour === 'msforms');
    if (semicolons) {
      const split = splitSemicolonColumn(col.cells, given);
      assign({ role: 'multi', cols: [col.index], question, reason: 'answers joined with ";"', guessed: !declaredMulti, shape: 'semicolon', options: given, givenOptions: !!given, split });
      continue;
    }
    // Microsoft Forms joins with ";", so its ", " are inside answers; elsewhere ", " may join options.
    const commaFlavour = flavour !== 'msforms';
    if (declaredMulti || (commaFlavour && commaSeparatesOptions(values, question, given))) {
      const split = splitCommaColumn(col.cells, given);
      if (declaredMulti || given || isShortOptionList(split)) {
        const reason = declaredMulti ? 'listed in multiSelect' : 'answers are options joined with ", "';
        assign({ role: 'multi', cols: [col.index], question, reason, guessed: !declaredMulti, shape: 'comma', options: given, givenOptions: !!given, split });
        continue;
      }
    }
    if (given) {
      assign({ role: 'choice', cols: [col.index], question, reason: 'option list given', guessed: false, options: given, givenOptions: true });
      continue;
    }
    if (hasOtherColumnAfter(col, columns[col.index + 1], roleOf[col.index + 1], twoHeaderRows)) {
      // Only a choice question gets an "Other, please specify" twin, whatever its few answers look like.
      assign({ role: 'choice', cols: [col.index], question, reason: 'followed by its "Other" column', guessed: true });
      continue;
    }
    const single = classifySingle(col, question);
    assign({ ...single, cols: [col.index], question });
  }

  units.sort((a, b) => (a.cols[0] ?? 0) - (b.cols[0] ?? 0));
  if (twoHeaderRows) nameTypeformQuestions(units, columns);
  linkOtherColumns(units, columns, twoHeaderRows);
  return { units, warnings };
}

function hasOtherColumnAfter(col: Column, next: Column | undefined, nextUnit: Unit | undefined, twoHeaderRows: boolean): boolean {
  if (!next || !nextUnit?.isOther) return false;
  if (twoHeaderRows) return next.spanStart === col.spanStart;
  const bracket = splitBracket(next.label);
  return !!bracket && normaliseForMatch(bracket.prefix) === normaliseForMatch(col.label);
}

/** A ", "-joined column is only a multi-select when its split answers look like a short option list. */
function isShortOptionList(split: SplitColumn): boolean {
  if (split.options.length === 0 || split.options.length > 40) return false;
  const avg = split.options.reduce((s, o) => s + o.length, 0) / split.options.length;
  return avg <= 80;
}

function groupFlagColumns(columns: readonly Column[], roleOf: (Unit | undefined)[], assign: (u: Unit) => void): void {
  let i = 0;
  while (i < columns.length) {
    const first = columns[i];
    const b = first && !roleOf[first.index] ? splitBracket(first.label) : undefined;
    if (!first || !b || isOtherLabel(b.label) || !isFlagColumn(first.cells)) {
      i++;
      continue;
    }
    let j = i;
    const labels: string[] = [];
    while (j < columns.length) {
      const c = columns[j];
      const cb = c && !roleOf[c.index] ? splitBracket(c.label) : undefined;
      if (!c || !cb || cb.prefix !== b.prefix || isOtherLabel(cb.label) || !isFlagColumn(c.cells)) break;
      labels.push(cb.label);
      j++;
    }
    const group = columns.slice(i, j);
    if (group.length >= 2 && group.some((c) => filled(c.cells).length > 0)) {
      assign({
        role: 'multi',
        cols: group.map((c) => c.index),
        question: b.prefix !== '' ? b.prefix : `column ${first.index + 1}`,
        reason: 'one 0/1 column per option',
        guessed: false,
        shape: 'flags',
        options: labels,
      });
      i = j;
    } else {
      i++;
    }
  }
}

function groupLabelColumns(
  columns: readonly Column[],
  roleOf: (Unit | undefined)[],
  assign: (u: Unit) => void,
  twoHeaderRows: boolean,
  warnings: Warning[],
): void {
  const runsInSpan = new Map<number, number>();
  let i = 0;
  while (i < columns.length) {
    const first = columns[i];
    if (!first || roleOf[first.index] || !isOwnLabelColumn(first)) {
      i++;
      continue;
    }
    // Extend over option columns and over unanswered columns sandwiched between two of them
    // (options nobody picked), staying inside one Typeform span.
    const run: Column[] = [first];
    let j = i + 1;
    while (j < columns.length) {
      const c = columns[j];
      if (!c || roleOf[c.index] || c.spanStart !== first.spanStart) break;
      if (isOwnLabelColumn(c)) {
        run.push(c);
        j++;
        continue;
      }
      let k = j;
      while (k < columns.length) {
        const e = columns[k];
        if (!e || roleOf[e.index] || e.spanStart !== first.spanStart || filled(e.cells).length > 0) break;
        if (isOtherLabel(e.sub !== '' ? e.sub : e.label)) break;
        k++;
      }
      const next = columns[k];
      if (k > j && next && !roleOf[next.index] && next.spanStart === first.spanStart && isOwnLabelColumn(next)) {
        run.push(...columns.slice(j, k + 1));
        j = k + 1;
        continue;
      }
      break;
    }
    if (run.length < 2 && !twoHeaderRows) {
      i++;
      continue;
    }
    const labels = run.map((c) => (c.sub !== '' ? c.sub : c.label));
    let question: string;
    if (twoHeaderRows) {
      const span = columns[first.spanStart];
      const top = span?.top ?? '';
      const k = (runsInSpan.get(first.spanStart) ?? 0) + 1;
      runsInSpan.set(first.spanStart, k);
      question = top === '' ? labels.slice(0, 3).join(' / ') : k === 1 ? top : `${top} (${k})`;
      if (k > 1 || top === '') {
        warnings.push({
          code: 'columns_guessed',
          message: `columns ${first.index + 1}–${first.index + run.length} look like the options of a checkbox question without a question header of their own; counted as one poll named "${short(question)}"`,
        });
      }
    } else {
      const prefixes = new Set(run.map((c) => splitBracket(c.label)?.prefix ?? ''));
      const [prefix] = [...prefixes];
      if (prefixes.size === 1 && prefix) {
        question = prefix;
      } else {
        question = labels.slice(0, 3).join(' / ') + (labels.length > 3 ? ' / …' : '');
        warnings.push({
          code: 'columns_guessed',
          message: `columns "${short(labels[0] ?? '', 30)}" … "${short(labels[labels.length - 1] ?? '', 30)}" hold their own header as the answer: counted as the options of one checkbox question`,
        });
      }
    }
    assign({ role: 'multi', cols: run.map((c) => c.index), question, reason: 'one column per option holding its label', guessed: false, shape: 'labels', options: labels });
    i = i + run.length;
  }
}

/**
 * Typeform's second header row holds either a sub-question ("How often do you use the Python
 * interface?") or a matrix row label ("Online documentation") whose question is the span header
 * above it. Labels read as questions on their own when they end like a sentence or are long;
 * short labels next to a column with the same answer scale are matrix rows.
 */
function nameTypeformQuestions(units: Unit[], columns: readonly Column[]): void {
  const byCol = new Map<number, Unit>();
  for (const u of units) for (const c of u.cols) byCol.set(c, u);
  const valueSet = (c: Column): Set<string> => new Set(normsOf(c));
  const overlaps = (a: Column, b: Column | undefined): boolean => {
    if (!b || b.spanStart !== a.spanStart || byCol.get(b.index)?.role !== 'choice') return false;
    const sa = valueSet(a);
    const sb = valueSet(b);
    const shared = [...sa].filter((v) => sb.has(v)).length;
    return shared * 2 >= Math.min(sa.size, sb.size) && shared > 0;
  };
  for (const u of units) {
    if (u.cols.length !== 1 || u.shape === 'flags' || u.shape === 'labels') continue;
    const col = columns[u.cols[0] ?? -1];
    if (!col) continue;
    const top = columns[col.spanStart]?.top ?? '';
    if (col.sub === '') {
      u.question = top !== '' ? top : `column ${col.index + 1}`;
      continue;
    }
    if (u.isOther || top === '' || normaliseForMatch(top) === normaliseForMatch(col.sub)) continue;
    const sentence = /[?.…:]\s*$/.test(col.sub) || col.sub.length > 120;
    if (sentence) continue;
    const matrix =
      u.role === 'choice' && (overlaps(col, columns[col.index - 1]) || overlaps(col, columns[col.index + 1]));
    if (matrix || col.index === col.spanStart) u.question = `${top} [${col.sub}]`;
  }
}

/** "[Other]" text belongs to the question before it: its question becomes "<that question> [Other]". */
function linkOtherColumns(units: Unit[], columns: readonly Column[], twoHeaderRows: boolean): void {
  units.forEach((u, i) => {
    if (!u.isOther || u.role !== 'text') return;
    const col = columns[u.cols[0] ?? -1];
    if (!col) return;
    const bracket = splitBracket(col.label);
    let target = -1;
    if (bracket && !twoHeaderRows) {
      const prefix = normaliseForMatch(bracket.prefix);
      target = units.findIndex(
        (t, k) => k < i && (t.role === 'choice' || t.role === 'multi') && normaliseForMatch(t.question) === prefix,
      );
      if (target < 0) target = units.findIndex((t, k) => k < i && (t.role === 'choice' || t.role === 'multi') && (t.cols[0] ?? 0) === col.index - 1);
    } else {
      const before = units[i - 1];
      if (before && (before.role === 'choice' || before.role === 'multi')) target = i - 1;
    }
    const t = units[target];
    if (target >= 0 && t) {
      u.otherOf = target;
      u.question = `${t.question} [Other]`;
    } else if (bracket) {
      u.question = `${bracket.prefix !== '' ? bracket.prefix : `column ${col.index + 1}`} [Other]`;
    } else if (twoHeaderRows) {
      const top = columns[col.spanStart]?.top ?? '';
      u.question = `${top !== '' ? top : `column ${col.index + 1}`} [Other]`;
    }
  });
}
