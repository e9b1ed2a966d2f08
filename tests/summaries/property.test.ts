/**
 * Whatever the items and whatever the model answers, every point shown cites known items only and its
 * quote is a verbatim excerpt of its first citation.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { summariseExtractive } from '../../src/summaries/extractive';
import { summariseWithLlm } from '../../src/summaries/llm';
import { normaliseQuote, quoteMatches } from '../../src/summaries/quote';
import type { Summary, SummaryItem } from '../../src/summaries/types';
import { type FakeReply, type FakeRequest, fakeLlm } from './fake-llm';

const WORDS = [
  'grants', 'arrive', 'too', 'late', 'for', 'small', 'groups', 'training', 'editors', 'the', 'we', 'need',
  'subventions', 'arrivent', 'en', 'retard', 'formation', 'à', 'élèves',
  'المنح', 'لا', 'تصل', 'إلى', 'المجموعات', 'الصغيرة', 'تدريب',
  'スマホの', 'アプリが', '使いにくい', 'です。', '図書館', 'と協力',
  'ภาษาไทย', '👍', '+1', '...', '“quoted”', 'e\u0301cole',
];
const SEPARATORS = [' ', ' ', ' ', '  ', '\n', ' \u200F', '\u200E ', '\u00A0', '\t', ''];

const phrase = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 14 })
  .map((parts) => parts.map(([w, s]) => w + s).join(''));
const text = fc.oneof({ weight: 4, arbitrary: phrase }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) });

const itemSet = fc
  .uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 100_000 }), text, participant: fc.option(fc.constantFrom('P-A', 'P-B', 'P-C', 'P-D')) }), {
    selector: (r) => r.id,
    maxLength: 24,
  })
  .map((rows): SummaryItem[] => rows.map((r) => ({ ...r, language: null, context: null })));

/** What is wrong with a summary's points (empty when every point is grounded). */
function problems(summary: Summary, items: readonly SummaryItem[], maxPoints: number): string[] {
  const byId = new Map(items.map((i) => [i.id, i.text]));
  const out: string[] = [];
  if (summary.points.length > maxPoints) out.push(`${summary.points.length} points`);
  summary.points.forEach((p, k) => {
    if (p.citations.length === 0) out.push(`point ${k}: no citations`);
    if (new Set(p.citations).size !== p.citations.length) out.push(`point ${k}: repeated citations`);
    for (const id of p.citations) if (!byId.has(id)) out.push(`point ${k}: unknown item ${id}`);
    if (!quoteMatches(p.quote, byId.get(p.citations[0] ?? -1) ?? '')) out.push(`point ${k}: quote not in its first citation`);
    if (normaliseQuote(p.text).length === 0) out.push(`point ${k}: empty text`);
  });
  return out;
}

/** A model answering at random from a seed: good, partly wrong, invented or unreadable. */
function chaoticModel(seed: number): (request: FakeRequest) => FakeReply {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(a: readonly T[]): T | undefined => a[int(a.length)];
  const excerpt = (t: string) => {
    const chars = Array.from(t);
    const start = int(chars.length);
    return chars.slice(start, start + 1 + int(30)).join('');
  };
  const quoteFrom = (texts: string[]): string => {
    const t = pick(texts) ?? '';
    switch (int(6)) {
      case 0:
        return t;
      case 1:
        return excerpt(t);
      case 2: {
        const q = Array.from(excerpt(t));
        q[int(q.length)] = 'x';
        return q.join('');
      }
      case 3:
        return `“${excerpt(t)}”`;
      case 4:
        return pick(WORDS) ?? '';
      default:
        return `${excerpt(t)} ${excerpt(pick(texts) ?? '')}`;
    }
  };
  return (request) => {
    const roll = rnd();
    if (roll < 0.08) return { raw: pick(['', '{', 'points: none', '{"points": [{"text": 1}]}']) ?? '' };
    if (roll < 0.1) return { json: { points: 'none' } };
    if (request.kind === 'map') {
      const ids = request.items.map((i) => i.id);
      const texts = request.items.map((i) => i.text);
      const points = Array.from({ length: int(11) }, () => ({
        text: pick(['Point', '', 'نقطة', '要点', ' ']) ?? '',
        citations: [...Array.from({ length: int(4) }, () => pick(ids) ?? 'i1'), ...(rnd() < 0.2 ? ['i999', 'p1', ''] : [])],
        quote: quoteFrom(texts),
      }));
      return { json: { points } };
    }
    const ids = request.partials.map((p) => p.id);
    const points = Array.from({ length: int(11) }, () => ({
      text: pick(['Merged', '', 'Fusion']) ?? '',
      sources: [...Array.from({ length: int(4) }, () => pick(ids) ?? 'p1'), ...(rnd() < 0.2 ? ['p999', 'i1'] : [])],
      quoteFrom: rnd() < 0.85 ? (pick(ids) ?? 'p1') : 'p999',
    }));
    return { json: { points } };
  };
}

describe('property: every quote shown is grounded', () => {
  test('LLM path, chaotic model, 2,000 runs', async () => {
    await fc.assert(
      fc.asyncProperty(
        itemSet,
        fc.integer(),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 2 }),
        async (items, seed, chunkSize, mergeFanIn, maxPoints, maxReasks) => {
          const llm = fakeLlm(chaoticModel(seed));
          const theme = { key: 't', label: 'Theme', description: '' };
          const summary = await summariseWithLlm(llm, theme, items, { language: 'en', chunkSize, mergeFanIn, maxPoints, maxReasks });
          expect(problems(summary, items, maxPoints)).toEqual([]);
          expect(summary.usage?.requests).toBe(llm.requests.length);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('extractive path, 2,000 runs, independent of input order', () => {
    fc.assert(
      fc.property(itemSet, fc.integer({ min: 1, max: 8 }), (items, maxPoints) => {
        const summary = summariseExtractive(items, { maxPoints });
        expect(problems(summary, items, maxPoints)).toEqual([]);
        expect(summariseExtractive([...items].reverse(), { maxPoints })).toEqual(summary);
      }),
      { numRuns: 2000 },
    );
  });
});
