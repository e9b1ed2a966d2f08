/**
 * Deterministic multilingual theme tagger used when no LLM is configured. Two signals are added up per
 * theme:
 *  1. curated lexicons (./lexicon) of concepts in en/fr/es/pt/de/ar/ja/bn, mixed into preset themes by
 *     ./lexicon/themes.ts — custom themes whose label names a preset theme borrow its mix;
 *  2. overlap with the theme's own label and description (rare words weigh more), so custom themes with
 *     only a label and a description still work.
 * Pure: no I/O, no clock, no randomness; the same text always gets the same tags.
 */
import { matchThemeHint, PRESETS, presetTheme } from '../taxonomy/presets';
import { LEXICONS } from './lexicon/index';
import { arabicBase, arabicForms, foldText, isArabic, NO_SPACE_SCRIPT, tokenize } from './lexicon/normalise';
import { THEME_CONCEPTS } from './lexicon/themes';
import { CONCEPTS, type ConceptKey, type Term } from './lexicon/types';

export type OfflineTag =
  | { outcome: 'themes'; themes: { key: string; confidence: number }[] }
  | { outcome: 'none' }
  | { outcome: 'undecided' };

export interface OfflineTheme {
  key: string;
  label: string;
  description?: string;
}

export interface OfflineTagger {
  tag(text: string, language?: string | null): OfflineTag;
  /** Why a text got its tag: lexicon terms found and each theme's score (for reviewers and tuning). */
  explain(text: string, language?: string | null): OfflineExplanation;
}

export interface OfflineExplanation {
  tag: OfflineTag;
  matched: { concept: string; term: string; weight: number }[];
  scores: { key: string; lexical: number; similarity: number; score: number }[];
  offTopic: number;
  contentWords: number;
}

/** Score at which a theme counts as evidenced at all. */
const MIN_EVIDENCE = 0.45;
/** Score of one unmistakable lexicon hit; below it, evidence is "weak". */
const STRONG = 0.95;
/** A further theme is reported when it reaches this share of the best score. */
const RELATIVE = 0.5;
const MAX_THEMES = 3;
/** Content words above which a message with no theme evidence is "about something else", not unclear. */
const LONG_TEXT = 8;
/** Concept hits beyond this add nothing: one long rant about grants is still one theme. */
const CONCEPT_CAP = 3;
/** Weight of description similarity next to a curated lexicon (it is the only signal for custom themes). */
const SIMILARITY_WITH_LEXICON = 0.4;
/** Bounded work per item: feedback items are short, a pasted book is truncated. */
const MAX_CHARS = 20_000;

const OFF = CONCEPTS.length;
/** Slot of neutral phrases: they cover matches inside them and score nothing. */
const NEUTRAL = OFF + 1;

// ---------------------------------------------------------------------------------------------------
// Lexicon compilation (once per process)

interface Pattern {
  value: string;
  prefix: boolean;
}
interface Entry {
  id: number;
  slot: number;
  weight: number;
  patterns: Pattern[];
  /** The term as written in the lexicon, for explanations. */
  term: string;
}
interface Compiled {
  exact: Map<string, Entry[]>;
  prefix: Map<string, Entry[]>;
  maxPrefix: number;
  /** Substring entries (scripts without spaces) by their first character. */
  substrings: Map<string, Entry[]>;
  stopwords: Set<string>;
  /** Terms that reduced to nothing (all stopwords); a lexicon test asserts there are none. */
  dropped: string[];
}

const MIN_PREFIX = 3;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function compile(): Compiled {
  const stopwords = new Set<string>();
  for (const lex of LEXICONS) for (const w of lex.stopwords) stopwords.add(foldText(w));
  const out: Compiled = { exact: new Map(), prefix: new Map(), maxPrefix: 0, substrings: new Map(), stopwords, dropped: [] };
  const seen = new Map<string, Entry>();
  let nextId = 0;

  const add = (term: Term, slot: number) => {
    const [raw, weight] = typeof term === 'string' ? [term, 1] : term;
    if (NO_SPACE_SCRIPT.test(raw)) {
      const value = foldText(raw).replace(/\s+/g, '');
      const key = `${slot}|~${value}`;
      const existing = seen.get(key);
      if (existing) existing.weight = Math.max(existing.weight, weight);
      else {
        const entry: Entry = { id: nextId++, slot, weight, patterns: [{ value, prefix: false }], term: raw };
        seen.set(key, entry);
        if (value !== '') push(out.substrings, value.charAt(0), entry);
      }
      return;
    }
    const patterns: Pattern[] = [];
    for (const piece of raw.split(/\s+/)) {
      const star = piece.endsWith('*');
      const words = tokenize(foldText(piece));
      words.forEach((value, i) => {
        const prefix = star && i === words.length - 1 && value.length >= MIN_PREFIX;
        if (prefix || !stopwords.has(value)) patterns.push({ value, prefix });
      });
    }
    const first = patterns[0];
    if (!first) {
      out.dropped.push(raw);
      return;
    }
    const key = `${slot}|${patterns.map((p) => p.value + (p.prefix ? '*' : '')).join(' ')}`;
    const existing = seen.get(key);
    if (existing) {
      existing.weight = Math.max(existing.weight, weight);
      return;
    }
    const entry: Entry = { id: nextId++, slot, weight, patterns, term: raw };
    seen.set(key, entry);
    if (first.prefix) {
      push(out.prefix, first.value, entry);
      out.maxPrefix = Math.max(out.maxPrefix, first.value.length);
    } else {
      for (const v of pluralForms(first.value)) push(out.exact, v, entry);
    }
  };

  for (const lex of LEXICONS) {
    for (const concept of CONCEPTS) for (const term of lex.concepts[concept] ?? []) add(term, CONCEPTS.indexOf(concept));
    for (const term of lex.offTopic) add(term, OFF);
    for (const term of lex.neutral ?? []) add(term, NEUTRAL);
  }
  return out;
}

/** A word written without `*` also matches its -s/-es plural (Latin script only). */
function pluralForms(value: string): string[] {
  return /[a-z]$/.test(value) ? [value, `${value}s`, `${value}es`] : [value];
}

function matchesPattern(forms: readonly string[], p: Pattern): boolean {
  for (const f of forms) {
    if (p.prefix ? f.startsWith(p.value) : f === p.value || (/[a-z]$/.test(p.value) && (f === `${p.value}s` || f === `${p.value}es`))) {
      return true;
    }
  }
  return false;
}

/**
 * Entries whose first word matches a token. Memoised because feedback reuses a small vocabulary; the
 * cache only remembers lexicon lookups, so results do not depend on what was tagged before.
 */
const firstWordCache = new Map<string, Entry[]>();
function entriesStartingAt(lex: Compiled, token: string): Entry[] {
  const cached = firstWordCache.get(token);
  if (cached) return cached;
  const found: Entry[] = [...(lex.exact.get(token) ?? [])];
  for (let n = Math.min(token.length, lex.maxPrefix); n >= MIN_PREFIX; n--) {
    const px = lex.prefix.get(token.slice(0, n));
    if (px) found.push(...px);
  }
  if (firstWordCache.size > 50_000) firstWordCache.clear();
  firstWordCache.set(token, found);
  return found;
}

let compiled: Compiled | null = null;
function lexicon(): Compiled {
  compiled ??= compile();
  return compiled;
}

/** Lexicon terms that compile to no word at all (all stopwords): `droppedLexiconTerms()` → `[]`. */
export function droppedLexiconTerms(): string[] {
  return [...lexicon().dropped];
}

// ---------------------------------------------------------------------------------------------------
// Text analysis

interface Analysis {
  /** Summed weight per concept slot, then off-topic, then neutral (always 0). */
  concepts: Float64Array;
  /** Distinct similarity terms of the text. */
  terms: Set<string>;
  /** Content words (not stopwords), a measure of how much the message says. */
  content: number;
  hasLetters: boolean;
  matched: Entry[];
}

const URL = /\bhttps?:\/\/\S+|\bwww\.\S+/g;
const EMAIL_OR_MENTION = /\S+@\S+|(?:^|\s)@\S+/g;
const CLOCK_TIME = /\b\d{1,2}[:h.]\d{2}\b|\b\d{1,2}\s?(?:am|pm)\b|\d{1,2}時/g;
const LETTER = /\p{L}/u;
const HAN_OR_KANA = /[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff]/;
const HIRAGANA_ONLY = /^[\u3040-\u309f]+$/;

let segmenterCache: Map<string, Intl.Segmenter> | null = null;
function segmenter(locale: string): Intl.Segmenter | null {
  if (typeof Intl === 'undefined' || typeof Intl.Segmenter !== 'function') return null;
  segmenterCache ??= new Map();
  let s = segmenterCache.get(locale);
  if (!s) {
    s = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenterCache.set(locale, s);
  }
  return s;
}

/** Words of a run written without spaces; falls back to the run itself where Intl.Segmenter is missing. */
function segmentRun(run: string, language: string | null | undefined): string[] {
  const locale = /^(zh|ko|th)/i.test(language ?? '') ? (language ?? 'ja').slice(0, 2).toLowerCase() : /[\u0e00-\u0e7f]/.test(run) ? 'th' : 'ja';
  const seg = segmenter(locale);
  if (!seg) return [run];
  const words: string[] = [];
  for (const s of seg.segment(run)) if (s.isWordLike) words.push(s.segment);
  return words;
}

const LATIN_SUFFIXES = [
  'ational', 'ations', 'ation', 'ements', 'ement', 'ments', 'ment', 'idades', 'idad', 'ciones', 'cion', 'ities',
  'ites', 'ite', 'ity', 'sions', 'sion', 'ness', 'ings', 'ing', 'ies', 'eurs', 'eur', 'euse', 'ives', 'ive',
  'ics', 'ic', 'aux', 'als', 'al', 'ers', 'er', 'es', 'ed', 'ly', 's', 'e', 'a', 'o',
];
const ARABIC_SUFFIXES = ['يات', 'ات', 'ون', 'ين', 'يه', 'ها', 'هم', 'ه', 'ي'];

const stemCache = new Map<string, string>();
/** Crude language-neutral stemmer for similarity only: both sides go through it, so errors cancel out. */
function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = stemUncached(word);
    if (stemCache.size > 50_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

function stemUncached(word: string): string {
  if (isArabic(word)) {
    const base = arabicBase(word);
    for (const s of ARABIC_SUFFIXES) if (base.endsWith(s) && base.length - s.length >= 3) return base.slice(0, -s.length);
    return base;
  }
  if (word.length <= 4 || !/^[a-z]+$/.test(word)) return word;
  for (const s of LATIN_SUFFIXES) if (word.endsWith(s) && word.length - s.length >= 4) return word.slice(0, -s.length);
  return word;
}

/** Similarity terms of a run without spaces: its words, and character bigrams of kanji/katakana words. */
function runTerms(words: readonly string[], into: Set<string>): number {
  let content = 0;
  for (const w of words) {
    if (HIRAGANA_ONLY.test(w)) {
      if (w.length >= 4) content++;
      continue;
    }
    content++;
    if (!HAN_OR_KANA.test(w)) continue;
    if (w.length <= 2) into.add(w);
    else for (let i = 0; i + 2 <= w.length; i++) into.add(w.slice(i, i + 2));
  }
  return content;
}

function analyse(text: string, language: string | null | undefined): Analysis {
  const lex = lexicon();
  const concepts = new Float64Array(NEUTRAL + 1);
  const terms = new Set<string>();
  let folded = foldText(text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text);
  let urls = 0;
  let times = 0;
  if (folded.includes('http') || folded.includes('www.')) {
    urls = folded.match(URL)?.length ?? 0;
    folded = folded.replace(URL, ' ');
  }
  if (folded.includes('@')) folded = folded.replace(EMAIL_OR_MENTION, ' ');
  if (/\d/.test(folded)) times = folded.match(CLOCK_TIME)?.length ?? 0;
  // French "j'ai" would otherwise yield the token "ai" (artificial intelligence).
  if (folded.includes('j')) folded = folded.replace(/\bj['’]ai\b/g, 'jai');
  concepts[OFF] = 0.5 * Math.min(urls, 2) + 0.6 * Math.min(times, 2);

  // Space-delimited scripts: token stream without stopwords, each token with its Arabic variants.
  const forms: string[][] = [];
  const runs: string[] = [];
  let content = 0;
  for (const tok of tokenize(folded)) {
    if (NO_SPACE_SCRIPT.test(tok)) {
      runs.push(tok);
      continue;
    }
    if (lex.stopwords.has(tok)) continue;
    const variants = isArabic(tok) ? arabicForms(tok) : [tok];
    if (variants.length > 1 && variants.slice(1).every((v) => lex.stopwords.has(v))) continue;
    forms.push(variants);
    if (LETTER.test(tok)) content++;
    if (tok.length >= 3 && LETTER.test(tok)) terms.add(stem(tok));
  }

  interface Hit {
    entry: Entry;
    start: number;
    end: number;
  }
  const hits: Hit[] = [];
  const candidates: Entry[] = [];
  for (let i = 0; i < forms.length; i++) {
    const here = forms[i] ?? [];
    candidates.length = 0;
    for (const f of here) for (const e of entriesStartingAt(lex, f)) candidates.push(e);
    for (let c = 0; c < candidates.length; c++) {
      const entry = candidates[c] as Entry;
      // The same entry can come back through another Arabic form of the same token.
      if (candidates.indexOf(entry) !== c) continue;
      let ok = true;
      for (let k = 1; k < entry.patterns.length && ok; k++) {
        const p = entry.patterns[k];
        const at = forms[i + k];
        ok = p !== undefined && at !== undefined && matchesPattern(at, p);
      }
      if (ok) hits.push({ entry, start: i, end: i + entry.patterns.length });
    }
  }

  // Runs without spaces: lexicon substrings over the whole run, words for similarity.
  const subHits: Hit[] = [];
  if (runs.length > 0) {
    const joined = runs.join(' ');
    for (let at = 0; at < joined.length; at++) {
      for (const entry of lex.substrings.get(joined.charAt(at)) ?? []) {
        const value = entry.patterns[0]?.value ?? '';
        if (joined.startsWith(value, at)) subHits.push({ entry, start: at, end: at + value.length });
      }
    }
    for (const run of runs) content += runTerms(segmentRun(run, language), terms);
  }

  // One piece of evidence per span and concept: "museums" matches museum (de), museum* (en) and museu*
  // (pt) but counts once; a longer match swallows the words inside it ("code of conduct" is not about
  // code, 資金調達 fundraising is not 資金 grants, "capacity building" is not also "capacity").
  const counted = new Set<number>();
  const matched: Entry[] = [];
  for (const list of [hits, subHits]) {
    const best = new Map<string, Hit>();
    for (const h of list) {
      const len = h.end - h.start;
      const covered = list.some(
        (o) => o !== h && o.start <= h.start && o.end >= h.end && (o.end - o.start > len || o.entry.slot === NEUTRAL),
      );
      if (covered || h.entry.slot === NEUTRAL) continue;
      const key = `${h.entry.slot}:${h.start}:${h.end}`;
      const kept = best.get(key);
      if (!kept || h.entry.weight > kept.entry.weight) best.set(key, h);
    }
    for (const h of best.values()) {
      if (counted.has(h.entry.id)) continue;
      counted.add(h.entry.id);
      matched.push(h.entry);
      concepts[h.entry.slot] = (concepts[h.entry.slot] ?? 0) + h.entry.weight;
    }
  }
  return { concepts, terms, content, hasLetters: LETTER.test(folded), matched };
}

// ---------------------------------------------------------------------------------------------------
// Theme models

const GENERIC = [
  'wikimedia', 'wikipedia', 'wiki', 'movement', 'mouvement', 'movimiento', 'community', 'communities', 'communaute',
  'comunidad', 'project', 'projects', 'projet', 'proyecto', 'people', 'personnes', 'personas', 'work', 'travail',
  'trabajo', 'support', 'soutien', 'apoyo', 'new', 'nouveau', 'nuevo', 'other', 'autres', 'otros', 'such', 'their',
  'ويكيميديا', 'ويكيبيديا', 'الحركة', 'المجتمع', 'المجتمعات', 'المشاريع', 'ウィキメディア', 'ウィキペディア',
  'ムーブメント', 'コミュニティ', 'プロジェクト',
];
let genericTerms: Set<string> | null = null;
function generic(): Set<string> {
  if (!genericTerms) {
    const set = new Set<string>();
    for (const w of GENERIC) for (const t of analyse(w, 'ja').terms) set.add(t);
    genericTerms = set;
  }
  return genericTerms;
}

interface ThemeModel {
  key: string;
  mix: Float64Array;
  hasLexicon: boolean;
  vocabulary: Map<string, number>;
}

function conceptMix(theme: OfflineTheme): Float64Array | null {
  const mix = new Float64Array(OFF);
  const known =
    THEME_CONCEPTS[theme.key] ??
    THEME_CONCEPTS[matchThemeHint(theme.label, [...PRESETS['wm2030-working-groups'], ...PRESETS['wm2030-recommendations']]) ?? ''];
  if (!known) return null;
  for (const [concept, weight] of Object.entries(known)) mix[CONCEPTS.indexOf(concept as ConceptKey)] = weight;
  return mix;
}

function buildModels(themes: readonly OfflineTheme[]): { models: ThemeModel[]; idf: Map<string, number> } {
  const models: ThemeModel[] = [];
  const keys = new Set<string>();
  for (const theme of themes) {
    if (keys.has(theme.key)) continue;
    keys.add(theme.key);
    const sources: [string, number][] = [
      [theme.label, 1],
      [theme.description ?? '', 0.5],
    ];
    const preset = presetTheme(theme.key);
    if (preset) {
      for (const lang of ['en', 'ar', 'fr', 'ja'] as const) sources.push([preset.label[lang], 1], [preset.description[lang], 0.5]);
    }
    const vocabulary = new Map<string, number>();
    for (const [text, weight] of sources) {
      for (const term of analyse(text, null).terms) {
        if (generic().has(term)) continue;
        vocabulary.set(term, Math.max(vocabulary.get(term) ?? 0, weight));
      }
    }
    const mix = conceptMix(theme);
    models.push({ key: theme.key, mix: mix ?? new Float64Array(OFF), hasLexicon: mix !== null, vocabulary });
  }
  const df = new Map<string, number>();
  for (const m of models) for (const term of m.vocabulary.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const n = models.length;
  const idf = new Map<string, number>();
  for (const [term, count] of df) idf.set(term, Math.log(1 + n / count) / Math.log(1 + n));
  return { models, idf };
}

function confidence(score: number): number {
  return Math.min(1, Math.max(0.001, Math.round((1 - Math.exp(-score / 1.2)) * 1000) / 1000));
}

/**
 * Build a tagger for a consultation's themes:
 * `createOfflineTagger(PRESETS["wm2030-working-groups"].map(t => ({ key: t.key, label: t.label.en })))
 *   .tag("Les subventions sont trop difficiles à obtenir")` → `{ outcome: "themes", themes: [{ key: "resource-allocation", … }] }`.
 */
export function createOfflineTagger(themes: readonly OfflineTheme[]): OfflineTagger {
  const { models, idf } = buildModels(themes);
  // Inverted index term → (theme, weight × idf), so a text costs one lookup per term, not one per theme.
  const postings = new Map<string, [number, number][]>();
  models.forEach((m, i) => {
    for (const [term, w] of m.vocabulary) push(postings, term, [i, w * (idf.get(term) ?? 0)]);
  });

  const parts = (a: Analysis): { lexical: number; similarity: number; score: number }[] => {
    const similarity = new Float64Array(models.length);
    for (const term of a.terms) for (const [i, w] of postings.get(term) ?? []) similarity[i] = (similarity[i] ?? 0) + w;
    return models.map((m, i) => {
      let lexical = 0;
      if (m.hasLexicon) for (let c = 0; c < OFF; c++) if (m.mix[c]) lexical += (m.mix[c] ?? 0) * Math.min(a.concepts[c] ?? 0, CONCEPT_CAP);
      const sim = Math.min(similarity[i] ?? 0, CONCEPT_CAP);
      return { lexical, similarity: sim, score: lexical + (m.hasLexicon ? SIMILARITY_WITH_LEXICON * sim : sim) };
    });
  };

  const offTopicOf = (a: Analysis) => (a.concepts[OFF] ?? 0) * (a.content <= 6 ? 1 : a.content <= 12 ? 0.5 : 0.2);

  const decide = (a: Analysis, scores: readonly number[]): OfflineTag => {
    if (!a.hasLetters) return { outcome: 'none' };
    const order = scores.map((s, i) => [s, i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
    const best = order[0]?.[0] ?? 0;
    const second = order[1]?.[0] ?? 0;
    // Greetings and logistics only outweigh theme words in short messages: a long comment that opens
    // with "thanks" is still feedback.
    const off = offTopicOf(a);

    if (best < MIN_EVIDENCE) return off > 0 || a.content >= LONG_TEXT ? { outcome: 'none' } : { outcome: 'undecided' };
    if (off >= best) return { outcome: 'none' };
    if (best < STRONG && (a.content < 4 || second >= 0.85 * best)) return { outcome: 'undecided' };

    const picked: { key: string; confidence: number }[] = [];
    for (const [s, i] of order) {
      if (picked.length >= MAX_THEMES || s < MIN_EVIDENCE || s < RELATIVE * best) break;
      const model = models[i];
      if (model) picked.push({ key: model.key, confidence: confidence(s) });
    }
    return picked.length > 0 ? { outcome: 'themes', themes: picked } : { outcome: 'undecided' };
  };

  const safeText = (text: unknown): string => (typeof text === 'string' ? text : '');

  return {
    tag(text: string, language?: string | null): OfflineTag {
      const a = analyse(safeText(text), language);
      return decide(a, parts(a).map((p) => p.score));
    },
    explain(text: string, language?: string | null): OfflineExplanation {
      const a = analyse(safeText(text), language);
      const p = parts(a);
      return {
        tag: decide(a, p.map((x) => x.score)),
        matched: a.matched.map((e) => ({ concept: CONCEPTS[e.slot] ?? 'off-topic', term: e.term, weight: e.weight })),
        scores: p.map((x, i) => ({ key: models[i]?.key ?? '', ...x })).sort((x, y) => y.score - x.score),
        offTopic: offTopicOf(a),
        contentWords: a.content,
      };
    },
  };
}
