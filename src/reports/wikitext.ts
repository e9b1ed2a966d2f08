/**
 * The monthly report as MediaWiki wikitext, ready to paste on Meta-Wiki. Pure. Everything that came from
 * participants, uploads or theme lists goes through `wikiText`, so it can never become a template, link,
 * table, signature, heading, list, magic word or HTML tag.
 */
import type { ReportBucket, ReportData } from './types';

// Markup that means something to the parser anywhere in a line, or at its start/end.
const INLINE_MARKUP = /\{\{|\}\}|\{\||\|\}|\[|\]|\||~~~|<|>|&#?\w+;|''|__|:\/\/|\bISBN\b|\bRFC\b|\bPMID\b|\bmailto:/i;
const LINE_START_MARKUP = /^[\s=*#:;!-]/;
const LINE_END_MARKUP = /=\s*$/;

/**
 * Text shown literally: `wikiText('{{delete}} [[x]]')` → `<nowiki>{{delete}} [[x]]</nowiki>`, `wikiText('plain')` → `plain`.
 * Newlines become spaces (a report line is one line); `&`, `<`, `>` become entities so `</nowiki>` cannot close early.
 */
export function wikiText(raw: string): string {
  const text = raw.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').trim();
  if (text === '') return '';
  if (!INLINE_MARKUP.test(text) && !LINE_START_MARKUP.test(text) && !LINE_END_MARKUP.test(text)) return text;
  const inner = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<nowiki>${inner}</nowiki>`;
}

/** A heading line: `wikiHeading(2, 'Polls')` → `== Polls ==`. */
export function wikiHeading(level: 2 | 3 | 4, text: string): string {
  const marks = '='.repeat(level);
  return `${marks} ${wikiText(text) || '—'} ${marks}`;
}

function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}

function bucketLines(buckets: ReportBucket[], unknown: string): string[] {
  return buckets.map((b) => `* ${b.value === '' ? unknown : wikiText(b.value)}: ${b.items}`);
}

/** The whole report: `renderWikitext(report)` → '== Participation ==\n…'. */
export function renderWikitext(r: ReportData): string {
  const out: string[] = [];
  const p = r.participation;
  out.push(wikiHeading(2, 'Participation'));
  out.push(`* Participants: ${p.participants}`);
  out.push(`* Items of feedback: ${p.items}`);
  out.push('');
  out.push(wikiHeading(3, 'Channels'));
  out.push(...bucketLines(p.channels, 'Unknown channel'));
  out.push('');
  if (p.contexts.length > 0) {
    out.push(wikiHeading(3, 'Contexts'));
    out.push(...bucketLines(p.contexts, 'No context given'));
    out.push('');
  }

  out.push(wikiHeading(2, 'Key points per theme'));
  for (const th of r.themes) {
    out.push(wikiHeading(3, th.label));
    out.push(`''${plural(th.items, 'item')} from ${plural(th.participants, 'participant')}''`);
    if (th.contexts.length === 0) out.push('* No feedback under this theme yet.');
    for (const c of th.contexts) {
      out.push(wikiHeading(4, c.context === '' ? 'No context given' : c.context));
      for (const point of c.points) out.push(`* ${wikiText(point.text)}`);
    }
    out.push('');
  }

  if (r.polls.length > 0) {
    out.push(wikiHeading(2, 'Polls'));
    for (const poll of r.polls) {
      out.push(wikiHeading(3, poll.question));
      if (poll.lines.length === 0) out.push("''Results are hidden until the poll closes.''");
      // One report line per tally line; <br /> keeps them apart without turning them into a list.
      out.push(poll.lines.map((l) => wikiText(l)).join('<br />\n'));
      out.push('');
    }
  }
  out.push(`<small>Generated ${r.generatedAt.slice(0, 10)} from ${wikiText(r.consultation.title)} (${r.generator} key points).</small>`);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
