/** Test context: a fresh libSQL file per call, a fixed clock, no logs. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import type { AppContext } from '../src/context';
import { silentLogger } from '../src/context';
import { openLibsqlFile } from '../src/store/libsql-file';
import { Store } from '../src/store/store';
import { inProcessRunner } from '../src/tasks/in-process';

export const ADMIN = 'test-admin-token-0123456789';
export const FIXED_NOW = new Date('2026-11-21T10:00:00.000Z');

export interface TestEnv {
  ctx: AppContext;
  app: ReturnType<typeof createApp>;
  client: Client;
  dbPath: string;
  /** Waits for background tagging queued by uploads to finish. */
  idle(): Promise<void>;
  /** Sends a request with a bearer token (admin by default). */
  request(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
}

export async function testEnv(
  env: Record<string, string> = {},
  extra: Partial<AppContext> = {},
  db: { writeThread?: boolean } = {},
): Promise<TestEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'sfp-test-'));
  const dbPath = join(dir, 'test.db');
  // Opened as the app opens it, write thread included; an idle thread stops soon (hundreds of envs per run).
  const { client, database } = await openLibsqlFile(`file:${dbPath}`, {}, { idleMs: 200, writeThread: db.writeThread });
  await migrate(drizzle(client), { migrationsFolder: join(import.meta.dirname, '../schema/migrations') });
  const tasks = inProcessRunner();
  const ctx: AppContext = {
    tasks,
    runtime: 'node',
    store: new Store(database),
    clock: { now: () => FIXED_NOW },
    log: silentLogger,
    config: loadConfig({ ADMIN_TOKEN: ADMIN, ...env }),
    pseudonymSecret: 'test-pseudonym-secret-0123456789',
    ...extra,
  };
  tasks.attach(ctx);
  const app = createApp(ctx);
  return {
    idle: () => tasks.idle(),
    ctx,
    app,
    client,
    dbPath,
    async request(path, init = {}) {
      const { token = ADMIN, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token !== null) headers.set('authorization', `Bearer ${token}`);
      return app.request(path, { ...rest, headers });
    },
  };
}

/** POSTs JSON and returns status and parsed body. */
export async function postJson(t: TestEnv, path: string, body: unknown, token?: string | null) {
  const res = await t.request(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    token,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A bearer token of `role` for those consultations, issued by the admin: `await issueToken(t, 'staff', [slug])`. */
export async function issueToken(t: TestEnv, role: string, consultations: string[]): Promise<string> {
  const { status, body } = await postJson(t, '/api/tokens', { role, consultations });
  if (status !== 201) throw new Error(`could not issue a ${role} token: ${status} ${JSON.stringify(body)}`);
  return String(body.token);
}

let counter = 0;
/** A consultation of its own for each test: no shared ids between tests. */
export async function newConsultation(t: TestEnv, extra: Record<string, unknown> = {}): Promise<string> {
  counter += 1;
  const slug = `c-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const { status, body } = await postJson(t, '/api/consultations', { slug, title: `Test ${slug}`, ...extra });
  if (status !== 201) throw new Error(`could not create consultation: ${status} ${JSON.stringify(body)}`);
  return slug;
}
