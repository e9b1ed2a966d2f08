/**
 * The `Llm` port over any OpenAI-compatible chat endpoint (OpenAI, Workers AI's OpenAI endpoint, vLLM,
 * Ollama). The only module that imports `openai`.
 *
 * - Structured output: the request's zod schema goes out as a strict `json_schema`. A server that rejects
 *   it gets JSON mode (`json_object`) with the schema spelled out in the prompt, and one that rejects that
 *   gets the prompt alone; the step down is remembered per client. Every answer is checked against the
 *   same zod schema, so the three modes differ only in how hard the server helps.
 * - Our own retries (src/llm/retry.ts) with the SDK's turned off, a concurrency limit per client, and a
 *   timeout per attempt through an AbortSignal.
 */
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { createLimiter, DEFAULT_RETRY, type Failure, type RetryPolicy, retryAfterMs, withRetries } from './retry';
import { chatTokens, loadTokenCounter } from './tokens';
import { type ChatMessage, type Llm, type LlmRequest, type LlmResponse, LlmUnavailableError, type LlmUsage } from './types';

export interface OpenAiLlmOptions {
  baseURL: string;
  /** Local servers (Ollama, vLLM) need none. */
  apiKey?: string;
  model: string;
  /** Per attempt. Default 60 s. */
  timeoutMs?: number;
  /** Attempts after the first. Default 4. */
  maxRetries?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** In [0, 1), for backoff jitter. */
  random?: () => number;
  fetch?: typeof fetch;
}

/** How much the server does for structured output, best first. */
export type OutputMode = 'json_schema' | 'json_object' | 'prompt';

export interface OpenAiLlm extends Llm {
  /** The structured-output mode this client has settled on (it only ever steps down). */
  readonly outputMode: OutputMode;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_CONCURRENCY = 4;

/** `createOpenAiLlm({ baseURL: 'http://127.0.0.1:11434/v1', model: 'llama3.1' })`. */
export function createOpenAiLlm(opts: OpenAiLlmOptions): OpenAiLlm {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = opts.now ?? Date.now;
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY,
    maxRetries: opts.maxRetries ?? DEFAULT_RETRY.maxRetries,
    sleep: opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: opts.random ?? Math.random,
  };
  const client = new OpenAI({
    baseURL: opts.baseURL,
    // The SDK refuses to start without a key; local servers ignore whatever is sent.
    apiKey: opts.apiKey || 'no-key',
    maxRetries: 0,
    timeout: timeoutMs,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const limit = createLimiter(opts.concurrency ?? DEFAULT_CONCURRENCY);
  // What this server has told us it does not accept; each only ever moves one way.
  const compat: Compat = { mode: 'json_schema', tokenParam: 'max_tokens', maxTokens: true, temperature: true };

  const send = (body: ChatCompletionCreateParamsNonStreaming) =>
    withRetries(
      () =>
        limit(async () => {
          const controller = new AbortController();
          const timer = setTimeout(() => controller.abort(), timeoutMs);
          try {
            return await client.chat.completions.create(body, { signal: controller.signal });
          } catch (error) {
            if (controller.signal.aborted) throw new AttemptTimeout(timeoutMs);
            throw error;
          } finally {
            clearTimeout(timer);
          }
        }),
      (error) => classify(error, now()),
      policy,
    );

  return {
    model: opts.model,
    get outputMode() {
      return compat.mode;
    },
    async complete<T>(request: LlmRequest<T>): Promise<LlmResponse<T>> {
      const schemas = jsonSchemas(request.schema);
      for (;;) {
        const used = { ...compat };
        const body = requestBody(opts.model, request, schemas.strict, used);
        let completion: unknown;
        try {
          completion = await send(body);
        } catch (error) {
          if (error instanceof APIError && adapt(error, compat, used)) continue;
          if (error instanceof APIError) {
            // A permanent refusal (bad key, unknown model, request too large): nothing a retry can fix, and
            // the items must stay pending rather than be tagged from nothing.
            throw new LlmUnavailableError(`LLM endpoint refused the request (HTTP ${error.status ?? '?'}): ${error.message}`);
          }
          throw error;
        }
        return readCompletion(completion, request, schemas.loose, used.mode === 'json_schema');
      }
    },
  };
}

interface Compat {
  mode: OutputMode;
  tokenParam: 'max_tokens' | 'max_completion_tokens';
  /** Off once a server refused our output cap (vLLM does when cap + prompt exceed its context). */
  maxTokens: boolean;
  temperature: boolean;
}

class AttemptTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'AttemptTimeout';
  }
}

function classify(error: unknown, nowMs: number): Failure {
  if (error instanceof AttemptTimeout) return { retry: true, reason: error.message };
  // Includes APIConnectionTimeoutError (the SDK's own timer) and refused or reset connections.
  if (error instanceof APIConnectionError) return { retry: true, reason: `connection failed: ${error.message}` };
  if (error instanceof APIUserAbortError) return { retry: true, reason: 'request aborted' };
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    if (status === 429 || status === 408 || status >= 500) {
      return { retry: true, reason: `HTTP ${status}: ${error.message}`, retryAfterMs: retryAfterMs(error.headers, nowMs) };
    }
  }
  return { retry: false, error };
}

/**
 * Steps the client down after a 400 that names a feature it lacks; false when the error is about something
 * else. `used` is what the failed request was sent with: when requests in flight all fail on the same
 * feature, only the first steps down, the others just try again with what it chose.
 */
function adapt(error: APIError, compat: Compat, used: Compat): boolean {
  const status = error.status ?? 0;
  if (status !== 400 && status !== 422 && status !== 501) return false;
  const message = `${error.message} ${JSON.stringify(error.error ?? '')}`;
  if (used.mode !== 'prompt' && /response_format|json_schema|json_object|structured output|json schema|json mode/i.test(message)) {
    if (compat.mode === used.mode) compat.mode = used.mode === 'json_schema' ? 'json_object' : 'prompt';
    return true;
  }
  if (used.maxTokens && used.tokenParam === 'max_tokens' && /max_completion_tokens/.test(message)) {
    if (compat.tokenParam === 'max_tokens') compat.tokenParam = 'max_completion_tokens';
    return true;
  }
  if (used.maxTokens && /max_tokens|max_completion_tokens|max_new_tokens|context length|context window/i.test(message)) {
    compat.maxTokens = false;
    return true;
  }
  if (used.temperature && /temperature/i.test(message)) {
    compat.temperature = false;
    return true;
  }
  return false;
}

function requestBody<T>(
  model: string,
  request: LlmRequest<T>,
  strict: JsonObject,
  compat: Compat,
): ChatCompletionCreateParamsNonStreaming {
  const messages: ChatMessage[] =
    compat.mode === 'json_schema'
      ? request.messages
      : [
          ...request.messages,
          {
            role: 'system',
            content: `Reply with one JSON object and nothing else, matching this JSON Schema:\n${JSON.stringify(strict)}`,
          },
        ];
  return {
    model,
    messages,
    ...(compat.temperature ? { temperature: 0 } : {}),
    ...(request.maxTokens === undefined || !compat.maxTokens ? {} : { [compat.tokenParam]: request.maxTokens }),
    ...(compat.mode === 'json_schema'
      ? { response_format: { type: 'json_schema', json_schema: { name: schemaName(request.schemaName), schema: strict, strict: true } } }
      : compat.mode === 'json_object'
        ? { response_format: { type: 'json_object' } }
        : {}),
  };
}

// What we read from a completion; anything else in it is ignored, and a reply without this shape is an
// answer we cannot use, not a crash.
const Completion = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

async function readCompletion<T>(completion: unknown, request: LlmRequest<T>, loose: JsonObject, strictMode: boolean): Promise<LlmResponse<T>> {
  const shape = Completion.safeParse(completion);
  const choice = shape.success ? shape.data.choices[0] : undefined;
  const raw = choice?.message.content ?? '';
  const usage = shape.success && shape.data.usage ? toUsage(shape.data.usage) : await estimateUsage(request.messages, raw);
  if (!shape.success) return { ok: false, error: 'the server replied without a chat completion', raw: JSON.stringify(completion) ?? '', usage };
  if (choice?.message.refusal) return { ok: false, error: `the model refused: ${choice.message.refusal}`, raw, usage };
  if (choice?.finish_reason === 'length') return { ok: false, error: 'the answer was cut off at the token limit', raw, usage };
  const json = parseJsonText(raw);
  if (!json.ok) return { ok: false, error: json.error, raw, usage };
  // Strict mode makes optional fields required-but-nullable; the schema itself wants them absent.
  const value = strictMode ? dropNullOptionals(json.value, loose) : json.value;
  const parsed = request.schema.safeParse(value);
  if (!parsed.success) return { ok: false, error: `the answer does not match the schema: ${z.prettifyError(parsed.error)}`, raw, usage };
  return { ok: true, value: parsed.data, raw, usage };
}

function toUsage(u: { prompt_tokens: number; completion_tokens: number }): LlmUsage {
  return { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens };
}

// Some servers leave usage out; accounting then uses our own count rather than pretending it was free.
async function estimateUsage(messages: readonly ChatMessage[], raw: string): Promise<LlmUsage> {
  const tokens = await loadTokenCounter();
  return { promptTokens: chatTokens(tokens, messages), completionTokens: tokens.count(raw) };
}

type ParsedJson = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * The JSON object in a model's reply: the whole text, else inside a ```json fence, else from the first "{"
 * to the last "}" (JSON mode and prompt mode models wrap answers in prose). `parseJsonText('{"a":1}')`.
 */
export function parseJsonText(raw: string): ParsedJson {
  const text = raw.trim();
  if (text === '') return { ok: false, error: 'the answer was empty' };
  const first = tryParse(text);
  if (first.ok) return first;
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1];
  if (fenced !== undefined) {
    const inFence = tryParse(fenced.trim());
    if (inFence.ok) return inFence;
  }
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start >= 0 && end > start) {
    const inner = tryParse(text.slice(start, end + 1));
    if (inner.ok) return inner;
  }
  return { ok: false, error: `the answer is not valid JSON (${first.error})` };
}

function tryParse(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

// ---------------------------------------------------------------------------------------------------
// zod → JSON Schema for OpenAI's strict mode

type JsonObject = { [key: string]: unknown };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const schemaCache = new WeakMap<object, { strict: JsonObject; loose: JsonObject }>();

function jsonSchemas(schema: z.ZodType): { strict: JsonObject; loose: JsonObject } {
  const cached = schemaCache.get(schema);
  if (cached) return cached;
  const { $schema: _, ...loose } = z.toJSONSchema(schema, { io: 'input', target: 'draft-7', unrepresentable: 'any' });
  const made = { loose, strict: toStrictSchema(loose) };
  schemaCache.set(schema, made);
  return made;
}

/**
 * OpenAI's strict mode wants every object closed and every property required; an optional property
 * becomes a required one that may be null. `toStrictSchema({ type: 'object', properties: { a: { type: 'string' } } })`
 * → `{ type: 'object', properties: { a: { type: ['string', 'null'] } }, required: ['a'], additionalProperties: false }`.
 */
export function toStrictSchema(node: JsonObject): JsonObject {
  const out: JsonObject = { ...node };
  if (isObject(node.properties)) {
    const required = new Set(Array.isArray(node.required) ? node.required : []);
    const properties: JsonObject = {};
    for (const [key, child] of Object.entries(node.properties)) {
      const strictChild = isObject(child) ? toStrictSchema(child) : child;
      properties[key] = required.has(key) || !isObject(strictChild) ? strictChild : nullable(strictChild);
    }
    out.properties = properties;
    out.required = Object.keys(properties);
    out.additionalProperties = false;
  }
  if (isObject(node.items)) out.items = toStrictSchema(node.items);
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = node[k];
    if (Array.isArray(list)) out[k] = list.map((c) => (isObject(c) ? toStrictSchema(c) : c));
  }
  for (const k of ['$defs', 'definitions'] as const) {
    const defs = node[k];
    if (isObject(defs)) out[k] = Object.fromEntries(Object.entries(defs).map(([n, c]) => [n, isObject(c) ? toStrictSchema(c) : c]));
  }
  return out;
}

function nullable(node: JsonObject): JsonObject {
  if (typeof node.type === 'string' && node.type !== 'object' && node.type !== 'array') return { ...node, type: [node.type, 'null'] };
  return { anyOf: [node, { type: 'null' }] };
}

/** Removes `null`s that strict mode put where the schema has an optional property. */
function dropNullOptionals(value: unknown, schema: JsonObject): unknown {
  const items = schema.items;
  if (Array.isArray(value)) return isObject(items) ? value.map((v) => dropNullOptionals(v, items)) : value;
  if (!isObject(value) || !isObject(schema.properties)) return value;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    const child = schema.properties[key];
    if (v === null && !required.has(key)) continue;
    out[key] = isObject(child) ? dropNullOptionals(v, child) : v;
  }
  return out;
}

function schemaName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'answer';
}
