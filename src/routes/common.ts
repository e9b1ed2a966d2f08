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

/** What formatIssues needs of a zod issue. */
export interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * Validation issues as one message, each field named once:
 * `formatIssues([{ path: ['limit'], message: 'too big' }])` → `"limit: too big"`.
 */
export function formatIssues(issues: readonly IssueLike[]): string {
  // Schemas' messages do not name their field: it is added here, once.
  return issues.map((i) => (i.path.length === 0 ? i.message : `${i.path.map(String).join('.')}: ${i.message}`)).join('; ');
}

/** An OpenAPIHono whose failed validations answer with our error shape. */
export function router(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return c.json({ error: { code: 'invalid_input', message: formatIssues(result.error.issues) } }, 400);
      }
    },
  });
}
