/** The configured model, or none (then the offline tagger and extractive summaries run). */
import type { Config } from '../config';
import { createOpenAiLlm } from './openai';
import type { Llm } from './types';

export function llmFromConfig(config: Config): Llm | undefined {
  if (!config.LLM_BASE_URL || !config.LLM_MODEL) return undefined;
  return createOpenAiLlm({ baseURL: config.LLM_BASE_URL, apiKey: config.LLM_API_KEY, model: config.LLM_MODEL });
}
