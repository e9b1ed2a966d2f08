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
 * and the ms → id rule below recover them, so accuracy is no longer the difference and speed is:
 * this module does ~55,000–70,000 items/s on mixed-script messages, ~100,000/s on Latin-only ones,
 * 109/110 on that set and 66/66 on a second set of 66 (in tests/text/language.test.ts).
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
/** The start of a long text is enough to tell its language, and keeps the cost per item bounded. */
const MAX_CHARS = 2000;

type Bucket = 'latin' | 'cyrillic' | 'arabic' | 'kana' | 'han' | 'hangul' | 'other';

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
const WORD_LANGUAGES = new Map<string, string[]>();
for (const [code, words] of Object.entries(FUNCTION_WORDS)) {
  for (const w of words.split(' ')) WORD_LANGUAGES.set(w, [...(WORD_LANGUAGES.get(w) ?? []), code]);
}
/** Votes the leader needs, and its lead over the runner-up, to skip the model. */
const MIN_VOTES = 2;
const MIN_LEAD = 2;
/** Words that tell Malay from Indonesian; eld only knows "ms" and we meet Indonesian far more. */
const MALAY_ONLY = new Set(
  'boleh tak kerana sahaja wang kerajaan awak bagaimanakah daripada juga-lah kami-lah percuma'.split(' '),
);

function bucketOf(c: number): Bucket {
  if (c < 0x0250) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c >= 0xc0 ? 'latin' : 'other';
  if (c >= 0x1e00 && c <= 0x1eff) return 'latin';
  if (c >= 0x0400 && c <= 0x052f) return 'cyrillic';
  if ((c >= 0x0600 && c <= 0x06ff) || (c >= 0x0750 && c <= 0x077f) || (c >= 0xfb50 && c <= 0xfeff)) return 'arabic';
  if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0xff66 && c <= 0xff9f)) return 'kana';
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) return 'han';
  if (c >= 0xac00 && c <= 0xd7af) return 'hangul';
  return 'other';
}

const LETTER = /\p{L}/u;

function countVotes(words: string[]): Map<string, number> {
  const votes = new Map<string, number>();
  for (const w of words) {
    for (const code of WORD_LANGUAGES.get(w) ?? []) votes.set(code, (votes.get(code) ?? 0) + 1);
  }
  return votes;
}

function leader(votes: Map<string, number>): string | null {
  let best = '';
  let first = 0;
  let second = 0;
  for (const [code, n] of votes) {
    if (n > first) {
      second = first;
      first = n;
      best = code;
    } else if (n > second) second = n;
  }
  return first >= MIN_VOTES && first - second >= MIN_LEAD ? best : null;
}

/** Swahili words nearly all end in a vowel; with no other language's function word in sight, a
 *  vowel-final text that eld cannot place among the vowel-final Romance languages is Swahili. */
function looksSwahili(words: string[], votes: Map<string, number>, eldGuess: string): boolean {
  if (words.length < 4 || ['it', 'es', 'pt'].includes(eldGuess)) return false;
  for (const code of votes.keys()) if (code !== 'sw') return false;
  let vowelFinal = 0;
  for (const w of words) if (/[aeiou]$/.test(w)) vowelFinal++;
  return vowelFinal / words.length >= 0.85;
}

function latinGuess(text: string): string | null {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const votes = countVotes(words);
  const quick = leader(votes);
  if (quick === 'id') return words.some((w) => MALAY_ONLY.has(w)) ? 'ms' : 'id';
  if (quick) return quick;
  const r = eld.detect(text);
  if (looksSwahili(words, votes, r.language)) return 'sw';
  if (!r.language || !r.isReliable()) return null;
  if (r.language === 'ms') return words.some((w) => MALAY_ONLY.has(w)) ? 'ms' : 'id';
  return r.language;
}

/**
 * ISO 639-1 code of a message, or null when too short or unsure:
 * `detectLanguage("Merci à tous pour votre participation")` → `"fr"`, `detectLanguage("ok 👍")` → null.
 */
export function detectLanguage(text: string): string | null {
  const clean = (text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text).replace(NOISE, ' ');
  const counts: Record<Bucket, number> = { latin: 0, cyrillic: 0, arabic: 0, kana: 0, han: 0, hangul: 0, other: 0 };
  let otherLetters = '';
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const b = bucketOf(c);
    if (b !== 'other') counts[b]++;
    else if (c > 0x7f) {
      // Surrogate pairs (emoji, rare scripts) are tested as whole code points.
      const ch = String.fromCodePoint(clean.codePointAt(i) ?? c);
      if (ch.length === 2) i++;
      if (LETTER.test(ch)) {
        counts.other++;
        if (otherLetters.length < 8) otherLetters += ch;
      }
    }
  }
  // Kana marks Japanese even when kanji outnumber it; Han alone is taken as Chinese.
  if (counts.kana >= MIN_SCRIPT_LETTERS || (counts.kana > 0 && counts.han > 0)) return 'ja';
  let best: Bucket = 'latin';
  for (const b of ['cyrillic', 'arabic', 'han', 'hangul', 'other'] as const) if (counts[b] > counts[best]) best = b;
  const n = counts[best];
  switch (best) {
    case 'arabic': {
      if (n < MIN_SCRIPT_LETTERS) return null;
      for (const [re, code] of ARABIC_SCRIPT_LANGUAGES) if (re.test(clean)) return code;
      return 'ar';
    }
    case 'han':
      return n >= MIN_SCRIPT_LETTERS ? 'zh' : null;
    case 'hangul':
      return n >= MIN_SCRIPT_LETTERS ? 'ko' : null;
    case 'other': {
      if (n < MIN_SCRIPT_LETTERS) return null;
      for (const [re, code] of SCRIPT_LANGUAGE) if (re.test(otherLetters)) return code;
      return null;
    }
    case 'cyrillic': {
      for (const [re, code] of CYRILLIC_LANGUAGES) if (re.test(clean)) return code;
      if (n < MIN_LETTERS) return n >= MIN_SCRIPT_LETTERS ? 'ru' : null;
      const quick = leader(countVotes(clean.toLowerCase().match(/\p{L}+/gu) ?? []));
      if (quick && CYRILLIC_CODES.has(quick)) return quick;
      const r = eld.detect(clean);
      return r.language && CYRILLIC_CODES.has(r.language) ? r.language : 'ru';
    }
    default:
      return n >= MIN_LETTERS ? latinGuess(clean) : null;
  }
}
