/**
 * WhatsApp chat export (.txt) parser. Pure: text in, ParseResult out.
 *
 * One pass reads every line that could be a header; the file-level decisions (which header shape is the
 * file's own, day/month order, which headers are plausible in time) are then made once, and a last pass
 * builds the messages. See /FORMATS.md "WhatsApp chat export" for the shapes this reads.
 */
import { unreadable } from '../errors';
import { asciiDigits, cleanText } from '../text/clean';
import { authorKey, displayName } from './identity';
import type { ParsedMessage, ParsedParticipant, ParsedPoll, ParseResult, Warning } from './types';
import { emptySkips } from './types';

// ---------------------------------------------------------------------------------------------------------
// Line cleaning

/** Anything on a line that cleaning changes; lines without it (most of them) skip cleaning entirely. */
const NEEDS_CLEAN =
  /[\uFEFF\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C\u00A0\u202F\u2009\u2007\u2008\u200A\u3000\u0660-\u0669\u06F0-\u06F9\u060C]/;
const ARABIC_DIGIT_OR_COMMA = /[\u0660-\u0669\u06F0-\u06F9\u060C]/;
const ARABIC_COMMA = /\u060C/g;

/** A header line made matchable: no marks, plain spaces, ASCII digits, Latin comma. */
function cleanHeaderLine(raw: string): string {
  if (!NEEDS_CLEAN.test(raw)) return raw;
  const s = cleanText(raw);
  return ARABIC_DIGIT_OR_COMMA.test(s) ? asciiDigits(s).replace(ARABIC_COMMA, ',') : s;
}

/** Message text is cleaned of marks and odd spaces only: the writer's own digits and commas stay. */
function cleanBodyLine(raw: string): string {
  return NEEDS_CLEAN.test(raw) ? cleanText(raw) : raw;
}

/** Characters cleanText removes (as opposed to replacing one for one). */
function isRemovedMark(c: number): boolean {
  return (
    c === 0xfeff || c === 0x200e || c === 0x200f || c === 0x061c || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
  );
}

function isDirectionMark(c: number): boolean {
  return c === 0x200e || c === 0x200f;
}

/**
 * The raw end of a line that cleans to `keptLength` characters, with the marks just before it. Cleaning
 * only removes marks and otherwise maps one character to one, so counting kept characters from the end
 * finds where the cleaned body starts in the raw line.
 */
function rawTail(raw: string, keptLength: number): string {
  let i = raw.length;
  let kept = 0;
  while (kept < keptLength && i > 0) {
    i--;
    if (!isRemovedMark(raw.charCodeAt(i))) kept++;
  }
  while (i > 0 && isRemovedMark(raw.charCodeAt(i - 1))) i--;
  return raw.slice(i);
}

// ---------------------------------------------------------------------------------------------------------
// Header shapes

/** Date: `18/03/2022`, `18.03.22`, `2022/03/18`, `18-03-2022`, `3/18/R4`, `3/18/2565 BE`. `sep` is the group number of the separator. */
function datePattern(sep: number): string {
  const backReference = `\\${sep}`;
  return String.raw`(\d{1,4}|[RHST]\d{1,2})([./-]) ?(\d{1,2})` + backReference + String.raw` ?(\d{1,4}|[RHST]\d{1,2})\.?(?: ?(BE|B\.E\.|พ\.ศ\.))?`;
}
/** Between date and time: a comma, a space, or a joining word (`à`, `klo`, `um`, `kl.`). */
const JOIN = String.raw`(?:, ?| )(?:[^\s\d,\[\]:]{1,4} )?`;
/** Day periods written before the time (East Asian locales). */
const PRE = '(?:(午前|午後|上午|下午|中午|凌晨|早上|晚上|오전|오후) ?)?';
const TIME = String.raw`(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?`;
/**
 * A day period after the time, up to three words (`PM`, `a. m.`, `in the afternoon`, `nachm.`, `م`). It can
 * never swallow the delimiter that follows (` - `, `]`, `: `), so it never ends up in the author name.
 */
const POST = String.raw`(?: ?([^\s\d\]\-–:,.][^\s\d\]\-–:,]*(?: [^\s\d\]\-–:,]+){0,2}))?`;

/** Android `D, T - ` and old iOS `D, T: `. Groups: 1-5 date, 6 pre, 7-9 time, 10 post, 11 delimiter. */
const PLAIN_HEADER = new RegExp(`^${datePattern(2)}${JOIN}${PRE}${TIME}${POST}( [-–] |: )`);
/** iOS `[D, T] `. Groups: 1-5 date, 6 pre, 7-9 time, 10 post. */
const BRACKET_HEADER = new RegExp(`^\\[${datePattern(2)}${JOIN}${PRE}${TIME}${POST}\\] ?`);
/** iOS time first (Vietnamese) `[T, D] `. Groups: 1 pre, 2-4 time, 5 post, 6-10 date. */
const BRACKET_TIME_FIRST = new RegExp(`^\\[${PRE}${TIME}${POST},? ${datePattern(7)}\\] ?`);
/** Starts like a header (date and time) but did not read as one: a broken header worth a warning. */
const NEAR_HEADER = /^\[?\d{1,4}[./-] ?\d{1,2}[./-] ?\d{1,4}\S*[, ]+\S{0,4} ?\d{1,2}[:.]\d{2}/;

const SHAPE_DASH = 0;
const SHAPE_BRACKET = 1;
const SHAPE_TIME_FIRST = 2;
const SHAPE_COLON = 3;
const SHAPE_NAMES = ['D, T - ', '[D, T] ', '[T, D] ', 'D, T: '];

/** A line that reads as a message header; whether it is one is decided once the whole file is seen. */
interface Header {
  /** 0-based line index. */
  line: number;
  /** Coarse shape signature: layout, date separator, seconds, day period, year position and length. */
  shape: number;
  p1: string;
  p2: string;
  p3: string;
  buddhist: boolean;
  hour: number;
  minute: number;
  second: number;
  marker: string;
  /** Author as written (cleaned), or null for a line without `Author: ` (a system line). */
  author: string | null;
  /** First line of the message, cleaned for matching (may still hold Arabic-Indic digits mapped). */
  body: string;
  /** Set once the date order is known; -1 when the date is impossible. */
  t: number;
  at: string;
}

const SEPARATORS = '/.-';

/** Reads one line as a header, or null. The year/era parts stay strings until the file's date order is known. */
function readHeader(raw: string, index: number): Header | null {
  // Cheap first look: headers start with a digit or `[`, possibly after marks or Arabic-Indic digits.
  const c0 = raw.charCodeAt(0);
  if (!((c0 >= 48 && c0 <= 57) || c0 === 91 || isRemovedMark(c0) || (c0 >= 0x660 && c0 <= 0x669) || (c0 >= 0x6f0 && c0 <= 0x6f9))) {
    return null;
  }
  const s = cleanHeaderLine(raw);
  let m: RegExpExecArray | null;
  let kind: number;
  let d: number; // first date group
  let t: number; // first time group (pre marker)
  let post: string | undefined;
  if (s.charCodeAt(0) === 91) {
    m = BRACKET_HEADER.exec(s);
    if (m) {
      kind = SHAPE_BRACKET;
      d = 1;
      t = 6;
      post = m[10];
    } else {
      m = BRACKET_TIME_FIRST.exec(s);
      if (!m) return null;
      kind = SHAPE_TIME_FIRST;
      d = 6;
      t = 1;
      post = m[5];
    }
  } else {
    m = PLAIN_HEADER.exec(s);
    if (!m) return null;
    kind = m[11] === ': ' ? SHAPE_COLON : SHAPE_DASH;
    d = 1;
    t = 6;
    post = m[10];
  }
  const p1 = m[d] ?? '';
  const p3 = m[d + 3] ?? '';
  const seconds = m[t + 3];
  const marker = m[t] ?? post ?? '';
  const yearFirst = p1.length > 2 || p1.charCodeAt(0) > 57;
  const shape =
    kind +
    4 * SEPARATORS.indexOf(m[d + 1] ?? '/') +
    16 * (seconds === undefined ? 0 : 1) +
    32 * (marker ? 1 : 0) +
    64 * (yearFirst ? 1 : 0) +
    128 * (p3.length > 2 ? 1 : 0);

  const rest = s.slice(m[0].length);
  let author: string | null = null;
  let body = rest;
  const colon = rest.indexOf(': ');
  if (colon > 0) {
    author = rest.slice(0, colon);
    body = rest.slice(colon + 2);
  } else if (rest.length > 1 && rest.charCodeAt(rest.length - 1) === 58 && rest.indexOf(':') === rest.length - 1) {
    // `Name:` with the text on the next lines.
    author = rest.slice(0, -1);
    body = '';
  }
  return {
    line: index,
    shape,
    p1,
    p2: m[d + 2] ?? '',
    p3,
    buddhist: m[d + 4] !== undefined,
    hour: +(m[t + 1] ?? 0),
    minute: +(m[t + 2] ?? 0),
    second: seconds === undefined ? 0 : +seconds,
    marker,
    author,
    body,
    t: -1,
    at: '',
  };
}

// ---------------------------------------------------------------------------------------------------------
// Day periods

type Period = 'am' | 'pm' | 'night';

/** Day-period markers, keyed lower-case without spaces. `night` covers both sides of midnight (21:00–05:59). */
const PERIODS = new Map<string, Period>();
for (const [period, words] of [
  [
    'am',
    'am a.m. a.m vorm. vormittags morgens früh inthemorning morning midnight ص 午前 上午 早上 凌晨 오전 sa π.μ. πμ पूर्वाह्न ق.ظ. pg öö ÖÖ delamañana delamadrugada dumatin dimattina damanhã утра ранку dop. de.',
  ],
  [
    'pm',
    'pm p.m. p.m nachm. nachmittags mittags abends intheafternoon intheevening afternoon evening noon م 午後 下午 中午 晚上 오후 ch μ.μ. μμ अपराह्न ب.ظ. ptg ös ÖS delatarde delanoche dusoir delpomeriggio disera datarde danoite дня вечера вечора odp. du.',
  ],
  ['night', 'atnight night nachts inthenight ночи ночі'],
] as const) {
  for (const w of words.split(' ')) PERIODS.set(w.toLowerCase(), period);
}
const periodCache = new Map<string, Period | null>();

function periodOf(marker: string): Period | null {
  let p = periodCache.get(marker);
  if (p === undefined) {
    p = PERIODS.get(marker.toLowerCase().replace(/\s+/g, '')) ?? null;
    periodCache.set(marker, p);
  }
  return p;
}

/** 12-hour clock to 24: `to24(12, 'am')` → 0, `to24(9, 'night')` → 21. Hours above 12 are already 24-hour. */
function to24(hour: number, period: Period | null): number {
  if (period === null || hour > 12) return hour;
  if (period === 'am') return hour === 12 ? 0 : hour;
  if (period === 'pm') return hour === 12 ? 12 : hour + 12;
  // night: 9–11 is evening, 12–5 is after midnight
  if (hour === 12) return 0;
  return hour >= 6 ? hour + 12 : hour;
}

// ---------------------------------------------------------------------------------------------------------
// Dates

type DateOrder = 'dmy' | 'mdy' | 'ymd';

/** Year from a year part: 2-digit → 20yy, Buddhist (≥ 2400) → −543, Japanese era R/H/S/T. NaN when unreadable. */
function yearOf(part: string, buddhist: boolean): number {
  const c = part.charCodeAt(0);
  if (c > 57) {
    const n = +part.slice(1);
    if (c === 82) return 2018 + n; // Reiwa
    if (c === 72) return 1988 + n; // Heisei
    if (c === 83) return 1925 + n; // Showa
    return 1911 + n; // Taisho
  }
  const n = +part;
  if (part.length <= 2) return 2000 + n;
  return buddhist || n >= 2400 ? n - 543 : n;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const PAD2: string[] = [];
for (let i = 0; i < 100; i++) PAD2.push(i < 10 ? `0${i}` : String(i));

/** Oldest and newest year a WhatsApp export can plausibly hold (WhatsApp is from 2009; allow clock slips). */
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

/**
 * Sets `t` (seconds, local) and `at` for a header under the file's date order; leaves `t = -1` when the
 * date or time is impossible. Returns false then.
 */
function stampHeader(h: Header, order: DateOrder, dayCache: { key: string; day: number; iso: string }): boolean {
  let ys: string;
  let ms: string;
  let ds: string;
  if (order === 'ymd') {
    ys = h.p1;
    ms = h.p2;
    ds = h.p3;
  } else if (order === 'dmy') {
    ds = h.p1;
    ms = h.p2;
    ys = h.p3;
  } else {
    ms = h.p1;
    ds = h.p2;
    ys = h.p3;
  }
  const key = `${ys}|${ms}|${ds}|${h.buddhist ? 1 : 0}`;
  if (key !== dayCache.key) {
    const y = yearOf(ys, h.buddhist);
    const mo = +ms;
    const d = +ds;
    const valid =
      y >= MIN_YEAR &&
      y <= MAX_YEAR &&
      mo >= 1 &&
      mo <= 12 &&
      d >= 1 &&
      d <= (mo === 2 && isLeap(y) ? 29 : (DAYS_IN_MONTH[mo - 1] ?? 0));
    dayCache.key = key;
    dayCache.day = valid ? daysFromCivil(y, mo, d) : -1;
    dayCache.iso = valid ? `${y}-${PAD2[mo]}-${PAD2[d]}T` : '';
  }
  if (dayCache.day < 0) return false;
  const hour = h.marker ? to24(h.hour, periodOf(h.marker)) : h.hour;
  if (hour > 23 || h.minute > 59 || h.second > 59) return false;
  h.t = dayCache.day * 86400 + hour * 3600 + h.minute * 60 + h.second;
  h.at = `${dayCache.iso}${PAD2[hour]}:${PAD2[h.minute]}:${PAD2[h.second]}`;
  return true;
}

interface OrderDecision {
  order: DateOrder;
  /** How it was decided: evidence (`settled`, `frequency`) or a guess (`hint`, `default`). */
  how: 'settled' | 'frequency' | 'hint' | 'default';
}

/**
 * Day/month order for the file: a part > 12 settles it; else the part that changes more often between
 * consecutive headers is the day; else the placeholders' language; else day-first.
 */
function decideOrder(headers: Header[], localeHint: () => DateOrder | null): OrderDecision {
  const first = headers[0];
  if (first && (first.p1.length > 2 || first.p1.charCodeAt(0) > 57)) return { order: 'ymd', how: 'settled' };
  let firstOver12 = 0;
  let secondOver12 = 0;
  let firstChanges = 0;
  let secondChanges = 0;
  let prev1 = '';
  let prev2 = '';
  for (const h of headers) {
    if (+h.p1 > 12) firstOver12++;
    if (+h.p2 > 12) secondOver12++;
    if (prev1 && h.p1 !== prev1) firstChanges++;
    if (prev2 && h.p2 !== prev2) secondChanges++;
    prev1 = h.p1;
    prev2 = h.p2;
  }
  // Both present means some headers are impossible either way; the majority wins and the rest fail later.
  if (firstOver12 || secondOver12) return { order: firstOver12 >= secondOver12 ? 'dmy' : 'mdy', how: 'settled' };
  if (firstChanges !== secondChanges) return { order: firstChanges > secondChanges ? 'dmy' : 'mdy', how: 'frequency' };
  const hint = localeHint();
  if (hint) return { order: hint, how: 'hint' };
  return { order: 'dmy', how: 'default' };
}

// ---------------------------------------------------------------------------------------------------------
// What a message body is: placeholders, deletions, system lines, polls

/** Lower-cases and drops one trailing full stop, so `This message was deleted.` and `…deleted` meet. */
function lookupKey(s: string): string {
  const k = s.trim().toLowerCase();
  const last = k.charCodeAt(k.length - 1);
  return last === 46 || last === 0x3002 ? k.slice(0, -1) : k;
}

function keySet(list: readonly string[]): Set<string> {
  return new Set(list.map(lookupKey));
}

/** iOS "omitted" placeholders and Android `<…>` placeholders, as seen in the corpora and their translations. */
const MEDIA_PHRASES: readonly string[] = [
  // Android
  '<Media omitted>',
  '<Medien ausgeschlossen>',
  '<Média vynechány>',
  '<Media weggelaten>',
  '<Без медиафайлов>',
  '‹تم استبعاد الوسائط›',
  '<تم استبعاد الوسائط>',
  '<Multimedia omitido>',
  '<Archivo omitido>',
  '<Médias omis>',
  '<Media omessi>',
  '<Mídia oculta>',
  '<Arquivo de mídia oculto>',
  '<Ficheiro multimédia omitido>',
  '<Media tidak disertakan>',
  '<Медіафайли пропущено>',
  '<Без медіафайлів>',
  '<मीडिया के बिना>',
  '<メディアなし>',
  '<ไม่รวมสื่อ>',
  '<Không có tệp phương tiện>',
  '<Medya dahil edilmedi>',
  '<Pominięto multimedia>',
  'sticker omitted',
  // iOS: en
  'image omitted',
  'video omitted',
  'audio omitted',
  'Contact card omitted',
  'sticker omitted',
  'document omitted',
  'GIF omitted',
  'video note omitted',
  // ar
  'لم يتم إدراج الصورة',
  'لم يتم إدراج الفيديوهات',
  'لم يتم إدراج الفيديو',
  'لم يتم إدراج المقاطع الصوتية',
  'لم يتم إدراج بطاقة جهة اتصال',
  'تم حذف الملصقات',
  'لم يتم إدراج المستند',
  'لم يتم إدراج صورة GIF',
  // cs
  'obrázek vynechán',
  'video vynecháno',
  'zvukový soubor vynechán',
  'Vizitka vynechána',
  'nálepka vynechána',
  'dokument vynechán',
  'GIF vynechán',
  // fr
  'image absente',
  'vidéo absente',
  'audio omis',
  'Fiche contact manquante',
  'sticker omis',
  'document manquant',
  'GIF retiré',
  // de
  'Bild weggelassen',
  'Video weggelassen',
  'Audio weggelassen',
  'Kontaktkarte ausgelassen',
  'Sticker weggelassen',
  'Dokument weggelassen',
  'GIF weggelassen',
  // hi
  'फ़ोटो हटाई गई',
  'वीडियो छोड़ा गया',
  'ऑडियो हटाई गयी',
  'कॉन्टैक्ट कार्ड छोड़ा गया',
  'स्टिकर छोड़ा गया',
  'डॉक्यूमेंट छोड़ा गया',
  'GIF छोड़ा गया',
  // id
  'gambar tidak disertakan',
  'video tidak disertakan',
  'audio tidak disertakan',
  'Kartu kontak tidak disertakan',
  'stiker tidak disertakan',
  'dokumen tidak disertakan',
  'GIF tidak disertakan',
  // it
  'immagine omessa',
  'video omesso',
  'audio omesso',
  'Scheda contatto omessa',
  'sticker non incluso',
  'documento omesso',
  'GIF esclusa',
  // ja
  '画像は含まれていません',
  'ビデオは含まれていません',
  '音声は含まれていません',
  '連絡先カードを省略',
  'スタンプは含まれていません',
  'ドキュメントは含まれていません',
  'GIFは含まれていません',
  // pt (PT and BR)
  'imagem não revelada',
  'vídeo não revelado',
  'ficheiro de áudio não revelado',
  'Contacto não revelado',
  'sticker não revelado',
  'documento não revelado',
  'GIF não revelada',
  'imagem ocultada',
  'vídeo omitido',
  'áudio ocultado',
  'figurinha omitida',
  'documento omitido',
  'cartão de contato omitido',
  // ru
  'изображение отсутствует',
  'видео отсутствует',
  'аудиофайл отсутствует',
  'Карточка контакта отсутствует',
  'стикер не добавлен',
  'документ отсутствует',
  'GIF отсутствует',
  // es
  'imagen omitida',
  'Video omitido',
  'audio omitido',
  'Tarjeta de contacto omitida',
  'sticker omitido',
  'GIF omitido',
  // th
  'ไม่มีรูปภาพ',
  'วิดีโอถูกลบ',
  'ไม่มีไฟล์เสียง',
  'บัตรรายชื่อที่ละเว้น',
  'ไม่มีสติกเกอร์',
  'ละเว้นเอกสาร',
  'ละเว้น GIF',
  // uk
  'зображення відсутнє',
  'відео відсутнє',
  'аудіо відсутнє',
  'Картка контакту відсутня',
  'Наклейку не додано',
  'документ пропущено',
  'GIF-анімацію пропущено',
  // vi
  'đã bỏ qua hình ảnh',
  'đã bỏ video',
  'bỏ qua tệp âm thanh',
  'Bỏ qua thẻ liên lạc',
  'đã bỏ sticker',
  'đã bỏ qua tài liệu',
  'Đã bỏ qua ảnh GIF',
  // nl
  'afbeelding weggelaten',
  'video weggelaten',
  'audio weggelaten',
  'sticker weggelaten',
  'document weggelaten',
  'GIF weggelaten',
  'contactkaart weggelaten',
];
const MEDIA_SET = keySet(MEDIA_PHRASES);
/** Same phrases for the iOS document form `Some file.txt document omitted` (file name first). */
const MEDIA_TAILS = [...MEDIA_SET].filter((p) => !p.startsWith('<') && !p.startsWith('‹')).map((p) => ` ${p}`);

const DELETED_SET = keySet([
  'This message was deleted',
  'You deleted this message',
  'Se eliminó este mensaje',
  'Eliminaste este mensaje',
  'Este mensaje fue eliminado',
  'Diese Nachricht wurde gelöscht',
  'Du hast diese Nachricht gelöscht',
  'Ce message a été supprimé',
  'Vous avez supprimé ce message',
  'Questo messaggio è stato eliminato',
  'Hai eliminato questo messaggio',
  'Esta mensagem foi apagada',
  'Apagou esta mensagem',
  'Mensagem apagada',
  'Você apagou esta mensagem',
  'Данное сообщение удалено',
  'Вы удалили данное сообщение',
  'Это сообщение удалено',
  'Це повідомлення було видалено',
  'Ви видалили це повідомлення',
  'Це повідомлення видалено',
  'Tato zpráva byla odstraněna',
  'Tuto zprávu jste odstranil/a',
  'Tuto zprávu jste smazal/a',
  'Tato zpráva byla smazána',
  'Dit bericht is verwijderd',
  'U hebt dit bericht verwijderd',
  'Je hebt dit bericht verwijderd',
  'تم حذف هذه الرسالة',
  'أنت حذفت هذه الرسالة',
  'لقد حذَفت هذه الرسالة',
  'لقد حذفت هذه الرسالة',
  'このメッセージは削除されました',
  'このメッセージを削除しました',
  'यह मैसेज डिलीट कर दिया गया है',
  'आपने यह मैसेज डिलीट किया',
  'Pesan ini dihapus',
  'Anda menghapus pesan ini',
  'ข้อความนี้ถูกลบแล้ว',
  'คุณได้ลบข้อความนี้',
  'Tin nhắn này đã bị xóa',
  'Tin nhắn này đã bị xoá',
  'Bạn đã xoá tin nhắn này',
  'Bạn đã xóa tin nhắn này',
  'Bu mesaj silindi',
  'Bu mesajı sildiniz',
]);

/** Whole-body system lines that carry an author on Android (missed calls). */
const SYSTEM_SET = keySet([
  'Missed voice call',
  'Missed video call',
  'Missed group voice call',
  'Missed group video call',
  'Zmeškaný hovor',
  'Zmeškaný videohovor',
  'Gemiste spraakoproep',
  'Gemiste videogesprek',
  'Gemiste videooproep',
  'Пропущенный аудиозвонок',
  'Пропущенный видеозвонок',
  'Пропущений аудіодзвінок',
  'Пропущений відеодзвінок',
  'Verpasster Sprachanruf',
  'Verpasster Videoanruf',
  'Appel vocal manqué',
  'Appel vidéo manqué',
  'Llamada perdida',
  'Videollamada perdida',
  'Llamada de voz perdida',
  'Chiamata vocale persa',
  'Videochiamata persa',
  'Chamada de voz perdida',
  'Chamada de vídeo perdida',
  'مكالمة صوتية فائتة',
  'مكالمة فيديو فائتة',
  '不在着信',
  '音声通話の不在着信',
  'ビデオ通話の不在着信',
  'मिस्ड वॉइस कॉल',
  'मिस्ड वीडियो कॉल',
  'Panggilan suara tak terjawab',
  'Panggilan video tak terjawab',
  'สายที่ไม่ได้รับ',
  'Cuộc gọi thoại nhỡ',
  'Cuộc gọi video nhỡ',
  'Waiting for this message. This may take a while',
  "You're now an admin",
  "You're no longer an admin",
]);

/**
 * System sentences safe to recognise anywhere, even with an author before them (iOS puts the chat name
 * there): they would hardly be typed by a person. Encryption notice, security code, group created,
 * subject/icon/description changed, invite link, disappearing messages.
 */
const SYSTEM_STRONG = new RegExp(
  [
    // encryption notice, in the corpora's languages
    'end-to-end encrypt',
    'chiffrés de bout en bout',
    'cifrad[oa]s de extremo a extremo',
    'ende-zu-ende-verschlüsselt',
    'crittografat[ie] end-to-end',
    'encriptadas ponto a ponto',
    'criptografia de ponta a ponta',
    'сквозным шифрованием',
    'наскрізним шифруванням',
    'koncovým šifrováním',
    'end-to-end versleuteld',
    'مشفرة تمامًا بين الطرفين',
    'エンドツーエンド暗号化',
    'एंड-टू-एंड एन्क्रिप्टेड',
    'terenkripsi secara end-to-end',
    'เข้ารหัสจากต้นทางถึงปลายทาง',
    'được mã hóa đầu cuối',
    'uçtan uca şifreli',
    // security code changed
    'security code with .{1,80} changed',
    'sicherheitsnummer .{0,80}(?:geändert|hat sich geändert)',
    'code de sécurité .{0,80}a changé',
    'código de seguridad .{0,80}cambió',
    'codice di sicurezza .{0,80}è cambiato',
    'código de segurança .{0,80}(?:mudou|foi alterado)',
    'код безопасности .{0,80}изменился',
    'код безпеки .{0,80}змінився',
    'bezpečnostní kód .{0,80}se změnil',
    'beveiligingscode .{0,80}is gewijzigd',
    'رمز الأمان .{0,80}تغير',
    'セキュリティコードが変更されました',
    'सुरक्षा कोड बदल गया',
    'kode keamanan .{0,80}berubah',
    'รหัสความปลอดภัย.{0,80}เปลี่ยน',
    'mã bảo mật .{0,80}đã thay đổi',
    // group life
    ' created (?:the )?group ["“]',
    '^you created group ["“]',
    'joined using this (?:group|community)\'s invite link',
    ' changed the subject (?:from|to) ["“]',
    ' changed this group\'s (?:icon|settings)',
    ' deleted this group\'s icon',
    ' changed the group (?:description|name)',
    ' deleted the group description',
    ' changed their phone number to a new number',
    ' turned (?:on|off) disappearing messages',
    ' updated the message timer',
    '^disappearing messages were turned (?:on|off)',
    '^messages (?:to this group )?are now secured',
    // same, other languages
    'hat die gruppe .{1,80} erstellt',
    'a créé le groupe',
    'creó el grupo',
    'ha creato il gruppo',
    'criou o grupo',
    'создал\\(?-?а?\\)? группу',
    'створив\\(?-?ла\\)? групу',
    'vytvořil\\(?a?\\)? skupinu',
    'heeft (?:de )?groep .{1,80} aangemaakt',
    'أنشأ المجموعة',
    'グループ「.{1,80}」を作成しました',
    'membuat grup',
    'đã tạo nhóm',
    'hat den betreff .{0,80}geändert',
    'hat das gruppenbild geändert',
    'a modifié le sujet',
    "a changé l'icône de ce groupe",
    'cambió el asunto',
    'cambió la imagen del grupo',
    "ha cambiato l'oggetto",
    "ha cambiato l'immagine di questo gruppo",
    'mudou o assunto',
    'alterou o assunto',
    'mudou a imagem deste grupo',
    'изменил\\(?-?а?\\)? тему',
    'изменил\\(?-?а?\\)? изображение группы',
    'змінив\\(?-?ла\\)? тему',
    'změnil\\(?a?\\)? předmět',
    'heeft het onderwerp gewijzigd',
    'heeft de groepsafbeelding gewijzigd',
  ].join('|'),
  'i',
);

/**
 * Membership sentences ("X added Y", "X left") look like things people type, so they count as system only
 * where the line is already suspect: no author (Android), a body that starts with a direction mark (iOS),
 * or the chat's own name as the author.
 */
const SYSTEM_WEAK = new RegExp(
  [
    '^(?:.{1,80} )?(?:added|removed|left|joined|was added|were added|was removed|were removed)(?: .{0,200})?$',
    ' hat .{1,80} hinzugefügt$',
    ' hat die gruppe verlassen$',
    ' a ajouté ',
    ' est parti',
    ' a quitté',
    ' añadió a ',
    ' agregó a ',
    ' salió del grupo',
    ' salió$',
    ' ha aggiunto ',
    ' è uscito',
    ' adicionou ',
    ' saiu$',
    ' removeu ',
    ' добавил',
    ' вышел',
    ' удалил\\(?-?а?\\)? ',
    ' додав',
    ' вийшов',
    ' přidal',
    ' odešel',
    ' odebral',
    ' heeft .{1,80} toegevoegd',
    ' is vertrokken',
    ' أضاف ',
    ' غادر',
    'を追加しました',
    'が退出しました',
    ' menambahkan ',
    ' keluar$',
    ' đã thêm ',
    ' đã rời',
    'messages éphémères',
    'mensajes temporales',
    'messaggi effimeri',
    'mensagens temporárias',
    'verschwindende nachrichten',
    'исчезающие сообщения',
    'зникаючі повідомлення',
    'mizející zprávy',
    'verdwijnende berichten',
    'الرسائل المؤقتة',
    '消えるメッセージ',
    'pesan sementara',
    'tin nhắn tự hủy',
  ].join('|'),
  'i',
);

/** English words in placeholders (a hint for US month-first dates when nothing else tells). */
const ENGLISH_PLACEHOLDER = /^(?:<media omitted>|image omitted|video omitted|audio omitted|sticker omitted|document omitted|gif omitted|this message was deleted\.?|you deleted this message\.?|missed voice call)$/i;

/** `<attached: 00000035-PHOTO-….jpg>` and its translations (`<adjunto: …>`, `<Anhang: …>`). */
const IOS_ATTACHMENT = /<[^<>:]{2,30}: ?\d{8}-[^<>]+>$/;
/** `IMG-20220323-WA0002.jpg (file attached)`: a WhatsApp media name, or any file name with a known phrase. */
const FILE_ATTACHED = /^(.+\.[A-Za-z0-9]{1,5}) \(([^()]{3,40})\)$/;
const WA_MEDIA_NAME = /^(?:IMG|VID|AUD|PTT|STK|DOC)-\d{8}-WA\d{4}/;
const ATTACHED_WORDS = /attached|bijgevoegd|přiložen|добавлен|angehängt|adjunto|joint|allegato|anexado|anexo|ekli|terlampir|مرفق|прикріплено|додано|załączony|bifogad|vedhæftet|vedlagt|liitetty|csatolva|atașat|επισυνάφθηκε|đính kèm|แนบ|添付|संलग्न/i;
/** `location: https://maps.google.com/?q=…` in any language. */
const LOCATION = /^[^:\n]{1,30}: ?https:\/\/maps\.google\.com\/\?q=[-\d.,]+$/;
/** An Android placeholder in angle brackets in a language not listed above. */
const ANGLE_PLACEHOLDER = /^[<‹][^<>‹›@/:]{2,40}[>›]$/;
/** A document line on its own: `Resume.pdf • 2 pages`. */
const DOCUMENT_PAGES = /^.+\.[A-Za-z0-9]{1,5} • [^•]{1,30}$/;
/** A line that is only a file name (`Resume-Jane.pdf`): what Android writes under a document placeholder. */
const FILE_NAME =
  /^[^\n]{1,120}\.(?:pdf|docx?|xlsx?|pptx?|txt|csv|zip|rar|7z|odt|ods|odp|rtf|epub|apk|json|xml|html?|mp3|m4a|opus|ogg|wav|mp4|mov|jpe?g|png|gif|webp|heic|vcf)$/i;
/** `<This message was edited>` and translations, at the end of a message. */
const EDITED = /\s*<[^<>\n]{0,40}(?:edit|bearbeit|modifi|bewerkt|изменен|змінен|upraven|تعديل|編集|एडिट|chỉnh sửa|แก้ไข|düzenlen|redigerad|edytowan)[^<>\n]{0,40}>\s*$/i;

/** Poll block: `POLL:` / question / `OPTION: x (N votes)`. */
const POLL_HEAD = /^([^\s:]{2,20}(?: [^\s:]{2,20})?) ?:$/;
const KNOWN_POLL_HEADS = new Set([
  'poll',
  'encuesta',
  'umfrage',
  'sondage',
  'enquete',
  'sondaggio',
  'опрос',
  'опитування',
  'anketa',
  'peiling',
  'استطلاع',
  'アンケート',
  'polling',
  'jajak pendapat',
  'โพล',
  'khảo sát',
  'पोल',
  'ankieta',
]);
const POLL_OPTION = /^([^\s:]{2,20}(?: [^\s:]{2,20})?) ?: ?(.+?) \((\d+)[^()\d]{0,20}\)$/;

type BodyKind = 'text' | 'media' | 'deleted' | 'system';

interface BodyFacts {
  /** The raw line started with a direction mark: iOS marks attachment lines this way. */
  lineMark: boolean;
  /** The raw body started with a direction mark: iOS marks generated text this way. */
  bodyMark: boolean;
  /** The raw body holds a direction mark anywhere (`Some file.txt ‎document omitted`). */
  bodyHasMark: boolean;
  /** The file has direction marks at all; when it does not, they were stripped and cannot be relied on. */
  fileHasMarks: boolean;
  /** The author is the chat's own name (iOS system lines). */
  chatNameAuthor: boolean;
  /** The file is an iOS export (bracket headers). */
  ios: boolean;
}

/** What the first line of an authored message is. */
function classifyFirstLine(first: string, facts: BodyFacts): BodyKind {
  const len = first.length;
  if (len <= 120) {
    const key = lookupKey(first);
    if (key === 'null') return 'deleted';
    if (DELETED_SET.has(key)) return 'deleted';
    if (MEDIA_SET.has(key)) return 'media';
    if (SYSTEM_SET.has(key)) return 'system';
  }
  const last = first.charCodeAt(len - 1);
  if (last === 62 /* > */ || last === 0x203a /* › */) {
    if (IOS_ATTACHMENT.test(first) || ANGLE_PLACEHOLDER.test(first)) return 'media';
  } else if (last === 41 /* ) */) {
    const m = FILE_ATTACHED.exec(first);
    if (m && (WA_MEDIA_NAME.test(m[1] ?? '') || ATTACHED_WORDS.test(m[2] ?? ''))) return 'media';
  }
  if (first.includes('maps.google.com') && LOCATION.test(first)) return 'media';
  if (len <= 300 && first.includes('.')) {
    const lower = first.toLowerCase();
    for (const tail of MEDIA_TAILS) if (lower.endsWith(tail)) return 'media';
    if (DOCUMENT_PAGES.test(first)) return 'media';
  }
  if (len <= 500 && SYSTEM_STRONG.test(first)) return 'system';
  if (facts.ios && facts.lineMark && facts.bodyHasMark) return 'media';
  if ((facts.bodyMark && facts.ios) || (facts.chatNameAuthor && !facts.fileHasMarks)) {
    if (SYSTEM_WEAK.test(first)) return 'system';
    // iOS marks every generated body with a direction mark; a marked single line we do not know is one of those.
    if (facts.bodyMark && facts.ios) return 'system';
  }
  return 'text';
}

/** Reads a poll block, or null when the lines are not one. */
function readPoll(lines: string[], at: string): ParsedPoll | null {
  const head = POLL_HEAD.exec(lines[0] ?? '');
  if (!head || lines.length < 3) return null;
  const known = KNOWN_POLL_HEADS.has((head[1] ?? '').toLowerCase());
  const question: string[] = [];
  const options: { label: string; votes: number }[] = [];
  let optionWord = '';
  for (let i = 1; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (!line) continue;
    const m = POLL_OPTION.exec(line);
    if (m && (options.length > 0 || question.length > 0)) {
      const word = (m[1] ?? '').toLowerCase();
      if (optionWord && word !== optionWord) return null;
      optionWord = word;
      options.push({ label: (m[2] ?? '').trim(), votes: +(m[3] ?? 0) });
    } else if (options.length === 0) {
      question.push(line);
    } else {
      return null;
    }
  }
  if (!question.length || !options.length || (!known && options.length < 2)) return null;
  return { question: question.join('\n'), options, multiple: true, at, source: 'whatsapp' };
}

// ---------------------------------------------------------------------------------------------------------
// The parser

/** Backward jumps up to this many seconds are normal (delivery order, clock corrections). */
const BACKWARD_SLACK = 36 * 3600;
/** A pasted excerpt longer than this many headers is more likely a real clock jump. */
const MAX_PASTED_HEADERS = 200;

const LINE_BREAK = /\r\n|\r|\n/;
const DIRECTION_MARK = /[\u200E\u200F]/;
const CHAT_NAME_IN_FILENAME = /^WhatsApp[ -]Chat (?:with|-|mit|con|avec|com|met) (.+?)(?: \(\d+\))?\.txt$/i;

/** Aggregates one kind of oddity into a single warning. */
class Oddity {
  count = 0;
  firstLine = 0;
  example = '';
  add(line: number, example: string): void {
    if (this.count++ === 0) {
      this.firstLine = line;
      this.example = example.length > 60 ? `${example.slice(0, 57)}…` : example;
    }
  }
}

/**
 * Parses a WhatsApp chat export (Android or iOS, any locale seen so far):
 * `parseWhatsApp("18/03/2022, 14:56 - Ana: hi")` → `{ format: 'whatsapp', messages: [{ text: 'hi', at: '2022-03-18T14:56:00', … }], … }`.
 * Throws unreadable_file when no line reads as a message header.
 */
export function parseWhatsApp(text: string, opts: { filename?: string } = {}): ParseResult {
  const lines = text.split(LINE_BREAK);
  const where = opts.filename ? `${opts.filename}` : undefined;

  // 1. Every line that reads as a header.
  const found: Header[] = [];
  const nearHeaders = new Oddity();
  let fileHasMarks = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const h = readHeader(raw, i);
    if (h) {
      found.push(h);
      if (!fileHasMarks && DIRECTION_MARK.test(raw)) fileHasMarks = true;
    } else if (raw.length > 8 && NEAR_HEADER.test(cleanHeaderLine(raw))) nearHeaders.add(i + 1, cleanHeaderLine(raw));
  }
  if (found.length === 0) {
    const firstText = lines.find((l) => l.trim() !== '') ?? '';
    const shown = cleanText(firstText).trim().slice(0, 60);
    throw unreadable(
      `no WhatsApp message headers found: expected lines like "18/03/2022, 14:56 - Name: text" or "[18/03/2022, 14:56:01] Name: text"${
        shown ? `, but the file starts with "${shown}"` : ', but the file is empty'
      }. Export the chat again from WhatsApp ("Export chat") and upload the .txt or .zip`,
      where,
    );
  }

  // 2. The file's own header shape: that of its first line (nothing can be pasted before it), else the commonest.
  const firstNonBlank = lines.findIndex((l) => cleanText(l).trim() !== '');
  let shape = (found[0] as Header).shape;
  if ((found[0] as Header).line !== firstNonBlank) {
    const counts = new Map<number, number>();
    let best = 0;
    for (const h of found) {
      const n = (counts.get(h.shape) ?? 0) + 1;
      counts.set(h.shape, n);
      if (n > best) {
        best = n;
        shape = h.shape;
      }
    }
  }
  const ios = shape % 4 === SHAPE_BRACKET || shape % 4 === SHAPE_TIME_FIRST;
  const sameShape: Header[] = [];
  const otherShape = new Oddity();
  for (const h of found) {
    if (h.shape === shape) sameShape.push(h);
    else otherShape.add(h.line + 1, cleanHeaderLine(lines[h.line] ?? ''));
  }

  // 3. Day/month order, then times; impossible dates become message text.
  const decision = decideOrder(sameShape, () => localeHint(sameShape));
  const warnings: Warning[] = [];
  const dayCache = { key: '', day: -1, iso: '' };
  const stamped: Header[] = [];
  const impossible = new Oddity();
  const unknownPeriods = new Map<string, number>();
  for (const h of sameShape) {
    if (stampHeader(h, decision.order, dayCache)) stamped.push(h);
    else impossible.add(h.line + 1, `${h.p1}/${h.p2}/${h.p3} ${h.hour}:${PAD2[h.minute] ?? h.minute}`);
    if (h.marker && periodOf(h.marker) === null) unknownPeriods.set(h.marker, (unknownPeriods.get(h.marker) ?? 0) + 1);
  }
  if (stamped.length === 0) {
    const bad = sameShape[0] as Header;
    throw unreadable(`cannot read the date '${bad.p1}/${bad.p2}/${bad.p3}'`, `${where ? `${where}, ` : ''}line ${bad.line + 1}`);
  }

  // 4. Chronology: a run of headers far in the past that the chat then returns from was pasted into a message.
  const chatName = CHAT_NAME_IN_FILENAME.exec(opts.filename ?? '')?.[1]?.trim() ?? null;
  const accepted: Header[] = [];
  const pasted = new Oddity();
  const backwards = new Oddity();
  for (let i = 0; i < stamped.length; i++) {
    const h = stamped[i] as Header;
    const prev = accepted[accepted.length - 1];
    if (!prev || h.t >= prev.t - BACKWARD_SLACK) {
      accepted.push(h);
      continue;
    }
    const floor = prev.t - BACKWARD_SLACK;
    let j = i;
    while (j < stamped.length && (stamped[j] as Header).t < floor) j++;
    const returns = j < stamped.length && j - i <= MAX_PASTED_HEADERS;
    // System lines (the encryption notice Android dates at export time) cannot hold pasted text.
    const prevIsSystem = isSystemHeader(prev, accepted.length === 1, lines, ios, chatName, fileHasMarks);
    if (returns && !prevIsSystem) {
      for (let k = i; k < j; k++) {
        const p = stamped[k] as Header;
        pasted.add(p.line + 1, cleanHeaderLine(lines[p.line] ?? ''));
      }
      i = j - 1;
    } else {
      if (!prevIsSystem) backwards.add(h.line + 1, `${prev.at} → ${h.at}`);
      accepted.push(h);
    }
  }

  // 5. Messages.
  const messages: ParsedMessage[] = [];
  const polls: ParsedPoll[] = [];
  const skipped = emptySkips();
  const people = new Map<string, { key: string; names: Set<string> }>();
  const keyOf = new Map<string, string>();
  const firstAccepted = accepted[0] as Header;
  if (lines.slice(0, firstAccepted.line).some((l) => cleanText(l).trim() !== '')) {
    warnings.push({
      code: 'text_before_first_message',
      message: `the text before line ${firstAccepted.line + 1} is not part of any message and was ignored`,
      line: 1,
    });
  }
  // On iOS the chat's name stands as the author of system lines; the first line's author, when that line is
  // the encryption notice, is that name.
  let systemAuthor = chatName;

  for (let k = 0; k < accepted.length; k++) {
    const h = accepted[k] as Header;
    const end = k + 1 < accepted.length ? (accepted[k + 1] as Header).line : lines.length;
    if (h.author === null || !plausibleAuthor(h.author)) {
      skipped.system++;
      continue;
    }
    const raw = lines[h.line] ?? '';
    let first = h.body;
    let lineMark = false;
    let bodyMark = false;
    let bodyHasMark = false;
    if (NEEDS_CLEAN.test(raw)) {
      const rawBody = rawTail(raw, h.body.length);
      bodyMark = isDirectionMark(rawBody.charCodeAt(0)) || isDirectionMark(rawBody.charCodeAt(1));
      bodyHasMark = bodyMark || DIRECTION_MARK.test(rawBody);
      lineMark = isDirectionMark(raw.charCodeAt(0)) || isDirectionMark(raw.charCodeAt(1));
      if (ARABIC_DIGIT_OR_COMMA.test(rawBody)) first = cleanText(rawBody);
    }
    const multiline = end > h.line + 1;
    let textLines: string[] = [first];
    if (multiline) {
      for (let i = h.line + 1; i < end; i++) textLines.push(cleanBodyLine(lines[i] ?? ''));
      while (textLines.length > 1 && (textLines[textLines.length - 1] as string).trim() === '') textLines.pop();
    }
    // Polls come before the placeholder checks: on iOS their first line carries a mark like generated text.
    const poll = textLines.length >= 3 && POLL_HEAD.test(first.trim()) ? readPoll(textLines, h.at) : null;
    const facts: BodyFacts = {
      lineMark,
      bodyMark,
      bodyHasMark,
      fileHasMarks,
      chatNameAuthor: systemAuthor !== null && h.author === systemAuthor,
      ios,
    };
    let kind: BodyKind = poll ? 'text' : classifyFirstLine(first, facts);
    if (k === 0 && kind === 'text' && bodyMark && textLines.length === 1) kind = 'system';
    if (kind === 'system') {
      if (k === 0 && systemAuthor === null) systemAuthor = h.author;
      skipped.system++;
      continue;
    }

    // The speaker is a participant whatever they sent.
    let key = keyOf.get(h.author);
    if (key === undefined) {
      key = authorKey(h.author);
      keyOf.set(h.author, key);
      const name = displayName(h.author);
      const person = people.get(key);
      if (person) person.names.add(name);
      else people.set(key, { key, names: new Set([name]) });
    }

    if (poll) {
      polls.push(poll);
      continue;
    }
    if (kind !== 'text') {
      // A caption sits on the lines after a media placeholder; it is the message.
      // Android writes a document's file name there too, which is not a caption.
      if (kind === 'media' && textLines.length > 1 && !(textLines.length === 2 && FILE_NAME.test(textLines[1] as string))) {
        textLines = textLines.slice(1);
      } else {
        if (kind === 'media') skipped.media++;
        else skipped.deleted++;
        continue;
      }
    }
    let body = textLines.length === 1 ? (textLines[0] as string) : textLines.join('\n');
    const lastChar = body.charCodeAt(body.length - 1);
    if (lastChar === 62 || lastChar === 32) body = body.replace(EDITED, '');
    body = body.trim();
    if (body === '') {
      skipped.empty++;
      continue;
    }
    messages.push({ participant: key, text: body, at: h.at, line: h.line + 1 });
  }

  // 6. Warnings, few and aggregated.
  if (decision.how === 'hint' || decision.how === 'default') {
    const order = decision.order === 'mdy' ? 'month/day' : 'day/month';
    warnings.push({
      code: 'date_order_guessed',
      message: `no date in the file shows whether it is day/month or month/day; read as ${order}${
        decision.how === 'hint' ? ' from the language of the export' : ''
      } — check the dates`,
    });
  }
  aggregate(warnings, otherShape, 'other_header_shape', (o) =>
    `${o.count} line(s) look like message headers in another layout than the file's (${SHAPE_NAMES[shape % 4]}), e.g. line ${o.firstLine} "${o.example}"; they were kept as message text`,
  );
  aggregate(warnings, impossible, 'impossible_dates', (o) =>
    `${o.count} header line(s) have dates that cannot be read as ${decision.order === 'mdy' ? 'month/day' : decision.order === 'ymd' ? 'year/month/day' : 'day/month'}, e.g. line ${o.firstLine} "${o.example}"; they were kept as message text`,
  );
  aggregate(warnings, pasted, 'pasted_chat', (o) =>
    `${o.count} line(s) inside messages look like headers from an earlier time (a pasted chat?), first at line ${o.firstLine}; they were kept as message text`,
  );
  aggregate(warnings, backwards, 'time_went_backwards', (o) =>
    `the time goes back more than a day ${o.count} time(s), first at line ${o.firstLine} (${o.example}); messages were kept in file order`,
  );
  aggregate(warnings, nearHeaders, 'unreadable_header', (o) =>
    `${o.count} line(s) start like a message header but could not be read, e.g. line ${o.firstLine} "${o.example}"; they were kept as message text`,
  );
  if (unknownPeriods.size > 0) {
    const names = [...unknownPeriods.keys()].slice(0, 3).join('", "');
    warnings.push({
      code: 'unknown_day_period',
      message: `times are marked with "${names}", which is not a known AM/PM word; those hours were read as 24-hour`,
    });
  }

  const participants: ParsedParticipant[] = [...people.values()].map((p) => ({ key: p.key, names: [...p.names] }));
  return { format: 'whatsapp', messages, participants, polls, skipped, warnings };
}

function aggregate(warnings: Warning[], o: Oddity, code: string, message: (o: Oddity) => string): void {
  if (o.count > 0) warnings.push({ code, message: message(o), line: o.firstLine });
}

/** Whether an `Author: ` prefix is really a name and not the start of a system sentence holding a colon. */
function plausibleAuthor(author: string): boolean {
  if (author.length > 80) return false;
  if (author.length < 25) return true;
  return !/["“”«»„]/.test(author);
}

/** Whether a header opens a system line (for the chronology check, before the messages are built). */
function isSystemHeader(
  h: Header,
  isFirst: boolean,
  lines: string[],
  ios: boolean,
  chatName: string | null,
  fileHasMarks: boolean,
): boolean {
  if (h.author === null || !plausibleAuthor(h.author)) return true;
  const raw = lines[h.line] ?? '';
  const rawBody = NEEDS_CLEAN.test(raw) ? rawTail(raw, h.body.length) : h.body;
  const bodyMark = isDirectionMark(rawBody.charCodeAt(0)) || isDirectionMark(rawBody.charCodeAt(1));
  const facts: BodyFacts = {
    lineMark: false,
    bodyMark,
    bodyHasMark: bodyMark,
    fileHasMarks,
    chatNameAuthor: chatName !== null && h.author === chatName,
    ios,
  };
  if (classifyFirstLine(h.body, facts) === 'system') return true;
  return isFirst && bodyMark;
}

/** Day/month hint from the language of the placeholders: US English writes M/D/YY, unpadded. */
function localeHint(headers: Header[]): DateOrder | null {
  let english = false;
  let other = false;
  for (const h of headers) {
    if (h.author === null) continue;
    const key = lookupKey(h.body);
    if (ENGLISH_PLACEHOLDER.test(key)) english = true;
    else if (MEDIA_SET.has(key) || DELETED_SET.has(key) || SYSTEM_SET.has(key)) other = true;
  }
  if (english) {
    const first = headers[0] as Header;
    const unpadded = headers.every((h) => h.p1.charCodeAt(0) !== 48 && h.p2.charCodeAt(0) !== 48);
    return unpadded && first.p3.length === 2 ? 'mdy' : 'dmy';
  }
  return other ? 'dmy' : null;
}
