import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type LocalizedText, matchThemeHint, PRESETS, presetTheme } from '../../src/taxonomy/presets';

const WORKING_GROUPS = PRESETS['wm2030-working-groups'];
const RECOMMENDATIONS = PRESETS['wm2030-recommendations'];
const LANGS = ['en', 'ar', 'fr', 'ja'] as const;

describe('preset taxonomies', () => {
  test('working groups: the nine keys and English labels of the Wikimedia 2030 working groups', () => {
    expect(WORKING_GROUPS.map((t) => [t.key, t.label.en])).toEqual([
      ['advocacy', 'Advocacy'],
      ['capacity-building', 'Capacity Building'],
      ['community-health', 'Community Health'],
      ['diversity', 'Diversity'],
      ['partnerships', 'Partnerships'],
      ['product-technology', 'Product & Technology'],
      ['resource-allocation', 'Resource Allocation'],
      ['revenue-streams', 'Revenue Streams'],
      ['roles-responsibilities', 'Roles & Responsibilities'],
    ]);
  });

  test('recommendations: the ten 2020 movement strategy recommendations', () => {
    expect(RECOMMENDATIONS.map((t) => [t.key, t.label.en])).toEqual([
      ['sustainability', 'Increase the Sustainability of Our Movement'],
      ['user-experience', 'Improve User Experience'],
      ['safety-inclusion', 'Provide for Safety and Inclusion'],
      ['equity-decision-making', 'Ensure Equity in Decision-making'],
      ['coordinate-stakeholders', 'Coordinate Across Stakeholders'],
      ['skills-leadership', 'Invest in Skill and Leadership Development'],
      ['internal-knowledge', 'Manage Internal Knowledge'],
      ['topics-for-impact', 'Identify Topics for Impact'],
      ['innovate-free-knowledge', 'Innovate in Free Knowledge'],
      ['evaluate-iterate-adapt', 'Evaluate, Iterate, and Adapt'],
    ]);
  });

  const scriptOf: Record<(typeof LANGS)[number], RegExp> = {
    en: /^[\x20-\x7e’]+$/,
    fr: /[a-zàâçéèêëîïôûùüÿœ]/i,
    ar: /[\u0600-\u06ff]/,
    ja: /[\u3040-\u30ff\u4e00-\u9fff]/,
  };
  test.each([...WORKING_GROUPS, ...RECOMMENDATIONS].map((t) => [t.key, t] as const))(
    '%s has a label and a one-paragraph description in en, ar, fr and ja',
    (_key, theme) => {
      for (const lang of LANGS) {
        const label = theme.label[lang];
        const description = theme.description[lang];
        expect(label.trim().length, `${lang} label`).toBeGreaterThan(0);
        expect(description.length, `${lang} description`).toBeGreaterThan(60);
        expect(description, `${lang} description is one paragraph`).not.toMatch(/\n/);
        expect(description, `${lang} description script`).toMatch(scriptOf[lang]);
      }
      // Real translations, not copies of the English text.
      expect(theme.description.fr).not.toBe(theme.description.en);
      expect(theme.label.ar).not.toBe(theme.label.en);
    },
  );

  test('keys are unique across both presets', () => {
    const keys = [...WORKING_GROUPS, ...RECOMMENDATIONS].map((t) => t.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(presetTheme('diversity')?.label.fr).toBe('Diversité');
    expect(presetTheme('nope')).toBeUndefined();
  });
});

describe('matchThemeHint', () => {
  test.each([
    ['English label, other case', 'Capacity building', 'capacity-building'],
    ['French label', 'Renforcement des capacités', 'capacity-building'],
    ['French label without accents', 'renforcement des capacites', 'capacity-building'],
    ['Arabic label', 'بناء القدرات', 'capacity-building'],
    ['Arabic label with harakat', 'بِنَاءُ القُدُرَاتِ', 'capacity-building'],
    ['"and" for "&"', 'Product and technology', 'product-technology'],
    ['ampersand, lower case', 'Roles & responsibilities', 'roles-responsibilities'],
    ['French "et"', 'Rôles et responsabilités', 'roles-responsibilities'],
    ['Arabic with و', 'الأدوار والمسؤوليات', 'roles-responsibilities'],
    ['Japanese label', '役割と責任', 'roles-responsibilities'],
    ['Japanese with a middle dot', '役割・責任', 'roles-responsibilities'],
    ['key slug', 'community-health', 'community-health'],
    ['hyphenated', 'Capacity-building', 'capacity-building'],
    ['singular of a plural label', 'Partnership', 'partnerships'],
    ['numbered heading', '3. Community Health', 'community-health'],
    ['markdown heading with a count', '## Diversity (12 notes)', 'diversity'],
    ['"Theme:" lead-in', 'Theme: Revenue streams', 'revenue-streams'],
    ['Spanish alias', 'Asignación de recursos', 'resource-allocation'],
    ['Japanese label', '多様性', 'diversity'],
  ])('%s: %s → %s', (_name, hint, key) => {
    expect(matchThemeHint(hint, WORKING_GROUPS)).toBe(key);
  });

  test.each([
    ['an interview heading', 'Interview with Ana'],
    ['a context heading', 'Context: 1:1 individual interviews'],
    ['a sentence that mentions a theme', 'We talked about diversity a lot'],
    ['a part of a label', 'Health'],
    ['empty', ''],
    ['blank', '   '],
    ['punctuation only', '## —'],
  ])('%s → null', (_name, hint) => {
    expect(matchThemeHint(hint, WORKING_GROUPS)).toBeNull();
  });

  test.each([
    ['recommendation by number and name', 'Recommendation 3: Provide for Safety and Inclusion', 'safety-inclusion'],
    ['French recommendation label', "Améliorer l'expérience utilisateur", 'user-experience'],
    ['short alias', 'Skills and leadership', 'skills-leadership'],
    ['Japanese label', '内部の知識を管理する', 'internal-knowledge'],
  ])('recommendations: %s', (_name, hint, key) => {
    expect(matchThemeHint(hint, RECOMMENDATIONS)).toBe(key);
  });

  test.each([
    ['custom label', 'Climate & environment', 'climate'],
    ['custom key slug', 'climate', 'climate'],
    ['preset key with an English-only label still matches other languages', 'Renforcement des capacités', 'capacity-building'],
  ])('custom themes: %s', (_name, hint, key) => {
    const themes: { key: string; label: string | LocalizedText }[] = [
      { key: 'climate', label: 'Climate and environment' },
      { key: 'capacity-building', label: 'Capacity Building' },
    ];
    expect(matchThemeHint(hint, themes)).toBe(key);
  });

  test('only themes of the given list are returned', () => {
    expect(matchThemeHint('Diversity', RECOMMENDATIONS)).toBeNull();
    expect(matchThemeHint('Diversity', [])).toBeNull();
  });

  test('never throws and returns a listed key or null, for any string', () => {
    const keys = new Set(WORKING_GROUPS.map((t) => t.key));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 })), (hint) => {
        const k = matchThemeHint(hint, WORKING_GROUPS);
        return k === null || keys.has(k);
      }),
      { numRuns: 3000 },
    );
  });
});
