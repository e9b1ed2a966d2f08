import { describe, expect, test } from 'vitest';
import { UNKNOWN_PARTICIPANTS_NOTE, formatTally, percentOf, tallyPoll } from '../../src/polls/tally';

const opts = (...votes: number[]) => votes.map((v, i) => ({ label: `Option ${i + 1}`, votes: v }));

describe('tallyPoll', () => {
  test.each([
    {
      name: "the liaison's example: 37 participants, multi-vote, 31/17/9/4/2",
      input: { multiple: true, participants: 37, options: opts(31, 17, 9, 4, 2) },
      participants: 37,
      percents: [84, 46, 24, 11, 5],
    },
    {
      name: 'single choice adds up to 100',
      input: { multiple: false, participants: 10, options: opts(5, 3, 2) },
      participants: 10,
      percents: [50, 30, 20],
    },
    {
      name: 'zero votes: 0 % and no division by zero',
      input: { multiple: false, participants: 0, options: opts(0, 0) },
      participants: 0,
      percents: [0, 0],
    },
    {
      name: 'halves round up (1 of 8 = 12.5 → 13, 3 of 8 = 37.5 → 38)',
      input: { multiple: true, participants: 8, options: opts(1, 3, 8) },
      participants: 8,
      percents: [13, 38, 100],
    },
    {
      name: 'just under a half rounds down (1 of 3 = 33.3 → 33, 2 of 3 = 66.7 → 67)',
      input: { multiple: false, participants: 3, options: opts(1, 2) },
      participants: 3,
      percents: [33, 67],
    },
    {
      name: 'single choice, rounded shares may not add up to 100 (3 × 33)',
      input: { multiple: false, participants: 3, options: opts(1, 1, 1) },
      participants: 3,
      percents: [33, 33, 33],
    },
    {
      name: 'imported single choice with unknown participants counts one voter per vote',
      input: { multiple: false, participants: null, options: opts(6, 4) },
      participants: 10,
      percents: [60, 40],
    },
    {
      name: 'participants who skipped the question still count in the base',
      input: { multiple: false, participants: 40, options: opts(10, 10) },
      participants: 40,
      percents: [25, 25],
    },
  ])('$name', ({ input, participants, percents }) => {
    const r = tallyPoll(input);
    expect(r.participants).toBe(participants);
    expect(r.options.map((o) => o.percent)).toEqual(percents);
    expect(r.options.map((o) => o.votes)).toEqual(input.options.map((o) => o.votes));
    expect(r.note).toBeUndefined();
  });

  test('imported multiple choice with unknown participants: null, no percentages, a note', () => {
    const r = tallyPoll({ multiple: true, participants: null, options: opts(6, 4) });
    expect(r).toEqual({
      participants: null,
      options: [
        { label: 'Option 1', votes: 6, percent: null },
        { label: 'Option 2', votes: 4, percent: null },
      ],
      note: UNKNOWN_PARTICIPANTS_NOTE,
    });
  });

  test('percentOf matches Math.round(100 × v / p) for every v ≤ p ≤ 400', () => {
    const wrong: string[] = [];
    for (let p = 1; p <= 400; p++) {
      for (let v = 0; v <= p; v++) if (percentOf(v, p) !== Math.round((100 * v) / p)) wrong.push(`${v}/${p}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('formatTally', () => {
  test.each([
    {
      name: "the liaison's report format",
      multiple: true,
      input: { multiple: true, participants: 37, options: [{ label: 'Offline reading', votes: 31 }, { label: 'Grants', votes: 17 }] },
      lines: ['37 participants - 2 options - Multiple votes', '1- Offline reading (31 people - 84 %)', '2- Grants (17 people - 46 %)'],
    },
    {
      name: 'singulars and a single-choice poll',
      multiple: false,
      input: { multiple: false, participants: 1, options: [{ label: 'Yes', votes: 1 }] },
      lines: ['1 participant - 1 option - Single vote', '1- Yes (1 person - 100 %)'],
    },
    {
      name: 'unknown participants: votes without percentages',
      multiple: true,
      input: { multiple: true, participants: null, options: [{ label: 'A', votes: 3 }, { label: 'B', votes: 0 }] },
      lines: ['Participants unknown - 2 options - Multiple votes', '1- A (3 people)', '2- B (0 people)'],
    },
  ])('$name', ({ multiple, input, lines }) => {
    expect(formatTally(tallyPoll(input), multiple)).toEqual(lines);
  });
});
