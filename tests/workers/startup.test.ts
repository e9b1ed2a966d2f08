import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, test } from 'vitest';
import worker from '../../src/worker';

async function fetchWith(vars: Record<string, unknown>, path: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://feedback.test${path}`), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe('a Worker that cannot start answers in the API error shape', () => {
  test.each([
    ['an admin token too short to be safe', { ADMIN_TOKEN: 'short' }],
    ['no database: neither a D1 binding nor a libsql:// URL', { DB: undefined, DATABASE_URL: undefined }],
  ])('%s → 500 JSON without the reason; the same Worker with good settings serves', async (_, vars) => {
    const res = await fetchWith(vars, '/healthz');
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: { code: 'internal', message: 'the server is not configured correctly; its log says why' } });
    expect((await fetchWith({}, '/healthz')).status).toBe(200);
  });
});
