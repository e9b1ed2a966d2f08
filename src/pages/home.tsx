/** `/`: the consultations the signed-in user may see. */
import { type Lang, t } from '../i18n';
import { type Flash, Layout, type PageUser } from './layout';

export interface HomeProps {
  lang: Lang;
  url: string;
  user: PageUser;
  flash: Flash[];
  consultations: { slug: string; title: string; language: string; createdAt: string; items: number }[];
}

export function HomePage(p: HomeProps) {
  return (
    <Layout lang={p.lang} title={t(p.lang, 'home.title')} url={p.url} user={p.user} flash={p.flash}>
      {p.consultations.length === 0 ? (
        <p class="muted">{t(p.lang, 'home.none')}</p>
      ) : (
        <ul class="consultations">
          {p.consultations.map((c) => (
            <li class="card">
              <a href={`/c/${encodeURIComponent(c.slug)}`}>
                <b>{c.title}</b>
              </a>{' '}
              <span class="muted" lang="en" dir="ltr">
                ({c.slug})
              </span>
              <div class="meta">
                <span>{t(p.lang, 'home.items', { n: c.items })}</span>
                <span>{t(p.lang, 'home.created', { date: c.createdAt.slice(0, 10) })}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
