/** Sign-in with an API token; the form carries a double-submit CSRF token because there is no session yet. */
import { type Lang, t } from '../i18n';
import { CSRF_FIELD, type Flash, Layout } from './layout';

export interface SignInProps {
  lang: Lang;
  url: string;
  csrf: string;
  next: string;
  flash: Flash[];
}

export function SignInPage(p: SignInProps) {
  return (
    <Layout lang={p.lang} title={t(p.lang, 'signin.title')} url={p.url} flash={p.flash}>
      <form method="post" action="/signin" class="card">
        <p>{t(p.lang, 'signin.intro')}</p>
        <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
        <input type="hidden" name="next" value={p.next} />
        <label for="token">{t(p.lang, 'signin.token')}</label>
        <input id="token" name="token" type="password" autocomplete="off" required />
        <p>
          <button type="submit">{t(p.lang, 'signin.submit')}</button>
        </p>
      </form>
    </Layout>
  );
}
