import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors';
import { derivePseudonymKey, labelFromId, pseudonymFor, pseudonymsFor, randomSalt } from '../../src/privacy/pseudonym';

const SECRET = 'test-secret-0123456789abcdef';
const SALT = '5f0c2b6a9e1d4c7b8a3f2e1d0c9b8a7f';
const LABEL = /^P-[0-9A-HJKMNP-TV-Z]{6}$/;

describe('pseudonymFor', () => {
  test('is HMAC(HMAC(secret, "pseudonym:" + salt), identity key), as hex', async () => {
    // Node's own HMAC as an independent reference for the Web Crypto code.
    const consultationKey = createHmac('sha256', SECRET).update(`pseudonym:${SALT}`).digest();
    const expected = createHmac('sha256', consultationKey).update('phone:+442079460321').digest('hex');
    const key = await derivePseudonymKey(SECRET, SALT);
    const p = await pseudonymFor(key, 'phone:+442079460321');
    expect(p.id).toBe(expected);
    expect(p.label).toBe(labelFromId(expected));
  });

  test('same secret, salt and identity give the same pseudonym', async () => {
    const a = await pseudonymFor(await derivePseudonymKey(SECRET, SALT), 'name:jane doe');
    const b = await pseudonymFor(await derivePseudonymKey(SECRET, SALT), 'name:jane doe');
    expect(a).toEqual(b);
    expect(a.id).toMatch(/^[0-9a-f]{64}$/);
    expect(a.label).toMatch(LABEL);
  });

  test('a secret as bytes equals the same secret as text', async () => {
    const a = await pseudonymFor(await derivePseudonymKey(new TextEncoder().encode(SECRET), SALT), 'name:jane doe');
    const b = await pseudonymFor(await derivePseudonymKey(SECRET, SALT), 'name:jane doe');
    expect(a).toEqual(b);
  });

  test.each([
    ['another consultation salt', SECRET, 'a1b2c3d4e5f60718293a4b5c6d7e8f90', 'name:jane doe'],
    ['another server secret', 'another-secret-fedcba9876543210', SALT, 'name:jane doe'],
    ['another identity', SECRET, SALT, 'name:jane roe'],
  ])('%s gives another pseudonym', async (_name, secret, salt, identity) => {
    const base = await pseudonymFor(await derivePseudonymKey(SECRET, SALT), 'name:jane doe');
    const other = await pseudonymFor(await derivePseudonymKey(secret, salt), identity);
    expect(other.id).not.toBe(base.id);
  });

  test('labels never spell the identity', async () => {
    const key = await derivePseudonymKey(SECRET, SALT);
    for (const identity of ['name:jane', 'name:p-jane01', 'phone:+442079460321']) {
      const { label } = await pseudonymFor(key, identity);
      expect(label).toMatch(LABEL);
      expect(identity.toUpperCase()).not.toContain(label.slice(2));
    }
  });
});

describe('pseudonymsFor', () => {
  test('maps each distinct key to what pseudonymFor gives', async () => {
    const key = await derivePseudonymKey(SECRET, SALT);
    const keys = ['name:jane doe', 'phone:+442079460321', 'name:jane doe'];
    const map = await pseudonymsFor(key, keys);
    expect(map.size).toBe(2);
    for (const k of keys) expect(map.get(k)).toEqual(await pseudonymFor(key, k));
  });

  test('1,000 participants get distinct ids', async () => {
    const key = await derivePseudonymKey(SECRET, SALT);
    const keys = Array.from({ length: 1000 }, (_, i) => `row:${i}`);
    const ids = new Set([...(await pseudonymsFor(key, keys)).values()].map((p) => p.id));
    expect(ids.size).toBe(1000);
  });
});

describe('labelFromId', () => {
  test.each([
    ['all zero bits', '0'.repeat(64), 6, 'P-000000'],
    ['all one bits', 'f'.repeat(64), 6, 'P-ZZZZZZ'],
    ['the first 30 bits of 0x01234567…', '0123456789abcdef'.repeat(4), 6, 'P-04HMAS'],
    ['a longer label on request', 'f'.repeat(64), 8, 'P-ZZZZZZZZ'],
  ])('%s', (_name, id, length, label) => {
    expect(labelFromId(id, length)).toBe(label);
  });
});

describe('guards', () => {
  test('a short secret is refused', async () => {
    await expect(derivePseudonymKey('short', SALT)).rejects.toBeInstanceOf(AppError);
  });

  test('an empty salt is refused', async () => {
    await expect(derivePseudonymKey(SECRET, '')).rejects.toBeInstanceOf(AppError);
  });

  test('randomSalt gives 128 fresh bits as hex', () => {
    const a = randomSalt();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(randomSalt()).not.toBe(a);
  });
});
