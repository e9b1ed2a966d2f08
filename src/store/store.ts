/**
 * Storage: the one module that talks to the database. Services call these verbs; routes never do.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import * as t from '../../schema';
import type { ItemStatus, Role, TagSource } from '../../schema';
import { contentHash } from '../text/content-hash';
import { CounterDeltas, type ItemFacts, countedThemes } from './counters';
import { DashboardStore } from './dashboard-store';
import type { Database, InsertNew, RawStatement, SqlValue, WriteSession } from './db';
import { PollStore, pollStatements } from './poll-store';
import { SessionStore } from './session-store';
import { auditStatement, chunks, placeholders, repeat } from './sql';
import { SummaryStore } from './summary-store';
import { TaggingStore } from './tagging-store';

export type ConsultationRow = typeof t.consultations.$inferSelect;
export type ThemeRow = typeof t.themes.$inferSelect;
export type UploadRow = typeof t.uploads.$inferSelect;
export type TokenRow = typeof t.tokens.$inferSelect;
export type ItemRow = typeof t.items.$inferSelect;

export interface NewTheme {
  key: string;
  label: string;
  description: string;
  i18n: string;
}

export interface NewItem {
  participant: string | null;
  text: string;
  language: string | null;
  at: string | null;
  channel: string;
  context: string | null;
  question: string | null;
  /**
   * What the item's content hash is made of besides its time and text: `contentHash(at, hashHead, text)`
   * (src/text/content-hash.ts) is its key, unique per consultation. The store computes it where it writes
   * the item: on the file's write thread, that is off the main thread.
   */
  hashHead: string;
  status: ItemStatus;
  /** Theme keys given by a human in the source (a notes heading naming a theme). */
  humanThemes: string[];
}

export interface NewPoll {
  id: string;
  question: string;
  multiple: boolean;
  source: string;
  participants: number | null;
  options: { label: string; votes: number }[];
}

type UploadInsert = typeof t.uploads.$inferInsert & { createdAt: string };
/** What an upload learns only after its items are read: its counts and findings. */
export type UploadFindings = Pick<UploadInsert, 'items' | 'duplicates' | 'participants' | 'skipped' | 'redactions' | 'warnings'>;

export interface UploadWrite {
  /** The upload row; the fields of UploadFindings are overwritten by `finish`'s once every item is written. */
  upload: UploadInsert;
  /**
   * The upload's items, chunk by chunk; consumed once. An item may repeat one before it (same content hash):
   * only the first is stored, the others are counted as `existing`.
   */
  items: AsyncIterable<NewItem[]> | Iterable<NewItem[]>;
  /**
   * Called once every item is written, with how many were new and how many the consultation already held:
   * the rest of the upload. May be called twice (a write retried after a race); it must not change state.
   */
  finish(stored: { inserted: number; existing: number }): UploadTail;
}

export interface UploadTail {
  findings: UploadFindings;
  participants: { pseudonym: string; label: string }[];
  polls: NewPoll[];
  audit: AuditEntry;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  consultationId?: string | null;
  target?: string | null;
  details?: Record<string, unknown>;
}

export interface ItemFilter {
  consultationId: string;
  theme?: string;
  context?: string;
  channel?: string;
  status?: ItemStatus;
  q?: string;
  limit: number;
  /** Items with id below this (newest first). */
  before?: number;
}

export interface ItemView {
  id: number;
  text: string;
  status: ItemStatus;
  channel: string;
  context: string | null;
  language: string | null;
  participant: string | null;
  at: string | null;
  themes: { key: string; confidence: number; source: TagSource }[];
}

/** What removing an item from the counters needs to know of it. */
type RemovedItem = ItemFacts & { id: number; status: ItemStatus };

/** The items columns of RemovedItem, for a drizzle select. */
const REMOVED_ITEM = {
  id: t.items.id,
  status: t.items.status,
  context: t.items.context,
  channel: t.items.channel,
  language: t.items.language,
  at: t.items.at,
  participant: t.items.participant,
};

/**
 * An item's effective theme keys from its raw tags, as tagsOf gives them: a reviewer's when there are any
 * (the empty "no theme" marker gives none), else the machine's. Each key once, as tagging counted it in.
 */
function effectiveThemes(tags: { machine: string[]; human: string[] | null } | undefined): string[] {
  if (tags === undefined) return [];
  return [...new Set(tags.human ?? tags.machine)].filter((k) => k !== '');
}

/** What deleting an upload took away with it. */
export interface UploadRemoval {
  items: number;
  polls: number;
}

/** An upload as listed: its row and how many polls were imported from it. */
export type UploadListRow = UploadRow & { polls: number };

/**
 * Chunks sent to the write thread and not yet written, at most. With two, the main thread waited for the
 * writer ~0.23 s of a 100k-message upload although the writer is the less busy of the two: a chunk that
 * writes slowly (a page-cache spill, a collection on either thread) held up the next. Four absorb that
 * (~0.1 s); eight did no better. A chunk in flight holds little: its items without their texts here, and
 * its rows on the thread.
 */
const IN_FLIGHT = 4;

/** The items columns an upload's rows give, in order, with the item's value for each. */
const ITEM_COLUMNS: readonly (readonly [string, (it: NewItem) => SqlValue])[] = [
  ['participant', (it) => it.participant],
  ['text', (it) => it.text],
  ['language', (it) => it.language],
  ['at', (it) => it.at],
  ['channel', (it) => it.channel],
  ['context', (it) => it.context],
  ['question', (it) => it.question],
  // The head: the key itself is made by the write session (InsertNew.hashKey) or by the caller (itemKey).
  ['content_hash', (it) => it.hashHead],
  ['status', (it) => it.status],
];

/** Columns that usually hold one value across an upload (a chat's channel and context, say). */
const OFTEN_SHARED = new Set(['channel', 'context', 'question', 'status']);

/**
 * A chunk of an upload's new items as an insert: the upload's columns, plus those of OFTEN_SHARED that have
 * one value in the whole chunk, go in `shared` (sent and bound once); the rest row by row. (consultation,
 * hash) is unique. Only OFTEN_SHARED columns are tried, so a chunk takes one of a few shapes: each shape is
 * a statement the write thread prepares and keeps.
 */
function itemsOf(upload: { consultationId: string; id: string; createdAt: string }, items: readonly NewItem[]): { spec: InsertNew; rows: SqlValue[][] } {
  const shared: Record<string, SqlValue> = { consultation_id: upload.consultationId, upload_id: upload.id, created_at: upload.createdAt };
  const varying: (readonly [string, (it: NewItem) => SqlValue])[] = [];
  const first = items[0];
  for (const column of ITEM_COLUMNS) {
    const [name, value] = column;
    if (first !== undefined && OFTEN_SHARED.has(name)) {
      const v = value(first);
      if (items.every((it) => value(it) === v)) {
        shared[name] = v;
        continue;
      }
    }
    varying.push(column);
  }
  return {
    spec: { table: 'items', shared, columns: varying.map(([name]) => name), scope: 'consultation_id', key: 'content_hash', hashKey: { at: 'at', text: 'text' } },
    rows: items.map((it) => varying.map(([, value]) => value(it))),
  };
}

/** An item's key, its content hash. */
function itemKey(it: NewItem): string {
  return contentHash(it.at, it.hashHead, it.text);
}

/** What counting a chunk's items needs once they are written, and the key of those with human tags. */
type Written = Omit<NewItem, 'text' | 'hashHead'> & { key: string | null };

function written(it: NewItem): Written {
  // Spelled out: a rest-spread copy was a visible part of a 100k-item upload's main-thread time.
  return {
    participant: it.participant,
    language: it.language,
    at: it.at,
    channel: it.channel,
    context: it.context,
    question: it.question,
    status: it.status,
    humanThemes: it.humanThemes,
    // Only tags need the key here (they find their item by it); the rest are keyed on the write path.
    key: it.humanThemes.length > 0 ? itemKey(it) : null,
  };
}

/** SQLite's "UNIQUE constraint failed", whichever driver wrapped it. */
function isUniqueViolation(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${String(err.cause ?? '')}` : String(err);
  return /UNIQUE constraint failed/i.test(text);
}

export class Store {
  // A getter, not a field: field initialisers run before the `database` parameter property is assigned (ES2022 class fields).
  get sessions(): SessionStore { return new SessionStore(this.database); }
  get dashboard(): DashboardStore { return new DashboardStore(this.database); }
  readonly tagging: TaggingStore;
  get polls(): PollStore { return new PollStore(this.database); }
  get summaries(): SummaryStore { return new SummaryStore(this.database); }

  constructor(readonly database: Database) {
    this.tagging = new TaggingStore(database);
  }

  private get db() {
    return this.database.db;
  }

  // ---- settings -------------------------------------------------------------------------------

  async getSetting(key: string): Promise<string | null> {
    const row = await this.db.select().from(t.settings).where(eq(t.settings.key, key)).get();
    return row?.value ?? null;
  }

  /** Stores `value` unless the key exists; returns the value that is stored now. */
  async putSettingIfAbsent(key: string, value: string): Promise<string> {
    await this.db.insert(t.settings).values({ key, value }).onConflictDoNothing();
    return (await this.getSetting(key)) ?? value;
  }

  // ---- tokens ---------------------------------------------------------------------------------

  async insertToken(row: typeof t.tokens.$inferInsert, audit: AuditEntry): Promise<void> {
    await this.database.batch([
      toRaw(this.db.insert(t.tokens).values(row)),
      auditStatement(audit),
    ]);
  }

  async findTokenByHash(hash: string): Promise<TokenRow | undefined> {
    return this.db.select().from(t.tokens).where(eq(t.tokens.hash, hash)).get();
  }

  async countTokens(role: Role): Promise<number> {
    const row = await this.db
      .select({ n: sql<number>`count(*)` })
      .from(t.tokens)
      .where(eq(t.tokens.role, role))
      .get();
    return Number(row?.n ?? 0);
  }

  // ---- consultations --------------------------------------------------------------------------

  async insertConsultation(
    row: typeof t.consultations.$inferInsert,
    themeRows: NewTheme[],
    grantTo: { tokenId: string; consultations: string[] } | null,
    audit: AuditEntry,
  ): Promise<void> {
    const statements: RawStatement[] = [toRaw(this.db.insert(t.consultations).values(row))];
    if (themeRows.length > 0) {
      statements.push(
        toRaw(
          this.db
            .insert(t.themes)
            .values(themeRows.map((th, position) => ({ ...th, consultationId: row.id, position }))),
        ),
      );
    }
    if (grantTo) {
      statements.push(
        toRaw(
          this.db
            .update(t.tokens)
            .set({ consultations: JSON.stringify([...grantTo.consultations, row.id]) })
            .where(eq(t.tokens.id, grantTo.tokenId)),
        ),
      );
    }
    statements.push(auditStatement(audit));
    await this.database.batch(statements);
  }

  async findConsultationById(id: string): Promise<ConsultationRow | undefined> {
    return this.db.select().from(t.consultations).where(eq(t.consultations.id, id)).get();
  }

  async findConsultation(slug: string): Promise<ConsultationRow | undefined> {
    return this.db.select().from(t.consultations).where(eq(t.consultations.slug, slug)).get();
  }

  /** All consultations, or only those with the given ids. */
  async listConsultations(ids: string[] | null): Promise<ConsultationRow[]> {
    if (ids !== null && ids.length === 0) return [];
    const q = this.db.select().from(t.consultations);
    const rows = ids === null ? await q.orderBy(asc(t.consultations.createdAt)) : await q.where(inArray(t.consultations.id, ids));
    return rows;
  }

  async countConsultations(): Promise<number> {
    const row = await this.db.select({ n: sql<number>`count(*)` }).from(t.consultations).get();
    return Number(row?.n ?? 0);
  }

  async themesOf(consultationId: string): Promise<ThemeRow[]> {
    return this.db
      .select()
      .from(t.themes)
      .where(eq(t.themes.consultationId, consultationId))
      .orderBy(asc(t.themes.position));
  }

  // ---- uploads --------------------------------------------------------------------------------

  async findUploadBySha(consultationId: string, sha256: string): Promise<UploadRow | undefined> {
    return this.db
      .select()
      .from(t.uploads)
      .where(and(eq(t.uploads.consultationId, consultationId), eq(t.uploads.sha256, sha256)))
      .get();
  }

  async countPollsOfUpload(uploadId: string): Promise<number> {
    const row = await this.db.select({ n: sql<number>`count(*)` }).from(t.polls).where(eq(t.polls.uploadId, uploadId)).get();
    return Number(row?.n ?? 0);
  }

  async findUpload(id: string): Promise<UploadRow | undefined> {
    return this.db.select().from(t.uploads).where(eq(t.uploads.id, id)).get();
  }

  /** A consultation's uploads, newest first (the insert order breaks ties of the same instant). */
  async listUploads(consultationId: string): Promise<UploadListRow[]> {
    const rows = await this.db
      .select()
      .from(t.uploads)
      .where(eq(t.uploads.consultationId, consultationId))
      .orderBy(desc(t.uploads.createdAt), desc(sql`rowid`));
    const counts = await this.database.all<{ upload_id: string; n: number }>({
      sql: 'select upload_id, count(*) as n from polls where consultation_id = ? and upload_id is not null group by upload_id',
      args: [consultationId],
    });
    const polls = new Map(counts.map((c) => [c.upload_id, Number(c.n)]));
    return rows.map((r) => ({ ...r, polls: polls.get(r.id) ?? 0 }));
  }

  /**
   * Deletes an upload and everything stored from it, in one batch: its items with their tags, the polls
   * imported from it with their options, voter codes and ballots, and its items' part in the dashboard
   * counters; then logs the audit entry `audit` makes of what went. Items a later upload also held were
   * stored once, under the first upload, so they go with the first.
   */
  async deleteUpload(upload: UploadRow, audit: (removed: UploadRemoval) => AuditEntry): Promise<UploadRemoval> {
    // No index on items.upload_id (each costs every insert of a large upload): the consultation narrows the scan.
    const ofUpload = and(eq(t.items.consultationId, upload.consultationId), eq(t.items.uploadId, upload.id));
    const rows = await this.db.select(REMOVED_ITEM).from(t.items).where(ofUpload);
    const removed = { items: rows.length, polls: await this.countPollsOfUpload(upload.id) };
    const deltas = await this.removalDeltas(rows);
    const itemsOf = 'select id from items where consultation_id = ? and upload_id = ?';
    const pollsOf = 'select id from polls where upload_id = ?';
    // Children are deleted before their parents, not left to the foreign keys' cascades: the same
    // statements then do the same on a connection that has foreign keys off.
    await this.database.batch([
      ...forgetSummariesCiting(upload.consultationId, { sql: itemsOf, args: [upload.consultationId, upload.id] }),
      { sql: `delete from item_themes where item_id in (${itemsOf})`, args: [upload.consultationId, upload.id] },
      toRaw(this.db.delete(t.items).where(ofUpload)),
      ...['ballot_choices', 'ballots', 'voter_codes', 'poll_options'].map((table) => ({
        sql: `delete from ${table} where poll_id in (${pollsOf})`,
        args: [upload.id],
      })),
      toRaw(this.db.delete(t.polls).where(eq(t.polls.uploadId, upload.id))),
      toRaw(this.db.delete(t.uploads).where(eq(t.uploads.id, upload.id))),
      ...deltas.statements(upload.consultationId, this.database.maxParams),
      auditStatement(audit(removed)),
    ]);
    await this.database.purge?.();
    return removed;
  }

  /** Which of these content hashes the consultation already holds. */
  async existingContentHashes(consultationId: string, hashes: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    // A consultation's first upload has nothing to compare with: skip the look-ups.
    const any = await this.database.all<{ x: number }>({ sql: 'select 1 as x from items where consultation_id = ? limit 1', args: [consultationId] });
    if (any.length === 0) return found;
    const chunk = Math.max(1, this.database.maxParams - 1);
    for (let i = 0; i < hashes.length; i += chunk) {
      const part = hashes.slice(i, i + chunk);
      const rows = await this.database.all<{ content_hash: string }>({
        sql: `select content_hash from items where consultation_id = ? and content_hash in (${placeholders(part.length)})`,
        args: [consultationId, ...part],
      });
      for (const r of rows) found.add(r.content_hash);
    }
    return found;
  }

  /** An upload is about to be written: lets the database get its write path ready meanwhile (Database.warm). */
  warmWrites(): void {
    this.database.warm?.();
  }

  /**
   * Writes an upload and everything read from it atomically: the upload row, its new items (an item the
   * consultation already holds is counted, not stored twice), their human tags, new participants, imported
   * polls, dashboard counters and the audit entry. Either all of it is stored or none.
   */
  async writeUpload(w: UploadWrite): Promise<{ inserted: number; existing: number }> {
    return this.database.writeSession ? this.streamUpload(w, this.database.writeSession) : this.batchUpload(w);
  }

  /**
   * libSQL: one write transaction fed chunk by chunk. Chunk n is written while the caller prepares chunk
   * n+1 (the iterator does that work when asked for the next chunk); at most IN_FLIGHT chunks are in flight.
   * Items the consultation already holds are found and skipped inside the transaction (insertNew), so no
   * other upload can slip in between the look-up and the insert.
   */
  private async streamUpload(w: UploadWrite, open: () => Promise<WriteSession>): Promise<{ inserted: number; existing: number }> {
    const { upload } = w;
    const session = await open();
    // Sent without waiting; a failure surfaces at the next awaited call. Every promise gets a handler so
    // none is left rejected and unobserved when the producer throws first.
    const sent: Promise<unknown>[] = [];
    const track = <T>(p: Promise<T>): Promise<T> => {
      p.catch(() => {});
      sent.push(p);
      return p;
    };
    try {
      track(session.run([toRaw(this.db.insert(t.uploads).values(upload))]));
      const deltas = new CounterDeltas();
      const tags: (readonly [string, string])[] = [];
      let inserted = 0;
      let existing = 0;
      // Only what counting needs is kept while a chunk is in flight: the texts are copied to the write
      // thread when sent, and dropping them here lets them die young instead of piling up in the old heap.
      type Sent = { items: Written[]; changes: Promise<Uint8Array> };
      const settle = async (chunk: Sent) => {
        const changes = await chunk.changes;
        chunk.items.forEach((it, i) => {
          if (changes[i] === 0) {
            existing++;
            return;
          }
          inserted++;
          deltas.addItem(it, it.status, it.humanThemes, 1);
          for (const theme of it.humanThemes) if (it.key !== null) tags.push([it.key, theme]);
        });
      };
      const inFlight: Sent[] = [];
      for await (const items of w.items) {
        if (items.length === 0) continue;
        const { spec, rows } = itemsOf(upload, items);
        const changes = track(session.insertNew(spec, rows));
        inFlight.push({ items: items.map(written), changes });
        const oldest = inFlight.length >= IN_FLIGHT ? inFlight.shift() : undefined;
        if (oldest) await settle(oldest);
      }
      for (const chunk of inFlight.splice(0)) await settle(chunk);

      const tail = w.finish({ inserted, existing });
      await session.run([
        ...this.tailStatements(upload, tail, tags),
        ...deltas.statements(upload.consultationId, this.database.maxParams),
        auditStatement(tail.audit),
      ]);
      await Promise.all(sent);
      await session.commit();
      return { inserted, existing };
    } catch (err) {
      await session.rollback().catch(() => {});
      throw err;
    }
  }

  /**
   * D1: no interactive transactions, so the whole upload is one batch, built after looking up which items
   * the consultation already holds. An upload that commits between the look-up and the batch makes the
   * batch fail on the unique index; it is rebuilt once with a fresh look-up.
   */
  private async batchUpload(w: UploadWrite): Promise<{ inserted: number; existing: number }> {
    const { upload } = w;
    // An item repeated in the file (same content hash) is stored once and counted like one already held.
    const all = new Map<string, NewItem>();
    let given = 0;
    for await (const items of w.items) {
      for (const it of items) {
        given++;
        const key = itemKey(it);
        if (!all.has(key)) all.set(key, it);
      }
    }
    for (let attempt = 1; ; attempt++) {
      const held = await this.existingContentHashes(upload.consultationId, [...all.keys()]);
      const fresh = [...all].filter(([key]) => !held.has(key));
      const stored = { inserted: fresh.length, existing: given - fresh.length };
      const tail = w.finish(stored);
      const maxParams = this.database.maxParams;
      const statements: RawStatement[] = [toRaw(this.db.insert(t.uploads).values(upload))];
      if (fresh.length > 0) {
        // As on the file's write thread, the shared values are bound once per statement (?1, ?2…).
        const { spec, rows: keyed } = itemsOf(upload, fresh.map(([, it]) => it));
        // The keys were made here already: each row's head becomes its key.
        const keyAt = spec.columns.indexOf(spec.key);
        keyed.forEach((row, i) => {
          row[keyAt] = fresh[i]?.[0] ?? null;
        });
        const shared = Object.values(spec.shared);
        const shape = `(${[...shared.map((_, i) => `?${i + 1}`), ...spec.columns.map(() => '?')].join(', ')})`;
        const columns = [...Object.keys(spec.shared), ...spec.columns].join(', ');
        for (const rows of chunks(keyed, Math.max(1, Math.floor((maxParams - shared.length) / spec.columns.length)))) {
          statements.push({ sql: `insert into ${spec.table} (${columns}) values ${repeat(shape, rows.length)}`, args: [...shared, ...rows.flat()] });
        }
      }
      const deltas = new CounterDeltas();
      const tags: (readonly [string, string])[] = [];
      for (const [key, it] of fresh) {
        deltas.addItem(it, it.status, it.humanThemes, 1);
        for (const theme of it.humanThemes) tags.push([key, theme]);
      }
      statements.push(...this.tailStatements(upload, tail, tags), ...deltas.statements(upload.consultationId, maxParams), auditStatement(tail.audit));
      try {
        await this.database.batch(statements);
        return stored;
      } catch (err) {
        if (attempt >= 2 || !isUniqueViolation(err)) throw err;
      }
    }
  }

  /** Everything of an upload that follows its items: final row values, participants, human tags, polls. */
  private tailStatements(upload: UploadInsert, tail: UploadTail, tags: (readonly [string, string])[]): RawStatement[] {
    const maxParams = this.database.maxParams;
    const f = tail.findings;
    const statements: RawStatement[] = [
      {
        sql: 'update uploads set items = ?, duplicates = ?, participants = ?, skipped = ?, redactions = ?, warnings = ? where id = ?',
        args: [f.items, f.duplicates, f.participants, f.skipped, f.redactions, f.warnings, upload.id],
      },
    ];
    for (const rows of chunks(tail.participants, Math.floor(maxParams / 4))) {
      statements.push({
        sql: `insert into participants (consultation_id, pseudonym, label, first_seen_at) values ${repeat('(?, ?, ?, ?)', rows.length)} on conflict do nothing`,
        args: rows.flatMap((p) => [upload.consultationId, p.pseudonym, p.label, upload.createdAt]),
      });
    }
    // Item ids are assigned by the database in this same transaction, so tags find their item by content hash.
    for (const rows of chunks(tags, Math.floor((maxParams - 1) / 2))) {
      statements.push({
        sql: `insert into item_themes (item_id, theme_key, confidence, source)
              select i.id, v.column2, 1.0, 'human' from (values ${repeat('(?, ?)', rows.length)}) v
              join items i on i.consultation_id = ? and i.content_hash = v.column1
              on conflict do nothing`,
        args: [...rows.flat(), upload.consultationId],
      });
    }
    statements.push(
      ...pollStatements(
        tail.polls.map((poll) => ({
          id: poll.id,
          consultationId: upload.consultationId,
          question: poll.question,
          multiple: poll.multiple,
          maxChoices: null,
          theme: null,
          source: poll.source,
          uploadId: upload.id,
          importedParticipants: poll.participants,
          resultsVisibility: 'always' as const,
          opensAt: null,
          closesAt: null,
          createdAt: upload.createdAt,
          options: poll.options.map((o) => ({ label: o.label, importedVotes: o.votes })),
        })),
        maxParams,
      ),
    );
    return statements;
  }

  // ---- items ----------------------------------------------------------------------------------

  async listItems(f: ItemFilter): Promise<ItemView[]> {
    const where: string[] = ['i.consultation_id = ?'];
    const args: SqlValue[] = [f.consultationId];
    if (f.context !== undefined) {
      where.push('i.context = ?');
      args.push(f.context);
    }
    if (f.channel !== undefined) {
      where.push('i.channel = ?');
      args.push(f.channel);
    }
    if (f.status !== undefined) {
      where.push('i.status = ?');
      args.push(f.status);
    }
    if (f.q !== undefined && f.q !== '') {
      where.push("i.text like ? escape '\\'");
      args.push(`%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    }
    if (f.theme !== undefined) {
      where.push('exists (select 1 from item_themes x where x.item_id = i.id and x.theme_key = ?)');
      args.push(f.theme);
    }
    if (f.before !== undefined) {
      where.push('i.id < ?');
      args.push(f.before);
    }
    args.push(f.limit);
    const rows = await this.database.all<{
      id: number;
      text: string;
      status: ItemStatus;
      channel: string;
      context: string | null;
      language: string | null;
      label: string | null;
      at: string | null;
    }>({
      sql: `select i.id, i.text, i.status, i.channel, i.context, i.language, p.label, i.at
            from items i left join participants p on p.consultation_id = i.consultation_id and p.pseudonym = i.participant
            where ${where.join(' and ')} order by i.id desc limit ?`,
      args,
    });
    const tags = await this.tagsOf(rows.map((r) => Number(r.id)));
    return rows.map((r) => ({
      id: Number(r.id),
      text: r.text,
      status: r.status,
      channel: r.channel,
      context: r.context,
      language: r.language,
      participant: r.label,
      at: r.at,
      themes: tags.get(Number(r.id)) ?? [],
    }));
  }

  /** Effective tags per item: human tags when there are any, else the machine's. */
  async tagsOf(itemIds: number[]): Promise<Map<number, ItemView['themes']>> {
    const out = new Map<number, ItemView['themes']>();
    if (itemIds.length === 0) return out;
    // D1 binds at most 100 values a statement: the ids go in parts, and the parts' rows are ordered together.
    const rows = [];
    for (const part of chunks(itemIds, this.database.maxParams)) rows.push(...(await this.db.select().from(t.itemThemes).where(inArray(t.itemThemes.itemId, part))));
    rows.sort((a, b) => b.confidence - a.confidence);
    const human = new Set(rows.filter((r) => r.source === 'human').map((r) => r.itemId));
    for (const r of rows) {
      if (human.has(r.itemId) && r.source !== 'human') continue;
      if (r.themeKey === '') {
        if (!out.has(r.itemId)) out.set(r.itemId, []);
        continue;
      }
      const list = out.get(r.itemId) ?? [];
      list.push({ key: r.themeKey, confidence: r.confidence, source: r.source });
      out.set(r.itemId, list);
    }
    return out;
  }

  /** Each item's machine tag keys and its reviewer's keys (null when no reviewer has tagged it). */
  async rawTags(itemIds: number[]): Promise<Map<number, { machine: string[]; human: string[] | null }>> {
    const out = new Map<number, { machine: string[]; human: string[] | null }>();
    for (const part of chunks(itemIds, Math.max(1, this.database.maxParams - 1))) {
      const rows = await this.db.select().from(t.itemThemes).where(inArray(t.itemThemes.itemId, part));
      for (const r of rows) {
        const v = out.get(r.itemId) ?? { machine: [], human: null };
        if (r.source === 'human') {
          v.human = v.human ?? [];
          if (r.themeKey !== '') v.human.push(r.themeKey);
        } else v.machine.push(r.themeKey);
        out.set(r.itemId, v);
      }
    }
    return out;
  }

  async findItem(id: number): Promise<ItemRow | undefined> {
    return this.db.select().from(t.items).where(eq(t.items.id, id)).get();
  }

  /**
   * Replaces an item's human tags and logs the change, atomically. An empty list is a reviewer's "no
   * theme": kept as a human marker row (theme key '') so machine tags do not come back on a re-run.
   */
  async setHumanThemes(item: ItemRow, keys: string[], audit: AuditEntry): Promise<void> {
    const before = (await this.tagsOf([item.id])).get(item.id) ?? [];
    const status: ItemStatus = keys.length > 0 ? 'tagged' : 'none';
    const deltas = new CounterDeltas();
    const raw = (await this.rawTags([item.id])).get(item.id);
    deltas.agreement(raw?.machine ?? [], raw?.human ?? null, -1);
    deltas.agreement(raw?.machine ?? [], keys, 1);
    deltas.change(
      item,
      countedThemes(item.status, before.map((x) => x.key)),
      countedThemes(status, keys),
    );
    const rows = (keys.length > 0 ? keys : ['']).map((themeKey) => ({ itemId: item.id, themeKey, confidence: 1, source: 'human' as const }));
    await this.database.batch([
      toRaw(this.db.delete(t.itemThemes).where(and(eq(t.itemThemes.itemId, item.id), eq(t.itemThemes.source, 'human')))),
      toRaw(this.db.insert(t.itemThemes).values(rows)),
      toRaw(this.db.update(t.items).set({ status }).where(eq(t.items.id, item.id))),
      ...deltas.statements(item.consultationId, this.database.maxParams),
      auditStatement(audit),
    ]);
  }

  // ---- participants ---------------------------------------------------------------------------

  async findParticipant(consultationId: string, labelOrPseudonym: string) {
    return this.db
      .select()
      .from(t.participants)
      .where(
        and(
          eq(t.participants.consultationId, consultationId),
          sql`(${t.participants.label} = ${labelOrPseudonym} or ${t.participants.pseudonym} = ${labelOrPseudonym})`,
        ),
      )
      .get();
  }

  /** Which of these pseudonyms an admin erased from the consultation. */
  async erasedPseudonyms(consultationId: string, pseudonyms: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunks(pseudonyms, this.database.maxParams - 1)) {
      const rows = await this.database.all<{ pseudonym: string }>({
        sql: `select pseudonym from participants where consultation_id = ? and erased_at is not null and pseudonym in (${placeholders(part.length)})`,
        args: [consultationId, ...part],
      });
      for (const r of rows) out.add(r.pseudonym);
    }
    return out;
  }

  /** Deletes every item of a participant and marks them erased; returns how many items went. */
  async eraseParticipant(consultationId: string, pseudonym: string, audit: AuditEntry): Promise<number> {
    const rows = await this.db
      .select(REMOVED_ITEM)
      .from(t.items)
      .where(and(eq(t.items.consultationId, consultationId), eq(t.items.participant, pseudonym)));
    const deltas = await this.removalDeltas(rows);
    await this.database.batch([
      ...forgetSummariesCiting(consultationId, { sql: 'select id from items where consultation_id = ? and participant = ?', args: [consultationId, pseudonym] }),
      toRaw(this.db.delete(t.items).where(and(eq(t.items.consultationId, consultationId), eq(t.items.participant, pseudonym)))),
      toRaw(
        this.db
          .update(t.participants)
          .set({ erasedAt: audit.at })
          .where(and(eq(t.participants.consultationId, consultationId), eq(t.participants.pseudonym, pseudonym))),
      ),
      ...deltas.statements(consultationId, this.database.maxParams),
      auditStatement(audit),
    ]);
    // What was erased must not linger in the file's write-ahead log either.
    await this.database.purge?.();
    return rows.length;
  }

  /**
   * The counter deltas that take these items out of the dashboard: their buckets (`*`, their status or
   * effective themes) and their part in machine–human agreement. For any change that deletes items, so
   * every such change counts them the way tagging and retagging counted them in.
   */
  private async removalDeltas(rows: readonly RemovedItem[]): Promise<CounterDeltas> {
    const raw = await this.rawTags(rows.map((r) => r.id));
    const deltas = new CounterDeltas();
    for (const r of rows) {
      const tags = raw.get(r.id);
      deltas.addItem(r, r.status, effectiveThemes(tags), -1);
      deltas.agreement(tags?.machine ?? [], tags?.human ?? null, -1);
    }
    return deltas;
  }

  async countItems(consultationId: string): Promise<number> {
    const row = await this.db
      .select({ n: sql<number>`count(*)` })
      .from(t.items)
      .where(eq(t.items.consultationId, consultationId))
      .get();
    return Number(row?.n ?? 0);
  }

}

/**
 * Items about to be deleted must not live on in what was made from them: the consultation's stored summaries
 * and the model's cached summary steps whose points cite any of them (their text paraphrases the items, their
 * quotes copy them) go too, and are made again when next asked for. `items` selects the ids, before the items
 * themselves are deleted in the same batch.
 */
function forgetSummariesCiting(consultationId: string, items: RawStatement): RawStatement[] {
  const cites = (json: string) => `exists (select 1 from json_each(${json}) p, json_each(p.value, '$.citations') c where c.value in (${items.sql}))`;
  return [
    { sql: `delete from summaries where consultation_id = ? and ${cites('summaries.points')}`, args: [consultationId, ...items.args] },
    { sql: `delete from llm_cache where kind = 'summary' and json_valid(value) and ${cites('llm_cache.value')}`, args: [...items.args] },
  ];
}

/** A drizzle query as SQL text and arguments, for `Database.batch`. */
function toRaw(q: { toSQL(): { sql: string; params: unknown[] } }): RawStatement {
  const { sql: text, params } = q.toSQL();
  return { sql: text, args: params as SqlValue[] };
}
