/**
 * Fingerprints and stable chunking, so a summary knows when it is stale and a refresh only recomputes
 * what changed. Pure functions.
 *
 * Chunks are cut by content, not by position: walking the items in id order, a chunk ends after an item
 * whose id hashes to a boundary (once the chunk has a minimum size), or when it reaches its item or
 * token budget. Appending items (ids grow) therefore changes only the last chunk or adds new ones, and
 * erasing a participant's items in the middle changes only the chunks they were in (boundaries re-align
 * at the next hashed boundary), so the other chunks keep their fingerprints and their cached answers.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export interface FingerprintItem {
  id: number;
  text: string;
}

export interface ChunkOptions {
  /** Items per chunk at most (default 100). */
  chunkSize?: number;
  /** Estimated prompt tokens of the items per chunk at most (default 6,000). */
  chunkTokens?: number;
  /** Token count of one item's prompt text (default: estimateTokens). */
  countTokens?: (text: string) => number;
  /** The text an item contributes to the prompt, for counting (default: the text itself). */
  promptText?: (text: string) => string;
}

export interface SummaryChunk<T extends FingerprintItem> {
  /** Ascending id. */
  items: T[];
  /** summaryFingerprint of the chunk's items. */
  fingerprint: string;
  tokens: number;
}

export const DEFAULT_CHUNK_SIZE = 100;
export const DEFAULT_CHUNK_TOKENS = 6000;
const BOUNDARY_SALT = 0x2545f491;
const encoder = new TextEncoder();

/** Order-independent hash of an item set: `summaryFingerprint([{ id: 2, text: "b" }, { id: 1, text: "a" }])` → 64 hex chars. */
export function summaryFingerprint(items: readonly FingerprintItem[]): string {
  const h = sha256.create();
  // Length-prefixed fields: no (id, text) set can collide with another by shifting a separator.
  for (const item of [...items].sort((a, b) => a.id - b.id)) {
    const bytes = encoder.encode(item.text);
    h.update(encoder.encode(`${item.id}:${bytes.length}:`));
    h.update(bytes);
  }
  return bytesToHex(h.digest());
}

/** A cache key from the parts that determine an answer: `summaryCacheKey(["map", "v1", "gpt-x", …])` → `"summary:3fa…"`. */
export function summaryCacheKey(parts: readonly (string | number)[]): string {
  return `summary:${bytesToHex(sha256(encoder.encode(JSON.stringify(parts))))}`;
}

/**
 * Rough token count without a tokenizer: one per character of scripts written without spaces, one per
 * four characters otherwise. `estimateTokens("grants are late")` → `4`.
 */
export function estimateTokens(text: string): number {
  const dense = text.match(/[\u0e00-\u0eff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/g)?.length ?? 0;
  return dense + Math.ceil((text.length - dense) / 4);
}

/** Items cut into stable chunks in id order: `chunkItems(items, { chunkSize: 100 })[0].items.length` ≤ 100. */
export function chunkItems<T extends FingerprintItem>(items: readonly T[], opts: ChunkOptions = {}): SummaryChunk<T>[] {
  const chunkSize = Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const chunkTokens = Math.max(1, opts.chunkTokens ?? DEFAULT_CHUNK_TOKENS);
  const count = opts.countTokens ?? estimateTokens;
  const promptText = opts.promptText ?? ((t: string) => t);
  const sorted = [...items].sort((a, b) => a.id - b.id);
  const tokensOf = sorted.map((item) => count(promptText(item.text)));

  // How many items fit a chunk, rounded down to a step of a geometric scale (2^¼ apart), so that the
  // boundary rule only moves when the average item length changes by a fifth or more (a new rule re-cuts
  // every chunk once). A hashed boundary is possible once a chunk holds half of that, with odds 1 in a
  // third of it per item: chunks average about 70% of what fits, and ~1 in 6 reaches the cap, where a
  // forced cut delays re-alignment by a chunk or so.
  const average = tokensOf.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  const fit = Math.max(1, Math.min(chunkSize, Math.floor(chunkTokens / Math.max(1, average))));
  const step = 2 ** (Math.floor(4 * Math.log2(fit)) / 4);
  const minItems = Math.max(1, Math.floor(step / 2));
  const spacing = Math.max(1, Math.round(step / 3));

  const chunks: SummaryChunk<T>[] = [];
  let current: T[] = [];
  let tokens = 0;
  const close = () => {
    if (current.length === 0) return;
    chunks.push({ items: current, fingerprint: summaryFingerprint(current), tokens });
    current = [];
    tokens = 0;
  };
  sorted.forEach((item, i) => {
    const t = tokensOf[i] ?? 0;
    if (current.length > 0 && tokens + t > chunkTokens) close();
    current.push(item);
    tokens += t;
    if (current.length >= chunkSize || (current.length >= minItems && mix32(item.id ^ BOUNDARY_SALT) % spacing === 0)) close();
  });
  close();
  return chunks;
}

/** Which chunks have no earlier counterpart: `diffChunks(oldFingerprints, chunks).changed` → `[3]`. */
export function diffChunks(
  previous: readonly string[],
  next: readonly { fingerprint: string }[],
): { reused: number[]; changed: number[] } {
  const known = new Set(previous);
  const reused: number[] = [];
  const changed: number[] = [];
  next.forEach((chunk, i) => {
    (known.has(chunk.fingerprint) ? reused : changed).push(i);
  });
  return { reused, changed };
}

/** murmur3's 32-bit finaliser, a cheap well-mixed hash of an integer: `mix32(1)` → `1364076727`. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
