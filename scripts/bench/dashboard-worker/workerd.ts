/**
 * The dashboard inside workerd: builds the Worker (entry.ts around src/worker.ts) with wrangler, runs it in
 * miniflare with a local D1 seeded from the benchmark's libSQL file — consultations, themes, every
 * theme_counts row, and the human-reviewed items with their tags (what the agreement
 * figures read) — then times the themes API and the dashboard page:
 *  - wall time from outside (dispatchFetch; includes D1 and miniflare's loopback: an upper bound),
 *  - time inside the isolate with D1 live, and the part of it D1 calls were in flight,
 *  - time inside the isolate with every D1 answer replayed: the request's own JS time,
 *  - the workerd process's CPU (user + system, /proc) per request, another upper bound.
 * The seeded D1 is kept under bench-out/ by the dataset's cache key.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Client, Row } from '@libsql/client';
import { Miniflare } from 'miniflare';
import { z } from 'zod';
import { type Cell, met } from '../table';
import { type Percentiles, ms, percentiles, timeSeries } from './timing';

export interface WorkerdOptions {
  root: string;
  out: string;
  libsql: Client;
  consultationId: string;
  slug: string;
  cacheKey: string;
  adminToken: string;
  pseudonymSecret: string;
  requests: number;
  warmup: number;
  /** Most time one timed series may take; fewer requests are timed when they are slow. */
  budgetMs: number;
  goalMs: number;
}

const D1_ID = 'bench-dashboard';
const Seeded = z.object({ rows: z.record(z.string(), z.number()), seedMs: z.number() });

export async function runWorkerd(o: WorkerdOptions): Promise<{ rows: Cell[][]; notes: string[] }> {
  const buildDir = join(o.out, 'dashboard-worker-build');
  const t0 = performance.now();
  execFileSync('bash', ['scripts/wrangler.sh', 'deploy', relative(o.root, join(import.meta.dirname, 'entry.ts')), '--dry-run', '--outdir', relative(o.root, buildDir)], {
    cwd: o.root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const buildMs = performance.now() - t0;
  const toml = readFileSync(join(o.root, 'wrangler.toml'), 'utf8');
  const compatibilityDate = /compatibility_date\s*=\s*"([^"]+)"/.exec(toml)?.[1] ?? '2026-04-01';

  const persist = join(o.out, `dashboard-d1-${o.cacheKey}`);
  mkdirSync(persist, { recursive: true });
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(buildDir, 'entry.js'),
    compatibilityDate,
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: { DB: D1_ID },
    d1Persist: persist,
    bindings: { ADMIN_TOKEN: o.adminToken, PSEUDONYM_SECRET: o.pseudonymSecret, MAX_UPLOAD_BYTES: '52428800' },
  });
  try {
    await mf.ready;
    const db = await mf.getD1Database('DB');
    const marker = join(persist, 'seeded.json');
    let seeded = existsSync(marker) ? Seeded.safeParse(JSON.parse(readFileSync(marker, 'utf8'))) : null;
    let seedCached = true;
    if (!seeded?.success) {
      seedCached = false;
      const s0 = performance.now();
      await applyMigrations(db, join(o.root, 'schema/migrations'));
      const rows = await seed(db, o.libsql, o.consultationId);
      writeFileSync(marker, `${JSON.stringify({ rows, seedMs: performance.now() - s0 })}\n`);
      seeded = Seeded.safeParse(JSON.parse(readFileSync(marker, 'utf8')));
    }
    const seedInfo = seeded.success ? seeded.data : { rows: {}, seedMs: 0 };

    // A session for the page, made the way signIn stores it: only the SHA-256 of the cookie's id.
    const sessionId = randomBytes(32).toString('base64url');
    await db
      .prepare('insert into sessions (id_hash, token_id, csrf, created_at, expires_at) values (?, ?, ?, ?, ?)')
      .bind(createHash('sha256').update(sessionId).digest('hex'), 'env-admin', randomBytes(18).toString('base64url'), new Date().toISOString(), '2999-01-01T00:00:00.000Z')
      .run();

    const workerdPid = findWorkerdPid();
    const api = { path: `/api/consultations/${o.slug}/themes`, headers: { authorization: `Bearer ${o.adminToken}` } };
    const page = { path: `/c/${o.slug}`, headers: { cookie: `sfp_session=${sessionId}` } };
    const series = async (target: { path: string; headers: Record<string, string> }, d1: 'live' | 'replay') => {
      const send = async () => {
        const res = await mf.dispatchFetch(`http://bench.local${target.path}`, { headers: { ...target.headers, 'x-bench-d1': d1 } });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`workerd GET ${target.path} answered ${res.status}: ${text.slice(0, 300)}`);
        const num = (h: string) => Number(res.headers.get(h) ?? Number.NaN);
        return { handler: num('x-bench-handler-ms'), d1: num('x-bench-d1-ms'), misses: num('x-bench-replay-misses') };
      };
      if (d1 === 'replay') {
        const res = await mf.dispatchFetch(`http://bench.local${target.path}`, { headers: { ...target.headers, 'x-bench-d1': 'record' } });
        await res.text();
      }
      const cpu: { before: number | null } = { before: null };
      const { times, results, capped } = await timeSeries(send, {
        ...o,
        beforeTimed: () => {
          cpu.before = processCpuMs(workerdPid);
        },
      });
      const cpu0 = cpu.before;
      const cpu1 = processCpuMs(workerdPid);
      const n = results.length;
      const handler = results.map((r) => r.handler);
      const d1Times = results.map((r) => r.d1);
      const misses = results.reduce((sum, r) => sum + r.misses, 0);
      return {
        n,
        capped,
        outside: percentiles(times),
        handler: percentiles(handler),
        d1: percentiles(d1Times),
        jsLive: percentiles(handler.map((h, i) => h - (d1Times[i] ?? 0))),
        misses,
        processCpu: cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / n : null,
      };
    };

    const apiLive = await series(api, 'live');
    const apiReplay = await series(api, 'replay');
    const pageLive = await series(page, 'live');
    const pageReplay = await series(page, 'replay');

    const fmt = (p: Percentiles) => `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.max)}`;
    const n = (s: { n: number; capped: boolean }) => (s.capped ? ` [n=${s.n}, time-capped]` : '');
    const rows: Cell[][] = [];
    for (const [name, live, replay] of [
      ['themes API', apiLive, apiReplay],
      ['dashboard page', pageLive, pageReplay],
    ] as const) {
      rows.push(
        [`workerd ${name}: JS inside the isolate, D1 replayed p50 / p95 / max (mean)${n(replay)}`, `${fmt(replay.handler)} (${ms(replay.handler.mean)})`, `p95 ≤ ${o.goalMs} ms`, met(replay.handler.p95 <= o.goalMs && replay.misses === 0)],
        [`  workerd process CPU / request, D1 replayed (upper bound)`, replay.processCpu === null ? '—' : ms(replay.processCpu), '—', '—'],
        [`  isolate time with D1 live: whole / D1 in flight / rest (p50)${n(live)}`, `${ms(live.handler.p50)} / ${ms(live.d1.p50)} / ${ms(live.jsLive.p50)}`, '—', '—'],
        [`  wall from outside (dispatchFetch), D1 live p50 / p95 / max`, fmt(live.outside), '—', '—'],
        [`  workerd process CPU / request, D1 live (isolate + D1 + loopback)`, live.processCpu === null ? '—' : ms(live.processCpu), '—', '—'],
      );
    }
    const notes = [
      `workerd ${workerdVersion(o.root)} via miniflare, compatibility_date ${compatibilityDate}, nodejs_compat; Worker built by wrangler --dry-run in ${(buildMs / 1000).toFixed(1)} s.`,
      `Local D1 ${seedCached ? 'reused from' : `seeded in ${(seedInfo.seedMs / 1000).toFixed(1)} s into`} ${relative(o.root, persist)}: ${Object.entries(seedInfo.rows)
        .map(([t, c]) => `${t} ${c.toLocaleString('en-US')}`)
        .join(', ')}.`,
      'workerd rows: "JS inside the isolate" is performance.now() around the Worker\'s fetch (body read included) with every D1 answer',
      'replayed from a record of the same request (no I/O); on a developer machine workerd lets that clock run during execution, so it is',
      "the isolate's busy time: JS, GC and the runtime calls it makes, which is what Workers bill as CPU time. It is an estimate,",
      'not a measured cpuTime (tail events locally report cpuTime 0). workerd rounds that clock to whole milliseconds, so p50/p95 are',
      'coarse; the mean of many requests is not. "D1 in flight" is the union of time with a D1 call pending; the "rest" beside it',
      'undercounts JS when queries overlap (Promise.all), as JS that runs while another query is pending is counted as D1 time.',
      ...(apiReplay.misses + pageReplay.misses > 0 ? [`WARNING: ${apiReplay.misses + pageReplay.misses} D1 calls had no recorded answer and ran live during replay.`] : []),
    ];
    return { rows, notes };
  } finally {
    await mf.dispose();
  }
}

async function applyMigrations(db: D1Database, dir: string): Promise<void> {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    const statements = readFileSync(join(dir, file), 'utf8')
      .split('--> statement-breakpoint')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    await db.batch(statements.map((s) => db.prepare(s)));
  }
}

/**
 * Copies the rows the dashboard reads from the libSQL file into D1, as literal multi-row INSERTs of at
 * most ~90 kB (D1's statement limit is 100 kB), in batches. Parents first: D1 enforces foreign keys.
 */
async function seed(db: D1Database, libsql: Client, cid: string): Promise<Record<string, number>> {
  const reviewed = `select distinct item_id from item_themes where source = 'human'`;
  const tables: [string, string][] = [
    ['consultations', 'select * from consultations where id = ?'],
    ['themes', 'select * from themes where consultation_id = ?'],
    ['uploads', 'select * from uploads where consultation_id = ?'],
    ['items', `select * from items where consultation_id = ? and id in (${reviewed})`],
    ['item_themes', `select x.* from item_themes x join items i on i.id = x.item_id where i.consultation_id = ? and x.item_id in (${reviewed})`],
    // theme_counts carries the distinct-participant counters too (dim 'participants'); theme_participants
    // is not read by the dashboard, and inserting it here would fire the triggers that count it twice.
    ['theme_counts', 'select * from theme_counts where consultation_id = ?'],
  ];
  const counts: Record<string, number> = {};
  for (const [table, sql] of tables) {
    const rs = await libsql.execute({ sql, args: [cid] });
    const columns = rs.columns;
    const head = `insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')}) values `;
    const statements: string[] = [];
    let values: string[] = [];
    let size = head.length;
    for (const row of rs.rows) {
      const v = `(${columns.map((c) => literal(row, c)).join(', ')})`;
      if (size + v.length + 2 > 90_000 && values.length > 0) {
        statements.push(head + values.join(', '));
        values = [];
        size = head.length;
      }
      values.push(v);
      size += v.length + 2;
    }
    if (values.length > 0) statements.push(head + values.join(', '));
    for (let i = 0; i < statements.length; i += 25) await db.batch(statements.slice(i, i + 25).map((s) => db.prepare(s)));
    counts[table] = rs.rows.length;
  }
  return counts;
}

function literal(row: Row, column: string): string {
  const v = row[column];
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  throw new Error(`cannot copy a ${typeof v} value of column ${column} into D1`);
}

/** The workerd child miniflare started (Linux /proc), or null when it cannot be found. */
function findWorkerdPid(): number | null {
  if (!existsSync('/proc')) return null;
  const mine = String(process.pid);
  const queue = [mine];
  const seen = new Set<string>();
  // workerd may sit one level below a shell or helper; walk our process tree.
  while (queue.length > 0) {
    const parent = queue.shift() ?? '';
    if (seen.has(parent)) continue;
    seen.add(parent);
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      const stat = readStat(pid);
      if (!stat || stat.ppid !== parent) continue;
      if (stat.comm.includes('workerd')) return Number(pid);
      queue.push(pid);
    }
  }
  return null;
}

function readStat(pid: string | number): { comm: string; ppid: string; cpuTicks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // Fields after the name: state ppid … utime (12th) stime (13th), in clock ticks.
    return { comm, ppid: fields[1] ?? '', cpuTicks: Number(fields[11] ?? 0) + Number(fields[12] ?? 0) };
  } catch {
    // The process may have exited between listing /proc and reading it.
    return null;
  }
}

function processCpuMs(pid: number | null): number | null {
  if (pid === null) return null;
  const s = readStat(pid);
  // Linux reports CPU time in USER_HZ ticks, 100 per second on every mainstream distribution.
  return s ? s.cpuTicks * 10 : null;
}

function workerdVersion(root: string): string {
  const v = z.object({ version: z.string() }).safeParse(JSON.parse(readFileSync(join(root, 'node_modules/workerd/package.json'), 'utf8')));
  return v.success ? v.data.version : '?';
}
