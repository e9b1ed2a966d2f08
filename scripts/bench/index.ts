/**
 * Benchmarks: `npm run bench -- <name> [options]`. Speed and memory are measured here, never in timed tests.
 * Each benchmark is a module with `run(args)`, loaded only when asked for, so one broken bench breaks no other.
 */

// The peer WhatsApp parser builds Date objects in local time; in UTC no daylight-saving gap can move a wall
// clock. Node re-reads TZ when it is assigned, and no Date has been made before this line.
process.env.TZ = 'UTC';

interface Bench {
  about: string;
  load: () => Promise<{ run(args: string[]): Promise<void> }>;
}

const BENCHES: Record<string, Bench> = {
  ingest: {
    about: 'WhatsApp parse speed vs whatsapp-chat-parser, end-to-end ingest vs a raw libSQL insert, peak RSS',
    load: () => import('./ingest'),
  },
  tagging: {
    about: 'LLM tagging prompt tokens vs the items\' own (batched and one per request), cache re-run, offline tagger speed',
    load: () => import('./tagging'),
  },
  ballots: {
    about: 'Ballots/s of 200 concurrent voters against the Node server on a libSQL file (autocannon), tallies checked',
    load: () => import('./ballots'),
  },
  dashboard: {
    about: 'Dashboard API and page p50/p95 over 1M generated items (counters) vs the naive GROUP BY; JS time inside workerd',
    load: () => import('./dashboard'),
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const bench = name === undefined ? undefined : BENCHES[name];
  if (!bench) {
    if (name !== undefined && name !== '--help') console.error(`unknown benchmark "${name}"`);
    console.error('usage: npm run bench -- <name> [options]\n\nbenchmarks:');
    for (const [n, b] of Object.entries(BENCHES)) console.error(`  ${n.padEnd(12)} ${b.about}`);
    return 2;
  }
  await (await bench.load()).run(args);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));

export {};
