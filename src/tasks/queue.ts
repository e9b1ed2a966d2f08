/**
 * Workers' background runner: tag jobs go to a Cloudflare Queue in chunks of item ids; the queue consumer
 * (src/worker.ts) tags each chunk. Redelivery is safe: only items still pending are tagged.
 */
import type { TagJob, TaskRunner } from '../context';
import type { Store } from '../store/store';

export const TAG_CHUNK = 200;

export function queueRunner(queue: Queue<TagJob>, store: Store): TaskRunner {
  return {
    async enqueue(job) {
      const ids = job.itemIds ?? (await store.tagging.pendingIds(job.consultationId));
      const messages: { body: TagJob }[] = [];
      for (let i = 0; i < ids.length; i += TAG_CHUNK) {
        messages.push({ body: { kind: 'tag', consultationId: job.consultationId, itemIds: ids.slice(i, i + TAG_CHUNK) } });
      }
      // sendBatch takes at most 100 messages.
      for (let i = 0; i < messages.length; i += 100) await queue.sendBatch(messages.slice(i, i + 100));
    },
  };
}
