/** The HTML answer for a page that cannot be shown: what went wrong, in the page language, and a way back. */
import { type Lang, t } from '../i18n';
import { Layout, type PageUser } from './layout';

export interface ErrorPageProps {
  lang: Lang;
  url: string;
  user: PageUser | null;
  status: number;
  message: string;
}

export function ErrorPage(p: ErrorPageProps) {
  return (
    <Layout lang={p.lang} title={t(p.lang, 'error.title')} url={p.url} user={p.user} flash={[{ kind: 'error', text: p.message }]}>
      <p class="muted">HTTP {p.status}</p>
      <p>
        <a href="/">{t(p.lang, 'error.back')}</a>
      </p>
    </Layout>
  );
}
