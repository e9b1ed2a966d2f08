/**
 * Ballot benchmark: `npm run bench -- ballots [--connections=200] [--duration=10] [--codes=10000] [--warmup=2]`.
 *
 * Starts the Node server in a child process on a fresh libSQL file (127.0.0.1, a free port), creates a
 * five-option multiple-choice poll and its voter codes, then lets autocannon play `connections` voters
 * at once for `duration` seconds. Each connection owns its own slice of the codes and cycles through
 * it, so once it has used every code it starts replacing its own ballots. Every accepted ballot (201 or
 * 200) is remembered per code; at the end the poll's results must equal the last accepted ballot of
 * every code, option by option.
 *
 * The server runs apart from the load generator, so the two do not share one event loop; on a machine
 * with few cores they still share the CPU, which the table's machine line says.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { z } from 'zod';
import { met, printTable } from './table';

const ROOT = join(import.meta.dirname, '../..');
const ADMIN_TOKEN = `bench-admin-${crypto.randomUUID()}`;
const OPTIONS = ['Offline reading', 'Small grants', 'Translation sprints', 'Mentoring', 'Events'];
const GOAL_BALLOTS_PER_SECOND = 2_000;

interface Options {
  connections: number;
  duration: number;
  codes: number;
  warmup: number;
  child?: 'server';
  db?: string;
}

function parseOptions(args: string[]): Options {
  const o: Options = { connections: 200, duration: 10, codes: 10_000, warmup: 2 };
  for (const a of args) {
    const [k, v = ''] = a.replace(/^--/, '').split('=', 2);
    if (k === 'connections') o.connections = whole(k, v, 1);
    else if (k === 'duration') o.duration = whole(k, v, 1);
    else if (k === 'codes') o.codes = whole(k, v, 1);
    else if (k === 'warmup') o.warmup = whole(k, v, 0);
    else if (k === 'child' && v === 'server') o.child = v;
    else if (k === 'db') o.db = v;
    else throw new Error(`unknown option ${a}; options: --connections=N --duration=SECONDS --codes=N --warmup=SECONDS`);
  }
  if (o.codes < o.connections) throw new Error(`--codes (${o.codes}) must be at least --connections (${o.connections}): each voter needs a code of its own`);
  return o;
}

function whole(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} needs a whole number ≥ ${min}, got "${v}"`);
  return n;
}

export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args);
  if (o.child === 'server') return serveChild(o.db);

  const dir = mkdtempSync(join(os.tmpdir(), 'sfp-bench-ballots-'));
  const db = join(dir, 'bench.db');
  const { child, base } = await startServer(db);
  try {
    const api = client(base);
    const slug = `bench-${Date.now().toString(36)}`;
    await api.post('/api/consultations', { slug, title: 'Ballot benchmark' }, 201);

    if (o.warmup > 0) {
      const warm = await newPoll(api, slug, Math.min(o.codes, 2_000));
      await load(base, warm.id, warm.codes, o.connections, o.warmup);
    }

    const poll = await newPoll(api, slug, o.codes);
    console.log(`\npoll ${poll.id}: ${OPTIONS.length} options, multiple choice, ${poll.codes.length.toLocaleString('en-US')} voter codes`);
    console.log(`load: ${o.connections} voters at once for ${o.duration} s (autocannon ${autocannonVersion()}), server in a child process on ${db}`);
    const cpuBefore = await serverCpuMs(child);
    const outcome = await load(base, poll.id, poll.codes, o.connections, o.duration);
    const cpuMs = (await serverCpuMs(child)) - cpuBefore;

    const results = Results.parse(await api.get(`/api/polls/${poll.id}/results`));
    const expected = OPTIONS.map(() => 0);
    for (const choices of outcome.finals.values()) for (const c of choices) expected[c] = (expected[c] ?? 0) + 1;
    const votesMatch = results.options.every((opt, i) => opt.votes === expected[i]);
    const participantsMatch = results.participants === outcome.finals.size;
    const accepted = outcome.first + outcome.replaced;
    const perSecond = accepted / outcome.seconds;
    const r = outcome.result;

    printMachine();
    printTable(
      `Ballots: ${o.connections} concurrent voters, ${o.duration} s, libSQL file`,
      ['measure', 'value', 'goal', 'met?'],
      [
        ['ballots accepted / s', Math.round(perSecond), `≥ ${GOAL_BALLOTS_PER_SECOND.toLocaleString('en-US')}`, met(perSecond >= GOAL_BALLOTS_PER_SECOND)],
        ['ballots accepted', accepted, '—', '—'],
        ['server CPU per ballot', `${((cpuMs * 1000) / accepted).toFixed(0)} µs`, '—', '—'],
        ['ballots per server CPU-second (one busy core)', Math.round((accepted * 1000) / cpuMs), `≥ ${GOAL_BALLOTS_PER_SECOND.toLocaleString('en-US')}`, met((accepted * 1000) / cpuMs >= GOAL_BALLOTS_PER_SECOND)],
        ['  first ballots (201)', outcome.first, '—', '—'],
        ['  replaced ballots (200)', outcome.replaced, '—', '—'],
        ['latency p50', `${r.latency.p50} ms`, '—', '—'],
        ['latency p99', `${r.latency.p99} ms`, '—', '—'],
        ['latency max', `${r.latency.max} ms`, '—', '—'],
        ['errors (refused, 5xx, socket, timeouts)', outcome.refused + r.errors + r.timeouts, '0', met(outcome.refused + r.errors + r.timeouts === 0)],
        ['voters (codes) used', outcome.finals.size, '—', '—'],
        ['unanswered at the stop, sent again', outcome.resent, '—', '—'],
        ['connections that voted', outcome.slots, String(o.connections), met(outcome.slots === o.connections)],
        ['participants = voters with an accepted ballot', `${results.participants} = ${outcome.finals.size}`, 'equal', met(participantsMatch)],
        ['votes per option = last accepted ballots', `${results.options.map((x) => x.votes).join('/')} vs ${expected.join('/')}`, 'equal', met(votesMatch)],
      ],
      [
        'Each connection cycles through its own codes; after its first pass every ballot replaces an earlier one of that code.',
        'Expected votes are counted from the last accepted ballot of each code, as the load generator saw them; ballots',
        'still on the wire when time ran out are sent again (same code, same choices) so their outcome is known.',
      ],
    );
    if (!votesMatch || !participantsMatch) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

const Results = z.object({
  participants: z.number(),
  options: z.array(z.object({ label: z.string(), votes: z.number(), percent: z.number().nullable() })),
});

interface Outcome {
  result: autocannon.Result;
  seconds: number;
  first: number;
  replaced: number;
  refused: number;
  slots: number;
  /** Ballots still unanswered when the run stopped, sent again to settle them (not counted in the rate). */
  resent: number;
  /** The last accepted choices of every code that voted. */
  finals: Map<string, number[]>;
}

/** The ballot of a code's n-th use: one to three options, changing from use to use. */
function choicesFor(codeIndex: number, use: number): number[] {
  const first = (codeIndex * 7 + use * 3) % OPTIONS.length;
  const count = 1 + ((codeIndex + use) % 3);
  return [...new Set(Array.from({ length: count }, (_, k) => (first + k * 2) % OPTIONS.length))].sort((a, b) => a - b);
}

interface ClientState {
  slot: number;
  turn: number;
}

interface InFlight {
  code: string;
  choices: number[];
}

/**
 * autocannon deep-clones each request per connection, so the empty `connection` object in the request is
 * one connection's own: its identity keys that connection's state.
 */
function connectionOf(req: object): object {
  const token: unknown = 'connection' in req ? req.connection : undefined;
  if (typeof token !== 'object' || token === null) throw new Error('a request without its connection token');
  return token;
}

async function load(base: string, pollId: string, codes: string[], connections: number, duration: number): Promise<Outcome> {
  const perSlot = Math.floor(codes.length / connections);
  let slots = 0;
  const states = new WeakMap<object, ClientState>();
  const inFlight = new WeakMap<object, InFlight>();
  /** Ballots sent and not answered, in sending order: when the run stops (or one times out) they may or may not be stored. */
  const unanswered = new Set<InFlight>();
  const finals = new Map<string, number[]>();
  let first = 0;
  let replaced = 0;
  let refused = 0;
  const started = performance.now();
  const result = await autocannon({
    url: base,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        path: `/api/polls/${pollId}/ballots`,
        headers: { 'content-type': 'application/json' },
        // @ts-expect-error — our own per-connection field, carried along by autocannon's deep clone.
        connection: {},
        setupRequest(req: autocannon.Request, context: object): autocannon.Request {
          const token = connectionOf(req);
          let state = states.get(token);
          if (!state) {
            state = { slot: slots++, turn: 0 };
            states.set(token, state);
          }
          const index = state.slot + connections * (state.turn % perSlot);
          const use = Math.floor(state.turn / perSlot);
          state.turn++;
          const code = codes[index] ?? '';
          const choices = choicesFor(index, use);
          const sent = { code, choices };
          inFlight.set(context, sent);
          unanswered.add(sent);
          return { ...req, body: JSON.stringify({ voter: code, choices }) };
        },
        onResponse(status: number, _body: string, context: object) {
          const sent = inFlight.get(context);
          if (!sent) return;
          unanswered.delete(sent);
          if (status === 201) first++;
          else if (status === 200) replaced++;
          else {
            refused++;
            return;
          }
          finals.set(sent.code, sent.choices);
        },
      },
    ],
  });
  const seconds = (performance.now() - started) / 1000;
  // autocannon drops the connections still waiting when time is up (and gives up on a request after its
  // timeout); the server may have stored those ballots or not. Once the server is quiet, sending each again,
  // in the order first sent, settles it: its choices become that code's last ballot either way.
  await quiet(base, pollId);
  const resend = [...unanswered];
  for (const sent of resend) {
    const res = await fetch(`${base}/api/polls/${pollId}/ballots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ voter: sent.code, choices: sent.choices }) });
    if (res.status === 200 || res.status === 201) finals.set(sent.code, sent.choices);
    else refused++;
  }
  return { result, seconds, first, replaced, refused, slots, finals, resent: resend.length };
}

/** Waits until the poll's tallies stop moving: requests cut off by the load generator are done. */
async function quiet(base: string, pollId: string): Promise<void> {
  let last = '';
  for (let i = 0; i < 50; i++) {
    const body = Results.parse(await (await fetch(`${base}/api/polls/${pollId}/results`)).json());
    const now = `${body.participants}:${body.options.map((o) => o.votes).join('/')}`;
    if (now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function newPoll(api: Api, slug: string, codes: number): Promise<{ id: string; codes: string[] }> {
  const created = z
    .object({ poll: z.object({ id: z.string() }) })
    .parse(await api.post(`/api/consultations/${slug}/polls`, { question: 'Which should come first?', options: OPTIONS, multiple: true }, 201));
  const all: string[] = [];
  for (let left = codes; left > 0; left -= 10_000) {
    const issued = z.object({ codes: z.array(z.string()) }).parse(await api.post(`/api/polls/${created.poll.id}/voters`, { count: Math.min(left, 10_000) }, 201));
    all.push(...issued.codes);
  }
  return { id: created.poll.id, codes: all };
}

interface Api {
  get(path: string): Promise<unknown>;
  post(path: string, body: unknown, status: number): Promise<unknown>;
}

function client(base: string): Api {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const check = async (res: Response, status: number, what: string): Promise<unknown> => {
    const body: unknown = await res.json();
    if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    get: async (path) => check(await fetch(base + path, { headers }), 200, `GET ${path}`),
    post: async (path, body, status) => check(await fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) }), status, `POST ${path}`),
  };
}

const CpuReply = z.object({ cpu: z.object({ user: z.number(), system: z.number() }) });

/** The server's CPU time so far, in milliseconds. */
function serverCpuMs(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      const reply = CpuReply.safeParse(m);
      if (!reply.success) return;
      child.off('message', onMessage);
      resolve((reply.data.cpu.user + reply.data.cpu.system) / 1000);
    };
    child.on('message', onMessage);
    if (!child.send('cpu')) reject(new Error('the server child has no IPC channel'));
  });
}

/** Spawns this script as the server and waits for the port it listens on. */
function startServer(db: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/bench/index.ts'), 'ballots', '--child=server', `--db=${db}`], {
    cwd: ROOT,
    env: { ...process.env, ADMIN_TOKEN, DATABASE_URL: `file:${db}`, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, base: `http://127.0.0.1:${m[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening: ${out}`)));
  });
}

/** The child: the production Node context (migrations, WAL file, in-process tasks) without logs, on a free port. */
async function serveChild(db: string | undefined): Promise<void> {
  if (!db) throw new Error('--db is required for the server child');
  const [{ serve }, { openNodeContext }, { createApp }, { silentLogger }] = await Promise.all([
    import('@hono/node-server'),
    import('../../src/node'),
    import('../../src/app'),
    import('../../src/context'),
  ]);
  const ctx = await openNodeContext({ ...process.env, DATABASE_URL: `file:${db}` }, { log: silentLogger });
  const app = createApp(ctx);
  // The parent asks for this process's CPU time around the run: on a shared machine wall time says little.
  process.on('message', (m) => {
    if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  });
  await new Promise<void>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`PORT ${info.port}`));
    process.on('SIGTERM', () => server.close(() => resolve()));
  });
}

function autocannonVersion(): string {
  const pkg = z.object({ version: z.string() }).safeParse(JSON.parse(readFileSync(join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')));
  return pkg.success ? pkg.data.version : '?';
}

function printMachine(): void {
  const cpus = os.cpus();
  const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`\nmachine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, load average ${load}, Node ${process.version}, ${os.platform()} ${os.release()}`);
}
