/**
 * Poll storage: polls and their options, voter codes (SHA-256 only), ballots and tallies.
 *
 * Tallies are never stored: they are counted from `ballots` (one row per voter) and `ballot_choices`
 * (one row per ticked option) by SQL. A ballot is written as one batch — delete the voter's choices,
 * insert the new ones, upsert the ballots row, log it — which both drivers run atomically, so two
 * concurrent ballots can neither lose nor double a vote.
 */
import { z } from 'zod';
import type { Database, RawStatement, SqlValue } from './db';
import { auditStatement, chunks, repeat } from './sql';
import type { AuditEntry } from './store';

export type ResultsVisibility = 'always' | 'after_close';

export interface PollRecord {
  id: string;
  consultationId: string;
  slug: string;
  question: string;
  multiple: boolean;
  maxChoices: number | null;
  theme: string | null;
  source: string;
  importedParticipants: number | null;
  resultsVisibility: ResultsVisibility;
  opensAt: string | null;
  closesAt: string | null;
  createdAt: string;
  /** In position order; `importedVotes` is null for native polls. */
  options: { label: string; importedVotes: number | null }[];
}

/** A poll to store; `uploadId` names the upload an imported poll came from. */
export type NewPollRecord = Omit<PollRecord, 'slug'> & { uploadId?: string | null };

/** What a ballot needs to know about its poll. */
export interface BallotRules {
  consultationId: string;
  source: string;
  multiple: boolean;
  maxChoices: number | null;
  opensAt: string | null;
  closesAt: string | null;
  optionCount: number;
}

/** Ballot rules by database and poll id, each kept RULES_TTL_MS. */
const rulesCaches = new WeakMap<Database, Map<string, { rules: BallotRules; until: number }>>();
const RULES_TTL_MS = 5_000;
const RULES_CACHE_SIZE = 1_000;

/** Ballot counts of a native poll: distinct voters, and votes per option position. */
export interface BallotCounts {
  participants: number;
  votes: Map<number, number>;
}

export interface BallotWrite {
  pollId: string;
  consultationId: string;
  /** SHA-256 of the voter code: the ballot's owner, so a second ballot replaces the first. */
  voter: string;
  positions: number[];
  castAt: string;
}

const OptionsJson = z.array(z.object({ p: z.number(), l: z.string(), v: z.number().nullable() }));

const POLL_COLUMNS = `p.id, p.consultation_id, c.slug, p.question, p.multiple, p.max_choices, p.theme, p.source,
  p.imported_participants, p.results_visibility, p.opens_at, p.closes_at, p.created_at,
  (select json_group_array(json_object('p', o.position, 'l', o.label, 'v', o.imported_votes))
     from poll_options o where o.poll_id = p.id) as options`;

interface PollRow {
  id: string;
  consultation_id: string;
  slug: string;
  question: string;
  multiple: number;
  max_choices: number | null;
  theme: string | null;
  source: string;
  imported_participants: number | null;
  results_visibility: string;
  opens_at: string | null;
  closes_at: string | null;
  created_at: string;
  options: string;
}

export class PollStore {
  constructor(private readonly database: Database) {}

  /** Stores polls with their options and one audit entry, all or nothing. */
  async insertPolls(polls: NewPollRecord[], audit: AuditEntry): Promise<void> {
    const statements = pollStatements(polls, this.database.maxParams);
    statements.push(auditStatement(audit));
    await this.database.batch(statements);
  }

  async findPoll(id: string): Promise<PollRecord | undefined> {
    const rows = await this.database.all<PollRow>({
      sql: `select ${POLL_COLUMNS} from polls p join consultations c on c.id = p.consultation_id where p.id = ?`,
      args: [id],
    });
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** A consultation's polls, oldest first. */
  async listPolls(consultationId: string): Promise<PollRecord[]> {
    const rows = await this.database.all<PollRow>({
      sql: `select ${POLL_COLUMNS} from polls p join consultations c on c.id = p.consultation_id
            where p.consultation_id = ? order by p.created_at, p.rowid`,
      args: [consultationId],
    });
    return rows.map(toRecord);
  }

  /** Stores voter code hashes (never the codes) and an audit entry, all or nothing. */
  async insertVoterCodes(pollId: string, hashes: string[], createdAt: string, audit: AuditEntry): Promise<void> {
    const statements: RawStatement[] = [];
    for (const part of chunks(hashes, Math.floor(this.database.maxParams / 3))) {
      statements.push({
        sql: `insert into voter_codes (poll_id, code_hash, created_at) values ${repeat('(?, ?, ?)', part.length)}`,
        args: part.flatMap((h) => [pollId, h, createdAt]),
      });
    }
    statements.push(auditStatement(audit));
    await this.database.batch(statements);
  }

  async countVoterCodes(pollId: string): Promise<number> {
    const rows = await this.database.all<{ n: number }>({
      sql: 'select count(*) as n from voter_codes where poll_id = ?',
      args: [pollId],
    });
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * What a ballot needs to know about its poll. Polls do not change once created, so the answer is kept
   * for a few seconds: a voting rush then costs one small lookup per ballot instead of two reads.
   */
  async ballotRules(pollId: string): Promise<BallotRules | undefined> {
    let cache = rulesCaches.get(this.database);
    if (!cache) {
      cache = new Map();
      rulesCaches.set(this.database, cache);
    }
    const now = performance.now();
    const hit = cache.get(pollId);
    if (hit && hit.until > now) return hit.rules;
    const rows = await this.database.all<{
      consultation_id: string;
      source: string;
      multiple: number;
      max_choices: number | null;
      opens_at: string | null;
      closes_at: string | null;
      option_count: number;
    }>({
      sql: `select p.consultation_id, p.source, p.multiple, p.max_choices, p.opens_at, p.closes_at,
              (select count(*) from poll_options o where o.poll_id = p.id) as option_count
            from polls p where p.id = ?`,
      args: [pollId],
    });
    const r = rows[0];
    if (!r) return undefined;
    const rules: BallotRules = {
      consultationId: r.consultation_id,
      source: r.source,
      multiple: Number(r.multiple) === 1,
      maxChoices: r.max_choices === null ? null : Number(r.max_choices),
      opensAt: r.opens_at,
      closesAt: r.closes_at,
      optionCount: Number(r.option_count),
    };
    if (cache.size >= RULES_CACHE_SIZE) cache.clear();
    cache.set(pollId, { rules, until: now + RULES_TTL_MS });
    return rules;
  }

  /** Whether a code hash is one of the poll's voter codes, and if so whether that voter has a ballot. */
  async voterStatus(pollId: string, codeHash: string): Promise<'unknown' | 'new' | 'voted'> {
    // One narrow row: the libSQL client's cost grows with the columns it reads back.
    const rows = await this.database.all<{ voted: number }>({
      sql: `select b.voter is not null as voted from voter_codes v
            left join ballots b on b.poll_id = v.poll_id and b.voter = v.code_hash
            where v.poll_id = ? and v.code_hash = ?`,
      args: [pollId, codeHash],
    });
    const r = rows[0];
    return r === undefined ? 'unknown' : Number(r.voted) === 1 ? 'voted' : 'new';
  }

  /**
   * Replaces the voter's ballot atomically: its statements always commit together. With `group`, ballots
   * arriving while the event loop is busy share one transaction (group commit): on a libSQL file each
   * commit waits for the disk, and one sync for many ballots is what lets a Node server take thousands a
   * second. A group that fails is retried ballot by ballot, so one bad ballot fails alone. Only for a
   * server process: on Workers a request must not wait on a write made by another request's context.
   */
  async castBallot(w: BallotWrite, options: { group: boolean } = { group: false }): Promise<void> {
    if (!options.group) return this.database.batch(ballotStatements([w], this.database.maxParams));
    let queue = queues.get(this.database);
    if (!queue) {
      queue = new BallotQueue(this.database);
      queues.set(this.database, queue);
    }
    return queue.write(w);
  }

  /**
   * Ballot counts of the given polls, or of every poll of a consultation. One statement, so the voters
   * and the votes come from the same snapshot and a percentage can never pass 100 mid-write.
   */
  async ballotCounts(scope: { pollId: string } | { consultationId: string }): Promise<Map<string, BallotCounts>> {
    const [filter, arg] =
      'pollId' in scope
        ? ['poll_id = ?', scope.pollId]
        : ['poll_id in (select id from polls where consultation_id = ?)', scope.consultationId];
    const rows = await this.database.all<{ poll_id: string; position: number; n: number }>({
      sql: `select poll_id, -1 as position, count(*) as n from ballots where ${filter} group by poll_id
            union all
            select poll_id, position, count(*) as n from ballot_choices where ${filter} group by poll_id, position`,
      args: [arg, arg],
    });
    const out = new Map<string, BallotCounts>();
    for (const r of rows) {
      const counts = out.get(r.poll_id) ?? { participants: 0, votes: new Map<number, number>() };
      const position = Number(r.position);
      if (position < 0) counts.participants = Number(r.n);
      else counts.votes.set(position, Number(r.n));
      out.set(r.poll_id, counts);
    }
    return out;
  }
}

/**
 * Ballots as statements, a few per group rather than four per ballot (each statement is prepared anew, and
 * preparing is most of the cost). Per voter the order is: the audit entry first, so whether it says
 * `ballot.cast` or `ballot.change` is decided by the rows as this write sees them (it names the poll only,
 * never the voter or the choices); then the old choices out, the new ones in, the ballots row upserted.
 * A voter appearing twice starts a new run, so their second ballot is written after their first.
 */
function ballotStatements(ws: BallotWrite[], maxParams: number): RawStatement[] {
  const statements: RawStatement[] = [];
  for (const run of distinctRuns(ws)) {
    for (const part of chunks(run, Math.floor(maxParams / 4))) {
      statements.push({
        sql: `insert into audit_log (at, actor, action, consultation_id, target, details)
              select v.column1, 'voter', case when exists (select 1 from ballots b where b.poll_id = v.column2 and b.voter = v.column3)
                then 'ballot.change' else 'ballot.cast' end, v.column4, v.column2, '{}'
              from (values ${repeat('(?, ?, ?, ?)', part.length)}) v`,
        args: part.flatMap((w) => [w.castAt, w.pollId, w.voter, w.consultationId]),
      });
    }
    for (const part of chunks(run, Math.floor(maxParams / 2))) {
      statements.push({
        sql: `delete from ballot_choices where (poll_id, voter) in (values ${repeat('(?, ?)', part.length)})`,
        args: part.flatMap((w) => [w.pollId, w.voter]),
      });
    }
    const choices = run.flatMap((w) => w.positions.map((position) => [w.pollId, w.voter, position, w.castAt]));
    for (const part of chunks(choices, Math.floor(maxParams / 4))) {
      statements.push({
        sql: `insert into ballot_choices (poll_id, voter, position, cast_at) values ${repeat('(?, ?, ?, ?)', part.length)}`,
        args: part.flat(),
      });
    }
    for (const part of chunks(run, Math.floor(maxParams / 3))) {
      statements.push({
        sql: `insert into ballots (poll_id, voter, cast_at) values ${repeat('(?, ?, ?)', part.length)}
              on conflict (poll_id, voter) do update set cast_at = excluded.cast_at`,
        args: part.flatMap((w) => [w.pollId, w.voter, w.castAt]),
      });
    }
  }
  return statements;
}

/** Splits ballots, in order, into runs in which no voter appears twice. */
function distinctRuns(ws: BallotWrite[]): BallotWrite[][] {
  const runs: BallotWrite[][] = [];
  let run: BallotWrite[] = [];
  let seen = new Set<string>();
  for (const w of ws) {
    const key = `${w.pollId}\u0000${w.voter}`;
    if (seen.has(key)) {
      runs.push(run);
      run = [];
      seen = new Set();
    }
    seen.add(key);
    run.push(w);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** Most ballots in one group transaction: keeps one commit, and the wait of the last ballot in it, short. */
const MAX_GROUP = 256;

/** Ballot write queues by database, since a PollStore is cheap and made afresh by each Store access. */
const queues = new WeakMap<Database, BallotQueue>();

const later: (fn: () => void) => void = typeof setImmediate === 'function' ? (fn) => setImmediate(fn) : (fn) => setTimeout(fn, 0);

interface Pending {
  w: BallotWrite;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Group commit: ballots queued in one turn of the event loop are written in one transaction, in arrival order. */
class BallotQueue {
  private pending: Pending[] = [];
  private flushing = false;
  constructor(private readonly database: Database) {}

  write(w: BallotWrite): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ w, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        later(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const group = this.pending.splice(0, MAX_GROUP);
        try {
          await this.database.batch(ballotStatements(group.map((p) => p.w), this.database.maxParams));
          for (const p of group) p.resolve();
        } catch (err) {
          if (group.length === 1) group[0]?.reject(err);
          else await this.one(group);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async one(group: Pending[]): Promise<void> {
    for (const p of group) {
      try {
        await this.database.batch(ballotStatements([p.w], this.database.maxParams));
        p.resolve();
      } catch (err) {
        p.reject(err);
      }
    }
  }
}

function toRecord(r: PollRow): PollRecord {
  const options = OptionsJson.parse(JSON.parse(r.options))
    .sort((a, b) => a.p - b.p)
    .map((o) => ({ label: o.l, importedVotes: o.v }));
  return {
    id: r.id,
    consultationId: r.consultation_id,
    slug: r.slug,
    question: r.question,
    multiple: Number(r.multiple) === 1,
    maxChoices: r.max_choices === null ? null : Number(r.max_choices),
    theme: r.theme,
    source: r.source,
    importedParticipants: r.imported_participants === null ? null : Number(r.imported_participants),
    resultsVisibility: r.results_visibility === 'after_close' ? 'after_close' : 'always',
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    createdAt: r.created_at,
    options,
  };
}

/** The inserts of polls and their options, for a batch of their own or an upload's transaction. */
export function pollStatements(polls: readonly NewPollRecord[], maxParams: number): RawStatement[] {
  const statements: RawStatement[] = [];
  for (const p of polls) {
    statements.push({
      sql: `insert into polls (id, consultation_id, question, multiple, max_choices, theme, source, upload_id, imported_participants,
              results_visibility, opens_at, closes_at, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [
        p.id,
        p.consultationId,
        p.question,
        p.multiple ? 1 : 0,
        p.maxChoices,
        p.theme,
        p.source,
        p.uploadId ?? null,
        p.importedParticipants,
        p.resultsVisibility,
        p.opensAt,
        p.closesAt,
        p.createdAt,
      ],
    });
    const rows = p.options.map((o, position) => [p.id, position, o.label, o.importedVotes] as SqlValue[]);
    for (const part of chunks(rows, Math.floor(maxParams / 4))) {
      statements.push({
        sql: `insert into poll_options (poll_id, position, label, imported_votes) values ${repeat('(?, ?, ?, ?)', part.length)}`,
        args: part.flat(),
      });
    }
  }
  return statements;
}
