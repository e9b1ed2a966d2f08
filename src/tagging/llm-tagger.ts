/**
 * Theme tagging through the `Llm` port: cache first, identical texts once, batches sized by a token
 * budget, every answer checked, re-asks only for what was missing or invalid, suspected prompt injections
 * alone in their own request. Every input item comes back with exactly one outcome; an unreachable endpoint
 * leaves items `pending`, never `none` or `undecided`.
 */
import { z } from 'zod';
import { sha256HexSync } from '../crypto/hash';
import { chatTokens, loadTokenCounter, type TokenCounter } from '../llm/tokens';
import { type Llm, type LlmResponse, LlmUnavailableError } from '../llm/types';
import { cleanText, normaliseForMatch } from '../text/clean';
import { injectionSignal } from './injection';
import { batchId, framedPrompt, itemEntry, PROMPT_VERSION, type PromptTheme, TAG_SCHEMA_NAME, TagAnswer, tagPromptFrame } from './prompt';

export interface ThemeScore {
  key: string;
  /** In [0, 1]. */
  confidence: number;
}

/** A decision the model made; what the cache stores. */
export type CachedTag =
  | { outcome: 'themes'; themes: ThemeScore[] }
  | { outcome: 'none' }
  /** The model answered but named no theme and did not call the text off-topic. */
  | { outcome: 'undecided'; reason: string };

export type ItemTag =
  | CachedTag
  /** The endpoint could not be reached: tag again on a later run. */
  | { outcome: 'pending'; reason: string };

export type TaggedItem = { id: string | number } & ItemTag;

export interface TagCache {
  get(keys: string[]): Promise<Map<string, CachedTag>>;
  put(entries: [string, CachedTag][]): Promise<void>;
}

export interface TagAccounting {
  /** Chat requests answered (valid or not), re-asks included. */
  requests: number;
  promptTokens: number;
  completionTokens: number;
  /** Input items answered from the cache. */
  cacheHits: number;
  /** Requests that re-asked items a previous answer left out or got wrong. */
  reasks: number;
  /** Distinct texts sent alone because they read like instructions to the model. */
  isolated: number;
}

export interface TagRunResult {
  /** One entry per input item, in input order. */
  items: TaggedItem[];
  accounting: TagAccounting;
}

export interface TagWithLlmOptions {
  /** Prompt tokens per request, theme list and framing included. */
  tokenBudget?: number;
  /** Extra requests for items an answer left out or got wrong, before they are `undecided`. */
  maxReasks?: number;
  /** Bounds the answer's length (about 25 tokens an item) whatever the budget. */
  maxItemsPerBatch?: number;
  /** Batches in flight; the Llm adapter has its own limit too. */
  concurrency?: number;
  cache?: TagCache;
  cacheKeyParts: { themeListHash: string; model: string };
}

/**
 * 5,000 prompt tokens: about 100 items of 30–45 tokens (an answer of ~3,000 tokens) beside the ~450-token
 * theme list of the nine working groups; measured (npm run bench -- tagging) at ~1.3× the items' own tokens.
 */
export const DEFAULT_TOKEN_BUDGET = 5000;
export const DEFAULT_MAX_REASKS = 2;
export const DEFAULT_MAX_ITEMS_PER_BATCH = 200;
const DEFAULT_CONCURRENCY = 4;
/** Output cap per request: room for three themes an item. */
const ANSWER_TOKENS_PER_ITEM = 40;
const ANSWER_TOKENS_BASE = 64;
/** A text longer than this share of the budget is cut so that it still fits a request on its own. */
const MIN_ITEM_TOKENS = 64;
const CLIP_SLACK = 8;

// Counted once: what the structured-output schema adds to each request when the server counts it in.
let schemaTokens: number | undefined;

/** Cache key of a text's tags: `tagCacheKey('We need training', { themeListHash, model })`. */
export function tagCacheKey(text: string, parts: { themeListHash: string; model: string }): string {
  // Pseudonym labels differ between consultations (each has its own key) but never change the theme.
  const form = normaliseForMatch(text).replace(/\bp-[0-9a-z]{6}\b/g, 'p-');
  return sha256HexSync(JSON.stringify(['theme-tags', PROMPT_VERSION, parts.model, parts.themeListHash, form]));
}

/** Tags `items` with `themes`; see the module comment. Throws only on programming errors and cache failures. */
export async function tagWithLlm(
  llm: Llm,
  themes: readonly PromptTheme[],
  items: readonly { id: string | number; text: string }[],
  opts: TagWithLlmOptions,
): Promise<TagRunResult> {
  const tokenBudget = opts.tokenBudget ?? DEFAULT_TOKEN_BUDGET;
  const maxReasks = opts.maxReasks ?? DEFAULT_MAX_REASKS;
  const maxItems = opts.maxItemsPerBatch ?? DEFAULT_MAX_ITEMS_PER_BATCH;
  const accounting: TagAccounting = { requests: 0, promptTokens: 0, completionTokens: 0, cacheHits: 0, reasks: 0, isolated: 0 };
  const keys = new Set(themes.map((t) => t.key));

  // Identical texts (after normalisation) are one unit: asked once, answered alike.
  const tags: (ItemTag | undefined)[] = items.map(() => undefined);
  const units = new Map<string, Unit>();
  items.forEach((item, index) => {
    const text = cleanText(item.text).trim();
    if (text === '') {
      tags[index] = { outcome: 'none' };
      return;
    }
    const key = tagCacheKey(text, opts.cacheKeyParts);
    const unit = units.get(key);
    if (unit) unit.indexes.push(index);
    else units.set(key, { key, text, indexes: [index], problem: '' });
  });
  const settle = (unit: Unit, tag: ItemTag) => {
    for (const i of unit.indexes) tags[i] = tag;
  };

  let open = [...units.values()];
  if (opts.cache && open.length > 0) {
    const hits = await opts.cache.get(open.map((u) => u.key));
    open = open.filter((unit) => {
      const hit = hits.get(unit.key);
      // A cached tag naming a theme the list no longer has is stale, whatever its key says.
      if (!hit || (hit.outcome === 'themes' && hit.themes.some((t) => !keys.has(t.key)))) return true;
      settle(unit, hit);
      accounting.cacheHits += unit.indexes.length;
      return false;
    });
  }

  if (open.length > 0) {
    const tokens = await loadTokenCounter();
    const frame = tagPromptFrame(themes);
    // The draft-2020 form with its $schema line counts within a few tokens of the strict form sent as json_schema.
    schemaTokens ??= tokens.count(JSON.stringify(z.toJSONSchema(TagAnswer, { io: 'input' })));
    const fixed = chatTokens(tokens, framedPrompt(frame, [])) + schemaTokens;
    const room = Math.max(MIN_ITEM_TOKENS, tokenBudget - fixed);
    const batches = packBatches(open, tokens, room, maxItems, accounting);

    let unavailable: string | null = null;
    const runBatch = async (batch: Unit[]) => {
      let asking = batch;
      for (let round = 0; asking.length > 0; round++) {
        if (unavailable !== null) {
          for (const u of asking) settle(u, { outcome: 'pending', reason: unavailable });
          return;
        }
        if (round > 0) accounting.reasks++;
        const ids = asking.map((_, i) => batchId(i));
        const messages = framedPrompt(
          frame,
          asking.map((u, i) => itemEntry(ids[i] ?? '', u.text)),
        );
        let answer: LlmResponse<TagAnswer>;
        try {
          answer = await llm.complete({
            messages,
            schema: TagAnswer,
            schemaName: TAG_SCHEMA_NAME,
            maxTokens: ANSWER_TOKENS_BASE + ANSWER_TOKENS_PER_ITEM * asking.length,
          });
        } catch (error) {
          if (!(error instanceof LlmUnavailableError)) throw error;
          // One batch that could not get through is enough: the rest are not sent into the same outage.
          unavailable ??= error.message;
          for (const u of asking) settle(u, { outcome: 'pending', reason: error.message });
          return;
        }
        accounting.requests++;
        accounting.promptTokens += answer.usage.promptTokens;
        accounting.completionTokens += answer.usage.completionTokens;

        const verdicts = answer.ok ? readAnswer(answer.value, ids, keys) : new Map<string, Verdict>();
        const decided: [string, CachedTag][] = [];
        const again: Unit[] = [];
        asking.forEach((unit, i) => {
          const verdict = verdicts.get(ids[i] ?? '');
          if (verdict?.tag) {
            settle(unit, verdict.tag);
            decided.push([unit.key, verdict.tag]);
          } else {
            unit.problem = verdict?.problem ?? (answer.ok ? 'left out of the answer' : answer.error);
            again.push(unit);
          }
        });
        if (opts.cache && decided.length > 0) await opts.cache.put(decided);
        if (round >= maxReasks) {
          // Failures are not cached: a later run asks again.
          for (const u of again) settle(u, { outcome: 'undecided', reason: `no valid answer after ${round + 1} requests: ${u.problem}` });
          return;
        }
        asking = again;
      }
    };
    await pool(batches, opts.concurrency ?? DEFAULT_CONCURRENCY, runBatch);
  }

  return {
    items: items.map((item, i) => ({ id: item.id, ...(tags[i] ?? { outcome: 'pending', reason: 'not tagged' }) })),
    accounting,
  };
}

interface Unit {
  key: string;
  text: string;
  /** Positions in the input that share this text. */
  indexes: number[];
  /** Why the last answer could not be used, for the `undecided` reason. */
  problem: string;
}

/**
 * Consecutive units into batches of at most `room` tokens of items and `maxItems` items; a unit that reads
 * like an instruction to the model gets a batch of its own. A text too long for any batch is cut to fit.
 */
function packBatches(units: Unit[], tokens: TokenCounter, room: number, maxItems: number, accounting: TagAccounting): Unit[][] {
  const batches: Unit[][] = [];
  let current: Unit[] = [];
  let used = 0;
  for (const unit of units) {
    // Ids past "z" take a second letter; counting every entry with a two-letter id keeps the sum an upper bound.
    let cost = tokens.count(itemEntry('aa', unit.text)) + 1;
    if (cost > room) {
      // Token counts of joined pieces are not exactly additive: keep a few tokens of slack.
      unit.text = tokens.clip(unit.text, room - (cost - tokens.count(unit.text)) - CLIP_SLACK);
      cost = room;
    }
    if (injectionSignal(unit.text) !== null) {
      accounting.isolated++;
      batches.push([unit]);
      continue;
    }
    if (current.length > 0 && (used + cost > room || current.length >= maxItems)) {
      batches.push(current);
      current = [];
      used = 0;
    }
    current.push(unit);
    used += cost;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

type Verdict = { tag: CachedTag; problem?: undefined } | { tag?: undefined; problem: string };

/** What the answer says about each id of the batch; ids it does not know are ignored, the first answer per id counts. */
function readAnswer(answer: TagAnswer, ids: readonly string[], keys: ReadonlySet<string>): Map<string, Verdict> {
  const asked = new Set(ids);
  const verdicts = new Map<string, Verdict>();
  for (const entry of answer.items) {
    if (!asked.has(entry.id) || verdicts.has(entry.id)) continue;
    const invented = entry.themes.filter((t) => !keys.has(t.key)).map((t) => t.key);
    if (invented.length > 0) {
      verdicts.set(entry.id, { problem: `unknown theme key ${invented.map((k) => JSON.stringify(k)).join(', ')}` });
      continue;
    }
    const best = new Map<string, number>();
    for (const t of entry.themes) {
      const c = confidence(t.confidence);
      if (c > 0) best.set(t.key, Math.max(best.get(t.key) ?? 0, c));
    }
    const themes = [...best].map(([key, c]) => ({ key, confidence: c })).sort((a, b) => b.confidence - a.confidence || (a.key < b.key ? -1 : 1));
    if (themes.length > 0 && entry.none === true) verdicts.set(entry.id, { problem: 'both themes and "none"' });
    else if (themes.length > 0) verdicts.set(entry.id, { tag: { outcome: 'themes', themes } });
    else if (entry.none === true) verdicts.set(entry.id, { tag: { outcome: 'none' } });
    else verdicts.set(entry.id, { tag: { outcome: 'undecided', reason: 'the model named no theme and did not call the text off-topic' } });
  }
  return verdicts;
}

// Models answering in JSON mode sometimes give percentages (85 for 0.85): above 1 reads as one, and what is
// still out of range is clamped.
function confidence(c: number): number {
  const v = c > 1 ? c / 100 : c;
  return Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000;
}

async function pool<T>(tasks: readonly T[], size: number, run: (task: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task !== undefined) await run(task);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, tasks.length)) }, worker));
}
