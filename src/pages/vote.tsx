/**
 * The voting page `/p/:pollId`: enter code → choose → confirm, each step a plain POST form, so it works
 * without JavaScript and on a small phone. The poll's question and options are participants' words:
 * they are only ever JSX text or attribute values (escaped), and marked dir="auto" so an Arabic option
 * in a French page (or the reverse) reads in its own direction.
 *
 * The shared catalogue (src/i18n) has the `vote.*` and `poll.*` keys; the few extra sentences the steps
 * need are kept here in the four languages until they move into the catalogue.
 */
import { type Lang, t } from '../i18n';
import type { PollResults, PollView } from '../services/polls';
import { Layout } from './layout';

export type VoteStep = 'code' | 'choose' | 'confirm' | 'done' | 'closed' | 'not_open';

export interface VoteMessage {
  kind: 'ok' | 'error' | 'info';
  text: string;
}

export interface VotePageProps {
  lang: Lang;
  /** Path and query of this page, for the language links. */
  url: string;
  poll: PollView;
  step: VoteStep;
  /** What the voter typed, carried from step to step in the forms (never in a URL). */
  code?: string;
  /** Option indexes chosen so far. */
  choices?: number[];
  /** The voter has a ballot already: a new one replaces it. */
  voted?: boolean;
  replaced?: boolean;
  messages?: VoteMessage[];
}

const EXTRA = {
  en: {
    step: 'Step {n} of 3',
    codeHelp: 'The code on your voting slip, e.g. K7QF-2M9X-4TRB-… Capital letters, spaces and dashes do not matter.',
    next: 'Next',
    votedBefore: 'You have voted in this poll already. If you vote again, your new vote replaces the earlier one.',
    confirmTitle: 'Check your vote',
    youChose: 'You chose:',
    change: 'Change my choice',
    tooMany: 'Too many wrong codes were tried from your connection. Please try again in {minutes} minutes.',
    invalidChoice: 'Please choose again from the options shown.',
    opensAt: 'Voting opens on {date}.',
    closesAt: 'Voting closes on {date}.',
    participantsUnknown: 'Participants unknown',
  },
  ar: {
    step: 'الخطوة {n} من 3',
    codeHelp: 'الرمز المطبوع على ورقة التصويت، مثل K7QF-2M9X-4TRB-… لا تهم الأحرف الكبيرة أو المسافات أو الشرطات.',
    next: 'التالي',
    votedBefore: 'لقد صوّتَّ في هذا الاستطلاع من قبل. إذا صوّتَّ مرة أخرى، يحلّ تصويتك الجديد محل السابق.',
    confirmTitle: 'راجع تصويتك',
    youChose: 'اخترت:',
    change: 'تغيير اختياري',
    tooMany: 'جُرّبت رموز خاطئة كثيرة من اتصالك. يُرجى المحاولة مرة أخرى بعد {minutes} دقيقة.',
    invalidChoice: 'يُرجى الاختيار مرة أخرى من الخيارات المعروضة.',
    opensAt: 'يبدأ التصويت في {date}.',
    closesAt: 'ينتهي التصويت في {date}.',
    participantsUnknown: 'عدد المشاركين غير معروف',
  },
  fr: {
    step: 'Étape {n} sur 3',
    codeHelp: 'Le code inscrit sur votre bulletin, par exemple K7QF-2M9X-4TRB-… Majuscules, espaces et tirets sont sans importance.',
    next: 'Suivant',
    votedBefore: 'Vous avez déjà voté dans ce sondage. Si vous votez à nouveau, votre nouveau vote remplace le précédent.',
    confirmTitle: 'Vérifiez votre vote',
    youChose: 'Vous avez choisi :',
    change: 'Modifier mon choix',
    tooMany: 'Trop de codes erronés ont été essayés depuis votre connexion. Réessayez dans {minutes} minutes.',
    invalidChoice: 'Choisissez à nouveau parmi les options proposées.',
    opensAt: 'Le vote ouvre le {date}.',
    closesAt: 'Le vote ferme le {date}.',
    participantsUnknown: 'Nombre de participants inconnu',
  },
  ja: {
    step: 'ステップ {n}/3',
    codeHelp: '投票用紙に書かれたコード（例: K7QF-2M9X-4TRB-…）。大文字・小文字、空白、ハイフンは区別しません。',
    next: '次へ',
    votedBefore: 'この投票にはすでに投票しています。もう一度投票すると、前の投票は新しい投票に置き換えられます。',
    confirmTitle: '投票内容の確認',
    youChose: 'あなたの選択:',
    change: '選び直す',
    tooMany: 'お使いの接続から誤ったコードが何度も入力されました。{minutes} 分後にもう一度お試しください。',
    invalidChoice: '表示されている選択肢からもう一度選んでください。',
    opensAt: '投票開始: {date}',
    closesAt: '投票締め切り: {date}',
    participantsUnknown: '参加者数不明',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type VoteTextKey = keyof (typeof EXTRA)['en'];

/** A sentence of the voting steps: `voteText('fr', 'next')` → 'Suivant'. */
export function voteText(lang: Lang, key: VoteTextKey, params: Record<string, string | number> = {}): string {
  return EXTRA[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}

/** A poll time for people, in UTC so everyone reads the same moment: `formatWhen('fr', '2026-12-01T18:00:00.000Z')`. */
export function formatWhen(lang: Lang, iso: string): string {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  return `${new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(when)} UTC`;
}

export function VotePage(p: VotePageProps) {
  const { lang, poll } = p;
  const action = `/p/${encodeURIComponent(poll.id)}?lang=${lang}`;
  const flash = (p.messages ?? []).map((m) => ({ kind: m.kind, text: m.text }));
  return (
    <Layout lang={lang} title={t(lang, 'vote.title')} url={p.url} flash={flash}>
      <section class="card">
        <h2 dir="auto">{poll.question}</h2>
        <Schedule lang={lang} poll={poll} />
        {p.step === 'code' ? <CodeStep {...p} action={action} /> : null}
        {p.step === 'choose' ? <ChooseStep {...p} action={action} /> : null}
        {p.step === 'confirm' ? <ConfirmStep {...p} action={action} /> : null}
        {p.step === 'closed' || p.step === 'not_open' || p.step === 'done' ? <OptionList poll={poll} /> : null}
      </section>
      {p.step === 'code' || p.step === 'done' || p.step === 'closed' ? <ResultsSection lang={lang} poll={poll} /> : null}
    </Layout>
  );
}

function Schedule({ lang, poll }: { lang: Lang; poll: PollView }) {
  const lines: string[] = [];
  if (poll.state === 'not_open' && poll.opensAt) lines.push(voteText(lang, 'opensAt', { date: formatWhen(lang, poll.opensAt) }));
  if (poll.state !== 'closed' && poll.closesAt) lines.push(voteText(lang, 'closesAt', { date: formatWhen(lang, poll.closesAt) }));
  return lines.length > 0 ? <p class="muted">{lines.join(' ')}</p> : null;
}

function OptionList({ poll }: { poll: PollView }) {
  return (
    <ol>
      {poll.options.map((label) => (
        <li dir="auto">{label}</li>
      ))}
    </ol>
  );
}

function CodeStep(p: VotePageProps & { action: string }) {
  const { lang } = p;
  return (
    <form method="post" action={p.action}>
      <p class="muted">{voteText(lang, 'step', { n: 1 })}</p>
      <OptionList poll={p.poll} />
      <input type="hidden" name="step" value="code" />
      <label for="code">{t(lang, 'vote.code')}</label>
      <input
        type="text"
        id="code"
        name="code"
        value={p.code ?? ''}
        required
        maxlength={200}
        autocomplete="off"
        autocapitalize="characters"
        spellcheck={false}
        dir="ltr"
        aria-describedby="code-help"
      />
      <p id="code-help" class="muted">
        {voteText(lang, 'codeHelp')}
      </p>
      <button type="submit">{voteText(lang, 'next')}</button>
    </form>
  );
}

function rule(lang: Lang, poll: PollView): string {
  if (!poll.multiple) return t(lang, 'vote.chooseOne');
  return poll.maxChoices !== null && poll.maxChoices < poll.options.length ? t(lang, 'vote.chooseUpTo', { n: poll.maxChoices }) : t(lang, 'vote.chooseMany');
}

function ChooseStep(p: VotePageProps & { action: string }) {
  const { lang, poll } = p;
  const chosen = new Set(p.choices ?? []);
  const type = poll.multiple ? 'checkbox' : 'radio';
  return (
    <form method="post" action={p.action}>
      <p class="muted">{voteText(lang, 'step', { n: 2 })}</p>
      {p.voted ? <p class="flash info">{voteText(lang, 'votedBefore')}</p> : null}
      <input type="hidden" name="step" value="choose" />
      <input type="hidden" name="code" value={p.code ?? ''} />
      <fieldset>
        <legend>{rule(lang, poll)}</legend>
        {poll.options.map((label, i) => (
          <label>
            <input type={type} name="choice" value={String(i)} checked={chosen.has(i)} /> <span dir="auto">{label}</span>
          </label>
        ))}
      </fieldset>
      <button type="submit">{voteText(lang, 'next')}</button>
    </form>
  );
}

function ConfirmStep(p: VotePageProps & { action: string }) {
  const { lang, poll } = p;
  const choices = p.choices ?? [];
  return (
    <div>
      <p class="muted">{voteText(lang, 'step', { n: 3 })}</p>
      <h3>{voteText(lang, 'confirmTitle')}</h3>
      {p.voted ? <p class="flash info">{voteText(lang, 'votedBefore')}</p> : null}
      <p>{voteText(lang, 'youChose')}</p>
      <ul>
        {choices.map((i) => (
          <li dir="auto">
            <b>{poll.options[i] ?? ''}</b>
          </li>
        ))}
      </ul>
      <form method="post" action={p.action}>
        <input type="hidden" name="step" value="confirm" />
        <input type="hidden" name="code" value={p.code ?? ''} />
        {choices.map((i) => (
          <input type="hidden" name="choice" value={String(i)} />
        ))}
        <button type="submit">{t(lang, 'vote.submit')}</button>
      </form>
      <form method="post" action={p.action}>
        {/* Back to the choices, with them still ticked. */}
        <input type="hidden" name="step" value="code" />
        <input type="hidden" name="code" value={p.code ?? ''} />
        {choices.map((i) => (
          <input type="hidden" name="choice" value={String(i)} />
        ))}
        <p>
          <button type="submit" class="link">
            {voteText(lang, 'change')}
          </button>
        </p>
      </form>
    </div>
  );
}

function ResultsSection({ lang, poll }: { lang: Lang; poll: PollView }) {
  if (poll.results === null) {
    return (
      <section class="card">
        <h2>{t(lang, 'vote.results')}</h2>
        <p class="muted">{t(lang, 'vote.resultsLater')}</p>
      </section>
    );
  }
  return (
    <section class="card">
      <h2>{t(lang, 'vote.results')}</h2>
      <ResultsList lang={lang} poll={poll} results={poll.results} />
    </section>
  );
}

function ResultsList({ lang, poll, results }: { lang: Lang; poll: PollView; results: PollResults }) {
  const kind = t(lang, poll.multiple ? 'poll.multiple' : 'poll.single');
  const head =
    results.participants === null
      ? `${voteText(lang, 'participantsUnknown')} - ${poll.options.length} - ${kind}`
      : t(lang, 'poll.line', { participants: results.participants, options: poll.options.length, kind });
  return (
    <div>
      <p>
        <b>{head}</b>
      </p>
      <ol>
        {results.options.map((o) => (
          <li>
            <span dir="auto">{o.label}</span> — {o.votes}
            {o.percent === null ? '' : ` (${o.percent} %)`}
            {o.percent === null ? null : (
              <div>
                <progress max={100} value={o.percent}>
                  {`${o.percent} %`}
                </progress>
              </div>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
