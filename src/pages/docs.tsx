/**
 * `/docs`: the OpenAPI document as a plain server-rendered page (no CDN, no script): every path and
 * method with its summary, parameters, request body and responses, then the named schemas.
 */
import { z } from 'zod';
import { type Lang, type MessageKey, t } from '../i18n';
import { type Flash, Layout, type PageUser } from './layout';

const Content = z.record(z.string(), z.object({ schema: z.unknown().optional() }).passthrough());
const Operation = z
  .object({
    summary: z.string().optional(),
    description: z.string().optional(),
    tags: z.array(z.string()).optional(),
    security: z.array(z.record(z.string(), z.unknown())).optional(),
    parameters: z
      .array(
        z
          .object({ name: z.string(), in: z.string(), required: z.boolean().optional(), description: z.string().optional(), schema: z.unknown().optional() })
          .passthrough(),
      )
      .optional(),
    requestBody: z.object({ required: z.boolean().optional(), description: z.string().optional(), content: Content.optional() }).passthrough().optional(),
    responses: z.record(z.string(), z.object({ description: z.string().optional(), content: Content.optional() }).passthrough()).optional(),
  })
  .passthrough();
export type Operation = z.infer<typeof Operation>;

export const OpenApiDocument = z
  .object({
    openapi: z.string(),
    info: z.object({ title: z.string(), version: z.string(), description: z.string().optional() }).passthrough(),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
    components: z.object({ schemas: z.record(z.string(), z.unknown()).optional() }).passthrough().optional(),
  })
  .passthrough();
export type OpenApiDocument = z.infer<typeof OpenApiDocument>;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export interface OperationEntry {
  method: string;
  path: string;
  op: Operation;
}

/** Every operation of the document in path order, methods in HTTP_METHODS order. */
export function operationsOf(doc: OpenApiDocument): OperationEntry[] {
  const out: OperationEntry[] = [];
  for (const path of Object.keys(doc.paths).sort()) {
    const item = doc.paths[path] ?? {};
    for (const method of HTTP_METHODS) {
      const parsed = Operation.safeParse(item[method]);
      if (parsed.success && item[method] !== undefined) out.push({ method, path, op: parsed.data });
    }
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A schema as a short type expression: `schemaText({ type: 'array', items: { $ref: '#/components/schemas/Item' } })` → 'Item[]'.
 */
export function schemaText(schema: unknown, depth = 0): string {
  if (!isRecord(schema)) return 'any';
  const ref = schema.$ref;
  if (typeof ref === 'string') return ref.slice(ref.lastIndexOf('/') + 1);
  const nullable = schema.nullable === true ? ' | null' : '';
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) return union.map((s) => schemaText(s, depth)).join(' | ') + nullable;
  if (Array.isArray(schema.allOf)) return schema.allOf.map((s) => schemaText(s, depth)).join(' & ') + nullable;
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ') + nullable;
  const type = schema.type;
  if (type === 'array') return `${schemaText(schema.items, depth)}[]${nullable}`;
  if (type === 'object' || isRecord(schema.properties)) {
    const props = isRecord(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? schema.required.filter((x): x is string => typeof x === 'string') : []);
    const keys = Object.keys(props);
    if (keys.length === 0) {
      const extra = schema.additionalProperties;
      return `{ [key: string]: ${isRecord(extra) ? schemaText(extra, depth + 1) : 'any'} }${nullable}`;
    }
    if (depth >= 3) return `{ … }${nullable}`;
    return `{ ${keys.map((k) => `${k}${required.has(k) ? '' : '?'}: ${schemaText(props[k], depth + 1)}`).join('; ')} }${nullable}`;
  }
  const format = typeof schema.format === 'string' ? ` (${schema.format})` : '';
  return `${typeof type === 'string' ? type : 'any'}${format}${nullable}`;
}

function ContentList(props: { content: z.infer<typeof Content> | undefined }) {
  const entries = Object.entries(props.content ?? {});
  if (entries.length === 0) return null;
  return (
    <ul>
      {entries.map(([type, c]) => (
        <li>
          <code>{type}</code>: <code>{schemaText(c.schema)}</code>
        </li>
      ))}
    </ul>
  );
}

export interface DocsProps {
  lang: Lang;
  url: string;
  user: PageUser | null;
  flash: Flash[];
  doc: OpenApiDocument;
}

export function DocsPage(p: DocsProps) {
  const tr = (k: MessageKey, params?: Record<string, string | number>) => t(p.lang, k, params);
  const ops = operationsOf(p.doc);
  const schemas = Object.entries(p.doc.components?.schemas ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Layout lang={p.lang} title={tr('docs.title')} url={p.url} user={p.user} flash={p.flash}>
      <p dir="ltr" lang="en">
        <b>{p.doc.info.title}</b> {p.doc.info.version} · OpenAPI {p.doc.openapi}
      </p>
      <p>
        {tr('docs.intro', { url: '/openapi.json' })} <a href="/openapi.json">/openapi.json</a>
      </p>
      <nav class="card">
        <ul>
          {ops.map((o) => (
            <li dir="ltr">
              <a href={`#op-${o.method}-${o.path}`}>
                <code>
                  {o.method.toUpperCase()} {o.path}
                </code>
              </a>{' '}
              {o.op.summary ?? ''}
            </li>
          ))}
        </ul>
      </nav>
      {ops.map((o) => (
        <section class="card operation" id={`op-${o.method}-${o.path}`} dir="ltr" lang="en">
          <h2>
            <code>
              {o.method.toUpperCase()} {o.path}
            </code>
          </h2>
          {o.op.summary ? <p>{o.op.summary}</p> : null}
          {o.op.description ? <p class="muted">{o.op.description}</p> : null}
          <p class="meta">
            {(o.op.tags ?? []).map((tag) => (
              <span class="tag">{tag}</span>
            ))}
            {o.op.security && o.op.security.length > 0 ? <span>Bearer</span> : null}
          </p>
          {o.op.parameters && o.op.parameters.length > 0 ? (
            <>
              <h3>{tr('docs.params')}</h3>
              <div class="scroll">
                <table>
                  <tbody>
                    {o.op.parameters.map((prm) => (
                      <tr>
                        <td>
                          <code>{prm.name}</code>
                        </td>
                        <td>{prm.in}</td>
                        <td>
                          <code>{schemaText(prm.schema)}</code>
                        </td>
                        <td>{prm.required ? tr('docs.required') : ''}</td>
                        <td>{prm.description ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
          {o.op.requestBody ? (
            <>
              <h3>
                {tr('docs.body')}
                {o.op.requestBody.required ? ` (${tr('docs.required')})` : ''}
              </h3>
              <ContentList content={o.op.requestBody.content} />
            </>
          ) : null}
          <h3>{tr('docs.responses')}</h3>
          <ul>
            {Object.entries(o.op.responses ?? {}).map(([status, r]) => (
              <li>
                <b>{status}</b> {r.description ?? ''}
                <ContentList content={r.content} />
              </li>
            ))}
          </ul>
        </section>
      ))}
      <h2>{tr('docs.schemas')}</h2>
      {schemas.map(([name, schema]) => (
        <section class="card" id={`schema-${name}`} dir="ltr" lang="en">
          <h3>
            <code>{name}</code>
          </h3>
          <pre>{schemaText(schema)}</pre>
        </section>
      ))}
    </Layout>
  );
}
