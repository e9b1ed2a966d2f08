import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createOpenAiLlm, type OpenAiLlmOptions, parseJsonText, toStrictSchema } from '../../src/llm/openai';
import { type LlmRequest, LlmUnavailableError } from '../../src/llm/types';
import { type Handler, type OpenAiTestServer, startOpenAiTestServer } from '../support/openai-test-server';

const Answer = z.object({ label: z.string(), score: z.number(), note: z.string().optional() });
type Answer = z.infer<typeof Answer>;
const REQUEST: LlmRequest<Answer> = {
  messages: [
    { role: 'system', content: 'Label the text.' },
    { role: 'user', content: 'We need more training.' },
  ],
  schema: Answer,
  schemaName: 'label',
  maxTokens: 50,
};
const GOOD = { label: 'capacity', score: 0.8 };

let server: OpenAiTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A client on a fresh test server; sleeps are recorded, never waited. */
async function setup(handler: Handler, opts: Partial<OpenAiLlmOptions> = {}) {
  server = await startOpenAiTestServer(handler);
  const sleeps: number[] = [];
  const llm = createOpenAiLlm({
    baseURL: server.baseURL,
    model: 'test-model',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    now: () => Date.parse('2026-11-21T10:00:00Z'),
    ...opts,
  });
  return { llm, sleeps, server };
}

describe('structured output', () => {
  test('sends a strict json_schema built from the zod schema and returns the validated value with usage', async () => {
    const { llm, server } = await setup(() => ({ answer: { ...GOOD, note: null } }));
    const res = await llm.complete(REQUEST);
    expect(res).toMatchObject({ ok: true, value: GOOD });
    // strict mode made `note` required-but-nullable; the null is dropped before the zod check
    expect(res.ok && 'note' in res.value).toBe(false);
    const body = server.requests[0]?.body;
    expect(body?.response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'label',
        strict: true,
        schema: {
          type: 'object',
          properties: { label: { type: 'string' }, score: { type: 'number' }, note: { type: ['string', 'null'] } },
          required: ['label', 'score', 'note'],
          additionalProperties: false,
        },
      },
    });
    expect(body).toMatchObject({ model: 'test-model', temperature: 0, max_tokens: 50 });
    expect(res.usage.promptTokens).toBe(server.requests[0]?.promptTokens);
    expect(res.usage.completionTokens).toBeGreaterThan(0);
  });

  test.each([
    ['malformed JSON', '{"label": "capacity", "score": ', /not valid JSON/],
    ['prose only', 'I think this is about capacity building.', /not valid JSON/],
    ['wrong type', '{"label": 3, "score": 0.8}', /does not match the schema/],
    ['missing field', '{"label": "capacity"}', /does not match the schema/],
    ['empty', '', /empty/],
  ])('%s → ok:false with the raw text and usage (the caller may re-ask)', async (_name, content, error) => {
    const { llm } = await setup(() => ({ content }));
    const res = await llm.complete(REQUEST);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error).toMatch(error);
    expect(res.raw).toBe(content);
    expect(res.usage.promptTokens).toBeGreaterThan(0);
  });

  test('an answer cut off at the token limit is not used even when it parses', async () => {
    const { llm } = await setup(() => ({ content: JSON.stringify(GOOD), finishReason: 'length' }));
    expect(await llm.complete(REQUEST)).toMatchObject({ ok: false, error: /cut off/ });
  });

  test('a server that leaves usage out is counted with our tokenizer', async () => {
    const { llm, server } = await setup(() => ({ content: JSON.stringify(GOOD), withoutUsage: true }));
    const res = await llm.complete(REQUEST);
    // the server also counts the json_schema; our estimate counts the messages only
    expect(res.usage.promptTokens).toBeGreaterThan(0);
    expect(res.usage.promptTokens).toBeLessThanOrEqual(server.requests[0]?.promptTokens ?? 0);
  });

  test('json_schema rejected with a 400 → JSON mode with the schema in the prompt, remembered for later calls', async () => {
    const { llm, server } = await setup((req) =>
      req.body.response_format?.type === 'json_schema'
        ? { status: 400, message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model." }
        : { content: `Sure!\n\`\`\`json\n${JSON.stringify(GOOD)}\n\`\`\`` },
    );
    expect(await llm.complete(REQUEST)).toMatchObject({ ok: true, value: GOOD });
    expect(await llm.complete(REQUEST)).toMatchObject({ ok: true, value: GOOD });
    expect(server.requests.map((r) => r.body.response_format?.type)).toEqual(['json_schema', 'json_object', 'json_object']);
    expect(server.requests[1]?.body.messages.at(-1)?.content).toMatch(/JSON Schema/);
    expect(llm.outputMode).toBe('json_object');
  });

  test('requests in flight that all hit the json_schema rejection step down once, not twice', async () => {
    const { llm, server } = await setup((req) =>
      req.body.response_format?.type === 'json_schema' ? { status: 400, message: 'response_format json_schema is not supported', delayMs: 20 } : { answer: GOOD },
    );
    const all = await Promise.all(Array.from({ length: 4 }, () => llm.complete(REQUEST)));
    expect(all.every((r) => r.ok)).toBe(true);
    expect(llm.outputMode).toBe('json_object');
    expect(server.requests.filter((r) => r.body.response_format === undefined)).toHaveLength(0);
  });

  test('JSON mode rejected too → the prompt alone, validated by the same schema', async () => {
    const { llm, server } = await setup((req) =>
      req.body.response_format ? { status: 400, message: 'response_format is not supported' } : { content: JSON.stringify({ label: 'x' }) },
    );
    const res = await llm.complete(REQUEST);
    expect(res).toMatchObject({ ok: false, error: /does not match the schema/ });
    expect(server.requests.map((r) => r.body.response_format?.type ?? 'none')).toEqual(['json_schema', 'json_object', 'none']);
    expect(llm.outputMode).toBe('prompt');
  });

  test.each([
    ['max_tokens → max_completion_tokens', "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", { max_completion_tokens: 50 }],
    ['output cap too large for the context → no cap', "This model's maximum context length is 4096 tokens. However, you requested 9000 tokens (max_tokens)", {}],
    ['temperature not supported → default temperature', "Unsupported value: 'temperature' does not support 0 with this model.", { max_tokens: 50 }],
  ])('a 400 about %s is adapted to once', async (_name, message, expected) => {
    const { llm, server } = await setup((_req, call) => (call === 0 ? { status: 400, message } : { answer: GOOD }));
    expect(await llm.complete(REQUEST)).toMatchObject({ ok: true });
    const second = server.requests[1]?.body;
    expect(second).toMatchObject(expected);
    if (!('max_tokens' in expected)) expect(second?.max_tokens).toBeUndefined();
  });
});

describe('retries', () => {
  test('429 with retry-after: the injected sleep gets the header value, then the answer is used', async () => {
    const { llm, sleeps, server } = await setup((_req, call) =>
      call === 0 ? { status: 429, message: 'Rate limit reached', headers: { 'retry-after': '7' } } : { answer: GOOD },
    );
    expect(await llm.complete(REQUEST)).toMatchObject({ ok: true, value: GOOD });
    expect(sleeps).toEqual([7000]);
    expect(server.requests).toHaveLength(2);
  });

  test.each([
    ['retry-after-ms wins over retry-after', { 'retry-after-ms': '1500', 'retry-after': '9' }, 1500],
    ['retry-after as an HTTP date', { 'retry-after': 'Sat, 21 Nov 2026 10:00:12 GMT' }, 12_000],
    ['503 with retry-after', { 'retry-after': '3' }, 3000],
  ])('%s', async (_name, headers, expected) => {
    const { llm, sleeps } = await setup((_req, call) => (call === 0 ? { status: headers['retry-after'] === '3' ? 503 : 429, message: 'slow down', headers } : { answer: GOOD }));
    await llm.complete(REQUEST);
    expect(sleeps).toEqual([expected]);
  });

  test('500s: exponential backoff with jitter (base 500 ms), then LlmUnavailableError after maxRetries', async () => {
    const { llm, sleeps, server } = await setup(() => ({ status: 500, message: 'boom' }));
    await expect(llm.complete(REQUEST)).rejects.toThrow(LlmUnavailableError);
    expect(server.requests).toHaveLength(5);
    // random() = 0.5 → three quarters of each step: 500, 1000, 2000, 4000 ms steps
    expect(sleeps).toEqual([375, 750, 1500, 3000]);
  });

  test('a retry-after longer than two minutes is not waited for: the endpoint counts as unavailable now', async () => {
    const { llm, sleeps } = await setup(() => ({ status: 429, message: 'quota', headers: { 'retry-after': '3600' } }));
    await expect(llm.complete(REQUEST)).rejects.toThrow(/asked to wait 3600 s/);
    expect(sleeps).toEqual([]);
  });

  test.each([
    [401, 'Incorrect API key provided'],
    [403, 'forbidden'],
    [404, 'The model `nope` does not exist'],
    [400, 'Invalid value for messages'],
  ])('HTTP %i is not retried: LlmUnavailableError at once', async (status, message) => {
    const { llm, sleeps, server } = await setup(() => ({ status, message }));
    await expect(llm.complete(REQUEST)).rejects.toThrow(LlmUnavailableError);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  test('408 is retried', async () => {
    const { llm, server } = await setup((_req, call) => (call === 0 ? { status: 408, message: 'timeout' } : { answer: GOOD }));
    expect(await llm.complete(REQUEST)).toMatchObject({ ok: true });
    expect(server.requests).toHaveLength(2);
  });

  test('a slow reply past the timeout is abandoned and retried', async () => {
    const { llm, sleeps, server } = await setup((_req, call) => (call === 0 ? { answer: GOOD, delayMs: 1000 } : { answer: GOOD }), { timeoutMs: 100 });
    expect(await llm.complete(REQUEST)).toMatchObject({ ok: true });
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  test('a server that never answers → LlmUnavailableError after the retries, each attempt bounded by the timeout', async () => {
    const { llm, server } = await setup(() => ({ hang: true }), { timeoutMs: 50, maxRetries: 2 });
    await expect(llm.complete(REQUEST)).rejects.toThrow(/after 3 attempts: no answer within 50 ms/);
    expect(server.requests).toHaveLength(3);
  });

  test('dropped connections are retried', async () => {
    const { llm, server } = await setup((_req, call) => (call < 2 ? { drop: true } : { answer: GOOD }));
    expect(await llm.complete(REQUEST)).toMatchObject({ ok: true });
    expect(server.requests).toHaveLength(3);
  });

  test('nothing listening → LlmUnavailableError', async () => {
    const { llm, server } = await setup(() => ({ answer: GOOD }), { maxRetries: 1 });
    await server.close();
    await expect(llm.complete(REQUEST)).rejects.toThrow(/connection failed/);
  });
});

test('at most `concurrency` requests in flight', async () => {
  const { llm, server } = await setup(() => ({ answer: GOOD, delayMs: 30 }), { concurrency: 2 });
  const all = await Promise.all(Array.from({ length: 7 }, () => llm.complete(REQUEST)));
  expect(all.every((r) => r.ok)).toBe(true);
  expect(server.requests).toHaveLength(7);
  expect(server.maxInFlight).toBe(2);
});

describe('parseJsonText', () => {
  test.each([
    ['plain object', '{"a":1}', { a: 1 }],
    ['surrounding whitespace', '\n  {"a":1}  \n', { a: 1 }],
    ['json fence', 'Here:\n```json\n{"a":1}\n```', { a: 1 }],
    ['bare fence', '```\n{"a":[1,2]}\n```', { a: [1, 2] }],
    ['prose around an object', 'The answer is {"a":{"b":2}} as requested.', { a: { b: 2 } }],
  ])('%s', (_name, raw, value) => {
    expect(parseJsonText(raw)).toEqual({ ok: true, value });
  });

  test.each([
    ['truncated', '{"a":'],
    ['no JSON', 'no idea'],
    ['empty', '   '],
  ])('%s → a readable error', (_name, raw) => {
    const res = parseJsonText(raw);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error).toMatch(/JSON|empty/);
  });
});

describe('toStrictSchema', () => {
  test.each([
    [
      'optional scalar becomes a required nullable',
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a'] },
      { type: 'object', properties: { a: { type: 'string' }, b: { type: ['number', 'null'] } }, required: ['a', 'b'], additionalProperties: false },
    ],
    [
      'nested objects in arrays are closed too',
      { type: 'object', properties: { xs: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } }, required: ['k'] } } }, required: ['xs'] },
      {
        type: 'object',
        properties: { xs: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } }, required: ['k'], additionalProperties: false } } },
        required: ['xs'],
        additionalProperties: false,
      },
    ],
    [
      'optional object becomes anyOf with null',
      { type: 'object', properties: { o: { type: 'object', properties: {} } } },
      { type: 'object', properties: { o: { anyOf: [{ type: 'object', properties: {}, required: [], additionalProperties: false }, { type: 'null' }] } }, required: ['o'], additionalProperties: false },
    ],
  ])('%s', (_name, input, expected) => {
    expect(toStrictSchema(input)).toEqual(expected);
  });
});
