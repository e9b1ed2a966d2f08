/**
 * Correctness under load: hundreds of ballots at once through the app on a real libSQL file, some voters
 * replacing their ballots, some sending two different ballots at the same moment. No vote may be lost or
 * counted twice: the tallies must equal the final ballots exactly.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { voterKey } from '../../src/services/polls';
import { type TestEnv, newConsultation, postJson, testEnv } from '../helpers';

const OPTIONS = ['Offline reading', 'Small grants', 'Translation sprints', 'Mentoring', 'Events'];

let t: TestEnv;
let slug: string;

beforeAll(async () => {
  t = await testEnv();
  slug = await newConsultation(t);
});

/** A deterministic ballot for voter i in round r: one to three options, different from round to round. */
function choicesFor(i: number, round: number): number[] {
  const first = (i * 7 + round * 3) % OPTIONS.length;
  const count = 1 + ((i + round) % 3);
  return [...new Set(Array.from({ length: count }, (_, k) => (first + k * 2) % OPTIONS.length))].sort((a, b) => a - b);
}

async function vote(pollId: string, voter: string, choices: number[]): Promise<number> {
  const res = await t.request(`/api/polls/${pollId}/ballots`, {
    method: 'POST',
    token: null,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.77' },
    body: JSON.stringify({ voter, choices }),
  });
  return res.status;
}

describe('concurrent ballots', () => {
  test('hundreds of ballots at once, with replacements and same-voter races: tallies equal the final ballots', async () => {
    const created = await postJson(t, `/api/consultations/${slug}/polls`, { question: 'Which first?', options: OPTIONS, multiple: true });
    const pollId = (created.body.poll as { id: string }).id;
    const codes = (await postJson(t, `/api/polls/${pollId}/voters`, { count: 500 })).body.codes as string[];

    // Round 1: voters 0–399 at once; voters 0–99 send a second, different ballot in the same burst.
    const round1 = await Promise.all([
      ...codes.slice(0, 400).map((code, i) => vote(pollId, code, choicesFor(i, 1))),
      ...codes.slice(0, 100).map((code, i) => vote(pollId, code, choicesFor(i, 2))),
    ]);
    expect(round1.every((s) => s === 201 || s === 200)).toBe(true);
    expect(round1.slice(100, 400).every((s) => s === 201)).toBe(true);

    // Round 2: voters 100–299 replace their ballot while voters 400–499 cast their first.
    const round2 = await Promise.all([
      ...codes.slice(100, 300).map((code, i) => vote(pollId, code, choicesFor(100 + i, 3))),
      ...codes.slice(400, 500).map((code, i) => vote(pollId, code, choicesFor(400 + i, 1))),
    ]);
    expect(round2.slice(0, 200).every((s) => s === 200)).toBe(true);
    expect(round2.slice(200).every((s) => s === 201)).toBe(true);

    // What each voter holds now, read from the store.
    const rows = await t.client.execute({ sql: 'select voter, position from ballot_choices where poll_id = ? order by voter, position', args: [pollId] });
    const stored = new Map<string, number[]>();
    for (const r of rows.rows) {
      const list = stored.get(String(r.voter)) ?? [];
      list.push(Number(r.position));
      stored.set(String(r.voter), list);
    }
    const finals = codes.map((code, i) => {
      const held = stored.get(voterKey(code) ?? '') ?? [];
      if (i < 100) {
        // A race: either ballot may have committed last, but whole — never a mix of the two, never both.
        const either = [choicesFor(i, 1), choicesFor(i, 2)].map((c) => c.join(','));
        expect(either).toContain(held.join(','));
        return held;
      }
      const expected = i < 300 ? choicesFor(i, 3) : choicesFor(i, 1);
      expect(held).toEqual(expected);
      return expected;
    });

    const votes = OPTIONS.map((_, k) => finals.filter((f) => f.includes(k)).length);
    const res = await t.request(`/api/polls/${pollId}/results`);
    const results = (await res.json()) as { participants: number; options: { votes: number }[] };
    expect(results.participants).toBe(500);
    expect(results.options.map((o) => o.votes)).toEqual(votes);
    expect(rows.rows).toHaveLength(finals.reduce((n, f) => n + f.length, 0));

    const ballots = await t.client.execute({ sql: 'select count(*) as n from ballots where poll_id = ?', args: [pollId] });
    expect(Number(ballots.rows[0]?.n)).toBe(500);
    // One audit entry per accepted ballot: 500 first ballots, the rest changes.
    const audit = await t.client.execute({ sql: "select action, count(*) as n from audit_log where target = ? and action like 'ballot.%' group by action order by action", args: [pollId] });
    expect(audit.rows.map((r) => [String(r.action), Number(r.n)])).toEqual([
      ['ballot.cast', 500],
      ['ballot.change', round1.length + round2.length - 500],
    ]);
  });
});

describe('group commit (PollStore.castBallot with group)', () => {
  test('one voter three times in one turn: written in order, the last one counts; a bad ballot fails alone', async () => {
    const created = await postJson(t, `/api/consultations/${slug}/polls`, { question: 'Group?', options: OPTIONS, multiple: true });
    const poll = created.body.poll as { id: string };
    const consultationId = (await t.ctx.store.findConsultation(slug))?.id ?? '';
    const ballot = (voter: string, positions: number[]) => ({ pollId: poll.id, consultationId, voter, positions, castAt: '2026-11-21T10:00:00.000Z' });
    const store = t.ctx.store.polls;
    const outcomes = await Promise.allSettled([
      store.castBallot(ballot('voter-a', [0]), { group: true }),
      store.castBallot(ballot('voter-b', [1]), { group: true }),
      store.castBallot(ballot('voter-a', [2, 3]), { group: true }),
      // The same position twice breaks the choices' primary key: this ballot must fail, and only it.
      store.castBallot(ballot('voter-c', [4, 4]), { group: true }),
      store.castBallot(ballot('voter-a', [1, 4]), { group: true }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const counts = (await store.ballotCounts({ pollId: poll.id })).get(poll.id);
    expect(counts?.participants).toBe(2);
    expect(OPTIONS.map((_, k) => counts?.votes.get(k) ?? 0)).toEqual([0, 2, 0, 0, 1]);
    const audit = await t.client.execute({ sql: "select action from audit_log where target = ? and action like 'ballot.%' order by id", args: [poll.id] });
    expect(audit.rows.map((r) => String(r.action))).toEqual(['ballot.cast', 'ballot.cast', 'ballot.change', 'ballot.change']);
  });
});

describe('single writes (Workers, D1: no group commit)', () => {
  test('each ballot is its own batch with the same outcome', async () => {
    const created = await postJson(t, `/api/consultations/${slug}/polls`, { question: 'Alone?', options: OPTIONS, multiple: true });
    const poll = created.body.poll as { id: string };
    const consultationId = (await t.ctx.store.findConsultation(slug))?.id ?? '';
    const store = t.ctx.store.polls;
    const ballot = (voter: string, positions: number[]) => ({ pollId: poll.id, consultationId, voter, positions, castAt: '2026-11-21T10:00:00.000Z' });
    await store.castBallot(ballot('voter-a', [0, 1]));
    await store.castBallot(ballot('voter-b', [1]));
    await store.castBallot(ballot('voter-a', [3]));
    await expect(store.castBallot(ballot('voter-c', [2, 2]))).rejects.toThrow();
    const counts = (await store.ballotCounts({ pollId: poll.id })).get(poll.id);
    expect(counts?.participants).toBe(2);
    expect(OPTIONS.map((_, k) => counts?.votes.get(k) ?? 0)).toEqual([0, 1, 0, 1, 0]);
  });
});
