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
 * Counting function words in the script loop itself (no lower-cased copy), stopping at kana, and table
 * lookups instead of regexes for script sub-languages took another ~21 % of CPU off there (~286 → ~226 ms
 * for 96k messages, interleaved medians; Latin-script ~15–25 %, Arabic ~30 %, Japanese ~65 %; eld's share,
 * ~1 call in 50 at ~40 µs, is unchanged).
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
/** NOISE's label and redaction-marker branches, for the many texts with markers and no link or address
 *  (the address branch, tried at every word, made NOISE ~3× slower on them). */
const MARKERS = /\bP-[0-9A-Z]{6,8}\b|\[(?:phone|email|name)\]/g;
/** The start of a long text is enough to tell its language, and keeps the cost per item bounded. */
const MAX_CHARS = 600;

// Script buckets, as small integers so the per-character loop indexes a typed array.
const NONE = 0;
const LATIN = 1;
const CYRILLIC = 2;
const ARABIC = 3;
const HAN = 4;
const HANGUL = 5;
/** A letter of any other script; which one is decided from the first few seen. */
const OTHER = 6;
/** Above OTHER, like the values below, so the loop tests it only on its slower branch: two kana settle
 *  a text as Japanese, and the loop stops there. */
const KANA = 7;
/** BUCKET's value for a high surrogate (the code point decides), above OTHER like UNSEEN, so the
 *  per-character loop tests one comparison for everything that is not a plain bucket. */
const HIGH_SURROGATE = 8;
/** An Arabic-script letter that Arabic does not use (ARABIC_SCRIPT_LANGUAGES), a Cyrillic one that Russian
 *  does not use (CYRILLIC_LANGUAGES): counted in their script, and noted, so that the lists' regexes run
 *  only on texts that have one (a regex over every Arabic text was ~15 % of its detection time). */
const MARKED_ARABIC = 9;
const MARKED_CYRILLIC = 10;
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

/** SCRIPT_LANGUAGE's index for a letter's script; NO_SCRIPT when none. */
const NO_SCRIPT = SCRIPT_LANGUAGE.length;
function scriptOf(letter: string): number {
  const i = SCRIPT_LANGUAGE.findIndex(([re]) => re.test(letter));
  return i < 0 ? NO_SCRIPT : i;
}
/** scriptOf each BMP unit, filled on first sight (UNSEEN before). `detectLanguage` looks up its first few
 *  letters of other scripts here rather than testing the list's regexes on a string of them: the string
 *  was built a letter at a time, an allocation each, on every Bengali or Hindi message. A script property
 *  has one value per code point, so the first entry matching any of the letters is the least of theirs. */
const SCRIPT_OF = new Uint8Array(0x10000).fill(UNSEEN);

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

/** Any letter of a list above: most messages have none. `bucketOf` tests each unit of the Arabic and
 *  Cyrillic blocks with these once, to fill BUCKET's MARKED_ values, so a message is not scanned for them
 *  (every code point that either matches lies in those blocks: checked over all of them). When a message
 *  has one, the list decides as before. */
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
  hash: number;
  languages: number;
  malay: boolean;
}

/** Hash of a word's code units, extended one unit at a time: `wordStats` computes it while it scans a
 *  word, then looks the word up by number without slicing it out of the text (slicing and string-hashing
 *  every short word was a large part of wordStats' time). A hit is confirmed by comparing the text. */
function extendHash(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
}

const KNOWN_WORDS: KnownWord[] = [];
/** Open-addressed table of KNOWN_WORDS by hash (index + 1; 0 is empty), a few times larger than the list
 *  so that most words, which are not function words, end on an empty slot at once. A Map keyed by the
 *  hash cost more: half the hashes are not small integers, and each lookup was a call. */
const KNOWN_SLOTS = new Uint16Array(2048);
const SLOT_MASK = KNOWN_SLOTS.length - 1;
function slotOf(hash: number): number {
  return (hash ^ (hash >>> 11)) & SLOT_MASK;
}
for (const word of new Set([...WORD_LANGUAGES.keys(), ...MALAY_ONLY])) {
  let h = 0;
  for (let i = 0; i < word.length; i++) h = extendHash(h, word.charCodeAt(i));
  KNOWN_WORDS.push({ word, hash: h, languages: WORD_LANGUAGES.get(word) ?? 0, malay: MALAY_ONLY.has(word) });
  let s = slotOf(h);
  while (KNOWN_SLOTS[s] !== 0) s = (s + 1) & SLOT_MASK;
  KNOWN_SLOTS[s] = KNOWN_WORDS.length;
}

const LETTER = /\p{L}/u;
/** Bucket of every BMP code unit (HIGH_SURROGATE for those), filled one 256-unit page at a time on first
 *  sight. UNSEEN marks the rest, rather than a separate page flag: one load per character, not two, and
 *  with the surrogate test folded in the script loop costs ~30 % less. */
const BUCKET = new Uint8Array(0x10000).fill(UNSEEN);

function bucketOf(c: number): number {
  if (c < 0x0250) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7) ? LATIN : NONE;
  if (c >= 0x1e00 && c <= 0x1eff) return LATIN;
  if (c >= 0x0400 && c <= 0x052f) return ANY_CYRILLIC_LANGUAGE.test(String.fromCharCode(c)) ? MARKED_CYRILLIC : CYRILLIC;
  if ((c >= 0x0600 && c <= 0x06ff) || (c >= 0x0750 && c <= 0x077f) || (c >= 0xfb50 && c <= 0xfeff)) {
    return ANY_ARABIC_SCRIPT_LANGUAGE.test(String.fromCharCode(c)) ? MARKED_ARABIC : ARABIC;
  }
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

/** FOLD's values besides letters: not a letter once lower-cased, page not filled yet, and lower-cased
 *  differently in a string than alone (İ becomes two units, Σ depends on its neighbours). */
const NOT_LETTER = 0;
const FOLD_UNSEEN = -1;
const FOLD_CONTEXT = -2;
/** Per BMP unit, the unit that `toLowerCase` makes of it when that is a letter for `wordStats` (never 0).
 *  `wordStats` reads the text through it instead of scanning a lower-cased copy: the copy was an
 *  allocation and a second pass per Latin message. Surrogates are never letters, lower-cased or not (an
 *  astral letter lower-cases to an astral one), so they stay NOT_LETTER. Filled a page at a time. */
const FOLD = new Int32Array(0x10000).fill(FOLD_UNSEEN);

function foldAt(c: number): number {
  const page = c & 0xff00;
  for (let u = page; u < page + 256; u++) {
    if (u >= 0xd800 && u <= 0xdfff) {
      FOLD[u] = NOT_LETTER;
      continue;
    }
    const lower = String.fromCharCode(u).toLowerCase();
    const l = lower.charCodeAt(0);
    if (lower.length !== 1 || u === 0x03a3) FOLD[u] = FOLD_CONTEXT;
    else FOLD[u] = (l < 0x80 ? l >= 97 && l <= 122 : isWordLetter(l)) ? l : NOT_LETTER;
  }
  return FOLD[c] ?? NOT_LETTER;
}

/** The text without NOISE. Each branch of NOISE needs its own literal ("://", "www.", "@", "P-", "["), so
 *  a text with none of them is returned as it is, and one with only "P-" and "[" needs only those branches:
 *  a branch that matches nowhere in the text changes no match of the others. */
function withoutNoise(s: string): string {
  if (s.includes('@') || s.includes('://') || s.includes('www.')) return s.replace(NOISE, ' ');
  if (s.includes('[')) return s.replace(MARKERS, ' ');
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

/** Votes, word count, vowel-final words and Malay markers of the lower-cased text, in one pass. Returns
 *  the shared STATS, valid until the next call. */
function wordStats(text: string): WordStats {
  // A text with İ or Σ is lower-cased as a whole first (then every unit is its own lower case).
  if (!countWords(text)) countWords(text.toLowerCase());
  return STATS;
}

function resetStats(): void {
  // Plain loops, not fill(): a call of that builtin cost more than these few stores.
  for (let l = 0; l < STATS.votes.length; l++) STATS.votes[l] = 0;
  STATS.words = 0;
  STATS.vowelFinal = 0;
  STATS.malay = false;
}

/** `wordStats` of `text` read through FOLD; false, with STATS half-filled, on a FOLD_CONTEXT unit. */
function countWords(text: string): boolean {
  resetStats();
  let start = -1;
  let hash = 0;
  let last = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    let f = FOLD[c] ?? NOT_LETTER;
    if (f < 0) {
      if (f === FOLD_UNSEEN) f = foldAt(c);
      if (f === FOLD_CONTEXT) return false;
    }
    if (f !== NOT_LETTER) {
      if (start < 0) {
        start = i;
        hash = 0;
      }
      hash = extendHash(hash, f);
      last = f;
    } else if (start >= 0) {
      countWord(text, start, i, hash, last);
      start = -1;
    }
  }
  if (start >= 0) countWord(text, start, length, hash, last);
  return true;
}

/** Adds the word of `text` from `start` to `end` to STATS, given its hash and last letter, lower-cased.
 *  Short words only are looked up (function words are short). */
function countWord(text: string, start: number, end: number, hash: number, last: number): void {
  const stats = STATS;
  stats.words++;
  if (isVowel(last)) stats.vowelFinal++;
  const n = end - start;
  if (n > MAX_FUNCTION_WORD) return;
  for (let s = slotOf(hash), k = KNOWN_SLOTS[s] ?? 0; k !== 0; s = (s + 1) & SLOT_MASK, k = KNOWN_SLOTS[s] ?? 0) {
    const known = KNOWN_WORDS[k - 1];
    if (known === undefined || known.hash !== hash || known.word.length !== n || !sameFolded(text, start, known.word)) continue;
    const mask = known.languages;
    for (let l = 0; mask >> l; l++) if ((mask >> l) & 1) stats.votes[l] = (stats.votes[l] ?? 0) + 1;
    if (known.malay) stats.malay = true;
    return;
  }
}

/** Whether the word of `text` at `start`, read through FOLD, is `word`; the caller knows it has the
 *  same length and that all its units are letters (so their FOLD pages are filled). */
function sameFolded(text: string, start: number, word: string): boolean {
  for (let j = 0; j < word.length; j++) if (FOLD[text.charCodeAt(start + j)] !== word.charCodeAt(j)) return false;
  return true;
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

function latinGuess(text: string, stats: WordStats): string | null {
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
/** Bits of `detectLanguage`'s `marked`: the text has a MARKED_ARABIC, a MARKED_CYRILLIC letter. */
const MARK_ARABIC = 1;
const MARK_CYRILLIC = 2;

/** The MARK_ bit of a unit's bucket, if any. */
function markOf(c: number): number {
  let b = BUCKET[c] ?? NONE;
  if (b === UNSEEN) b = bucketAt(c);
  return b === MARKED_ARABIC ? MARK_ARABIC : b === MARKED_CYRILLIC ? MARK_CYRILLIC : 0;
}

/**
 * ISO 639-1 code of a message, or null when too short or unsure:
 * `detectLanguage("Merci à tous pour votre participation")` → `"fr"`, `detectLanguage("ok 👍")` → null.
 */
export function detectLanguage(text: string): string | null {
  const head = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  const clean = withoutNoise(head);
  const counts = COUNTS;
  for (let b = 0; b < counts.length; b++) counts[b] = 0;
  // The first few letters of other scripts decide which: units of them seen so far, and the first entry
  // of SCRIPT_LANGUAGE that one of them belongs to.
  let otherUnits = 0;
  let otherScript = NO_SCRIPT;
  let marked = 0;
  // STATS of a Latin or Cyrillic text are counted in this same loop, with the steps of `countWords`, which
  // spares them a second pass over the text (reading a unit, ~2.5 ns, is most of such a pass). A letter of
  // another script stops that (those texts rarely need STATS, and when they do `wordStats` reads the text
  // again), and so does what `countWords` would read otherwise: a lone high surrogate (this loop skips
  // the unit after it), a unit lower-cased in context.
  resetStats();
  let words = true;
  let start = -1;
  let hash = 0;
  let last = 0;
  const length = clean.length;
  for (let i = 0; i < length; i++) {
    const c = clean.charCodeAt(i);
    let b = BUCKET[c] ?? NONE;
    if (b >= OTHER) {
      if (b === UNSEEN) b = bucketAt(c);
      if (b === OTHER) {
        if (otherUnits < 8) {
          otherUnits++;
          let s = SCRIPT_OF[c] ?? NO_SCRIPT;
          if (s === UNSEEN) s = SCRIPT_OF[c] = scriptOf(clean.charAt(i));
          if (s < otherScript) otherScript = s;
        }
      } else if (b === KANA) {
        // Kana marks Japanese even when kanji outnumber it; Han alone is taken as Chinese. Nothing later
        // in the text can change that, so the rest of it is not read.
        const kana = (counts[KANA] ?? 0) + 1;
        if (kana >= MIN_SCRIPT_LETTERS || (counts[HAN] ?? 0) > 0) return 'ja';
      } else if (b === MARKED_ARABIC) {
        marked |= MARK_ARABIC;
        b = ARABIC;
      } else if (b === MARKED_CYRILLIC) {
        marked |= MARK_CYRILLIC;
        b = CYRILLIC;
      } else if (b === HIGH_SURROGATE) {
        // A letter outside the BMP (rare scripts; emoji are not letters): counted as another script.
        const cp = clean.codePointAt(i) ?? c;
        if (cp === c) {
          // A lone high surrogate skips the next unit all the same (as this loop always did), but a
          // marked letter there still counts, as it did for the regexes that read the whole text.
          if (i + 1 < length) marked |= markOf(clean.charCodeAt(i + 1));
          words = false;
        }
        if (words && start >= 0) {
          // The word ends here, before `i` moves past the low surrogate.
          countWord(clean, start, i, hash, last);
          start = -1;
        }
        const ch = String.fromCodePoint(cp);
        i++;
        b = LETTER.test(ch) ? OTHER : NONE;
        if (b === OTHER && otherUnits < 8) {
          otherUnits += 2;
          otherScript = Math.min(otherScript, scriptOf(ch));
        }
      }
    }
    counts[b] = (counts[b] ?? 0) + 1;
    if (!words) continue;
    if (b > CYRILLIC) {
      words = false;
      continue;
    }
    let f = FOLD[c] ?? NOT_LETTER;
    if (f < 0) {
      if (f === FOLD_UNSEEN) f = foldAt(c);
      if (f === FOLD_CONTEXT) {
        words = false;
        continue;
      }
    }
    if (f !== NOT_LETTER) {
      if (start < 0) {
        start = i;
        hash = 0;
      }
      hash = extendHash(hash, f);
      last = f;
    } else if (start >= 0) {
      countWord(clean, start, i, hash, last);
      start = -1;
    }
  }
  if (words && start >= 0) countWord(clean, start, length, hash, last);
  // One kana and Han after it (two kana, or Han before it, returned in the loop).
  if ((counts[KANA] ?? 0) > 0 && (counts[HAN] ?? 0) > 0) return 'ja';
  let best = LATIN;
  // Cyrillic, Arabic, Han, Hangul, other, in that order (kana was settled above): ties go to the first.
  for (let b = CYRILLIC; b <= OTHER; b++) if ((counts[b] ?? 0) > (counts[best] ?? 0)) best = b;
  const n = counts[best] ?? 0;
  switch (best) {
    case ARABIC: {
      if (n < MIN_SCRIPT_LETTERS) return null;
      if (marked & MARK_ARABIC) for (const [re, code] of ARABIC_SCRIPT_LANGUAGES) if (re.test(clean)) return code;
      return 'ar';
    }
    case HAN:
      return n >= MIN_SCRIPT_LETTERS ? 'zh' : null;
    case HANGUL:
      return n >= MIN_SCRIPT_LETTERS ? 'ko' : null;
    case OTHER: {
      if (n < MIN_SCRIPT_LETTERS) return null;
      return SCRIPT_LANGUAGE[otherScript]?.[1] ?? null;
    }
    case CYRILLIC: {
      if (marked & MARK_CYRILLIC) for (const [re, code] of CYRILLIC_LANGUAGES) if (re.test(clean)) return code;
      if (n < MIN_LETTERS) return n >= MIN_SCRIPT_LETTERS ? 'ru' : null;
      const quick = leader((words ? STATS : wordStats(clean)).votes);
      if (quick && CYRILLIC_CODES.has(quick)) return quick;
      const r = eld.detect(clean);
      return r.language && CYRILLIC_CODES.has(r.language) ? r.language : 'ru';
    }
    default:
      return n >= MIN_LETTERS ? latinGuess(clean, words ? STATS : wordStats(clean)) : null;
  }
}
