/** Ballot rules: which choices a voter may send, and whether a poll takes votes now. Pure. */
import { AppError } from '../errors';

export interface ChoiceRules {
  /** How many options the poll has; choices are 0-based indexes into them. */
  options: number;
  multiple: boolean;
  /** Most options one voter may tick in a multiple-choice poll; null for no limit. */
  maxChoices: number | null;
}

/**
 * The choices as option positions, sorted, or an `invalid_input` AppError saying what to fix:
 * `validateChoices([2, 0], { options: 3, multiple: true, maxChoices: null })` → `[0, 2]`.
 */
export function validateChoices(choices: readonly number[], rules: ChoiceRules): number[] {
  if (choices.length === 0) throw new AppError('invalid_input', 'choices: choose at least one option');
  const seen = new Set<number>();
  for (const c of choices) {
    if (!Number.isInteger(c) || c < 0 || c >= rules.options) {
      throw new AppError(
        'invalid_input',
        `choices: ${c} is not an option of this poll; options are numbered 0 to ${rules.options - 1}`,
      );
    }
    if (seen.has(c)) throw new AppError('invalid_input', `choices: option ${c} is listed twice; list each option once`);
    seen.add(c);
  }
  if (!rules.multiple && choices.length > 1) {
    throw new AppError('invalid_input', `choices: this poll takes one choice; ${choices.length} were sent`);
  }
  const max = rules.multiple ? (rules.maxChoices ?? rules.options) : 1;
  if (choices.length > max) {
    throw new AppError('invalid_input', `choices: choose at most ${max} options; ${choices.length} were sent`);
  }
  return [...seen].sort((a, b) => a - b);
}

export type PollState = 'open' | 'not_open' | 'closed';

/**
 * Whether a poll takes votes at `now`; an imported poll never does:
 * `pollState({ source: 'native', opensAt: null, closesAt: '2026-01-01T00:00:00.000Z' }, new Date('2026-02-01'))` → `'closed'`.
 */
export function pollState(poll: { source: string; opensAt: string | null; closesAt: string | null }, now: Date): PollState {
  if (poll.source !== 'native') return 'closed';
  const t = now.getTime();
  if (poll.opensAt !== null && t < Date.parse(poll.opensAt)) return 'not_open';
  if (poll.closesAt !== null && t >= Date.parse(poll.closesAt)) return 'closed';
  return 'open';
}
