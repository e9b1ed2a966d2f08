import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { evaluate, loadLabelled, workingGroupTagger } from '../../scripts/eval-offline';
import { createOfflineTagger, droppedLexiconTerms, type OfflineTag } from '../../src/tagging/offline';
import { PRESETS } from '../../src/taxonomy/presets';

const here = dirname(fileURLToPath(import.meta.url));
const labelled = loadLabelled(join(here, '..', 'fixtures', 'tagging', 'labelled.json'));

const tagger = workingGroupTagger();
const recommendations = createOfflineTagger(
  PRESETS['wm2030-recommendations'].map((t) => ({ key: t.key, label: t.label.en, description: t.description.en })),
);

const primary = (tag: OfflineTag): string | null => (tag.outcome === 'themes' ? (tag.themes[0]?.key ?? null) : tag.outcome);

describe('offline tagger: working-group themes per language', () => {
  test.each([
    ['en', 'The copyright reform in parliament could make it illegal to upload photos of statues', 'advocacy'],
    ['en', 'Could the chapter run a monthly workshop so volunteers learn how to use Wikidata?', 'capacity-building'],
    ['en', 'Someone keeps harassing me on my talk page and the admins do nothing', 'community-health'],
    ['en', 'We hardly have any women editors and almost nothing in indigenous languages', 'diversity'],
    ['en', 'The city museum offered to share its collection if we sign an agreement', 'partnerships'],
    ['en', 'The visual editor keeps crashing on my phone', 'product-technology'],
    ['en', 'Small user groups never get grants because the budget goes to big chapters', 'resource-allocation'],
    ['en', 'Fundraising banners should run in our country too, and the donations stay local', 'revenue-streams'],
    ['en', 'Who decides what the regional hub does, the Foundation or the affiliates?', 'roles-responsibilities'],
    ['fr', 'La loi sur le droit d’auteur empêche de publier les photos des monuments', 'advocacy'],
    ['fr', 'Nous voulons une formation pour les nouveaux formateurs', 'capacity-building'],
    ['fr', 'Le harcèlement en ligne fait fuir les contributrices', 'community-health'],
    ['fr', 'Les bibliothèques universitaires veulent un partenariat', 'partnerships'],
    ['fr', 'Les subventions arrivent toujours en retard et le budget est trop petit', 'resource-allocation'],
    ['es', 'Necesitamos talleres de capacitación para editores nuevos en las provincias', 'capacity-building'],
    ['es', 'Hay muy pocas mujeres y casi nada en lenguas indígenas', 'diversity'],
    ['es', 'La aplicación móvil no funciona sin conexión', 'product-technology'],
    ['es', 'Podríamos recaudar fondos con donaciones locales', 'revenue-streams'],
    ['ar', 'نحتاج إلى تدريب المتطوعين على تحرير المقالات', 'capacity-building'],
    ['ar', 'التحرش في صفحات النقاش يجعل المحررات يغادرن', 'community-health'],
    ['ar', 'يجب أن تكون الشراكة مع المكتبات الوطنية أولوية', 'partnerships'],
    ['ar', 'المنح لا تصل إلى المجموعات الصغيرة', 'resource-allocation'],
    ['ar', 'من يتخذ القرارات في الحركة؟ يجب توضيح الأدوار', 'roles-responsibilities'],
    ['ja', '著作権法の改正に反対する声明を出すべきです', 'advocacy'],
    ['ja', '女性編集者が少なく、ジェンダーの偏りがあります', 'diversity'],
    ['ja', 'スマホのアプリが使いにくいです', 'product-technology'],
    ['ja', '寄付に頼りすぎず、収入源を増やすべきです', 'revenue-streams'],
    ['pt', 'Precisamos de oficinas de capacitação para professores', 'capacity-building'],
    ['de', 'Die Förderung für kleine Gruppen ist viel zu bürokratisch', 'resource-allocation'],
    ['bn', 'নারী সম্পাদকদের সংখ্যা খুব কম', 'diversity'],
  ])('[%s] %s → %s', (language, text, key) => {
    expect(primary(tagger.tag(text, language))).toBe(key);
  });
});

describe('offline tagger: recommendations preset', () => {
  test.each([
    ['The movement must become financially sustainable with more diverse revenue', 'sustainability'],
    ['The interface is confusing and not intuitive for readers on mobile', 'user-experience'],
    ['We need a code of conduct that protects volunteers from harassment', 'safety-inclusion'],
    ['Lessons learned from past projects are lost; nobody documents anything', 'internal-knowledge'],
    ['We should measure the impact of our programs with clear metrics', 'evaluate-iterate-adapt'],
    ['Invest in leadership development and training for organisers', 'skills-leadership'],
  ])('%s → %s', (text, key) => {
    expect(primary(recommendations.tag(text, 'en'))).toBe(key);
  });
});

describe('offline tagger: chit-chat and weak evidence', () => {
  test.each([
    ['thanks', 'Thanks a lot!'],
    ['ok', 'ok'],
    ['emoji only', '👍🙏🎉'],
    ['sticker placeholder punctuation', '...'],
    ['empty', ''],
    ['whitespace', ' \n\t '],
    ['a bare link', 'https://meet.example.org/abc-defg-hij'],
    ['meeting time', 'meeting at 5pm?'],
    ['greeting with emoji', 'Good morning everyone ☀️'],
    ['French thanks', 'Merci beaucoup 🙏'],
    ['French logistics', 'On se voit demain à 18h ?'],
    ['Spanish greeting', '¡Hola a todos!'],
    ['Arabic thanks', 'شكرا'],
    ['Arabic thanks with tanween', 'شكراً جزيلاً'],
    ['Arabic greeting', 'السلام عليكم ورحمة الله'],
    ['Japanese thanks', 'ありがとう'],
    ['Japanese acknowledgement', '了解しました！'],
    ['Portuguese thanks', 'Valeu, pessoal'],
    ['numbers only', '2023'],
    ['a long message about nothing in the themes', 'We went to the beach yesterday and the weather was lovely, then we had dinner at my cousin’s house'],
  ])('%s → none', (_name, text) => {
    expect(tagger.tag(text).outcome).toBe('none');
  });

  test.each([
    ['a bare reaction', 'I disagree'],
    ['a short question', 'What about it?'],
    ['a short Arabic question', 'ما رأيكم في هذا الاقتراح؟'],
    ['a short Japanese reaction', 'そう思います'],
  ])('%s → undecided', (_name, text) => {
    expect(tagger.tag(text).outcome).toBe('undecided');
  });

  test('a long comment that opens with thanks is still feedback', () => {
    const tag = tagger.tag(
      'Thank you for organising this consultation. I think the grant process is too slow for small user groups and the reports take weeks.',
    );
    expect(primary(tag)).toBe('resource-allocation');
  });
});

describe('offline tagger: behaviour', () => {
  test('multi-label: every theme within reach of the best is returned, strongest first', () => {
    const tag = tagger.tag('Harassment of women editors is the main reason the gender gap does not close', 'en');
    expect(tag.outcome).toBe('themes');
    if (tag.outcome !== 'themes') return;
    const keys = tag.themes.map((t) => t.key);
    expect(keys).toContain('community-health');
    expect(keys).toContain('diversity');
    const confidences = tag.themes.map((t) => t.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
  });

  test('Arabic spelling variants fold together: harakat, tatweel, alef forms, ta marbuta, alef maqsura', () => {
    const plain = tagger.tag('نحتاج الى دورة تدريبية للمتطوعين', 'ar');
    const decorated = tagger.tag('نَحْتَاجُ إلى دَوْرَةٍ تـدريـبـيـة لِلْمُتَطَوِّعِين', 'ar');
    const variant = tagger.tag('نحتاج إلي دوره تدريبيه للمتطوعين', 'ar');
    expect(primary(plain)).toBe('capacity-building');
    expect(decorated).toEqual(plain);
    expect(variant).toEqual(plain);
  });

  test('deterministic: same input, same output — across calls, instances and whatever was tagged before', () => {
    const text = 'Les subventions devraient aller aux petites communautés, et la formation aussi';
    const first = tagger.tag(text, 'fr');
    for (const item of labelled.slice(0, 40)) tagger.tag(item.text, item.language);
    expect(tagger.tag(text, 'fr')).toEqual(first);
    expect(workingGroupTagger().tag(text, 'fr')).toEqual(first);
    expect(tagger.tag(text, null)).toEqual(first);
  });

  test('the language argument is a hint only: wrong or odd values change nothing for spaced scripts', () => {
    const text = 'The mobile app crashes when I upload photos';
    const expected = tagger.tag(text, 'en');
    for (const language of [undefined, null, 'xx', 'not a locale!', 'ja', '']) expect(tagger.tag(text, language)).toEqual(expected);
  });

  test('one word counts once per concept even when several languages list it (museum, museum*, museu*)', () => {
    const e = tagger.explain('museums', 'en');
    expect(e.matched.filter((m) => m.concept === 'partners')).toHaveLength(1);
  });

  test('a phrase swallows the words inside it: "code of conduct" is not evidence about code', () => {
    const e = tagger.explain('The code of conduct is not enforced', 'en');
    expect(e.matched.map((m) => m.concept)).toEqual(['safety']);
    expect(e.tag).toEqual(tagger.tag('The code of conduct is not enforced', 'en'));
  });

  test.each([
    ['"quite" is not "quit"', 'The workshop was quite long', 'newcomers'],
    ['"granted" is not a grant', 'We take our volunteers for granted', 'grants'],
    ['"offline meetups" are not offline access', 'We met at offline meetups every month', 'technology'],
    ['"au cours de" is not a course', 'Au cours de la réunion, nous avons parlé du budget', 'training'],
    ['"formar parte" is not training', 'Quiero formar parte del grupo', 'training'],
    ['日程調整 is scheduling, not coordination', '日程調整をお願いします', 'coordination'],
  ])('false friends add no evidence: %s', (_name, text, concept) => {
    expect(tagger.explain(text).matched.map((m) => m.concept)).not.toContain(concept);
  });

  test('every lexicon term compiles to at least one word', () => {
    expect(droppedLexiconTerms()).toEqual([]);
  });
});

describe('offline tagger: custom themes', () => {
  const custom = createOfflineTagger([
    {
      key: 'climate',
      label: 'Climate',
      description: 'Environmental footprint of events and travel, carbon emissions, flights, green hosting and sustainable practices.',
    },
    {
      key: 'photo-contests',
      label: 'Photo contests',
      description: 'Wiki Loves Monuments, Wiki Loves Earth and other photography competitions: juries, prizes, uploads of pictures.',
    },
    {
      key: 'training',
      label: 'Capacity building',
      description: 'Workshops and mentoring.',
    },
  ]);

  test.each([
    ['description words', 'Flying everyone to the conference has a huge carbon footprint', 'climate'],
    ['label word', 'The climate impact of our events is never discussed', 'climate'],
    ['description words', 'The jury of the photography contest gave all the prizes to professionals', 'photo-contests'],
    ['a label naming a preset borrows its multilingual lexicon', 'Nous avons besoin de formations pour les bénévoles', 'training'],
    ['…in Arabic too', 'نحتاج إلى دورات تدريبية', 'training'],
  ])('%s: %s → %s', (_name, text, key) => {
    expect(primary(custom.tag(text))).toBe(key);
  });

  test('a Japanese custom theme is matched through word segmentation of its description', () => {
    const ja = createOfflineTagger([
      { key: 'wikidata', label: 'ウィキデータ', description: 'ウィキデータの構造化データ、プロパティ、クエリの活用' },
      { key: 'events', label: 'イベント運営', description: '会場の確保、参加者の募集、当日の進行' },
    ]);
    expect(primary(ja.tag('クエリの書き方がわからないので、プロパティの説明がほしい', 'ja'))).toBe('wikidata');
    expect(primary(ja.tag('会場の確保が毎回大変で、参加者もなかなか集まらない', 'ja'))).toBe('events');
  });

  test('with no themes at all, everything is none or undecided', () => {
    const empty = createOfflineTagger([]);
    expect(empty.tag('We need more grants').outcome).not.toBe('themes');
  });
});

describe('offline tagger: labelled set (quality floor, not a timing)', () => {
  test('the set has the promised shape', () => {
    expect(labelled.length).toBeGreaterThanOrEqual(150);
    const perTheme = new Map<string, number>();
    const perLanguage = new Map<string, number>();
    for (const item of labelled) {
      const key = item.themes[0] ?? 'none';
      perTheme.set(key, (perTheme.get(key) ?? 0) + 1);
      perLanguage.set(item.language, (perLanguage.get(item.language) ?? 0) + 1);
    }
    for (const t of PRESETS['wm2030-working-groups']) expect(perTheme.get(t.key), t.key).toBeGreaterThanOrEqual(14);
    expect(perTheme.get('none')).toBeGreaterThanOrEqual(15);
    for (const lang of ['ar', 'fr', 'es', 'ja']) expect(perLanguage.get(lang), lang).toBeGreaterThanOrEqual(20);
  });

  test('top-1 accuracy ≥ 0.70 overall and on the held-out third; chit-chat comes out none', () => {
    const r = evaluate(tagger, labelled);
    const rate = (t: { correct: number; total: number }) => t.correct / t.total;
    expect(rate(r.top1)).toBeGreaterThanOrEqual(0.7);
    expect(rate(r.heldOut)).toBeGreaterThanOrEqual(0.7);
    expect(rate(r.nonePrecision)).toBeGreaterThanOrEqual(0.8);
    expect(rate(r.noneRecall)).toBeGreaterThanOrEqual(0.8);
  });
});

describe('offline tagger: property', () => {
  const keys = new Set(PRESETS['wm2030-working-groups'].map((t) => t.key));
  const mutated = fc
    .tuple(fc.constantFrom(...labelled.map((i) => i.text)), fc.nat(), fc.string({ unit: 'binary', maxLength: 12 }))
    .map(([text, at, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice(at % (text.length + 1)));
  const input = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ unit: 'grapheme', maxLength: 120 }),
    mutated,
  );

  test('10,000 random and mutated strings: never throws, valid outcome, confidences in (0, 1], strongest first', () => {
    fc.assert(
      fc.property(input, fc.constantFrom(undefined, null, 'en', 'ar', 'ja', 'zh', 'th', '??'), (text, language) => {
        const tag = tagger.tag(text, language);
        if (tag.outcome !== 'themes') return tag.outcome === 'none' || tag.outcome === 'undecided';
        if (tag.themes.length === 0 || tag.themes.length > 3) return false;
        let previous = Number.POSITIVE_INFINITY;
        for (const t of tag.themes) {
          if (!keys.has(t.key) || !(t.confidence > 0 && t.confidence <= 1) || t.confidence > previous) return false;
          previous = t.confidence;
        }
        return new Set(tag.themes.map((t) => t.key)).size === tag.themes.length;
      }),
      { numRuns: 10_000 },
    );
  });
});
