/** `/c/:slug/upload`: the upload form (multipart, works without JS; /assets/upload.js adds a progress bar) and its result. */
import { type Lang, type MessageKey, t } from '../i18n';
import { FORMATS } from '../ingest/types';
import type { UploadResult } from '../services/ingest';
import { consultationNav } from './consultation-nav';
import { CsrfField, type Flash, Layout, type PageUser } from './layout';

export interface UploadFormValues {
  format?: string;
  channel?: string;
  context?: string;
  language?: string;
}

export interface UploadPageProps {
  lang: Lang;
  url: string;
  user: PageUser;
  flash: Flash[];
  slug: string;
  title: string;
  values: UploadFormValues;
  result?: UploadResult;
}

function Row(props: { label: string; value: string; id: string }) {
  return (
    <tr id={props.id}>
      <th scope="row">{props.label}</th>
      <td class="n">{props.value}</td>
    </tr>
  );
}

function Result(props: { lang: Lang; slug: string; result: UploadResult }) {
  const { lang, result: r } = props;
  const tr = (k: MessageKey) => t(lang, k);
  const skipped = r.skippedBy.system + r.skippedBy.media + r.skippedBy.deleted + r.skippedBy.empty;
  return (
    <section class="card" id="upload-result">
      <h2>{tr('upload.result')}</h2>
      {r.duplicate ? <p class="flash info">{tr('upload.duplicate')}</p> : null}
      <table>
        <tbody>
          <Row id="r-format" label={tr('upload.format')} value={r.format} />
          <Row id="r-items" label={tr('upload.items')} value={String(r.items)} />
          <Row id="r-duplicates" label={tr('upload.duplicates')} value={String(r.duplicates)} />
          <Row id="r-skipped" label={tr('upload.skipped')} value={`${skipped} (${r.skippedBy.system} / ${r.skippedBy.media} / ${r.skippedBy.deleted} / ${r.skippedBy.empty})`} />
          <Row id="r-participants" label={tr('upload.participants')} value={String(r.participants)} />
          <Row id="r-polls" label={tr('upload.polls')} value={String(r.polls)} />
          <Row id="r-redactions" label={tr('upload.redactions')} value={`${r.redactions.phone} / ${r.redactions.email} / ${r.redactions.name}`} />
        </tbody>
      </table>
      <h3>{tr('upload.warnings')}</h3>
      {r.warnings.length === 0 ? (
        <p class="muted">{tr('upload.noWarnings')}</p>
      ) : (
        <ul id="r-warnings">
          {r.warnings.map((w) => (
            <li>
              {w.line !== undefined ? `line ${w.line}: ` : ''}
              {w.message}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a class="button" href={`/c/${encodeURIComponent(props.slug)}`}>
          {tr('upload.toDashboard')}
        </a>{' '}
        <a href={`/c/${encodeURIComponent(props.slug)}/upload`}>{tr('upload.again')}</a>
      </p>
    </section>
  );
}

export function UploadPage(p: UploadPageProps) {
  const tr = (k: MessageKey) => t(p.lang, k);
  const v = p.values;
  return (
    <Layout
      lang={p.lang}
      title={`${tr('upload.title')} · ${p.title}`}
      url={p.url}
      user={p.user}
      flash={p.flash}
      nav={consultationNav(p.lang, p.slug, 'upload', true)}
      scripts={p.result ? [] : ['/assets/upload.js']}
    >
      {p.result ? (
        <Result lang={p.lang} slug={p.slug} result={p.result} />
      ) : (
        <form method="post" action={`/c/${encodeURIComponent(p.slug)}/upload`} enctype="multipart/form-data" class="card" id="upload-form">
          <p>{tr('upload.intro')}</p>
          <CsrfField user={p.user} />
          <label for="u-file">{tr('upload.file')}</label>
          <input id="u-file" type="file" name="file" required />
          <label for="u-format">{tr('upload.format')}</label>
          <select id="u-format" name="format">
            <option value="">{tr('upload.formatAuto')}</option>
            {FORMATS.map((f) => (
              <option value={f} selected={v.format === f}>
                {f}
              </option>
            ))}
          </select>
          <label for="u-channel">{tr('upload.channel')}</label>
          <input id="u-channel" type="text" name="channel" value={v.channel ?? ''} maxlength={200} />
          <label for="u-context">{tr('upload.context')}</label>
          <input id="u-context" type="text" name="context" value={v.context ?? ''} maxlength={200} />
          <label for="u-language">{tr('upload.language')}</label>
          <input id="u-language" type="text" name="language" value={v.language ?? ''} maxlength={3} pattern="[a-z]{2,3}" />
          <p>
            <button type="submit">{tr('upload.submit')}</button>
          </p>
          <div id="upload-progress" hidden>
            <label for="u-progress">{tr('upload.progress')}</label>
            <progress id="u-progress" max="100" value="0" />
          </div>
        </form>
      )}
    </Layout>
  );
}

/**
 * Optional progress bar: sends the same form with XMLHttpRequest to see upload progress, then shows the
 * result page the server sent. Parsed with DOMParser, whose scripts never run; without JS the form posts normally.
 */
export const UPLOAD_SCRIPT = `(function () {
  var form = document.getElementById('upload-form');
  if (!form || !window.XMLHttpRequest || !window.FormData || !window.DOMParser) return;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var box = document.getElementById('upload-progress');
    var bar = document.getElementById('u-progress');
    var button = form.querySelector('button[type=submit]');
    if (box) box.hidden = false;
    if (button) button.disabled = true;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable && bar) bar.value = Math.round((100 * e.loaded) / e.total);
    };
    xhr.onload = function () {
      var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      document.title = doc.title;
      document.body.replaceWith(document.adoptNode(doc.body));
    };
    xhr.onerror = function () {
      if (button) button.disabled = false;
      if (box) box.hidden = true;
      form.submit();
    };
    xhr.send(new FormData(form));
  });
})();
`;
