/** `/c/:slug/themes/:key`: key points per context, each citing the items it stands for. */
import { type Lang, type MessageKey, t } from '../i18n';
import type { ThemePoints } from '../services/reports';
import { consultationNav, themeLabel } from './consultation-nav';
import { itemsHref } from './items';
import { type Flash, Layout, type PageUser } from './layout';

export interface ThemePageProps {
  lang: Lang;
  url: string;
  user: PageUser;
  flash: Flash[];
  canWrite: boolean;
  slug: string;
  title: string;
  theme: ThemePoints;
  /** The context the page is narrowed to, if any. */
  context?: string;
}

/** Citations beyond this many are summed up as "+N". */
const MAX_CITATION_LINKS = 12;

export function ThemePage(p: ThemePageProps) {
  const tr = (k: MessageKey, params?: Record<string, string | number>) => t(p.lang, k, params);
  const label = themeLabel(p.theme, p.lang);
  const base = `/c/${encodeURIComponent(p.slug)}`;
  const themeBase = `${base}/themes/${encodeURIComponent(p.theme.key)}`;
  return (
    <Layout lang={p.lang} title={tr('theme.title', { theme: label })} url={p.url} user={p.user} flash={p.flash} nav={consultationNav(p.lang, p.slug, 'theme', p.canWrite)}>
      <p class="meta">
        <span>
          {tr('dash.themeItems')}: {String(p.theme.items)}
        </span>
        <span>
          {tr('dash.themeParticipants')}: {String(p.theme.participants)}
        </span>
        <span>{tr('theme.generator', { generator: p.theme.generator })}</span>
        <a href={itemsHref(p.slug, { theme: p.theme.key, context: p.context })}>{tr('theme.items')}</a>
      </p>
      {p.theme.stale ? <p class="flash info">{tr('theme.stale')}</p> : null}
      {p.context !== undefined ? (
        <p>
          <a href={themeBase}>{tr('theme.allContexts')}</a>
        </p>
      ) : null}
      {p.theme.contexts.length === 0 ? <p class="muted">{tr('theme.noPoints')}</p> : null}
      {p.theme.contexts.map((c) => (
        <section class="card context">
          <h2>
            {p.context === undefined ? (
              <a href={`${themeBase}?context=${encodeURIComponent(c.context)}`}>{c.context === '' ? tr('dash.unknown') : c.context}</a>
            ) : c.context === '' ? (
              tr('dash.unknown')
            ) : (
              c.context
            )}{' '}
            <span class="muted">({String(c.items)})</span>
          </h2>
          <ol class="points">
            {c.points.map((point) => (
              <li class="point">
                <p dir="auto">{point.text}</p>
                {point.quote !== point.text ? <blockquote dir="auto">{point.quote}</blockquote> : null}
                <p class="meta">
                  <span>{tr('theme.cites')}:</span>
                  {point.citations.slice(0, MAX_CITATION_LINKS).map((id) => (
                    <a href={`${base}/items/${id}`} class="cite">
                      #{String(id)}
                    </a>
                  ))}
                  {point.citations.length > MAX_CITATION_LINKS ? <span>+{String(point.citations.length - MAX_CITATION_LINKS)}</span> : null}
                </p>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </Layout>
  );
}
