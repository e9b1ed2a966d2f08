/** What every route module shares: the Hono env, the error shape and the OpenAPI app factory. */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import type { Principal } from '../services/auth';

export type AppEnv = { Variables: { ctx: AppContext; principal: Principal | null } };

export const ErrorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error');

/** Standard error responses for the docs. */
export const errors = {
  400: { description: 'Invalid input', content: { 'application/json': { schema: ErrorBody } } },
  401: { description: 'No or unknown token', content: { 'application/json': { schema: ErrorBody } } },
  403: { description: 'Not allowed for this role', content: { 'application/json': { schema: ErrorBody } } },
  404: { description: 'Not found or not visible to this token', content: { 'application/json': { schema: ErrorBody } } },
} as const;

export const bearer = [{ Bearer: [] }];

/** An OpenAPIHono whose failed validations answer with our error shape. */
export function router(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const message = result.error.issues
          .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
          .join('; ');
        return c.json({ error: { code: 'invalid_input', message } }, 400);
      }
    },
  });
}
