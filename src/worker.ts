/**
 * Workers entry: the same app over D1 (binding `DB`) or libSQL over HTTP (`DATABASE_URL` = libsql://…).
 * The context is built once per isolate. Migrations are applied with `wrangler d1 migrations apply`
 * (D1) or `drizzle-kit migrate` (Turso); see README.
 */
import { createClient } from '@libsql/client/web';
import { createApp } from './app';
import { loadConfig } from './config';
import { type AppContext, type TagJob, jsonLogger, systemClock } from './context';
import { llmFromConfig } from './llm/from-config';
import { runTagJob } from './services/tagging';
import { inlineRunner } from './tasks/in-process';
import { queueRunner } from './tasks/queue';
import { resolvePseudonymSecret } from './services/setup';
import { d1Database } from './store/d1';
import type { Database } from './store/db';
import { libsqlDatabase } from './store/libsql';
import { Store } from './store/store';

export interface Env {
  DB?: D1Database;
  TAG_QUEUE?: Queue<TagJob>;
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
  const { DB: _db, TAG_QUEUE: queue, ...vars } = env;
  const config = loadConfig(vars);
  const store = new Store(openDatabase(env));
  const ctx: AppContext = {
    store,
    clock: systemClock,
    log: jsonLogger(),
    config,
    pseudonymSecret: await resolvePseudonymSecret(store, config),
    llm: llmFromConfig(config),
    // Without a queue binding, uploads tag inline during the request.
    tasks: queue ? queueRunner(queue, store) : inlineRunner(() => ctx),
    runtime: queue ? 'workers' : 'node',
  };
  return ctx;
}

let cachedCtx: { env: Env; ctx: Promise<AppContext> } | null = null;
function contextFor(env: Env): Promise<AppContext> {
  if (!cachedCtx || cachedCtx.env !== env) {
    const ctx = buildWorkerContext(env);
    ctx.catch(() => {
      cachedCtx = null;
    });
    cachedCtx = { env, ctx };
  }
  return cachedCtx.ctx;
}

function appFor(env: Env) {
  if (!cached || cached.env !== env) {
    const app = contextFor(env).then(createApp);
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
    let app: Awaited<ReturnType<typeof appFor>>;
    try {
      app = await appFor(env);
    } catch (err) {
      // The app could not start (a bad variable, no database binding): every request says so in the API's error
      // shape; the operator finds the reason in the Worker's log, callers do not.
      console.error(JSON.stringify({ level: 'error', message: 'the app could not start', error: err instanceof Error ? err.message : String(err) }));
      return Response.json({ error: { code: 'internal', message: 'the server is not configured correctly; its log says why' } }, { status: 500 });
    }
    return app.fetch(request, env, ctx);
  },

  /** Queue consumer: each message is a chunk of item ids to tag; a failure retries the message later. */
  async queue(batch: MessageBatch<TagJob>, env: Env): Promise<void> {
    const ctx = await contextFor(env);
    for (const message of batch.messages) {
      try {
        const out = await runTagJob(ctx, message.body);
        // Still pending means the model was unreachable: try again later rather than dropping the work.
        if (out && out.run.errors.length > 0 && message.body.itemIds) {
          const left = await ctx.store.tagging.pendingItemsByIds(message.body.consultationId, message.body.itemIds);
          if (left.length > 0) {
            message.retry({ delaySeconds: 60 });
            continue;
          }
        }
        message.ack();
      } catch (err) {
        ctx.log.error('queue tagging failed', { error: err instanceof Error ? err.message : String(err) });
        message.retry({ delaySeconds: 30 });
      }
    }
  },
} satisfies ExportedHandler<Env, TagJob>;
