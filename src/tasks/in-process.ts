/**
 * Node's background runner: jobs run in this process, one at a time per consultation, after the request
 * that queued them has answered. A failed job is logged; its items stay pending for the next run.
 */
import type { AppContext, TagJob, TaskRunner } from '../context';
import { runTagJob } from '../services/tagging';

export interface InProcessRunner extends TaskRunner {
  /** The context jobs run with (set once the context exists, since the context holds the runner). */
  attach(ctx: AppContext): void;
  /** Resolves when every queued job has finished: for tests and graceful shutdown. */
  idle(): Promise<void>;
}

export function inProcessRunner(): InProcessRunner {
  let ctx: AppContext | null = null;
  const chains = new Map<string, Promise<void>>();

  const run = async (job: TagJob) => {
    if (!ctx) throw new Error('task runner used before attach()');
    try {
      await runTagJob(ctx, job);
    } catch (err) {
      ctx.log.error('background tagging failed; items stay pending', { consultation: job.consultationId, ...errorFacts(err) });
    }
  };

  return {
    attach(c) {
      ctx = c;
    },
    async enqueue(job) {
      const previous = chains.get(job.consultationId) ?? Promise.resolve();
      const next = previous.then(() => run(job));
      chains.set(job.consultationId, next);
      void next.finally(() => {
        if (chains.get(job.consultationId) === next) chains.delete(job.consultationId);
      });
    },
    async idle() {
      while (chains.size > 0) await Promise.all([...chains.values()]);
    },
  };
}

/** Longest message logged: a failed query's message holds its whole SQL and parameters (25 KB for a batch). */
const MAX_LOGGED_MESSAGE = 300;

/**
 * What a log line says of a failure: its code (the driver's, e.g. SQLITE_BUSY, also when a query builder
 * wrapped it) and its message and cause's, cut short. E.g. `{ error: 'Failed query: insert into …', code: 'SQLITE_BUSY', cause: 'database is locked' }`.
 */
export function errorFacts(err: unknown): { error: string; code?: string; cause?: string } {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : undefined;
  const code = codeOf(err) ?? codeOf(cause);
  return {
    error: cut(err instanceof Error ? err.message : String(err)),
    ...(code ? { code } : {}),
    ...(cause ? { cause: cut(cause.message) } : {}),
  };
}

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' || typeof err.code === 'number' ? String(err.code) : undefined;
}

function cut(message: string): string {
  return message.length <= MAX_LOGGED_MESSAGE ? message : `${message.slice(0, MAX_LOGGED_MESSAGE)}… (${message.length} characters)`;
}

/** Runs the job on the spot and waits for it (scripts, the demo seeding). */
export function inlineRunner(getCtx: () => AppContext): TaskRunner {
  return {
    async enqueue(job) {
      await runTagJob(getCtx(), job);
    },
  };
}
