/**
 * The monthly report as Markdown. Pure. Participant text is escaped so it stays text: no headings, lists,
 * links, images, emphasis or raw HTML can come out of it.
 */
import type { ReportBucket, ReportData } from './types';

/**
 * Markdown-safe text on one line: `mdText('# <b>hi</b> [x](y)')` → `\\# &lt;b&gt;hi&lt;/b&gt; \\[x\\](y)`.
 */
export function mdText(raw: string): string {
  const text = raw.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').trim();
  return text
    .replace(/&(?=#?\w+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // Parentheses need no escape: a link needs `]` right before them, and brackets are escaped.
    .replace(/[\\`*_{}[\]#+!|~]/g, (m) => `\\${m}`)
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/^([-=])/, '\\$1')
    .replace(/(https?|ftp|mailto):/gi, '$1&#58;');
}

function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}

function bucketLines(buckets: ReportBucket[], unknown: string): string[] {
  return buckets.map((b) => `- ${b.value === '' ? unknown : mdText(b.value)}: ${b.items}`);
}

/** The whole report: `renderMarkdown(report)` → '# Title\n\n## Participation\n…'. */
export function renderMarkdown(r: ReportData): string {
  const out: string[] = [];
  const p = r.participation;
  out.push(`# ${mdText(r.consultation.title)}`, '');
  out.push('## Participation', '');
  out.push(`- Participants: ${p.participants}`, `- Items of feedback: ${p.items}`, '');
  out.push('### Channels', '', ...bucketLines(p.channels, 'Unknown channel'), '');
  if (p.contexts.length > 0) out.push('### Contexts', '', ...bucketLines(p.contexts, 'No context given'), '');

  out.push('## Key points per theme', '');
  for (const th of r.themes) {
    out.push(`### ${mdText(th.label)}`, '', `*${plural(th.items, 'item')} from ${plural(th.participants, 'participant')}*`, '');
    if (th.contexts.length === 0) out.push('- No feedback under this theme yet.', '');
    for (const c of th.contexts) {
      out.push(`#### ${c.context === '' ? 'No context given' : mdText(c.context)}`, '');
      for (const point of c.points) out.push(`- ${mdText(point.text)}`);
      out.push('');
    }
  }

  if (r.polls.length > 0) {
    out.push('## Polls', '');
    for (const poll of r.polls) {
      out.push(`### ${mdText(poll.question)}`, '');
      if (poll.lines.length === 0) out.push('*Results are hidden until the poll closes.*');
      // Two trailing spaces: a hard line break, so each tally line stays its own line.
      out.push(poll.lines.map((l) => mdText(l)).join('  \n'), '');
    }
  }
  out.push(`*Generated ${r.generatedAt.slice(0, 10)} (${r.generator} key points).*`);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
