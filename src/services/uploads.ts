/**
 * What liaisons see of their uploads, and taking one back: an upload stored by mistake (wrong consultation,
 * wrong file, wrong labels, content that should not have been shared) is deleted with everything read from it.
 */
import type { AppContext } from '../context';
import { AppError } from '../errors';
import type { Format, SkipCounts, Warning } from '../ingest/types';
import type { UploadListRow, UploadRemoval } from '../store/store';
import { type Principal, authorize, canSee } from './auth';
import { requireConsultation } from './consultations';
import { storedFindings } from './ingest';

export interface UploadListEntry {
  id: string;
  format: Format;
  channel: string;
  context: string | null;
  /** As stored: redacted when it was written. */
  filename: string | null;
  items: number;
  duplicates: number;
  participants: number;
  skipped: number;
  skippedBy: SkipCounts;
  polls: number;
  /** As stored: redacted when they were written. */
  warnings: Warning[];
  createdAt: string;
}

/** A consultation's uploads, newest first, for anyone who may see the consultation. */
export async function listUploads(ctx: AppContext, by: Principal | null, slug: string): Promise<{ uploads: UploadListEntry[] }> {
  const c = await requireConsultation(ctx, by, slug, 'read');
  const rows = await ctx.store.listUploads(c.id);
  return { uploads: rows.map(toEntry) };
}

/**
 * Deletes an upload, its items (with their tags and their part in the dashboard counters) and the polls
 * imported from it; audited. The same bytes can then be uploaded again as new. Staff get 403, as for any
 * change; an upload of a consultation the caller cannot see is answered like one that does not exist.
 */
export async function deleteUpload(ctx: AppContext, by: Principal | null, id: string): Promise<{ deleted: UploadRemoval }> {
  const principal = authorize(by, 'write');
  const upload = await ctx.store.findUpload(id);
  if (!upload || !canSee(principal, upload.consultationId)) throw new AppError('not_found', `no upload "${id}"`);
  const at = ctx.clock.now().toISOString();
  const deleted = await ctx.store.deleteUpload(upload, (removed) => ({
    at,
    actor: principal.tokenId,
    action: 'upload.delete',
    consultationId: upload.consultationId,
    target: upload.id,
    details: { format: upload.format, items: removed.items, polls: removed.polls },
  }));
  ctx.log.info('upload deleted', { upload: upload.id, items: deleted.items, polls: deleted.polls });
  return { deleted };
}

function toEntry(row: UploadListRow): UploadListEntry {
  return {
    id: row.id,
    ...storedFindings(row),
    channel: row.channel,
    context: row.context,
    filename: row.filename,
    items: row.items,
    duplicates: row.duplicates,
    participants: row.participants,
    polls: row.polls,
    createdAt: row.createdAt,
  };
}
