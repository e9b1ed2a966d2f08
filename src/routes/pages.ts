/**
 * The server-rendered web app: thin handlers that read the request, call a service verb and render a
 * page component. Sessions come from the cookie (see session-auth.ts); every POST carries a CSRF token.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { randomToken } from '../crypto/hash';
import { AppError } from '../errors';
import { t } from '../i18n';
import { ErrorPage } from '../pages/error';
import { HomePage } from '../pages/home';
import { CSRF_FIELD, type PageUser, sendPage } from '../pages/layout';
import { SignInPage } from '../pages/signin';
import { listConsultationsWithTotals } from '../services/dashboard';
import { csrfMatches, signIn, signOut } from '../services/sessions';
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

const PAGE_PATHS = ['/', '/signin', '/signout', '/docs', '/c/*'] as const;
for (const path of PAGE_PATHS) pages.use(path, pageContext);
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
