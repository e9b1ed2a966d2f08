import { describe, expect, test } from 'vitest';
import { OpenApiDocument, operationsOf } from '../../src/pages/docs';
import { testEnv } from '../helpers';

/** Hono's `/api/x/:id{[0-9]+}` as OpenAPI's `/api/x/{id}`. */
function openApiPath(path: string): string {
  return path.replace(/:(\w+)(\{(?:[^{}]|\{[^{}]*\})*\})?/g, '{$1}');
}

describe('OpenAPI document', () => {
  test('every /api route mounted in the app is documented', async () => {
    const t = await testEnv();
    const doc = OpenApiDocument.parse(await (await t.app.request('/openapi.json')).json());
    const mounted = t.app.routes
      .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
      .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`);
    const documented = new Set(operationsOf(doc).map((o) => `${o.method} ${o.path}`));
    expect(mounted.length).toBeGreaterThan(10);
    expect([...new Set(mounted)].filter((r) => !documented.has(r))).toEqual([]);
  });

  test('the report exports are in it', async () => {
    const t = await testEnv();
    const doc = OpenApiDocument.parse(await (await t.app.request('/openapi.json')).json());
    for (const file of ['report.wiki', 'report.md', 'report.json', 'items.csv']) {
      expect(doc.paths[`/api/consultations/{slug}/${file}`]?.get).toBeDefined();
    }
  });

  test('/docs lists every documented operation, with no script and nothing from elsewhere', async () => {
    const t = await testEnv();
    const doc = OpenApiDocument.parse(await (await t.app.request('/openapi.json')).json());
    const res = await t.app.request('/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const o of operationsOf(doc)) expect(html).toContain(`id="op-${o.method}-${o.path}"`);
    expect(html).not.toMatch(/<script/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  });

  test.each([
    ['/api/items/:id', '/api/items/{id}'],
    ['/api/items/:id{[0-9]+}/themes', '/api/items/{id}/themes'],
    ['/api/x/:a/:b', '/api/x/{a}/{b}'],
  ])('openApiPath(%s) → %s', (input, expected) => {
    expect(openApiPath(input)).toBe(expected);
  });
});
