import { type RouteConfig, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors';
import { requireConsultation } from '../services/consultations';
import { UploadOptions, ingestUpload } from '../services/ingest';
import { deleteUpload, listUploads } from '../services/uploads';
import { type AppEnv, bearer, errors, formatIssues, router } from './common';

const UploadResult = z
  .object({
    upload: z.object({
      id: z.string(),
      format: z.string(),
      items: z.number(),
      duplicates: z.number(),
      skipped: z.number(),
      skippedBy: z.object({ system: z.number(), media: z.number(), deleted: z.number(), empty: z.number() }),
      participants: z.number(),
      polls: z.number(),
      redactions: z.object({ phone: z.number(), email: z.number(), name: z.number() }),
      warnings: z.array(z.object({ code: z.string(), message: z.string(), line: z.number().optional() })),
    }),
    duplicate: z.boolean(),
  })
  .openapi('UploadResult');

const OPTION_KEYS = ['format', 'channel', 'context', 'language', 'filename', 'textColumn', 'multiSelect'] as const;

const path = '/api/consultations/{slug}/uploads';

/** The body is read by hand (raw bytes of any type, or multipart), so the docs are registered apart from the handler. */
const doc: RouteConfig = {
  method: 'post',
  path,
  tags: ['Uploads'],
  security: bearer,
  summary: 'Upload a raw export (WhatsApp .txt/.zip, Telegram result.json, Facebook JSON, survey CSV, notes, wikitext)',
  description:
    'Send the file bytes as the body (any content type), or multipart/form-data with a `file` field. Options come as query or form fields. The same bytes again answer 200 with `duplicate: true`.',
  request: {
    params: z.object({ slug: z.string() }),
    query: UploadOptions.partial(),
    body: {
      required: true,
      content: {
        'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) },
        'multipart/form-data': { schema: UploadOptions.partial().extend({ file: z.string().openapi({ format: 'binary' }) }) },
      },
    },
  },
  responses: {
    201: { description: 'Stored', content: { 'application/json': { schema: UploadResult } } },
    200: { description: 'The same bytes were uploaded before: nothing new stored', content: { 'application/json': { schema: UploadResult } } },
    413: { description: 'Larger than the upload limit, or a zip that expands too far', content: errors[400].content },
    415: { description: 'Not a supported format', content: errors[400].content },
    422: { description: 'The file could not be read; nothing was stored', content: errors[400].content },
    ...errors,
  },
};

export const uploads = router();
uploads.openAPIRegistry.registerPath(doc);
uploads.post(
  '/api/consultations/:slug/uploads',
  // Who may write here is settled before the body is read: the body limit below buffers up to the whole
  // upload, and an anonymous or read-only caller should get its 401/403/404 without that, and before its
  // options are judged. ingestUpload checks again; the same service rule answers both times.
  async (c, next) => {
    await requireConsultation(c.var.ctx, c.var.principal, c.req.param('slug'), 'write');
    await next();
  },
  (c, next) =>
    bodyLimit({
      maxSize: c.var.ctx.config.MAX_UPLOAD_BYTES,
      onError: () => {
        throw new AppError('too_large', `the upload is larger than the limit of ${c.var.ctx.config.MAX_UPLOAD_BYTES} bytes`);
      },
    })(c, next),
  async (c) => {
    const { bytes, fields } = await readUpload(c);
    const options = UploadOptions.safeParse({ ...optionFields(c.req.query()), ...fields });
    if (!options.success) throw new AppError('invalid_input', formatIssues(options.error.issues));
    const result = await ingestUpload(c.var.ctx, c.var.principal, c.req.param('slug'), bytes, options.data);
    const { duplicate, ...upload } = result;
    return c.json({ upload, duplicate }, duplicate ? 200 : 201);
  },
);

const UploadEntry = z
  .object({
    id: z.string(),
    format: z.string(),
    channel: z.string(),
    context: z.string().nullable(),
    filename: z.string().nullable().openapi({ description: 'As given, redacted like the items' }),
    items: z.number().openapi({ description: 'Items stored from this upload' }),
    duplicates: z.number().openapi({ description: 'Messages the consultation held already, stored under the upload that brought them first' }),
    participants: z.number(),
    skipped: z.number(),
    skippedBy: z.object({ system: z.number(), media: z.number(), deleted: z.number(), empty: z.number() }),
    polls: z.number(),
    warnings: z.array(z.object({ code: z.string(), message: z.string(), line: z.number().optional() })),
    createdAt: z.string(),
  })
  .openapi('UploadEntry');

uploads.openapi(
  createRoute({
    method: 'get',
    path,
    tags: ['Uploads'],
    security: bearer,
    summary: "A consultation's uploads, newest first",
    request: { params: z.object({ slug: z.string() }) },
    responses: {
      200: { description: 'Newest first', content: { 'application/json': { schema: z.object({ uploads: z.array(UploadEntry) }) } } },
      ...errors,
    },
  }),
  async (c) => c.json(await listUploads(c.var.ctx, c.var.principal, c.req.valid('param').slug), 200),
);

uploads.openapi(
  createRoute({
    method: 'delete',
    path: '/api/uploads/{id}',
    tags: ['Uploads'],
    security: bearer,
    summary: 'Delete an upload with its items, their tags and the polls imported from it (liaison of its consultation, or admin; audited)',
    description:
      'Items a later upload also held were stored once, under the first upload that brought them, and go with it. The same bytes can be uploaded again afterwards.',
    request: { params: z.object({ id: z.string().min(1).max(100) }) },
    responses: {
      200: {
        description: 'What was deleted',
        content: { 'application/json': { schema: z.object({ deleted: z.object({ items: z.number(), polls: z.number() }) }) } },
      },
      ...errors,
    },
  }),
  async (c) => c.json(await deleteUpload(c.var.ctx, c.var.principal, c.req.valid('param').id), 200),
);

/** The file bytes from a raw body or a multipart `file` field, and any option fields sent along. */
async function readUpload(c: Context<AppEnv>): Promise<{ bytes: Uint8Array<ArrayBuffer>; fields: Record<string, string> }> {
  if (!isMultipart(c.req.header('content-type'))) {
    return { bytes: new Uint8Array(await c.req.arrayBuffer()), fields: {} };
  }
  const form = await parseMultipart(c);
  const file = form.file;
  if (!(file instanceof File)) throw new AppError('invalid_input', 'multipart upload: put the export in a field named "file"');
  const fields = optionFields(form);
  if (fields.filename === undefined && file.name) fields.filename = file.name;
  return { bytes: new Uint8Array(await file.arrayBuffer()), fields };
}

/** Media types are case-insensitive (RFC 9110 §8.3.1): `Multipart/Form-Data; boundary=x` is multipart too. */
function isMultipart(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() === 'multipart/form-data';
}

/** The multipart form, or invalid_input when the body is not one (no or wrong boundary, cut short, garbage). */
async function parseMultipart(c: Context<AppEnv>): ReturnType<Context<AppEnv>['req']['parseBody']> {
  try {
    return await c.req.parseBody();
  } catch (err) {
    if (err instanceof AppError) throw err;
    // fetch's FormData parser says only "Failed to parse body as FormData"; say what to check instead.
    throw new AppError(
      'invalid_input',
      'the multipart/form-data body could not be read: check that it is complete and that its boundary matches the one in Content-Type, or send the file bytes as the body; nothing was stored',
    );
  }
}

/** The upload options present in a query or a form; an empty value counts as not sent, in either. */
function optionFields(source: Readonly<Record<string, unknown>>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const key of OPTION_KEYS) {
    const v = source[key];
    if (typeof v === 'string' && v !== '') fields[key] = v;
  }
  return fields;
}
