/**
 * Redaction of personal data before anything is stored: e-mail addresses, phone numbers and the
 * names of every known participant, in any script. Pure and built for throughput: one redactor is
 * compiled per upload, then `redact` runs per message with cheap prefilters.
 *
 * How names are found. Instead of one regex alternative per name (which makes the regex engine try
 * hundreds of branches at every position), the text is cut into words once and each word is folded
 * (NFKD, lower case, Latin/Cyrillic/Greek diacritics and Arabic harakat and tatweel dropped, Arabic
 * letter variants unified: أ إ آ ٱ → ا, ى ئ ی → ي, ة → ه, ؤ → و) and looked up in a hash map of the
 * folded names. Word boundaries are therefore whole words by construction, so "Jane" is found in
 * "@Jane's" but not in "Janet". Multi-word names continue across spaces, NBSPs, bidi marks, hyphens,
 * dots and apostrophes; an invisible character between two letters (soft hyphen, zero-width space,
 * bidi mark) is inside the word, and folded away. Scripts written without spaces (Han, kana, Hangul, Thai…) are matched as
 * substrings by one small regex that only runs when such characters are present.
 *
 * A few language habits are covered because they hide names from a plain word match: Arabic
 * proclitics glued to the name (وأحمد "and Ahmed", لأحمد, and للمصري where ل meets the article),
 * Russian case endings (Ивана, Марией), Bengali case suffixes (রহিমের, রহিমকে) and numbers glued to
 * handles (@jane92).
 *
 * Phones: runs of digits of any script (ASCII, Arabic-Indic, Persian, full-width…) joined by spaces
 * of any width, bidi marks, dots, dashes, slashes or parentheses, with an optional "+" or "00": 8 to
 * 15 digits, or 7 after "+". Dates (18/03/2022, 2022-03-18, 18.03.22), year ranges (2018–2030) and
 * thousands-grouped amounts (1.500.000, 15 000 000 €) are not phones; commas and colons never join
 * digits, so 2,000,000 and 14:56 stay apart. A longer run is cut into numbers of at most 15 digits,
 * and its tail goes with the last one: no run of 8 or more digits survives outside plain web links.
 * A participant whose name is a phone number gets their label instead of the marker.
 *
 * E-mails: `local@domain.tld` with Unicode on both sides, and the usual disguises
 * (`name [at] domain [dot] org`, `name(at)domain.org`, `name at domain dot org`, `＠`).
 *
 * Speed: one pass over the characters (a lazily built class table) collects the words with a hash of
 * each, counts the digits and notes '@', brackets and " dot "; the phone and e-mail rules run only when
 * those are present, and then only where a number or an address can start. A word is folded only when
 * its first two (or three) folded letters begin a known name. Measured
 * at ~420,000 messages/s (the benchmark export's messages, ~190 characters, en/fr/es/ar/bn/ja, 300
 * participants; ~320,000 the same way before the two-loop scan and the letter-pair filter) on one core
 * of the project's 2-core machine. The redactor reuses its word buffer and remembers words that start
 * no name, so it is stateful, but its output depends only on its input.
 */
import { looksLikePhone } from '../ingest/identity';
import { cleanText } from '../text/clean';

export interface RedactionCounts {
  phone: number;
  email: number;
  name: number;
}

export interface Redaction {
  text: string;
  counts: RedactionCounts;
}

/** One participant: the pseudonym label that replaces their names, and every form of their name. With the
 *  label NAME_MARKER, people only mentioned: a participant's label wins over theirs for a shared name. */
export interface PersonNames {
  label: string;
  names: string[];
}

export interface Redactor {
  redact(text: string): Redaction;
}

export const PHONE_MARKER = '[phone]';
export const EMAIL_MARKER = '[email]';
/**
 * Replaces a name part shared by two participants (two "Jane"s): naming either would be a guess; and the
 * name of someone a file mentions without their writing in it (the parsers put it for mentions too).
 */
export const NAME_MARKER = '[name]';

/** Zeroed counts: `emptyCounts()` → `{ phone: 0, email: 0, name: 0 }`. */
export function emptyCounts(): RedactionCounts {
  return { phone: 0, email: 0, name: 0 };
}

/** Adds `more` into `into` and returns it: `addCounts(total, redactor.redact(t).counts)`. */
export function addCounts(into: RedactionCounts, more: RedactionCounts): RedactionCounts {
  into.phone += more.phone;
  into.email += more.email;
  into.name += more.name;
  return into;
}

// ---------------------------------------------------------------------------------------------
// Folding: the comparison form of a word.

/** Marks that spellings add or drop freely: Latin/Greek/Cyrillic accents, Hebrew points, Arabic
 *  harakat (incl. hamza above/below and madda, which NFKD splits off أ إ آ ؤ ئ), tatweel, ZWJ/ZWNJ.
 *  Indic vowel signs are NOT here: in Devanagari or Bengali they are letters of the name. */
const OPTIONAL_MARKS =
  /[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F\u0591-\u05C7\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200C\u200D]/g;

/** Invisible format characters (Unicode's default-ignorable format controls, ZWJ/ZWNJ aside, which
 *  are word characters of their own): soft hyphen, zero-width space, word joiner, ZWNBSP/BOM, bidi
 *  marks, embeddings and isolates, invisible operators, tags. Text pasted from Word or the web carries
 *  them inside words ("Ja\u00ADne"), and since they are not letters they cut the word in two and the
 *  name survived. Between two word characters they are part of the word; folding drops them. A class
 *  body for `u` and `v` regexes alike (the no-space pattern is a `u` one). */
const INVISIBLE =
  '\\u00AD\\u061C\\u180E\\u200B\\u200E\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u206F\\uFEFF\\u{1BCA0}-\\u{1BCA3}\\u{1D173}-\\u{1D17A}\\u{E0001}\\u{E0020}-\\u{E007F}';
const INVISIBLE_RE = new RegExp(`[${INVISIBLE}]`, 'gu');

/** Letters NFKD does not decompose but people type without their diacritic or in a sister script. */
const LETTER_TWINS: Record<string, string> = {
  ı: 'i',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
  ς: 'σ',
  ى: 'ي',
  ی: 'ي',
  ې: 'ي',
  ے: 'ي',
  ة: 'ه',
  ۀ: 'ه',
  ھ: 'ه',
  ہ: 'ه',
  ٱ: 'ا',
  ک: 'ك',
};

const foldCacheBmp: (string | undefined)[] = [];
const foldCacheAstral = new Map<number, string>();

function foldCodePoint(cp: number): string {
  // NFKD twice: lower-casing "İ" gives "i" + combining dot, which must be split off again.
  const s = String.fromCodePoint(cp)
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(OPTIONAL_MARKS, '')
    .replace(INVISIBLE_RE, '');
  let out = '';
  for (const ch of s) out += LETTER_TWINS[ch] ?? ch;
  return out;
}

/** Comparison form of a word: `foldWord("Jósé")` → `"jose"`, `foldWord("أَحْمَد")` → `"احمد"`. */
export function foldWord(w: string): string {
  let ascii = true;
  for (let i = 0; i < w.length; i++) {
    if (w.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return w.toLowerCase();
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 0x80) {
      out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : w.charAt(i);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < w.length) {
      const cp = w.codePointAt(i) ?? c;
      i++;
      let f = foldCacheAstral.get(cp);
      if (f === undefined) {
        f = foldCodePoint(cp);
        foldCacheAstral.set(cp, f);
      }
      out += f;
      continue;
    }
    let f = foldCacheBmp[c];
    if (f === undefined) {
      f = foldCodePoint(c);
      foldCacheBmp[c] = f;
    }
    out += f;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Words and scripts.

/** Scripts written without spaces between words: names in them are matched as substrings. */
const NOSPACE =
  '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Hangul}\\p{scx=Thai}\\p{scx=Lao}\\p{scx=Khmer}\\p{scx=Myanmar}\\p{scx=Tibetan}';
/** The same as a `v`-flag class, without the combining marks that scripts share (script Inherited):
 *  their script extensions name Han or Thai for some (U+0303 tilde, U+0323 dot below, U+0331 macron
 *  below), but they belong to the letter before them, so in decomposed text "Nguye\u0302\u0303n" or
 *  "N\u0303bbb" they ended the Latin word and the name was missed. */
const NOSPACE_SET = `[[${NOSPACE}]--[\\p{sc=Inherited}]]`;
/** Variation selectors and the keycap mark: marks by category, but they belong to the emoji or the
 *  ideograph before them ("❤️", "1️⃣", an IVS after a kanji), never to a word. As word characters they
 *  glued the emoji onto the next name ("❤️Jane" was the word "\uFE0Fjane"), and a display name
 *  "✌️Omar" registered the token "\uFE0Fomar", so "Omar" itself was never found. */
const VARIATION_SELECTORS = '\\uFE00-\\uFE0F\\u{E0100}-\\u{E01EF}';
const EMOJI_MARKS = `${VARIATION_SELECTORS}\\u20E3`;
/** Dropped from registered names, so that "葛\u{E0100}城" is one run like "葛城". */
const VARIATION_SELECTOR_RE = new RegExp(`[${VARIATION_SELECTORS}]`, 'gu');
/** A word of a spaced script. ZWNJ/ZWJ belong inside Persian and Indic words, and so does an
 *  invisible character between two letters (as `scan` reads words: "Ja\u00ADne" is one). The `v`
 *  flag's set difference keeps a kana or kanji from gluing onto a Latin name ("Janeさん"). */
const WORD_LETTERS = `[[\\p{L}\\p{M}\\p{N}\\u200C\\u200D]--${NOSPACE_SET}--[${EMOJI_MARKS}]]+`;
const WORD_SRC = `${WORD_LETTERS}(?:[${INVISIBLE}]+${WORD_LETTERS})*`;
const NOSPACE_CHAR = new RegExp(NOSPACE_SET, 'v');
const NOSPACE_RUN = new RegExp(`[[\\p{L}\\p{M}\\p{N}]&&${NOSPACE_SET}]+`, 'gv');
/** What may stand between the words of one name: spaces (any), bidi and invisible marks, joiners. */
const NAME_GAP = /^[\s\p{Cf}\-\u2010-\u2015_.'’·・]{1,6}$/u;
/** The same between the parts of a name in a no-space script ("山田 太郎", "ジェーン・ドウ"). */
const CJK_GAP = `[\\s\\p{Cf}・･·${EMOJI_MARKS}]*`;
/** After each ideograph of a name: Japanese names are often written with an ideographic variation
 *  selector ("葛\u{E0100}城"), which must not hide the name written with or without one; nor must an
 *  invisible character or a joiner ("山\u200B田", "김\u200D민준"). */
const CJK_VARIANT = `[${EMOJI_MARKS}${INVISIBLE}\\u200C\\u200D]*`;
const DIGITS_ONLY = /^\p{N}+$/u;

function isCyrillic(c: number): boolean {
  return c >= 0x0400 && c <= 0x052f;
}
function isArabic(c: number): boolean {
  return c >= 0x0600 && c <= 0x06ff;
}
function isBengali(c: number): boolean {
  return c >= 0x0980 && c <= 0x09ff;
}

/** Russian/Ukrainian case endings, longest first (folded: й is и). Not -ов/-ин/-ев: those make
 *  surnames from first names (Иван → Иванов), a different person. */
const CYRILLIC_ENDINGS = ['ого', 'ому', 'ами', 'ои', 'еи', 'ом', 'ем', 'ым', 'им', 'ою', 'ею', 'а', 'я', 'у', 'ю', 'е', 'и', 'ы', 'о'];
const CYRILLIC_VOWEL_END = /[аяиеоуыью]$/;
/** Bengali case suffixes glued to names: genitive -এর/-র, objective -কে, plural -রা/-দের, emphasis -ও/-ই. */
const BENGALI_SUFFIXES = ['দের', 'এর', 'ের', 'কে', 'রা', 'টা', 'টি', 'র', 'ও', 'ই'];
/** Arabic one-letter proclitics written joined to the next word: و ف (and), ب (with), ل (for), ك (like). */
const ARABIC_PROCLITIC = /^[وف]?[بلك]?/;

/** Comparable forms of a folded word: itself, then its stems without a case ending. */
function wordForms(key: string): string[] {
  const c = key.charCodeAt(0);
  if (isCyrillic(c)) {
    const forms = [key];
    for (const e of CYRILLIC_ENDINGS) {
      if (key.length - e.length >= 3 && key.endsWith(e)) forms.push(key.slice(0, -e.length));
    }
    return forms;
  }
  if (isBengali(c)) {
    const forms = [key];
    for (const s of BENGALI_SUFFIXES) {
      if (key.length - s.length >= 2 && key.endsWith(s)) forms.push(key.slice(0, -s.length));
    }
    return forms;
  }
  return [key];
}

/** The stem a Cyrillic name token is also registered under: "мария" → "мари", "иван" → "иван". */
function tokenStem(t: string): string {
  if (isCyrillic(t.charCodeAt(0)) && t.length > 3 && CYRILLIC_VOWEL_END.test(t)) return t.slice(0, -1);
  return t;
}

function tokenMatches(wordKey: string, t: string): boolean {
  if (wordKey === t) return true;
  const stem = tokenStem(t);
  for (const f of wordForms(wordKey)) if (f === t || f === stem) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Name parts that are also common words. A part on this list is not matched on its own: only the
// full name is ("Grace Hopper" is found, "by grace" and "Grace" alone are not). Matching the part
// everywhere would redact ordinary words in most messages ("I hope", "we will", "la paz", "أمل"),
// destroying the feedback while adding little protection: the full name and the other parts are
// still caught. Particles and honorifics (de, van, bin, Dr) are here for the same reason.
// A participant whose WHOLE name is one of these words is still matched, but in cased scripts only
// when written with a capital ("Hope said…", not "I hope…").
const COMMON_WORDS = new Set(
  [
    // English
    'hope', 'will', 'may', 'grace', 'faith', 'joy', 'mark', 'rose', 'bill', 'frank', 'grant', 'pat', 'art',
    'dawn', 'summer', 'april', 'june', 'august', 'sunny', 'patience', 'charity', 'justice', 'liberty',
    'victory', 'trinity', 'hunter', 'miles', 'rich', 'rob', 'sky', 'river', 'young', 'long', 'white', 'black',
    'brown', 'green', 'little', 'king', 'hill', 'wood', 'field', 'love', 'honor', 'honour', 'chance', 'ray',
    'guy', 'bob', 'jack', 'don', 'sue', 'ivy', 'holly', 'daisy', 'iris', 'ruby', 'amber', 'pearl', 'crystal',
    'page', 'well', 'said', 'can', 'the', 'and', 'for', 'you', 'all', 'new', 'one', 'two', 'see', 'just',
    'user', 'talk', 'admin', 'bot', 'team', 'group', 'wiki', 'wikimedia', 'wmf', 'chapter', 'staff',
    // French
    'pierre', 'claire', 'blanche', 'constant', 'aime', 'aimee', 'france', 'victoire', 'esperance',
    'prudence', 'clement', 'fidele', 'juste', 'modeste', 'parfait', 'olive', 'colombe', 'desire', 'marin',
    'utilisateur', 'discussion', 'les', 'des', 'une', 'est', 'pour', 'par', 'avec',
    // Spanish / Portuguese
    'luz', 'rosa', 'paz', 'pilar', 'consuelo', 'dolores', 'esperanza', 'amparo', 'sol', 'mar', 'cruz',
    'blanca', 'angel', 'jesus', 'socorro', 'rocio', 'salvador', 'leal', 'feliz', 'alegria', 'reyes',
    'santos', 'mercedes', 'victoria', 'soledad', 'cielo', 'nieves', 'graca', 'vitoria', 'usuario', 'los',
    'las', 'por', 'con', 'que',
    // particles and honorifics
    'mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'sir', 'madam', 'mme', 'mlle', 'sr', 'sra', 'srta', 'dona',
    'dom', 'herr', 'frau', 'de', 'del', 'della', 'der', 'den', 'di', 'da', 'das', 'dos', 'du', 'la', 'le',
    'van', 'von', 'bin', 'ibn', 'bint', 'abu', 'umm', 'al', 'el', 'ben', 'st', 'jr', 'junior', 'senior', 'mc',
    // Arabic (folded: no hamza, ى → ي, ة → ه)
    'امل', 'نور', 'سلام', 'جميل', 'كريم', 'سعيد', 'امين', 'صباح', 'هدي', 'حياه', 'فرح', 'نجاح', 'وفاء',
    'ربيع', 'حسن', 'مني', 'ايمان', 'رحمه', 'عادل', 'باسم', 'شريف', 'فاضل', 'لطيف', 'مجد', 'ورد', 'سعاده',
    'امير', 'ملك', 'عزيز', 'حبيب', 'صالح', 'خير', 'جمال', 'كمال', 'منير', 'رشيد', 'سالم', 'نبيل', 'عبد',
    'الله', 'الدين', 'الرحمن', 'ابو', 'ابن', 'بن', 'بنت', 'ام', 'ال', 'سيد', 'شيخ', 'استاذ', 'دكتور',
    // Ali: folds to the same letters as the preposition على ("on"), one of the commonest Arabic words.
    'علي',
    // Russian
    'вера', 'надежда', 'любовь', 'роза', 'лев', 'мир', 'слава',
    // Bengali / Hindi
    'আশা', 'আলো', 'আনন্দ', 'आशा', 'प्रेम', 'आनंद', 'श्री', 'जी',
  ].map(foldWord),
);

/**
 * Words of COMMON_WORDS never matched alone even with a capital: particles, honorifics and function words
 * ("De", "Van", "Dr", "The", "User"), which a capital at the start of a sentence or a title would match.
 * The other common words are given and family names too ("Grace", "Will", "Pierre"): in a cased script, a
 * part of a participant's name among them is matched alone when written with a capital.
 */
const NEVER_ALONE = new Set(
  [
    'mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'sir', 'madam', 'mme', 'mlle', 'sr', 'sra', 'srta', 'dona', 'dom',
    'herr', 'frau', 'de', 'del', 'della', 'der', 'den', 'di', 'da', 'das', 'dos', 'du', 'la', 'le', 'van', 'von',
    'bin', 'ibn', 'bint', 'abu', 'umm', 'al', 'el', 'st', 'jr', 'junior', 'senior', 'mc',
    'page', 'well', 'said', 'can', 'the', 'and', 'for', 'you', 'all', 'new', 'one', 'two', 'see', 'just',
    'user', 'talk', 'admin', 'bot', 'team', 'group', 'wiki', 'wikimedia', 'wmf', 'chapter', 'staff',
    'utilisateur', 'discussion', 'les', 'des', 'une', 'est', 'pour', 'par', 'avec', 'usuario', 'los', 'las',
    'por', 'con', 'que', 'young', 'long', 'little', 'rich',
  ].map(foldWord),
);

/** A word of a script with capitals (Latin, Greek, Cyrillic…): `isCased("Grace")` → true, `isCased("كريم")` → false. */
function isCased(word: string): boolean {
  const c = word.charAt(0);
  return c.toLowerCase() !== c.toUpperCase();
}

/** True for a word that is also a common word or particle, so never matched alone as a name part:
 *  `isCommonWord("Hope")` → true, `isCommonWord("Okafor")` → false. */
export function isCommonWord(word: string): boolean {
  return COMMON_WORDS.has(foldWord(word));
}

/** Shortest name part matched on its own (3 letters: "Ali", "Ann"; 2 in no-space scripts: "山田"). */
const MIN_PART = 3;
const MIN_CJK_PART = 2;

// ---------------------------------------------------------------------------------------------
// Names index.

interface NameEntry {
  /** Folded tokens of the name, in order. */
  tokens: string[];
  label: string;
  full: boolean;
  /** A full name that is also a common word: in cased scripts, only matched when capitalised. */
  capital: boolean;
}

interface NameIndex {
  /** Entries by each registered form of their first token, longest entries first. */
  byFirst: Map<string, NameEntry[]>;
  maxWordLength: number;
  /** No-space-script names, longest first, and the label of each (folded, gaps removed). */
  cjk: RegExp | null;
  cjkLabels: Map<string, string>;
  /** Participants whose name is a phone number: last 9 digits → label. */
  phones: Map<string, string>;
  /** Participants known by a network address (a wiki's unsigned IP editors): the address, lower case → label. */
  addresses: Map<string, string>;
  /** Bit per (first, second) ASCII character pair of every registered first token: a word starting
   *  with two ASCII characters whose pair is absent cannot begin a name, and is not even folded. */
  asciiPairs: Uint8Array;
  /** The same for any script, by the first two code units of each registered first token of two or
   *  more units, hashed into 2^16 flags (a collision only lets a word through to the full check). */
  foldedPairs: Uint8Array;
  /** The same by the first three code units of each registered first token of three or more. */
  foldedTriples: Uint8Array;
  /** Words already seen that start no name in any form: chat vocabulary repeats, so most words are
   *  answered here without folding. Cleared when it grows past MAX_MISSES. */
  misses: Misses;
}

const MAX_MISSES = 100_000;

function pairSlot(a: number, b: number): number {
  return ((a << 6) ^ b) & 0xffff;
}

function tripleSlot(a: number, b: number, c: number): number {
  return (Math.imul(a, 961) + Math.imul(b, 31) + c) & 0xffff;
}

/** In FOLD_LENGTH: not folded yet. */
const UNFOLDED = 255;
/** Length of the fold of each BMP code unit (2 meaning two or more), filled on first sight. */
const FOLD_LENGTH = new Uint8Array(0x10000).fill(UNFOLDED);
/** Its first two code units, low and high half. */
const FOLD_UNITS = new Uint32Array(0x10000);

function foldLength(c: number): number {
  const n = FOLD_LENGTH[c] ?? 0;
  if (n !== UNFOLDED) return n;
  const f = foldWord(String.fromCharCode(c));
  FOLD_UNITS[c] = ((f.charCodeAt(0) & 0xffff) | ((f.charCodeAt(1) & 0xffff) << 16)) >>> 0;
  FOLD_LENGTH[c] = Math.min(f.length, 2);
  return FOLD_LENGTH[c] ?? 0;
}

/**
 * False only for a word that cannot start a name in any form. `foldWord` folds code unit by code unit
 * (outside surrogates), so the first two units of its fold are known from the word's first one or two
 * units. Every form findNames tries is a prefix of the fold at least two units long, or, after an
 * Arabic proclitic letter, the fold without that letter: so when the fold does not start with such a
 * letter and its first two units are no registered first token's, no form is registered. Whatever
 * this cannot tell (surrogates, a unit that folds to nothing) goes on to the full check. On the
 * benchmark export the pairs answer six words in ten that the ASCII pairs leave, without a lookup, and
 * with the first three units (below) nearly nine in ten.
 */
function mayStartName(text: string, s: number, e: number, index: NameIndex): boolean {
  const a = text.charCodeAt(s);
  if (a >= 0xd800 && a <= 0xdfff) return true;
  const la = foldLength(a);
  if (la === 0) return true;
  const ua = FOLD_UNITS[a] ?? 0;
  const k0 = ua & 0xffff;
  // و ف (and) and ب ل ك: ARABIC_PROCLITIC.
  if (k0 === 0x648 || k0 === 0x641 || k0 === 0x628 || k0 === 0x644 || k0 === 0x643) return true;
  let k1 = ua >>> 16;
  if (la !== 1) return index.foldedPairs[pairSlot(k0, k1)] === 1;
  // The caller passes words of two units or more.
  const b = text.charCodeAt(s + 1);
  if ((b >= 0xd800 && b <= 0xdfff) || foldLength(b) === 0) return true;
  k1 = (FOLD_UNITS[b] ?? 0) & 0xffff;
  if (index.foldedPairs[pairSlot(k0, k1)] !== 1) return false;
  // A separate function, so that this one stays small enough to be inlined into findNames (measured:
  // out of line, the calls cost more than the lookups the third unit saves).
  return e - s < 3 || foldLength(b) !== 1 || mayStartByThree(text, s, k0, k1, index.foldedTriples);
}

/** The third unit, when it folds to one unit as the first two did: every form is then three units or
 *  more and starts with these three (a Bengali stem may be two, so not after a Bengali letter). The
 *  registered article (ال of الخطيب) let every Arabic word with the article through the pairs. */
function mayStartByThree(text: string, s: number, k0: number, k1: number, triples: Uint8Array): boolean {
  if (isBengali(k0)) return true;
  const c = text.charCodeAt(s + 2);
  if ((c >= 0xd800 && c <= 0xdfff) || foldLength(c) !== 1) return true;
  return triples[tripleSlot(k0, k1, (FOLD_UNITS[c] ?? 0) & 0xffff)] === 1;
}

/**
 * The set of missed words, looked up by the hash `scan` computed for each word and confirmed with
 * `startsWith` against the text: a word answered here is never sliced out of the text nor hashed again
 * (the `Set<string>` this replaces needed both, and left the slices as garbage). Open addressing;
 * `slots` holds an index into `words` plus one.
 */
interface Misses {
  slots: Int32Array;
  /** The scan hash of the word in each slot. */
  hashes: Int32Array;
  words: string[];
  /** log2 of the table size. */
  bits: number;
}

function newMisses(): Misses {
  return { slots: new Int32Array(1024), hashes: new Int32Array(1024), words: [], bits: 10 };
}

function missed(m: Misses, text: string, start: number, end: number, h: number): boolean {
  const mask = m.slots.length - 1;
  for (let i = Math.imul(h, 0x9e3779b1) >>> (32 - m.bits); ; i = (i + 1) & mask) {
    const x = m.slots[i] ?? 0;
    if (x === 0) return false;
    if (m.hashes[i] === h) {
      const word = m.words[x - 1] ?? '';
      if (word.length === end - start && text.startsWith(word, start)) return true;
    }
  }
}

function addMiss(m: Misses, word: string, h: number): void {
  if (m.words.length >= MAX_MISSES) {
    m.slots.fill(0);
    m.words.length = 0;
  }
  if (2 * (m.words.length + 1) > m.slots.length) {
    // Keep the table at most half full: rehash into one twice the size.
    const { slots, hashes } = m;
    m.bits++;
    m.slots = new Int32Array(1 << m.bits);
    m.hashes = new Int32Array(1 << m.bits);
    for (let i = 0; i < slots.length; i++) {
      const x = slots[i] ?? 0;
      if (x !== 0) place(m, x, hashes[i] ?? 0);
    }
  }
  m.words.push(word);
  place(m, m.words.length, h);
}

function place(m: Misses, x: number, h: number): void {
  const mask = m.slots.length - 1;
  let i = Math.imul(h, 0x9e3779b1) >>> (32 - m.bits);
  while (m.slots[i] !== 0) i = (i + 1) & mask;
  m.slots[i] = x;
  m.hashes[i] = h;
}

const WORD_RE = new RegExp(WORD_SRC, 'gv');

function tokensOf(name: string): { tokens: string[]; original: string[] } {
  const original: string[] = [];
  for (const m of name.matchAll(WORD_RE)) {
    if (!DIGITS_ONLY.test(m[0])) original.push(m[0]);
  }
  return { tokens: original.map(foldWord), original };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

const CJK_GAP_RUN = new RegExp(`${CJK_GAP.slice(0, -1)}+`, 'gu');

function cjkKey(s: string): string {
  return s.normalize('NFKC').replace(CJK_GAP_RUN, '');
}

/** A no-space run as a pattern that allows variation selectors after each character. The text is
 *  not normalised (spans index into it), so a character that decomposes may also come decomposed:
 *  Hangul from macOS (file names are NFD: "김" as three jamo), kana with a combining voicing mark. */
function cjkPattern(run: string): string {
  return [...run]
    .map((ch) => {
      const nfd = ch.normalize('NFD');
      return nfd === ch ? escapeRegex(ch) : `(?:${escapeRegex(ch)}|${escapeRegex(nfd)})`;
    })
    .join(CJK_VARIANT);
}

function asciiDigitsOf(s: string): string {
  let out = '';
  for (const ch of s) {
    const v = digitValue(ch.codePointAt(0) ?? 0);
    if (v >= 0) out += String(v);
  }
  return out;
}

function buildIndex(people: PersonNames[]): NameIndex {
  // Key: tokens joined by a space. Value: label, or NAME_MARKER when two participants share it.
  const full = new Map<string, string>();
  const parts = new Map<string, string>();
  const capitalOnly = new Set<string>();
  const cjkFull = new Map<string, string>();
  const cjkParts = new Map<string, string>();
  const cjkPatterns = new Map<string, string>();
  const phones = new Map<string, string | null>();
  const addresses = new Map<string, string>();

  const put = (m: Map<string, string>, k: string, label: string) => {
    const had = m.get(k);
    // People only mentioned (label NAME_MARKER) come last and never take a name from a participant.
    if (had !== undefined && label === NAME_MARKER) return;
    m.set(k, had === undefined || had === label ? label : NAME_MARKER);
  };

  const ordered = [...people.filter((p) => p.label !== NAME_MARKER), ...people.filter((p) => p.label === NAME_MARKER)];
  for (const person of ordered) {
    for (const raw of person.names) {
      const name = cleanText(raw)
        .normalize('NFKC')
        .replace(/^\s*~\s*/, '')
        .replace(VARIATION_SELECTOR_RE, '')
        .trim();
      if (name === '') continue;
      // An IP address is matched whole (see findAddresses): as a name, its groups were matched one by one
      // ("2001:P-…::P-…:42"), and as a phone, an IPv4 address often not at all.
      if (IP_ADDRESS.test(name)) {
        put(addresses, name.toLowerCase(), person.label);
        continue;
      }
      if (looksLikePhone(name)) {
        // A mentioned number is left to the phone rule, which marks it [phone].
        if (person.label === NAME_MARKER) continue;
        const digits = asciiDigitsOf(name);
        const k = digits.slice(-9);
        if (k.length >= 7) phones.set(k, phones.has(k) && phones.get(k) !== person.label ? null : person.label);
        continue;
      }
      // An address is caught by the e-mail rule, and its domain words are not the person's name:
      // "Jane Doe <jane@example.org>" registers "Jane Doe" only.
      const { tokens, original } = tokensOf(name.replace(/\S*[@＠]\S*/g, ' '));
      if (tokens.length > 0) {
        const key = tokens.join(' ');
        put(full, key, person.label);
        const first = original[0] ?? '';
        if (tokens.length === 1 && COMMON_WORDS.has(key) && first.toLowerCase() !== first.toUpperCase()) {
          capitalOnly.add(key);
        }
        if (tokens.length > 1) {
          // "JaneDoe" as a handle or hashtag; "عبدالله" for "عبد الله".
          put(full, tokens.join(''), person.label);
          const noInitials = tokens.filter((t) => [...t].length > 1);
          if (noInitials.length > 1 && noInitials.length < tokens.length) put(full, noInitials.join(' '), person.label);
          tokens.forEach((t, i) => {
            if ([...t].length < MIN_PART || NEVER_ALONE.has(t)) return;
            if (!COMMON_WORDS.has(t)) put(parts, t, person.label);
            else if (isCased(original[i] ?? '')) {
              // "Grace" of Grace Hopper, alone: only as a name, with its capital ("sorry Grace", not "by grace").
              put(parts, t, person.label);
              capitalOnly.add(t);
            }
          });
        }
      }

      const runs = [...name.matchAll(NOSPACE_RUN)].map((m) => m[0].normalize('NFKC'));
      if (runs.length > 0) {
        const fullKey = runs.join('');
        put(cjkFull, fullKey, person.label);
        cjkPatterns.set(fullKey, runs.map(cjkPattern).join(CJK_GAP));
        for (const r of runs) {
          if (runs.length > 1 && [...r].length >= MIN_CJK_PART) {
            put(cjkParts, r, person.label);
            if (!cjkPatterns.has(r)) cjkPatterns.set(r, cjkPattern(r));
          }
        }
      }
    }
  }

  const byFirst = new Map<string, NameEntry[]>();
  let maxWordLength = 0;
  const add = (key: string, label: string, isFull: boolean) => {
    const tokens = key.split(' ');
    const entry: NameEntry = { tokens, label, full: isFull, capital: capitalOnly.has(key) };
    const first = tokens[0] ?? '';
    for (const form of new Set([first, tokenStem(first)])) {
      const list = byFirst.get(form) ?? [];
      list.push(entry);
      byFirst.set(form, list);
    }
    for (const t of tokens) maxWordLength = Math.max(maxWordLength, t.length);
  };
  for (const [k, label] of full) add(k, label, true);
  // A part that is someone's full name belongs to that someone ("Jane" the participant, not "Jane Doe").
  for (const [k, label] of parts) if (!full.has(k)) add(k, label, false);
  for (const list of byFirst.values()) {
    list.sort((a, b) => b.tokens.length - a.tokens.length || Number(b.full) - Number(a.full));
  }

  const cjkLabels = new Map<string, string>();
  for (const [k, label] of cjkFull) cjkLabels.set(k, label);
  for (const [k, label] of cjkParts) if (!cjkLabels.has(k)) cjkLabels.set(k, label);
  const alternatives = [...cjkLabels.keys()]
    .sort((a, b) => b.length - a.length)
    .map((k) => cjkPatterns.get(k) ?? escapeRegex(k));
  const cjk = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'gu') : null;

  const phoneLabels = new Map<string, string>();
  for (const [k, label] of phones) if (label !== null) phoneLabels.set(k, label);

  const asciiPairs = new Uint8Array(0x4000);
  for (const k of byFirst.keys()) {
    const a = k.charCodeAt(0);
    const b = k.charCodeAt(1);
    if (a < 0x80 && b < 0x80) asciiPairs[(a << 7) | b] = 1;
  }
  const foldedPairs = new Uint8Array(0x10000);
  for (const k of byFirst.keys()) if (k.length >= 2) foldedPairs[pairSlot(k.charCodeAt(0), k.charCodeAt(1))] = 1;
  const foldedTriples = new Uint8Array(0x10000);
  for (const k of byFirst.keys()) {
    if (k.length >= 3) foldedTriples[tripleSlot(k.charCodeAt(0), k.charCodeAt(1), k.charCodeAt(2))] = 1;
  }

  return {
    byFirst,
    maxWordLength,
    cjk,
    cjkLabels,
    phones: phoneLabels,
    addresses,
    asciiPairs,
    foldedPairs,
    foldedTriples,
    misses: newMisses(),
  };
}

// ---------------------------------------------------------------------------------------------
// Spans.

const EMAIL = 0;
const PHONE = 1;
const NAME = 2;
/** A participant's network address: counted as a name, and kept over any other kind it overlaps. */
const ADDRESS = 3;
type Kind = typeof EMAIL | typeof PHONE | typeof NAME | typeof ADDRESS;

/** An IPv4 or IPv6 address, whole: `IP_ADDRESS.test("192.0.2.44")`, `IP_ADDRESS.test("2001:db8::ff00:42:8329")`. */
const IP_ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|(?=[0-9a-f:]*:[0-9a-f:]*:)[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})$/i;
/** Candidates in a text: IPv4, and runs of hex groups and colons (times too, which match no address). */
const ADDRESS_IN_TEXT = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?!\d|\.\d)|(?<![0-9a-f:])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?![0-9a-f:])/gi;

/** The known addresses in `text`, each as its participant's label. */
function findAddresses(text: string, addresses: Map<string, string>, out: Span[]): void {
  ADDRESS_IN_TEXT.lastIndex = 0;
  for (let m = ADDRESS_IN_TEXT.exec(text); m !== null; m = ADDRESS_IN_TEXT.exec(text)) {
    const label = addresses.get(m[0].toLowerCase());
    if (label !== undefined) out.push({ start: m.index, end: m.index + m[0].length, rep: label, kind: ADDRESS });
  }
}

interface Span {
  start: number;
  end: number;
  rep: string;
  kind: Kind;
}

// ---------------------------------------------------------------------------------------------
// E-mail addresses.

const W = '\\p{L}\\p{M}\\p{N}';
const LOCAL_CHAR = `[${W}!#$%&'*+/=?^_\`{|}~\\-]`;
/** Dots as typed: ASCII, and the full-width and ideographic-width forms of CJK keyboards. */
const DOT = '[.．｡]';
const LOCAL = `${LOCAL_CHAR}+(?:${DOT}${LOCAL_CHAR}+)*`;
const OPEN = '[\\[(（{<]';
const CLOSE = '[\\])）}>]';
const AT_WORDS = '(?:at|@|＠|arobase|arroba|chez|bei)';
const DOT_WORDS = `(?:dot|point|punto|ponto|punkt|${DOT})`;
const BRACKET_AT = `\\s*${OPEN}\\s*${AT_WORDS}\\s*${CLOSE}\\s*`;
const BRACKET_DOT = `\\s*${OPEN}\\s*${DOT_WORDS}\\s*${CLOSE}\\s*`;
const LABEL = `[${W}](?:[${W}\\-]*[${W}])?`;
const TLD = `\\p{L}{2,24}(?![${W}])`;
const ANY_DOT = `(?:${DOT}|${BRACKET_DOT}|\\s+dot\\s+)`;
/** `a@b.org`, `a [at] b [dot] org`, `a(at)b.org`; bare `a at b dot org` only with a spelled-out dot, so
 *  "look at example.org" stays text. */
const EMAIL_RE = new RegExp(
  `(?<![${W}.!#$%&'*+/=?^_\`{|}~\\-])${LOCAL}` +
    `(?:(?:[@＠]|${BRACKET_AT})${LABEL}(?:${ANY_DOT}${LABEL})*${ANY_DOT}${TLD}` +
    // Spelled out all the way: "amina dot yusuf at gmail dot com".
    `|(?:\\s+dot\\s+${LOCAL})*\\s+at\\s+${LABEL}(?:(?:${BRACKET_DOT}|\\s+dot\\s+)${LABEL})*(?:${BRACKET_DOT}|\\s+dot\\s+)${TLD})`,
  'giu',
);
/** The same for a plain `local@domain`, tried only where an '@' is (no scan of every position). */
const EMAIL_AT_Y = new RegExp(`${LOCAL}[@＠]${LABEL}(?:${ANY_DOT}${LABEL})*${ANY_DOT}${TLD}`, 'iuy');
const BRACKET_AT_HINT = /[[(（{<]\s*(?:at|arobase|arroba|chez|bei)\s*[\])）}>]/i;
const BARE_AT_HINT = /\sat\s[\s\S]*\sdot\s/i;

/** Index of the next '@' or '＠' (the characters of CLS_AT) from `i` on, or -1: two native searches
 *  instead of a class lookup for every character of the message. */
function nextAt(text: string, i: number): number {
  const a = text.indexOf('@', i);
  const b = text.indexOf('＠', i);
  return a < 0 ? b : b < 0 || a < b ? a : b;
}

function findEmails(text: string, sc: Scan, out: Span[]): void {
  // The scan noted " dot ": searching the text for it cost about as much as the rest of this function
  // on text without addresses.
  const obfuscated = (sc.seen & CLS_OPEN && BRACKET_AT_HINT.test(text)) || (sc.dot && BARE_AT_HINT.test(text));
  if (obfuscated) {
    EMAIL_RE.lastIndex = 0;
    for (let m = EMAIL_RE.exec(text); m !== null; m = EMAIL_RE.exec(text)) {
      out.push({ start: m.index, end: m.index + m[0].length, rep: EMAIL_MARKER, kind: EMAIL });
    }
    return;
  }
  if (!(sc.seen & CLS_AT)) return;
  let from = 0;
  for (let i = nextAt(text, 0); i >= 0; i = nextAt(text, i + 1)) {
    if (i < from) continue;
    // Back from the '@' over what a local part may hold, then match forwards from there.
    let s = i;
    while (s > from && classOf(text.charCodeAt(s - 1)) & (CLS_WORD | CLS_LOCAL)) s--;
    while (s < i && text.charCodeAt(s) === 46) s++;
    if (s === i) continue;
    EMAIL_AT_Y.lastIndex = s;
    const m = EMAIL_AT_Y.exec(text);
    if (m) {
      out.push({ start: s, end: s + m[0].length, rep: EMAIL_MARKER, kind: EMAIL });
      from = s + m[0].length;
      i = from - 1;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Phone numbers.

/** Zero of each decimal digit block that exports use (ASCII, Arabic-Indic, Persian, Devanagari,
 *  Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Thai, Lao, Tibetan, Myanmar,
 *  Khmer, full-width). Other Nd digits still count as digits; only their value is unknown. */
const DIGIT_ZEROS = [
  0x30, 0x660, 0x6f0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xe50, 0xed0, 0xf20, 0x1040,
  0x17e0, 0xff10,
];

function digitValue(cp: number): number {
  for (let i = DIGIT_ZEROS.length - 1; i >= 0; i--) {
    const z = DIGIT_ZEROS[i] ?? 0;
    if (cp >= z) return cp - z <= 9 ? cp - z : -1;
  }
  return -1;
}

/** What may sit between digit groups of one number: horizontal spaces (NBSP, narrow NBSP, figure and
 *  thin spaces), bidi wrappers, dots, dashes, parentheses and slashes. Not newlines, not commas: a
 *  comma separates numbers and thousands ("2,000,000"). */
const PHONE_GAP = '[\\t \\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069\\u061C.\\-\\u2010-\\u2015\\u2212()/\\uFF08\\uFF09\\uFF0D]';
/** A run of digits and gaps, with an optional leading "+" or "(". No lookbehind for "not after a
 *  digit" is needed: the greedy tail eats every digit that follows, so a match never starts mid-run.
 *  Whether the run is a phone is decided in code (digit count, dates, amounts), not in the regex.
 *  Sticky: tried only where `phoneStart` finds a character a match can begin with. */
const PHONE_AT_Y = new RegExp(
  `(?:\\+${PHONE_GAP}{0,3})?\\(?\\p{Nd}(?:${PHONE_GAP}{0,4}\\p{Nd})*`,
  'uy',
);
const DIGIT_RUN = /\p{Nd}+/gu;
const CURRENCY_NEAR =
  /^[\s\u00A0\u202F]?(?:[,.]\p{Nd}{1,2})?[\s\u00A0\u202F]?(?:[€$£¥₹₦₵₽₺৳﷼%円元]|(?:eur|usd|gbp|inr|kes|ngn|xof|xaf|f?cfa|bdt|egp|mad|dzd|tnd|sar|aed|jpy|rub|brl|mxn|cop|ars|zar|ugx|tzs|ghs|etb|euros?|dollars?|francs?|dinars?|dirhams?|riyals?|rupees?|roupies?|shillings?|naira|cedis?|taka|reais|pesos?|yen|rubles?|roubles?|livres?|pounds?|دولار|جنيه|ريال|درهم|دينار|یورو|টাকা|रुपये|рубл\p{L}*|евро|долл\p{L}*)(?![\p{L}]))/iu;
const CURRENCY_BEFORE = /(?:[€$£¥₹₦₵₽₺৳﷼]|\b(?:eur|usd|gbp|inr|kes|ngn|cfa|rs\.?|us\$))[\s\u00A0\u202F]?$/iu;

interface Group {
  start: number;
  end: number;
  digits: string;
}

/** Value of a digit group; unknown digit scripts read as 1, so their shapes still count. */
function groupValue(g: Group): number {
  const ascii = asciiDigitsOf(g.digits);
  return ascii.length === [...g.digits].length ? Number(ascii) : 1;
}

function isYear(g: Group): boolean {
  if (g.digits.length !== 4) return false;
  const y = Number(asciiDigitsOf(g.digits));
  return y >= 1900 && y <= 2099;
}

/** Digits that form a date, a year range, or not a phone for another reason, starting at group i:
 *  how many groups to skip (0 when none). */
function notPhoneAt(groups: Group[], gaps: string[], i: number): number {
  const a = groups[i];
  const b = groups[i + 1];
  const c = groups[i + 2];
  const g1 = gaps[i + 1];
  const g2 = gaps[i + 2];
  if (a && b && c && g1 !== undefined && g1.length === 1 && g1 === g2 && '/.-'.includes(g1)) {
    const la = a.digits.length;
    const lb = b.digits.length;
    const lc = c.digits.length;
    // Day and month in either order, so a part over 31, or two over 12, is no date: 12-34-5678.
    const va = groupValue(a);
    const vb = groupValue(b);
    const dayMonth = (d: number, m: number) => d >= 1 && d <= 31 && m >= 1 && m <= 31 && Math.min(d, m) <= 12;
    if (la <= 2 && lb <= 2 && (lc === 2 || lc === 4) && dayMonth(va, vb)) return 3; // 18/03/2022, 18.03.22
    if (la === 4 && lb <= 2 && lc <= 2 && dayMonth(groupValue(c), vb) && vb <= 12) return 3; // 2022-03-18
  }
  if (a && b && isYear(a) && isYear(b)) {
    let n = 1;
    while (groups[i + n] && isYear(groups[i + n] as Group) && /^[\s\-\u2010-\u2015/,]{1,3}$/.test(gaps[i + n] ?? '')) n++;
    if (n >= 2) return n; // 2018-2030, 2019 / 2020
  }
  return 0;
}

/** 1.500.000 or 15 000 000 € : thousands groups, one separator throughout. */
function isAmount(text: string, groups: Group[], gaps: string[], start: number, end: number): boolean {
  const first = groups[0];
  if (!first || groups.length < 3 || first.digits.length > 3) return false;
  const sep = gaps[1] ?? '';
  if (sep.length !== 1) return false;
  for (let i = 1; i < groups.length; i++) {
    if ((groups[i]?.digits.length ?? 0) !== 3 || gaps[i] !== sep) return false;
  }
  if (sep === '.' || sep === "'") return true;
  return CURRENCY_NEAR.test(text.slice(end, end + 12)) || CURRENCY_BEFORE.test(text.slice(Math.max(0, start - 5), start));
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      if (astralClassOf(s.codePointAt(i) ?? c) & CLS_DIGIT) n++;
      i++;
    } else if (classOf(c) & CLS_DIGIT) n++;
  }
  return n;
}

/** Web links. Their long numbers are page, revision or article ids (talk pages cite diffs by
 *  `oldid=675697229`), not phones, so they are kept: unless the link is one that carries a phone
 *  number or a place (below), where every digit run is treated as in plain text. */
const URL_RE = /\b(?:https?:\/\/|www\.)\S+/gi;
const REVEALING_URL =
  /^(?:https?:\/\/)?(?:www\.)?(?:wa\.me|(?:api|chat)\.whatsapp\.com|t\.me|telegram\.me|viber|signal\.me|maps\.google\.|google\.[a-z.]+\/maps|maps\.app\.goo\.gl|goo\.gl\/maps|(?:www\.)?openstreetmap\.org|waze\.com|maps\.apple\.com)|[?&#](?:phone|tel|mobile|whatsapp|q|ll|mlat|mlon|lat|lon|center)=|@-?\d+\.\d+,/i;

/** Spans of links whose digits are ids, not personal data. */
function plainLinks(text: string): [number, number][] {
  if (!text.includes('://') && !text.includes('www.')) return [];
  const spans: [number, number][] = [];
  URL_RE.lastIndex = 0;
  for (let m = URL_RE.exec(text); m !== null; m = URL_RE.exec(text)) {
    if (!REVEALING_URL.test(m[0])) spans.push([m.index, m.index + m[0].length]);
  }
  return spans;
}

/**
 * The first index from `i` on where a phone match may start: a "+", a "(" or a digit (a high
 * surrogate too, for the astral digits). A global search for the pattern tested its Unicode classes at
 * every position of the text: findPhones took 8-18 µs on a benchmark message holding a phone number,
 * 2-4 µs with this loop. Every match starts at one of these characters, so the matches are the same.
 */
function phoneStart(text: string, i: number): number {
  for (const n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 43 || c === 40 || (c >= 0xd800 && c <= 0xdbff) || classOf(c) & CLS_DIGIT) return i;
  }
  return -1;
}

function findPhones(text: string, phoneLabels: Map<string, string>, out: Span[]): void {
  const links = plainLinks(text);
  let li = 0;
  for (let i = phoneStart(text, 0); i >= 0; ) {
    PHONE_AT_Y.lastIndex = i;
    const m = PHONE_AT_Y.exec(text);
    if (m === null) {
      i = phoneStart(text, i + 1);
      continue;
    }
    const start = i;
    const cand = m[0];
    i = phoneStart(text, start + cand.length);
    if (cand.length < 7 || countDigits(cand) < 7) continue;
    while (li < links.length && (links[li]?.[1] ?? 0) <= start) li++;
    const link = links[li];
    if (link && start >= link[0] && start + cand.length <= link[1]) continue;
    const plus = cand.charCodeAt(0) === 43;
    const groups: Group[] = [];
    const gaps: string[] = [];
    let prevEnd = start;
    DIGIT_RUN.lastIndex = 0;
    for (let d = DIGIT_RUN.exec(cand); d !== null; d = DIGIT_RUN.exec(cand)) {
      const s = start + d.index;
      gaps.push(text.slice(prevEnd, s));
      groups.push({ start: s, end: s + d[0].length, digits: d[0] });
      prevEnd = s + d[0].length;
    }
    const total = groups.reduce((n, g) => n + g.digits.length, 0);
    if (total < 7) continue;
    if (!plus && isAmount(text, groups, gaps, start, prevEnd)) continue;

    // Walk the groups; dates and year ranges split the candidate; over 15 digits splits it too.
    let chunkStart = -1;
    let chunkDigits = 0;
    let chunkText = '';
    let chunkEnd = 0;
    let firstChunk = true;
    let lastPhone: Span | null = null;
    const flush = () => {
      if (chunkStart < 0) return;
      const leading00 = !plus && chunkText.startsWith('00') ? 2 : 0;
      const n = chunkDigits - leading00;
      // The first chunk keeps what led into it: "+", "00", "(".
      const s = firstChunk ? start : chunkStart;
      // Eight digits are redacted whatever leads them (n, without a leading "00", is never more): "00" plus
      // six is too short for a number abroad, but a run of eight digits left in the clear is what the
      // redactor promises never to leave.
      if (chunkDigits >= 8 || (firstChunk && plus && n >= 7)) {
        const known = phoneLabels.get(asciiDigitsOf(chunkText).slice(-9));
        lastPhone = { start: s, end: chunkEnd, rep: known ?? PHONE_MARKER, kind: PHONE };
        out.push(lastPhone);
      } else if (lastPhone && chunkDigits > 0) {
        // The tail of an over-long run: leave no digits of it behind.
        lastPhone.end = chunkEnd;
      }
      firstChunk = false;
      chunkStart = -1;
      chunkDigits = 0;
      chunkText = '';
    };
    for (let i = 0; i < groups.length; ) {
      const skip = notPhoneAt(groups, gaps, i);
      if (skip > 0) {
        flush();
        lastPhone = null;
        firstChunk = false;
        i += skip;
        continue;
      }
      const g = groups[i] as Group;
      if (chunkStart >= 0 && chunkDigits + g.digits.length > 15) flush();
      if (chunkStart < 0) chunkStart = g.start;
      chunkDigits += g.digits.length;
      chunkText += g.digits;
      chunkEnd = g.end;
      i++;
    }
    flush();
  }
}

// ---------------------------------------------------------------------------------------------
// Names.

function isCapitalised(word: string): boolean {
  const c = word.charAt(0);
  return c === c.toLowerCase() ? c === c.toUpperCase() : true;
}

/** What may follow a proclitic letter before the name: its harakat, tatweel, joiners, invisibles. */
const PROCLITIC_TAIL = new RegExp(`[\\u064B-\\u065F\\u0670\\u0640\\u200C\\u200D${INVISIBLE}]+`, 'uy');

/** Start of the name inside a word that carries Arabic proclitics, skipping what follows each one, so
 *  that the replaced span starts with the name's first letter. */
function afterProclitic(word: string, letters: number): number {
  let i = 0;
  let seen = 0;
  while (i < word.length && seen < letters) {
    i++;
    seen++;
    PROCLITIC_TAIL.lastIndex = i;
    if (PROCLITIC_TAIL.test(word)) i = PROCLITIC_TAIL.lastIndex;
  }
  return i;
}

// One pass over the text classifies every character with a lazily built table (a regex with
// Unicode property classes costs ~3 µs per message just to list the words; the table, ~0.3 µs),
// collects the words, counts digits and notices what the other rules need.
const CLS_WORD = 1;
const CLS_NOSPACE = 2;
const CLS_DIGIT = 4;
/** '@' or '＠'. */
const CLS_AT = 8;
/** An opening bracket, which may start an obfuscated "[at]". */
const CLS_OPEN = 16;
/** Allowed in the local part of an address besides letters and digits. */
const CLS_LOCAL = 32;
/** INVISIBLE: part of a word when it stands between two word characters. */
const CLS_INVISIBLE = 64;
const WORD_CHAR = new RegExp(`[[\\p{L}\\p{M}\\p{N}\\u200C\\u200D]--[${EMOJI_MARKS}]]`, 'v');
const INVISIBLE_CHAR = new RegExp(`[${INVISIBLE}]`, 'u');
const DIGIT_CHAR = /\p{Nd}/u;
/** In CLASS: not classified yet. */
const UNSEEN = 128;
/** Class of every BMP code unit, filled one 256-unit page at a time on first sight (UNSEEN until then:
 *  one load per character instead of a page flag and a class). */
const CLASS = new Uint8Array(0x10000).fill(UNSEEN);
const astralClasses = new Map<number, number>();

function classify(ch: string): number {
  let k = 0;
  if (WORD_CHAR.test(ch)) k = NOSPACE_CHAR.test(ch) ? CLS_NOSPACE : CLS_WORD;
  if (DIGIT_CHAR.test(ch)) k |= CLS_DIGIT;
  if (ch === '@' || ch === '＠') k |= CLS_AT;
  if ('[({<（'.includes(ch)) k |= CLS_OPEN;
  if ("!#$%&'*+/=?^_`{|}~-.．｡".includes(ch)) k |= CLS_LOCAL;
  if (INVISIBLE_CHAR.test(ch)) k |= CLS_INVISIBLE;
  return k;
}

function classOf(c: number): number {
  const k = CLASS[c] ?? 0;
  return k & UNSEEN ? classifyPage(c) : k;
}

function classifyPage(c: number): number {
  const p = c >> 8;
  for (let i = 0; i < 256; i++) {
    const u = (p << 8) | i;
    // Surrogate halves are classified as whole code points by the scanner.
    CLASS[u] = u >= 0xd800 && u <= 0xdfff ? 0 : classify(String.fromCharCode(u));
  }
  return CLASS[c] ?? 0;
}

function astralClassOf(cp: number): number {
  let k = astralClasses.get(cp);
  if (k === undefined) {
    k = classify(String.fromCodePoint(cp));
    astralClasses.set(cp, k);
  }
  return k;
}

interface Scan {
  /** Start, end and hash of each spaced-script word, in triples, up to `end`. Reused from message to
   *  message instead of a new array each time (less garbage): what lies past `end` is stale. */
  words: Int32Array;
  end: number;
  /** Bitwise OR of the classes seen; reliable for every class but WORD and DIGIT. */
  seen: number;
  digits: number;
  /** How many runs of invisibles the words hold: when none, findNames need not look for them. */
  invisibles: number;
  /** The text holds " dot " (the word "dot" between two spaces): a bare "a at b dot org" may be in it. */
  dot: boolean;
}

function newScan(): Scan {
  return { words: new Int32Array(3 * 64), end: 0, seen: 0, digits: 0, invisibles: 0, dot: false };
}

/** The scan hash of a three-unit word: `wordHash("dot")`, as the scan computes it. */
function wordHash(word: string): number {
  let h = 0;
  for (let i = 0; i < word.length; i++) h = (Math.imul(h, 31) + word.charCodeAt(i)) | 0;
  return h;
}
/** The scan hashes of "dot" as it is typed: "dot", "Dot", "DOT". */
const DOT_HASH = wordHash('dot');
const DOT_HASH_TITLE = wordHash('Dot');
const DOT_HASH_UPPER = wordHash('DOT');

/** The three-unit word at `start` is "dot" with a space on either side: `text.includes(" dot ")`,
 *  answered where the scan finds the word instead of by a search of the whole text. */
function isSpacedDot(text: string, start: number): boolean {
  return (
    // Any case: "DOT", "Dot".
    (text.charCodeAt(start) | 32) === 100 &&
    (text.charCodeAt(start + 1) | 32) === 111 &&
    (text.charCodeAt(start + 2) | 32) === 116 &&
    text.charCodeAt(start - 1) === 32 &&
    text.charCodeAt(start + 3) === 32
  );
}

/** Index of the word character after the invisibles from `j` on, or -1 if another character (or the
 *  end of the text) comes first: only then do the invisibles join two words into one. */
function wordAfterInvisibles(text: string, j: number): number {
  const n = text.length;
  while (j < n) {
    const c = text.charCodeAt(j);
    let k = classOf(c);
    let u = 1;
    if (c >= 0xd800 && c <= 0xdbff && j + 1 < n) {
      const cp = text.codePointAt(j) ?? c;
      k = astralClassOf(cp);
      u = cp > 0xffff ? 2 : 1;
    }
    if (k & CLS_WORD) return j;
    if (!(k & CLS_INVISIBLE)) return -1;
    j += u;
  }
  return -1;
}

function moreWords(sc: Scan): Int32Array {
  const words = new Int32Array(2 * sc.words.length);
  words.set(sc.words);
  sc.words = words;
  return words;
}

/**
 * Fills `sc` for `text`. Two loops, one over the gaps between words and one along a word, with one
 * table load per character, take ~35 % less time on the benchmark export's messages than the single
 * loop that tracked whether it was inside a word and checked a page flag before each class.
 * The hash of a word's code points lets findNames answer most words without slicing them out.
 * A word ends where a non-word character starts, an astral one (an emoji) included: "Jane😀" is Jane;
 * but invisibles between two word characters are inside the word: "Ja\u00ADne" is one word.
 */
function scan(text: string, sc: Scan): void {
  let words = sc.words;
  let used = 0;
  // Four per digit (CLS_DIGIT is 4): added without a branch, divided at the end.
  let digits = 0;
  let seen = 0;
  let invisibles = 0;
  let dot = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    let k = CLASS[c] ?? 0;
    if (k & UNSEEN) k = classifyPage(c);
    const start = i;
    let h = c;
    if (k & CLS_WORD) i++;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      h = text.codePointAt(i) ?? c;
      k = astralClassOf(h);
      // A high surrogate without its low half (a cut emoji in a JSON export) is one unit: stepping two
      // skipped the letter after it, and "\uD83DJane" was the word "ane".
      i += h > 0xffff ? 2 : 1;
    } else i++;
    seen |= k;
    digits += k & CLS_DIGIT;
    if (!(k & CLS_WORD)) continue;
    let end = n;
    while (i < n) {
      c = text.charCodeAt(i);
      k = CLASS[c] ?? 0;
      // A letter takes one test: an unclassified unit (UNSEEN, never with CLS_WORD) goes the slow way
      // round. Nor do letters add to `seen`: a word character has no class but WORD and DIGIT, and
      // nothing asks `seen` about those.
      if (!(k & CLS_WORD)) {
        if (k & UNSEEN) k = classifyPage(c);
        if (!(k & CLS_WORD)) {
          if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
            const cp = text.codePointAt(i) ?? c;
            k = astralClassOf(cp);
            seen |= k;
            digits += k & CLS_DIGIT;
            if (k & CLS_WORD) {
              h = (Math.imul(h, 31) + cp) | 0;
              i += 2;
              continue;
            }
            if (k & CLS_INVISIBLE) {
              const j = wordAfterInvisibles(text, i + 2);
              if (j >= 0) {
                invisibles++;
                i = j;
                continue;
              }
            }
            end = i;
            i += cp > 0xffff ? 2 : 1;
            break;
          }
          seen |= k;
          digits += k & CLS_DIGIT;
          // Only here, where a word ends anyway, so words without invisibles cost nothing more. They
          // are left out of the hash: a word that holds them is never looked up among the misses.
          if (k & CLS_INVISIBLE) {
            const j = wordAfterInvisibles(text, i + 1);
            if (j >= 0) {
              invisibles++;
              i = j;
              continue;
            }
          }
          end = i;
          i++;
          break;
        }
      }
      digits += k & CLS_DIGIT;
      h = (Math.imul(h, 31) + c) | 0;
      i++;
    }
    if (end - start === 3 && (h === DOT_HASH || h === DOT_HASH_TITLE || h === DOT_HASH_UPPER)) dot ||= isSpacedDot(text, start);
    if (used + 3 > words.length) words = moreWords(sc);
    words[used] = start;
    words[used + 1] = end;
    words[used + 2] = h;
    used += 3;
  }
  sc.end = used;
  sc.seen = seen;
  sc.digits = digits >>> 2;
  sc.invisibles = invisibles;
  sc.dot = dot;
}

/** Tries the entries registered under `form` for the text from `at` to `to`, word `w` of the scan or a
 *  piece of it, the following words being the scan's; pushes a span and returns the index of the next
 *  unused word, or -1. */
function matchAt(
  text: string,
  sc: Scan,
  w: number,
  at: number,
  to: number,
  form: string,
  cut: number,
  index: NameIndex,
  out: Span[],
): number {
  const entries = index.byFirst.get(form);
  if (!entries) return -1;
  const words = sc.words;
  const word = text.slice(at, to);
  for (const e of entries) {
    const first = e.tokens[0] ?? '';
    if (!tokenMatches(form, first)) continue;
    if (e.capital && !isCapitalised(word)) continue;
    if (cut > 0 && first.length < 3) continue;
    let end = at + word.length;
    let ok = true;
    for (let t = 1; t < e.tokens.length; t++) {
      if (3 * (w + t) >= sc.end) {
        ok = false;
        break;
      }
      const s = words[3 * (w + t)] ?? 0;
      const x = words[3 * (w + t) + 1] ?? 0;
      if (!NAME_GAP.test(text.slice(end, s)) || !tokenMatches(foldWord(text.slice(s, x)), e.tokens[t] ?? '')) {
        ok = false;
        break;
      }
      end = x;
    }
    if (!ok) continue;
    out.push({ start: cut > 0 ? at + afterProclitic(word, cut) : at, end, rep: e.label, kind: NAME });
    return w + e.tokens.length;
  }
  return -1;
}

function isDigitCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c > 0x7f && (classOf(c) & CLS_DIGIT) !== 0);
}

function hasTatweel(text: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (text.charCodeAt(i) === 0x640) return true;
  return false;
}

const TRAILING_DIGITS = new RegExp(`[\\p{N}${INVISIBLE}]+$`, 'u');

/** Length of a word without its trailing digits, nor the invisibles among them ("Jane\u00AD92"). */
function countUnitsOfLetters(word: string): number {
  return word.replace(TRAILING_DIGITS, '').length;
}

/** No form of the word is registered: findNames remembers it as a miss. */
const UNKNOWN = -2;

/**
 * Looks up the text from `s` to `e` (`raw`), word `w` of the scan or a piece of it, in every form: as
 * written, inflected, without the digits glued on, without Arabic proclitics. Pushes a span and
 * returns the index of the next unused word, or -1 when some form is registered but none matched
 * here, or UNKNOWN.
 */
function matchWord(text: string, sc: Scan, w: number, s: number, e: number, raw: string, index: NameIndex, out: Span[]): number {
  const key = foldWord(raw);
  const c = key.charCodeAt(0);
  let known = index.byFirst.has(key);
  let next = known ? matchAt(text, sc, w, s, e, key, 0, index, out) : -1;
  // Inflected forms (Russian, Bengali), then the word minus joined Arabic proclitics.
  if (next < 0 && (isCyrillic(c) || isBengali(c))) {
    const forms = wordForms(key);
    for (let f = 1; f < forms.length && next < 0; f++) {
      const form = forms[f] ?? '';
      if (!index.byFirst.has(form)) continue;
      known = true;
      next = matchAt(text, sc, w, s, e, form, 0, index, out);
    }
  }
  // Handles with a number glued on: "jane92", "@Jane2024".
  if (next < 0 && isDigitCode(key.charCodeAt(key.length - 1))) {
    const letters = key.replace(/\p{N}+$/u, '');
    if (letters.length >= 3 && index.byFirst.has(letters)) {
      known = true;
      next = matchAt(text, sc, w, s, e, letters, 0, index, out);
      const span = out[out.length - 1];
      // The span covers the letters only; the digits stay (they are not the name).
      if (next === w + 1 && span) span.end = span.start + countUnitsOfLetters(raw);
    }
  }
  if (next < 0 && isArabic(c)) {
    // A number may be glued on after a proclitic too: "ولأحمد1" (the path above only tries the
    // word as it stands).
    const base = isDigitCode(key.charCodeAt(key.length - 1)) ? key.replace(/\p{N}+$/u, '') : key;
    const p = ARABIC_PROCLITIC.exec(base)?.[0].length ?? 0;
    for (let n = 1; n <= p && next < 0; n++) {
      const form = base.slice(n);
      if (form.length < 3 || !index.byFirst.has(form)) continue;
      known = true;
      next = matchAt(text, sc, w, s, e, form, n, index, out);
    }
    // ل before the article drops the article's alef: ل + المصري is written للمصري, so stripping ل
    // leaves لمصري. Before a name that itself starts with ل (الليثي), one of the three lams goes
    // too (لليثي), so both the alef and the whole article are put back.
    if (next < 0 && p > 0 && base.charCodeAt(p - 1) === 0x644 && base.charCodeAt(p) === 0x644) {
      const rest = base.slice(p);
      for (let k = 0; k < 2 && next < 0; k++) {
        const form = (k === 0 ? 'ا' : 'ال') + rest;
        if (!index.byFirst.has(form)) continue;
        known = true;
        next = matchAt(text, sc, w, s, e, form, p, index, out);
      }
    }
    const span = out[out.length - 1];
    if (base !== key && next === w + 1 && span) span.end = s + countUnitsOfLetters(raw);
  }
  return next >= 0 || known ? next : UNKNOWN;
}

/** True if the text from `s` to `e` holds an invisible (inside a word: `scan` puts none at its ends). */
function hasInvisible(text: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (isInvisibleAt(text, i)) return true;
  return false;
}

/** Longest run of pieces tried as one word in a word holding invisibles: bounds the work on a long
 *  run of letters cut by invisibles (the pairs tried grow as its square). */
const MAX_PIECES = 12;

/**
 * Word `w`, from `s` to `e`, holds invisibles. It is looked up whole first ("Ja\u00ADne"); but an
 * invisible may as well have stood between two words ("Jane\u2069\u2068Omar", "Jane\u200Bsaid",
 * "0\u200BJa\u00ADne", which were separate words before invisibles joined them), so what the whole
 * does not match is cut at its invisibles and every run of consecutive pieces is looked up, longest
 * first. Slow, but such words are rare, and none is remembered as a miss. Returns the next word.
 */
function matchInvisibleWord(text: string, sc: Scan, w: number, s: number, e: number, index: NameIndex, out: Span[]): number {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let p = s; p < e; ) {
    let q = p;
    while (q < e && !isInvisibleAt(text, q)) q++;
    starts.push(p);
    ends.push(q);
    p = q;
    while (p < e && isInvisibleAt(text, p)) p++;
  }
  for (let a = 0; a < starts.length; ) {
    let found = -1;
    for (let b = Math.min(starts.length, a + MAX_PIECES) - 1; b >= a && found < 0; b--) {
      const from = starts[a] ?? s;
      const to = ends[b] ?? e;
      // Single-unit words are never looked up either.
      if (to - from < 2) continue;
      const next = matchWord(text, sc, w, from, to, text.slice(from, to), index, out);
      // Only a run that ends the word can carry a name on into the next words.
      if (next > w + 1) return next;
      if (next >= 0) found = b;
    }
    a = found >= 0 ? found + 1 : a + 1;
  }
  return w + 1;
}

function isInvisibleAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (classOf(c) & CLS_INVISIBLE) return true;
  // Astral invisibles (tags) are judged by their high half; the low half counts with it.
  if (c >= 0xd800 && c <= 0xdbff) return (astralClassOf(text.codePointAt(i) ?? c) & CLS_INVISIBLE) !== 0;
  if (c >= 0xdc00 && c <= 0xdfff && i > 0) return (astralClassOf(text.codePointAt(i - 1) ?? c) & CLS_INVISIBLE) !== 0;
  return false;
}

function findNames(text: string, sc: Scan, index: NameIndex, out: Span[]): void {
  const { words } = sc;
  if (index.byFirst.size > 0) {
    const maxLen = 2 * index.maxWordLength + 8;
    for (let w = 0; 3 * w < sc.end; ) {
      const s = words[3 * w] ?? 0;
      const e = words[3 * w + 1] ?? 0;
      // Before the filters below, which judge the word by its first letters and its length: a piece
      // of it may still be a name.
      if (sc.invisibles > 0 && hasInvisible(text, s, e)) {
        w = matchInvisibleWord(text, sc, w, s, e, index, out);
        continue;
      }
      // Tatweel folds away and may stretch a short name far past the longest: "حســــــــــــــن".
      if (e - s < 2 || (e - s > maxLen && !hasTatweel(text, s, e))) {
        w++;
        continue;
      }
      const a = text.charCodeAt(s);
      const b = text.charCodeAt(s + 1);
      if (a < 0x80 && b < 0x80) {
        const la = a >= 65 && a <= 90 ? a + 32 : a;
        const lb = b >= 65 && b <= 90 ? b + 32 : b;
        if (index.asciiPairs[(la << 7) | lb] === 0) {
          w++;
          continue;
        }
        // Three ASCII letters: mayStartName's answer, without its tables (an ASCII letter folds to
        // itself, lower-cased).
        const c = e - s >= 3 ? text.charCodeAt(s + 2) : 0x80;
        if (c < 0x80) {
          if (index.foldedTriples[tripleSlot(la, lb, c >= 65 && c <= 90 ? c + 32 : c)] === 0) {
            w++;
            continue;
          }
        } else if (!mayStartName(text, s, e, index)) {
          w++;
          continue;
        }
      } else if (!mayStartName(text, s, e, index)) {
        w++;
        continue;
      }
      const h = words[3 * w + 2] ?? 0;
      if (missed(index.misses, text, s, e, h)) {
        w++;
        continue;
      }
      const raw = text.slice(s, e);
      const next = matchWord(text, sc, w, s, e, raw, index, out);
      if (next === UNKNOWN) addMiss(index.misses, raw, h);
      w = next >= 0 ? next : w + 1;
    }
  }
  if (index.cjk && sc.seen & CLS_NOSPACE) {
    index.cjk.lastIndex = 0;
    for (let m = index.cjk.exec(text); m !== null; m = index.cjk.exec(text)) {
      out.push({ start: m.index, end: m.index + m[0].length, rep: index.cjkLabels.get(cjkKey(m[0])) ?? NAME_MARKER, kind: NAME });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Putting it together.

const COUNT_KEYS = ['email', 'phone', 'name', 'name'] as const;

/** Merges `add` into `base` (both sorted by start, `base` without overlaps), dropping every span of
 *  `add` that overlaps one already kept. Linear, so a message of 30,000 names stays fast. */
function mergeFree(base: Span[], add: Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  for (const s of add) {
    while (i < base.length && (base[i] as Span).end <= s.start) out.push(base[i++] as Span);
    const b = base[i];
    const last = out[out.length - 1];
    if ((b && b.start < s.end) || (last && last.end > s.start)) continue;
    out.push(s);
  }
  while (i < base.length) out.push(base[i++] as Span);
  return out;
}

function byStart(a: Span, b: Span): number {
  return a.start - b.start;
}

/** Not a closure inside `apply`: tsx/esbuild's keepNames would name a new one for every message. */
function spansOfKind(spans: Span[], kind: Kind): Span[] {
  return spans.filter((s) => s.kind === kind).sort(byStart);
}

function apply(text: string, spans: Span[]): Redaction {
  const counts = emptyCounts();
  if (spans.length === 0) return { text, counts };
  // Where kinds overlap, the higher one wins: an address holds a name, a phone span a date.
  const kept = mergeFree(mergeFree(mergeFree(spansOfKind(spans, ADDRESS), spansOfKind(spans, EMAIL)), spansOfKind(spans, PHONE)), spansOfKind(spans, NAME));
  let out = '';
  let pos = 0;
  let prev: Span | null = null;
  for (const s of kept) {
    // "Jane Doe" where only "Doe Jane" or the parts are known: one label, not two in a row.
    if (prev && prev.kind === NAME && s.kind === NAME && prev.rep === s.rep && NAME_GAP.test(text.slice(pos, s.start))) {
      pos = s.end;
      continue;
    }
    out += text.slice(pos, s.start) + s.rep;
    counts[COUNT_KEYS[s.kind]]++;
    pos = s.end;
    prev = s;
  }
  out += text.slice(pos);
  return { text: out, counts };
}

/**
 * Compiles a redactor for one upload's participants:
 * `buildRedactor([{ label: "P-3F9K2A", names: ["Jane Doe"] }]).redact("thanks @Jane, call +44 20 7946 0000")`
 * → `{ text: "thanks @P-3F9K2A, call [phone]", counts: { phone: 1, email: 0, name: 1 } }`.
 */
export function buildRedactor(people: PersonNames[]): Redactor {
  const index = buildIndex(people);
  const sc = newScan();
  return {
    redact(text: string): Redaction {
      const spans: Span[] = [];
      scan(text, sc);
      if (index.addresses.size > 0) findAddresses(text, index.addresses, spans);
      findEmails(text, sc, spans);
      if (sc.digits >= 7) findPhones(text, index.phones, spans);
      findNames(text, sc, index, spans);
      return apply(text, spans);
    },
  };
}

const anonymous = buildRedactor([]);

/** Phones and e-mails only, for text with no known participants: `scrubIdentity("mail a@b.org")` → `"mail [email]"`. */
export function scrubIdentity(text: string): Redaction {
  return anonymous.redact(text);
}
