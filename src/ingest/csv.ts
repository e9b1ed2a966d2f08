/**
 * Survey and form exports as CSV: Google Forms, Microsoft Forms, LimeSurvey, Typeform, and any CSV
 * with a header row. Pure: text in, ParseResult out.
 *
 * Each response row is one respondent. Free-text answers become messages (question = the header),
 * choice and multi-select answers become polls, identity columns (email, name, phone) only key the
 * respondent and are never emitted. How each column was classified is explained in csv-columns.ts
 * and reported back as warnings, so the user sees what was inferred and can override it.
 */
import { AppError, unreadable } from '../errors';
import { cleanText, normaliseForMatch } from '../text/clean';
import {
  type Column,
  type ColumnRole,
  EMAIL,
  type HintNames,
  planColumns,
  plainQuestion,
  SURVEY_HINT_NAMES,
  type SurveyCsvOptions,
  type Unit,
  unmatchedHints,
} from './csv-columns';
import { looksLikeTime, readTimeColumn } from './csv-dates';
import { cleanHeader, detectFlavour, headerKey, SUBMIT_HEADERS, type SurveyFlavour, UNFINISHED_WHEN_EMPTY } from './csv-headers';
import { type CsvRecord, readCsv } from './csv-read';
import type { Pick } from './csv-split';
import { emailKey, looksLikePhone, nameKey, phoneKey } from './identity';
import type { ParsedMessage, ParsedParticipant, ParsedPoll, ParseResult, Warning } from './types';
import { emptySkips } from './types';

export type { SurveyCsvOptions } from './csv-columns';
export type { SurveyFlavour } from './csv-headers';

/** One imported response: where it is in the file and when it was submitted. */
interface Respondent {
  /** Spreadsheet row number (header = 1): the `n` of `row:<n>` and the message `line`. */
  record: number;
  at: string | null;
}

interface Prepared {
  flavour: SurveyFlavour;
  headerRows: number;
  columns: Column[];
  respondents: Respondent[];
  units: Unit[];
  warnings: Warning[];
}

const NUMBER = /^[-+]?\d+(?:[.,]\d+)?%?$/;
/** Answers that say "nothing to add": counted as empty, not stored as feedback. */
const NO_ANSWER = /^(n\/?a|none|nil|null|nothing|no comment|ninguno|nada|aucun|rien|keine|-+|\.+|…|\/|\?|—|–|_+)$/i;
const OTHER_CODE = '-oth-';
const NO_NAME = /^(anonymous|anon|anonyme|anónimo|anonimo|anonym|n\/?a|none|no|nobody|prefer not to say|unknown)$/i;

function cleanCell(raw: string | undefined): string {
  return cleanText(raw ?? '')
    .replace(/\r\n?/g, '\n')
    .trim();
}

function short(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function quoteList(items: readonly string[], max = 4): string {
  const shown = items.slice(0, max).map((s) => `"${short(s, 50)}"`);
  return items.length > max ? `${shown.join(', ')} and ${items.length - max} more` : shown.join(', ');
}

function isBlank(r: CsvRecord): boolean {
  return r.cells.every((c) => c.trim() === '');
}

function filledCount(cells: readonly string[]): number {
  return cells.filter((c) => c.trim() !== '').length;
}

/** A first row of numbers, dates or emails is a response, not a header. */
function looksLikeAnswers(cells: readonly string[]): boolean {
  const filled = cells.map((c) => cleanText(c).trim()).filter((c) => c !== '');
  return filled.length === 0 || filled.every((c) => NUMBER.test(c) || looksLikeTime(c) || EMAIL.test(c));
}

/** Typeform can write a second header row (option labels, sub-questions) under the questions; its `#` cell is empty or `#`. */
function hasSecondHeaderRow(flavour: SurveyFlavour, first: readonly string[], second: readonly string[] | undefined): boolean {
  if (flavour !== 'typeform' || !second) return false;
  const a = first[0]?.trim() ?? '';
  const b = second[0]?.trim() ?? '';
  return (a === '' && b === '#') || (a === '#' && b === '');
}

function delimiterName(d: string): string {
  return d === '\t' ? 'tab' : d === ';' ? 'semicolon' : 'comma';
}

function prepare(text: string, opts: SurveyCsvOptions): Prepared {
  const table = readCsv(text);
  const records = table.records.filter((r) => !isBlank(r));
  const warnings: Warning[] = [...table.warnings];
  // A sheet saved with a title in A1 ("Consultation results, May 2024") above the real header.
  const title = records[0];
  const next = records[1];
  if (title && next && filledCount(title.cells) === 1 && (title.cells[0] ?? '').trim() !== '' && filledCount(next.cells) >= 3) {
    records.shift();
    warnings.push({ code: 'title_row_skipped', message: `skipped the title "${short(cleanText(title.cells[0] ?? '').trim())}" above the column names`, line: title.line });
  }
  const first = records[0];
  if (!first) throw unreadable('the file is empty: expected a header row and one row per response');
  const second = records[1];
  const flavour = detectFlavour(first.cells, second?.cells);
  const headerRows = hasSecondHeaderRow(flavour, first.cells, second?.cells) ? 2 : 1;
  if (headerRows === 1 && looksLikeAnswers(first.cells)) {
    throw unreadable(
      `the first row holds answers (${quoteList(first.cells.filter((c) => c.trim() !== ''), 3)}), not column names; add a header row`,
      `line ${first.line}`,
    );
  }
  const header = records.slice(0, headerRows);
  const data = records.slice(headerRows);
  const lastHeader = header[header.length - 1] ?? first;
  if (data.length === 0) {
    throw unreadable('there is a header row but no responses below it', `line ${lastHeader.line}`);
  }
  const width = Math.max(...header.map((r) => r.cells.length));
  for (const r of data) {
    if (r.cells.length > width && r.cells.slice(width).some((c) => c.trim() !== '')) {
      throw unreadable(
        `this row has ${r.cells.length} cells but the header has ${width}; a ${delimiterName(table.delimiter)} inside an unquoted answer or a broken quote is the usual cause`,
        `line ${r.line}`,
      );
    }
  }

  const own = Array.from({ length: width }, (_, c) => cleanHeader(first.cells[c] ?? ''));
  const subs = Array.from({ length: width }, (_, c) => (headerRows === 2 ? cleanHeader(second?.cells[c] ?? '') : ''));

  // Which rows are imported: LimeSurvey and Typeform leave the submit date empty for responses
  // that were started and never finished; those are counted, not imported.
  const labels = own.map((o, c) => (subs[c] ? (subs[c] ?? '') : o));
  const submitCol = findSubmitColumn(flavour, labels);
  const submitHeader = labels[submitCol] ?? '';
  let kept = data;
  if (submitCol >= 0 && UNFINISHED_WHEN_EMPTY[flavour]) {
    kept = data.filter((r) => (r.cells[submitCol] ?? '').trim() !== '');
    const unfinished = data.length - kept.length;
    if (unfinished > 0) {
      warnings.push({
        code: 'unfinished_responses',
        message: `${unfinished} unfinished response${unfinished === 1 ? '' : 's'} (empty "${short(submitHeader)}") ${unfinished === 1 ? 'was' : 'were'} not imported`,
      });
    }
  }

  const times = submitCol >= 0 ? readTimeColumn(kept.map((r) => r.cells[submitCol] ?? ''), /\(utc\)/i.test(submitHeader)) : undefined;
  if (times?.orderGuessed) {
    warnings.push({
      code: 'date_order_guessed',
      message: `read the dates in "${short(submitHeader)}" as day/month/year: nothing in the file settles the order`,
    });
  }
  if (times && times.unreadable > 0) {
    warnings.push({
      code: 'date_unreadable',
      message: `${times.unreadable} time${times.unreadable === 1 ? '' : 's'} in "${short(submitHeader)}" could not be read; those answers have no time`,
    });
  }
  const respondents = kept.map((r, i) => ({ record: r.record, at: times?.times[i] ?? null }));

  let spanStart = 0;
  const columns: Column[] = own.map((o, c) => {
    if (headerRows === 2 && o !== '') spanStart = c;
    const top = headerRows === 2 ? (own[spanStart] ?? '') : o;
    return {
      index: c,
      top,
      sub: subs[c] ?? '',
      spanStart,
      label: labels[c] ?? '',
      cells: kept.map((r) => cleanCell(r.cells[c])),
    };
  });
  const unknown = unmatchedHints(opts, columns, headerRows === 2);
  if (unknown.length > 0) {
    const names = opts.hintNames ?? SURVEY_HINT_NAMES;
    const named = unknown.map(({ hint, key }) => `${names[hint] ?? hint} "${short(key)}"`);
    throw new AppError(
      'invalid_input',
      `${named.join(', ')} ${unknown.length === 1 ? 'names no column' : 'name no columns'} of this file; its columns are ${quoteList(
        columns.map((c) => plainQuestion(c, headerRows === 2)),
        12,
      )}`,
    );
  }
  const plan = planColumns({ columns, flavour, twoHeaderRows: headerRows === 2, opts });
  warnings.push(...plan.warnings);
  return { flavour, headerRows, columns, respondents, units: plan.units, warnings };
}

function findSubmitColumn(flavour: SurveyFlavour, labels: readonly string[]): number {
  if (flavour === 'google') return 0;
  const keys = labels.map(headerKey);
  for (const name of SUBMIT_HEADERS[flavour]) {
    const i = keys.indexOf(name);
    if (i >= 0) return i;
  }
  return -1;
}

interface Tally {
  unit: Unit;
  /** Option keys by label as written: answers repeat, normalising each once is enough. */
  keys: Map<string, string>;
  options: Map<string, { label: string; votes: number }>;
  participants: number;
  at: string | null;
}

function newTally(unit: Unit): Tally {
  const options = new Map<string, { label: string; votes: number }>();
  for (const o of unit.options ?? []) {
    const k = normaliseForMatch(o);
    if (!options.has(k)) options.set(k, { label: o, votes: 0 });
  }
  return { unit, options, keys: new Map(), participants: 0, at: null };
}

function vote(t: Tally, picks: readonly Pick[], at: string | null): void {
  if (picks.length === 0) return;
  const counted = new Set<string>();
  for (const p of picks) {
    const label = p.other ? 'Other' : p.label;
    let k = t.keys.get(label);
    if (k === undefined) {
      k = normaliseForMatch(label);
      t.keys.set(label, k);
    }
    if (counted.has(k)) continue;
    counted.add(k);
    const entry = t.options.get(k) ?? { label, votes: 0 };
    entry.votes++;
    t.options.set(k, entry);
  }
  t.participants++;
  if (at !== null && (t.at === null || at > t.at)) t.at = at;
}

/** Picks of one respondent for a one-cell choice: LimeSurvey's `-oth-` code reads as "Other". */
function choicePicks(unit: Unit, value: string): Pick[] {
  if (value === '') return [];
  if (value.toLowerCase() === OTHER_CODE) return [{ label: 'Other', other: false }];
  if (unit.givenOptions) {
    const k = normaliseForMatch(value);
    const hit = (unit.options ?? []).find((o) => normaliseForMatch(o) === k);
    return [hit !== undefined ? { label: hit, other: false } : { label: value, other: true }];
  }
  return [{ label: value, other: false }];
}

/**
 * Parse a survey/form CSV export: `parseSurveyCsv("Timestamp,Comments\n2024/05/29 7:41:00 PM GMT+2,More training\n")`
 * → one message "More training" from participant `row:2` at `2024-05-29T19:41:00`.
 */
export function parseSurveyCsv(text: string, opts: SurveyCsvOptions = {}): ParseResult {
  const prep = prepare(text, opts);
  const names = opts.hintNames ?? SURVEY_HINT_NAMES;
  const { columns, respondents, units } = prep;
  const warnings = [...prep.warnings];
  const skipped = emptySkips();
  const messages: ParsedMessage[] = [];
  const participants = new Map<string, ParsedParticipant>();
  const tallies = new Map<number, Tally>();
  units.forEach((u, i) => {
    if (u.role === 'choice' || u.role === 'multi') tallies.set(i, newTally(u));
  });

  respondents.forEach((resp, r) => {
    const cell = (c: number | undefined): string => columns[c ?? -1]?.cells[r] ?? '';
    const key = respondentKey(units, cell, resp, participants);
    const picksByUnit = new Map<number, Pick[]>();
    const emit = (text: string, question: string): void => {
      messages.push({ participant: key, text, at: resp.at, line: resp.record, question });
    };
    units.forEach((u, i) => {
      if (u.role === 'text') {
        const value = cell(u.cols[0]);
        if (value === '' || NO_ANSWER.test(value)) {
          if (!u.isOther) skipped.empty++;
          return;
        }
        emit(value, u.question);
        if (u.otherOf !== undefined) {
          const list = picksByUnit.get(u.otherOf) ?? [];
          if (!list.some((p) => normaliseForMatch(p.label) === 'other')) list.push({ label: 'Other', other: false });
          picksByUnit.set(u.otherOf, list);
        }
        return;
      }
      if (u.role !== 'choice' && u.role !== 'multi') return;
      let picks: Pick[];
      if (u.shape === 'flags') {
        picks = u.cols.flatMap((c, k) => (/^(1|y)$/i.test(cell(c)) ? [{ label: u.options?.[k] ?? '', other: false }] : []));
      } else if (u.shape === 'labels') {
        picks = u.cols.flatMap((c, k) => (cell(c) !== '' ? [{ label: u.options?.[k] ?? cell(c), other: false }] : []));
      } else if (u.shape === 'comma' || u.shape === 'semicolon') {
        picks = u.split?.picks[r] ?? [];
      } else {
        picks = choicePicks(u, cell(u.cols[0]));
      }
      for (const p of picks) if (p.other) emit(p.label, `${u.question} [Other]`);
      picksByUnit.set(i, [...(picksByUnit.get(i) ?? []), ...picks]);
    });
    for (const [i, picks] of picksByUnit) {
      const t = tallies.get(i);
      if (t) vote(t, picks, resp.at);
    }
  });

  const polls: ParsedPoll[] = [];
  for (const t of tallies.values()) {
    if (t.participants === 0) continue;
    polls.push({
      question: t.unit.question,
      options: [...t.options.values()].map((o) => ({ label: o.label, votes: o.votes })),
      multiple: t.unit.role === 'multi',
      participants: t.participants,
      at: t.at,
      source: 'csv',
    });
  }
  for (const u of units) {
    const s = u.split;
    if (!s) continue;
    const q = u.question;
    if (s.compound.length > 0) {
      warnings.push({
        code: 'multi_split_guessed',
        message: `kept ${quoteList(s.compound)} as single options of "${short(q)}" because they recur as a unit${names.options ? `; pass ${names.options} to override` : ''}`,
      });
    }
    if (s.blind.length > 0) {
      warnings.push({
        code: 'multi_split_guessed',
        message: `split ${quoteList(s.blind)} in "${short(q)}" on ", " without a known option list${names.options ? `; pass ${names.options}["${short(q, 40)}"] if an option itself contains ", "` : ''}`,
      });
    }
  }
  warnings.push(...classificationWarnings(units, names));

  return {
    format: 'csv',
    messages,
    participants: [...participants.values()],
    polls,
    skipped,
    warnings,
  };
}

/**
 * The respondent's participant key. Email beats phone beats name (emails are the most unique);
 * every identity value goes into `names` so redaction can find it in free text. Without any
 * identity the respondent is `row:<n>`, n being the spreadsheet row number.
 */
function respondentKey(
  units: readonly Unit[],
  cell: (c: number | undefined) => string,
  resp: Respondent,
  participants: Map<string, ParsedParticipant>,
): string {
  const emails: string[] = [];
  const phones: string[] = [];
  const names: string[] = [];
  for (const u of units) {
    if (u.role !== 'identity') continue;
    const value = cell(u.cols[0]).replace(/\s+/g, ' ');
    // "anonymous" (Microsoft Forms), "-" or "N/A" name nobody: as keys they would merge strangers.
    if (!/\p{L}|\d/u.test(value) || NO_NAME.test(value)) continue;
    if (u.identity === 'email' && EMAIL.test(value)) emails.push(value);
    else if (u.identity === 'phone' && looksLikePhone(value)) phones.push(value);
    else names.push(value);
  }
  const [email] = emails;
  const [phone] = phones;
  const [name] = names;
  const key = email
    ? emailKey(email)
    : phone
      ? phoneKey(phone)
      : name && nameKey(name) !== 'name:'
        ? nameKey(name)
        : `row:${resp.record}`;
  const p = participants.get(key) ?? { key, names: [] };
  for (const n of [...names, ...emails, ...phones]) if (!p.names.includes(n)) p.names.push(n);
  participants.set(key, p);
  return key;
}

/** What was inferred, in words the uploader can act on. */
function classificationWarnings(units: readonly Unit[], names: HintNames): Warning[] {
  const out: Warning[] = [];
  const byRole = (role: ColumnRole, guessed?: boolean): Unit[] =>
    units.filter((u) => u.role === role && (guessed === undefined || u.guessed === guessed));
  const identity = byRole('identity');
  if (identity.length > 0) {
    out.push({
      code: 'identity_columns',
      message: `${quoteList(identity.map((u) => u.question))} identify respondents: used to recognise them, never imported as text`,
    });
  }
  const personal = byRole('personal');
  if (personal.length > 0) {
    out.push({ code: 'personal_columns', message: `${quoteList(personal.map((u) => u.question))} hold personal data and were not imported` });
  }
  for (const u of byRole('text', true)) {
    out.push({ code: 'columns_guessed', message: `treated "${short(u.question)}" as free text (${u.reason}); pass ${names.textColumns} to override` });
  }
  for (const u of byRole('multi', true)) {
    out.push({ code: 'columns_guessed', message: `counted "${short(u.question)}" as a multi-select poll (${u.reason}); pass ${names.multiSelect}${names.options ? ` or ${names.options}` : ''} to override` });
  }
  const choices = byRole('choice', true);
  if (choices.length > 0) {
    out.push({
      code: 'columns_guessed',
      message: `counted ${choices.length} column${choices.length === 1 ? '' : 's'} as single-choice polls, not text: ${quoteList(choices.map((u) => u.question))}; pass ${names.textColumns} to import them as text`,
    });
  }
  const ignored = [...byRole('ignored', true), ...byRole('metadata', true)];
  if (ignored.length > 0) {
    out.push({
      code: 'columns_guessed',
      message: `did not import ${ignored.length} column${ignored.length === 1 ? '' : 's'} of numbers, ticks or ids: ${quoteList(ignored.map((u) => u.question))}; pass ${names.textColumns} to import them as text`,
    });
  }
  return out;
}

export interface PlannedColumn {
  /** 1-based column numbers, as a spreadsheet shows them. */
  columns: number[];
  header: string;
  role: ColumnRole;
  question: string;
  reason: string;
  guessed: boolean;
}

export interface SurveyColumnPlan {
  flavour: SurveyFlavour;
  headerRows: number;
  respondents: number;
  columns: PlannedColumn[];
}

/**
 * How each column of a form CSV would be read, for an upload preview:
 * `surveyColumnPlan("Email,Why?\na@example.org,Because\n").columns[0].role` → `"identity"`.
 */
export function surveyColumnPlan(text: string, opts: SurveyCsvOptions = {}): SurveyColumnPlan {
  const prep = prepare(text, opts);
  return {
    flavour: prep.flavour,
    headerRows: prep.headerRows,
    respondents: prep.respondents.length,
    columns: prep.units.map((u) => ({
      columns: u.cols.map((c) => c + 1),
      header: prep.columns[u.cols[0] ?? -1]?.label ?? '',
      role: u.role,
      question: u.question,
      reason: u.reason,
      guessed: u.guessed,
    })),
  };
}
