import { describe, expect, test } from 'vitest';
import { costUsd, modelPrice } from '../../src/llm/pricing';

describe('modelPrice', () => {
  test.each([
    ['known model', 'gpt-4o-mini', {}, { input: 0.15, output: 0.6, priced: true, source: 'table' }],
    ['dated snapshot prices as its family', 'gpt-4o-mini-2024-07-18', {}, { input: 0.15, output: 0.6, priced: true, source: 'table' }],
    ['longest family wins (gpt-4o vs gpt-4o-mini)', 'gpt-4o-2024-08-06', {}, { input: 2.5, output: 10, priced: true, source: 'table' }],
    ['router prefix', 'openai/gpt-4.1-nano', {}, { input: 0.1, output: 0.4, priced: true, source: 'table' }],
    ['unknown model → 0, not priced', '@cf/meta/llama-3.1-8b-instruct', {}, { input: 0, output: 0, priced: false, source: 'unknown' }],
    ['env prices any model', 'llama3.1', { input: '0.05', output: '0.1' }, { input: 0.05, output: 0.1, priced: true, source: 'env' }],
    ['env overrides the table', 'gpt-4o', { input: '1', output: '4' }, { input: 1, output: 4, priced: true, source: 'env' }],
    ['env zero means free', 'llama3.1', { input: '0', output: '0' }, { input: 0, output: 0, priced: true, source: 'env' }],
    ['one env side on a known model', 'gpt-4o', { input: '1' }, { input: 1, output: 10, priced: true, source: 'env' }],
    ['one env side on an unknown model is not a price', 'llama3.1', { input: '1' }, { input: 1, output: 0, priced: false, source: 'unknown' }],
    ['empty env values are unset', 'gpt-5-mini', { input: '', output: '' }, { input: 0.25, output: 2, priced: true, source: 'table' }],
  ])('%s', (_name, model, env, expected) => {
    expect(modelPrice(model, env)).toEqual(expected);
  });

  test.each([['-1'], ['abc'], ['1e999']])('LLM_PRICE_INPUT=%s is refused with the variable named', (value) => {
    expect(() => modelPrice('gpt-4o', { input: value })).toThrow(/LLM_PRICE_INPUT/);
  });
});

test('costUsd', () => {
  const price = modelPrice('gpt-4o-mini');
  expect(costUsd({ promptTokens: 1_000_000, completionTokens: 500_000 }, price)).toBeCloseTo(0.45, 10);
  expect(costUsd({ promptTokens: 0, completionTokens: 0 }, price)).toBe(0);
});
