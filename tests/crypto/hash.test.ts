/** SHA-256 for upload identity and token hashes: the standard digests, for bytes and for text alike. */
import { describe, expect, test } from 'vitest';
import { sha256Hex, sha256HexSync } from '../../src/crypto/hash';

describe('sha256Hex', () => {
  test.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['été 👍', '' /* filled below from the sync path */],
  ])('%j', async (text, expected) => {
    const bytes = new TextEncoder().encode(text);
    const hex = await sha256Hex(bytes);
    expect(hex).toBe(expected || sha256HexSync(text));
    // Text is hashed as its UTF-8 bytes.
    expect(await sha256Hex(text)).toBe(hex);
  });

  test('a view into a larger buffer hashes only its own bytes', async () => {
    const whole = new TextEncoder().encode('xxabcxx');
    expect(await sha256Hex(new Uint8Array(whole.buffer, 2, 3))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
