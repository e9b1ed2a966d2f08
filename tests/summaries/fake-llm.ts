/**
 * A scripted stand-in for the Llm port. Each test gives a `reply` function that sees the request (kind,
 * the items or partial points it carries, the conversation) and returns what the "model" says: a JSON
 * value (validated with the request's schema, as the real adapter does), raw text that is not valid JSON,
 * or an outage. Every request is recorded.
 */
import { z } from 'zod';
import type { ChatMessage, Llm, LlmRequest, LlmResponse } from '../../src/llm/types';
import { LlmUnavailableError } from '../../src/llm/types';

const SeenItem = z.object({ id: z.string(), text: z.string() });
export type SeenItem = z.infer<typeof SeenItem>;
const SeenPartial = z.object({ id: z.string(), text: z.string(), support: z.number(), quote: z.string() });
export type SeenPartial = z.infer<typeof SeenPartial>;

export type FakeRequest =
  | { kind: 'map'; items: SeenItem[]; messages: ChatMessage[]; reask: boolean; call: number }
  | { kind: 'merge'; partials: SeenPartial[]; messages: ChatMessage[]; reask: boolean; call: number };

export type FakeReply = { json: unknown } | { raw: string } | { unavailable: true };

export interface FakeLlm extends Llm {
  requests: FakeRequest[];
}

/** A fake model that answers with `reply(request)`. */
export function fakeLlm(reply: (request: FakeRequest) => FakeReply, model = 'fake-model'): FakeLlm {
  const requests: FakeRequest[] = [];
  return {
    model,
    requests,
    async complete<T>(request: LlmRequest<T>): Promise<LlmResponse<T>> {
      const seen = describe(request, requests.length);
      requests.push(seen);
      const out = reply(seen);
      if ('unavailable' in out) throw new LlmUnavailableError('fake outage');
      const raw = 'raw' in out ? out.raw : JSON.stringify(out.json);
      const usage = {
        promptTokens: Math.ceil(request.messages.reduce((n, m) => n + m.content.length, 0) / 4),
        completionTokens: Math.ceil(raw.length / 4),
      };
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch (error) {
        return { ok: false, error: `not JSON: ${String(error)}`, raw, usage };
      }
      const parsed = request.schema.safeParse(json);
      if (!parsed.success) return { ok: false, error: parsed.error.message, raw, usage };
      return { ok: true, value: parsed.data, raw, usage };
    },
  };
}

function describe<T>(request: LlmRequest<T>, call: number): FakeRequest {
  const messages = request.messages;
  const firstUser = messages.find((m) => m.role === 'user')?.content ?? '';
  const lines = firstUser.split('\n').slice(1);
  const reask = messages.length > 2;
  if (request.schemaName === 'summary_merge') {
    return { kind: 'merge', partials: lines.map((l) => SeenPartial.parse(JSON.parse(l))), messages, reask, call };
  }
  // Map lines read `i3: "text as a JSON string"`.
  const items = lines.map((l) => {
    const colon = l.indexOf(': ');
    return SeenItem.parse({ id: l.slice(0, colon), text: JSON.parse(l.slice(colon + 2)) });
  });
  return { kind: 'map', items, messages, reask, call };
}

/** First `n` words of a text: a verbatim excerpt. */
export function firstWords(text: string, n: number): string {
  return text.split(' ').slice(0, n).join(' ');
}

/** An honest model: one point per item (up to `max`), quoting its first words; merges keep each partial. */
export function honest(max = 8): (request: FakeRequest) => FakeReply {
  return (request) => {
    if (request.kind === 'map') {
      return {
        json: {
          points: request.items.slice(0, max).map((item) => ({
            text: `Point about ${item.id}`,
            citations: [item.id],
            quote: firstWords(item.text, 6),
          })),
        },
      };
    }
    return {
      json: {
        points: request.partials.slice(0, max).map((p) => ({ text: p.text, sources: [p.id], quoteFrom: p.id })),
      },
    };
  };
}

/**
 * A model that groups: items whose texts are equal once digits are removed make one point citing all of
 * them; merges combine partial points with the same text.
 */
export function grouping(max = 8): (request: FakeRequest) => FakeReply {
  return (request) => {
    if (request.kind === 'map') {
      const groups = new Map<string, SeenItem[]>();
      for (const item of request.items) {
        const key = item.text.replace(/[0-9]+/g, '');
        groups.set(key, [...(groups.get(key) ?? []), item]);
      }
      const points = [...groups].slice(0, max).map(([key, members]) => ({
        text: `Several people: ${key}`,
        citations: members.map((m) => m.id),
        quote: firstWords(members[0]?.text ?? '', 6),
      }));
      return { json: { points } };
    }
    const groups = new Map<string, SeenPartial[]>();
    for (const p of request.partials) groups.set(p.text, [...(groups.get(p.text) ?? []), p]);
    const points = [...groups].slice(0, max).map(([text, parts]) => ({
      text,
      sources: parts.map((p) => p.id),
      quoteFrom: parts[0]?.id ?? '',
    }));
    return { json: { points } };
  };
}
