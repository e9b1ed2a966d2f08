/** Start-up work shared by the Node and Workers entries. */
import type { Config } from '../config';
import type { AppContext } from '../context';
import { randomToken } from '../crypto/hash';
import type { Store } from '../store/store';
import type { Principal } from './auth';
import { createConsultation } from './consultations';
import { type UploadOptions, ingestUpload } from './ingest';

/**
 * The server secret behind pseudonyms: PSEUDONYM_SECRET when set (recommended: then the database alone
 * cannot recompute anyone's pseudonym), else one generated once and kept in the settings table.
 */
export async function resolvePseudonymSecret(store: Store, config: Config): Promise<string> {
  if (config.PSEUDONYM_SECRET !== undefined) return config.PSEUDONYM_SECRET;
  return store.putSettingIfAbsent('pseudonym_secret', randomToken(32));
}

export interface DemoFile {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
  options: UploadOptions;
}

/** Builds the demo consultation from the project's synthetic exports when the database has none. */
export async function seedDemoIfEmpty(ctx: AppContext, files: DemoFile[]): Promise<boolean> {
  if ((await ctx.store.countConsultations()) > 0) return false;
  const system: Principal = { tokenId: 'system', role: 'admin', consultations: [] };
  await createConsultation(ctx, system, {
    slug: 'demo',
    title: 'Demo consultation (synthetic data)',
    language: 'en',
    taxonomy: 'wm2030-working-groups',
  });
  for (const f of files) await ingestUpload(ctx, system, 'demo', f.bytes, { ...f.options, filename: f.name });
  return true;
}
