import { describe, expect, test } from 'vitest';
import { authorKey, displayName, looksLikePhone, phoneKey } from '../../src/ingest/identity';

describe('identity keys', () => {
  test.each([
    ['bidi-wrapped phone with NBSPs', '\u202A+40\u00A0521\u00A0028\u00A061\u00A088\u202C', 'phone:+405210286188'],
    ['00 prefix', '0044 20 7946 0958', 'phone:+442079460958'],
    ['arabic-indic digits', '+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧', 'phone:+966501234567'],
  ])('%s', (_name, raw, key) => {
    expect(phoneKey(raw)).toBe(key);
  });

  test.each([
    ['name', 'Jane Doe', 'name:jane doe'],
    ['non-contact mark', '~ Jane Doe', 'name:jane doe'],
    ['phone', '+1 (555) 010-2030', 'phone:+15550102030'],
  ])('authorKey: %s', (_name, raw, key) => {
    expect(authorKey(raw)).toBe(key);
  });

  test('a year is not a phone', () => {
    expect(looksLikePhone('2022')).toBe(false);
    expect(displayName('\u2068~\u00A0Ali\u2069')).toBe('Ali');
  });
});
