/**
 * The pages' message catalogue (en/ar/fr/ja) and how a request's language is chosen:
 * `?lang=` first, then the `lang` cookie, then Accept-Language, then English. Pure functions only.
 */
import { ar } from './ar';
import { en, type MessageKey, type Messages } from './en';
import { fr } from './fr';
import { ja } from './ja';

export type { MessageKey, Messages };

export const LANGS = ['en', 'ar', 'fr', 'ja'] as const;
export type Lang = (typeof LANGS)[number];

/** Cookie that remembers a language picked with `?lang=`. */
export const LANG_COOKIE = 'lang';

/** Each language named in itself, for the switcher. */
export const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', ar: 'العربية', fr: 'Français', ja: '日本語' };

const CATALOGUES: Record<Lang, Messages> = { en, ar, fr, ja };

/** True for a language the pages are translated into: `isLang('ar')` → true. */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** Text direction of a language: `dir('ar')` → 'rtl'. */
export function dir(lang: Lang): 'ltr' | 'rtl' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

export type MessageParams = Record<string, string | number>;

/** A message with `{name}` parameters filled in: `t('fr', 'home.items', { n: 3 })` → '3 contributions'. */
export function t(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const template = CATALOGUES[lang][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

/** A translator bound to one language, for page components: `const tr = translator('ja'); tr('nav.home')`. */
export function translator(lang: Lang): (key: MessageKey, params?: MessageParams) => string {
  return (key, params) => t(lang, key, params);
}

/**
 * Languages of an Accept-Language header we support, best first:
 * `acceptedLanguages('fr-CA,ar;q=0.9,*;q=0.1')` → ['fr', 'ar'].
 */
export function acceptedLanguages(header: string | undefined): Lang[] {
  if (!header) return [];
  const ranked: { lang: Lang; q: number; order: number }[] = [];
  header.split(',').forEach((part, order) => {
    const [range = '', ...params] = part.trim().split(';');
    const base = range.trim().toLowerCase().split('-')[0];
    if (!isLang(base)) return;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=(.*)$/.exec(p);
      // A malformed weight drops the range rather than promoting it to q=1.
      if (m) q = /^\s*[01](\.\d{0,3})?\s*$/.test(m[1] ?? '') ? Number(m[1]) : Number.NaN;
    }
    if (Number.isFinite(q) && q > 0) ranked.push({ lang: base, q, order });
  });
  ranked.sort((a, b) => b.q - a.q || a.order - b.order);
  return [...new Set(ranked.map((r) => r.lang))];
}

/** The value of one cookie in a Cookie header: `cookieValue('a=1; lang=ar', 'lang')` → 'ar'. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface LanguageHints {
  /** The `?lang=` query value. */
  query?: string | undefined;
  /** The whole Cookie header. */
  cookie?: string | undefined;
  acceptLanguage?: string | undefined;
}

/** Picks the page language: `pickLanguage({ query: 'ja', acceptLanguage: 'fr' })` → 'ja'. */
export function pickLanguage(hints: LanguageHints): Lang {
  if (isLang(hints.query)) return hints.query;
  const fromCookie = cookieValue(hints.cookie, LANG_COOKIE);
  if (isLang(fromCookie)) return fromCookie;
  return acceptedLanguages(hints.acceptLanguage)[0] ?? 'en';
}
