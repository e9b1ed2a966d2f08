/**
 * Browser sessions: signing in with an API token gives a random session id in an HttpOnly cookie; the
 * database keeps only its SHA-256, the token it came from and a per-session CSRF token. Each request
 * re-reads the token, so revoking it or changing its grants takes effect on open sessions at once.
 */
import type { AppContext } from '../context';
import { randomToken, sha256Hex, timingSafeEqual } from '../crypto/hash';
import { AppError } from '../errors';
import { type Principal, authenticate } from './auth';

/** How long a session lasts after sign-in. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface Session {
  principal: Principal;
  csrf: string;
  expiresAt: string;
}

export interface NewSession extends Session {
  /** The secret for the cookie; only its hash is stored. */
  id: string;
}

/** Exchanges an API token for a new session; throws unauthorized when the token is not valid. */
export async function signIn(ctx: AppContext, token: string): Promise<NewSession> {
  const principal = token.trim() === '' ? null : await authenticate(ctx, token.trim());
  if (!principal) throw new AppError('unauthorized', 'that token is not valid; check it, or ask an admin for a new one');
  const id = randomToken(32);
  const csrf = randomToken(24);
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  await ctx.store.sessions.insert(
    { idHash: await sha256Hex(id), tokenId: principal.tokenId, csrf, createdAt: now.toISOString(), expiresAt },
    now.toISOString(),
  );
  return { id, principal, csrf, expiresAt };
}

/** The live session behind a cookie value, or null when it is unknown, expired or its token was revoked. */
export async function resolveSession(ctx: AppContext, sessionId: string): Promise<Session | null> {
  if (sessionId === '' || sessionId.length > 200) return null;
  const row = await ctx.store.sessions.find(await sha256Hex(sessionId));
  if (!row || row.expiresAt <= ctx.clock.now().toISOString()) return null;
  const principal = await principalOf(ctx, row.tokenId);
  return principal ? { principal, csrf: row.csrf, expiresAt: row.expiresAt } : null;
}

/** Ends the session behind a cookie value (no error when there is none). */
export async function signOut(ctx: AppContext, sessionId: string): Promise<void> {
  if (sessionId === '' || sessionId.length > 200) return;
  await ctx.store.sessions.delete(await sha256Hex(sessionId));
}

/** True when a submitted CSRF token matches the session's, compared in constant time. */
export function csrfMatches(expected: string, given: unknown): boolean {
  return typeof given === 'string' && given.length > 0 && timingSafeEqual(expected, given);
}

async function principalOf(ctx: AppContext, tokenId: string): Promise<Principal | null> {
  if (tokenId === 'env-admin') {
    // Valid only while the operator still configures ADMIN_TOKEN.
    return ctx.config.ADMIN_TOKEN !== undefined ? { tokenId, role: 'admin', consultations: [] } : null;
  }
  const row = await ctx.store.sessions.findToken(tokenId);
  if (!row || row.revokedAt !== null) return null;
  return { tokenId: row.id, role: row.role, consultations: parseIdList(row.consultations) };
}

function parseIdList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    // A damaged grant list grants nothing rather than failing every page.
    return [];
  }
}
