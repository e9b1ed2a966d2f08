/**
 * Everything a request needs from the outside world, built once (Node start, or per isolate on Workers)
 * and handed to `createApp`. Each external thing has an interface so tests can pass a fake.
 */
import type { Config } from './config';
import type { Limiter } from './polls/rate-limit';
import type { Llm } from './llm/types';
import type { Store } from './store/store';

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface AppContext {
  store: Store;
  clock: Clock;
  log: Logger;
  config: Config;
  /** Server secret that, with each consultation's salt, keys participant pseudonyms. */
  pseudonymSecret: string;
  /** Brakes repeated bad voter codes per client; defaults to an in-memory limiter per context (per isolate on Workers). */
  limiter?: Limiter;
  /** An OpenAI-compatible model when configured; without it the offline tagger and extractive summaries run. */
  llm?: Llm;
  /** Background work: in-process on Node, a Cloudflare Queue on Workers. */
  tasks: TaskRunner;
  /** On Workers, POST /tagging hands work to the queue instead of tagging during the request. */
  runtime: 'node' | 'workers';
}

/** A job for the background: tag the pending items of a consultation (optionally just these ids). */
export interface TagJob {
  kind: 'tag';
  consultationId: string;
  itemIds?: number[];
}

export interface TaskRunner {
  /** Hands the job over; never throws for the job's own failures (they are logged, items stay pending). */
  enqueue(job: TagJob): Promise<void>;
}

/** For tests and scripts that run tagging explicitly. */
export const noTasks: TaskRunner = { enqueue: async () => {} };

export const systemClock: Clock = { now: () => new Date() };

/** One JSON line per event, so logs can be shipped and grepped; never log feedback text or identities. */
export function jsonLogger(write: (line: string) => void = (l) => console.log(l)): Logger {
  const emit = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    write(JSON.stringify({ level, message, ...fields }));
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
