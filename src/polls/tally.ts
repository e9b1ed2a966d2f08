/**
 * Tally maths and the liaison's text format. Pure: counts in, results out.
 *
 * A multiple-choice poll is counted per option (one vote per voter per option ticked), never per
 * combination of options, so the option votes of a multi-vote poll add up to more than its participants.
 */

export interface TallyInput {
  multiple: boolean;
  /** Distinct voters, or null when an imported source did not say. */
  participants: number | null;
  /** In the poll's option order. */
  options: { label: string; votes: number }[];
}

export interface OptionResult {
  label: string;
  votes: number;
  /** round(100 × votes / participants); null when participants are unknown. */
  percent: number | null;
}

export interface TallyResult {
  participants: number | null;
  options: OptionResult[];
  /** Why a figure is missing, in words for the dashboard. */
  note?: string;
}

export const UNKNOWN_PARTICIPANTS_NOTE =
  'the source gives votes per option but not how many people voted; in a multiple-choice poll that cannot be worked out, so no percentages are shown';

/**
 * round(100 × votes / participants), halves rounded up, in whole-number arithmetic: `percentOf(31, 37)` → 84.
 * Zero participants give 0 rather than a division by zero.
 */
export function percentOf(votes: number, participants: number): number {
  if (participants <= 0) return 0;
  return Math.floor((200 * votes + participants) / (2 * participants));
}

/**
 * Results of a poll from its counts: `tallyPoll({ multiple: true, participants: 37, options: [{ label: 'A', votes: 31 }] })`
 * → `{ participants: 37, options: [{ label: 'A', votes: 31, percent: 84 }] }`. A single-choice poll with unknown
 * participants counts one voter per vote; a multiple-choice one cannot, and says so in `note`.
 */
export function tallyPoll(input: TallyInput): TallyResult {
  const participants =
    input.participants ?? (input.multiple ? null : input.options.reduce((sum, o) => sum + o.votes, 0));
  const options = input.options.map((o) => ({
    label: o.label,
    votes: o.votes,
    percent: participants === null ? null : percentOf(o.votes, participants),
  }));
  return participants === null ? { participants, options, note: UNKNOWN_PARTICIPANTS_NOTE } : { participants, options };
}

/**
 * The liaison's report lines: `formatTally(result, true)` →
 * `["37 participants - 5 options - Multiple votes", "1- Offline reading (31 people - 84 %)", …]`.
 */
export function formatTally(result: TallyResult, multiple: boolean): string[] {
  const n = result.options.length;
  const who = result.participants === null ? 'Participants unknown' : plural(result.participants, 'participant', 'participants');
  const header = `${who} - ${plural(n, 'option', 'options')} - ${multiple ? 'Multiple votes' : 'Single vote'}`;
  const lines = result.options.map((o, i) => {
    const people = plural(o.votes, 'person', 'people');
    return `${i + 1}- ${o.label} (${o.percent === null ? people : `${people} - ${o.percent} %`})`;
  });
  return [header, ...lines];
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
