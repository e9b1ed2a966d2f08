/** `/c/:slug`: the themed dashboard. Every number comes from the dashboard counters via getDashboard. */
import { type Lang, type MessageKey, t } from '../i18n';
import type { Bucket, Dashboard } from '../services/dashboard';
import type { PollView } from '../services/polls';
import { GroupedBars, Timeline } from './charts';
import { consultationNav, themeLabel } from './consultation-nav';
import { type Flash, Layout, type PageUser } from './layout';

export interface DashboardProps {
  lang: Lang;
  url: string;
  user: PageUser;
  flash: Flash[];
  canWrite: boolean;
  dashboard: Dashboard;
}

function Stat(props: { label: string; value: number; href?: string; id: string }) {
  return (
    <div class="stat" id={props.id}>
      <span>{props.href ? <a href={props.href}>{props.label}</a> : props.label}</span>
      <b data-value={String(props.value)}>{String(props.value)}</b>
    </div>
  );
}

function BucketTable(props: { lang: Lang; title: MessageKey; buckets: Bucket[]; id: string }) {
  const tr = (k: MessageKey) => t(props.lang, k);
  return (
    <section id={props.id}>
      <h3>{tr(props.title)}</h3>
      {props.buckets.length === 0 ? (
        <p class="muted">—</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>{tr('dash.value')}</th>
                <th class="n">{tr('dash.count')}</th>
              </tr>
            </thead>
            <tbody>
              {props.buckets.map((b) => (
                <tr>
                  <td>{b.value === '' ? tr('dash.unknown') : b.value}</td>
                  <td class="n">{String(b.items)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function PollResults(props: { lang: Lang; poll: PollView }) {
  const { lang, poll } = props;
  const r = poll.results;
  return (
    <div class="card poll">
      <h3>{poll.question}</h3>
      {r === null ? (
        <p class="muted">{t(lang, 'vote.resultsLater')}</p>
      ) : (
        <>
          <p>
            {t(lang, 'poll.line', {
              participants: r.participants === null ? '?' : r.participants,
              options: r.options.length,
              kind: t(lang, poll.multiple ? 'poll.multiple' : 'poll.single'),
            })}
          </p>
          <ol>
            {r.options.map((o) => (
              <li>
                {o.label} ({String(o.votes)}
                {o.percent === null ? '' : ` - ${o.percent} %`})
              </li>
            ))}
          </ol>
          {r.note ? <p class="muted">{r.note}</p> : null}
        </>
      )}
    </div>
  );
}

export function DashboardPage(p: DashboardProps) {
  const { lang, dashboard: d } = p;
  const tr = (k: MessageKey, params?: Record<string, string | number>) => t(lang, k, params);
  const base = `/c/${encodeURIComponent(d.consultation.slug)}`;
  const report = `/api/consultations/${encodeURIComponent(d.consultation.slug)}`;
  return (
    <Layout lang={lang} title={d.consultation.title} url={p.url} user={p.user} flash={p.flash} nav={consultationNav(lang, d.consultation.slug, 'dashboard', p.canWrite)}>
      <section id="participation">
        <h2>{tr('dash.participation')}</h2>
        <div class="grid">
          <Stat id="stat-items" label={tr('dash.totalItems')} value={d.totals.items} />
          <Stat id="stat-participants" label={tr('dash.participants')} value={d.totals.participants} />
          <Stat id="stat-tagged" label={tr('dash.tagged')} value={d.totals.tagged} />
          <Stat id="stat-pending" label={tr('dash.pending')} value={d.totals.pending} href={`${base}/items?status=pending`} />
          <Stat id="stat-undecided" label={tr('dash.undecided')} value={d.totals.undecided} href={`${base}/items?status=undecided`} />
          <Stat id="stat-none" label={tr('dash.noTheme')} value={d.totals.none} href={`${base}/items?status=none`} />
        </div>
        {d.totals.items === 0 ? <p class="muted">{tr('dash.empty')}</p> : null}
      </section>

      <section id="themes">
        <h2>{tr('dash.themes')}</h2>
        <div class="card">
          <GroupedBars
            lang={lang}
            title={tr('dash.chartTitle')}
            series={[tr('dash.legendItems'), tr('dash.legendParticipants')]}
            rows={d.themes.map((th) => ({ label: themeLabel(th, lang), values: [th.items, th.participants] }))}
          />
        </div>
        <div class="scroll">
          <table id="theme-table">
            <thead>
              <tr>
                <th>{tr('dash.theme')}</th>
                <th class="n">{tr('dash.themeItems')}</th>
                <th class="n">{tr('dash.themeParticipants')}</th>
              </tr>
            </thead>
            <tbody>
              {d.themes.map((th) => (
                <tr data-theme={th.key}>
                  <td>
                    <a href={`${base}/themes/${encodeURIComponent(th.key)}`}>{themeLabel(th, lang)}</a>
                  </td>
                  <td class="n">{String(th.items)}</td>
                  <td class="n">{String(th.participants)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section id="breakdowns" class="grid">
        <BucketTable lang={lang} id="by-channel" title="dash.byChannel" buckets={d.byChannel} />
        <BucketTable lang={lang} id="by-context" title="dash.byContext" buckets={d.byContext} />
        <BucketTable lang={lang} id="by-language" title="dash.byLanguage" buckets={d.byLanguage} />
      </section>

      <section id="timeline">
        <h2>{tr('dash.timeline')}</h2>
        {d.timeline.length === 0 ? (
          <p class="muted">—</p>
        ) : (
          <div class="card">
            <Timeline lang={lang} title={tr('dash.timelineTitle')} days={d.timeline} />
          </div>
        )}
      </section>

      <section id="polls">
        <h2>{tr('dash.polls')}</h2>
        {d.polls.length === 0 ? <p class="muted">{tr('dash.noPolls')}</p> : d.polls.map((poll) => <PollResults lang={lang} poll={poll} />)}
      </section>

      <section id="report">
        <h2>{tr('c.report')}</h2>
        <ul>
          <li>
            <a href={`${report}/report.wiki`}>report.wiki</a>
          </li>
          <li>
            <a href={`${report}/report.md`}>report.md</a>
          </li>
          <li>
            <a href={`${report}/report.json`}>report.json</a>
          </li>
          <li>
            <a href={`${report}/items.csv`}>items.csv</a>
          </li>
        </ul>
      </section>
    </Layout>
  );
}
