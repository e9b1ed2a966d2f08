import { type RouteConfig, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors';
import { UploadOptions, ingestUpload } from '../services/ingest';
import { type AppEnv, bearer, errors, router } from './common';

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
  (c, next) =>
    bodyLimit({
      maxSize: c.var.ctx.config.MAX_UPLOAD_BYTES,
      onError: () => {
        throw new AppError('too_large', `the upload is larger than the limit of ${c.var.ctx.config.MAX_UPLOAD_BYTES} bytes`);
      },
    })(c, next),
  async (c) => {
    const { bytes, fields } = await readUpload(c);
    const options = UploadOptions.safeParse({ ...c.req.query(), ...fields });
    if (!options.success) {
      throw new AppError('invalid_input', options.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    const result = await ingestUpload(c.var.ctx, c.var.principal, c.req.param('slug'), bytes, options.data);
    const { duplicate, ...upload } = result;
    return c.json({ upload, duplicate }, duplicate ? 200 : 201);
  },
);

/** The file bytes from a raw body or a multipart `file` field, and any option fields sent along. */
async function readUpload(c: Context<AppEnv>): Promise<{ bytes: Uint8Array<ArrayBuffer>; fields: Record<string, string> }> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) {
    return { bytes: new Uint8Array(await c.req.arrayBuffer()), fields: {} };
  }
  const form = await c.req.parseBody();
  const file = form.file;
  if (!(file instanceof File)) throw new AppError('invalid_input', 'multipart upload: put the export in a field named "file"');
  const fields: Record<string, string> = {};
  for (const key of OPTION_KEYS) {
    const v = form[key];
    if (typeof v === 'string' && v !== '') fields[key] = v;
  }
  if (fields.filename === undefined && file.name) fields.filename = file.name;
  return { bytes: new Uint8Array(await file.arrayBuffer()), fields };
}
