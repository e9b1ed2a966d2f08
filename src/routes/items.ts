import { createRoute, z } from '@hono/zod-openapi';
import { ItemQuery, SetThemes, eraseParticipant, listItems, setItemThemes } from '../services/items';
import { bearer, errors, router } from './common';

export const Item = z
  .object({
    id: z.number(),
    text: z.string(),
    themes: z.array(z.object({ key: z.string(), confidence: z.number(), source: z.enum(['human', 'llm', 'offline']) })),
    status: z.enum(['pending', 'tagged', 'none', 'undecided']),
    channel: z.string(),
    context: z.string().nullable(),
    language: z.string().nullable(),
    participant: z.string().nullable().openapi({ description: 'Pseudonym label, never a name or number', example: 'P-3F9K2A' }),
    at: z.string().nullable(),
  })
  .openapi('Item');

export const items = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/consultations/{slug}/items',
      tags: ['Items'],
      security: bearer,
      request: { params: z.object({ slug: z.string() }), query: ItemQuery },
      responses: {
        200: {
          description: 'Newest first; pass nextCursor as cursor for the next page',
          content: { 'application/json': { schema: z.object({ items: z.array(Item), nextCursor: z.string().nullable() }) } },
        },
        ...errors,
      },
    }),
    async (c) => c.json(await listItems(c.var.ctx, c.var.principal, c.req.valid('param').slug, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/api/items/{id}/themes',
      tags: ['Items'],
      security: bearer,
      summary: "Set a reviewer's themes for an item (source human; audited)",
      request: {
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: { required: true, content: { 'application/json': { schema: SetThemes } } },
      },
      responses: {
        200: { description: 'The item with its themes now', content: { 'application/json': { schema: Item } } },
        ...errors,
      },
    }),
    async (c) => c.json(await setItemThemes(c.var.ctx, c.var.principal, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/consultations/{slug}/participants/{participant}',
      tags: ['Privacy'],
      security: bearer,
      summary: "Erase everything a participant said (admin); give the pseudonym label, e.g. P-3F9K2A",
      request: { params: z.object({ slug: z.string(), participant: z.string().max(64) }) },
      responses: {
        200: { description: 'How many items were deleted', content: { 'application/json': { schema: z.object({ erased: z.number() }) } } },
        ...errors,
      },
    }),
    async (c) => {
      const { slug, participant } = c.req.valid('param');
      return c.json(await eraseParticipant(c.var.ctx, c.var.principal, slug, participant), 200);
    },
  );
