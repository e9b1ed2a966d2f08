import { createRoute, z } from '@hono/zod-openapi';
import { CreateConsultation, createConsultation, getConsultation, listConsultations } from '../services/consultations';
import { authorize } from '../services/auth';
import { bearer, errors, router } from './common';

const Theme = z.object({ key: z.string(), label: z.string(), description: z.string(), labels: z.record(z.string(), z.string()).optional() });
export const Consultation = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    language: z.string(),
    taxonomy: z.string(),
    createdAt: z.string(),
    themes: z.array(Theme),
  })
  .openapi('Consultation');
const Slug = z.object({ slug: z.string().openapi({ param: { name: 'slug', in: 'path' }, example: 'arabic-2024' }) });

export const consultations = router()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/consultations',
      tags: ['Consultations'],
      security: bearer,
      summary: 'Create a consultation with a preset or custom theme list',
      request: { body: { required: true, content: { 'application/json': { schema: CreateConsultation } } } },
      responses: {
        201: { description: 'Created', content: { 'application/json': { schema: Consultation } } },
        ...errors,
      },
    }),
    async (c) => {
      const by = authorize(c.var.principal, 'write');
      return c.json(await createConsultation(c.var.ctx, by, c.req.valid('json')), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/consultations',
      tags: ['Consultations'],
      security: bearer,
      responses: {
        200: { description: 'Consultations this token may see', content: { 'application/json': { schema: z.object({ consultations: z.array(Consultation) }) } } },
        ...errors,
      },
    }),
    async (c) => c.json({ consultations: await listConsultations(c.var.ctx, c.var.principal) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/consultations/{slug}',
      tags: ['Consultations'],
      security: bearer,
      request: { params: Slug },
      responses: {
        200: { description: 'The consultation with its themes', content: { 'application/json': { schema: Consultation } } },
        ...errors,
      },
    }),
    async (c) => c.json(await getConsultation(c.var.ctx, c.var.principal, c.req.valid('param').slug), 200),
  );
