/** `/c/:slug/items`: the review list with filters, the undecided queue and a themes form per item. */
import { type Lang, type MessageKey, t } from '../i18n';
import type { ThemeView } from '../services/consultations';
import type { ItemView } from '../store/store';
import { consultationNav, themeLabel } from './consultation-nav';
import { CsrfField, type Flash, Layout, type PageUser } from './layout';

export const STATUS_KEYS = ['pending', 'tagged', 'none', 'undecided'] as const;

export interface ItemFilters {
  theme?: string;
  context?: string;
  channel?: string;
  status?: (typeof STATUS_KEYS)[number];
  q?: string;
  cursor?: string;
}

export interface ItemsProps {
  lang: Lang;
  url: string;
  user: PageUser;
  flash: Flash[];
  canWrite: boolean;
  slug: string;
  title: string;
  themes: ThemeView[];
  contexts: string[];
  channels: string[];
  undecided: number;
  filters: ItemFilters;
  items: ItemView[];
  nextCursor: string | null;
  /** Where the themes form returns to (default: this list with its filters). */
  back?: string;
}

/** The review URL for these filters (and optionally a page cursor). */
export function itemsHref(slug: string, f: ItemFilters): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (typeof v === 'string' && v !== '') q.set(k, v);
  const s = q.toString();
  return `/c/${encodeURIComponent(slug)}/items${s ? `?${s}` : ''}`;
}

function Select(props: { name: string; label: string; value: string | undefined; any: string; options: { value: string; label: string }[] }) {
  return (
    <div>
      <label for={`f-${props.name}`}>{props.label}</label>
      <select id={`f-${props.name}`} name={props.name}>
        <option value="">{props.any}</option>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function ItemCard(props: { p: ItemsProps; item: ItemView; back: string }) {
  const { p, item } = props;
  const tr = (k: MessageKey, params?: Record<string, string | number>) => t(p.lang, k, params);
  const chosen = new Set(item.themes.map((x) => x.key));
  const labelOf = new Map(p.themes.map((th) => [th.key, themeLabel(th, p.lang)]));
  return (
    <article class="item" id={`item-${item.id}`} data-item={String(item.id)}>
      <div class="meta">
        <span>#{String(item.id)}</span>
        <span class="status">{tr(`status.${item.status}`)}</span>
        <span>{item.channel}</span>
        {item.context ? <span>{item.context}</span> : null}
        {item.participant ? <span>{item.participant}</span> : null}
        {item.at ? <span>{item.at.replace('T', ' ').slice(0, 16)}</span> : null}
        {item.language ? <span>{item.language}</span> : null}
      </div>
      <p class="text" dir="auto" lang={item.language ?? undefined}>
        {item.text}
      </p>
      <div class="tags">
        {item.themes
          .filter((x) => x.key !== '')
          .map((x) => (
            <span class="tag" title={tr('items.source', { source: x.source })}>
              {labelOf.get(x.key) ?? x.key}
            </span>
          ))}
      </div>
      {p.canWrite ? (
        <form method="post" action={`/c/${encodeURIComponent(p.slug)}/items/${item.id}/themes`}>
          <CsrfField user={p.user} />
          <input type="hidden" name="back" value={props.back} />
          <fieldset>
            <legend>{tr('items.themes')}</legend>
            <div class="checks">
              {p.themes.map((th) => (
                <label>
                  <input type="checkbox" name="themes" value={th.key} checked={chosen.has(th.key)} />
                  {themeLabel(th, p.lang)}
                </label>
              ))}
            </div>
          </fieldset>
          <button type="submit">{tr('items.save')}</button>
        </form>
      ) : null}
    </article>
  );
}

export function ItemsPage(p: ItemsProps) {
  const tr = (k: MessageKey, params?: Record<string, string | number>) => t(p.lang, k, params);
  const f = p.filters;
  const back = p.back ?? itemsHref(p.slug, f);
  return (
    <Layout lang={p.lang} title={`${tr('items.title')} · ${p.title}`} url={p.url} user={p.user} flash={p.flash} nav={consultationNav(p.lang, p.slug, 'items', p.canWrite)}>
      <p>
        <a href={itemsHref(p.slug, { status: 'undecided' })} id="undecided-queue">
          {tr('items.undecidedQueue', { n: p.undecided })}
        </a>
      </p>
      <form method="get" action={`/c/${encodeURIComponent(p.slug)}/items`} class="card">
        <div class="filters">
          <Select name="theme" label={tr('items.theme')} value={f.theme} any={tr('items.any')} options={p.themes.map((th) => ({ value: th.key, label: themeLabel(th, p.lang) }))} />
          <Select name="context" label={tr('items.context')} value={f.context} any={tr('items.any')} options={p.contexts.map((v) => ({ value: v, label: v }))} />
          <Select name="channel" label={tr('items.channel')} value={f.channel} any={tr('items.any')} options={p.channels.map((v) => ({ value: v, label: v }))} />
          <Select name="status" label={tr('items.status')} value={f.status} any={tr('items.any')} options={STATUS_KEYS.map((s) => ({ value: s, label: tr(`status.${s}`) }))} />
          <div>
            <label for="f-q">{tr('items.text')}</label>
            <input id="f-q" type="search" name="q" value={f.q ?? ''} maxlength={200} />
          </div>
          <div>
            <button type="submit">{tr('items.apply')}</button> <a href={itemsHref(p.slug, {})}>{tr('items.clear')}</a>
          </div>
        </div>
      </form>
      {p.canWrite ? null : <p class="muted">{tr('items.readOnly')}</p>}
      {p.items.length === 0 ? <p class="muted">{tr('items.none')}</p> : p.items.map((item) => <ItemCard p={p} item={item} back={back} />)}
      <p>
        {f.cursor ? <a href={itemsHref(p.slug, { ...f, cursor: undefined })}>{tr('items.first')}</a> : null}{' '}
        {p.nextCursor ? (
          <a href={itemsHref(p.slug, { ...f, cursor: p.nextCursor })} rel="next">
            {tr('items.next')}
          </a>
        ) : null}
      </p>
    </Layout>
  );
}
