/**
 * What a run cost: USD per million input and output tokens. A few OpenAI list prices (standard tier, as
 * published in 2025 — check them before quoting a bill); any model, including local and Workers AI ones, can
 * be priced with LLM_PRICE_INPUT / LLM_PRICE_OUTPUT. An unknown model costs 0 and says `priced: false`, so a
 * report never shows a made-up number.
 */

export interface ModelPrice {
  /** USD per 1M prompt tokens. */
  input: number;
  /** USD per 1M completion tokens. */
  output: number;
  /** False when neither the environment nor the table knew this model: the cost shown is 0, not real. */
  priced: boolean;
  source: 'env' | 'table' | 'unknown';
}

const KNOWN: readonly (readonly [model: string, input: number, output: number])[] = [
  ['gpt-4o-mini', 0.15, 0.6],
  ['gpt-4o', 2.5, 10],
  ['gpt-4.1-nano', 0.1, 0.4],
  ['gpt-4.1-mini', 0.4, 1.6],
  ['gpt-4.1', 2, 8],
  ['gpt-5-nano', 0.05, 0.4],
  ['gpt-5-mini', 0.25, 2],
  ['gpt-5', 1.25, 10],
  ['o4-mini', 1.1, 4.4],
];

/**
 * Price of a model, env values first: `modelPrice('gpt-4o-mini-2024-07-18')` → `{ input: 0.15, output: 0.6,
 * priced: true, source: 'table' }`; `modelPrice('llama3', { input: '0', output: '0' })` → priced, free.
 * Throws a RangeError naming the variable when a price is not a non-negative number.
 */
export function modelPrice(model: string, env: { input?: string | number; output?: string | number } = {}): ModelPrice {
  const input = envPrice('LLM_PRICE_INPUT', env.input);
  const output = envPrice('LLM_PRICE_OUTPUT', env.output);
  const known = knownPrice(model);
  if (input !== undefined && output !== undefined) return { input, output, priced: true, source: 'env' };
  if (known) return { input: input ?? known.input, output: output ?? known.output, priced: true, source: input ?? output ? 'env' : 'table' };
  // One side from the environment and nothing for the other: the total would be a guess.
  return { input: input ?? 0, output: output ?? 0, priced: false, source: 'unknown' };
}

/** `costUsd({ promptTokens: 1_000_000, completionTokens: 0 }, price)` → `price.input`. */
export function costUsd(usage: { promptTokens: number; completionTokens: number }, price: ModelPrice): number {
  return (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
}

function envPrice(name: string, value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${name} must be a price in USD per million tokens, e.g. 0.15 (got '${value}')`);
  return n;
}

// Dated snapshots ("gpt-4o-mini-2024-07-18") and router prefixes ("openai/gpt-4o") price as their family;
// the longest family name wins so gpt-4o-mini is never priced as gpt-4o.
function knownPrice(model: string): { input: number; output: number } | undefined {
  const name = (model.split('/').pop() ?? model).trim().toLowerCase();
  let best: (typeof KNOWN)[number] | undefined;
  for (const entry of KNOWN) {
    const family = entry[0];
    if (name !== family && !name.startsWith(`${family}-`)) continue;
    if (!best || family.length > best[0].length) best = entry;
  }
  return best ? { input: best[1], output: best[2] } : undefined;
}
