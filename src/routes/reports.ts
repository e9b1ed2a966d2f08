/**
 * Report downloads in the liaison's monthly-report structure: wikitext, Markdown, JSON, and every item
 * as CSV. Also reachable with the pages' session cookie (GET only), so the dashboard can link to them.
 */
import { type RouteConfig, z } from '@hono/zod-openapi';
import { itemCsvLine, csvLine, ITEM_CSV_HEADER } from '../reports/csv';
import { renderMarkdown } from '../reports/markdown';
import { renderWikitext } from '../reports/wikitext';
import { exportItems, getReport } from '../services/reports';
import { bearer, errors, router } from './common';
import { sessionForReads } from './session-auth';

const Bucket = z.object({ value: z.string(), items: z.number() });
export const Report = z
  .object({
    consultation: z.object({ slug: z.string(), title: z.string(), language: z.string() }),
    generatedAt: z.string(),
    generator: z.string(),
    participation: z.object({
      items: z.number(),
      participants: z.number(),
      channels: z.array(Bucket),
      contexts: z.array(Bucket),
      languages: z.array(Bucket),
    }),
    themes: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        items: z.number(),
        participants: z.number(),
        contexts: z.array(
          z.object({ context: z.string(), items: z.number(), points: z.array(z.object({ text: z.string(), citations: z.array(z.number()) })) }),
        ),
      }),
    ),
    polls: z.array(
      z.object({
        id: z.string(),
        question: z.string(),
        multiple: z.boolean(),
        source: z.string(),
        participants: z.number().nullable(),
        options: z.array(z.object({ label: z.string(), votes: z.number(), percent: z.number().nullable() })),
        lines: z.array(z.string()),
      }),
    ),
  })
  .openapi('Report');

const params = z.object({ slug: z.string().openapi({ param: { name: 'slug', in: 'path' }, example: 'arabic-2024' }) });
const text = (type: string, description: string) => ({ description, content: { [type]: { schema: z.string() } } });

const DOCS: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/consultations/{slug}/report.wiki',
    tags: ['Reports'],
    security: bearer,
    summary: 'Monthly report as MediaWiki wikitext (participant text cannot become markup)',
    request: { params },
    responses: { 200: text('text/plain', 'Wikitext to paste on Meta-Wiki'), ...errors },
  },
  {
    method: 'get',
    path: '/api/consultations/{slug}/report.md',
    tags: ['Reports'],
    security: bearer,
    summary: 'Monthly report as Markdown',
    request: { params },
    responses: { 200: text('text/markdown', 'Markdown'), ...errors },
  },
  {
    method: 'get',
    path: '/api/consultations/{slug}/report.json',
    tags: ['Reports'],
    security: bearer,
    summary: 'Monthly report as data',
    request: { params },
    responses: { 200: { description: 'The report', content: { 'application/json': { schema: Report } } }, ...errors },
  },
  {
    method: 'get',
    path: '/api/consultations/{slug}/items.csv',
    tags: ['Reports'],
    security: bearer,
    summary: 'Every item as CSV (UTF-8 with BOM; formula-like cells prefixed with an apostrophe)',
    request: { params },
    responses: { 200: text('text/csv', 'id, at, channel, context, language, participant, status, themes, text'), ...errors },
  },
];

export const reports = router();
for (const doc of DOCS) reports.openAPIRegistry.registerPath(doc);

const base = '/api/consultations/:slug';
for (const file of ['report.wiki', 'report.md', 'report.json', 'items.csv']) reports.use(`${base}/${file}`, sessionForReads);

/** `attachment` so a browser saves the file instead of rendering anything in it. */
function download(slug: string, ext: string): string {
  return `attachment; filename="${slug.replace(/[^a-z0-9-]/g, '')}-${ext}"`;
}

reports.get(`${base}/report.wiki`, async (c) => {
  const r = await getReport(c.var.ctx, c.var.principal, c.req.param('slug'));
  c.header('Content-Disposition', download(r.consultation.slug, 'report.wiki'));
  c.header('X-Content-Type-Options', 'nosniff');
  return c.body(renderWikitext(r), 200, { 'Content-Type': 'text/plain; charset=utf-8' });
});

reports.get(`${base}/report.md`, async (c) => {
  const r = await getReport(c.var.ctx, c.var.principal, c.req.param('slug'));
  c.header('Content-Disposition', download(r.consultation.slug, 'report.md'));
  c.header('X-Content-Type-Options', 'nosniff');
  return c.body(renderMarkdown(r), 200, { 'Content-Type': 'text/markdown; charset=utf-8' });
});

reports.get(`${base}/report.json`, async (c) => c.json(await getReport(c.var.ctx, c.var.principal, c.req.param('slug')), 200));

reports.get(`${base}/items.csv`, async (c) => {
  const slug = c.req.param('slug');
  const pages = exportItems(c.var.ctx, c.var.principal, slug);
  // Pull the first page before answering, so a missing consultation is a 404 and not a broken stream.
  const first = await pages.next();
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\ufeff${csvLine([...ITEM_CSV_HEADER])}`));
      if (!first.done) controller.enqueue(encoder.encode(first.value.map(itemCsvLine).join('')));
      if (first.done) controller.close();
    },
    async pull(controller) {
      const next = await pages.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value.map(itemCsvLine).join('')));
    },
  });
  c.header('Content-Disposition', download(slug, 'items.csv'));
  c.header('X-Content-Type-Options', 'nosniff');
  return c.body(stream, 200, { 'Content-Type': 'text/csv; charset=utf-8' });
});
