/**
 * The shell every page shares: <html lang dir>, one small inline stylesheet (allowed by its hash in the
 * Content-Security-Policy, so no other inline style or script can run), the top bar with navigation,
 * the language switcher and sign-out, and flash messages. No JavaScript, no external assets.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Role } from '../../schema';
import { LANGS, LANGUAGE_NAMES, type Lang, type MessageKey, dir, t } from '../i18n';

/** Name of the hidden form field that carries the session's CSRF token. */
export const CSRF_FIELD = '_csrf';

/** The signed-in user as pages need it: role for the menu, CSRF token for every form. */
export interface PageUser {
  role: Role;
  csrf: string;
}

export interface Flash {
  kind: 'ok' | 'error' | 'info';
  text: string;
}

export interface NavLink {
  href: string;
  label: string;
  current?: boolean;
}

export interface LayoutProps {
  lang: Lang;
  title: string;
  /** Path and query of this page, so the language links lead back here. */
  url: string;
  user?: PageUser | null;
  flash?: Flash[];
  /** Links under the title, e.g. a consultation's dashboard / items / upload. */
  nav?: NavLink[];
  /** Same-origin scripts this page may load (progressive enhancement only; pages work without them). */
  scripts?: string[];
  children?: Child;
}

// Logical properties (margin-inline, padding-inline-start, text-align: start) mirror by themselves under dir=rtl.
const CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans Arabic","Noto Sans JP",sans-serif;color:#1b1f24;background:#f6f7f9}
a{color:#0b57d0}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #f9ab00;outline-offset:2px}
.skip{position:absolute;inset-inline-start:-999px}
.skip:focus{inset-inline-start:8px;top:8px;background:#fff;padding:4px 8px;z-index:2}
header.top{background:#202a36;color:#fff;padding-block:8px;padding-inline:12px;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center}
header.top a{color:#fff}
header.top .brand{font-weight:700;text-decoration:none;margin-inline-end:auto}
header.top nav ul,.langs ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 12px}
header.top form{margin:0}
.langs{font-size:14px}
.langs a[aria-current]{font-weight:700;text-decoration:none}
.who{font-size:14px;opacity:.85}
main{max-width:1100px;margin-inline:auto;padding:12px}
h1{font-size:1.5rem;margin-block:.5rem}
h2{font-size:1.2rem;margin-block:1.2rem .4rem}
h3{font-size:1.05rem;margin-block:1rem .3rem}
.subnav ul{list-style:none;margin:0 0 12px;padding:0;display:flex;flex-wrap:wrap;gap:4px 8px}
.subnav a{display:inline-block;padding:4px 10px;border-radius:16px;background:#e3e8ef;text-decoration:none}
.subnav a[aria-current]{background:#202a36;color:#fff}
.flash{padding:8px 12px;border-radius:6px;margin-block:8px;border-inline-start:4px solid}
.flash.ok{background:#e6f4ea;border-color:#188038}
.flash.error{background:#fce8e6;border-color:#c5221f}
.flash.info{background:#e8f0fe;border-color:#0b57d0}
.card{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:12px;margin-block:12px}
.grid{display:grid;gap:12px;grid-template-columns:repeat(auto-fit,minmax(150px,1fr))}
.stat{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:8px 12px}
.stat b{display:block;font-size:1.4rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:start;padding:4px 8px;border-bottom:1px solid #e3e8ef;vertical-align:top}
td.n,th.n{text-align:end;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}
svg{max-width:100%;height:auto}
svg.chart{width:100%;max-width:720px;display:block}
label{display:block;margin-block:8px 2px;font-weight:600}
input[type=text],input[type=password],input[type=search],input[type=file],select,textarea{width:100%;max-width:32rem;font:inherit;padding:6px;border:1px solid #a9b3bf;border-radius:4px;background:#fff}
button,.button{font:inherit;padding:6px 14px;border-radius:4px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.link{background:none;border:none;color:inherit;text-decoration:underline;padding:0}
fieldset{border:1px solid #dde2e8;border-radius:6px;margin-block:8px;padding:8px}
.checks{display:flex;flex-wrap:wrap;gap:4px 12px}
.checks label{display:inline-flex;gap:4px;font-weight:400;margin:0}
.filters{display:grid;gap:4px 12px;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));align-items:end}
.item{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:8px 12px;margin-block:8px}
.item .text{white-space:pre-wrap;overflow-wrap:anywhere;margin-block:4px}
.meta{font-size:13px;color:#57606a;display:flex;flex-wrap:wrap;gap:2px 12px}
.tag{display:inline-block;font-size:13px;padding:0 6px;border-radius:10px;background:#e3e8ef;margin-inline-end:4px}
.muted{color:#57606a}
blockquote{margin-block:4px;margin-inline:0;padding-inline-start:10px;border-inline-start:3px solid #c7d0db;color:#3c4650}
progress{width:100%;max-width:32rem}
[hidden]{display:none!important}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #dde2e8;padding:8px;border-radius:6px}
@media (max-width:480px){main{padding:8px}h1{font-size:1.3rem}}
`.trim();

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

const STYLE_HASH = `'sha256-${base64(sha256(new TextEncoder().encode(CSS)))}'`;

/**
 * Pages may load nothing but themselves: the one stylesheet by hash, same-origin scripts, images from
 * data: URIs (none from elsewhere), forms posting only here, no framing, no <base> tricks.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src ${STYLE_HASH}`,
  "script-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Sends a rendered page with the CSP and the other headers every page carries. */
export async function sendPage(c: Context, page: Child, status: 200 | 201 | 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 = 200): Promise<Response> {
  c.header('Content-Security-Policy', PAGE_CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'same-origin');
  c.header('Cache-Control', 'no-store');
  return c.html(`<!DOCTYPE html>${await page}`, status);
}

/** This URL with `lang` set: `withLang('/c/x?theme=a', 'ar')` → '/c/x?theme=a&lang=ar'. */
export function withLang(url: string, lang: Lang): string {
  const u = new URL(url, 'http://page.invalid');
  u.searchParams.set('lang', lang);
  return u.pathname + u.search;
}

export function CsrfField({ user }: { user: PageUser | null | undefined }) {
  return user ? <input type="hidden" name={CSRF_FIELD} value={user.csrf} /> : null;
}

export function Layout(props: LayoutProps) {
  const { lang, user } = props;
  const tr = (key: MessageKey, params?: Record<string, string | number>) => t(lang, key, params);
  return (
    <html lang={lang} dir={dir(lang)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        {/* No favicon request: there is none, and an empty data: icon keeps the console clean. */}
        <link rel="icon" href="data:," />
        <title>{`${props.title} · ${tr('app.name')}`}</title>
        {/* Our own constant stylesheet, allowed by its hash; never user data. */}
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <a class="skip" href="#main">
          {tr('app.skip')}
        </a>
        <header class="top">
          <a class="brand" href="/">
            {tr('app.name')}
          </a>
          <nav aria-label={tr('app.name')}>
            <ul>
              <li>
                <a href="/">{tr('nav.home')}</a>
              </li>
              <li>
                <a href="/docs">{tr('nav.docs')}</a>
              </li>
              {user ? null : (
                <li>
                  <a href="/signin">{tr('nav.signin')}</a>
                </li>
              )}
            </ul>
          </nav>
          {user ? (
            <form method="post" action="/signout">
              <span class="who">{tr('nav.signedInAs', { role: tr(`role.${user.role}`) })} </span>
              <CsrfField user={user} />
              <button type="submit" class="link">
                {tr('nav.signout')}
              </button>
            </form>
          ) : null}
          <nav class="langs" aria-label={tr('lang.label')}>
            <ul>
              {LANGS.map((l) => (
                <li>
                  <a href={withLang(props.url, l)} lang={l} hreflang={l} aria-current={l === lang ? 'true' : undefined}>
                    {LANGUAGE_NAMES[l]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          {props.nav && props.nav.length > 0 ? (
            <nav class="subnav">
              <ul>
                {props.nav.map((n) => (
                  <li>
                    <a href={n.href} aria-current={n.current ? 'page' : undefined}>
                      {n.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          {(props.flash ?? []).map((f) => (
            <p class={`flash ${f.kind}`} role={f.kind === 'error' ? 'alert' : 'status'}>
              {f.text}
            </p>
          ))}
          {props.children}
        </main>
        {(props.scripts ?? []).map((src) => (
          <script src={src} defer />
        ))}
      </body>
    </html>
  );
}
