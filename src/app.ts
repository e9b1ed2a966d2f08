/**
 * createApp: the whole HTTP surface, built from injected dependencies. Node and Workers entries only
 * build the context and hand it here.
 */
import { HTTPException } from 'hono/http-exception';
import type { AppContext } from './context';
import { AppError } from './errors';
import { consultations } from './routes/consultations';
import { apiDocs } from './routes/docs';
import { type AppEnv, router } from './routes/common';
import { health } from './routes/health';
import { items } from './routes/items';
import { pages } from './routes/pages';
import { polls } from './routes/polls';
import { reports } from './routes/reports';
import { tagging } from './routes/tagging';
import { tokens } from './routes/tokens';
import { uploads } from './routes/uploads';
import { authenticate } from './services/auth';

export function createApp(ctx: AppContext) {
  const app = router();

  app.use('*', async (c, next) => {
    c.set('ctx', ctx);
    c.set('principal', null);
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = m?.[1] ? await authenticate(ctx, m[1]) : null;
      if (!principal) throw new AppError('unauthorized', 'the API token is not valid; ask an admin for a new one');
      c.set('principal', principal);
    }
    await next();
  });

  app.route('/', health);
  app.route('/', tokens);
  app.route('/', consultations);
  app.route('/', uploads);
  app.route('/', items);
  app.route('/', pages);
  app.route('/', polls);
  app.route('/', tagging);
  app.route('/', reports);
  app.route('/', apiDocs(app));

  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer' });
  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: { title: 'Strategy feedback API', version: '0.1.0', description: 'Contract: see README and shared API notes.' },
  });

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));

  app.onError((err, c) => {
    if (err instanceof AppError) {
      return c.json({ error: { code: err.code, message: err.message } }, { status: err.status as 400 });
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      return c.json({ error: { code: status === 413 ? 'too_large' : 'bad_request', message: err.message || 'bad request' } }, status);
    }
    ctx.log.error('unhandled error', { path: c.req.path, error: err instanceof Error ? err.message : String(err) });
    return c.json({ error: { code: 'internal', message: 'something went wrong on our side; nothing was half-stored' } }, 500);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
export type { AppEnv };
