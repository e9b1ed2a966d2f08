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
      ctx.log.error('background tagging failed; items stay pending', {
        consultation: job.consultationId,
        error: err instanceof Error ? err.message : String(err),
      });
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

/** Runs the job on the spot and waits for it (scripts, the demo seeding). */
export function inlineRunner(getCtx: () => AppContext): TaskRunner {
  return {
    async enqueue(job) {
      await runTagJob(getCtx(), job);
    },
  };
}
