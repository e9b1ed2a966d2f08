import { type RouteConfig, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors';
import { type Lang, pickLanguage, t } from '../i18n';
import { ErrorPage } from '../pages/error';
import { sendPage } from '../pages/layout';
import { type VoteMessage, type VoteStep, VotePage, voteText } from '../pages/vote';
import {
  Ballot,
  CreatePoll,
  IssueCodes,
  SurveyCsvHints,
  SurveyTallies,
  admitVoter,
  castBallot,
  checkBallot,
  createPoll,
  getPoll,
  importSurveyCsv,
  importSurveyTallies,
  issueVoterCodes,
  listPolls,
  pollResults,
  type PollView,
} from '../services/polls';
import { type AppEnv, bearer, errors, formatIssues, router } from './common';

const Results = z
  .object({
    participants: z.number().nullable().openapi({ description: 'Distinct voters; null when an imported multiple-choice poll did not say' }),
    options: z.array(z.object({ label: z.string(), votes: z.number(), percent: z.number().nullable() })),
    note: z.string().optional(),
    text: z.string().openapi({ example: '37 participants - 5 options - Multiple votes\n1- Offline reading (31 people - 84 %)' }),
  })
  .openapi('PollResults');

export const Poll = z
  .object({
    id: z.string(),
    consultation: z.string(),
    question: z.string(),
    options: z.array(z.string()),
    multiple: z.boolean(),
    maxChoices: z.number().nullable(),
    theme: z.string().nullable(),
    source: z.string().openapi({ description: '`native`, or where imported tallies came from: whatsapp, telegram, csv, survey' }),
    resultsVisibility: z.enum(['always', 'after_close']),
    opensAt: z.string().nullable(),
    closesAt: z.string().nullable(),
    state: z.enum(['open', 'not_open', 'closed']),
    createdAt: z.string(),
    voterCodes: z.number().optional().openapi({ description: 'Codes issued so far; shown to tokens of the consultation' }),
    results: Results.nullable().openapi({ description: 'null while results are hidden from this caller (after_close)' }),
  })
  .openapi('Poll');

const Slug = z.object({ slug: z.string().openapi({ param: { name: 'slug', in: 'path' }, example: 'arabic-2024' }) });
const PollId = z.object({ id: z.string().max(100).openapi({ param: { name: 'id', in: 'path' } }) });

const conflict = { description: 'The poll is imported, closed or not open yet', content: errors[400].content };
const tooMany = { description: 'Too many wrong voter codes from this client; see the retry-after header', content: errors[400].content };

export const polls = router()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/consultations/{slug}/polls',
      tags: ['Polls'],
      security: bearer,
      summary: 'Create a poll (liaison or admin of the consultation)',
      request: { params: Slug, body: { required: true, content: { 'application/json': { schema: CreatePoll } } } },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: z.object({ poll: Poll }) } } },
        ...errors,
      },
    }),
    async (c) => c.json({ poll: await createPoll(c.var.ctx, c.var.principal, c.req.valid('param').slug, c.req.valid('json')) }, 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/consultations/{slug}/polls',
      tags: ['Polls'],
      security: bearer,
      summary: 'Polls of a consultation, native and imported, with tallies and source',
      request: { params: Slug },
      responses: {
        200: { description: 'Oldest first', content: { 'application/json': { schema: z.object({ polls: z.array(Poll) }) } } },
        ...errors,
      },
    }),
    async (c) => c.json({ polls: await listPolls(c.var.ctx, c.var.principal, c.req.valid('param').slug) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/polls/{id}',
      tags: ['Polls'],
      summary: 'A poll; without a token of its consultation, native polls only and results only when visible',
      request: { params: PollId },
      responses: {
        200: { description: 'The poll', content: { 'application/json': { schema: z.object({ poll: Poll }) } } },
        ...errors,
      },
    }),
    async (c) => c.json({ poll: await getPoll(c.var.ctx, c.var.principal, c.req.valid('param').id) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/polls/{id}/voters',
      tags: ['Polls'],
      security: bearer,
      summary: 'Issue one-time voter codes (liaison or admin); the codes are shown once and stored hashed',
      request: { params: PollId, body: { required: true, content: { 'application/json': { schema: IssueCodes } } } },
      responses: {
        201: {
          description: 'Codes of 28 Crockford base32 symbols (140 random bits) in groups of four',
          content: { 'application/json': { schema: z.object({ codes: z.array(z.string().openapi({ example: 'K7QF-2M9X-4TRB-8JWN-D3HC-Q6PV-Z1EA' })) }) } },
        },
        409: conflict,
        ...errors,
      },
    }),
    async (c) => c.json({ codes: await issueVoterCodes(c.var.ctx, c.var.principal, c.req.valid('param').id, c.req.valid('json')) }, 201),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/polls/{id}/ballots',
      tags: ['Polls'],
      summary: 'Vote with a voter code (no token); a second ballot with the same code replaces the first',
      description:
        'choices are 0-based option indexes. 403 for a code that is not valid for this poll (no hint whether it exists); 429 with retry-after after repeated wrong codes from one client.',
      request: { params: PollId, body: { required: true, content: { 'application/json': { schema: Ballot } } } },
      responses: {
        201: { description: 'First ballot of this voter', content: { 'application/json': { schema: z.object({ poll: z.string(), replaced: z.boolean() }) } } },
        200: { description: "Replaced this voter's earlier ballot", content: { 'application/json': { schema: z.object({ poll: z.string(), replaced: z.boolean() }) } } },
        409: conflict,
        429: tooMany,
        ...errors,
      },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const { replaced } = await withRetryAfter(c, () => castBallot(c.var.ctx, clientAddress(c), id, c.req.valid('json')));
      return replaced ? c.json({ poll: id, replaced }, 200) : c.json({ poll: id, replaced }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/polls/{id}/results',
      tags: ['Polls'],
      summary: 'Tallies in option order; percent = round(100 × votes / participants)',
      description: 'Tokens of the consultation always see them; others get 403 before close when resultsVisibility is after_close.',
      request: { params: PollId },
      responses: {
        200: {
          description: 'Results',
          content: {
            'application/json': {
              schema: Results.extend({ id: z.string(), question: z.string(), source: z.string(), multiple: z.boolean(), state: z.enum(['open', 'not_open', 'closed']) }),
            },
          },
        },
        ...errors,
      },
    }),
    async (c) => c.json(await pollResults(c.var.ctx, c.var.principal, c.req.valid('param').id), 200),
  );

/** The survey body is JSON tallies, a raw CSV or a multipart file, so its docs are registered apart from the handler. */
const surveyDoc: RouteConfig = {
  method: 'post',
  path: '/api/consultations/{slug}/surveys',
  tags: ['Polls'],
  security: bearer,
  summary: 'Import the results of a survey run elsewhere (tallies as JSON, or raw responses as CSV)',
  description:
    'JSON: the tallies of one question. CSV (body text/csv, or multipart field `file`): every choice and multi-select column becomes a poll; ' +
    'hints come as query or form fields — `options` (JSON object: column header → known option list, for Google Forms ", " answers), ' +
    '`multiSelect` and `textColumns` (comma-separated headers), `theme`.',
  request: {
    params: Slug,
    body: {
      required: true,
      content: {
        'application/json': { schema: SurveyTallies },
        'text/csv': { schema: z.string() },
        'multipart/form-data': { schema: z.object({ file: z.string().openapi({ format: 'binary' }), options: z.string().optional() }) },
      },
    },
  },
  responses: {
    201: {
      description: 'The imported polls (source `survey`)',
      content: { 'application/json': { schema: z.object({ polls: z.array(Poll), warnings: z.array(z.object({ code: z.string(), message: z.string() })) }) } },
    },
    422: { description: 'The CSV could not be read, or holds no question to count', content: errors[400].content },
    ...errors,
  },
};

polls.openAPIRegistry.registerPath(surveyDoc);
polls.post(
  '/api/consultations/:slug/surveys',
  (c, next) =>
    bodyLimit({
      maxSize: c.var.ctx.config.MAX_UPLOAD_BYTES,
      onError: () => {
        throw new AppError('too_large', `the survey file is larger than the limit of ${c.var.ctx.config.MAX_UPLOAD_BYTES} bytes`);
      },
    })(c, next),
  async (c) => {
    const slug = c.req.param('slug');
    const type = c.req.header('content-type') ?? '';
    if (type.startsWith('application/json')) {
      const body: unknown = await c.req.json().catch(() => {
        throw new AppError('invalid_input', 'the body is not valid JSON');
      });
      const input = SurveyTallies.safeParse(body);
      if (!input.success) throw new AppError('invalid_input', formatIssues(input.error.issues));
      return c.json({ polls: await importSurveyTallies(c.var.ctx, c.var.principal, slug, input.data), warnings: [] }, 201);
    }
    const { bytes, fields } = await readCsvBody(c);
    const hints = SurveyCsvHints.safeParse(csvHints({ ...c.req.query(), ...fields }));
    if (!hints.success) throw new AppError('invalid_input', formatIssues(hints.error.issues));
    return c.json(await importSurveyCsv(c.var.ctx, c.var.principal, slug, bytes, hints.data), 201);
  },
);

const HINT_FIELDS = ['options', 'multiSelect', 'textColumns', 'theme'] as const;

async function readCsvBody(c: Context<AppEnv>): Promise<{ bytes: Uint8Array; fields: Record<string, string> }> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) return { bytes: new Uint8Array(await c.req.arrayBuffer()), fields: {} };
  const form = await c.req.parseBody();
  const file = form.file;
  if (!(file instanceof File)) throw new AppError('invalid_input', 'multipart upload: put the CSV in a field named "file"');
  const fields: Record<string, string> = {};
  for (const key of HINT_FIELDS) {
    const v = form[key];
    if (typeof v === 'string' && v !== '') fields[key] = v;
  }
  return { bytes: new Uint8Array(await file.arrayBuffer()), fields };
}

/** Query/form strings to hint values: `options` is JSON, the lists are comma-separated. */
function csvHints(raw: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (raw.options !== undefined) {
    try {
      out.options = JSON.parse(raw.options);
    } catch {
      throw new AppError('invalid_input', 'options: send a JSON object from column header to its option list, e.g. {"Which areas?": ["Training, events", "Grants"]}');
    }
  }
  for (const key of ['multiSelect', 'textColumns'] as const) {
    const v = raw[key];
    if (v !== undefined) out[key] = v.split(',').map((s) => s.trim()).filter(Boolean);
  }
  if (raw.theme !== undefined) out.theme = raw.theme;
  return out;
}

/** Runs a ballot step and, when it is refused for too many wrong codes, tells the client when to retry. */
async function withRetryAfter<T>(c: Context<AppEnv>, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    const wait = err instanceof AppError && err.code === 'rate_limited' ? err.details?.retryAfter : undefined;
    if (typeof wait === 'number') c.header('retry-after', String(wait));
    throw err;
  }
}

/**
 * The client's address for the wrong-code limiter. Cloudflare sets cf-connecting-ip itself; of
 * x-forwarded-for the last entry is the one our own reverse proxy added (earlier ones are whatever the
 * client sent); with neither, the Node socket. Behind no proxy, a client can still send its own
 * x-forwarded-for, which is why the server listens on 127.0.0.1 by default.
 */
export function clientAddress(c: Context<AppEnv>): string {
  const cf = c.req.header('cf-connecting-ip')?.trim();
  if (cf) return cf;
  const forwarded = c.req
    .header('x-forwarded-for')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const last = forwarded?.[forwarded.length - 1];
  if (last) return last;
  return socketAddress(c.env) ?? 'unknown';
}

/** @hono/node-server passes `{ incoming }` as the env; read its socket address without importing Node types. */
function socketAddress(env: unknown): string | undefined {
  if (typeof env !== 'object' || env === null || !('incoming' in env)) return undefined;
  const incoming = env.incoming;
  if (typeof incoming !== 'object' || incoming === null || !('socket' in incoming)) return undefined;
  const socket = incoming.socket;
  if (typeof socket !== 'object' || socket === null || !('remoteAddress' in socket)) return undefined;
  return typeof socket.remoteAddress === 'string' ? socket.remoteAddress : undefined;
}

// ---- the voting page: /p/:pollId ------------------------------------------------------------------

/** The page language: `?lang=`, then the lang cookie, then Accept-Language. */
function pageLang(c: Context<AppEnv>): Lang {
  return pickLanguage({ query: c.req.query('lang'), cookie: c.req.header('cookie'), acceptLanguage: c.req.header('accept-language') });
}

function here(c: Context<AppEnv>): string {
  const u = new URL(c.req.url);
  return u.pathname + u.search;
}

/** The poll as a voter sees it (no token: the page is the same for everyone), or null when there is none to vote in. */
async function publicPoll(c: Context<AppEnv>, id: string): Promise<PollView | null> {
  try {
    return await getPoll(c.var.ctx, null, id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return null;
    throw err;
  }
}

function notFoundPage(c: Context<AppEnv>, lang: Lang) {
  return sendPage(c, ErrorPage({ lang, url: here(c), user: null, status: 404, message: t(lang, 'error.notFound') }), 404);
}

function stateStep(poll: PollView): VoteStep {
  return poll.state === 'open' ? 'code' : poll.state;
}

function stateMessage(lang: Lang, poll: PollView): VoteMessage[] {
  if (poll.state === 'closed') return [{ kind: 'info', text: t(lang, 'vote.closed') }];
  if (poll.state === 'not_open') return [{ kind: 'info', text: t(lang, 'vote.notOpen') }];
  return [];
}

polls.get('/p/:pollId', async (c) => {
  const lang = pageLang(c);
  const poll = await publicPoll(c, c.req.param('pollId'));
  if (!poll) return notFoundPage(c, lang);
  return sendPage(c, VotePage({ lang, url: here(c), poll, step: stateStep(poll), messages: stateMessage(lang, poll) }));
});

polls.post(
  '/p/:pollId',
  (c, next) =>
    bodyLimit({
      maxSize: 64 * 1024,
      onError: () => {
        throw new AppError('too_large', 'the form is larger than a vote can be');
      },
    })(c, next),
  async (c) => {
    const lang = pageLang(c);
    const id = c.req.param('pollId');
    const poll = await publicPoll(c, id);
    if (!poll) return notFoundPage(c, lang);
    // No session or cookie is involved: the code in the form is the only credential, so a forged cross-site
    // form could do nothing without it. Refusing foreign origins anyway keeps votes to this page.
    if (!sameOrigin(c)) return sendPage(c, ErrorPage({ lang, url: here(c), user: null, status: 403, message: t(lang, 'error.forbidden') }), 403);
    const form = await c.req.parseBody({ all: true });
    const step = field(form.step);
    const code = field(form.code).slice(0, 200);
    const choices = list(form.choice).map(Number);
    const page = (step: VoteStep, status: 200 | 400 | 403 | 409 | 429, extra: { poll?: PollView; choices?: number[]; voted?: boolean; replaced?: boolean; messages?: VoteMessage[] } = {}) =>
      sendPage(c, VotePage({ lang, url: here(c), poll: extra.poll ?? poll, step, code, choices: extra.choices ?? choices, voted: extra.voted, messages: extra.messages }), status);
    try {
      const client = clientAddress(c);
      if (step === 'choose') {
        const checked = await checkBallot(c.var.ctx, client, id, { voter: code, choices });
        return await page('confirm', 200, { choices: checked.choices, voted: checked.voted });
      }
      if (step === 'confirm') {
        const { replaced } = await castBallot(c.var.ctx, client, id, { voter: code, choices });
        const after = (await publicPoll(c, id)) ?? poll;
        const messages: VoteMessage[] = [{ kind: 'ok', text: t(lang, 'vote.thanks') }];
        if (replaced) messages.push({ kind: 'info', text: t(lang, 'vote.replaced') });
        return await page('done', 200, { poll: after, messages });
      }
      const admitted = await admitVoter(c.var.ctx, client, id, code);
      return await page('choose', 200, { voted: admitted.voted });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.code === 'forbidden') return page('code', 403, { messages: [{ kind: 'error', text: t(lang, 'vote.badCode') }] });
      if (err.code === 'rate_limited') {
        const wait = typeof err.details?.retryAfter === 'number' ? err.details.retryAfter : 60;
        c.header('retry-after', String(wait));
        return page('code', 429, { messages: [{ kind: 'error', text: voteText(lang, 'tooMany', { minutes: Math.ceil(wait / 60) }) }] });
      }
      if (err.code === 'conflict') {
        const now = (await publicPoll(c, id)) ?? poll;
        return page(now.state === 'open' ? 'closed' : now.state, 409, { poll: now, messages: stateMessage(lang, { ...now, state: now.state === 'open' ? 'closed' : now.state }) });
      }
      if (err.code === 'invalid_input') {
        const text = choices.length === 0 ? ruleText(lang, poll) : overLimit(poll, choices) ? ruleText(lang, poll) : voteText(lang, 'invalidChoice');
        return page('choose', 400, { choices: choices.filter((i) => Number.isInteger(i) && i >= 0 && i < poll.options.length), messages: [{ kind: 'error', text }] });
      }
      throw err;
    }
  },
);

function ruleText(lang: Lang, poll: PollView): string {
  if (!poll.multiple) return t(lang, 'vote.chooseOne');
  return poll.maxChoices !== null ? t(lang, 'vote.chooseUpTo', { n: poll.maxChoices }) : t(lang, 'vote.chooseMany');
}

function overLimit(poll: PollView, choices: number[]): boolean {
  return choices.length > (poll.multiple ? (poll.maxChoices ?? poll.options.length) : 1);
}

function sameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined || origin === 'null') return true;
  try {
    return new URL(origin).host === (c.req.header('host') ?? new URL(c.req.url).host);
  } catch {
    return false;
  }
}

function field(v: unknown): string {
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

function list(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 1000) : [];
}
