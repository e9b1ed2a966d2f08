/** Browser sessions: rows keyed by the SHA-256 of the cookie's random id, never the id itself. */
import { and, eq, lt } from 'drizzle-orm';
import * as t from '../../schema';
import type { Database } from './db';

export type SessionRow = typeof t.sessions.$inferSelect;
export type SessionTokenRow = typeof t.tokens.$inferSelect;

export class SessionStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  /** Stores a new session and, in the same batch, drops sessions that expired before `now`. */
  async insert(row: SessionRow, now: string): Promise<void> {
    const { sql: delSql, params: delArgs } = this.db.delete(t.sessions).where(lt(t.sessions.expiresAt, now)).toSQL();
    const { sql: insSql, params: insArgs } = this.db.insert(t.sessions).values(row).toSQL();
    await this.database.batch([
      { sql: delSql, args: delArgs as string[] },
      { sql: insSql, args: insArgs as string[] },
    ]);
  }

  async find(idHash: string): Promise<SessionRow | undefined> {
    return this.db.select().from(t.sessions).where(eq(t.sessions.idHash, idHash)).get();
  }

  async delete(idHash: string): Promise<void> {
    await this.db.delete(t.sessions).where(eq(t.sessions.idHash, idHash));
  }

  /** Ends every session of a token (e.g. when it is revoked). */
  async deleteForToken(tokenId: string): Promise<void> {
    await this.db.delete(t.sessions).where(and(eq(t.sessions.tokenId, tokenId)));
  }

  /** The token a session was made from, to re-check its role, grants and revocation on each request. */
  async findToken(tokenId: string): Promise<SessionTokenRow | undefined> {
    return this.db.select().from(t.tokens).where(eq(t.tokens.id, tokenId)).get();
  }
}
