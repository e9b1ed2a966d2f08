/**
 * Large writes to an embedded libSQL file on a second thread (Node only; never imported by the Worker entry).
 *
 * Why a thread: an upload's rows cost about as much to write (SQLite's B-tree work, which is synchronous in
 * the driver) as to prepare (parse, redact, detect languages). On the main thread the two add up; with the
 * writes on a thread of their own, chunk n is written while chunk n+1 is being prepared. The thread owns one
 * connection and reuses one prepared statement per SQL text: preparing a fresh multi-row statement per chunk,
 * as `client.batch` does, cost 200 MB of native memory on a 100k-message upload; reusing one costs ~20 MB.
 *
 * The thread runs plain JavaScript from a string and loads the same `libsql` driver @libsql/client uses on
 * Node, resolved from here. It also makes the items' keys, their content hashes (InsertNew.hashKey): that
 * was a fifth of the main thread's work on an upload, and the writer had time to spare. It keys them with
 * hash-key.ts, the client session's own code, read through tsx's require hook (tsx runs the app on Node,
 * `npm start`).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { InsertNew, SqlValue, WriteSession } from './db';
import { Turns } from './turns';

const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// The keying module (hash-key.ts, and the content hash it uses) is TypeScript: tsx's require hook reads it,
// as it reads the app (~50 ms). A thread started ahead of an upload loads it at once, while the upload's
// first pass runs; others when a write first needs it. A failure fails the writes that need it, with the
// reason, and spares the others.
let keyRowsInPlace = null;
let keyingFailure = null;
function loadKeying() {
  if (keyRowsInPlace !== null || keyingFailure !== null) return;
  try {
    require(workerData.tsx).register();
    const f = require(workerData.keying).keyRowsInPlace;
    if (typeof f !== 'function') throw new Error('it exports no keyRowsInPlace function');
    keyRowsInPlace = f;
  } catch (e) {
    keyingFailure = 'cannot load ' + workerData.keying + ': ' + String(e && e.message ? e.message : e);
  }
}
if (workerData.preload) loadKeying();
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.timeout });
for (const sql of workerData.pragmas) db.exec(sql);
const statements = new Map();
function prepared(sql) {
  let s = statements.get(sql);
  if (s === undefined) {
    s = db.prepare(sql);
    statements.set(sql, s);
  }
  return s;
}
// After a failure every later operation of the same transaction fails too, until it is rolled back: the
// main thread sends without waiting, so operations queued behind a failed one must not run on their own.
let failure = null;
function run(m) {
  switch (m.op) {
    case 'begin':
      failure = null;
      // Only an abandoned session could leave one open; its work must not be committed by the next.
      if (db.inTransaction) db.exec('rollback');
      for (const sql of workerData.beforeWrite) db.exec(sql);
      db.exec('begin immediate');
      return null;
    case 'run':
      for (const s of m.statements) prepared(s.sql).run(s.args);
      return null;
    case 'insertNew':
      return insertNew(m.spec, m.rows);
    case 'commit':
      db.exec('commit');
      return null;
    case 'rollback':
      failure = null;
      if (db.inTransaction) db.exec('rollback');
      return null;
    case 'close':
      db.close();
      return null;
  }
  throw new Error('unknown writer operation ' + m.op);
}
// Rows go in a few dozen at a time: one driver call (and one AUTOINCREMENT bookkeeping update) per group
// instead of per row, each insert skipping keys already there. When every row of a group went in (a new
// upload's usual case) that is all. When some did not, the rows that did are the ones the statement gave a
// rowid above the table's largest before it (rowids only grow, and this transaction is the only writer):
// they are read back by rowid. Undoing a short group to a savepoint instead, as before, cost every group a
// savepoint, and SQLite copies each page a group touches into the savepoint's journal (~7 % of the writes).
const GROUP = 48;
function insertNew(spec, rows) {
  if (spec.hashKey) {
    // The rows are this thread's own copy: keyed in place.
    loadKeying();
    if (keyRowsInPlace === null) throw new Error(keyingFailure);
    keyRowsInPlace(spec, rows);
  }
  const sharedColumns = Object.keys(spec.shared);
  const sharedValues = sharedColumns.map((c) => spec.shared[c]);
  const columns = sharedColumns.concat(spec.columns);
  // The shared values are bound once per statement, as ?1, ?2…, which every row refers to; a plain ? after
  // them takes the next number, so a statement's args are the shared values, then each row's. Binding them
  // in every row instead (576 values for 48 rows of 12) cost the thread about a third more time: each value
  // is converted and copied on its way into SQLite.
  const shape = '(' + sharedColumns.map((_, i) => '?' + (i + 1)).concat(spec.columns.map(() => '?')).join(', ') + ')';
  const keyAt = spec.columns.indexOf(spec.key);
  if (keyAt < 0 || !(spec.scope in spec.shared)) throw new Error('insertNew: key must be a row column and scope a shared one');
  const insertSql = (n) =>
    'insert into ' + spec.table + ' (' + columns.join(', ') + ') values ' + Array(n).fill(shape).join(', ') + ' on conflict (' + spec.scope + ', ' + spec.key + ') do nothing';
  const insertedSince = prepared('select ' + spec.key + ', rowid from ' + spec.table + ' where rowid > ? order by rowid').raw(true);
  let last = prepared('select coalesce(max(rowid), 0) as m from ' + spec.table).get().m;
  const changes = new Uint8Array(rows.length);
  for (let start = 0; start < rows.length; start += GROUP) {
    const group = rows.slice(start, start + GROUP);
    const args = sharedValues.slice();
    for (const row of group) for (const v of row) args.push(v);
    const info = prepared(insertSql(group.length)).run(args);
    if (info.changes === group.length) {
      changes.fill(1, start, start + group.length);
      last = info.lastInsertRowid;
    } else if (info.changes > 0) {
      const fresh = new Set();
      for (const [key, rowid] of insertedSince.all([last])) {
        fresh.add(key);
        last = rowid;
      }
      // A key repeated in the group went in with its first row only.
      group.forEach((row, i) => {
        if (fresh.delete(row[keyAt])) changes[start + i] = 1;
      });
    }
  }
  return changes;
}

parentPort.on('message', (m) => {
  if (failure !== null && m.op !== 'rollback' && m.op !== 'close') {
    parentPort.postMessage({ id: m.id, error: failure });
    return;
  }
  try {
    const result = run(m);
    parentPort.postMessage({ id: m.id, result }, result instanceof Uint8Array ? [result.buffer] : []);
  } catch (e) {
    failure = { message: String(e && e.message ? e.message : e), code: e && e.code ? String(e.code) : undefined };
    parentPort.postMessage({ id: m.id, error: failure });
  }
  if (m.op === 'close') process.exit(0);
});
`;

export interface FileWriterOptions {
  /** Path of the database file (not a URL). */
  path: string;
  /** Busy timeout in ms: how long a write waits for another connection's transaction. */
  timeout: number;
  /** Connection settings, run once when the connection opens. */
  pragmas: string[];
  /** Run before each transaction, outside it (settings SQLite refuses inside one). */
  beforeWrite: string[];
  /** The thread stops after this long without a session (default a minute); the next session starts it again. */
  idleMs?: number;
  /** Path of the module whose `keyRowsInPlace` keys rows (InsertNew.hashKey); src/store/hash-key.ts unless set (tests). */
  keyingModule?: string;
}

type Op =
  | { op: 'begin' | 'commit' | 'rollback' | 'close' }
  | { op: 'run'; statements: { sql: string; args: SqlValue[] }[] }
  | { op: 'insertNew'; spec: InsertNew; rows: SqlValue[][] };

interface Reply {
  id: number;
  result?: Uint8Array | null;
  error?: { message: string; code?: string };
}

/** The error a failed write reports, shaped like the driver's so callers can read `code` and the message. */
export class WriterError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'WriterError';
  }
}

/**
 * The write thread of one database file. Sessions (write transactions) take turns: the next one begins
 * when the one before has committed or rolled back.
 */
export class FileWriter {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { worker: Worker; resolve: (r: Uint8Array | null) => void; reject: (e: Error) => void }>();
  private readonly turns = new Turns();
  private sessions = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: FileWriterOptions) {}

  /** Begins a write transaction on the thread, once any earlier session has ended. */
  async session(): Promise<WriteSession> {
    this.sessions++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const release = await this.turns.take();
    // A session stays on the thread it began on; a thread that stops fails only its own sessions.
    const worker = this.thread();
    const send = (op: Op) => this.send(op, worker);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      release();
      if (--this.sessions === 0) this.stopWhenIdle();
    };
    try {
      await send({ op: 'begin' });
    } catch (err) {
      end();
      throw err;
    }
    return {
      run: async (statements) => {
        if (statements.length > 0) await send({ op: 'run', statements });
      },
      insertNew: async (spec, rows) => (rows.length === 0 ? new Uint8Array(0) : ((await send({ op: 'insertNew', spec, rows })) ?? new Uint8Array(0))),
      commit: async () => {
        try {
          await send({ op: 'commit' });
        } catch (err) {
          await send({ op: 'rollback' }).catch(() => {});
          throw err;
        } finally {
          end();
        }
      },
      rollback: async () => {
        try {
          await send({ op: 'rollback' });
        } finally {
          end();
        }
      },
    };
  }

  /**
   * Waits until no session is open and holds new ones off until the returned function is called: for
   * writes on the file's other connections, which must not meet a session's lock (see gateWrites).
   */
  takeTurn(): Promise<() => void> {
    return this.turns.take();
  }

  /** Whether the thread is running (it stops when idle). */
  get running(): boolean {
    return this.worker !== null;
  }

  /**
   * Starts the thread now, when none is running, so that a session about to be asked for does not wait for
   * it (an upload calls this before it parses). Unused, it stops after the idle time like any other.
   */
  warm(): void {
    if (this.worker) return;
    this.thread(true);
    if (this.sessions === 0 && !this.idleTimer) this.stopWhenIdle();
  }

  private stopWhenIdle(): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.sessions === 0) void this.close();
    }, this.options.idleMs ?? 60_000);
    this.idleTimer.unref();
  }

  /** Stops the thread (its connection closes); a later session starts a new one. */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    await this.turns.settled();
    const worker = this.worker;
    if (!worker || this.sessions > 0) return;
    // Forget it first: a session that starts while this one closes gets a new thread.
    this.worker = null;
    await this.send({ op: 'close' }, worker).catch(() => {});
  }

  private send(op: Op, worker: Worker): Promise<Uint8Array | null> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { worker, resolve, reject });
      worker.ref();
      worker.postMessage({ ...op, id });
    });
  }

  /** The running thread, or a new one; `preload`: it loads what an upload's writes need before any comes. */
  private thread(preload = false): Worker {
    if (this.worker) return this.worker;
    const require = createRequire(import.meta.url);
    const worker = new Worker(WRITER_SOURCE, {
      eval: true,
      workerData: {
        ...this.options,
        preload,
        driver: require.resolve('libsql'),
        tsx: require.resolve('tsx/cjs/api'),
        keying: this.options.keyingModule ?? fileURLToPath(new URL('./hash-key.ts', import.meta.url)),
      },
    });
    // An idle writer must not keep the process alive (tests, CLI scripts); a write in flight does.
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if (![...this.waiting.values()].some((x) => x.worker === worker)) worker.unref();
      if (reply.error) w.reject(new WriterError(reply.error.message, reply.error.code));
      else w.resolve(reply.result ?? null);
    });
    const fail = (err: Error) => {
      for (const [id, w] of this.waiting) {
        if (w.worker !== worker) continue;
        this.waiting.delete(id);
        w.reject(err);
      }
      if (this.worker === worker) this.worker = null;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the database write thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
