/**
 * Worker entry for the dashboard benchmark: the app's own Worker (src/worker.ts), with a stopwatch around
 * each request and a D1 binding that can record its answers and play them back.
 *
 * Header `x-bench-d1`: `live` (default) runs every query on D1; `record` does too and keeps each answer;
 * `replay` answers each query already seen from that record, without I/O, so the request's time inside the
 * isolate is its JS time (workerd on a developer machine lets performance.now() advance during execution).
 * The response carries `x-bench-handler-ms` (fetch handler, body read included), `x-bench-d1-ms` (time with
 * at least one D1 call in flight) and `x-bench-d1-calls` / `x-bench-replay-misses`.
 */
import app, { type Env } from '../../../src/worker';

type Mode = 'live' | 'record' | 'replay';

const recorded = new Map<string, unknown>();
let mode: Mode = 'live';
let inFlight = 0;
let busySince = 0;
let d1Ms = 0;
let d1Calls = 0;
let misses = 0;

/** Runs a D1 call, answering from the record in replay mode and timing the I/O otherwise. */
function call<T>(key: string, live: () => Promise<T>): Promise<T> {
  d1Calls++;
  if (mode === 'replay' && recorded.has(key)) return Promise.resolve(structuredClone(recorded.get(key)) as T);
  if (mode === 'replay') misses++;
  if (inFlight++ === 0) busySince = performance.now();
  return live().then(
    (result) => {
      settle();
      if (mode === 'record') recorded.set(key, structuredClone(result));
      return result;
    },
    (err: unknown) => {
      settle();
      throw err;
    },
  );
}

function settle(): void {
  if (--inFlight === 0) d1Ms += performance.now() - busySince;
}

// Proxies hand every method the real object as `this`: the binding's classes may keep private fields.
const realOf = new WeakMap<object, D1PreparedStatement>();

function wrapStatement(real: D1PreparedStatement, sql: string, args: unknown[]): D1PreparedStatement {
  const key = (method: string) => `${method}\u0000${sql}\u0000${JSON.stringify(args)}`;
  const proxy = new Proxy(real, {
    get(target, prop) {
      if (prop === 'bind') return (...values: unknown[]) => wrapStatement(target.bind(...values), sql, values);
      if (prop === 'all') return () => call(key('all'), () => target.all());
      if (prop === 'run') return () => call(key('run'), () => target.run());
      if (prop === 'raw') return (opts?: { columnNames?: false }) => call(key(`raw${JSON.stringify(opts ?? null)}`), () => target.raw(opts));
      if (prop === 'first') return (column?: string) => call(key(`first${column ?? ''}`), () => (column === undefined ? target.first() : target.first(column)));
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  realOf.set(proxy, real);
  return proxy;
}

function wrapD1(real: D1Database): D1Database {
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => wrapStatement(target.prepare(sql), sql, []);
      if (prop === 'batch') {
        return (statements: D1PreparedStatement[]) =>
          call(`batch\u0000${Math.random()}`, () => target.batch(statements.map((s) => realOf.get(s) ?? s)));
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

// One wrapped env per real one: the app caches its context per env object.
const wrapped = new WeakMap<Env, Env>();
function wrapEnv(env: Env): Env {
  let w = wrapped.get(env);
  if (!w) {
    w = env.DB ? { ...env, DB: wrapD1(env.DB) } : env;
    wrapped.set(env, w);
  }
  return w;
}

function modeOf(header: string | null): Mode {
  return header === 'record' || header === 'replay' ? header : 'live';
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    mode = modeOf(request.headers.get('x-bench-d1'));
    d1Ms = 0;
    d1Calls = 0;
    misses = 0;
    const t0 = performance.now();
    const res = await app.fetch(request, wrapEnv(env), ctx);
    const body = await res.arrayBuffer();
    const handlerMs = performance.now() - t0;
    const headers = new Headers(res.headers);
    headers.set('x-bench-handler-ms', handlerMs.toFixed(3));
    headers.set('x-bench-d1-ms', d1Ms.toFixed(3));
    headers.set('x-bench-d1-calls', String(d1Calls));
    headers.set('x-bench-replay-misses', String(misses));
    return new Response(body, { status: res.status, headers });
  },
} satisfies ExportedHandler<Env>;
