/**
 * MediaWiki talk pages (wikitext) → one message per signed comment. Pure: text in, ParseResult out.
 *
 * A signature is a timestamp with a zone in brackets ("07:41, 29 May 2024 (UTC)", localized forms in
 * wiki-dates.ts) preceded, within 100 characters, by a link to a user page, user talk page or
 * Special:Contributions (in any of the common site languages, with interwiki prefixes such as `m:`), or an
 * `{{unsigned|User|date}}` template. The comment body is the text since the previous signature: unsigned
 * lines wait and join the next signed comment that is not indented deeper than they are (a deeper reply
 * in between is someone else answering, so the waiting lines stay for the later signature at their level);
 * lines still waiting at the next heading are reported in a warning, not imported.
 *
 * Text clean-up choices: indentation markers, bold/italic, tags, refs and file/category links are removed;
 * `[[link|label]]` → label, `[[link]]` → link, `[url label]` → label (`[url]` → url); struck text
 * (`<s>`, `<del>`) is dropped because the author retracted it; templates are dropped except stance
 * templates (`{{support}}` → "Support", `{{done}}` → "Done": in a consultation they are the opinion),
 * quotes (`{{tq|text}}` → text), pings (`{{ping|X}}` → "@X") and inline formatting (`{{small|x}}` → x).
 */
import { unreadable } from '../errors';
import { asciiDigits, cleanText } from '../text/clean';
import type { ParsedMessage, ParsedParticipant, ParseResult, Warning } from './types';
import { emptySkips } from './types';
import { findWikiTimestamps, parseWikiTimestamp } from './wiki-dates';

const set = (s: string) => new Set(s.split(',').map((x) => x.trim().toLowerCase()));

/** User namespace names (canonical and localized; the gender variants too). */
const USER_NS = set(
  'user,benutzer,benutzerin,utilisateur,utilisatrice,usuario,usuaria,usuário,usuária,utilizador,utilizadora,utente,' +
    'gebruiker,مستخدم,مستخدمة,利用者,用户,用戶,使用者,участник,участница,користувач,користувачка,użytkownik,' +
    'użytkowniczka,wikipedysta,wikipedystka,kullanıcı,bruker,användare,bruger,käyttäjä,uživatel,uživatelka,' +
    'felhasználó,ผู้ใช้,사용자,korisnik,корисник,pengguna,người dùng,משתמש,משתמשת,کاربر,उपयोगकर्ता,mtumiaji',
);
const TALK_NS = set(
  'user talk,benutzer diskussion,benutzerin diskussion,discussion utilisateur,discussion utilisatrice,' +
    'usuario discusión,usuaria discusión,usuário discussão,usuária discussão,utilizador discussão,' +
    'utilizadora discussão,discussioni utente,overleg gebruiker,نقاش المستخدم,نقاش المستخدمة,利用者-会話,' +
    '用户讨论,用戶討論,使用者討論,обсуждение участника,обсуждение участницы,обговорення користувача,' +
    'dyskusja użytkownika,dyskusja użytkowniczki,dyskusja wikipedysty,kullanıcı mesaj,brukerdiskusjon,' +
    'användardiskussion,brugerdiskussion,keskustelu käyttäjästä,diskuse s uživatelem,szerkesztővita,' +
    '사용자토론,คุยกับผู้ใช้,שיחת משתמש,بحث کاربر,pembicaraan pengguna,thảo luận người dùng,mtumiaji majadiliano',
);
const SPECIAL_NS = set(
  'special,spezial,spécial,especial,speciale,خاص,特別,特殊,служебная,спеціальна,specjalna,özel,spesial,' +
    'toiminnot,speciální,speciális,посебно,istimewa,đặc biệt,מיוחד,ویژه,maalum,특수,พิเศษ',
);
const CONTRIBS = set(
  'contributions,contribs,contribuciones,contribuições,contributi,beiträge,مساهمات,投稿記録,用户贡献,用戶貢獻,' +
    'вклад,внесок,wkład,katkılar,bidrag,muokkaukset,příspěvky,bijdragen,доприноси,sumbangan pengguna,' +
    'đóng góp,תרומות,مشارکت‌ها,michango,기여,เรื่องที่เขียน',
);
const INTERWIKI = set('m,meta,w,wikipedia,commons,c,mw,mediawikiwiki,wikt,wiktionary,foundation,wmf,species,incubator,outreach,d,wikidata,b,q,n,s,v,voy');
const FILE_NS = set(
  'file,image,media,datei,bild,fichier,archivo,imagen,arquivo,imagem,ficheiro,immagine,ملف,صورة,ファイル,画像,文件,檔案,файл,plik,dosya',
);
const CATEGORY_NS = set('category,kategorie,catégorie,categoría,categoria,تصنيف,カテゴリ,分类,分類,категория,kategoria,kategori');

const UNSIGNED_TEMPLATES =
  'unsigned|unsigned2|unsigned3|unsignedip|unsignedip2|unsigned ip|unsigned-ip|unsigned ip2|unsig|nicht signiert|unsigniert|' +
  'non signé|non signe|non-signé|sin firmar|no firmado|não assinado|nao assinado|غير موقع|未署名|niepodpisany';
const UNSIGNED_RE = new RegExp(`\\{\\{\\s*(?:${UNSIGNED_TEMPLATES})\\s*\\|([^{}]*)\\}\\}`, 'giu');

/** Templates whose name is the message (a stance or a status) — kept as a word. */
const STANCE = set(
  'support,oppose,neutral,comment,agree,disagree,done,not done,partly done,question,yes,no,keep,delete,' +
    'strong support,weak support,strong oppose,weak oppose,+1,pour,contre,neutre,plutôt pour,plutôt contre,' +
    'pro,contra,dafür,dagegen,a favor,en contra,concordo,discordo,apoio,مؤيد,معارض,賛成,反対,中立',
);
const QUOTE = set('quote,tq,tqi,talkquote,talk quote,talk quote inline,blockquote,quotation,cquote,xt,zitat,citation,cita,citação,اقتباس,引用');
const PING = set('ping,re,reply to,replyto,reply,rto,mention,yo,notify,ping2,hello');
const USER_MENTION = set('u,user,noping,user0,unping,np');
const INLINE = set('small,smaller,big,nowrap,nobr,em,strong,uu,underline,highlight,mark,code,kbd,tt,tl,tlx,tlp,tls,tlxs');

/** Bots and mass-message senders: their posts are notices, not feedback. */
const BOT_USERS = set('mediawiki message delivery,global message delivery,mediawiki default,maintenance script');
const isBot = (user: string) => BOT_USERS.has(user.toLowerCase()) || /Bot\b/.test(user) || /\bbot\b/i.test(user);

interface UserLink {
  start: number;
  end: number;
  user: string;
  kind: 'user' | 'talk' | 'contribs';
  label: string | null;
}

interface Signature {
  start: number;
  end: number;
  user: string;
  labels: string[];
  at: string | null;
  unknownZone?: string;
}

interface Waiting {
  text: string;
  line: number;
  level: number;
  blankBefore: boolean;
}

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const IPV6 = /^[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}$/i;
const isIp = (u: string) => IPV4.test(u) || IPV6.test(u);

/** MediaWiki's user name form: underscores are spaces, first letter upper case (IPv6 upper case throughout). */
function normaliseUser(raw: string): string {
  const u = raw.replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
  if (IPV6.test(u)) return u.toUpperCase();
  const first = u.codePointAt(0);
  if (first === undefined) return '';
  const head = String.fromCodePoint(first);
  return head.toUpperCase() + u.slice(head.length);
}

/** Participant key for a wiki user: `wiki:Jane Doe`, or `ip:192.0.2.1` for an anonymous editor. */
function userKey(user: string): string {
  return isIp(user) ? `ip:${user}` : `wiki:${user}`;
}

/** Who a link target points at, if it is a user page, user talk page or contributions page. */
function userFromTarget(rawTarget: string): { user: string; kind: UserLink['kind'] } | null {
  let t = decodeEntities(rawTarget).replace(/_/g, ' ').replace(/\u2010/g, '-').trim().replace(/^:\s*/, '');
  // Interwiki and language prefixes ("m:", "w:en:", ":fr:") in front of the namespace.
  for (let i = 0; i < 3; i++) {
    const m = /^([a-z][a-z-]{0,11})\s*:\s*(.*)$/i.exec(t);
    if (!m?.[1] || m[2] === undefined) break;
    const prefix = m[1].toLowerCase();
    if (!INTERWIKI.has(prefix) && !/^[a-z]{2,3}(?:-[a-z]{2,8})?$/.test(prefix)) break;
    if (!m[2].includes(':')) break;
    t = m[2];
  }
  const colon = t.indexOf(':');
  if (colon <= 0) return null;
  const ns = t.slice(0, colon).replace(/\s+/g, ' ').trim().toLowerCase();
  const rest = t.slice(colon + 1).split('#')[0]?.trim() ?? '';
  let user: string;
  let kind: UserLink['kind'];
  if (USER_NS.has(ns) || TALK_NS.has(ns)) {
    // A subpage (User:X/sandbox) is a page about something, not a signature.
    if (rest.includes('/')) return null;
    user = rest;
    kind = USER_NS.has(ns) ? 'user' : 'talk';
  } else if (SPECIAL_NS.has(ns)) {
    const slash = rest.indexOf('/');
    if (slash < 0 || !CONTRIBS.has(rest.slice(0, slash).trim().toLowerCase())) return null;
    user = rest.slice(slash + 1);
    kind = 'contribs';
  } else {
    return null;
  }
  user = normaliseUser(user);
  if (!user || user.length > 85 || /[[\]{}|<>]/.test(user)) return null;
  return { user, kind };
}

const LINK_RE = /\[\[([^[\]|\n]+)(?:\|([^[\]\n]*))?\]\]/g;

function findUserLinks(text: string): UserLink[] {
  const links: UserLink[] = [];
  for (const m of text.matchAll(LINK_RE)) {
    const who = userFromTarget(m[1] ?? '');
    if (who) links.push({ start: m.index, end: m.index + m[0].length, ...who, label: m[2] ?? null });
  }
  return links;
}

/** How far a signature's last user link may sit from its timestamp (DiscussionTools uses the same limit). */
const SIGNATURE_SCAN_LIMIT = 100;

/** Signatures in one logical line, left to right. `scan` is `text` with ASCII digits (same length). */
function findSignatures(text: string, scan: string): { sigs: Signature[]; unknownZones: string[] } {
  const links = findUserLinks(text);
  const sigs: Signature[] = [];
  const unknownZones: string[] = [];
  let segStart = 0;
  for (const ts of findWikiTimestamps(scan)) {
    const before = links.filter((l) => l.start >= segStart && l.end <= ts.start);
    const closest = before[before.length - 1];
    if (!closest || ts.start - closest.end > SIGNATURE_SCAN_LIMIT) continue;
    let groupStart = closest.start;
    const group = [closest];
    for (let j = before.length - 2; j >= 0; j--) {
      const l = before[j];
      if (!l || l.user !== closest.user || groupStart - l.end > 60) break;
      groupStart = l.start;
      group.unshift(l);
    }
    sigs.push({ start: groupStart, end: ts.end, user: closest.user, labels: signatureLabels(group), at: ts.at, unknownZone: ts.unknownZone });
    if (ts.unknownZone) unknownZones.push(ts.unknownZone);
    segStart = ts.end;
  }
  for (const m of text.matchAll(UNSIGNED_RE)) {
    const start = m.index;
    const end = start + m[0].length;
    if (sigs.some((s) => start < s.end && end > s.start)) continue;
    const sig = unsignedTemplate(m[1] ?? '', start, end);
    if (sig) {
      sigs.push(sig);
      if (sig.unknownZone) unknownZones.push(sig.unknownZone);
    }
  }
  sigs.sort((a, b) => a.start - b.start);
  return { sigs, unknownZones };
}

/** `{{unsigned|User|date}}` and `{{unsigned2|date|User}}`: whichever parameter reads as a date is the date. */
function unsignedTemplate(params: string, start: number, end: number): Signature | null {
  let user: string | null = null;
  let at: string | null = null;
  let unknownZone: string | undefined;
  for (const raw of params.split('|')) {
    const p = raw.trim();
    if (!p || /^[^=]*[^\d=\s][^=]*=/.test(p)) continue;
    const ts: { at: string; unknownZone?: string } | null = at === null ? parseWikiTimestamp(asciiDigits(p)) : null;
    if (ts) {
      at = ts.at;
      unknownZone = ts.unknownZone;
    } else if (user === null) {
      const linked = /\[\[([^[\]|]+)/.exec(p);
      user = linked?.[1] ? (userFromTarget(linked[1])?.user ?? null) : normaliseUser(cleanInline(p));
    }
  }
  if (!user) return null;
  return { start, end, user, labels: [], at, unknownZone };
}

/** Display forms from a signature's links: user-page labels always, talk/contribs labels only when they spell the name. */
function signatureLabels(group: UserLink[]): string[] {
  const labels: string[] = [];
  for (const l of group) {
    if (l.label === null) continue;
    const label = cleanInline(l.label);
    if (!label || label === l.user) continue;
    const squash = (s: string) => s.toLowerCase().replace(/\s+/g, '');
    if (l.kind !== 'user' && !squash(label).includes(squash(l.user))) continue;
    if (!labels.includes(label)) labels.push(label);
  }
  return labels;
}

/** Templates that name users (`{{ping|X|Y}}`, `{{u|X|shown}}`), whatever the signature. */
const USER_TEMPLATE_RE = /\{\{\s*([^{}|\n]+?)\s*\|([^{}]*)\}\}/g;

/**
 * Users a page names without their signing there (yet): targets and texts of user and user talk links,
 * pinged and mentioned users. Bots are left out: their names are not people's, and parts of them
 * ("message", "delivery") are words.
 */
function namedUsers(source: string): Set<string> {
  const names = new Set<string>();
  const add = (raw: string) => {
    const name = cleanInline(raw).replace(/\s+/g, ' ').trim();
    if (name !== '' && name.length <= 85 && !isBot(name)) names.add(name);
  };
  for (const link of findUserLinks(source)) {
    if (link.kind === 'contribs') continue;
    add(link.user);
    // A talk link's text is mostly "talk", "(t)", "drop me a line": the name only when it spells it.
    for (const label of signatureLabels([link])) add(label);
  }
  for (const m of source.matchAll(USER_TEMPLATE_RE)) {
    const key = (m[1] ?? '').replace(/_/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
    const mention = USER_MENTION.has(key);
    if (!mention && !PING.has(key)) continue;
    const params = templateParams((m[2] ?? '').split('|'));
    for (const p of mention ? params.slice(0, 2) : params) add(normaliseUser(p));
  }
  return names;
}

// ---------- text clean-up ----------

function templateParams(parts: string[]): string[] {
  const positional: string[] = [];
  for (const p of parts) {
    const named = /^\s*([^=]*?)\s*=([\s\S]*)$/.exec(p);
    if (named && !/^\d+$/.test(named[1] ?? '')) continue;
    const value = (named ? named[2] : p)?.trim();
    if (value) positional.push(value);
  }
  return positional;
}

/** One template (no nested braces left inside) as text, per the choices in the file comment. */
function renderTemplate(inner: string): string {
  const [rawName = '', ...rest] = inner.split('|');
  const name = rawName
    .replace(/_/g, ' ')
    .replace(/^\s*(?:subst|safesubst|msg)\s*:/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  const key = name.toLowerCase();
  if (!key || key.startsWith('#') || key.includes(':')) return '';
  const params = templateParams(rest);
  if (STANCE.has(key)) return name.charAt(0).toUpperCase() + name.slice(1);
  if (QUOTE.has(key)) return params[0] ?? '';
  if (PING.has(key)) return params.map((p) => `@${p}`).join(', ');
  if (USER_MENTION.has(key)) return params[1] ?? params[0] ?? '';
  if (key === 'lang' || key === 'color' || key === 'colour' || key === 'font color') return params[1] ?? '';
  if (key === 'slink') return params.join(' § ');
  if (INLINE.has(key)) return params[0] ?? '';
  return '';
}

function renderTemplates(s: string): string {
  let out = s.replace(/\{\{\{[^{}]*\}\}\}/g, '');
  for (let i = 0; i < 30; i++) {
    const next = out.replace(/\{\{([^{}]*)\}\}/g, (_m, inner: string) => renderTemplate(inner));
    if (next === out) break;
    out = next;
  }
  // A template cut by a signature ("{{quote|text --sig}}") leaves an opener and a closer behind.
  return out.replace(/\{\{[^{}|\n]*\|?/g, '').replace(/\}\}/g, '');
}

function renderLink(inner: string): string {
  const [target = '', ...rest] = inner.split('|');
  const t = target.replace(/_/g, ' ').trim();
  const colon = t.indexOf(':');
  if (colon > 0) {
    const ns = t.slice(0, colon).trim().toLowerCase();
    if (FILE_NS.has(ns) || CATEGORY_NS.has(ns)) return '';
  }
  const label = rest.join('|').trim();
  return label || t.replace(/^:\s*/, '');
}

function renderLinks(s: string): string {
  let out = s;
  for (let i = 0; i < 5; i++) {
    const next = out.replace(/\[\[([^[\]]*)\]\]/g, (_m, inner: string) => renderLink(inner));
    if (next === out) break;
    out = next;
  }
  return out
    .replace(/\[((?:https?:|ftp:)?\/\/[^\s\]]+|mailto:[^\s\]]+)(?:[ \t]+([^\]\n]*))?\]/gi, (_m, url: string, label?: string) => label?.trim() || url)
    .replace(/\[\[|\]\]/g, '');
}

const ENTITIES: Record<string, string> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", mdash: '—', ndash: '–', hellip: '…',
  lrm: '', rlm: '', zwj: '\u200D', zwnj: '', thinsp: ' ', ensp: ' ', emsp: ' ', laquo: '«', raquo: '»',
  rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', bull: '•', middot: '·', copy: '©', eacute: 'é',
};

function decodeEntities(s: string): string {
  return s.replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]{2,8}));/gi, (m, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return ENTITIES[name.toLowerCase()] ?? m;
    const cp = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? '', 16);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

/** A table row line as its cell text: attributes before a cell's `|` and the row/table markers go. */
function tableLine(line: string): string {
  if (/^\s*(?:\{\||\|\}|\|-|\|\+)/.test(line)) return '';
  if (!/^\s*[|!]/.test(line)) return line;
  return line
    .replace(/^\s*[|!]/, '')
    .split(/\|\||!!/)
    .map((cell) => {
      const bar = cell.indexOf('|');
      return bar >= 0 && cell.slice(0, bar).includes('=') ? cell.slice(bar + 1) : cell;
    })
    .join(' ');
}

/** Inline wikitext → plain text (used for labels and headings). */
function cleanInline(s: string): string {
  return finishText(renderLinks(renderTemplates(s)));
}

function finishText(s: string): string {
  const out = s
    .replace(/'{2,5}/g, '')
    .replace(/<br\s*\/?>|<\/br>/gi, ' ')
    .replace(/<\/?[a-z][a-z0-9]*\b[^>]*>/gi, '')
    .replace(/__[A-Z]{3,}__/g, '')
    .replace(/~{3,5}/g, '');
  return cleanText(decodeEntities(out))
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n')
    .trim();
}

/** A comment body in wikitext → the plain text we store: `wikitextToPlain(":'''Yes''', see [[Kiwix|the app]]")` → "Yes, see the app". */
export function wikitextToPlain(raw: string): string {
  let s = raw
    .split('\n')
    .map((l) => l.replace(/^[:*#;]+[ \t]*/, '').replace(/^-{4,}\s*$/, ''))
    .join('\n');
  s = s
    .replace(/<ref\b[^>]*\/>/gi, '')
    // Each attempt stops at the next opening tag, so a page of unclosed tags stays linear.
    .replace(/<ref\b[^>]*>(?:(?!<\/?ref\b)[\s\S])*<\/ref\s*>/gi, '')
    .replace(/<(s|del|strike)\b[^>]*>(?:(?!<\/?\1\b)[\s\S])*<\/\1\s*>/gi, '');
  s = renderLinks(renderTemplates(s));
  s = s.split('\n').map(tableLine).join('\n');
  return finishText(s);
}

const AUTOSIGN_PHRASE =
  /[\s—–-]*(?:(?:The )?preceding\s+(?:unsigned\s+)?comment\s+(?:was\s+)?added\s+by|Vorstehender\s+nicht\s+signierter\s+Beitrag\s+stammt\s+von|Le\s+commentaire\s+pr[ée]c[ée]dent\s+non\s+sign[ée]\s+a\s+[ée]t[ée]\s+d[ée]pos[ée]\s+par|Comentario\s+anterior\s+sin\s+firmar\s+hecho\s+por)\s*$/i;
const TRAILING_JUNK = /[\s\-–—~(|•·]+$/;
// What a previous signature on the same line leaves behind: "&thinsp;)</small>" → ")".
const LEADING_JUNK = /^[\s)\]|•·,]+/;

/** Take the signature's leftovers off the end of a body: dashes, "Preceding unsigned comment added by", "- Name". */
function trimSignatureTail(text: string, sig: Signature): string {
  let t = text.replace(LEADING_JUNK, '').replace(TRAILING_JUNK, '').replace(AUTOSIGN_PHRASE, '').replace(TRAILING_JUNK, '');
  for (const name of [sig.user, ...sig.labels]) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`(?:^|\\s)(?:--|—|–|-|~)\\s*${escaped}$`, 'iu');
    if (re.test(t)) {
      t = t.replace(re, '').replace(TRAILING_JUNK, '');
      break;
    }
  }
  return t.trim();
}

// ---------- page structure ----------

interface LogicalLine {
  /** 1-based number of its first physical line. */
  line: number;
  text: string;
  scan: string;
  heading?: { level: number; text: string };
  level: number;
}

const HEADING_RE = /^(={1,6})(.+?)(={1,6})[ \t]*$/;
const MAX_TEMPLATE_LINES = 60;

function braceDepth(s: string): number {
  let depth = 0;
  for (const m of s.matchAll(/\{\{|\}\}/g)) depth += m[0] === '{{' ? 1 : -1;
  return depth;
}

/** Physical lines → logical lines: a template spanning lines (banners, quotes) is read as one line. */
function logicalLines(text: string): LogicalLine[] {
  const physical = text.split('\n').map((l) => cleanText(l));
  const out: LogicalLine[] = [];
  for (let i = 0; i < physical.length; i++) {
    const first = physical[i] ?? '';
    const h = HEADING_RE.exec(first);
    if (h?.[1] && h[3]) {
      const headingText = cleanInline(h[2] ?? '');
      if (headingText && !/^=+$/.test(headingText)) {
        out.push({ line: i + 1, text: first, scan: '', heading: { level: Math.min(h[1].length, h[3].length), text: headingText }, level: 0 });
        continue;
      }
    }
    let end = i;
    let depth = braceDepth(first);
    while (depth > 0 && end + 1 < physical.length && end - i < MAX_TEMPLATE_LINES) {
      const next = physical[end + 1] ?? '';
      if (HEADING_RE.test(next)) break;
      end++;
      depth += braceDepth(next);
    }
    if (depth > 0) end = i;
    const joined = physical.slice(i, end + 1).join('\n');
    out.push({ line: i + 1, text: joined, scan: asciiDigits(joined), level: /^[:*#;]*/.exec(first)?.[0].length ?? 0 });
    i = end;
  }
  return out;
}

const lineAt = (ll: LogicalLine, offset: number) => ll.line + (ll.text.slice(0, offset).match(/\n/g)?.length ?? 0);

/**
 * Parse a talk page's wikitext into one message per signed comment.
 * `parseWikitext("== Idea ==\nMore grants. [[User:Ana|Ana]] 07:41, 29 May 2024 (UTC)")` →
 * one message `{ participant: "wiki:Ana", text: "More grants.", at: "2024-05-29T07:41:00Z", themeHints: ["Idea"] }`.
 */
export function parseWikitext(text: string): ParseResult {
  const source = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    // Comments may hide signatures and "Message sent by" notes; keep their newlines so line numbers hold.
    .replace(/<!--[\s\S]*?(?:-->|$)/g, (c) => c.replace(/[^\n]/g, ''));
  const messages: ParsedMessage[] = [];
  const participants = new Map<string, ParsedParticipant>();
  const skipped = emptySkips();
  const warnings: Warning[] = [];
  const zonesWarned = new Set<string>();
  let signatures = 0;
  let headings: { level: number; text: string }[] = [];
  let waiting: Waiting[] = [];
  let blankBefore = false;

  const flushWaiting = () => {
    const first = waiting[0];
    if (first) {
      const n = waiting.length;
      warnings.push({
        code: 'unsigned_text',
        line: first.line,
        message: `line ${first.line}: ${n} ${n === 1 ? 'line' : 'lines'} without a signature ${n === 1 ? 'was' : 'were'} not imported — sign them, or add {{unsigned|Name|date}} after them`,
      });
    }
    waiting = [];
  };

  const emit = (sig: Signature, body: string, line: number) => {
    signatures++;
    if (isBot(sig.user)) {
      skipped.system++;
      return;
    }
    const plain = trimSignatureTail(wikitextToPlain(body), sig);
    if (!plain) {
      skipped.empty++;
      return;
    }
    const key = userKey(sig.user);
    const p = participants.get(key) ?? { key, names: [] };
    for (const name of [sig.user, ...sig.labels]) if (!p.names.includes(name)) p.names.push(name);
    participants.set(key, p);
    const message: ParsedMessage = { participant: key, text: plain, at: sig.at, line };
    if (headings.length > 0) message.themeHints = headings.map((h) => h.text);
    messages.push(message);
  };

  for (const ll of logicalLines(source)) {
    if (ll.heading) {
      flushWaiting();
      const level = ll.heading.level;
      headings = headings.filter((h) => h.level < level);
      headings.push(ll.heading);
      blankBefore = false;
      continue;
    }
    if (ll.text.trim() === '') {
      blankBefore = true;
      continue;
    }
    const { sigs, unknownZones } = findSignatures(ll.text, ll.scan);
    for (const zone of unknownZones) {
      if (zonesWarned.has(zone)) continue;
      zonesWarned.add(zone);
      warnings.push({ code: 'unknown_timezone', line: ll.line, message: `line ${ll.line}: the time zone '${zone}' is not known; times in it are kept as local times` });
    }
    let offset = 0;
    sigs.forEach((sig, k) => {
      let body = ll.text.slice(offset, sig.start);
      let line = lineAt(ll, offset);
      if (k === 0) {
        // Waiting lines at this depth or deeper, nearest first, belong to this comment.
        let from = waiting.length;
        while (from > 0 && (waiting[from - 1]?.level ?? 0) >= ll.level) from--;
        const joined = waiting.splice(from);
        if (joined[0]) {
          line = joined[0].line;
          body = joined.map((w, i) => (i > 0 && w.blankBefore ? `\n${w.text}` : w.text)).join('\n') + (blankBefore ? '\n\n' : '\n') + body;
        }
      }
      emit(sig, body, line);
      offset = sig.end;
    });
    const rest = ll.text.slice(offset);
    if (wikitextToPlain(rest) !== '') {
      waiting.push({ text: rest, line: lineAt(ll, offset), level: ll.level, blankBefore: offset === 0 && blankBefore });
    } else if (sigs.length === 0 && rest.includes('{{')) {
      // Banners, {{outdent}}, transcluded notices: page furniture, not comments.
      skipped.system++;
    }
    blankBefore = false;
  }
  flushWaiting();

  if (signatures === 0) {
    throw unreadable(
      'no signed comments found: a talk page comment ends with a signature such as "[[User:Name|Name]] 07:41, 29 May 2024 (UTC)" — export the page source (wikitext), not the rendered page',
    );
  }
  const signed = [...participants.values()];
  const mentioned = namedUsers(source);
  for (const p of signed) for (const n of p.names) mentioned.delete(n);
  return { format: 'wikitext', messages, participants: signed, ...(mentioned.size > 0 ? { mentioned: [...mentioned] } : {}), polls: [], skipped, warnings };
}
