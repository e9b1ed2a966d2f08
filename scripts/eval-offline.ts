/**
 * Accuracy report of the offline tagger on the hand-labelled set (tests/fixtures/tagging/labelled.json).
 * Run: `npx tsx scripts/eval-offline.ts` (`--errors` lists misses of the tuning split, `--errors-all` all misses).
 *
 * Top-1: the labelled primary theme must be the tagger's highest-confidence theme; `undecided` counts as
 * wrong. Items labelled with no theme are chit-chat and should come out `none`. Held-out = every third
 * item (index % 3 === 2), which was not looked at while tuning weights and thresholds.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createOfflineTagger, type OfflineTag, type OfflineTagger } from '../src/tagging/offline';
import { PRESETS } from '../src/taxonomy/presets';

export const LabelledItem = z.object({
  text: z.string(),
  language: z.string(),
  themes: z.array(z.string()),
});
export type LabelledItem = z.infer<typeof LabelledItem>;

export interface Tally {
  correct: number;
  total: number;
}

export interface EvalReport {
  /** Themed items: primary theme is the tagger's first theme. */
  top1: Tally;
  /** Themed items: the tagger's first theme is one of the labelled themes. */
  top1AnyLabel: Tally;
  /** Themed items and chit-chat together (chit-chat is right when the outcome is `none`). */
  overall: Tally;
  heldOut: Tally;
  tuning: Tally;
  perTheme: Map<string, Tally>;
  perLanguage: Map<string, Tally>;
  /** Of the items tagged `none`, how many were chit-chat. */
  nonePrecision: Tally;
  /** Of the chit-chat items, how many were tagged `none`. */
  noneRecall: Tally;
  undecided: number;
  misses: { index: number; item: LabelledItem; got: OfflineTag }[];
}

const bump = (map: Map<string, Tally>, key: string, ok: boolean) => {
  const t = map.get(key) ?? { correct: 0, total: 0 };
  t.total++;
  if (ok) t.correct++;
  map.set(key, t);
};
const add = (t: Tally, ok: boolean) => {
  t.total++;
  if (ok) t.correct++;
};

/** Load and validate the labelled set. */
export function loadLabelled(path: string): LabelledItem[] {
  return z.array(LabelledItem).parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** The working-group preset as the tagger sees a consultation's themes (English label and description). */
export function workingGroupTagger(): OfflineTagger {
  return createOfflineTagger(
    PRESETS['wm2030-working-groups'].map((t) => ({ key: t.key, label: t.label.en, description: t.description.en })),
  );
}

/** Score a tagger on labelled items. */
export function evaluate(tagger: OfflineTagger, items: readonly LabelledItem[]): EvalReport {
  const r: EvalReport = {
    top1: { correct: 0, total: 0 },
    top1AnyLabel: { correct: 0, total: 0 },
    overall: { correct: 0, total: 0 },
    heldOut: { correct: 0, total: 0 },
    tuning: { correct: 0, total: 0 },
    perTheme: new Map(),
    perLanguage: new Map(),
    nonePrecision: { correct: 0, total: 0 },
    noneRecall: { correct: 0, total: 0 },
    undecided: 0,
    misses: [],
  };
  items.forEach((item, index) => {
    const got = tagger.tag(item.text, item.language);
    const primary = item.themes[0];
    const first = got.outcome === 'themes' ? got.themes[0]?.key : undefined;
    if (got.outcome === 'undecided') r.undecided++;
    let ok: boolean;
    if (primary === undefined) {
      ok = got.outcome === 'none';
      add(r.noneRecall, ok);
    } else {
      ok = first === primary;
      add(r.top1, ok);
      add(r.top1AnyLabel, first !== undefined && item.themes.includes(first));
      bump(r.perTheme, primary, ok);
      bump(r.perLanguage, item.language, ok);
    }
    if (got.outcome === 'none') add(r.nonePrecision, primary === undefined);
    add(r.overall, ok);
    add(index % 3 === 2 ? r.heldOut : r.tuning, ok);
    if (!ok) r.misses.push({ index, item, got });
  });
  return r;
}

const pct = (t: Tally) => (t.total === 0 ? '   n/a' : `${((100 * t.correct) / t.total).toFixed(1).padStart(5)}%`);
const row = (name: string, t: Tally) => `| ${name.padEnd(26)} | ${pct(t)} | ${String(t.correct).padStart(3)}/${String(t.total).padEnd(3)} |`;

/** Render the report as a Markdown table. */
export function formatReport(r: EvalReport, itemsPerSecond?: number): string {
  const lines = ['| measure                    |  value |  n      |', '|----------------------------|--------|---------|'];
  lines.push(row('top-1 (themed items)', r.top1));
  lines.push(row('top-1 in any label', r.top1AnyLabel));
  lines.push(row('overall incl. chit-chat', r.overall));
  lines.push(row('tuning split (i%3 != 2)', r.tuning));
  lines.push(row('held-out split (i%3 == 2)', r.heldOut));
  lines.push(row('none precision', r.nonePrecision));
  lines.push(row('none recall', r.noneRecall));
  for (const [k, t] of [...r.perTheme].sort()) lines.push(row(`theme ${k}`, t));
  for (const [k, t] of [...r.perLanguage].sort()) lines.push(row(`language ${k}`, t));
  lines.push(`| undecided outcomes         | ${String(r.undecided).padStart(6)} |         |`);
  if (itemsPerSecond !== undefined) lines.push(`| speed, warm (items/s)      | ${String(Math.round(itemsPerSecond)).padStart(6)} |         |`);
  return lines.join('\n');
}

function main(): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const items = loadLabelled(join(here, '..', 'tests', 'fixtures', 'tagging', 'labelled.json'));
  const tagger = workingGroupTagger();
  const report = evaluate(tagger, items);

  // Speed over 2,000 items with a fresh tagger: first pass cold (lexicon compilation, JIT, caches empty),
  // second pass warm. CPU time is shown too because wall time swings with other load on the machine.
  const batch = Array.from({ length: 2000 }, (_, i) => items[i % items.length] as LabelledItem);
  const fresh = workingGroupTagger();
  const pass = () => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const it of batch) fresh.tag(it.text, it.language);
    const cpu = process.cpuUsage(c0);
    return { wall: batch.length / ((performance.now() - t0) / 1000), cpu: batch.length / ((cpu.user + cpu.system) / 1e6) };
  };
  const cold = pass();
  const warm = pass();

  console.log(formatReport(report, warm.wall));
  console.log(
    `\nspeed over ${batch.length} items: cold ${Math.round(cold.wall)} items/s (${Math.round(cold.cpu)}/cpu-s), ` +
      `warm ${Math.round(warm.wall)} items/s (${Math.round(warm.cpu)}/cpu-s)`,
  );
  // --errors lists misses of the tuning split only, so the held-out third stays unseen; --errors-all lists every miss.
  const all = process.argv.includes('--errors-all');
  if (all || process.argv.includes('--errors')) {
    for (const m of report.misses.filter((x) => all || x.index % 3 !== 2)) {
      const got = m.got.outcome === 'themes' ? m.got.themes.map((t) => `${t.key}:${t.confidence}`).join(',') : m.got.outcome;
      console.log(`#${m.index} [${m.item.language}] want ${m.item.themes.join(',') || 'none'} got ${got} :: ${m.item.text}`);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
