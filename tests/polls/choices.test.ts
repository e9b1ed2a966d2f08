import { describe, expect, test } from 'vitest';
import { type ChoiceRules, pollState, validateChoices } from '../../src/polls/choices';
import { AppError } from '../../src/errors';

const multi: ChoiceRules = { options: 5, multiple: true, maxChoices: null };
const multiMax2: ChoiceRules = { options: 5, multiple: true, maxChoices: 2 };
const single: ChoiceRules = { options: 3, multiple: false, maxChoices: null };

describe('validateChoices accepts', () => {
  test.each([
    { name: 'one choice in a single-choice poll', choices: [2], rules: single, out: [2] },
    { name: 'the first option (0-based)', choices: [0], rules: single, out: [0] },
    { name: 'several choices, sorted', choices: [4, 0, 2], rules: multi, out: [0, 2, 4] },
    { name: 'every option when there is no maximum', choices: [0, 1, 2, 3, 4], rules: multi, out: [0, 1, 2, 3, 4] },
    { name: 'exactly the maximum', choices: [1, 3], rules: multiMax2, out: [1, 3] },
  ])('$name', ({ choices, rules, out }) => {
    expect(validateChoices(choices, rules)).toEqual(out);
  });
});

describe('validateChoices refuses with a clear message', () => {
  test.each([
    { name: 'no choice', choices: [], rules: multi, message: /choose at least one option/ },
    { name: 'an index past the last option', choices: [5], rules: multi, message: /5 is not an option of this poll; options are numbered 0 to 4/ },
    { name: 'a negative index', choices: [-1], rules: multi, message: /-1 is not an option/ },
    { name: 'a fractional index', choices: [1.5], rules: multi, message: /1.5 is not an option/ },
    { name: 'the same option twice', choices: [1, 1], rules: multi, message: /option 1 is listed twice/ },
    { name: 'two choices in a single-choice poll', choices: [0, 1], rules: single, message: /takes one choice; 2 were sent/ },
    { name: 'more than the maximum', choices: [0, 1, 2], rules: multiMax2, message: /at most 2 options; 3 were sent/ },
  ])('$name', ({ choices, rules, message }) => {
    let caught: unknown;
    try {
      validateChoices(choices, rules);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('invalid_input');
    expect((caught as AppError).message).toMatch(message);
  });
});

describe('pollState', () => {
  const now = new Date('2026-11-21T10:00:00.000Z');
  test.each([
    { name: 'no times: open', poll: { source: 'native', opensAt: null, closesAt: null }, state: 'open' },
    { name: 'before opensAt', poll: { source: 'native', opensAt: '2026-11-21T10:00:00.001Z', closesAt: null }, state: 'not_open' },
    { name: 'at opensAt: open', poll: { source: 'native', opensAt: '2026-11-21T10:00:00.000Z', closesAt: null }, state: 'open' },
    { name: 'at closesAt: closed', poll: { source: 'native', opensAt: null, closesAt: '2026-11-21T10:00:00.000Z' }, state: 'closed' },
    { name: 'before closesAt: open', poll: { source: 'native', opensAt: null, closesAt: '2026-11-21T10:00:01.000Z' }, state: 'open' },
    { name: 'an imported poll never takes votes', poll: { source: 'whatsapp', opensAt: null, closesAt: null }, state: 'closed' },
  ])('$name', ({ poll, state }) => {
    expect(pollState(poll, now)).toBe(state);
  });
});
