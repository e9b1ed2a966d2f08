/**
 * Interview notes (Markdown or plain text) → one message per point. Pure: text in, ParseResult out.
 *
 * Headings (`#`, setext, `**Bold line**`, a plain line ending with ':' before bullets, a short line directly
 * above bullets, or a plain "Interview with X" line) open sections nested by level. A heading names the
 * interview ("Interview with X", "Entretien avec X", "مقابلة مع X", "Xとのインタビュー" → participant X), a group
 * ("Group discussion, Dakar" → nobody in particular; the heading is the context unless a "Context:" is in
 * force), a context
 * ("Context: X"), or otherwise a theme: its text goes into `themeHints` (the ingest service maps hints to
 * theme keys). `Interviewee:`, `Participant:`, `Date:` and `Context:` lines set those for what follows, until a
 * heading at the same or a higher level closes the section they are in.
 *
 * Points: each bullet is one item, with its indented (or lazily wrapped) continuation lines. Sub-bullets are
 * items of their own. A parent ending with ':' introduces its sub-bullets, so its text is added to their hints;
 * a bare label ("Funding:", up to four words) is not an item itself. Other parents are not copied into their
 * children's hints: a sentence that does not introduce them is no help to the theme mapper. A bullet that
 * starts with a short label ("Community Health: reports go unanswered") keeps its text and adds the label. Paragraphs are items only in a section without bullets;
 * elsewhere they are descriptions, reported in a warning. Nothing is redacted here.
 */
import { unreadable } from '../errors';
import { asciiDigits, cleanText } from '../text/clean';
import { nameKey } from './identity';
import type { ParsedMessage, ParsedParticipant, ParseResult, Warning } from './types';
import { emptySkips } from './types';
import { MONTH_PATTERN, monthNumber } from './wiki-dates';

const words = (s: string) => new Set(s.split(',').map((w) => w.trim().toLowerCase()));

const PARTICIPANT_KEYS = words(
  'interviewee,participant,participante,participant(e),participante(s),personne interrogée,interviewé,interviewée,' +
    'interviewé(e),entrevistado,entrevistada,entrevistado/a,entrevistado(a),teilnehmer,teilnehmerin,interviewpartner,' +
    'interviewpartnerin,gesprächspartner,gesprächspartnerin,المشارك,المشاركة,الضيف,المستجيب,الشخص,参加者,対象者,' +
    'インタビュー対象者,回答者,話者,name,nom,nombre,nome,الاسم,名前,氏名',
);
const DATE_KEYS = words('date,fecha,data,datum,التاريخ,تاريخ,日付,日時,実施日,when,quand,cuándo,quando');
const CONTEXT_KEYS = words('context,contexte,contexto,kontext,السياق,سياق,背景,状況,コンテキスト,文脈');
/** Metadata the parser reads past without importing it as a point. */
const OTHER_KEYS = words(
  'channel,canal,kanal,القناة,location,place,lieu,lugar,local,ort,المكان,場所,interviewer,intervieweur,intervieweuse,' +
    'enquêteur,enquêtrice,entrevistador,entrevistadora,liaison,note-taker,notes by,notes par,notes de,language,langue,' +
    'idioma,sprache,اللغة,言語,duration,durée,duración,duração,dauer,المدة,所要時間,time,heure,hora,uhrzeit,الوقت,時刻,' +
    'role,rôle,rol,papel,rolle,الدور,役割,organisation,organization,organização,organización,affiliation,المنظمة,所属,' +
    'format,mode,modalité,modalidad,title,titre,título,titel,العنوان,タイトル',
);

const CONTEXT_HEADING = /^(?:context|contexte|contexto|kontext|السياق|سياق|コンテキスト|背景|状況|文脈)\s*[:：]\s*(.+)$/iu;

/** "Interview with X" in the languages liaisons write; the `name` group is X (and whatever follows it). */
const INTERVIEW_PATTERNS: readonly RegExp[] = [
  /^(?:(?:individual|1:1|1-on-1|one[- ]on[- ]one|follow[- ]up|phone|video|short)\s+)*(?:interview|conversation|call|chat|meeting|talk|session|1:1)\s+(?:with|w\/)\s+(?<name>.+)$/iu,
  /^(?:(?:premier|première|second|seconde|deuxième)\s+)?(?:entretien|entrevue|interview|conversation|échange|appel|rencontre)\s+(?:individuel\s+|téléphonique\s+)?avec\s+(?<name>.+)$/iu,
  /^(?:entrevista|conversación|conversa|llamada|chamada|reunión|reunião)\s+(?:individual\s+)?(?:con|com)\s+(?<name>.+)$/iu,
  /^(?:interview|gespräch|einzelgespräch|einzelinterview)\s+mit\s+(?<name>.+)$/iu,
  /^(?:ال)?(?:مقابلة|حوار|محادثة|لقاء)\s+(?:فردية\s+|هاتفية\s+)?مع\s+(?<name>.+)$/u,
  /^(?<name>.+?)\s*(?:さん|氏|様|先生)?\s*(?:との|への)\s*(?:インタビュー|面談|対話|会話|ヒアリング)/u,
  /^(?:インタビュー|面談)\s*[:：]\s*(?<name>.+)$/u,
];
/** "Interview: X" — only when X reads like a name, since "Interview: first impressions" is a theme. */
const INTERVIEW_LABEL = /^(?:interview(?:ee)?|entretien|entrevista|مقابلة)\s*[:：—–-]\s*(?<name>.+)$/iu;

const GROUP_PATTERN = new RegExp(
  [
    '\\b(?:group|focus[- ]group|workshop|round ?table|community (?:meeting|call|discussion)|town ?hall|meetup|panel)\\b',
    '\\b(?:groupe|atelier|table ronde|réunion|discussion collective)\\b',
    '\\b(?:grupo|taller|oficina|roda de conversa)\\b',
    '\\b(?:gruppe|gruppendiskussion|treffen)\\b',
    'مجموعة|جماعي|ورشة|اجتماع',
    'グループ|座談会|ワークショップ|ミーティング|会合',
  ].join('|'),
  'iu',
);

type FrameKind = 'root' | 'interview' | 'group' | 'context' | 'theme';

interface Frame {
  level: number;
  kind: FrameKind;
  text: string;
  /** Participant key for this section; null = a group or nobody; undefined = inherit. */
  participant?: string | null;
  /** Set by a "Context:" heading or line. */
  context?: string;
  /** A group heading's text: the context when no "Context:" is in force. */
  groupLabel?: string;
  at?: string;
}

interface Snapshot {
  participant: string | null;
  context?: string;
  at: string | null;
  hints: string[];
}

interface Block {
  kind: 'bullet' | 'para';
  indent: number;
  lines: string[];
  line: number;
  snap: Snapshot;
  /** Blank line seen after the block's last line (a lazy continuation is then impossible). */
  closedByBlank: boolean;
}

const BULLET_RE = /^(?:([-*+]|\d{1,3}[.)]|[\u0660-\u0669]{1,3}[.)])(?:[ \t]+|$)|([•・●○■▪◦‣–—])[ \t]*)(.*)$/u;
const HR_RE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const ATX_RE = /^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/;
const BOLD_LINE_RE = /^(?:\*\*|__)([^*_].*?)(?:\*\*|__)\s*[:：]?\s*$/;
const KV_RE = /^(?:\*\*|__)?([\p{L}][\p{L}\p{M} .()/-]{0,30}?)\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*(.+?)\s*$/u;
const TERMINAL = /[.!?。！？؟…]$/u;

const stripEmphasis = (s: string) =>
  s
    .replace(/\*\*|__/g, '')
    .replace(/(^|\s)[*_](\S[^*_]*\S|\S)[*_](?=\s|$|[.,;:!?])/g, '$1$2')
    .trim();
const headingText = (s: string) => stripEmphasis(s).replace(/\s*[:：]\s*$/, '').trim();

function indentOf(line: string): number {
  let n = 0;
  for (const ch of line) {
    if (ch === ' ') n++;
    else if (ch === '\t') n += 4 - (n % 4);
    else break;
  }
  return n;
}

/** The name out of "Amina Yusuf, librarian (29 May 2024)": the part before a comma, bracket or dash. */
function extractName(raw: string): string {
  const name = raw
    .split(/\s*[(（[]|\s*[,،、;|]\s*|\s+[—–-]\s+|\s*[:：]\s*/u)[0]
    ?.replace(/[.\s]+$/u, '')
    .trim();
  return name ?? '';
}

const looksLikeName = (s: string) =>
  s.length > 0 && s.split(/\s+/).length <= 4 && s.split(/\s+/).every((w) => !/^\p{Ll}/u.test(w));

interface DateParts {
  y: number;
  mo: number;
  d: number;
  ambiguous: boolean;
}

const num = (m: RegExpExecArray, i: number) => Number(m[i] ?? Number.NaN);

/** Hand-written date shapes, tried in order; the first that matches decides. */
const DATE_READERS: readonly { re: RegExp; read: (m: RegExpExecArray) => DateParts }[] = [
  { re: /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/, read: (m) => ({ y: num(m, 1), mo: num(m, 2), d: num(m, 3), ambiguous: false }) },
  { re: /(?<!\d)(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})/u, read: (m) => ({ y: num(m, 1), mo: num(m, 2), d: num(m, 3), ambiguous: false }) },
  {
    re: /(?<![\d.])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\d)/,
    read: (m) => {
      const [a, b, year] = [num(m, 1), num(m, 2), num(m, 3)];
      const y = year < 100 ? year + 2000 : year;
      // Day-first unless a part above 12 settles it (a liaison in the US writes 05/29/2024).
      if (b > 12 && a <= 12) return { y, mo: a, d: b, ambiguous: false };
      return { y, mo: b, d: a, ambiguous: a <= 12 && b <= 12 && a !== b };
    },
  },
  {
    re: new RegExp(
      `(?<!\\d)(\\d{1,2})(?:er|st|nd|rd|th|\\.|º)?\\s+(?:de\\s+)?(${MONTH_PATTERN})\\.?(?![\\p{L}\\p{M}])\\s*,?\\s*(?:de\\s+)?(\\d{4})`,
      'iu',
    ),
    read: (m) => ({ y: num(m, 3), mo: monthNumber(m[2] ?? '') ?? 0, d: num(m, 1), ambiguous: false }),
  },
  {
    re: new RegExp(`(?<![\\p{L}\\p{M}])(${MONTH_PATTERN})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})`, 'iu'),
    read: (m) => ({ y: num(m, 3), mo: monthNumber(m[1] ?? '') ?? 0, d: num(m, 2), ambiguous: false }),
  },
];

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A date (and time, if given) written by hand, as local ISO: `parseNoteDate("29 May 2024")` → "2024-05-29T00:00:00".
 * Day-first is assumed for 05/06/2024-style dates unless a part above 12 settles it; `ambiguous` says so.
 */
export function parseNoteDate(raw: string): { at: string; ambiguous: boolean } | null {
  const s = asciiDigits(cleanText(raw));
  for (const reader of DATE_READERS) {
    const m = reader.re.exec(s);
    if (!m) continue;
    const { y, mo, d, ambiguous } = reader.read(m);
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (y < 1990 || y > 2100 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
    const rest = s.slice(m.index + m[0].length);
    const t = /^[\s,]*(?:at|à|um|a las|às|في|\s)?\s*(\d{1,2})[:h.](\d{2})(?!\d)/iu.exec(rest);
    const hour = t ? Number(t[1]) : 0;
    const minute = t ? Number(t[2]) : 0;
    const time = hour < 24 && minute < 60 ? `${pad(hour)}:${pad(minute)}:00` : '00:00:00';
    return { at: `${y}-${pad(mo)}-${pad(d)}T${time}`, ambiguous };
  }
  return null;
}

/** Markdown inline → plain: emphasis markers, task boxes and `[label](url)` links. */
function plainInline(s: string): string {
  return stripEmphasis(
    s
      .replace(/^\[[ xX]\]\s+/, '')
      .replace(/!?\[([^\]]*)\]\(([^)\s]*)\)/g, (_m, label: string, url: string) => (label ? `${label} (${url})` : url))
      .replace(/`([^`]*)`/g, '$1'),
  );
}

/**
 * Parse interview notes into one message per point.
 * `parseNotes("## Interview with Ana Lima\n- Grants are slow")` →
 * one message `{ participant: "name:ana lima", text: "Grants are slow", at: null }`.
 */
export function parseNotes(text: string): ParseResult {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => cleanText(l).replace(/\s+$/, ''));
  const messages: ParsedMessage[] = [];
  const participants = new Map<string, ParsedParticipant>();
  const skipped = emptySkips();
  const warnings: Warning[] = [];
  const descriptionLines: number[] = [];
  let ambiguousDateLine: number | null = null;

  let frames: Frame[] = [{ level: 0, kind: 'root', text: '' }];
  let blocks: Block[] = [];

  const snapshot = (): Snapshot => {
    let participant: string | null | undefined;
    let context: string | undefined;
    let group: string | undefined;
    let at: string | undefined;
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i];
      if (!f) continue;
      if (participant === undefined && f.participant !== undefined) participant = f.participant;
      if (context === undefined && f.context !== undefined) context = f.context;
      if (group === undefined && f.groupLabel !== undefined) group = f.groupLabel;
      if (at === undefined && f.at !== undefined) at = f.at;
    }
    context ??= group;
    const hints = frames.filter((f) => f.kind === 'theme').map((f) => f.text);
    return { participant: participant ?? null, context, at: at ?? null, hints };
  };

  const addParticipant = (name: string): string => {
    const key = nameKey(name);
    const p = participants.get(key) ?? { key, names: [] };
    if (!p.names.includes(name)) p.names.push(name);
    participants.set(key, p);
    return key;
  };

  const setDate = (frame: Frame, raw: string, line: number): boolean => {
    const parsed = parseNoteDate(raw);
    if (!parsed) return false;
    frame.at = parsed.at;
    if (parsed.ambiguous && ambiguousDateLine === null) ambiguousDateLine = line;
    return true;
  };

  const emit = (b: Block, text: string, extraHints: string[]) => {
    const plain = plainInline(text.trim());
    if (!plain) {
      skipped.empty++;
      return;
    }
    const message: ParsedMessage = { participant: b.snap.participant, text: plain, at: b.snap.at, line: b.line };
    if (b.snap.context) message.context = b.snap.context;
    const hints = [...b.snap.hints, ...extraHints];
    if (hints.length > 0) message.themeHints = hints;
    messages.push(message);
  };

  /** Close the section: bullets become items (labels become hints); paragraphs only when there are no bullets. */
  const flushSection = () => {
    const bullets = blocks.filter((b) => b.kind === 'bullet');
    if (bullets.length === 0) {
      for (const b of blocks) emit(b, b.lines.join('\n'), []);
    } else {
      for (const b of blocks) if (b.kind === 'para') descriptionLines.push(b.line);
      const stack: { indent: number; label: string | null }[] = [];
      bullets.forEach((b, k) => {
        while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? -1) >= b.indent) stack.pop();
        const first = b.lines[0] ?? '';
        const next = bullets[k + 1];
        const introduces = next !== undefined && next.indent > b.indent && b.lines.length === 1 && /[:：]\s*$/u.test(first);
        const labels = stack.flatMap((s) => (s.label ? [s.label] : []));
        // "Funding:" is only a label; "Offline packs for areas without data:" is a point that also labels its children.
        const bareLabel = introduces && headingText(first).split(/\s+/).length <= 4;
        // "Community Health: reports go unanswered" names its theme inline.
        const inline = /^([^:：]{1,40}?)\s*[:：]\s+\S/u.exec(first)?.[1];
        const inlineLabel = inline && !/\/\/|^\d/.test(inline) && inline.split(/\s+/).length <= 4 ? [stripEmphasis(inline)] : [];
        if (!bareLabel) emit(b, b.lines.join('\n'), [...labels, ...inlineLabel]);
        stack.push({ indent: b.indent, label: introduces ? headingText(first) : null });
      });
    }
    blocks = [];
  };

  const openHeading = (level: number, raw: string, line: number) => {
    flushSection();
    frames = frames.filter((f) => f.level < level);
    const heading = headingText(raw);
    if (!heading) return;
    frames.push(classifyHeading(level, heading, line));
  };

  const classifyHeading = (level: number, heading: string, line: number): Frame => {
    const frame: Frame = { level, kind: 'theme', text: heading };
    const context = CONTEXT_HEADING.exec(heading);
    if (context?.[1]) return { level, kind: 'context', text: heading, context: context[1].trim() };
    const kv = KV_RE.exec(heading);
    if (kv?.[1] && kv[2] && PARTICIPANT_KEYS.has(kv[1].trim().toLowerCase())) {
      const name = extractName(kv[2]);
      if (name) return { level, kind: 'interview', text: heading, participant: addParticipant(name) };
    }
    for (const re of INTERVIEW_PATTERNS) {
      const m = re.exec(heading);
      const name = m?.groups?.name ? extractName(m.groups.name) : '';
      if (name && name.length <= 60) {
        frame.kind = 'interview';
        frame.participant = addParticipant(name);
        setDate(frame, heading, line);
        return frame;
      }
    }
    const label = INTERVIEW_LABEL.exec(heading);
    const labelled = label?.groups?.name ? extractName(label.groups.name) : '';
    if (labelled && looksLikeName(labelled)) {
      frame.kind = 'interview';
      frame.participant = addParticipant(labelled);
      setDate(frame, heading, line);
      return frame;
    }
    if (GROUP_PATTERN.test(heading)) {
      frame.kind = 'group';
      frame.participant = null;
      frame.groupLabel = heading;
      setDate(frame, heading, line);
    }
    return frame;
  };

  /** `Interviewee:` / `Date:` / `Context:` and other known metadata lines; true when the line was one. */
  const metadata = (content: string, line: number): boolean => {
    const kv = KV_RE.exec(content);
    if (!kv?.[1] || !kv[2]) return false;
    const key = kv[1].trim().toLowerCase();
    const value = stripEmphasis(kv[2]);
    const frame = frames[frames.length - 1];
    if (!frame) return false;
    if (PARTICIPANT_KEYS.has(key)) {
      const name = extractName(value);
      if (!name) return false;
      flushSection();
      frame.participant = addParticipant(name);
      return true;
    }
    if (DATE_KEYS.has(key)) {
      flushSection();
      if (!setDate(frame, value, line)) {
        warnings.push({ code: 'unreadable_date', line, message: `line ${line}: cannot read the date '${value}' — write it as 2024-05-29` });
      }
      return true;
    }
    if (CONTEXT_KEYS.has(key)) {
      flushSection();
      frame.context = value;
      return true;
    }
    if (OTHER_KEYS.has(key)) return true;
    return false;
  };

  const isBullet = (l: string | undefined) => l !== undefined && !HR_RE.test(l) && BULLET_RE.test(l.trimStart());
  const nextNonBlank = (i: number) => {
    for (let j = i + 1; j < lines.length; j++) if ((lines[j] ?? '').trim() !== '') return lines[j];
    return undefined;
  };

  let start = 0;
  // Front matter: `---` / key: value lines / `---` at the very top.
  if (lines[0]?.trim() === '---') {
    const close = lines.findIndex((l, i) => i > 0 && i < 40 && l.trim() === '---');
    const inner = close > 0 ? lines.slice(1, close) : [];
    if (close > 0 && inner.every((l) => l.trim() === '' || KV_RE.test(l.trim()))) {
      inner.forEach((l, i) => {
        const kv = KV_RE.exec(l.trim());
        if (kv?.[1] && kv[2] && /^(?:title|titre|título|titel)$/i.test(kv[1].trim())) openHeading(1, kv[2], i + 2);
        else metadata(l.trim(), i + 2);
      });
      start = close + 1;
    }
  }

  let firstContentLine = start;
  while (firstContentLine < lines.length && (lines[firstContentLine] ?? '').trim() === '') firstContentLine++;
  let blankSince = true;
  for (let i = start; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const lineNo = i + 1;
    const content = raw.trim().replace(/^>\s?/, '');
    const last = blocks[blocks.length - 1];
    if (content === '') {
      if (last) last.closedByBlank = true;
      blankSince = true;
      continue;
    }
    const indent = indentOf(raw);
    const wasBlank = blankSince;
    blankSince = false;

    if (HR_RE.test(raw)) {
      if (last) last.closedByBlank = true;
      blankSince = true;
      continue;
    }
    const atx = ATX_RE.exec(raw);
    if (atx?.[1]) {
      openHeading(atx[1].length, atx[2] ?? '', lineNo);
      blankSince = true;
      continue;
    }
    const bullet = isBullet(raw) ? BULLET_RE.exec(raw.trimStart()) : null;
    if (bullet) {
      const body = (bullet[3] ?? '').trim();
      blocks.push({ kind: 'bullet', indent, lines: [body], line: lineNo, snap: snapshot(), closedByBlank: false });
      continue;
    }
    // Indented text under a bullet continues it, across blank lines too.
    if (last?.kind === 'bullet' && indent > last.indent) {
      last.lines.push(last.closedByBlank ? `\n${content}` : content);
      last.closedByBlank = false;
      continue;
    }
    const next = lines[i + 1];
    const underline = next !== undefined && wasBlank ? /^ {0,3}(=+|-{2,})[ \t]*$/.exec(next) : null;
    if (underline?.[1]) {
      openHeading(underline[1].startsWith('=') ? 1 : 2, content, lineNo);
      i++;
      blankSince = true;
      continue;
    }
    const bold = BOLD_LINE_RE.exec(content);
    if (bold?.[1] && !bold[1].includes('**')) {
      openHeading(7, bold[1], lineNo);
      blankSince = true;
      continue;
    }
    if (metadata(content, lineNo)) {
      blankSince = true;
      continue;
    }
    const before = nextNonBlank(i);
    if (/[:：]$/u.test(content) && content.length <= 80 && isBullet(before)) {
      openHeading(7, content, lineNo);
      blankSince = true;
      continue;
    }
    if (wasBlank && content.length <= 100) {
      const nextIsBreak = next === undefined || next.trim() === '';
      const probe = classifyHeadingKind(headingText(content));
      // "Interview with X" lines are specific enough; a group word in a longer or punctuated line is a sentence.
      const groupLine = probe === 'group' && !TERMINAL.test(content) && content.split(/\s+/).length <= 8;
      if (probe === 'interview' || probe === 'context' || groupLine) {
        openHeading(6, content, lineNo);
        blankSince = true;
        continue;
      }
      // The first line of the file, alone and unpunctuated, is its title.
      if (blocks.length === 0 && frames.length === 1 && messages.length === 0 && nextIsBreak && content.length <= 80 && !TERMINAL.test(content) && i === firstContentLine) {
        openHeading(1, content, lineNo);
        blankSince = true;
        continue;
      }
      if (isBullet(next) && content.length <= 60 && !TERMINAL.test(content)) {
        openHeading(7, content, lineNo);
        blankSince = true;
        continue;
      }
    }
    // Markdown's lazy continuation: a wrapped bullet line without indentation.
    if (last && !last.closedByBlank && !wasBlank) {
      last.lines.push(content);
      continue;
    }
    blocks.push({ kind: 'para', indent, lines: [content], line: lineNo, snap: snapshot(), closedByBlank: false });
  }
  flushSection();

  if (ambiguousDateLine !== null) {
    warnings.push({
      code: 'ambiguous_date',
      line: ambiguousDateLine,
      message: `line ${ambiguousDateLine}: the date could be day/month or month/day; read as day/month — write dates as 2024-05-29 to be sure`,
    });
  }
  if (descriptionLines.length > 0) {
    const shown = descriptionLines.slice(0, 5).join(', ');
    const more = descriptionLines.length > 5 ? ` and ${descriptionLines.length - 5} more` : '';
    warnings.push({
      code: 'paragraph_not_imported',
      line: descriptionLines[0],
      message: `lines ${shown}${more}: text outside the bullets of a section was read as a description, not as a point — make it a bullet to import it`,
    });
  }
  if (messages.length === 0) {
    throw unreadable(
      'no points found: write each point as a bullet ("- …") under a heading such as "## Interview with …" or a theme name',
    );
  }
  return { format: 'notes', messages, participants: [...participants.values()], polls: [], skipped, warnings };
}

/** Which kind of heading a plain line would be, without side effects (used to spot "Interview with X" lines). */
function classifyHeadingKind(heading: string): FrameKind {
  if (CONTEXT_HEADING.test(heading)) return 'context';
  for (const re of INTERVIEW_PATTERNS) {
    const m = re.exec(heading);
    if (m?.groups?.name && extractName(m.groups.name)) return 'interview';
  }
  const label = INTERVIEW_LABEL.exec(heading);
  if (label?.groups?.name && looksLikeName(extractName(label.groups.name))) return 'interview';
  if (GROUP_PATTERN.test(heading)) return 'group';
  return 'theme';
}
