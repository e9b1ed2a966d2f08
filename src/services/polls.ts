/**
 * Polls: create, issue voter codes, cast ballots, read results, import surveys run elsewhere.
 *
 * Who sees what: liaisons (and admins) of a consultation run its polls; staff read tallies; voters use a
 * one-time code and no token. Nobody is ever shown who voted what — ballots are stored under the hash of
 * the voter code, and only counts leave the store. Results of an `after_close` poll are hidden from
 * voters (and from any token not granted the consultation) until it closes: 403 on the results endpoint,
 * `results: null` in the poll. Imported polls are internal material, visible to granted tokens only.
 */
import { z } from 'zod';
import type { AppContext } from '../context';
import { sha256HexSync } from '../crypto/hash';
import { AppError, unreadable } from '../errors';
import { parseSurveyCsv } from '../ingest/csv';
import { decodeText } from '../ingest/decode';
import type { Warning } from '../ingest/types';
import { type PollState, pollState, validateChoices } from '../polls/choices';
import { CODE_BYTES, encodeVoterCode, normaliseVoterCode } from '../polls/codes';
import { type Limiter, MemoryLimiter } from '../polls/rate-limit';
import { formatTally, type OptionResult, tallyPoll } from '../polls/tally';
import { buildRedactor, NAME_MARKER, scrubIdentity } from '../privacy/redact';
import type { BallotCounts, NewPollRecord, PollRecord, ResultsVisibility } from '../store/poll-store';
import { normaliseForMatch } from '../text/clean';
import { type Principal, authorize, canSee } from './auth';
import { requireConsultation } from './consultations';

export const MAX_CODES_PER_REQUEST = 10_000;

const isoTime = z.iso.datetime({ offset: true, error: 'a date and time with a zone, e.g. "2026-12-01T18:00:00Z"' });
const Question = z.string().trim().min(1, 'question: write the question').max(1000);
const OptionLabel = z.string().trim().min(1, 'options: an option is empty').max(300);
const ThemeKey = z.string().max(64);

export const CreatePoll = z
  .object({
    question: Question,
    options: z.array(OptionLabel).min(2, 'options: give at least two options').max(100),
    multiple: z.boolean(),
    maxChoices: z.number().int().min(1).optional(),
    theme: ThemeKey.optional(),
    opensAt: isoTime.optional(),
    closesAt: isoTime.optional(),
    resultsVisibility: z.enum(['always', 'after_close']).optional(),
  })
  .superRefine((v, ctx) => {
    const labels = v.options.map(normaliseForMatch);
    const twice = v.options.find((_, i) => labels.indexOf(labels[i] ?? '') !== i);
    if (twice !== undefined) ctx.addIssue({ code: 'custom', path: ['options'], message: `"${twice}" is listed twice` });
    if (v.maxChoices !== undefined && !v.multiple && v.maxChoices !== 1) {
      ctx.addIssue({ code: 'custom', path: ['maxChoices'], message: 'a single-choice poll takes one choice; set multiple: true to allow more' });
    }
    if (v.maxChoices !== undefined && v.maxChoices > v.options.length) {
      ctx.addIssue({ code: 'custom', path: ['maxChoices'], message: `at most ${v.options.length}, the number of options` });
    }
    if (v.opensAt !== undefined && v.closesAt !== undefined && Date.parse(v.closesAt) <= Date.parse(v.opensAt)) {
      ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'must be after opensAt' });
    }
  });
export type CreatePoll = z.infer<typeof CreatePoll>;

export const IssueCodes = z.object({ count: z.number().int().min(1).max(MAX_CODES_PER_REQUEST) });
export type IssueCodes = z.infer<typeof IssueCodes>;

export const Ballot = z.object({
  voter: z.string().max(200),
  choices: z.array(z.number().int()).max(1000),
});
export type Ballot = z.infer<typeof Ballot>;

export const SurveyTallies = z
  .object({
    question: Question,
    /** Distinct respondents; omit or null when the source does not say. */
    participants: z.number().int().min(0).nullable().optional(),
    options: z
      .array(z.object({ label: OptionLabel, votes: z.number().int().min(0) }))
      .min(1, 'options: give at least one option')
      .max(200),
    multiple: z.boolean(),
    theme: ThemeKey.optional(),
  })
  .superRefine((v, ctx) => {
    const p = v.participants;
    if (p === undefined || p === null) return;
    if (!v.multiple) {
      const sum = v.options.reduce((s, o) => s + o.votes, 0);
      if (sum > p) {
        ctx.addIssue({ code: 'custom', path: ['participants'], message: `the votes add up to ${sum}, more than the ${p} participants of a single-choice poll` });
      }
    }
    v.options.forEach((o, i) => {
      if (o.votes > p) ctx.addIssue({ code: 'custom', path: ['options', i, 'votes'], message: `${o.votes} votes but only ${p} participants` });
    });
  });
export type SurveyTallies = z.infer<typeof SurveyTallies>;

/** Hints for reading raw survey responses; see parseSurveyCsv. */
export const SurveyCsvHints = z.object({
  /** Known option lists by column header: lets Google Forms' ", " split correctly when an option holds a comma. */
  options: z.record(z.string().max(1000), z.array(z.string().max(300)).max(200)).optional(),
  multiSelect: z.array(z.string().max(1000)).max(200).optional(),
  textColumns: z.array(z.string().max(1000)).max(200).optional(),
  theme: ThemeKey.optional(),
});
export type SurveyCsvHints = z.infer<typeof SurveyCsvHints>;

export interface PollResults {
  participants: number | null;
  options: OptionResult[];
  note?: string;
  /** The liaison's format: "37 participants - 5 options - Multiple votes", then "1- <option> (31 people - 84 %)". */
  text: string;
}

export interface PollView {
  id: string;
  consultation: string;
  question: string;
  options: string[];
  multiple: boolean;
  maxChoices: number | null;
  theme: string | null;
  /** `native`, or where imported tallies came from: `whatsapp`, `telegram`, `csv`, `survey`. */
  source: string;
  resultsVisibility: ResultsVisibility;
  opensAt: string | null;
  closesAt: string | null;
  state: PollState;
  createdAt: string;
  /** Voter codes issued so far (shown to the consultation's tokens only). */
  voterCodes?: number;
  /** Null when results are hidden from this caller until the poll closes. */
  results: PollResults | null;
}

/** One limiter per context unless the context brings its own, so test apps never share counts. */
const defaultLimiters = new WeakMap<AppContext, Limiter>();

function limiterOf(ctx: AppContext): Limiter {
  if (ctx.limiter) return ctx.limiter;
  let limiter = defaultLimiters.get(ctx);
  if (!limiter) {
    limiter = new MemoryLimiter();
    defaultLimiters.set(ctx, limiter);
  }
  return limiter;
}

/** Creates a native poll in a consultation the liaison (or admin) runs. */
export async function createPoll(ctx: AppContext, by: Principal | null, slug: string, input: CreatePoll): Promise<PollView> {
  const consultation = await requireConsultation(ctx, by, slug, 'write');
  await requireTheme(ctx, consultation.id, input.theme);
  const at = ctx.clock.now().toISOString();
  const poll: NewPollRecord = {
    id: crypto.randomUUID(),
    consultationId: consultation.id,
    question: input.question,
    multiple: input.multiple,
    maxChoices: input.multiple ? (input.maxChoices ?? null) : null,
    theme: input.theme ?? null,
    source: 'native',
    importedParticipants: null,
    resultsVisibility: input.resultsVisibility ?? 'always',
    opensAt: input.opensAt === undefined ? null : new Date(input.opensAt).toISOString(),
    closesAt: input.closesAt === undefined ? null : new Date(input.closesAt).toISOString(),
    createdAt: at,
    options: input.options.map((label) => ({ label, importedVotes: null })),
  };
  await ctx.store.polls.insertPolls([poll], {
    at,
    actor: principalId(by),
    action: 'poll.create',
    consultationId: consultation.id,
    target: poll.id,
    details: { options: poll.options.length, multiple: poll.multiple },
  });
  return getPoll(ctx, by, poll.id);
}

/** Every poll of a consultation, native and imported alike, with its tallies. */
export async function listPolls(ctx: AppContext, by: Principal | null, slug: string): Promise<PollView[]> {
  const consultation = await requireConsultation(ctx, by, slug, 'read');
  const polls = await ctx.store.polls.listPolls(consultation.id);
  const counts = await ctx.store.polls.ballotCounts({ consultationId: consultation.id });
  const now = ctx.clock.now();
  return polls.map((p) => toView(p, counts.get(p.id), now, true));
}

/** One poll: everything for the consultation's tokens; for voters, a native poll without hidden results. */
export async function getPoll(ctx: AppContext, by: Principal | null, pollId: string): Promise<PollView> {
  const { poll, staff } = await findVisiblePoll(ctx, by, pollId);
  const counts = (await ctx.store.polls.ballotCounts({ pollId })).get(pollId);
  const view = toView(poll, counts, ctx.clock.now(), staff);
  return staff ? { ...view, voterCodes: await ctx.store.polls.countVoterCodes(pollId) } : view;
}

/** Results in option order; throws forbidden while they are hidden from this caller. */
export async function pollResults(ctx: AppContext, by: Principal | null, pollId: string): Promise<PollResults & { id: string; question: string; source: string; multiple: boolean; state: PollState }> {
  const { poll, staff } = await findVisiblePoll(ctx, by, pollId);
  const now = ctx.clock.now();
  const state = pollState(poll, now);
  if (!resultsVisible(poll, state, staff)) {
    throw new AppError('forbidden', `results of this poll are shown once it closes${poll.closesAt ? ` (${poll.closesAt})` : ''}`);
  }
  const counts = (await ctx.store.polls.ballotCounts({ pollId })).get(pollId);
  return { id: poll.id, question: poll.question, source: poll.source, multiple: poll.multiple, state, ...resultsOf(poll, counts) };
}

/** Makes `count` one-time voter codes; returns them once, stores only their SHA-256. */
export async function issueVoterCodes(ctx: AppContext, by: Principal | null, pollId: string, input: IssueCodes): Promise<string[]> {
  const principal = authorize(by, 'write');
  const poll = await ctx.store.polls.findPoll(pollId);
  if (!poll || !canSee(principal, poll.consultationId)) throw new AppError('not_found', `no poll ${pollId}`);
  if (poll.source !== 'native') throw new AppError('conflict', `this poll's results were imported (${poll.source}); it takes no votes here`);
  const now = ctx.clock.now();
  if (pollState(poll, now) === 'closed') throw new AppError('conflict', `this poll closed at ${poll.closesAt}; new codes could not be used`);
  const codes: string[] = [];
  const hashes: string[] = [];
  for (let i = 0; i < input.count; i++) {
    const code = encodeVoterCode(crypto.getRandomValues(new Uint8Array(CODE_BYTES)));
    codes.push(code);
    hashes.push(codeHash(code.replace(/-/g, '')));
  }
  const at = now.toISOString();
  await ctx.store.polls.insertVoterCodes(pollId, hashes, at, {
    at,
    actor: principal.tokenId,
    action: 'poll.voters',
    consultationId: poll.consultationId,
    target: pollId,
    details: { count: input.count },
  });
  return codes;
}

export interface Admission {
  /** SHA-256 of the normalised code: the ballot's owner. */
  voter: string;
  consultationId: string;
  /** The voter has a ballot already; a new one replaces it. */
  voted: boolean;
  rules: { options: number; multiple: boolean; maxChoices: number | null };
}

/**
 * Lets a voter in, or says why not: 404 unknown poll, 409 imported/closed/not yet open, 429 after too
 * many bad codes from this client, 403 for a code that is not this poll's (the same answer whether it
 * is malformed, belongs to another poll or never existed).
 */
export async function admitVoter(ctx: AppContext, client: string, pollId: string, code: string): Promise<Admission> {
  const rules = await ctx.store.polls.ballotRules(pollId);
  if (!rules) throw new AppError('not_found', `no poll ${pollId}`);
  if (rules.source !== 'native') throw new AppError('conflict', `this poll's results were imported (${rules.source}); it takes no votes here`);
  const now = ctx.clock.now();
  const state = pollState(rules, now);
  if (state === 'not_open') throw new AppError('conflict', `this poll opens at ${rules.opensAt}; come back then`);
  if (state === 'closed') throw new AppError('conflict', `this poll closed at ${rules.closesAt}; no more votes are taken`);
  const limiter = limiterOf(ctx);
  const wait = limiter.retryAfter(client, now.getTime());
  if (wait > 0) {
    throw new AppError('rate_limited', `too many wrong voter codes from your connection; try again in ${wait} seconds`, { retryAfter: wait });
  }
  const normalised = normaliseVoterCode(code);
  const voter = normalised === null ? null : codeHash(normalised);
  const status = voter === null ? 'unknown' : await ctx.store.polls.voterStatus(pollId, voter);
  if (voter === null || status === 'unknown') {
    limiter.fail(client, now.getTime());
    throw new AppError('forbidden', 'this voter code is not valid for this poll; check it for typing mistakes or ask the organisers for your code');
  }
  return {
    voter,
    consultationId: rules.consultationId,
    voted: status === 'voted',
    rules: { options: rules.optionCount, multiple: rules.multiple, maxChoices: rules.maxChoices },
  };
}

/** Checks a ballot without storing it (the voting page's confirm step): the choices, sorted, and whether one is stored already. */
export async function checkBallot(ctx: AppContext, client: string, pollId: string, input: Ballot): Promise<{ choices: number[]; voted: boolean }> {
  const admitted = await admitVoter(ctx, client, pollId, input.voter);
  return { choices: validateChoices(input.choices, admitted.rules), voted: admitted.voted };
}

/**
 * Records a voter's ballot, replacing their earlier one: `replaced` says which. The ballot and the tally
 * change in one atomic write; the audit log records that a ballot was cast or changed, not its content.
 */
export async function castBallot(ctx: AppContext, client: string, pollId: string, input: Ballot): Promise<{ replaced: boolean }> {
  const admitted = await admitVoter(ctx, client, pollId, input.voter);
  const positions = validateChoices(input.choices, admitted.rules);
  // One Node process serves every request, so concurrent ballots can share a commit; see PollStore.castBallot.
  await ctx.store.polls.castBallot(
    { pollId, consultationId: admitted.consultationId, voter: admitted.voter, positions, castAt: ctx.clock.now().toISOString() },
    { group: ctx.runtime === 'node' },
  );
  return { replaced: admitted.voted };
}

/** Imports the tallies of a survey run elsewhere, as given. */
export async function importSurveyTallies(ctx: AppContext, by: Principal | null, slug: string, input: SurveyTallies): Promise<PollView[]> {
  const consultation = await requireConsultation(ctx, by, slug, 'write');
  await requireTheme(ctx, consultation.id, input.theme);
  const labels = input.options.map((o) => normaliseForMatch(o.label));
  const twice = input.options.find((_, i) => labels.indexOf(labels[i] ?? '') !== i);
  if (twice !== undefined) throw new AppError('invalid_input', `options: "${twice.label}" is listed twice; give each option once with its votes`);
  const scrub = (s: string) => scrubIdentity(s).text;
  return storeImported(ctx, by, consultation.id, 'survey.json', [
    {
      question: scrub(input.question),
      multiple: input.multiple,
      participants: input.participants ?? null,
      theme: input.theme ?? null,
      options: input.options.map((o) => ({ label: scrub(o.label), votes: o.votes })),
    },
  ]);
}

/** Counts the choice and multi-select questions of raw survey responses (CSV) and stores each as a poll. */
export async function importSurveyCsv(
  ctx: AppContext,
  by: Principal | null,
  slug: string,
  bytes: Uint8Array,
  hints: SurveyCsvHints,
): Promise<{ polls: PollView[]; warnings: Warning[] }> {
  const consultation = await requireConsultation(ctx, by, slug, 'write');
  await requireTheme(ctx, consultation.id, hints.theme);
  if (bytes.length === 0) throw new AppError('invalid_input', 'the survey file is empty');
  // Spreadsheets save UTF-8 with a BOM, UTF-16 or Windows-1252; the upload decoder reads all three.
  const { text, warnings: decodeWarnings } = decodeText(bytes);
  const parsed = parseSurveyCsv(text, { options: hints.options, multiSelect: hints.multiSelect, textColumns: hints.textColumns });
  if (parsed.polls.length === 0) {
    throw unreadable(
      'found no choice or multi-select questions to count; pass multiSelect or options to name them, or upload the file to /uploads to import its free-text answers',
    );
  }
  // Respondents' names and contacts must not reach a stored question or option label.
  const redactor = buildRedactor(parsed.participants.map((p) => ({ label: NAME_MARKER, names: p.names })));
  const redact = (s: string) => redactor.redact(s).text;
  const polls = await storeImported(
    ctx,
    by,
    consultation.id,
    'survey.csv',
    parsed.polls.map((p) => ({
      question: redact(p.question),
      multiple: p.multiple,
      participants: p.participants ?? null,
      theme: hints.theme ?? null,
      options: p.options.map((o) => ({ label: redact(o.label), votes: o.votes })),
    })),
  );
  return { polls, warnings: [...decodeWarnings, ...parsed.warnings] };
}

interface ImportedPoll {
  question: string;
  multiple: boolean;
  participants: number | null;
  theme: string | null;
  options: { label: string; votes: number }[];
}

async function storeImported(ctx: AppContext, by: Principal | null, consultationId: string, kind: string, polls: ImportedPoll[]): Promise<PollView[]> {
  const at = ctx.clock.now().toISOString();
  const records: NewPollRecord[] = polls.map((p) => ({
    id: crypto.randomUUID(),
    consultationId,
    question: p.question,
    multiple: p.multiple,
    maxChoices: null,
    theme: p.theme,
    source: 'survey',
    importedParticipants: p.participants,
    resultsVisibility: 'always',
    opensAt: null,
    closesAt: null,
    createdAt: at,
    options: p.options.map((o) => ({ label: o.label, importedVotes: o.votes })),
  }));
  await ctx.store.polls.insertPolls(records, {
    at,
    actor: principalId(by),
    action: 'poll.import',
    consultationId,
    details: { kind, polls: records.length },
  });
  return Promise.all(records.map((r) => getPoll(ctx, by, r.id)));
}

async function findVisiblePoll(ctx: AppContext, by: Principal | null, pollId: string): Promise<{ poll: PollRecord; staff: boolean }> {
  const poll = await ctx.store.polls.findPoll(pollId);
  if (!poll) throw new AppError('not_found', `no poll ${pollId}`);
  const staff = by !== null && canSee(by, poll.consultationId);
  // Imported polls are the consultation's working material, not public ballots.
  if (!staff && poll.source !== 'native') throw new AppError('not_found', `no poll ${pollId}`);
  return { poll, staff };
}

function resultsVisible(poll: PollRecord, state: PollState, staff: boolean): boolean {
  return staff || poll.resultsVisibility === 'always' || state === 'closed';
}

function toView(poll: PollRecord, counts: BallotCounts | undefined, now: Date, staff: boolean): PollView {
  const state = pollState(poll, now);
  return {
    id: poll.id,
    consultation: poll.slug,
    question: poll.question,
    options: poll.options.map((o) => o.label),
    multiple: poll.multiple,
    maxChoices: poll.maxChoices,
    theme: poll.theme,
    source: poll.source,
    resultsVisibility: poll.resultsVisibility,
    opensAt: poll.opensAt,
    closesAt: poll.closesAt,
    state,
    createdAt: poll.createdAt,
    results: resultsVisible(poll, state, staff) ? resultsOf(poll, counts) : null,
  };
}

/** Native polls count ballots; imported ones carry their tallies. Both come out in the same shape. */
export function resultsOf(poll: PollRecord, counts: BallotCounts | undefined): PollResults {
  const native = poll.source === 'native';
  const tally = tallyPoll({
    multiple: poll.multiple,
    participants: native ? (counts?.participants ?? 0) : poll.importedParticipants,
    options: poll.options.map((o, i) => ({ label: o.label, votes: native ? (counts?.votes.get(i) ?? 0) : (o.importedVotes ?? 0) })),
  });
  return { ...tally, text: formatTally(tally, poll.multiple).join('\n') };
}

async function requireTheme(ctx: AppContext, consultationId: string, theme: string | undefined): Promise<void> {
  if (theme === undefined) return;
  const known = (await ctx.store.themesOf(consultationId)).map((t) => t.key);
  if (!known.includes(theme)) {
    throw new AppError('invalid_input', `theme: "${theme}" is not a theme of this consultation; use a key of GET /api/consultations/:slug`);
  }
}

function codeHash(normalised: string): string {
  return sha256HexSync(`voter-code:${normalised}`);
}

/** The id a code's ballot is stored under (SHA-256 of the normalised code), or null for a malformed code. */
export function voterKey(code: string): string | null {
  const normalised = normaliseVoterCode(code);
  return normalised === null ? null : codeHash(normalised);
}

function principalId(by: Principal | null): string {
  return by?.tokenId ?? 'system';
}
