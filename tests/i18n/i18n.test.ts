import { describe, expect, test } from 'vitest';
import { LANGS, acceptedLanguages, cookieValue, dir, pickLanguage, t } from '../../src/i18n';
import { ar } from '../../src/i18n/ar';
import { en } from '../../src/i18n/en';
import { fr } from '../../src/i18n/fr';
import { ja } from '../../src/i18n/ja';

const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  test.each([
    ['ar', ar],
    ['fr', fr],
    ['ja', ja],
  ])('%s has every English key with the same parameters', (_name, messages) => {
    expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      expect({ key, params: params(messages[key as keyof typeof en]) }).toEqual({ key, params: params(text) });
      expect(messages[key as keyof typeof en].trim()).not.toBe('');
    }
  });
});

describe('t', () => {
  test.each([
    ['fills parameters', 'en', 'home.items', { n: 3 }, '3 items'],
    ['fills several parameters', 'en', 'poll.option', { n: 1, label: 'Yes', votes: 31, percent: 84 }, '1- Yes (31 people - 84 %)'],
    ['leaves a missing parameter visible', 'en', 'home.items', {}, '{n} items'],
    ['translates', 'fr', 'nav.signout', undefined, 'Se déconnecter'],
    ['Arabic', 'ar', 'home.items', { n: 5 }, '5 مساهمة'],
    ['Japanese', 'ja', 'home.items', { n: 2 }, '2 件'],
    ['does not re-expand parameter values', 'en', 'upload.failed', { message: '{message}' }, 'The upload failed: {message}'],
  ] as const)('%s', (_name, lang, key, p, expected) => {
    expect(t(lang, key, p)).toBe(expected);
  });
});

describe('dir', () => {
  test.each(LANGS.map((l) => [l, l === 'ar' ? 'rtl' : 'ltr'] as const))('%s is %s', (lang, expected) => {
    expect(dir(lang)).toBe(expected);
  });
});

describe('language choice', () => {
  test.each([
    ['query wins over everything', { query: 'ja', cookie: 'lang=fr', acceptLanguage: 'ar' }, 'ja'],
    ['cookie wins over the header', { cookie: 'x=1; lang=fr', acceptLanguage: 'ar' }, 'fr'],
    ['header by quality', { acceptLanguage: 'de;q=1, fr;q=0.5, ar;q=0.8' }, 'ar'],
    ['header region variants', { acceptLanguage: 'fr-CA,en;q=0.5' }, 'fr'],
    ['unknown query value ignored', { query: 'xx', acceptLanguage: 'ja' }, 'ja'],
    ['unknown cookie value ignored', { cookie: 'lang=<script>', acceptLanguage: 'ja' }, 'ja'],
    ['q=0 means not wanted', { acceptLanguage: 'ar;q=0, fr' }, 'fr'],
    ['nothing known → English', { acceptLanguage: 'de, es' }, 'en'],
    ['no hints → English', {}, 'en'],
  ] as const)('%s', (_name, hints, expected) => {
    expect(pickLanguage(hints)).toBe(expected);
  });

  test.each([
    ['empty', undefined, []],
    ['order and dedupe', 'ar-EG, ar;q=0.9, en;q=0.8, *;q=0.1', ['ar', 'en']],
    ['garbage quality ignored', 'fr;q=abc, ja', ['ja']],
  ] as const)('acceptedLanguages: %s', (_name, header, expected) => {
    expect(acceptedLanguages(header)).toEqual(expected);
  });

  test.each([
    ['finds it', 'a=1; lang=ar; b=2', 'lang', 'ar'],
    ['prefix names do not match', 'language=ja', 'lang', undefined],
    ['missing header', undefined, 'lang', undefined],
  ] as const)('cookieValue: %s', (_name, header, name, expected) => {
    expect(cookieValue(header, name)).toBe(expected);
  });
});
