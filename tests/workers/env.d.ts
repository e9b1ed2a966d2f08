import type { D1Migration } from 'cloudflare:test';
import type { Env as WorkerEnv } from '../../src/worker';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      DB: D1Database;
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
