/**
 * After ingesting every fixture of every format, the database file holds no phone number, email or
 * participant name from the inputs. Checked on the raw bytes of the file and its WAL.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseBytes } from '../../src/services/ingest';
import { newConsultation, testEnv } from '../helpers';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const FORMAT_DIRS = { whatsapp: 'whatsapp', telegram: 'telegram', facebook: 'facebook', csv: 'csv', notes: 'notes', wikitext: 'wikitext' } as const;

function fixtureFiles(): { format: keyof typeof FORMAT_DIRS; path: string }[] {
  const out: { format: keyof typeof FORMAT_DIRS; path: string }[] = [];
  for (const [format, dir] of Object.entries(FORMAT_DIRS) as [keyof typeof FORMAT_DIRS, string][]) {
    const d = join(FIXTURES, dir);
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d).sort()) {
      if (/\.(txt|zip|json|csv|md|wikitext)$/.test(name) && !/expected|\.out\./.test(name)) out.push({ format, path: join(d, name) });
    }
  }
  return out;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const PHONE = /\+?[\d\u0660-\u0669](?:[\d\u0660-\u0669\s\u00A0\u202F().-]{6,20})[\d\u0660-\u0669]/g;

describe('no personal data in the database file', () => {
  test('every fixture ingested; names, phones and emails from the inputs are nowhere in the bytes', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const needles = new Set<string>();
    const files = fixtureFiles();
    expect(files.length).toBeGreaterThan(10);
    let stored = 0;
    for (const f of files) {
      const bytes = new Uint8Array(readFileSync(f.path));
      let parsed: ReturnType<typeof parseBytes>;
      try {
        parsed = parseBytes(bytes, { format: f.format }, 50 * 1024 * 1024);
      } catch {
        continue; // fixtures of bad input are rejected before anything is stored
      }
      for (const p of parsed.parsed.participants) {
        for (const n of p.names) if (n.trim().length >= 3) needles.add(n.trim());
      }
      const raw = new TextDecoder().decode(bytes);
      for (const m of raw.matchAll(EMAIL)) needles.add(m[0]);
      for (const m of raw.matchAll(PHONE)) {
        const digits = m[0].replace(/\D/g, '');
        if (digits.length >= 9 && !/^\d{4}[.-]\d{2}[.-]\d{2}/.test(m[0])) needles.add(m[0].trim());
      }
      const res = await t.request(`/api/consultations/${slug}/uploads?format=${f.format}`, { method: 'POST', body: bytes });
      if (res.status === 201 || res.status === 200) stored++;
    }
    expect(stored).toBeGreaterThan(10);
    expect(needles.size).toBeGreaterThan(20);
    await t.client.execute('pragma wal_checkpoint(truncate)');
    const dbText = [t.dbPath, `${t.dbPath}-wal`]
      .filter((p) => existsSync(p))
      .map((p) => readFileSync(p).toString('utf8'))
      .join('\n');
    const leaks = [...needles].filter((n) => dbText.includes(n));
    expect(leaks).toEqual([]);
  });
});
