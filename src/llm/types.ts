/**
 * The language-model port. Only src/llm/openai.ts imports `openai`; everything else talks to `Llm`, so
 * tests and the offline path can pass a fake.
 */
import type { z } from 'zod';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface LlmRequest<T> {
  messages: ChatMessage[];
  /** The answer must validate against this schema (sent as json_schema, or checked after JSON mode). */
  schema: z.ZodType<T>;
  schemaName: string;
  maxTokens?: number;
}

export type LlmResponse<T> =
  | { ok: true; value: T; raw: string; usage: LlmUsage }
  /** The model answered, but not with valid JSON of the schema: the caller may re-ask. */
  | { ok: false; error: string; raw: string; usage: LlmUsage };

export interface Llm {
  readonly model: string;
  /** Throws LlmUnavailableError when the endpoint cannot be reached after the retries. */
  complete<T>(request: LlmRequest<T>): Promise<LlmResponse<T>>;
}

/** The endpoint failed (network, 5xx, 429 past the retries, timeout): items stay pending for a later run. */
export class LlmUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LlmUnavailableError';
  }
}
