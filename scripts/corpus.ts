/**
 * Corpus report: `npm run corpus -- <dir>` parses every export under <dir> and prints, per file, the
 * format, messages, system lines, placeholders, participants and warnings; where the folder holds an
 * expected-output JSON (`*target.json`: [{ timestamp, author, message }]) it compares against it.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { z } from 'zod';
import { AppError } from '../src/errors';
import type { ParseResult } from '../src/ingest/types';
import { parseBytes } from '../src/services/ingest';
import { type Cell, printTable } from './bench/table';

/** Files that sit beside the samples but are not exports: expected outputs, schemas, test data. */
const REFERENCE = /target\.json$|\.schema\.json$|^discussiontools_.*\.json$|syntax_file|\.md$/;

const Target = z.array(z.object({ timestamp: z.string(), author: z.string(), message: z.string() }));
type Target = z.infer<typeof Target>;

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

/** The expected-output file that applies to a sample: `chatminer_target.json` covers `chatminer_*`. */
function targetFor(file: string, all: string[]): string | undefined {
  const name = basename(file);
  return all
    .filter((p) => dirname(p) === dirname(file) && /target\.json$/.test(p))
    .map((p) => ({ p, prefix: basename(p).replace(/_?target\.json$/, '') }))
    .filter(({ prefix }) => name.startsWith(prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0]?.p;
}

function compare(parsed: ParseResult, target: Target): string {
  const names = new Map(parsed.participants.map((p) => [p.key, p.names[0] ?? '']));
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const ours = parsed.messages.map((m) => `${(m.at ?? '').slice(0, 16)}|${names.get(m.participant ?? '') ?? ''}|${norm(m.text)}`);
  const want = target.map((t) => `${t.timestamp.slice(0, 16)}|${t.author}|${norm(t.message)}`);
  const pool = new Map<string, number>();
  for (const k of ours) pool.set(k, (pool.get(k) ?? 0) + 1);
  let matched = 0;
  const missing: string[] = [];
  for (const k of want) {
    const n = pool.get(k) ?? 0;
    if (n > 0) {
      matched++;
      pool.set(k, n - 1);
    } else missing.push(k);
  }
  const extra = ours.length - matched;
  return `${matched}/${want.length} match${extra ? `, ${extra} extra` : ''}${missing[0] ? `; first miss: ${missing[0].slice(0, 60)}` : ''}`;
}

function main(args: string[]): number {
  const dir = args[0];
  if (!dir) {
    console.error('usage: npm run corpus -- <dir>');
    return 2;
  }
  const files = walk(dir);
  const rows: Cell[][] = [];
  let failed = 0;
  let reference = 0;
  for (const file of files) {
    const rel = relative(dir, file);
    if (REFERENCE.test(basename(file))) {
      reference++;
      continue;
    }
    const bytes = new Uint8Array(readFileSync(file));
    try {
      const { format, parsed, extraWarnings } = parseBytes(bytes, { filename: basename(file) }, 200 * 1024 * 1024);
      const target = targetFor(file, files);
      const expected = target ? compare(parsed, Target.parse(JSON.parse(readFileSync(target, 'utf8')))) : '';
      const warnings = [...extraWarnings, ...parsed.warnings];
      if (parsed.messages.length === 0) failed++;
      rows.push([
        rel,
        format,
        parsed.messages.length,
        parsed.skipped.system,
        parsed.skipped.media + parsed.skipped.deleted,
        parsed.participants.length,
        parsed.polls.length,
        warnings.map((w) => w.code).join(' ') || '-',
        expected || '-',
      ]);
    } catch (err) {
      failed++;
      rows.push([rel, 'ERROR', 0, 0, 0, 0, 0, err instanceof AppError ? `${err.code}: ${err.message.slice(0, 80)}` : String(err), '-']);
    }
  }
  printTable(
    `Corpus report: ${dir}`,
    ['file', 'format', 'messages', 'system', 'placeholders', 'participants', 'polls', 'warnings', 'expected output'],
    rows,
    [`${rows.length} exports read, ${failed} with no messages or an error; ${reference} reference files (expected outputs, schemas, test data) skipped`],
  );
  return failed > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
