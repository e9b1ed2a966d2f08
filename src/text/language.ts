/**
 * Per-item language detection: an ISO 639-1 code, or null when the text is too short or unclear.
 *
 * Three steps, cheapest first:
 * 1. Scripts: most scripts belong to one language in our consultations (kana → ja, Bengali → bn,
 *    Devanagari → hi, Hangul → ko, Arabic script → ar unless it has Urdu/Pashto/Kurdish/Persian
 *    letters, Cyrillic with і/ї/є/ґ → uk). Exact on short messages, where n-gram models are weakest.
 * 2. Function words: a Latin or Cyrillic message with several function words of one language and
 *    clearly fewer of any other (en fr es pt de it id sw ru bg) is answered without a model.
 * 3. eld, for the rest.
 *
 * Library: eld (its static `eld/extrasmall` entry) rather than tinyld, measured on 110 short
 * chat-like messages in en/fr/es/pt/ar/ja/ru/bn/hi/sw/id:
 *   - tinyld (normal):   100/110 correct, ~12,000 items/s, ~590 KB of JS;
 *   - eld extrasmall:     90/110 correct, ~55,000 items/s, ~950 KB of JS (264 KB gzipped), 37 MB RAM.
 * eld's misses are all Swahili (it has no sw) and Indonesian (it has no id and says "ms"); steps 1–2
 * and the ms → id rule below recover them, so accuracy is no longer the difference and speed is.
 * This module gets 109/110 there and 66/66 on a second set of 66 (in tests/text/language.test.ts).
 * Measured in CPU time on the shared 2-core dev machine, it does ~100,000 items/s on those 66 short messages,
 * ~85,000/s on their Latin-script ones (more of them need eld) and ~210,000/s on the ingest benchmark's
 * generated, redacted chat (it was ~155,000/s there, measured alongside, before the table-lookup changes).
 * Both libraries are pure ESM with their data inlined, so both run on Workers. eld's default entry
 * must NOT be used there (it loads its data with a dynamic import), and its larger databases need
 * more memory than a Worker comfortably has (S 54 MB, M 71 MB, L 138 MB).
 */
import { eld } from 'eld/extrasmall';

/** Fewer letters than this and a Latin/Cyrillic text is not worth a guess ("ok", "merci!"). */
const MIN_LETTERS = 12;
/** Script shortcuts need at least this many letters of the script. */
const MIN_SCRIPT_LETTERS = 2;

/** What detection should not see: links, addresses, @mentions, pseudonym labels, redaction markers.
 *  Addresses are matched from the start of a word only, so a long text without spaces stays linear. */
const NOISE = /https?:\/\/\S+|www\.\S+|(?<!\S)[^\s@]*@\S*|\bP-[0-9A-Z]{6,8}\b|\[(?:phone|email|name)\]/g;
/** NOISE's pseudonym-label branch alone. Redacted chat is full of labels and little else of NOISE, and
 *  this regex scans for its literal "P-" where NOISE tries every branch at every position (~3× faster). */
const LABELS = /\bP-[0-9A-Z]{6,8}\b/g;
/** The start of a long text is enough to tell its language, and keeps the cost per item bounded. */
const MAX_CHARS = 600;

// Script buckets, as small integers so the per-character loop indexes a typed array.
const NONE = 0;
const LATIN = 1;
const CYRILLIC = 2;
const ARABIC = 3;
const KANA = 4;
const HAN = 5;
const HANGUL = 6;
/** A letter of any other script; which one is decided from the first few seen. */
const OTHER = 7;
/** BUCKET's value for a high surrogate (the code point decides), above OTHER like UNSEEN, so the
 *  per-character loop tests one comparison for everything that is not a plain bucket. */
const HIGH_SURROGATE = 8;
/** BUCKET's value before the unit's page has been filled. */
const UNSEEN = 255;

/** Languages that own a script in our consultations. */
const SCRIPT_LANGUAGE: [RegExp, string][] = [
  [/\p{Script=Bengali}/u, 'bn'],
  [/\p{Script=Devanagari}/u, 'hi'],
  [/\p{Script=Thai}/u, 'th'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Hebrew}/u, 'he'],
  [/\p{Script=Georgian}/u, 'ka'],
  [/\p{Script=Armenian}/u, 'hy'],
  [/\p{Script=Ethiopic}/u, 'am'],
  [/\p{Script=Tamil}/u, 'ta'],
  [/\p{Script=Telugu}/u, 'te'],
  [/\p{Script=Kannada}/u, 'kn'],
  [/\p{Script=Malayalam}/u, 'ml'],
  [/\p{Script=Gujarati}/u, 'gu'],
  [/\p{Script=Gurmukhi}/u, 'pa'],
  [/\p{Script=Oriya}/u, 'or'],
  [/\p{Script=Sinhala}/u, 'si'],
  [/\p{Script=Khmer}/u, 'km'],
  [/\p{Script=Lao}/u, 'lo'],
  [/\p{Script=Myanmar}/u, 'my'],
];

/** Letters that Arabic does not use, by the language that does (checked in this order). */
const ARABIC_SCRIPT_LANGUAGES: [RegExp, string][] = [
  [/[ٹڈڑںےۓ]/u, 'ur'],
  [/[ټډړږښګڼ]/u, 'ps'],
  [/[ێۆڵڕە]/u, 'ku'],
  [/[پچژگکی]/u, 'fa'],
];

/** Cyrillic letters that Russian does not use, by language. */
const CYRILLIC_LANGUAGES: [RegExp, string][] = [
  [/[іїєґ]/iu, 'uk'],
  [/[ў]/iu, 'be'],
  [/[ђћџ]/iu, 'sr'],
  [/[ѓќѕ]/iu, 'mk'],
  [/[әғқңөұүһ]/iu, 'kk'],
];

/** Any letter of a list above, in one scan: most messages have none, and the four scans of an Arabic text
 *  that has none were ~13 % of its detection time. When it matches, the list decides as before. */
function anyOf(list: [RegExp, string][]): RegExp {
  const flags = list[0]?.[0].flags ?? '';
  // Sources joined under one set of flags mean the same only if every regex had those flags.
  if (list.some(([re]) => re.flags !== flags)) return /(?:)/;
  return new RegExp(list.map(([re]) => re.source).join('|'), flags);
}
const ANY_ARABIC_SCRIPT_LANGUAGE = anyOf(ARABIC_SCRIPT_LANGUAGES);
const ANY_CYRILLIC_LANGUAGE = anyOf(CYRILLIC_LANGUAGES);

const CYRILLIC_CODES = new Set(['ru', 'uk', 'bg', 'sr', 'be', 'mk', 'kk']);

/**
 * Function words of the Latin-script languages we meet most. A short message with several of one
 * language's words and clearly fewer of any other's is answered here, without the n-gram model:
 * that is 5–10× faster, and it is the only way to get Swahili (eld has no sw). Anything less clear
 * goes to eld. Words shared by two languages count for both, so they never decide alone.
 */
const FUNCTION_WORDS: Record<string, string> = {
  en: 'the and is are we you to of that this it for with have be our not they can will should think need more thanks please would there what about from',
  fr: 'le les des et est nous vous pour dans une pas que qui sur avec ce cette sont il elle au aux je merci très plus ou du mais aussi faut',
  es: 'el los las y es que en por una para con no se lo del nuestro nuestra muy más pero como gracias estoy creo necesitamos también hay',
  pt: 'o os as e é não que em um uma para com do da dos das nós muito mais mas como obrigado obrigada acho você está são também nossa nosso',
  de: 'der die das und ist nicht wir ich sie ein eine mit für auf zu den dem von auch sollten haben werden',
  it: 'il lo gli le e è che di non per una con sono della del anche molto più grazie abbiamo dovremmo',
  id: 'yang dan di ini itu untuk dengan tidak kita saya kami ada akan dari harus bisa juga sangat terima kasih masih sampai pada adalah',
  sw: 'na ya wa kwa ni za katika hii hiyo huo sana kuwa tu pia lakini au kama ili hapa kwamba nini sisi wao yeye mimi wewe tuna ' +
    'tunahitaji tunapaswa asante asanteni habari sasa kila zaidi kubwa nzuri muhimu wote jamii watu mtu elimu fedha mkutano wazo ' +
    'tatizo leo kesho bado tena kuhusu kutoka hadi pamoja sababu hivyo ndiyo hapana hakuna kuna ana wana makala kiswahili tafadhali ' +
    'kwenye ujao anaweza',
  ru: 'и в не на что я мы это для с как но нам нужно все всех очень по из так если бы только уже спасибо',
  bg: 'и в не на че да се за от е са ние това как но много има трябва благодаря',
};
const VOTING = Object.keys(FUNCTION_WORDS);
/** Function word → bit mask of the languages (indexes in VOTING) it belongs to. */
const WORD_LANGUAGES = new Map<string, number>();
VOTING.forEach((code, i) => {
  for (const w of (FUNCTION_WORDS[code] ?? '').split(' ')) WORD_LANGUAGES.set(w, (WORD_LANGUAGES.get(w) ?? 0) | (1 << i));
});
const MAX_FUNCTION_WORD = Math.max(...[...WORD_LANGUAGES.keys(), ...'boleh tak kerana sahaja wang kerajaan awak daripada percuma'.split(' ')].map((w) => w.length));
/** Votes the leader needs, and its lead over the runner-up, to skip the model. */
const MIN_VOTES = 2;
const MIN_LEAD = 2;
/** Words that tell Malay from Indonesian; eld only knows "ms" and we meet Indonesian far more. */
const MALAY_ONLY = new Set('boleh tak kerana sahaja wang kerajaan awak daripada percuma'.split(' '));

/** A word `wordStats` counts: the languages it votes for (bit mask over VOTING), whether it marks Malay. */
interface KnownWord {
  word: string;
  languages: number;
  malay: boolean;
  /** Another known word with the same hash. */
  next: KnownWord | undefined;
}

/** Hash of a word's code units, extended one unit at a time: `wordStats` computes it while it scans a
 *  word, then looks the word up by number without slicing it out of the text (slicing and string-hashing
 *  every short word was a large part of wordStats' time). A hit is confirmed by comparing the text. */
function extendHash(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
}

const KNOWN_WORDS = new Map<number, KnownWord>();
for (const word of new Set([...WORD_LANGUAGES.keys(), ...MALAY_ONLY])) {
  let h = 0;
  for (let i = 0; i < word.length; i++) h = extendHash(h, word.charCodeAt(i));
  KNOWN_WORDS.set(h, { word, languages: WORD_LANGUAGES.get(word) ?? 0, malay: MALAY_ONLY.has(word), next: KNOWN_WORDS.get(h) });
}

const LETTER = /\p{L}/u;
/** Bucket of every BMP code unit (HIGH_SURROGATE for those), filled one 256-unit page at a time on first
 *  sight. UNSEEN marks the rest, rather than a separate page flag: one load per character, not two, and
 *  with the surrogate test folded in the script loop costs ~30 % less. */
const BUCKET = new Uint8Array(0x10000).fill(UNSEEN);

function bucketOf(c: number): number {
  if (c < 0x0250) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7) ? LATIN : NONE;
  if (c >= 0x1e00 && c <= 0x1eff) return LATIN;
  if (c >= 0x0400 && c <= 0x052f) return CYRILLIC;
  if ((c >= 0x0600 && c <= 0x06ff) || (c >= 0x0750 && c <= 0x077f) || (c >= 0xfb50 && c <= 0xfeff)) return ARABIC;
  if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0xff66 && c <= 0xff9f)) return KANA;
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) return HAN;
  if (c >= 0xac00 && c <= 0xd7af) return HANGUL;
  if (c >= 0xd800 && c <= 0xdfff) return NONE;
  return LETTER.test(String.fromCharCode(c)) ? OTHER : NONE;
}

/** BUCKET[c] after filling its page: call it when BUCKET[c] is UNSEEN. */
function bucketAt(c: number): number {
  const page = c & 0xff00;
  for (let u = page; u < page + 256; u++) BUCKET[u] = u >= 0xd800 && u <= 0xdbff ? HIGH_SURROGATE : bucketOf(u);
  return BUCKET[c] ?? NONE;
}

/** Whether a code unit is a letter for `wordStats`: any bucket but NONE; surrogates never are. */
function isWordLetter(c: number): boolean {
  let b = BUCKET[c] ?? NONE;
  if (b === UNSEEN) b = bucketAt(c);
  return b !== NONE && b !== HIGH_SURROGATE;
}

/** The text without NOISE. Each branch of NOISE needs its own literal ("://", "www.", "@", "P-", "["), so
 *  a text with none of them is returned as it is, and one with only "P-" needs only the label branch. */
function withoutNoise(s: string): string {
  const other = s.includes('@') || s.includes('://') || s.includes('www.') || s.includes('[');
  if (other) return s.replace(NOISE, ' ');
  return s.includes('P-') ? s.replace(LABELS, ' ') : s;
}

interface WordStats {
  /** Function-word votes per language of VOTING. */
  votes: Int32Array;
  words: number;
  /** Words ending in a vowel, the mark of Swahili (and of Italian, Spanish…). */
  vowelFinal: number;
  malay: boolean;
}

/** The one WordStats, reset by each `wordStats` call: detection is synchronous and never re-enters
 *  itself, and an object plus a typed array a message was a visible part of its cost. */
const STATS: WordStats = { votes: new Int32Array(VOTING.length), words: 0, vowelFinal: 0, malay: false };

function isVowel(c: number): boolean {
  return c === 97 || c === 101 || c === 105 || c === 111 || c === 117;
}

/** One pass over the lower-cased text: votes, word count, vowel-final words, Malay markers. Short
 *  words only are looked up (function words are short), so long words cost no allocation.
 *  Returns the shared STATS, valid until the next call. */
function wordStats(lower: string): WordStats {
  const stats = STATS;
  stats.votes.fill(0);
  stats.words = 0;
  stats.vowelFinal = 0;
  stats.malay = false;
  let start = -1;
  let hash = 0;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 32;
    const letter = c < 0x80 ? c >= 97 && c <= 122 : isWordLetter(c);
    if (letter) {
      if (start < 0) {
        start = i;
        hash = 0;
      }
      hash = extendHash(hash, c);
      continue;
    }
    if (start < 0) continue;
    stats.words++;
    if (isVowel(lower.charCodeAt(i - 1))) stats.vowelFinal++;
    if (i - start <= MAX_FUNCTION_WORD) {
      for (let k = KNOWN_WORDS.get(hash); k !== undefined; k = k.next) {
        if (k.word.length !== i - start || !lower.startsWith(k.word, start)) continue;
        const mask = k.languages;
        for (let l = 0; mask >> l; l++) if ((mask >> l) & 1) stats.votes[l] = (stats.votes[l] ?? 0) + 1;
        if (k.malay) stats.malay = true;
        break;
      }
    }
    start = -1;
  }
  return stats;
}

function leader(votes: Int32Array): string | null {
  let best = -1;
  let first = 0;
  let second = 0;
  // A plain loop, not forEach: its callback would be a new closure (and a keepNames call) per message.
  for (let l = 0; l < votes.length; l++) {
    const n = votes[l] ?? 0;
    if (n > first) {
      second = first;
      first = n;
      best = l;
    } else if (n > second) second = n;
  }
  return first >= MIN_VOTES && first - second >= MIN_LEAD ? (VOTING[best] ?? null) : null;
}

const SWAHILI = VOTING.indexOf('sw');

/** Swahili words nearly all end in a vowel; with no other language's function word in sight, a
 *  vowel-final text that eld cannot place among the vowel-final Romance languages is Swahili. */
function looksSwahili(stats: WordStats, eldGuess: string): boolean {
  if (stats.words < 4 || eldGuess === 'it' || eldGuess === 'es' || eldGuess === 'pt') return false;
  for (let l = 0; l < stats.votes.length; l++) if (l !== SWAHILI && (stats.votes[l] ?? 0) > 0) return false;
  return stats.vowelFinal / stats.words >= 0.85;
}

function latinGuess(text: string): string | null {
  const stats = wordStats(text.toLowerCase());
  const quick = leader(stats.votes);
  if (quick === 'id') return stats.malay ? 'ms' : 'id';
  if (quick) return quick;
  const r = eld.detect(text);
  if (looksSwahili(stats, r.language)) return 'sw';
  if (!r.language || !r.isReliable()) return null;
  if (r.language === 'ms') return stats.malay ? 'ms' : 'id';
  return r.language;
}

/** Letters per script bucket of the message being detected, reset per call (see STATS). */
const COUNTS = new Int32Array(8);

/**
 * ISO 639-1 code of a message, or null when too short or unsure:
 * `detectLanguage("Merci à tous pour votre participation")` → `"fr"`, `detectLanguage("ok 👍")` → null.
 */
export function detectLanguage(text: string): string | null {
  const head = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  const clean = withoutNoise(head);
  const counts = COUNTS;
  counts.fill(0);
  let otherLetters = '';
  const length = clean.length;
  for (let i = 0; i < length; i++) {
    const c = clean.charCodeAt(i);
    let b = BUCKET[c] ?? NONE;
    if (b >= OTHER) {
      if (b === UNSEEN) b = bucketAt(c);
      if (b === HIGH_SURROGATE) {
        // A letter outside the BMP (rare scripts; emoji are not letters): counted as another script.
        const ch = String.fromCodePoint(clean.codePointAt(i) ?? c);
        i++;
        b = LETTER.test(ch) ? OTHER : NONE;
        if (b === OTHER && otherLetters.length < 8) otherLetters += ch;
      } else if (b === OTHER && otherLetters.length < 8) otherLetters += clean.charAt(i);
    }
    counts[b] = (counts[b] ?? 0) + 1;
  }
  const kana = counts[KANA] ?? 0;
  // Kana marks Japanese even when kanji outnumber it; Han alone is taken as Chinese.
  if (kana >= MIN_SCRIPT_LETTERS || (kana > 0 && (counts[HAN] ?? 0) > 0)) return 'ja';
  let best = LATIN;
  // Cyrillic, Arabic, Han, Hangul, other, in that order (kana was settled above): ties go to the first.
  for (let b = CYRILLIC; b <= OTHER; b++) if (b !== KANA && (counts[b] ?? 0) > (counts[best] ?? 0)) best = b;
  const n = counts[best] ?? 0;
  switch (best) {
    case ARABIC: {
      if (n < MIN_SCRIPT_LETTERS) return null;
      if (ANY_ARABIC_SCRIPT_LANGUAGE.test(clean)) for (const [re, code] of ARABIC_SCRIPT_LANGUAGES) if (re.test(clean)) return code;
      return 'ar';
    }
    case HAN:
      return n >= MIN_SCRIPT_LETTERS ? 'zh' : null;
    case HANGUL:
      return n >= MIN_SCRIPT_LETTERS ? 'ko' : null;
    case OTHER: {
      if (n < MIN_SCRIPT_LETTERS) return null;
      for (const [re, code] of SCRIPT_LANGUAGE) if (re.test(otherLetters)) return code;
      return null;
    }
    case CYRILLIC: {
      if (ANY_CYRILLIC_LANGUAGE.test(clean)) for (const [re, code] of CYRILLIC_LANGUAGES) if (re.test(clean)) return code;
      if (n < MIN_LETTERS) return n >= MIN_SCRIPT_LETTERS ? 'ru' : null;
      const quick = leader(wordStats(clean.toLowerCase()).votes);
      if (quick && CYRILLIC_CODES.has(quick)) return quick;
      const r = eld.detect(clean);
      return r.language && CYRILLIC_CODES.has(r.language) ? r.language : 'ru';
    }
    default:
      return n >= MIN_LETTERS ? latinGuess(clean) : null;
  }
}
