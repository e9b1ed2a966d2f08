/**
 * The server-rendered web app: thin handlers that read the request, call a service verb and render a
 * page component. Sessions come from the cookie (see session-auth.ts); every POST carries a CSRF token.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { randomToken } from '../crypto/hash';
import { AppError } from '../errors';
import { t } from '../i18n';
import { ErrorPage } from '../pages/error';
import { HomePage } from '../pages/home';
import { CSRF_FIELD, type PageUser, sendPage } from '../pages/layout';
import { SignInPage } from '../pages/signin';
import { DashboardPage } from '../pages/dashboard';
import { ItemsPage, STATUS_KEYS } from '../pages/items';
import { ThemePage } from '../pages/theme';
import { UPLOAD_SCRIPT, UploadPage, type UploadFormValues } from '../pages/upload';
import { requireConsultation } from '../services/consultations';
import { getDashboard, listConsultationsWithTotals } from '../services/dashboard';
import { UploadOptions, ingestUpload } from '../services/ingest';
import { ItemQuery, listItems, setItemThemes } from '../services/items';
import { getThemePoints } from '../services/reports';
import { csrfMatches, signIn, signOut } from '../services/sessions';
import { formatIssues } from './common';
import {
  PRESESSION_COOKIE,
  type PageEnv,
  SESSION_COOKIE,
  checkOrigin,
  isHttps,
  pageContext,
  redirectWithFlash,
  requireCsrf,
  safeNext,
  strictCookie,
} from './session-auth';

export const pages = new Hono<PageEnv>();

const PAGE_PATHS = ['/', '/signin', '/signout', '/c/*'] as const;
for (const path of PAGE_PATHS) pages.use(path, pageContext);
// Bodies are bounded before the CSRF check reads them: an upload may be as large as the API allows, a form is small.
pages.use('/c/*', (c, next) => {
  if (c.req.method !== 'POST') return next();
  const max = c.req.path.endsWith('/upload') ? c.var.ctx.config.MAX_UPLOAD_BYTES + 64 * 1024 : 256 * 1024;
  return bodyLimit({
    maxSize: max,
    onError: () => {
      throw new AppError('too_large', `the form is larger than the limit of ${max} bytes`);
    },
  })(c, next);
});
pages.use('/c/*', requireCsrf);

/** The path and query of this request, for the language links. */
function here(c: Context<PageEnv>): string {
  const u = new URL(c.req.url);
  return u.pathname + u.search;
}

/** The signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
function signedIn(c: Context<PageEnv>): PageUser {
  const user = c.var.user;
  if (!user || !c.var.principal) throw new AppError('unauthorized', t(c.var.lang, 'error.unauthorized'));
  return user;
}

pages.get('/signin', (c) => {
  const csrf = randomToken(24);
  setCookie(c, PRESESSION_COOKIE, csrf, strictCookie(c, 3600));
  const next = safeNext(c.req.query('next'));
  return sendPage(c, SignInPage({ lang: c.var.lang, url: here(c), csrf, next, flash: c.var.flash }));
});

pages.post('/signin', async (c) => {
  checkOrigin(c);
  const form = await c.req.parseBody();
  const expected = getCookie(c, PRESESSION_COOKIE);
  if (expected === undefined || !csrfMatches(expected, form[CSRF_FIELD])) return redirectWithFlash(c, '/signin', 'csrf.bad');
  const token = typeof form.token === 'string' ? form.token : '';
  const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
  let session: Awaited<ReturnType<typeof signIn>>;
  try {
    session = await signIn(c.var.ctx, token);
  } catch (err) {
    if (err instanceof AppError && err.code === 'unauthorized') return redirectWithFlash(c, `/signin?next=${encodeURIComponent(next)}`, 'signin.bad');
    throw err;
  }
  deleteCookie(c, PRESESSION_COOKIE, { path: '/', secure: isHttps(c) });
  const maxAge = Math.floor((Date.parse(session.expiresAt) - c.var.ctx.clock.now().getTime()) / 1000);
  setCookie(c, SESSION_COOKIE, session.id, strictCookie(c, maxAge));
  return redirectWithFlash(c, next, 'signin.done');
});

pages.post('/signout', async (c) => {
  checkOrigin(c);
  const sid = getCookie(c, SESSION_COOKIE);
  const user = c.var.user;
  if (user) {
    const form = await c.req.parseBody();
    if (!csrfMatches(user.csrf, form[CSRF_FIELD])) throw new AppError('forbidden', t(c.var.lang, 'csrf.bad'));
  }
  if (sid !== undefined) await signOut(c.var.ctx, sid);
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
  return redirectWithFlash(c, '/signin', 'signout.done');
});

pages.get('/', async (c) => {
  const user = signedIn(c);
  const consultations = await listConsultationsWithTotals(c.var.ctx, c.var.principal);
  return sendPage(c, HomePage({ lang: c.var.lang, url: here(c), user, flash: c.var.flash, consultations }));
});

/** Staff read; liaisons (in their consultations) and admins also upload and retag. */
function canWrite(c: Context<PageEnv>): boolean {
  return c.var.principal !== null && c.var.principal.role !== 'staff';
}

pages.get('/c/:slug', async (c) => {
  const user = signedIn(c);
  const dashboard = await getDashboard(c.var.ctx, c.var.principal, c.req.param('slug'));
  return sendPage(c, DashboardPage({ lang: c.var.lang, url: here(c), user, flash: c.var.flash, canWrite: canWrite(c), dashboard }));
});

pages.get('/c/:slug/themes/:key', async (c) => {
  const user = signedIn(c);
  const slug = c.req.param('slug');
  const context = c.req.query('context');
  const theme = await getThemePoints(c.var.ctx, c.var.principal, slug, c.req.param('key'), context);
  const consultation = await requireConsultation(c.var.ctx, c.var.principal, slug, 'read');
  return sendPage(
    c,
    ThemePage({ lang: c.var.lang, url: here(c), user, flash: c.var.flash, canWrite: canWrite(c), slug, title: consultation.title, theme, context }),
  );
});

/** Filters from the query string; unknown or malformed values are dropped rather than failing the page. */
function itemFilters(c: Context<PageEnv>) {
  const pick = (name: string, max: number) => {
    const v = c.req.query(name);
    return v !== undefined && v !== '' && v.length <= max ? v : undefined;
  };
  const status = pick('status', 20);
  const cursor = pick('cursor', 15);
  return {
    theme: pick('theme', 64),
    context: pick('context', 200),
    channel: pick('channel', 200),
    status: STATUS_KEYS.find((s) => s === status),
    q: pick('q', 200),
    cursor: cursor !== undefined && /^\d+$/.test(cursor) ? cursor : undefined,
  };
}

async function renderItems(c: Context<PageEnv>, slug: string, single?: number) {
  const user = signedIn(c);
  const ctx = c.var.ctx;
  const dashboard = await getDashboard(ctx, c.var.principal, slug);
  const filters = single === undefined ? itemFilters(c) : {};
  const query = ItemQuery.parse(single === undefined ? { ...filters, limit: 50 } : { limit: 1, cursor: String(single + 1) });
  const page = await listItems(ctx, c.var.principal, slug, query);
  const items = single === undefined ? page.items : page.items.filter((i) => i.id === single);
  if (single !== undefined && items.length === 0) throw new AppError('not_found', `no item ${single}`);
  return sendPage(
    c,
    ItemsPage({
      lang: c.var.lang,
      url: here(c),
      user,
      flash: c.var.flash,
      canWrite: canWrite(c),
      slug,
      title: dashboard.consultation.title,
      themes: dashboard.consultation.themes,
      contexts: dashboard.byContext.map((b) => b.value).filter((v) => v !== ''),
      channels: dashboard.byChannel.map((b) => b.value),
      undecided: dashboard.totals.undecided,
      filters,
      items,
      nextCursor: single === undefined ? page.nextCursor : null,
      ...(single === undefined ? {} : { back: here(c) }),
    }),
  );
}

pages.get('/c/:slug/items', (c) => renderItems(c, c.req.param('slug')));

pages.get('/c/:slug/items/:id{[0-9]{1,15}}', (c) => renderItems(c, c.req.param('slug'), Number(c.req.param('id'))));

pages.post('/c/:slug/items/:id{[0-9]{1,15}}/themes', async (c) => {
  signedIn(c);
  const slug = c.req.param('slug');
  const id = Number(c.req.param('id'));
  await requireConsultation(c.var.ctx, c.var.principal, slug, 'write');
  // The item must belong to the consultation in the URL, so a form cannot be aimed across consultations.
  const found = await listItems(c.var.ctx, c.var.principal, slug, ItemQuery.parse({ limit: 1, cursor: String(id + 1) }));
  if (!found.items.some((i) => i.id === id)) throw new AppError('not_found', `no item ${id}`);
  const form = await c.req.parseBody({ all: true });
  const raw = form.themes;
  const themes = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');
  await setItemThemes(c.var.ctx, c.var.principal, id, { themes });
  const back = typeof form.back === 'string' ? safeNext(form.back) : `/c/${encodeURIComponent(slug)}/items`;
  return redirectWithFlash(c, `${back}#item-${id}`, 'items.saved');
});

function uploadValues(fields: Record<string, unknown>): UploadFormValues {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return { format: str(fields.format), channel: str(fields.channel), context: str(fields.context), language: str(fields.language) };
}

pages.get('/c/:slug/upload', async (c) => {
  const user = signedIn(c);
  const slug = c.req.param('slug');
  const consultation = await requireConsultation(c.var.ctx, c.var.principal, slug, 'write');
  return sendPage(c, UploadPage({ lang: c.var.lang, url: here(c), user, flash: c.var.flash, slug, title: consultation.title, values: {} }));
});

pages.post('/c/:slug/upload', async (c) => {
  const user = signedIn(c);
  const slug = c.req.param('slug');
  const lang = c.var.lang;
  const consultation = await requireConsultation(c.var.ctx, c.var.principal, slug, 'write');
  const form = await c.req.parseBody();
  const values = uploadValues(form);
  const again = (status: 400 | 413 | 415 | 422, message: string) =>
    sendPage(
      c,
      UploadPage({ lang, url: here(c), user, flash: [{ kind: 'error', text: t(lang, 'upload.failed', { message }) }], slug, title: consultation.title, values }),
      status,
    );
  const file = form.file;
  if (!(file instanceof File) || file.size === 0) return again(400, t(lang, 'upload.noFile'));
  const options = UploadOptions.safeParse({ ...values, filename: file.name || undefined });
  if (!options.success) return again(400, formatIssues(options.error.issues));
  try {
    const result = await ingestUpload(c.var.ctx, c.var.principal, slug, new Uint8Array(await file.arrayBuffer()), options.data);
    return sendPage(c, UploadPage({ lang, url: here(c), user, flash: c.var.flash, slug, title: consultation.title, values, result }), result.duplicate ? 200 : 201);
  } catch (err) {
    // A file that cannot be read comes back to the form with the reason; nothing was stored.
    if (err instanceof AppError && (err.status === 400 || err.status === 413 || err.status === 415 || err.status === 422)) return again(err.status, err.message);
    throw err;
  }
});

pages.get('/assets/upload.js', (c) => {
  c.header('Cache-Control', 'public, max-age=3600');
  c.header('X-Content-Type-Options', 'nosniff');
  return c.body(UPLOAD_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
});

pages.get('/c/*', () => {
  throw new AppError('not_found', 'no such page');
});

pages.onError((err, c) => {
  const lang = c.var.lang ?? 'en';
  if (err instanceof AppError && err.code === 'unauthorized' && c.req.method === 'GET') {
    return c.redirect(`/signin?next=${encodeURIComponent(here(c))}`, 303);
  }
  const status = err instanceof AppError ? err.status : 500;
  const message =
    err instanceof AppError
      ? err.code === 'not_found'
        ? t(lang, 'error.notFound')
        : err.code === 'forbidden' && err.message === t(lang, 'csrf.bad')
          ? err.message
          : err.code === 'forbidden'
            ? t(lang, 'error.forbidden')
            : err.code === 'unauthorized'
              ? t(lang, 'error.unauthorized')
              : err.message
      : t(lang, 'error.title');
  if (!(err instanceof AppError)) c.var.ctx?.log.error('page error', { path: c.req.path, error: err instanceof Error ? err.message : String(err) });
  return sendPage(c, ErrorPage({ lang, url: here(c), user: c.var.user ?? null, status, message }), pageStatus(status));
});

function pageStatus(status: number): 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 {
  switch (status) {
    case 429:
    case 400:
    case 401:
    case 403:
    case 404:
    case 409:
    case 413:
    case 415:
    case 422:
      return status;
    default:
      return 500;
  }
}
