import { createRoute, z } from '@hono/zod-openapi';
import { requestTagging } from '../services/tagging';
import { SummaryQuery, getThemeSummary } from '../services/summaries';
import { getThemeStats } from '../services/themes';
import { bearer, errors, router } from './common';

const Counts = z.record(z.string(), z.number());
const TaggingResult = z
  .object({
    tagged: z.number(),
    pending: z.number(),
    undecided: z.number(),
    none: z.number().optional(),
    queued: z.number().optional(),
    run: z
      .object({
        id: z.string(),
        generator: z.string(),
        model: z.string().nullable(),
        requests: z.number(),
        cacheHits: z.number(),
        promptTokens: z.number(),
        completionTokens: z.number(),
        costUsd: z.number(),
        errors: z.array(z.string()),
      })
      .partial()
      .optional(),
  })
  .openapi('TaggingResult');

const Agreement = z.object({ reviewed: z.number(), agreed: z.number(), machineOnly: z.number(), humanOnly: z.number(), rate: z.number().nullable() });
const ThemeStats = z
  .object({
    totals: z.object({ items: z.number(), participants: z.number(), untagged: z.number(), pending: z.number(), undecided: z.number(), none: z.number() }),
    themes: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        items: z.number(),
        participants: z.number(),
        byContext: Counts,
        byChannel: Counts,
        byLanguage: Counts,
        agreement: Agreement,
      }),
    ),
  })
  .openapi('ThemeStats');

const Slug = z.object({ slug: z.string() });

export const tagging = router()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/consultations/{slug}/tagging',
      tags: ['Tagging'],
      security: bearer,
      summary: 'Tag pending items now (Node) or enqueue them (Workers)',
      request: { params: Slug },
      responses: { 200: { description: 'What the run did, with token and cost accounting', content: { 'application/json': { schema: TaggingResult } } }, ...errors },
    }),
    async (c) => {
      const ctx = c.var.ctx;
      const out = await requestTagging(ctx, c.var.principal, c.req.valid('param').slug, ctx.runtime === 'workers' ? 'queue' : 'now');
      if ('queued' in out) return c.json({ tagged: 0, pending: out.pending, undecided: 0, queued: out.queued }, 200);
      return c.json({ tagged: out.tagged, pending: out.pending, undecided: out.undecided, none: out.none, run: out.run }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/consultations/{slug}/themes',
      tags: ['Tagging'],
      security: bearer,
      summary: 'Items and distinct participants per theme, by context and channel, with machine–human agreement',
      request: { params: Slug },
      responses: { 200: { description: 'Theme figures', content: { 'application/json': { schema: ThemeStats } } }, ...errors },
    }),
    async (c) => c.json(await getThemeStats(c.var.ctx, c.var.principal, c.req.valid('param').slug), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/consultations/{slug}/themes/{key}/summary',
      tags: ['Tagging'],
      security: bearer,
      summary: 'Key points of a theme (optionally one context), each with citations and a verbatim quote',
      description: 'Cached; `stale` is true when items changed since. Pass refresh=true to recompute what changed.',
      request: { params: z.object({ slug: z.string(), key: z.string() }), query: SummaryQuery },
      responses: {
        200: {
          description: 'Key points',
          content: {
            'application/json': {
              schema: z
                .object({
                  theme: z.string(),
                  context: z.string().nullable(),
                  points: z.array(z.object({ text: z.string(), citations: z.array(z.number()), quote: z.string() })),
                  generator: z.string(),
                  stale: z.boolean(),
                  items: z.number(),
                  createdAt: z.string(),
                  warnings: z.array(z.string()).optional(),
                })
                .openapi('ThemeSummary'),
            },
          },
        },
        ...errors,
      },
    }),
    async (c) => {
      const { slug, key } = c.req.valid('param');
      return c.json(await getThemeSummary(c.var.ctx, c.var.principal, slug, key, c.req.valid('query')), 200);
    },
  );
