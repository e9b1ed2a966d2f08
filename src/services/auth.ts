/**
 * Tokens and roles. Tokens are random secrets shown once and stored as SHA-256 only.
 * admin: everything · liaison: create consultations, upload, review, run polls in granted ones ·
 * staff: read dashboards and reports of granted ones.
 */
import type { Role } from '../../schema';
import type { AppContext } from '../context';
import { randomToken, sha256Hex, timingSafeEqual } from '../crypto/hash';
import { AppError } from '../errors';

export interface Principal {
  tokenId: string;
  role: Role;
  /** Consultation ids this principal is granted (all, for admin). */
  consultations: string[];
}

export type Action = 'read' | 'write' | 'admin';

const TOKEN_PREFIX = 'sfp_';

/** Finds who a bearer token belongs to; null when it is unknown or revoked. */
export async function authenticate(ctx: AppContext, bearer: string): Promise<Principal | null> {
  const hash = await sha256Hex(bearer);
  if (ctx.config.ADMIN_TOKEN !== undefined && timingSafeEqual(hash, await sha256Hex(ctx.config.ADMIN_TOKEN))) {
    return { tokenId: 'env-admin', role: 'admin', consultations: [] };
  }
  const row = await ctx.store.findTokenByHash(hash);
  if (!row || row.revokedAt !== null) return null;
  return { tokenId: row.id, role: row.role, consultations: parseIdList(row.consultations) };
}

/** Throws unless the principal may do `action` on the consultation (or globally, without one). */
export function authorize(principal: Principal | null, action: Action, consultationId?: string): Principal {
  if (!principal) throw new AppError('unauthorized', 'send an API token as "Authorization: Bearer <token>"');
  if (principal.role === 'admin') return principal;
  if (action === 'admin') throw new AppError('forbidden', 'this needs an admin token');
  if (action === 'write' && principal.role === 'staff') {
    throw new AppError('forbidden', 'staff tokens can read dashboards and reports but not change anything');
  }
  if (consultationId !== undefined && !principal.consultations.includes(consultationId)) {
    // Same answer as for a missing consultation, so a token cannot probe which slugs exist.
    throw new AppError('not_found', 'no such consultation');
  }
  return principal;
}

/** True when the principal may see the consultation at all. */
export function canSee(principal: Principal, consultationId: string): boolean {
  return principal.role === 'admin' || principal.consultations.includes(consultationId);
}

export interface IssueToken {
  role: Role;
  consultations?: string[];
  label?: string;
}

/** Creates a token; the secret is returned once and only its hash is kept. */
export async function issueToken(ctx: AppContext, by: Principal, input: IssueToken): Promise<{ token: string; id: string }> {
  authorize(by, 'admin');
  const ids: string[] = [];
  for (const slug of input.consultations ?? []) {
    const c = await ctx.store.findConsultation(slug);
    if (!c) throw new AppError('invalid_input', `consultations: no consultation with slug "${slug}"`);
    ids.push(c.id);
  }
  const token = TOKEN_PREFIX + randomToken(32);
  const id = crypto.randomUUID();
  const at = ctx.clock.now().toISOString();
  await ctx.store.insertToken(
    { id, hash: await sha256Hex(token), role: input.role, label: input.label ?? null, consultations: JSON.stringify(ids), createdAt: at },
    { at, actor: by.tokenId, action: 'token.create', target: id, details: { role: input.role, consultations: ids.length } },
  );
  return { token, id };
}

/**
 * On a server with no admin token configured and none stored, makes one so the operator can get in.
 * Returns the secret (to print once) or null when an admin can already sign in.
 */
export async function ensureBootstrapAdmin(ctx: AppContext): Promise<string | null> {
  if (ctx.config.ADMIN_TOKEN !== undefined) return null;
  if ((await ctx.store.countTokens('admin')) > 0) return null;
  const system: Principal = { tokenId: 'system', role: 'admin', consultations: [] };
  const { token } = await issueToken(ctx, system, { role: 'admin', label: 'generated at first start' });
  return token;
}

function parseIdList(json: string): string[] {
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
