/** Survey CSVs sent without a file name read as CSV: quoted commas, two header rows, rows that start with a date-time. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeText } from '../../src/ingest/decode';
import { detectFormat } from '../../src/ingest/detect';
import { streamBytes } from '../../src/services/ingest';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const enc = (s: string) => new TextEncoder().encode(s);

describe('detectFormat on survey CSVs without a file name', () => {
  test.each([
    ['Google Forms: rows start with "3/14/2023 14:05:41" (a chat header to the eye)', 'detect/google-forms-timestamp-rows.csv'],
    ['Google Forms with one question: two columns', 'detect/google-forms-one-question.csv'],
    ['LimeSurvey R export: BOM, quoted header with commas, a multi-line answer with list items', 'detect/limesurvey-r-quoted-header.csv'],
    ['Typeform: two header rows, quoted commas, a numbered list inside an answer', 'detect/typeform-two-header-rows-quoted.csv'],
    ['Google Forms, checkbox answers joined with commas', 'csv/google-forms-checkbox-commas.csv'],
    ['LimeSurvey with 0/1 columns', 'csv/limesurvey-bom-01-columns.csv'],
    ['multi-line quoted answers with CRLF', 'csv/multiline-crlf-quoted.csv'],
    ['Typeform two header rows', 'csv/typeform-two-header-rows.csv'],
    ['semicolons', 'csv/generic-semicolon.csv'],
    ['Microsoft Forms with semicolons', 'csv/ms-forms-semicolons.csv'],
  ])('%s → csv', (_name, path) => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, path)));
    expect(detectFormat(bytes, decodeText(bytes).text)).toBe('csv');
  });

  test.each([
    ['an Android chat whose first line is not a header', 'Chat, exported\n14/03/2023, 10:01 - Amina: hello\n14/03/2023, 10:02 - Karim: hi', 'whatsapp'],
    ['an iOS chat whose first line is not a header', 'Chat, exported\n[14/03/2023, 10:01:12] Amina: hello\n[14/03/2023, 10:02:13] Karim: hi', 'whatsapp'],
    ['a time-first chat under a two-cell title', 'Chat, exported\n[10:01:12, 3/14/23] Amina: hello\n[10:02:13, 3/14/23] Karim: hi', 'whatsapp'],
    ['notes: a title with a comma over bullets with one comma each', 'Interview with Amina, Lagos\n- grants, training\n- offline, please', 'notes'],
    ['notes: a heading over lines of two cells', '# Focus group, Accra\nGrants, too slow\nTraining, too far', 'notes'],
    ['a header row over a chat', 'Date,Message\n14/03/2023, 10:01 - Amina: hello\n14/03/2023, 10:02 - Karim: hi, all', 'whatsapp'],
  ])('%s → %s', (_name, text, format) => {
    expect(detectFormat(enc(text), text)).toBe(format);
  });

  test('the head of a long CSV ends inside a quoted answer: the cut record is not held against it', () => {
    const answer = `"${'Long answer, with commas. '.repeat(30)}"`;
    const rows = Array.from({ length: 200 }, (_, i) => `3/14/2023 14:${String(i % 60).padStart(2, '0')}:00,${answer},Lagos`);
    const text = `Timestamp,What should change?,Where?\n${rows.join('\n')}\n`;
    expect(text.length).toBeGreaterThan(64 * 1024);
    expect(detectFormat(enc(text), text)).toBe('csv');
  });

  test('a Google Forms CSV without a name is parsed as a survey, not refused as a chat without headers', () => {
    const { format, stream } = streamBytes(readFileSync(join(FIXTURES, 'detect/google-forms-timestamp-rows.csv')), {}, 1 << 20);
    expect(format).toBe('csv');
    const answers = [...stream.chunks()].flat().map((m) => m.text);
    expect(answers).toContain('More small grants for user groups');
  });
});
