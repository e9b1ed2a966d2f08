/**
 * Token counting with gpt-tokenizer's o200k_base encoding: the one GPT-4o, GPT-4.1, GPT-5, the o-series and
 * gpt-oss use, and far closer than cl100k on Arabic, Bengali, Japanese and other non-Latin text (cl100k
 * splits them two to three times finer). Open models (Llama, Qwen, Gemma) tokenise differently, so for
 * them the counts are an estimate; batch budgets keep a margin for that.
 *
 * The encoding is a 2.4 MB JavaScript table, pure JS with no fs, so it bundles into a Worker, but it takes
 * a few hundred milliseconds to evaluate: it is imported on first use, never at startup.
 */
import type { ChatMessage } from './types';

export const TOKEN_ENCODING = 'o200k_base';

/** OpenAI's chat framing: each message costs its content plus about 3 tokens, and the reply is primed with 3. */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_REPLY = 3;

export interface TokenCounter {
  readonly encoding: typeof TOKEN_ENCODING;
  /** `count('Hello world')` → 2. */
  count(text: string): number;
  /** The text cut to at most `maxTokens` tokens (whole tokens, so a cut never splits a character). */
  clip(text: string, maxTokens: number): string;
}

let loading: Promise<TokenCounter> | undefined;

/** The shared counter, loaded once: `const tokens = await loadTokenCounter(); tokens.count('hi')`. */
export function loadTokenCounter(): Promise<TokenCounter> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((m): TokenCounter => {
    // Feedback text is data: a literal "<|endoftext|>" in it is counted as text, never as a special token.
    const options = { disallowedSpecial: new Set<string>() };
    return {
      encoding: TOKEN_ENCODING,
      count: (text) => m.countTokens(text, options),
      clip: (text, maxTokens) => {
        const ids = m.encode(text, options);
        return ids.length <= maxTokens ? text : m.decode(ids.slice(0, Math.max(0, maxTokens)));
      },
    };
  });
  return loading;
}

/** Prompt tokens of a chat request as OpenAI counts them: `chatTokens(counter, [{ role: 'user', content: 'hi' }])` → 7. */
export function chatTokens(counter: TokenCounter, messages: readonly ChatMessage[]): number {
  let total = TOKENS_PER_REPLY;
  for (const m of messages) total += TOKENS_PER_MESSAGE + counter.count(m.content);
  return total;
}
