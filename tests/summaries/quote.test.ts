import { describe, expect, test } from 'vitest';
import { findQuote, normaliseQuote, quoteMatches, unwrapQuote, validatePoints } from '../../src/summaries/quote';

const RLM = '\u200F';
const LRM = '\u200E';

describe('quoteMatches', () => {
  test.each([
    ['an exact excerpt', 'grants arrive too late', 'The grants arrive too late for small groups.', true],
    ['the whole item', 'The grants arrive too late for small groups.', 'The grants arrive too late for small groups.', true],
    ['extra spaces and a newline in the item', 'grants arrive too late', 'The grants  arrive\n too late for us', true],
    ['extra spaces in the quote', '  grants   arrive too   late ', 'The grants arrive too late for us', true],
    ['no-break and narrow spaces', 'grants arrive too late', 'The grants\u00A0arrive\u202Ftoo late', true],
    ['Arabic with RLM marks in the item', 'المنح لا تصل إلى المجموعات الصغيرة', `${RLM}المنح لا تصل ${RLM}إلى المجموعات الصغيرة${RLM} أبدا`, true],
    ['Arabic with bidi marks in the quote', `${RLM}المنح لا تصل${LRM} إلى المجموعات`, 'المنح لا تصل إلى المجموعات الصغيرة', true],
    ['Arabic with a zero-width joiner and BOM', 'المنح لا تصل إلى', '\uFEFFالمنح لا\u200D تصل إلى المجموعات', true],
    ['Japanese excerpt of 8 characters', 'アプリが使いにくい', 'スマホのアプリが使いにくいです。', true],
    ['Japanese whole short item', '賛成です', '賛成です', true],
    ['composed vs decomposed accents', 'Les subventions arrivent en re\u0301gion', 'Les subventions arrivent en région trop tard', true],
    ['surrounding quotation marks', '“grants arrive too late”', 'The grants arrive too late for us', true],
    ['Japanese brackets', '「アプリが使いにくい」', 'スマホのアプリが使いにくいです', true],
    ['trailing ellipsis', 'grants arrive too late…', 'The grants arrive too late for us', true],
    ['a paraphrase', 'grants come too late', 'The grants arrive too late for small groups.', false],
    ['a translation', 'les subventions arrivent trop tard', 'The grants arrive too late for small groups.', false],
    ['case changed', 'Grants arrive too late', 'The grants arrive too late for small groups.', false],
    ['curly apostrophe replaced by a straight one', "we can't get grants", 'we can’t get grants in time', false],
    ['an ellipsis joining two passages', 'grants arrive … small groups', 'The grants arrive too late for small groups.', false],
    ['too short: two words', 'too late', 'The grants arrive too late for small groups.', false],
    ['too short: punctuation only', '............', '............ is what he typed and nothing else', false],
    ['too short: 4 Japanese characters', 'アプリが', 'スマホのアプリが使いにくいです', false],
    ['empty quote', '', 'anything at all here', false],
  ])('%s', (_name, quote, item, expected) => {
    expect(quoteMatches(quote, item)).toBe(expected);
  });

  test('the found quote is the normalised excerpt, without wrappers', () => {
    expect(findQuote(' “grants  arrive too late” ', `The grants${RLM} arrive too late`)).toBe('grants arrive too late');
    expect(normaliseQuote(`a${RLM}  b\n`)).toBe('a b');
    expect(unwrapQuote('«…Bonjour à tous…»')).toBe('Bonjour à tous');
  });
});

describe('validatePoints', () => {
  const items = [
    { id: 1, text: 'The grants arrive too late for small groups.' },
    { id: 2, text: 'We need more training for new editors in our region.' },
    { id: 3, text: `${RLM}المنح لا تصل إلى المجموعات الصغيرة` },
    { id: 4, text: 'スマホのアプリが使いにくいです' },
  ];

  test.each([
    ['a good point', { text: 'Grants are late', citations: [1], quote: 'grants arrive too late' }, { kept: [1], reason: null }],
    ['quote from the second citation comes first', { text: 'x', citations: [2, 1], quote: 'grants arrive too late' }, { kept: [1, 2], reason: null }],
    ['unknown citations dropped, known kept', { text: 'x', citations: [99, 1, 1], quote: 'grants arrive too late' }, { kept: [1], reason: null }],
    ['Arabic quote', { text: 'المنح', citations: [3], quote: 'المنح لا تصل إلى المجموعات' }, { kept: [3], reason: null }],
    ['Japanese quote', { text: 'アプリ', citations: [4], quote: 'アプリが使いにくい' }, { kept: [4], reason: null }],
    ['a paraphrased quote', { text: 'x', citations: [1], quote: 'grants come much too late' }, { kept: null, reason: 'quote-not-found' }],
    ['a quote from an uncited item', { text: 'x', citations: [2], quote: 'grants arrive too late' }, { kept: null, reason: 'quote-from-uncited-item' }],
    ['only unknown citations', { text: 'x', citations: [98, 99], quote: 'grants arrive too late' }, { kept: null, reason: 'no-citations' }],
    ['no citations', { text: 'x', citations: [], quote: 'grants arrive too late' }, { kept: null, reason: 'no-citations' }],
    ['a fragment too short to count', { text: 'x', citations: [1], quote: 'too late' }, { kept: null, reason: 'quote-too-short' }],
    ['an empty text', { text: '  ', citations: [1], quote: 'grants arrive too late' }, { kept: null, reason: 'empty-text' }],
  ])('%s', (_name, point, expected) => {
    const result = validatePoints([point], items);
    if (expected.kept) {
      expect(result.rejected).toEqual([]);
      expect(result.kept[0]?.citations).toEqual(expected.kept);
      expect(quoteMatches(result.kept[0]?.quote ?? '', items.find((i) => i.id === expected.kept[0])?.text ?? '')).toBe(true);
    } else {
      expect(result.kept).toEqual([]);
      expect(result.rejected[0]?.reason).toBe(expected.reason);
      expect(result.rejected[0]?.point).toBe(point);
    }
  });

  test('counts unknown citations and keeps points in order', () => {
    const result = validatePoints(
      [
        { text: 'a', citations: [1, 7], quote: 'grants arrive too late' },
        { text: 'b', citations: [2, 8], quote: 'more training for new editors' },
      ],
      items,
    );
    expect(result.kept.map((p) => p.text)).toEqual(['a', 'b']);
    expect(result.unknownCitations).toBe(2);
  });
});
