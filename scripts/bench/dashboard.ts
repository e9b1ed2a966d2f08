/**
 * Dashboard benchmark: `npm run bench -- dashboard [--items=1000000] [--participants=20000] [--requests=300]
 * [--warmup=30] [--naive-runs=1] [--budget=15] [--regen] [--no-workerd]`.
 *
 * 1. A consultation (wm2030-working-groups preset) with `items` items and their tags, written straight into a
 *    libSQL file (not through the upload API), with theme_counts / theme_participants filled by the same
 *    CounterDeltas the store uses. Cached under bench-out/ by a version key, so reruns skip it.
 * 2. On Node, side by side: p50/p95/max of sequential requests to the themes API (bearer token) and to the
 *    `/c/:slug` page (session cookie) through `app.request`, the API again over real HTTP, and the naive
 *    GROUP BY over items ⨝ item_themes computing the same figures (which also checks every counter).
 * 3. Inside workerd (miniflare, local D1 seeded with the counter rows): the JS time of one dashboard request,
 *    measured inside the isolate with D1 answers replayed, beside the wall times with a live D1.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { type Client, type InStatement, type InValue, createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { z } from 'zod';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { type AppContext, noTasks, silentLogger } from '../../src/context';
import { labelFromId } from '../../src/privacy/pseudonym';
import { type Principal, issueToken } from '../../src/services/auth';
import { createConsultation } from '../../src/services/consultations';
import { getDashboard } from '../../src/services/dashboard';
import { signIn } from '../../src/services/sessions';
import { getThemeStats } from '../../src/services/themes';
import { CounterDeltas, type ItemFacts } from '../../src/store/counters';
import { libsqlDatabase } from '../../src/store/libsql';
import { FILE_BUSY_TIMEOUT_MS, FILE_WRITE_PRAGMAS, tuneLibsqlFile } from '../../src/store/libsql-file';
import { Store } from '../../src/store/store';
import { PRESETS } from '../../src/taxonomy/presets';
import { type Cell, met, printTable } from './table';
import { type Percentiles, ms, percentiles, timeSeries } from './dashboard-worker/timing';
import { mulberry32 } from './prng';

const ROOT = join(import.meta.dirname, '../..');
const OUT = join(ROOT, 'bench-out');
const MIGRATIONS = join(ROOT, 'schema/migrations');
/** Bump when the generated data changes shape; the cache key also covers the options and the migrations. */
const GENERATOR_VERSION = 'g2';
const SLUG = 'bench-dashboard';
const ADMIN_TOKEN = 'bench-dashboard-admin-token-0123456789';
const PSEUDONYM_SECRET = 'bench-dashboard-pseudonym-secret-0123456789';
const FIXED_NOW = new Date('2026-01-15T12:00:00.000Z');
const GOAL_P95_MS = 50;
const GOAL_WORKERD_CPU_MS = 10;
const SYSTEM: Principal = { tokenId: 'system', role: 'admin', consultations: [] };

interface Options {
  items: number;
  participants: number;
  requests: number;
  warmup: number;
  naiveRuns: number;
  regen: boolean;
  workerd: boolean;
  seed: number;
  /** Most time one timed series may take; slow series time fewer requests and say so. */
  budgetMs: number;
}

function parseOptions(args: string[]): Options {
  const o: Options = { items: 1_000_000, participants: 20_000, requests: 300, warmup: 30, naiveRuns: 1, regen: false, workerd: true, seed: 2030, budgetMs: 15_000 };
  for (const a of args) {
    const [k, v = ''] = a.replace(/^--/, '').split('=', 2);
    if (k === 'items') o.items = whole(k, v, 1_000);
    else if (k === 'participants') o.participants = whole(k, v, 10);
    else if (k === 'requests') o.requests = whole(k, v, 10);
    else if (k === 'warmup') o.warmup = whole(k, v, 0);
    else if (k === 'naive-runs') o.naiveRuns = whole(k, v, 1);
    else if (k === 'seed') o.seed = whole(k, v, 0);
    else if (k === 'budget') o.budgetMs = whole(k, v, 1) * 1000;
    else if (k === 'regen') o.regen = true;
    else if (k === 'no-workerd') o.workerd = false;
    else {
      throw new Error(
        `unknown option ${a}; options: --items=N --participants=N --requests=N --warmup=N --naive-runs=N --seed=N --budget=SECONDS --regen --no-workerd`,
      );
    }
  }
  return o;
}

function whole(name: string, v: string, min: number): number {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} needs a whole number ≥ ${min}, got "${v}"`);
  return n;
}

export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args);
  const started = performance.now();
  printMachine();
  const data = await ensureDataset(o);
  const n = (v: number) => v.toLocaleString('en-US');
  console.log(
    `dataset: ${n(data.meta.items)} items (${n(data.meta.humanReviewed)} reviewed by a human), ${n(data.meta.itemThemes)} item_themes, ` +
      `${n(data.meta.themeCounts)} theme_counts, ${n(data.meta.themeParticipants)} theme_participants rows, ${(data.meta.bytes / 1024 / 1024).toFixed(0)} MB, ` +
      `${data.cached ? `cached (generated in ${seconds(data.meta.generationMs)})` : `generated in ${seconds(data.meta.generationMs)}`}: ${data.path}`,
  );

  const env = await openBenchContext(data.path);
  try {
    // Correctness first: the API's figures must equal a recount from the items, or the speed means nothing.
    const naive = await naiveFigures(env.client, data.meta.consultationId, o.naiveRuns);
    const check = await compareWithNaive(env, naive.figures);
    for (const m of check.mismatches.slice(0, 20)) console.log(`MISMATCH ${m}`);
    if (check.mismatches.length > 0) process.exitCode = 1;

    const api = await timeRequests(o, () => env.get(`/api/consultations/${SLUG}/themes`, { authorization: `Bearer ${env.staffToken}` }));
    const page = await timeRequests(o, () => env.get(`/c/${SLUG}`, { cookie: `sfp_session=${env.sessionId}` }));
    const http = await withHttpServer(env.app, (base) =>
      timeRequests(o, async () => {
        const res = await fetch(`${base}/api/consultations/${SLUG}/themes`, { headers: { authorization: `Bearer ${env.staffToken}` } });
        if (res.status !== 200) throw new Error(`HTTP themes API answered ${res.status}`);
        await res.text();
      }),
    );
    const queries = await timeQueries(env, data.meta.consultationId, o);
    const js = await pureJs(env, Math.min(200, o.requests));

    const rows: Cell[][] = [
      [`generation: ${n(data.meta.items)} items + tags + counters straight into libSQL`, `${seconds(data.meta.generationMs)}${data.cached ? ' (cached)' : ''}`, '—', '—'],
      ['counters = recount from items (every figure of the API and page)', `${n(check.compared)} compared, ${n(check.mismatches.length)} differ`, 'all equal', met(check.mismatches.length === 0)],
      ...latencyRows('Node (a) GET /api/consultations/:slug/themes, app.request, bearer', api, GOAL_P95_MS),
      ...latencyRows('Node (b) GET /c/:slug dashboard page, app.request, session cookie', page, GOAL_P95_MS),
      ...latencyRows('Node (a) over HTTP (@hono/node-server on 127.0.0.1, keep-alive)', http, GOAL_P95_MS),
      [`Node (c) naive GROUP BY over items ⨝ item_themes, same figures (best of ${naive.runs})`, ms(naive.bestMs), '—', '—'],
      ['  ratio naive / (a) p50 · naive / (b) p50 · naive / (a) over HTTP p50', `${ratio(naive.bestMs, api.p50)} · ${ratio(naive.bestMs, page.p50)} · ${ratio(naive.bestMs, http.p50)}`, '—', '—'],
      ...naive.perQuery.map((q): Cell[] => [`    naive: ${q.name}`, ms(q.ms), '—', '—']),
      ...queries.map((q): Cell[] => [`  query ${q.name}: p50 / p95, rows`, `${ms(q.p50)} / ${ms(q.p95)}, ${n(q.rows)}`, '—', '—']),
      ['Node JS only (queries replayed), CPU / request: getThemeStats + JSON.stringify', ms(js.apiService), '—', '—'],
      ['  getDashboard', ms(js.dashboardService), '—', '—'],
      ['  whole API request through app.request', ms(js.apiRequest), '(≤ 10 ms)', met(js.apiRequest <= GOAL_WORKERD_CPU_MS)],
      ['  whole page request through app.request', ms(js.pageRequest), '(≤ 10 ms)', met(js.pageRequest <= GOAL_WORKERD_CPU_MS)],
    ];
    const notes: string[] = [];

    if (o.workerd) {
      const { runWorkerd } = await import('./dashboard-worker/workerd');
      const w = await runWorkerd({
        root: ROOT,
        out: OUT,
        libsql: env.client,
        consultationId: data.meta.consultationId,
        slug: SLUG,
        cacheKey: data.key,
        adminToken: ADMIN_TOKEN,
        pseudonymSecret: PSEUDONYM_SECRET,
        requests: o.requests,
        warmup: o.warmup,
        budgetMs: o.budgetMs,
        goalMs: GOAL_WORKERD_CPU_MS,
      });
      rows.push(...w.rows);
      notes.push(...w.notes);
    }

    printTable(`Dashboard over ${n(data.meta.items)} items (${n(o.participants)} participants, wm2030-working-groups)`, ['measure', 'value', 'goal', 'met?'], rows, [
      `Latency: sequential requests after up to ${o.warmup} warm-up ones (${o.requests} wanted; a series stops at ~${o.budgetMs / 1000} s and says n).`,
      'Node: one process, server and client on one event loop; CPU / request = process.cpuUsage (user + system, all threads) ÷ requests.',
      'Node JS only: the store answers every query with a structured clone of what the real query returned once, so only JS runs.',
      ...notes,
      `Reproduce: npm run bench -- dashboard${o.items === 1_000_000 ? '' : ` --items=${o.items}`} (the first run generates bench-out/dashboard-${data.key}.db).`,
    ]);

    const slow = queries.filter((q) => q.p95 > 10);
    if (slow.length > 0) {
      console.log('\n### Query plans of the dashboard queries slower than 10 ms (p95)\n');
      for (const q of slow) {
        for (const p of q.plans) console.log(`${q.name} — ${p.sql}\n${p.plan.map((l) => `    ${l}`).join('\n')}\n`);
      }
    }
    console.log(`total bench time ${seconds(performance.now() - started)}`);
  } finally {
    env.close();
  }
}

function ratio(naive: number, ours: number): string {
  return `${Math.round(naive / ours).toLocaleString('en-US')}×`;
}

// ---------------------------------------------------------------------------------------------------------
// 1. The dataset

/** What the generator wrote, kept beside the database so a cached run can report it. */
const Meta = z.object({
  key: z.string(),
  consultationId: z.string(),
  items: z.number(),
  itemThemes: z.number(),
  humanReviewed: z.number(),
  themeCounts: z.number(),
  themeParticipants: z.number(),
  generationMs: z.number(),
  bytes: z.number(),
});
type Meta = z.infer<typeof Meta>;

interface Dataset {
  path: string;
  key: string;
  meta: Meta;
  cached: boolean;
}

/** The cache key: generator version, options that shape the data, and the migrations the file was made with. */
function datasetKey(o: Options): string {
  const migrations = readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => `${f}:${createHash('sha256').update(readFileSync(join(MIGRATIONS, f))).digest('hex').slice(0, 8)}`)
    .join(',');
  const schema = createHash('sha256').update(migrations).digest('hex').slice(0, 8);
  return `${GENERATOR_VERSION}-${o.items}-${o.participants}-s${o.seed}-${schema}`;
}

async function ensureDataset(o: Options): Promise<Dataset> {
  mkdirSync(OUT, { recursive: true });
  const key = datasetKey(o);
  const path = join(OUT, `dashboard-${key}.db`);
  const metaPath = join(OUT, `dashboard-${key}.json`);
  if (!o.regen && existsSync(path) && existsSync(metaPath)) {
    return { path, key, meta: Meta.parse(JSON.parse(readFileSync(metaPath, 'utf8'))), cached: true };
  }
  const tmp = `${path}.partial`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, path, `${path}-wal`, `${path}-shm`, metaPath]) rmSync(f, { force: true });
  console.log(`generating ${o.items.toLocaleString('en-US')} items into ${tmp} …`);
  const started = performance.now();
  const counts = await generate(tmp, o);
  const meta: Meta = { key, ...counts, generationMs: performance.now() - started, bytes: statSync(tmp).size };
  // Renamed only when complete, so an interrupted generation is never mistaken for a cached one.
  renameSync(tmp, path);
  for (const f of [`${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  return { path, key, meta, cached: false };
}


function weighted<T>(pairs: [T, number][]): (r: number) => T {
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  const cumulative: [T, number][] = [];
  let acc = 0;
  for (const [v, w] of pairs) {
    acc += w / total;
    cumulative.push([v, acc]);
  }
  return (r) => {
    for (const [v, c] of cumulative) if (r < c) return v;
    const last = cumulative[cumulative.length - 1];
    if (!last) throw new Error('weighted() needs at least one value');
    return last[0];
  };
}

// Channels and the three report contexts as ingest names them; the context mostly follows from the channel.
const CHANNELS: [string, number][] = [
  ['WhatsApp group', 35],
  ['Telegram group', 15],
  ['Facebook group', 12],
  ['Survey', 18],
  ['Interviews', 5],
  ['Wiki talk page', 15],
];
const CONTEXT_OF_CHANNEL: Record<string, string> = {
  Survey: 'Survey',
  Interviews: '1:1 individual interviews',
};
const LANGUAGES: [string | null, number][] = [
  ['en', 30],
  ['fr', 15],
  ['ar', 15],
  ['es', 12],
  ['pt', 8],
  ['ja', 6],
  ['id', 5],
  ['sw', 5],
  [null, 4],
];
const STATUSES: [Status, number][] = [
  ['tagged', 80],
  ['none', 10],
  ['undecided', 5],
  ['pending', 5],
];
type Status = 'tagged' | 'none' | 'undecided' | 'pending';
const PHRASES = [
  'We need more offline access for schools in rural areas',
  'Les affiliés devraient recevoir des fonds plus stables',
  'المتطوعون الجدد يحتاجون إلى إرشاد أفضل في البداية',
  'La traducción de las páginas de ayuda llega muy tarde',
  'Os eventos locais trazem novas editoras para o projeto',
  '地域のコミュニティにもっと決定権を与えるべきです',
  'Perlu lebih banyak pelatihan untuk penyunting baru',
  'Tunahitaji msaada zaidi wa mtandao kwa jamii',
  'The mobile editor still loses my edits on a slow connection',
  'Decisions about money should be taken closer to the communities',
  'Harassment on talk pages keeps women from staying',
  'Partnerships with libraries and museums worked well for us',
];

/** Item counts the generator reports. */
interface Generated {
  consultationId: string;
  items: number;
  itemThemes: number;
  humanReviewed: number;
  themeCounts: number;
  themeParticipants: number;
}

/**
 * Writes the consultation through the service (so its themes are what the app makes), then uploads,
 * participants, items and item_themes as multi-row INSERTs in one write transaction, and last the counters
 * from CounterDeltas over the same rows: what writeUpload and writeMachineTags would have added.
 */
async function generate(path: string, o: Options): Promise<Generated> {
  const client = createClient({ url: `file:${path}`, timeout: FILE_BUSY_TIMEOUT_MS });
  try {
    await tuneLibsqlFile(client);
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS });
    const ctx = contextOn(client);
    const consultation = await createConsultation(ctx, SYSTEM, { slug: SLUG, title: 'Dashboard benchmark (1M generated items)', language: 'en', taxonomy: 'wm2030-working-groups' });
    const cid = consultation.id;
    const random = mulberry32(o.seed);
    const themeKeys = PRESETS['wm2030-working-groups'].map((t) => t.key);
    // A few themes come up far more often than the rest, as they do in real consultations.
    const pickTheme = weighted(themeKeys.map((k, i) => [k, 1 / (i + 2)] as [string, number]));
    const pickChannel = weighted(CHANNELS);
    const pickLanguage = weighted(LANGUAGES);
    const pickStatus = weighted(STATUSES);
    const createdAt = FIXED_NOW.toISOString();

    const uploadOf = new Map(CHANNELS.map(([ch], i) => [ch, `bench-upload-${i}`]));
    const pseudonyms: string[] = [];
    for (let i = 0; i < o.participants; i++) pseudonyms.push(hex32(random));

    const tx = await client.transaction('write');
    let itemThemes = 0;
    let humanReviewed = 0;
    const deltas = new CounterDeltas();
    try {
      await tx.batch(['pragma cache_size = -524288', ...FILE_WRITE_PRAGMAS.filter((p) => !p.includes('cache_size'))]);
      for (const [channel, upload] of uploadOf) {
        await tx.execute({
          sql: `insert into uploads (id, consultation_id, sha256, format, channel, context, language, filename, bytes, items, duplicates, participants, skipped, redactions, warnings, created_by, created_at)
                values (?, ?, ?, 'csv', ?, null, null, ?, 0, 0, 0, 0, '{}', '{}', '[]', 'system', ?)`,
          args: [upload, cid, createHash('sha256').update(upload).digest('hex'), channel, `${upload}.csv`, createdAt],
        });
      }
      for (let i = 0; i < pseudonyms.length; i += 5_000) {
        const part = pseudonyms.slice(i, i + 5_000);
        await tx.execute({
          sql: `insert into participants (consultation_id, pseudonym, label, first_seen_at) values ${part.map(() => '(?, ?, ?, ?)').join(', ')}`,
          args: part.flatMap((p) => [cid, p, labelFromId(p), createdAt]),
        });
      }

      const yearStart = Date.UTC(2025, 0, 1);
      const yearMs = 365 * 24 * 3600 * 1000;
      const ITEMS_PER_STATEMENT = 2_000;
      let itemArgs: InValue[] = [];
      let itemRows = 0;
      let tagArgs: InValue[] = [];
      let tagRows = 0;
      const flushItems = async () => {
        if (itemRows === 0) return;
        await tx.execute({
          sql: `insert into items (id, consultation_id, upload_id, participant, text, language, at, channel, context, question, content_hash, status, created_at)
                values ${repeat('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', itemRows)}`,
          args: itemArgs,
        });
        itemArgs = [];
        itemRows = 0;
      };
      const flushTags = async () => {
        if (tagRows === 0) return;
        await tx.execute({ sql: `insert into item_themes (item_id, theme_key, confidence, source) values ${repeat('(?, ?, ?, ?)', tagRows)}`, args: tagArgs });
        tagArgs = [];
        tagRows = 0;
      };

      for (let id = 1; id <= o.items; id++) {
        const channel = pickChannel(random());
        const context = CONTEXT_OF_CHANNEL[channel] ?? (random() < 0.04 ? 'Survey' : 'Broad community input');
        const language = pickLanguage(random());
        // Interview notes often carry no time; chats always do.
        const at = channel === 'Interviews' && random() < 0.3 ? null : isoLocal(yearStart + Math.floor(random() * yearMs));
        // Few people write most messages: a skewed pick over the pseudonyms; anonymous survey answers have none.
        const participant = channel === 'Survey' && random() < 0.1 ? null : (pseudonyms[Math.floor(o.participants * random() ** 2)] ?? null);
        const text = `${PHRASES[Math.floor(random() * PHRASES.length)]}. ${PHRASES[Math.floor(random() * PHRASES.length)]} (#${id})`;
        let status: Status = pickStatus(random());
        let themes: string[] = [];
        if (status === 'tagged') {
          const machine = distinctThemes(pickTheme, random, 1 + (random() < 0.5 ? 0 : random() < 0.7 ? 1 : 2));
          for (const key of machine) {
            tagArgs.push(id, key, Math.round((0.5 + random() * 0.45) * 100) / 100, 'offline');
            tagRows++;
          }
          themes = machine;
          // About 1% of tagged items were reviewed: mostly confirmed, some changed, a few "no theme".
          if (random() < 0.01) {
            humanReviewed++;
            const r = random();
            const human =
              r < 0.45 ? machine : r < 0.8 ? [...new Set([...machine.slice(1), pickTheme(random())])] : r < 0.95 ? distinctThemes(pickTheme, random, 1 + Math.floor(random() * 2)) : [];
            for (const key of human.length > 0 ? human : ['']) {
              tagArgs.push(id, key, 1, 'human');
              tagRows++;
            }
            themes = human;
            if (human.length === 0) status = 'none';
            deltas.agreement(machine, human, 1);
          }
        }
        itemArgs.push(id, cid, uploadOf.get(channel) ?? null, participant, text, language, at, channel, context, null, hex32(random), status, createdAt);
        itemRows++;
        const facts: ItemFacts = { context, channel, language, at, participant };
        deltas.addItem(facts, status, themes, 1);
        if (itemRows === ITEMS_PER_STATEMENT) await flushItems();
        if (tagRows >= ITEMS_PER_STATEMENT * 2) {
          await flushItems();
          await flushTags();
        }
        if (id % 200_000 === 0) console.log(`  … ${id.toLocaleString('en-US')} items`);
      }
      await flushItems();
      await flushTags();
      itemThemes = Number((await tx.execute('select count(*) as n from item_themes')).rows[0]?.n ?? 0);
      // Bound parameters are capped far below the client's 30,000 here only to keep statements a few MB.
      for (const s of deltas.statements(cid, 20_000)) await tx.execute({ sql: s.sql, args: s.args as InValue[] });
      await tx.commit();
    } finally {
      tx.close();
    }
    const count = async (sql: string) => Number((await client.execute({ sql, args: [cid] })).rows[0]?.n ?? 0);
    const out: Generated = {
      consultationId: cid,
      items: await count('select count(*) as n from items where consultation_id = ?'),
      itemThemes,
      humanReviewed,
      themeCounts: await count('select count(*) as n from theme_counts where consultation_id = ?'),
      themeParticipants: await count('select count(*) as n from theme_participants where consultation_id = ?'),
    };
    await client.execute('pragma wal_checkpoint(truncate)');
    return out;
  } finally {
    client.close();
  }
}

function distinctThemes(pick: (r: number) => string, random: () => number, n: number): string[] {
  const out = new Set<string>();
  while (out.size < n) out.add(pick(random()));
  return [...out];
}

function hex32(random: () => number): string {
  let s = '';
  for (let i = 0; i < 4; i++) s += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return s;
}

/** `isoLocal(0)` → `"1970-01-01T00:00:00"`: local time as exports write it, no offset. */
function isoLocal(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

function repeat(shape: string, n: number): string {
  return new Array(n).fill(shape).join(', ');
}

// ---------------------------------------------------------------------------------------------------------
// 2. Node

function contextOn(client: Client): AppContext {
  return {
    tasks: noTasks,
    runtime: 'node',
    store: new Store(libsqlDatabase(client, { perWrite: FILE_WRITE_PRAGMAS })),
    clock: { now: () => FIXED_NOW },
    log: silentLogger,
    config: loadConfig({ ADMIN_TOKEN }),
    pseudonymSecret: PSEUDONYM_SECRET,
  };
}

interface BenchEnv {
  client: Client;
  ctx: AppContext;
  app: ReturnType<typeof createApp>;
  staffToken: string;
  sessionId: string;
  get(path: string, headers: Record<string, string>): Promise<void>;
  close(): void;
}

/** The app over the cached file, with a staff token granted the consultation and a session made from it. */
async function openBenchContext(path: string): Promise<BenchEnv> {
  const client = createClient({ url: `file:${path}`, timeout: FILE_BUSY_TIMEOUT_MS });
  await tuneLibsqlFile(client);
  const ctx = contextOn(client);
  const consultation = await ctx.store.findConsultation(SLUG);
  if (!consultation) throw new Error(`${path} has no consultation "${SLUG}"; delete it and run again`);
  const { token } = await issueToken(ctx, SYSTEM, { role: 'staff', consultations: [SLUG], label: 'dashboard bench' });
  const session = await signIn(ctx, token);
  const app = createApp(ctx);
  return {
    client,
    ctx,
    app,
    staffToken: token,
    sessionId: session.id,
    async get(p, headers) {
      const res = await app.request(p, { headers });
      if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      await res.text();
    },
    close: () => client.close(),
  };
}

interface Latency extends Percentiles {
  cpuPerRequest: number;
  n: number;
  capped: boolean;
}

async function timeRequests(o: Options, request: () => Promise<void>): Promise<Latency> {
  const cpu: { before: NodeJS.CpuUsage } = { before: process.cpuUsage() };
  const { times, capped } = await timeSeries(request, {
    requests: o.requests,
    warmup: o.warmup,
    budgetMs: o.budgetMs,
    beforeTimed: () => {
      cpu.before = process.cpuUsage();
    },
  });
  const used = process.cpuUsage(cpu.before);
  return { ...percentiles(times), cpuPerRequest: (used.user + used.system) / 1000 / times.length, n: times.length, capped };
}

function latencyRows(name: string, l: Latency, goal: number): Cell[][] {
  return [
    [`${name} p50 / p95 / max${l.capped ? ` [n=${l.n}, time-capped]` : ''}`, `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.max)}`, `p95 ≤ ${goal} ms`, met(l.p95 <= goal)],
    ['  CPU / request (this process)', ms(l.cpuPerRequest), '—', '—'],
  ];
}

async function withHttpServer<T>(app: ReturnType<typeof createApp>, body: (base: string) => Promise<T>): Promise<T> {
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server: s, port: info.port }));
  });
  try {
    return await body(`http://127.0.0.1:${port}`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

interface QueryTiming extends Percentiles {
  name: string;
  rows: number;
  /** The statements the store ran for it, each with its EXPLAIN QUERY PLAN. */
  plans: { sql: string; plan: string[] }[];
}

/** Each dashboard query alone, to see which one dominates, with the plans SQLite chose for it. */
async function timeQueries(env: BenchEnv, cid: string, o: Options): Promise<QueryTiming[]> {
  const seen: { sql: string; args: InValue[] }[] = [];
  const noting = new Store(libsqlDatabase(recordingClient(env.client, seen)));
  const queries: [string, (s: Store) => Promise<unknown[] | Map<string, number>>][] = [
    ['theme_counts (themes API and page: DashboardStore.counts)', (s) => s.dashboard.counts(cid)],
    ['themesOf', (s) => s.themesOf(cid)],
  ];
  const out: QueryTiming[] = [];
  for (const [name, q] of queries) {
    seen.length = 0;
    const first = await q(noting);
    const statements = [...seen];
    const plans: QueryTiming['plans'] = [];
    for (const st of statements) {
      const rs = await env.client.execute({ sql: `explain query plan ${st.sql}`, args: st.args });
      plans.push({ sql: st.sql.replace(/\s+/g, ' ').trim(), plan: rs.rows.map((r) => String(r.detail)) });
    }
    const { times } = await timeSeries(() => q(env.ctx.store), { requests: Math.min(50, o.requests), warmup: 2, budgetMs: o.budgetMs / 2 });
    out.push({ name, ...percentiles(times), rows: first instanceof Map ? first.size : first.length, plans });
  }
  return out;
}

/** The same client, noting each statement it executes. */
function recordingClient(client: Client, seen: { sql: string; args: InValue[] }[]): Client {
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'execute') {
        return (stmt: InStatement | string, args?: InValue[]) => {
          if (typeof stmt === 'string') {
            seen.push({ sql: stmt, args: args ?? [] });
            return target.execute(stmt, args);
          }
          seen.push({ sql: stmt.sql, args: Array.isArray(stmt.args) ? stmt.args : [] });
          return target.execute(stmt);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

// ---------------------------------------------------------------------------------------------------------
// The naive approach, and the check of every counter against it

/** The figures the dashboard shows, keyed `theme|dim|value` → items, and `theme|participants` → distinct participants. */
type Figures = Map<string, number>;

// Human tags win over machine ones: an item's effective themes are its human rows when it has any.
const EFFECTIVE = `
  with eff(item_id, theme) as (
    select x.item_id, x.theme_key from item_themes x
    where x.theme_key <> ''
      and (x.source = 'human' or not exists (select 1 from item_themes h where h.item_id = x.item_id and h.source = 'human'))
  )`;

const NAIVE_QUERIES: [string, string][] = [
  ['totals by status', `select '*' as theme, 'status' as dim, status as value, count(*) as n from items where consultation_id = ?1 group by status`],
  ['distinct participants, all items', `select '*' as theme, 'participants' as dim, '' as value, count(distinct participant) as n from items where consultation_id = ?1`],
  ['all items by context', `select '*' as theme, 'context' as dim, coalesce(context, '') as value, count(*) as n from items where consultation_id = ?1 group by 3`],
  ['all items by channel', `select '*' as theme, 'channel' as dim, channel as value, count(*) as n from items where consultation_id = ?1 group by 3`],
  ['all items by language', `select '*' as theme, 'language' as dim, coalesce(language, '') as value, count(*) as n from items where consultation_id = ?1 group by 3`],
  ['all items by day', `select '*' as theme, 'day' as dim, coalesce(substr(at, 1, 10), '') as value, count(*) as n from items where consultation_id = ?1 group by 3`],
  [
    'items and distinct participants per theme',
    `${EFFECTIVE} select e.theme as theme, 'all' as dim, '' as value, count(*) as n, count(distinct i.participant) as p
     from eff e join items i on i.id = e.item_id where i.consultation_id = ?1 and i.status = 'tagged' group by e.theme`,
  ],
  ...(['context', 'channel', 'language'] as const).map(
    (dim): [string, string] => [
      `per theme by ${dim}`,
      `${EFFECTIVE} select e.theme as theme, '${dim}' as dim, coalesce(i.${dim}, '') as value, count(*) as n
       from eff e join items i on i.id = e.item_id where i.consultation_id = ?1 and i.status = 'tagged' group by 1, 3`,
    ],
  ),
];

async function naiveFigures(client: Client, cid: string, runs: number) {
  let best = Number.POSITIVE_INFINITY;
  let figures: Figures = new Map();
  let perQuery: { name: string; ms: number }[] = [];
  for (let r = 0; r < runs; r++) {
    const f: Figures = new Map();
    const times: { name: string; ms: number }[] = [];
    const t0 = performance.now();
    for (const [name, sql] of NAIVE_QUERIES) {
      const q0 = performance.now();
      const rs = await client.execute({ sql, args: [cid] });
      times.push({ name, ms: performance.now() - q0 });
      for (const row of rs.rows) {
        const theme = String(row.theme);
        const dim = String(row.dim);
        if (dim === 'status') {
          const status = String(row.value);
          if (status !== 'tagged') f.set(`#${status}|all|`, Number(row.n));
          continue;
        }
        if (dim === 'participants') f.set(`${theme}|participants`, Number(row.n));
        else f.set(`${theme}|${dim}|${String(row.value)}`, Number(row.n));
        if (row.p !== undefined) f.set(`${theme}|participants`, Number(row.p));
      }
    }
    const total = performance.now() - t0;
    if (total < best) {
      best = total;
      perQuery = times;
    }
    figures = f;
  }
  return { figures, bestMs: best, runs, perQuery };
}

/** Compares every figure the API and the page show with the recount. */
async function compareWithNaive(env: BenchEnv, naive: Figures): Promise<{ compared: number; mismatches: string[] }> {
  const mismatches: string[] = [];
  let compared = 0;
  const expect = (what: string, got: number, key: string) => {
    compared++;
    const want = naive.get(key) ?? 0;
    if (got !== want) mismatches.push(`${what}: counters say ${got}, recount says ${want}`);
  };
  const staff: Principal = { tokenId: 'bench', role: 'admin', consultations: [] };
  const stats = await getThemeStats(env.ctx, staff, SLUG);
  const totalItems = [...naive].filter(([k]) => k.startsWith('*|channel|')).reduce((s, [, n]) => s + n, 0);
  compared++;
  if (stats.totals.items !== totalItems) mismatches.push(`totals.items: ${stats.totals.items} vs ${totalItems}`);
  expect('totals.participants', stats.totals.participants, '*|participants');
  expect('totals.pending', stats.totals.pending, '#pending|all|');
  expect('totals.undecided', stats.totals.undecided, '#undecided|all|');
  expect('totals.none', stats.totals.none, '#none|all|');
  for (const t of stats.themes) {
    expect(`${t.key} items`, t.items, `${t.key}|all|`);
    expect(`${t.key} participants`, t.participants, `${t.key}|participants`);
    for (const [dim, record] of [['context', t.byContext], ['channel', t.byChannel], ['language', t.byLanguage]] as const) {
      const shown = new Set(Object.keys(record));
      for (const [k, n] of Object.entries(record)) expect(`${t.key} by ${dim} "${k}"`, n, `${t.key}|${dim}|${k}`);
      // A bucket the recount has but the API leaves out is a mismatch too.
      const prefix = `${t.key}|${dim}|`;
      for (const k of naive.keys()) if (k.startsWith(prefix) && !shown.has(k.slice(prefix.length))) expect(`${t.key} by ${dim} (missing)`, 0, k);
    }
  }
  const d = await getDashboard(env.ctx, staff, SLUG);
  for (const [dim, buckets] of [['channel', d.byChannel], ['context', d.byContext], ['language', d.byLanguage], ['day', d.timeline]] as const) {
    for (const b of buckets) expect(`page ${dim} "${b.value}"`, b.items, `*|${dim}|${b.value}`);
    const shown = new Set(buckets.map((b) => b.value));
    const prefix = `*|${dim}|`;
    // The timeline leaves out items without a time on purpose.
    for (const k of naive.keys()) if (k.startsWith(prefix) && !shown.has(k.slice(prefix.length)) && k !== '*|day|') expect(`page ${dim} (missing)`, 0, k);
  }
  for (const t of d.themes) {
    expect(`page ${t.key} items`, t.items, `${t.key}|all|`);
    expect(`page ${t.key} participants`, t.participants, `${t.key}|participants`);
  }
  return { compared, mismatches };
}

// ---------------------------------------------------------------------------------------------------------
// Pure JS: the same requests with every query answered from memory

/**
 * A store whose async methods answer from a record of their first real answer (deep-copied each time, as
 * a driver hands out fresh rows), so timing a request measures only JS: routing, validation, assembly,
 * rendering and serialisation.
 */
function replayStore<T extends object>(real: T, memo = new Map<string, unknown>(), path = ''): T {
  return new Proxy(real, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      const name = `${path}.${String(prop)}`;
      if (typeof value === 'function') {
        return (...args: unknown[]) => {
          const key = `${name}(${JSON.stringify(args)})`;
          if (memo.has(key)) return Promise.resolve(structuredClone(memo.get(key)));
          const result: unknown = value.apply(target, args);
          if (!(result instanceof Promise)) return result;
          return result.then((r: unknown) => {
            memo.set(key, r);
            return structuredClone(r);
          });
        };
      }
      if (value !== null && typeof value === 'object' && typeof prop === 'string' && !prop.startsWith('database')) return replayStore(value, memo, name);
      return value;
    },
  });
}

async function pureJs(env: BenchEnv, n: number) {
  const ctx: AppContext = { ...env.ctx, store: replayStore(env.ctx.store) };
  const app = createApp(ctx);
  const admin: Principal = { tokenId: 'bench', role: 'admin', consultations: [] };
  const cpuOf = async (f: () => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) await f();
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) await f();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000 / n;
  };
  const apiHeaders = { authorization: `Bearer ${env.staffToken}` };
  const pageHeaders = { cookie: `sfp_session=${env.sessionId}` };
  const request = (p: string, headers: Record<string, string>) => async () => {
    const res = await app.request(p, { headers });
    if (res.status !== 200) throw new Error(`replayed GET ${p} answered ${res.status}`);
    await res.text();
  };
  return {
    apiService: await cpuOf(async () => JSON.stringify(await getThemeStats(ctx, admin, SLUG))),
    dashboardService: await cpuOf(() => getDashboard(ctx, admin, SLUG)),
    apiRequest: await cpuOf(request(`/api/consultations/${SLUG}/themes`, apiHeaders)),
    pageRequest: await cpuOf(request(`/c/${SLUG}`, pageHeaders)),
  };
}

// ---------------------------------------------------------------------------------------------------------

function seconds(v: number): string {
  return `${(v / 1000).toFixed(1)} s`;
}

function printMachine(): void {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  console.log(`\nmachine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, load average ${load}, Node ${process.version}, ${os.platform()} ${os.release()}`);
}
