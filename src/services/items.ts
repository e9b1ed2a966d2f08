/** Reading feedback items and correcting their themes. */
import { z } from 'zod';
import { ITEM_STATUSES } from '../../schema';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import type { ItemView } from '../store/store';
import { type Principal, authorize, canSee } from './auth';
import { requireConsultation } from './consultations';

export const ItemQuery = z.object({
  theme: z.string().max(64).optional(),
  context: z.string().max(200).optional(),
  channel: z.string().max(200).optional(),
  status: z.enum(ITEM_STATUSES).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'pass the nextCursor of the previous page')
    .optional(),
});
export type ItemQuery = z.infer<typeof ItemQuery>;

export async function listItems(
  ctx: AppContext,
  by: Principal | null,
  slug: string,
  query: ItemQuery,
): Promise<{ items: ItemView[]; nextCursor: string | null }> {
  const c = await requireConsultation(ctx, by, slug, 'read');
  const rows = await ctx.store.listItems({
    consultationId: c.id,
    theme: query.theme,
    context: query.context,
    channel: query.channel,
    status: query.status,
    q: query.q,
    limit: query.limit + 1,
    before: query.cursor !== undefined ? Number(query.cursor) : undefined,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page, nextCursor: rows.length > query.limit && last ? String(last.id) : null };
}

export const SetThemes = z.object({
  themes: z.array(z.string().max(64)).max(20),
});
export type SetThemes = z.infer<typeof SetThemes>;

/** A reviewer's tags replace the machine's for this item; the change is audited. */
export async function setItemThemes(ctx: AppContext, by: Principal | null, itemId: number, input: SetThemes): Promise<ItemView> {
  const principal = authorize(by, 'write');
  const item = await ctx.store.findItem(itemId);
  if (!item || !canSee(principal, item.consultationId)) throw new AppError('not_found', `no item ${itemId}`);
  const known = new Set((await ctx.store.themesOf(item.consultationId)).map((t) => t.key));
  const unknown = input.themes.filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new AppError('invalid_input', `themes: unknown theme key(s) ${unknown.map((k) => `"${k}"`).join(', ')}; use the keys of GET /api/consultations/:slug`);
  }
  const keys = [...new Set(input.themes)];
  const before = (await ctx.store.tagsOf([itemId])).get(itemId) ?? [];
  await ctx.store.setHumanThemes(item, keys, {
    at: ctx.clock.now().toISOString(),
    actor: principal.tokenId,
    action: 'item.themes',
    consultationId: item.consultationId,
    target: String(itemId),
    details: { before: before.map((t) => `${t.key}:${t.source}`), after: keys },
  });
  const [view] = await ctx.store.listItems({ consultationId: item.consultationId, limit: 1, before: itemId + 1 });
  if (!view) throw new AppError('not_found', `no item ${itemId}`);
  return view;
}

/** Deletes everything a participant said in a consultation (admin only). */
export async function eraseParticipant(ctx: AppContext, by: Principal | null, slug: string, participant: string): Promise<{ erased: number }> {
  const c = await requireConsultation(ctx, by, slug, 'admin');
  const p = await ctx.store.findParticipant(c.id, participant);
  if (!p) throw new AppError('not_found', `no participant "${participant}" in this consultation`);
  const erased = await ctx.store.eraseParticipant(c.id, p.pseudonym, {
    at: ctx.clock.now().toISOString(),
    actor: by?.tokenId ?? 'system',
    action: 'participant.erase',
    consultationId: c.id,
    target: p.label,
  });
  return { erased };
}
