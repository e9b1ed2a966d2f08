/** `/docs`: the API documentation page, rendered from the app's own `/openapi.json`, with nothing loaded from elsewhere. */
import { Hono } from 'hono';
import { AppError } from '../errors';
import { DocsPage, OpenApiDocument } from '../pages/docs';
import { sendPage } from '../pages/layout';
import { type PageEnv, pageContext } from './session-auth';

/** Anything that can answer a request, i.e. the app itself. */
export interface Fetcher {
  request(path: string): Response | Promise<Response>;
}

export function apiDocs(app: Fetcher): Hono<PageEnv> {
  const docs = new Hono<PageEnv>();
  docs.use('/docs', pageContext);
  docs.get('/docs', async (c) => {
    const res = await app.request('/openapi.json');
    const parsed = OpenApiDocument.safeParse(await res.json());
    if (!parsed.success) throw new AppError('internal', 'the OpenAPI document could not be read');
    const u = new URL(c.req.url);
    return sendPage(c, DocsPage({ lang: c.var.lang, url: u.pathname + u.search, user: c.var.user, flash: c.var.flash, doc: parsed.data }));
  });
  return docs;
}
