/**
 * Text folding shared by the lexicons, the offline tagger and theme-hint matching. Pure functions.
 * Lexicon terms and incoming text go through the same folding, so lexicons can be written in natural
 * spelling (accents, ة, أ) and still match text typed without them.
 */
import { asciiDigits, cleanText } from '../../text/clean';

/** Combining marks of Latin/Greek/Cyrillic accents; Japanese dakuten (U+3099) are outside and recompose. */
const LATIN_MARKS = /[\u0300-\u036f]/g;
/** Arabic harakat, Quranic marks, superscript alef and tatweel: people type them inconsistently. */
const ARABIC_MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g;
const NON_ASCII = /[^\u0000-\u007f]/;
const ARABIC_LETTER_MAP: Record<string, string> = {
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ة: 'ه',
  ى: 'ي',
  ؤ: 'و',
  ئ: 'ي',
  ی: 'ي',
  ک: 'ك',
};
const ARABIC_LETTERS = /[أإآٱةىؤئیک]/g;

/** Scripts written without spaces between words: kana, CJK ideographs, Hangul, Thai. */
export const NO_SPACE_SCRIPT = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u0e00-\u0e7f]/;
const ARABIC_SCRIPT = /[\u0600-\u06ff]/;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** Fold a text for matching: `foldText("Éducation  ٢٠٢٣ — الإنترنت")` → `"education 2023 — الانترنت"`. */
export function foldText(s: string): string {
  let t = cleanText(s).normalize('NFKC').toLowerCase();
  if (!NON_ASCII.test(t)) return t;
  t = t.normalize('NFD').replace(LATIN_MARKS, '').normalize('NFC');
  if (ARABIC_SCRIPT.test(t)) {
    t = t.replace(ARABIC_MARKS, '').replace(ARABIC_LETTERS, (c) => ARABIC_LETTER_MAP[c] ?? c);
  }
  return asciiDigits(t);
}

/** Split folded text into runs of letters/marks/digits: `tokenize("l'équipe, 2 bots")` → `["l", "équipe", "2", "bots"]`. */
export function tokenize(folded: string): string[] {
  return folded.match(WORD) ?? [];
}

/** True when the token is written in Arabic script: `isArabic("تدريب")` → `true`. */
export function isArabic(token: string): boolean {
  return ARABIC_SCRIPT.test(token);
}

const ARTICLE_PREFIXES = ['وال', 'فال', 'بال', 'كال'];
const PROCLITICS = ['و', 'ف', 'ب', 'ل'];

function stripArticle(t: string): string | null {
  for (const p of ARTICLE_PREFIXES) if (t.startsWith(p) && t.length - p.length >= 2) return t.slice(p.length);
  if ((t.startsWith('لل') || t.startsWith('ال')) && t.length >= 4) return t.slice(2);
  return null;
}

/**
 * Arabic surface forms of a folded token with the definite article and one-letter proclitics peeled off:
 * `arabicForms("والتدريب")` → `["والتدريب", "تدريب", "التدريب"]`. The original form is kept because many
 * words really begin with و or ال (وعي, الف).
 */
export function arabicForms(token: string): string[] {
  const forms = [token];
  const add = (f: string | null) => {
    if (f && f.length >= 2 && !forms.includes(f)) forms.push(f);
  };
  add(stripArticle(token));
  if (token.length >= 4 && PROCLITICS.some((p) => token.startsWith(p))) {
    const rest = token.slice(1);
    add(rest);
    add(stripArticle(rest));
  }
  return forms;
}

/** The token without its definite article (and a leading و/ف/ب/ك before it): `arabicBase("بالمنح")` → `"منح"`. */
export function arabicBase(token: string): string {
  return stripArticle(token) ?? token;
}
