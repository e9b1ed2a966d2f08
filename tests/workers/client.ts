/** Calls the Worker's fetch handler inside workerd as the admin, waiting for its background work. */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/worker';

export const ADMIN = 'workers-test-admin-token-0123';

export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${ADMIN}`);
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://feedback.test${path}`, { ...init, headers }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
