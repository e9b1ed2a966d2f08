/**
 * Tagging pending items with the consultation's themes: the LLM when one is configured, else the offline
 * tagger. Items are never lost: when the model is unreachable they stay pending for a later run.
 */
import type { AppContext, TagJob } from '../context';
import { createOfflineTagger } from '../tagging/offline';
import type { ConsultationRow } from '../store/store';
import type { ItemToTag, MachineOutcome, TaggingRun } from '../store/tagging-store';
import type { Principal } from './auth';
import { requireConsultation } from './consultations';
import { tagItemsWithLlm } from './tagging-llm';

export interface TaggingSummary {
  tagged: number;
  pending: number;
  undecided: number;
  none: number;
  run: Omit<TaggingRun, 'consultationId'>;
}

const CHUNK = 500;

/** POST /tagging: tags everything pending now (Node) or hands it to the queue (Workers). */
export async function requestTagging(ctx: AppContext, by: Principal | null, slug: string, mode: 'now' | 'queue'): Promise<TaggingSummary | { queued: number; pending: number }> {
  const c = await requireConsultation(ctx, by, slug, 'write');
  if (mode === 'queue') {
    const ids = await ctx.store.tagging.pendingIds(c.id);
    for (let i = 0; i < ids.length; i += CHUNK) await ctx.tasks.enqueue({ kind: 'tag', consultationId: c.id, itemIds: ids.slice(i, i + CHUNK) });
    return { queued: ids.length, pending: ids.length };
  }
  return tagPendingItems(ctx, c);
}

/** A background job: the queue consumer and the Node runner call this. */
export async function runTagJob(ctx: AppContext, job: TagJob): Promise<TaggingSummary | null> {
  const consultation = await ctx.store.findConsultationById(job.consultationId);
  if (!consultation) return null; // deleted meanwhile: nothing to do, and nothing to retry
  return tagPendingItems(ctx, consultation, job.itemIds);
}

/** Tags the consultation's pending items (or the pending ones among `itemIds`) and records the run. */
export async function tagPendingItems(ctx: AppContext, consultation: ConsultationRow, itemIds?: number[]): Promise<TaggingSummary> {
  const themes = await ctx.store.themesOf(consultation.id);
  const run: TaggingRun = {
    id: crypto.randomUUID(),
    consultationId: consultation.id,
    generator: ctx.llm ? 'llm' : 'offline',
    model: ctx.llm?.model ?? null,
    startedAt: ctx.clock.now().toISOString(),
    finishedAt: null,
    tagged: 0,
    undecided: 0,
    pending: 0,
    requests: 0,
    cacheHits: 0,
    promptTokens: 0,
    completionTokens: 0,
    costUsd: 0,
    errors: [],
  };
  let none = 0;
  const offline = ctx.llm ? null : createOfflineTagger(themes.map((t) => ({ key: t.key, label: t.label, description: t.description })));

  let afterId = 0;
  let queue = itemIds ? [...itemIds].sort((a, b) => a - b) : null;
  for (;;) {
    let batch: ItemToTag[];
    if (queue) {
      if (queue.length === 0) break;
      batch = await ctx.store.tagging.pendingItemsByIds(consultation.id, queue.slice(0, CHUNK));
      queue = queue.slice(CHUNK);
    } else {
      batch = await ctx.store.tagging.pendingItems(consultation.id, CHUNK, afterId);
      if (batch.length === 0) break;
      afterId = batch[batch.length - 1]?.id ?? afterId;
    }
    if (batch.length === 0) continue;

    let results: { item: ItemToTag; result: MachineOutcome }[];
    if (offline) {
      results = batch.map((item) => ({ item, result: offline.tag(item.text, item.language) }));
    } else if (ctx.llm) {
      const out = await tagItemsWithLlm(ctx, ctx.llm, themes, batch);
      run.requests += out.requests;
      run.cacheHits += out.cacheHits;
      run.promptTokens += out.promptTokens;
      run.completionTokens += out.completionTokens;
      run.costUsd += out.costUsd;
      run.errors.push(...out.errors);
      results = out.results;
    } else {
      results = [];
    }
    await ctx.store.tagging.writeMachineTags(consultation.id, ctx.llm ? 'llm' : 'offline', results);
    for (const { result } of results) {
      if (result.outcome === 'themes' && result.themes.length > 0) run.tagged++;
      else if (result.outcome === 'none') none++;
      else run.undecided++;
    }
    // An unreachable model leaves the rest pending; stop instead of hammering it for every chunk.
    if (run.errors.length > 0 && results.length === 0) break;
  }
  run.finishedAt = ctx.clock.now().toISOString();
  run.pending = await ctx.store.tagging.countPending(consultation.id);
  await ctx.store.tagging.saveRun(run);
  ctx.log.info('tagging run', { consultation: consultation.slug, generator: run.generator, tagged: run.tagged, undecided: run.undecided, pending: run.pending });
  const { consultationId: _omit, ...rest } = run;
  return { tagged: run.tagged, pending: run.pending, undecided: run.undecided, none, run: rest };
}
