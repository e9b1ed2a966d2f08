import { afterEach, describe, expect, test } from 'vitest';
import { createOpenAiLlm, type OpenAiLlmOptions } from '../../src/llm/openai';
import { type CachedTag, type TagCache, type TaggedItem, type TagWithLlmOptions, tagWithLlm } from '../../src/tagging/llm-tagger';
import { themeListHash } from '../../src/tagging/prompt';
import { answerItems, type Handler, keywordModel, type OpenAiTestServer, type RecordedRequest, startOpenAiTestServer } from '../support/openai-test-server';

const THEMES = [
  { key: 'advocacy', label: 'Advocacy', description: 'Public policy and law: copyright, freedom of panorama, censorship; public awareness.' },
  { key: 'capacity-building', label: 'Capacity Building', description: 'Training, workshops, mentoring and leadership.' },
  { key: 'diversity', label: 'Diversity', description: 'The gender gap, minority languages, people with disabilities.' },
  { key: 'product-technology', label: 'Product & Technology', description: 'Editing tools, mobile and offline access, software.' },
];
const classify = keywordModel({
  advocacy: /copyright|law|lobby|panorama|censor/i,
  'capacity-building': /training|workshop|mentor/i,
  diversity: /women|gender|indigenous|disab/i,
  'product-technology': /mobile|editor|offline|app\b/i,
});
const good: Handler = (request) => ({ answer: answerItems(request, classify) });

const ITEMS = [
  { id: 1, text: 'We must lobby for freedom of panorama in the new copyright law.' },
  { id: 2, text: 'More training workshops for new volunteers in small towns, please.' },
  { id: 'x-3', text: 'Women rarely stay after their first edit-a-thon; the gender gap is huge.' },
  { id: 4, text: 'The mobile editor is unusable offline in the villages.' },
  { id: 5, text: 'Thanks everyone, see you on Saturday!' },
  { id: 6, text: 'Indigenous women need a mobile app in their own language.' },
];
const EXPECTED: Record<string, CachedTag> = {
  1: { outcome: 'themes', themes: [{ key: 'advocacy', confidence: 0.9 }] },
  2: { outcome: 'themes', themes: [{ key: 'capacity-building', confidence: 0.9 }] },
  'x-3': { outcome: 'themes', themes: [{ key: 'diversity', confidence: 0.9 }] },
  4: { outcome: 'themes', themes: [{ key: 'product-technology', confidence: 0.9 }] },
  5: { outcome: 'none' },
  6: {
    outcome: 'themes',
    themes: [
      { key: 'diversity', confidence: 0.9 },
      { key: 'product-technology', confidence: 0.9 },
    ],
  },
};
const PARTS = { themeListHash: themeListHash(THEMES), model: 'test-model' };

let server: OpenAiTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: Handler, llmOpts: Partial<OpenAiLlmOptions> = {}) {
  server = await startOpenAiTestServer(handler);
  const sleeps: number[] = [];
  const llm = createOpenAiLlm({
    baseURL: server.baseURL,
    model: 'test-model',
    maxRetries: 1,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
    ...llmOpts,
  });
  return { llm, server, sleeps };
}

function memoryCache(): TagCache & { store: Map<string, CachedTag> } {
  const store = new Map<string, CachedTag>();
  return {
    store,
    get: async (keys) => new Map(keys.flatMap((k) => (store.has(k) ? [[k, store.get(k) as CachedTag] as const] : []))),
    put: async (entries) => {
      for (const [k, v] of entries) store.set(k, v);
    },
  };
}

const byId = (items: TaggedItem[]) => Object.fromEntries(items.map(({ id, ...tag }) => [String(id), tag]));
const texts = (r: RecordedRequest | undefined) => [...(r?.items?.values() ?? [])];
const opts = (more: Partial<TagWithLlmOptions> = {}): TagWithLlmOptions => ({ cacheKeyParts: PARTS, ...more });

/** Every input item exactly once, in order, with its own id. */
function expectOneOutcomeEach(items: TaggedItem[], input: readonly { id: string | number }[]) {
  expect(items.map((i) => i.id)).toEqual(input.map((i) => i.id));
  for (const item of items) expect(['themes', 'none', 'undecided', 'pending']).toContain(item.outcome);
}

describe('good answers', () => {
  test('one request for the corpus; multi-label, none, ids kept; tokens as the server counted them', async () => {
    const { llm, server } = await setup(good);
    const run = await tagWithLlm(llm, THEMES, ITEMS, opts());
    expectOneOutcomeEach(run.items, ITEMS);
    expect(byId(run.items)).toEqual(EXPECTED);
    expect(run.accounting).toEqual({
      requests: 1,
      promptTokens: server.usage.promptTokens,
      completionTokens: server.usage.completionTokens,
      cacheHits: 0,
      reasks: 0,
      isolated: 0,
    });
    expect(server.requests[0]?.items?.size).toBe(ITEMS.length);
    expect([...(server.requests[0]?.items?.keys() ?? [])]).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  test('identical texts (up to case, spacing, invisible marks) are sent once and tagged alike', async () => {
    const { llm, server } = await setup(good);
    const items = [
      { id: 'a1', text: 'More training please' },
      { id: 'a2', text: '  more   TRAINING please\u200f' },
      { id: 'a3', text: 'More training please' },
    ];
    const run = await tagWithLlm(llm, THEMES, items, opts());
    expect(server.requests[0]?.items?.size).toBe(1);
    expect(new Set(run.items.map(({ id: _, ...tag }) => JSON.stringify(tag))).size).toBe(1);
  });

  test('empty texts are `none` without a request', async () => {
    const { llm, server } = await setup(good);
    const run = await tagWithLlm(llm, THEMES, [{ id: 1, text: ' \u200e ' }], opts());
    expect(run.items).toEqual([{ id: 1, outcome: 'none' }]);
    expect(server.requests).toHaveLength(0);
  });

  test('confidences: above 1 read as percentages, above 100 clamped, duplicates merged, zeros dropped, highest first', async () => {
    const { llm } = await setup((request) => ({
      answer: {
        items: [...(request.items?.keys() ?? [])].map((id) => ({
          id,
          themes: [
            { key: 'diversity', confidence: 40 },
            { key: 'advocacy', confidence: 250 },
            { key: 'diversity', confidence: 0.6 },
            { key: 'capacity-building', confidence: 0 },
          ],
        })),
      },
    }));
    const run = await tagWithLlm(llm, THEMES, [ITEMS[0]!], opts());
    expect(run.items[0]).toEqual({
      id: 1,
      outcome: 'themes',
      themes: [
        { key: 'advocacy', confidence: 1 },
        { key: 'diversity', confidence: 0.6 },
      ],
    });
  });

  test('a server without json_schema: JSON mode, same tags', async () => {
    const { llm, server } = await setup((request) =>
      request.body.response_format?.type === 'json_schema' ? { status: 400, message: 'response_format json_schema is not supported' } : good(request, 0),
    );
    const run = await tagWithLlm(llm, THEMES, ITEMS, opts());
    expect(byId(run.items)).toEqual(EXPECTED);
    expect(server.requests.map((r) => r.body.response_format?.type)).toEqual(['json_schema', 'json_object']);
  });
});

describe('cache', () => {
  test('a second run over the same corpus sends nothing and gives identical tags', async () => {
    const { llm, server } = await setup(good);
    const cache = memoryCache();
    const first = await tagWithLlm(llm, THEMES, ITEMS, opts({ cache }));
    const sent = server.requests.length;
    const second = await tagWithLlm(llm, THEMES, ITEMS, opts({ cache }));
    expect(server.requests).toHaveLength(sent);
    expect(second.items).toEqual(first.items);
    expect(second.accounting).toMatchObject({ requests: 0, promptTokens: 0, completionTokens: 0, cacheHits: ITEMS.length });
  });

  test('another theme list, model or prompt version misses the cache', async () => {
    const { llm, server } = await setup(good);
    const cache = memoryCache();
    await tagWithLlm(llm, THEMES, ITEMS, opts({ cache }));
    await tagWithLlm(llm, THEMES, ITEMS, opts({ cache, cacheKeyParts: { ...PARTS, model: 'other-model' } }));
    await tagWithLlm(llm, THEMES, ITEMS, opts({ cache, cacheKeyParts: { ...PARTS, themeListHash: 'edited' } }));
    expect(server.requests).toHaveLength(3);
  });

  test('only decisions are cached: re-asks that ran out are asked again next time', async () => {
    const { llm, server } = await setup((request) => ({
      answer: answerItems(request, (text) => (text.startsWith('Women') ? { themes: [{ key: 'ecology', confidence: 1 }] } : classify(text))),
    }));
    const cache = memoryCache();
    await tagWithLlm(llm, THEMES, ITEMS, opts({ cache, maxReasks: 0 }));
    expect(cache.store.size).toBe(ITEMS.length - 1);
    server.setHandler(good);
    const again = await tagWithLlm(llm, THEMES, ITEMS, opts({ cache }));
    expect(texts(server.requests.at(-1))).toEqual([ITEMS[2]?.text]);
    expect(byId(again.items)).toEqual(EXPECTED);
  });
});

describe('validation and re-asks', () => {
  test('missing items: re-asked alone, with fresh short ids', async () => {
    const { llm, server } = await setup((request, call) => {
      const answer = answerItems(request, classify);
      return { answer: call === 0 ? { items: answer.items.filter((i) => i.id !== 'b' && i.id !== 'd') } : answer };
    });
    const run = await tagWithLlm(llm, THEMES, ITEMS, opts());
    expect(byId(run.items)).toEqual(EXPECTED);
    expect(server.requests).toHaveLength(2);
    expect(Object.fromEntries(server.requests[1]?.items ?? [])).toEqual({ a: ITEMS[1]?.text, b: ITEMS[3]?.text });
    expect(run.accounting).toMatchObject({ requests: 2, reasks: 1 });
  });

  test('unknown ids in an answer are ignored', async () => {
    const { llm, server } = await setup((request) => {
      const answer = answerItems(request, classify);
      return { answer: { items: [{ id: 'zz', themes: [{ key: 'advocacy', confidence: 1 }] }, { id: 'A', themes: [], none: true }, ...answer.items] } };
    });
    const run = await tagWithLlm(llm, THEMES, ITEMS, opts());
    expect(byId(run.items)).toEqual(EXPECTED);
    expect(server.requests).toHaveLength(1);
  });

  test('an invented theme key: only that item is re-asked', async () => {
    const { llm, server } = await setup((request, call) => ({
      answer: answerItems(request, (text) => (call === 0 && text.startsWith('Women') ? { themes: [{ key: 'gender-equity', confidence: 0.8 }] } : classify(text))),
    }));
    const run = await tagWithLlm(llm, THEMES, ITEMS, opts());
    expect(byId(run.items)).toEqual(EXPECTED);
    expect(texts(server.requests[1])).toEqual([ITEMS[2]?.text]);
  });

  test('still invalid after maxReasks → undecided with the reason; the others are tagged', async () => {
    const { llm, server } = await setup((request) => ({
      answer: answerItems(request, (text) => (text.startsWith('Women') ? { themes: [{ key: 'gender-equity', confidence: 0.8 }] } : classify(text))),
    }));
    const run = await tagWithLlm(llm, THEMES, ITEMS, opts({ maxReasks: 2 }));
    expectOneOutcomeEach(run.items, ITEMS);
    expect(byId(run.items)['x-3']).toEqual({ outcome: 'undecided', reason: 'no valid answer after 3 requests: unknown theme key "gender-equity"' });
    expect({ ...byId(run.items), 'x-3': EXPECTED['x-3'] }).toEqual(EXPECTED);
    expect(server.requests).toHaveLength(3);
    expect(run.accounting.reasks).toBe(2);
  });

  test('malformed JSON: the whole batch is asked again', async () => {
    const { llm, server } = await setup((request, call) => (call === 0 ? { content: '{"items": [{"id": "a", "themes": [' } : good(request, call)));
    const run = await tagWithLlm(llm, THEMES, ITEMS, opts());
    expect(byId(run.items)).toEqual(EXPECTED);
    expect(server.requests[1]?.items?.size).toBe(ITEMS.length);
  });

  test('malformed every time → undecided, never none', async () => {
    const { llm } = await setup(() => ({ content: 'Sorry, I cannot help with that.' }));
    const run = await tagWithLlm(llm, THEMES, ITEMS, opts({ maxReasks: 1 }));
    expectOneOutcomeEach(run.items, ITEMS);
    for (const item of run.items) expect(item).toMatchObject({ outcome: 'undecided', reason: expect.stringMatching(/after 2 requests: the answer is not valid JSON/) });
  });

  test.each([
    ['themes and none at once → re-asked', { themes: [{ key: 'advocacy', confidence: 0.5 }], none: true }, 2],
    ['no theme and not none → undecided by the model, not re-asked', { themes: [] }, 1],
  ])('%s', async (_name, verdict, requests) => {
    const { llm, server } = await setup((request) => ({ answer: answerItems(request, () => verdict) }));
    const run = await tagWithLlm(llm, THEMES, [ITEMS[0]!], opts({ maxReasks: 1 }));
    expect(run.items[0]?.outcome).toBe('undecided');
    expect(server.requests).toHaveLength(requests);
  });
});

describe('nothing is lost', () => {
  test('server down: every item pending, none folded into none or undecided', async () => {
    const { llm, sleeps } = await setup(() => ({ status: 500, message: 'down' }));
    const run = await tagWithLlm(llm, THEMES, ITEMS, opts());
    expectOneOutcomeEach(run.items, ITEMS);
    for (const item of run.items) expect(item).toMatchObject({ outcome: 'pending', reason: expect.stringMatching(/unavailable after 2 attempts: HTTP 500/) });
    expect(sleeps).toHaveLength(1);
  });

  test('an outage mid-run: batches done stay tagged, later ones are pending and not sent into the outage', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ id: i, text: `${ITEMS[i % ITEMS.length]?.text} (note ${i})` }));
    const { llm, server } = await setup((request, call) => (call === 0 ? good(request, call) : { status: 503, message: 'overloaded' }));
    const cache = memoryCache();
    const run = await tagWithLlm(llm, THEMES, many, opts({ cache, maxItemsPerBatch: 10, concurrency: 1 }));
    expectOneOutcomeEach(run.items, many);
    expect(run.items.slice(0, 10).every((i) => i.outcome !== 'pending')).toBe(true);
    expect(run.items.slice(10).every((i) => i.outcome === 'pending')).toBe(true);
    // batch 1 answered; batch 2 tried twice (maxRetries 1); batch 3 never sent
    expect(server.requests).toHaveLength(3);

    // a later run picks up exactly the pending ones
    server.setHandler(good);
    const later = await tagWithLlm(llm, THEMES, many, opts({ cache, maxItemsPerBatch: 10, concurrency: 1 }));
    expect(later.items.every((i) => i.outcome === 'themes' || i.outcome === 'none')).toBe(true);
    expect(later.accounting).toMatchObject({ cacheHits: 10, requests: 2 });
  });

  test('a timeout on every attempt: pending', async () => {
    const { llm } = await setup(() => ({ hang: true }), { timeoutMs: 40 });
    const run = await tagWithLlm(llm, THEMES, ITEMS.slice(0, 2), opts());
    expect(run.items.map((i) => i.outcome)).toEqual(['pending', 'pending']);
  });
});

describe('batches', () => {
  test('sized by the token budget: every request within it, the theme list once in each, every item sent once', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ id: i, text: `${ITEMS[i % ITEMS.length]?.text} Item number ${i} of the consultation.` }));
    const { llm, server } = await setup(good);
    const budget = 900;
    const run = await tagWithLlm(llm, THEMES, many, opts({ tokenBudget: budget }));
    expect(server.requests.length).toBeGreaterThan(2);
    for (const r of server.requests) {
      expect(r.promptTokens).toBeLessThanOrEqual(budget);
      const system = r.body.messages[0]?.content ?? '';
      expect(system.split('- capacity-building').length - 1).toBe(1);
    }
    expect(server.requests.flatMap(texts).sort()).toEqual(many.map((i) => i.text).sort());
    expect(run.items.every((i) => i.outcome === 'themes' || i.outcome === 'none')).toBe(true);
  });

  test('maxItemsPerBatch bounds a batch of tiny items', async () => {
    const { llm, server } = await setup(good);
    const tiny = Array.from({ length: 10 }, (_, i) => ({ id: i, text: `ok ${i}` }));
    await tagWithLlm(llm, THEMES, tiny, opts({ maxItemsPerBatch: 3 }));
    expect(server.requests.map((r) => r.items?.size)).toEqual([3, 3, 3, 1]);
  });

  test('a text longer than the budget is cut to fit a request of its own', async () => {
    const { llm, server } = await setup(good);
    const huge = { id: 'long', text: 'Training and mentoring for new editors. '.repeat(400) };
    const run = await tagWithLlm(llm, THEMES, [ITEMS[0]!, huge], opts({ tokenBudget: 1200 }));
    expect(run.items[1]).toMatchObject({ outcome: 'themes' });
    for (const r of server.requests) expect(r.promptTokens).toBeLessThanOrEqual(1200);
  });
});
