/**
 * Session middleware for the pages (and the report downloads they link to): the page language, the
 * signed-in user from the session cookie, one-shot flash messages, and CSRF checks on every POST.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { LANG_COOKIE, type Lang, type MessageKey, isLang, pickLanguage, t } from '../i18n';
import type { Flash, PageUser } from '../pages/layout';
import { CSRF_FIELD } from '../pages/layout';
import type { Principal } from '../services/auth';
import type { AppEnv } from './common';
import { csrfMatches, resolveSession } from '../services/sessions';
import { en } from '../i18n/en';

export const SESSION_COOKIE = 'sfp_session';
/** Double-submit token for the sign-in form, which has no session yet to hold one. */
export const PRESESSION_COOKIE = 'sfp_presession';
const FLASH_COOKIE = 'sfp_flash';

export type PageEnv = {
  Variables: {
    ctx: AppContext;
    principal: Principal | null;
    lang: Lang;
    user: PageUser | null;
    flash: Flash[];
  };
};

/** True when the client reached us over https (directly, or through a proxy that says so). */
export function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

/** Cookie attributes for anything that authenticates: not readable by scripts, never sent cross-site. */
export function strictCookie(c: Context, maxAgeSeconds?: number) {
  return { path: '/', httpOnly: true, secure: isHttps(c), sameSite: 'Strict' as const, ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}) };
}

/** Language, then session user, then flash: every page handler can rely on `lang`, `user`, `flash`. */
export const pageContext: MiddlewareHandler<PageEnv> = async (c, next) => {
  const query = c.req.query('lang');
  const lang = pickLanguage({ query, cookie: c.req.header('cookie'), acceptLanguage: c.req.header('accept-language') });
  if (isLang(query)) setCookie(c, LANG_COOKIE, query, { path: '/', sameSite: 'Lax', secure: isHttps(c), maxAge: 365 * 24 * 3600 });
  c.set('lang', lang);

  c.set('user', null);
  const sid = getCookie(c, SESSION_COOKIE);
  if (sid !== undefined) {
    const session = await resolveSession(c.var.ctx, sid);
    if (session) {
      // A bearer token on the same request wins; the session only fills in when there is none.
      if (!c.var.principal) c.set('principal', session.principal);
      c.set('user', { role: session.principal.role, csrf: session.csrf });
    } else {
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
    }
  }

  const flashKey = getCookie(c, FLASH_COOKIE);
  c.set('flash', flashKey !== undefined && isMessageKey(flashKey) ? [{ kind: flashKind(flashKey), text: t(lang, flashKey) }] : []);
  if (flashKey !== undefined) deleteCookie(c, FLASH_COOKIE, { path: '/' });
  await next();
};

/** Read-only use of the session for GET downloads (reports) linked from the pages. */
export const sessionForReads: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.var.principal && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
    const sid = getCookie(c, SESSION_COOKIE);
    const session = sid !== undefined ? await resolveSession(c.var.ctx, sid) : null;
    if (session) c.set('principal', session.principal);
  }
  await next();
};

/**
 * Refuses a POST that does not carry this session's CSRF token, or comes from another origin.
 * SameSite=Strict already keeps the cookie off cross-site requests; this is the second lock.
 */
export const requireCsrf: MiddlewareHandler<PageEnv> = async (c, next) => {
  if (c.req.method !== 'POST') return next();
  checkOrigin(c);
  const user = c.var.user;
  if (!user) throw new AppError('unauthorized', t(c.var.lang, 'error.unauthorized'));
  const form = await c.req.parseBody();
  if (!csrfMatches(user.csrf, form[CSRF_FIELD])) throw new AppError('forbidden', t(c.var.lang, 'csrf.bad'));
  await next();
};

/** A request with an Origin header must come from this site (browsers send it on every POST). */
export function checkOrigin(c: Context): void {
  const origin = c.req.header('origin');
  if (origin === undefined || origin === 'null') return;
  const here = new URL(c.req.url);
  const host = c.req.header('host') ?? here.host;
  let theirs: URL;
  try {
    theirs = new URL(origin);
  } catch {
    throw new AppError('forbidden', 'cross-site form posts are refused');
  }
  if (theirs.host !== host) throw new AppError('forbidden', 'cross-site form posts are refused');
}

/** Redirects with a one-shot message shown on the next page. */
export function redirectWithFlash(c: Context, to: string, key: MessageKey): Response {
  setCookie(c, FLASH_COOKIE, key, { path: '/', httpOnly: true, sameSite: 'Lax', secure: isHttps(c), maxAge: 60 });
  return c.redirect(to, 303);
}

/** A same-site path to return to after sign-in; anything else (absolute URLs, `//host`, `/\host`) becomes '/'. */
export function safeNext(next: string | undefined): string {
  if (next === undefined || !/^\/(?![/\\])/.test(next) || /[\u0000-\u001f\\]/.test(next)) return '/';
  return next;
}

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

function flashKind(key: MessageKey): Flash['kind'] {
  return key === 'csrf.bad' || key === 'signin.bad' ? 'error' : 'ok';
}
