import { createRoute, z } from '@hono/zod-openapi';
import { router } from './common';

export const health = router().openapi(
  createRoute({
    method: 'get',
    path: '/healthz',
    tags: ['System'],
    responses: { 200: { description: 'Alive', content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } } } },
  }),
  (c) => c.json({ ok: true as const }, 200),
);
