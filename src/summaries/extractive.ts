/**
 * Extractive key points, the offline summary: group items that say the same thing, pick the most central
 * item of each group, and rank groups by how many people are in them. A point's text is what its
 * representative said, so nothing is invented. Pure and deterministic: the same item set (in any order)
 * gives the same points.
 *
 * Similarity is the cosine of TF-IDF vectors over folded tokens: words for spaced scripts (Arabic with its
 * article peeled off, a plural -s dropped), character bigrams for Chinese/Japanese/Korean, and
 * Intl.Segmenter words for Thai, Lao, Khmer and Burmese. IDF computed over the set itself downweights
 * function words in any language without stop lists.
 *
 * Han/kana use bigrams rather than Intl.Segmenter: on Node 20 the segmenter costs ~45 µs per short
 * Japanese message (10,000 items ≈ 0.45 s before any grouping), bigrams are ~20× cheaper, match as well
 * on near-duplicates, and do not depend on the runtime's ICU version, so Node and Workers agree.
 *
 * Grouping is star clustering over the similarity graph: the item with the most similar neighbours leads
 * a group and takes its unassigned neighbours; leaders are never similar to each other, and there is no
 * chaining (A~B, B~C does not put A with C). Up to ALL_PAIRS_LIMIT distinct texts every pair is scored
 * through an inverted index; above it MinHash LSH proposes candidate pairs, so 10,000 items stay well
 * under a second.
 */
import { arabicBase, foldText, isArabic, tokenize } from '../tagging/lexicon/normalise';
import { mix32 } from './fingerprint';
import { normaliseQuote, quoteLongEnough, type SummaryPoint } from './quote';
import type { Summary, SummaryItem } from './types';

export interface ExtractiveOptions {
  /** Points returned at most (default 8). */
  maxPoints?: number;
  /** Cosine at or above which two items say the same thing (default 0.5). */
  threshold?: number;
  /** Distinct texts up to which every pair is compared exactly (default 1,500); above it, LSH. */
  allPairsLimit?: number;
}

export interface ItemGroup {
  /** Item id of the most central member. */
  representative: number;
  /** Item ids, representative first, then ascending. */
  members: number[];
  /** Distinct participants (items without one count one each). */
  participants: number;
  /** The representative has enough words to stand as a point. */
  informative: boolean;
}

export const DEFAULT_MAX_POINTS = 8;
const DEFAULT_THRESHOLD = 0.5;
const ALL_PAIRS_LIMIT = 1500;
/** Long texts are compared on their start; feedback items are short, a pasted report is not. */
const MAX_FEATURE_CHARS = 2000;
/** A point text or quote longer than this is cut to its first sentences. */
const MAX_POINT_CHARS = 300;
/** A representative with fewer tokens ("+1", "yes agreed") ranks after every informative group. */
const MIN_INFORMATIVE_TOKENS = 3;

// LSH: 16 bands of 2 rows. A pair with token Jaccard 0.3 becomes a candidate with p ≈ 0.79, 0.5 with
// p ≈ 0.99; the cosine check then decides. Buckets larger than BUCKET_CAP (very generic token pairs)
// only pair each member with its next BUCKET_WINDOW neighbours, keeping the work linear.
const BANDS = 16;
const ROWS = 2;
const BUCKET_CAP = 64;
const BUCKET_WINDOW = 16;
/** In large sets, tokens in more than this share of items are left out of LSH signatures. */
const COMMON_SHARE = 0.05;

const CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+/;
const SEGMENTED_RUN = /[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]+/;
const NO_SPACE_TEXT = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]/;
const SCRIPT_RUNS =
  /([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+)|([\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]+)|([^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]+)/g;

/** Group similar items and pick representatives: `summariseExtractive(items).points[0].citations` → `[12, 40, 41]`. */
export function summariseExtractive(items: readonly SummaryItem[], opts: ExtractiveOptions = {}): Summary {
  const maxPoints = opts.maxPoints ?? DEFAULT_MAX_POINTS;
  const byId = new Map(items.map((item) => [item.id, item]));
  const points: SummaryPoint[] = [];
  for (const group of groupItems(items, opts)) {
    if (points.length >= maxPoints) break;
    const rep = byId.get(group.representative);
    if (!rep) continue;
    const made = pointFromText(rep.text);
    if (made) points.push({ text: made.text, citations: group.members, quote: made.quote });
  }
  return { points, generator: 'extractive' };
}

/** Similar items grouped and ranked, most widely shared first: `groupItems(items)[0].members` → `[12, 40, 41]`. */
export function groupItems(items: readonly SummaryItem[], opts: ExtractiveOptions = {}): ItemGroup[] {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const allPairsLimit = opts.allPairsLimit ?? ALL_PAIRS_LIMIT;

  // Order by id first so that everything below (interning, forms, ties) is independent of input order.
  const sorted = [...items].sort((a, b) => a.id - b.id);
  const vocab = new Map<string, number>();
  const formByKey = new Map<string, number>();
  const forms: Form[] = [];
  for (const item of sorted) {
    const tokens = features(item.text, vocab);
    if (tokens.length === 0) continue;
    const key = tokens.join(',');
    let f = formByKey.get(key);
    if (f === undefined) {
      f = forms.length;
      formByKey.set(key, f);
      forms.push(makeForm(tokens));
    }
    forms[f]?.items.push(item);
  }
  if (forms.length === 0) return [];
  for (const f of forms) {
    for (const item of f.items) if (!f.rep || item.text.length < f.rep.text.length) f.rep = item;
  }

  const df = documentFrequency(forms, vocab.size);
  weigh(forms, df);
  const centroid = new Float64Array(vocab.size);
  for (const f of forms) {
    for (let k = 0; k < f.tokens.length; k++) {
      const t = f.tokens[k] ?? 0;
      centroid[t] = (centroid[t] ?? 0) + (f.weights[k] ?? 0) * f.items.length;
    }
  }
  for (const f of forms) {
    let t = 0;
    for (let k = 0; k < f.tokens.length; k++) t += (f.weights[k] ?? 0) * (centroid[f.tokens[k] ?? 0] ?? 0);
    f.typicality = t;
  }

  const graph = forms.length <= allPairsLimit ? allPairs(forms, vocab.size, threshold) : lshPairs(forms, df, threshold);
  return rankGroups(starClusters(forms, graph));
}

// ---------------------------------------------------------------------------------------------------
// Features

interface Form {
  /** Items with exactly this token sequence, ascending id. */
  items: SummaryItem[];
  /** The item that speaks for the form: the shortest text ("Yes!!!" and "Yes" → "Yes"), then the lowest id. */
  rep: SummaryItem | null;
  /** Distinct token ids, ascending. */
  tokens: Int32Array;
  counts: Float64Array;
  /** Unit TF-IDF weights aligned with `tokens`. */
  weights: Float64Array;
  tokenCount: number;
  typicality: number;
}

let thaiSegmenter: Intl.Segmenter | null = null;

/** Token ids of a text in order of appearance (the sequence identifies exact duplicates). */
function features(text: string, vocab: Map<string, number>): number[] {
  const folded = foldText(text.length > MAX_FEATURE_CHARS ? text.slice(0, MAX_FEATURE_CHARS) : text);
  const out: number[] = [];
  const add = (t: string) => {
    let id = vocab.get(t);
    if (id === undefined) {
      id = vocab.size;
      vocab.set(t, id);
    }
    out.push(id);
  };
  const spacedOnly = !NO_SPACE_TEXT.test(folded);
  for (const run of tokenize(folded)) {
    if (spacedOnly || (!CJK_RUN.test(run) && !SEGMENTED_RUN.test(run))) {
      spacedToken(run, add);
      continue;
    }
    for (const m of run.matchAll(SCRIPT_RUNS)) {
      if (m[1]) bigrams(m[1], add);
      else if (m[2]) {
        thaiSegmenter ??= new Intl.Segmenter('th', { granularity: 'word' });
        for (const s of thaiSegmenter.segment(m[2])) if (s.isWordLike) add(s.segment);
      } else if (m[3]) spacedToken(m[3], add);
    }
  }
  return out;
}

function spacedToken(token: string, add: (t: string) => void): void {
  if (isArabic(token)) {
    const base = arabicBase(token);
    if (base.length >= 2) add(base);
    return;
  }
  if (token.length < 2) return;
  // A crude plural fold (grants/grant, régions/région); -ss words keep theirs (class, access).
  add(token.length > 3 && token.endsWith('s') && !token.endsWith('ss') ? token.slice(0, -1) : token);
}

function bigrams(run: string, add: (t: string) => void): void {
  const chars = Array.from(run);
  if (chars.length === 1) {
    add(run);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) add((chars[i] ?? '') + (chars[i + 1] ?? ''));
}

function makeForm(sequence: number[]): Form {
  const sorted = Int32Array.from(sequence).sort();
  const tokens: number[] = [];
  const counts: number[] = [];
  for (const t of sorted) {
    if (tokens[tokens.length - 1] === t) counts[counts.length - 1] = (counts[counts.length - 1] ?? 0) + 1;
    else {
      tokens.push(t);
      counts.push(1);
    }
  }
  return {
    items: [],
    rep: null,
    tokens: Int32Array.from(tokens),
    counts: Float64Array.from(counts),
    weights: new Float64Array(tokens.length),
    tokenCount: sequence.length,
    typicality: 0,
  };
}

interface Frequencies {
  /** Items containing each token. */
  df: Float64Array;
  /** Items with any token. */
  n: number;
}

/** Document frequency counted over items, not forms: a copied message is that many voices. */
function documentFrequency(forms: Form[], vocabSize: number): Frequencies {
  const df = new Float64Array(vocabSize);
  let n = 0;
  for (const f of forms) {
    n += f.items.length;
    for (const t of f.tokens) df[t] = (df[t] ?? 0) + f.items.length;
  }
  return { df, n };
}

function weigh(forms: Form[], { df, n }: Frequencies): void {
  for (const f of forms) {
    let norm = 0;
    for (let k = 0; k < f.tokens.length; k++) {
      const w = (1 + Math.log(f.counts[k] ?? 1)) * Math.log(1 + n / (df[f.tokens[k] ?? 0] ?? 1));
      f.weights[k] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < f.weights.length; k++) f.weights[k] = (f.weights[k] ?? 0) / norm;
  }
}

// ---------------------------------------------------------------------------------------------------
// Similar pairs

/**
 * Similar pairs, in typed arrays: a set of near-identical copies has hundreds of thousands of pairs, and
 * an object per pair made garbage collection the largest cost.
 */
class Pairs {
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  sim = new Float64Array(1024);
  size = 0;

  add(i: number, j: number, sim: number): void {
    if (this.size === this.a.length) {
      const grow = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
        const next = make(old.length * 2);
        next.set(old);
        return next;
      };
      this.a = grow(this.a, (n) => new Int32Array(n));
      this.b = grow(this.b, (n) => new Int32Array(n));
      this.sim = grow(this.sim, (n) => new Float64Array(n));
    }
    this.a[this.size] = i;
    this.b[this.size] = j;
    this.sim[this.size] = sim;
    this.size++;
  }
}

/** Adjacency lists: the neighbours of form i are `to[start[i]] … to[start[i + 1] - 1]`. */
interface Graph {
  start: Int32Array;
  to: Int32Array;
  sim: Float64Array;
}

function toGraph(pairs: Pairs, n: number): Graph {
  const start = new Int32Array(n + 1);
  for (let p = 0; p < pairs.size; p++) {
    const a = pairs.a[p] ?? 0;
    const b = pairs.b[p] ?? 0;
    start[a + 1] = (start[a + 1] ?? 0) + 1;
    start[b + 1] = (start[b + 1] ?? 0) + 1;
  }
  for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] ?? 0) + (start[i] ?? 0);
  const fill = start.slice(0, n);
  const to = new Int32Array(pairs.size * 2);
  const sim = new Float64Array(pairs.size * 2);
  const put = (from: number, other: number, s: number) => {
    const at = fill[from] ?? 0;
    to[at] = other;
    sim[at] = s;
    fill[from] = at + 1;
  };
  for (let p = 0; p < pairs.size; p++) {
    const a = pairs.a[p] ?? 0;
    const b = pairs.b[p] ?? 0;
    const s = pairs.sim[p] ?? 0;
    put(a, b, s);
    put(b, a, s);
  }
  return { start, to, sim };
}

/** Exact: every pair sharing a token, scored through an inverted index. */
function allPairs(forms: Form[], vocabSize: number, threshold: number): Graph {
  const postings: number[][] = Array.from({ length: vocabSize }, () => []);
  const postingWeights: number[][] = Array.from({ length: vocabSize }, () => []);
  const pairs = new Pairs();
  const acc = new Float64Array(forms.length);
  const touched: number[] = [];
  for (let i = 0; i < forms.length; i++) {
    const f = forms[i];
    if (!f) continue;
    // Postings hold only earlier forms, so each pair is scored once.
    for (let k = 0; k < f.tokens.length; k++) {
      const t = f.tokens[k] ?? 0;
      const w = f.weights[k] ?? 0;
      const ps = postings[t] ?? [];
      const ws = postingWeights[t] ?? [];
      for (let p = 0; p < ps.length; p++) {
        const j = ps[p] ?? 0;
        const before = acc[j] ?? 0;
        if (before === 0) touched.push(j);
        acc[j] = before + w * (ws[p] ?? 0);
      }
    }
    for (const j of touched) {
      const sim = acc[j] ?? 0;
      if (sim >= threshold) pairs.add(i, j, sim);
      acc[j] = 0;
    }
    touched.length = 0;
    for (let k = 0; k < f.tokens.length; k++) {
      const t = f.tokens[k] ?? 0;
      postings[t]?.push(i);
      postingWeights[t]?.push(f.weights[k] ?? 0);
    }
  }
  return toGraph(pairs, forms.length);
}

/** Approximate: MinHash LSH proposes pairs, the cosine decides. */
function lshPairs(forms: Form[], { df, n }: Frequencies, threshold: number): Graph {
  const count = forms.length;
  const commonAbove = Math.max(2, n * COMMON_SHARE);
  const seeds = Array.from({ length: BANDS * ROWS }, (_, k) => mix32(Math.imul(k + 1, 0x9e3779b9)));
  const tokenHash = new Uint32Array(df.length);
  for (let t = 0; t < df.length; t++) tokenHash[t] = mix32(t + 0x5bd1e995);

  // One 32-bit key per form and band, hashing the band's rows; a rare collision only adds a candidate.
  const bandKeys = new Uint32Array(count * BANDS);
  const signature = new Uint32Array(BANDS * ROWS);
  for (let i = 0; i < count; i++) {
    const f = forms[i];
    if (!f) continue;
    let set = Array.from(f.tokens).filter((t) => (df[t] ?? 0) <= commonAbove);
    // An item made only of common words ("we need more training") is compared on all of them.
    if (set.length < 2) set = Array.from(f.tokens);
    for (let k = 0; k < seeds.length; k++) {
      const seed = seeds[k] ?? 0;
      let min = 0xffffffff;
      for (const t of set) {
        const h = mix32((tokenHash[t] ?? 0) ^ seed);
        if (h < min) min = h;
      }
      signature[k] = min;
    }
    for (let b = 0; b < BANDS; b++) {
      bandKeys[b * count + i] = mix32((signature[b * ROWS] ?? 0) ^ mix32((signature[b * ROWS + 1] ?? 0) + b));
    }
  }

  // Buckets by sorting: (key, form) packed into one double per form, so equal keys are adjacent with
  // forms ascending. Sorting typed arrays is far cheaper than a hash map of 160,000 keys. Keys lose low
  // bits only past 2^21 forms, to stay within 2^53.
  const scale = 2 ** Math.ceil(Math.log2(count + 1));
  const keyDivisor = 2 ** Math.max(0, Math.log2(scale) - 21);
  const packed = new Float64Array(count);
  const candidates: number[] = [];
  const addRun = (from: number, to: number) => {
    const size = to - from;
    if (size < 2) return;
    const window = size <= BUCKET_CAP ? size : BUCKET_WINDOW;
    for (let x = from; x < to; x++) {
      const i = (packed[x] ?? 0) % scale;
      const end = Math.min(to, x + 1 + window);
      for (let y = x + 1; y < end; y++) candidates.push(i * count + ((packed[y] ?? 0) % scale));
    }
  };
  for (let b = 0; b < BANDS; b++) {
    for (let i = 0; i < count; i++) packed[i] = Math.floor((bandKeys[b * count + i] ?? 0) / keyDivisor) * scale + i;
    packed.sort();
    let runStart = 0;
    let runKey = Math.floor((packed[0] ?? 0) / scale);
    for (let x = 1; x <= count; x++) {
      const key = x < count ? Math.floor((packed[x] ?? 0) / scale) : -1;
      if (key === runKey) continue;
      addRun(runStart, x);
      runStart = x;
      runKey = key;
    }
  }

  // The same pair proposed by several bands is scored once.
  const unique = Float64Array.from(candidates).sort();
  const pairs = new Pairs();
  let previous = -1;
  for (const c of unique) {
    if (c === previous) continue;
    previous = c;
    const i = Math.floor(c / count);
    const j = c % count;
    const a = forms[i];
    const b = forms[j];
    if (!a || !b) continue;
    const sim = dot(a, b);
    if (sim >= threshold) pairs.add(i, j, sim);
  }
  return toGraph(pairs, count);
}

function dot(a: Form, b: Form): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.tokens.length && j < b.tokens.length) {
    const ta = a.tokens[i] ?? 0;
    const tb = b.tokens[j] ?? 0;
    if (ta === tb) s += (a.weights[i++] ?? 0) * (b.weights[j++] ?? 0);
    else if (ta < tb) i++;
    else j++;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------
// Groups

interface Cluster {
  forms: number[];
  all: Form[];
  graph: Graph;
}

function starClusters(forms: Form[], graph: Graph): Cluster[] {
  const degree = forms.map((f, i) => {
    let d = f.items.length - 1;
    for (let e = graph.start[i] ?? 0; e < (graph.start[i + 1] ?? 0); e++) d += forms[graph.to[e] ?? 0]?.items.length ?? 0;
    return d;
  });
  const order = forms.map((_, i) => i);
  order.sort(
    (a, b) =>
      (degree[b] ?? 0) - (degree[a] ?? 0) ||
      (forms[b]?.items.length ?? 0) - (forms[a]?.items.length ?? 0) ||
      (forms[b]?.typicality ?? 0) - (forms[a]?.typicality ?? 0) ||
      firstId(forms[a]) - firstId(forms[b]),
  );
  const assigned = new Uint8Array(forms.length);
  const clusters: Cluster[] = [];
  for (const leader of order) {
    if (assigned[leader]) continue;
    assigned[leader] = 1;
    const members = [leader];
    for (let e = graph.start[leader] ?? 0; e < (graph.start[leader + 1] ?? 0); e++) {
      const other = graph.to[e] ?? 0;
      if (assigned[other]) continue;
      assigned[other] = 1;
      members.push(other);
    }
    clusters.push({ forms: members, all: forms, graph });
  }
  return clusters;
}

function firstId(f: Form | undefined): number {
  return f?.items[0]?.id ?? Number.MAX_SAFE_INTEGER;
}

function rankGroups(clusters: Cluster[]): ItemGroup[] {
  const ranked = clusters.map((c) => {
    const rep = representative(c);
    const repForm = c.all[rep];
    const repItem = repForm?.rep;
    const ids: number[] = [];
    const people = new Set<string>();
    let anonymous = 0;
    for (const f of c.forms) {
      for (const item of c.all[f]?.items ?? []) {
        ids.push(item.id);
        if (item.participant === null) anonymous++;
        else people.add(item.participant);
      }
    }
    ids.sort((a, b) => a - b);
    const repId = repItem?.id ?? 0;
    return {
      group: {
        representative: repId,
        members: [repId, ...ids.filter((id) => id !== repId)],
        participants: people.size + anonymous,
        informative: (repForm?.tokenCount ?? 0) >= MIN_INFORMATIVE_TOKENS,
      },
      typicality: repForm?.typicality ?? 0,
    };
  });
  ranked.sort(
    (a, b) =>
      Number(b.group.informative) - Number(a.group.informative) ||
      b.group.participants - a.group.participants ||
      b.group.members.length - a.group.members.length ||
      b.typicality - a.typicality ||
      a.group.representative - b.group.representative,
  );
  return ranked.map((r) => r.group);
}

/** The member form most similar to the rest of its group; near ties go to the shorter, informative text. */
function representative(c: Cluster): number {
  const inGroup = new Set(c.forms);
  let best = c.forms[0] ?? 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const f of c.forms) {
    const form = c.all[f];
    if (!form) continue;
    let score = form.items.length - 1;
    const { start, to, sim } = c.graph;
    for (let e = start[f] ?? 0; e < (start[f + 1] ?? 0); e++) {
      const other = to[e] ?? 0;
      if (inGroup.has(other)) score += (sim[e] ?? 0) * (c.all[other]?.items.length ?? 0);
    }
    if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && better(form, c.all[best]))) {
      best = f;
      bestScore = Math.max(score, bestScore);
    }
  }
  return best;
}

function better(a: Form, b: Form | undefined): boolean {
  if (!b) return true;
  const ia = a.tokenCount >= MIN_INFORMATIVE_TOKENS;
  const ib = b.tokenCount >= MIN_INFORMATIVE_TOKENS;
  if (ia !== ib) return ia;
  const la = a.rep?.text.length ?? 0;
  const lb = b.rep?.text.length ?? 0;
  if (la !== lb) return la < lb;
  return (a.rep?.id ?? 0) < (b.rep?.id ?? 0);
}

// ---------------------------------------------------------------------------------------------------
// Point text and quote

/** Sentence ends: terminal punctuation (with closing quotes) before a space, or CJK full stops anywhere. */
const SENTENCE_END = /[.!?؟।॥]+["'”’»)\]]*(?= )|[。！？]+[」』”’)）]*/g;

/**
 * A point from an item's text: the whole text when short, else its first sentences; the quote is a
 * verbatim (normalised) span of it: `pointFromText("Grants are late. Also …")` → `{ text, quote }`.
 */
export function pointFromText(raw: string): { text: string; quote: string } | null {
  const clean = normaliseQuote(raw);
  if (clean.length === 0) return null;
  if (clean.length <= MAX_POINT_CHARS) return { text: clean, quote: clean };

  let end = 0;
  for (const m of clean.matchAll(SENTENCE_END)) {
    end = (m.index ?? 0) + m[0].length;
    if (quoteLongEnough(clean.slice(0, end).trim(), clean)) break;
    if (end > MAX_POINT_CHARS) break;
  }
  let quote = end > 0 && end <= MAX_POINT_CHARS ? clean.slice(0, end).trim() : '';
  if (!quoteLongEnough(quote, clean)) quote = cutAtWord(clean, MAX_POINT_CHARS);
  return { text: quote.length < clean.length ? `${quote} …` : quote, quote };
}

/** At most `max` code points, ending at a space when one is in the last third. */
function cutAtWord(s: string, max: number): string {
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  const head = chars.slice(0, max).join('');
  const space = head.lastIndexOf(' ');
  return (space > (head.length * 2) / 3 ? head.slice(0, space) : head).trim();
}
