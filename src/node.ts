/**
 * Node entry: an embedded libSQL file, migrations at start, the demo consultation on an empty database.
 */
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { createApp } from './app';
import { loadConfig } from './config';
import { type AppContext, jsonLogger, systemClock } from './context';
import { ensureBootstrapAdmin } from './services/auth';
import { type DemoFile, resolvePseudonymSecret, seedDemoIfEmpty } from './services/setup';
import { libsqlDatabase } from './store/libsql';
import { openLibsqlFile } from './store/libsql-file';
import { Store } from './store/store';
import { inProcessRunner } from './tasks/in-process';
import { llmFromConfig } from './llm/from-config';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function openNodeContext(env: NodeJS.ProcessEnv, overrides: Partial<AppContext> = {}): Promise<AppContext> {
  const config = loadConfig(env);
  const url = env.DATABASE_URL ?? 'file:data/feedback.db';
  if (url.startsWith('file:')) mkdirSync(dirname(resolve(url.slice('file:'.length))), { recursive: true });
  const { client, database } = url.startsWith('file:')
    ? await openLibsqlFile(url, env)
    : (() => {
        const remote = createClient({ url, authToken: env.DATABASE_AUTH_TOKEN });
        return { client: remote, database: libsqlDatabase(remote) };
      })();
  await migrate(drizzle(client), { migrationsFolder: join(root, 'schema/migrations') });
  const store = new Store(database);
  const tasks = inProcessRunner();
  const ctx: AppContext = {
    store,
    clock: systemClock,
    log: jsonLogger(),
    config,
    pseudonymSecret: await resolvePseudonymSecret(store, config),
    llm: llmFromConfig(config),
    tasks,
    runtime: 'node',
    ...overrides,
  };
  tasks.attach(ctx);
  return ctx;
}

/** The synthetic exports in demo/, each with the upload options named in demo/manifest.json. */
export function demoFiles(): DemoFile[] {
  const dir = join(root, 'demo');
  const manifest: Record<string, DemoFile['options']> = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  return readdirSync(dir)
    .filter((name) => name in manifest)
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))), options: manifest[name] ?? {} }));
}

async function main() {
  const ctx = await openNodeContext(process.env);
  const token = await ensureBootstrapAdmin(ctx);
  if (token) {
    console.log(`\nAdmin token (shown once, stored hashed — keep it safe):\n\n  ${token}\n`);
  }
  if (await seedDemoIfEmpty(ctx, demoFiles())) ctx.log.info('demo consultation created', { slug: 'demo' });
  const port = Number(process.env.PORT ?? 8787);
  const app = createApp(ctx);
  serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '127.0.0.1' }, (info) => {
    console.log(`Listening on http://${info.address}:${info.port}`);
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
