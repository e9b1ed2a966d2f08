/**
 * Everything a request needs from the outside world, built once (Node start, or per isolate on Workers)
 * and handed to `createApp`. Each external thing has an interface so tests can pass a fake.
 */
import type { Config } from './config';
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
}

export const systemClock: Clock = { now: () => new Date() };

/** One JSON line per event, so logs can be shipped and grepped; never log feedback text or identities. */
export function jsonLogger(write: (line: string) => void = (l) => console.log(l)): Logger {
  const emit = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    write(JSON.stringify({ level, message, ...fields }));
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
