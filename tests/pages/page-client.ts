/** A tiny cookie-keeping client over `app.request`, acting like a browser on the pages. */
import type { TestEnv } from '../helpers';
import { ADMIN } from '../helpers';

export interface PageClient {
  cookies: Map<string, string>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, form: Record<string, string | Blob> | FormData, headers?: Record<string, string>): Promise<Response>;
  /** The CSRF token in the first form of a page. */
  csrfOf(html: string): string;
  signIn(token?: string): Promise<void>;
}

export const ORIGIN = 'http://localhost';

export function pageClient(t: TestEnv): PageClient {
  const cookies = new Map<string, string>();
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const client: PageClient = {
    cookies,
    async get(path, headers = {}) {
      const res = await t.app.request(`${ORIGIN}${path}`, { headers: { cookie: cookieHeader(), ...headers } });
      remember(res);
      return res;
    },
    async post(path, form, headers = {}) {
      let body: FormData | URLSearchParams;
      if (form instanceof FormData) body = form;
      else if (Object.values(form).some((v) => typeof v !== 'string')) {
        body = new FormData();
        for (const [k, v] of Object.entries(form)) body.append(k, v);
      } else body = new URLSearchParams(form as Record<string, string>);
      const res = await t.app.request(`${ORIGIN}${path}`, { method: 'POST', body, headers: { cookie: cookieHeader(), origin: ORIGIN, ...headers } });
      remember(res);
      return res;
    },
    csrfOf(html) {
      const m = /name="_csrf" value="([^"]+)"/.exec(html);
      if (!m?.[1]) throw new Error('no CSRF field on the page');
      return m[1];
    },
    async signIn(token = ADMIN) {
      const page = await client.get('/signin');
      const res = await client.post('/signin', { _csrf: client.csrfOf(await page.text()), token, next: '/' });
      if (res.status !== 303 || !cookies.has('sfp_session')) throw new Error(`sign-in failed: ${res.status}`);
    },
  };
  return client;
}
