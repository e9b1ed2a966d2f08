import { createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../../schema';
import { issueToken } from '../services/auth';
import { authorize } from '../services/auth';
import { bearer, errors, router } from './common';

const CreateToken = z.object({
  role: z.enum(ROLES),
  consultations: z.array(z.string()).max(1000).optional(),
  label: z.string().max(200).optional(),
});

export const tokens = router().openapi(
  createRoute({
    method: 'post',
    path: '/api/tokens',
    tags: ['Auth'],
    security: bearer,
    summary: 'Create an API token (admin)',
    request: { body: { required: true, content: { 'application/json': { schema: CreateToken } } } },
    responses: {
      201: { description: 'The token, shown once', content: { 'application/json': { schema: z.object({ token: z.string(), id: z.string() }) } } },
      ...errors,
    },
  }),
  async (c) => {
    const by = authorize(c.var.principal, 'admin');
    const created = await issueToken(c.var.ctx, by, c.req.valid('json'));
    return c.json(created, 201);
  },
);
