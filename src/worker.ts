/**
 * Workers entry: the same app over D1 (binding `DB`) or libSQL over HTTP (`DATABASE_URL` = libsql://…).
 * The context is built once per isolate. Migrations are applied with `wrangler d1 migrations apply`
 * (D1) or `drizzle-kit migrate` (Turso); see README.
 */
import { createClient } from '@libsql/client/web';
import { createApp } from './app';
import { loadConfig } from './config';
import { type AppContext, jsonLogger, systemClock } from './context';
import { resolvePseudonymSecret } from './services/setup';
import { d1Database } from './store/d1';
import type { Database } from './store/db';
import { libsqlDatabase } from './store/libsql';
import { Store } from './store/store';

export interface Env {
  DB?: D1Database;
  DATABASE_URL?: string;
  DATABASE_AUTH_TOKEN?: string;
  ADMIN_TOKEN?: string;
  PSEUDONYM_SECRET?: string;
  MAX_UPLOAD_BYTES?: string;
  LLM_BASE_URL?: string;
  LLM_API_KEY?: string;
  LLM_MODEL?: string;
}

let cached: { env: Env; app: Promise<ReturnType<typeof createApp>> } | null = null;

function openDatabase(env: Env): Database {
  if (env.DATABASE_URL?.startsWith('libsql://') || env.DATABASE_URL?.startsWith('https://')) {
    return libsqlDatabase(createClient({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN }));
  }
  if (env.DB) return d1Database(env.DB);
  throw new Error('no database: bind a D1 database as DB, or set DATABASE_URL to a libsql:// URL');
}

export async function buildWorkerContext(env: Env): Promise<AppContext> {
  const config = loadConfig({ ...env });
  const store = new Store(openDatabase(env));
  return { store, clock: systemClock, log: jsonLogger(), config, pseudonymSecret: await resolvePseudonymSecret(store, config) };
}

function appFor(env: Env) {
  if (!cached || cached.env !== env) {
    const app = buildWorkerContext(env).then(createApp);
    // A failed start (e.g. a missing binding) must not stick to the isolate.
    app.catch(() => {
      cached = null;
    });
    cached = { env, app };
  }
  return cached.app;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const app = await appFor(env);
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
