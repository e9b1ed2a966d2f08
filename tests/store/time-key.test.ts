/**
 * Content hashes lead with the item's minute (timeKey). Migration 0004 gave existing hashes the same head in
 * SQL; both must agree on every shape of `at`, or later uploads would not find the items they duplicate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { describe, expect, test } from 'vitest';
import { timeKey } from '../../src/text/content-hash';
import { newConsultation, testEnv } from '../helpers';

const MIGRATION = readFileSync(join(import.meta.dirname, '../../schema/migrations/0004_time_ordered_content_hash.sql'), 'utf8');
/** The expression the migration prefixes hashes with, taken from the migration itself. */
const SQL_KEY = /SET content_hash = (.+?) \|\| content_hash/.exec(MIGRATION)?.[1] ?? 'missing';

describe('timeKey', () => {
  test.each([
    ['seconds', '2022-03-18T14:56:01', '202203181456'],
    ['minutes only', '2022-03-18T14:56', '202203181456'],
    ['UTC', '2022-03-18T14:56:01.000Z', '202203181456'],
    ['a date alone', '2022-03-18', '20220318'],
    ['unknown', null, ''],
  ])('%s: %s → %s, the same in the migration’s SQL', async (_name, at, key) => {
    expect(timeKey(at)).toBe(key);
    const client = createClient({ url: ':memory:' });
    const rs = await client.execute({ sql: `select coalesce(${SQL_KEY.replaceAll('at', '?1')}, '') as k`, args: [at] });
    expect(rs.rows[0]?.k).toBe(key);
    client.close();
  });

  test('an item stored before the migration is found as a duplicate after it', async () => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const chat = ['12/07/2022, 22:36 - Laila Mansour: Small affiliates never see the grants', '13/07/2022, 08:01 - Tomás Ferreira: We need training for new editors'].join('\n');
    const first = await t.request(`/api/consultations/${slug}/uploads`, { method: 'POST', body: chat });
    expect(first.status).toBe(201);
    // As they were before 0004: the hash without its head. Then the migration's statement, as written.
    await t.client.execute("update items set content_hash = substr(content_hash, 13) where at is not null");
    await t.client.execute(MIGRATION.split('\n').filter((l) => !l.startsWith('--')).join('\n'));
    const overlap = `${chat}\n13/07/2022, 09:15 - Tomás Ferreira: Harassment keeps women away`;
    const second = await t.request(`/api/consultations/${slug}/uploads`, { method: 'POST', body: overlap });
    const body = (await second.json()) as { upload: { items: number; duplicates: number } };
    expect(body.upload).toMatchObject({ items: 1, duplicates: 2 });
  });
});
