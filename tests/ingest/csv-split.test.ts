import { describe, expect, test } from 'vitest';
import { splitCommaColumn, splitOutside } from '../../src/ingest/csv-split';

describe('Google Forms checkbox cells whose options hold ", " inside brackets', () => {
  test.each([
    ['plain', 'A, B', ['A', 'B']],
    ['comma inside parentheses', 'Resource Allocation (grants, funding), Partnerships', ['Resource Allocation (grants, funding)', 'Partnerships']],
    ['nested and square brackets', 'X [a, (b, c)], Y', ['X [a, (b, c)]', 'Y']],
    ['unbalanced closing bracket is harmless', 'A), B', ['A)', 'B']],
    ['no space after the comma is not a separator', 'A,B', ['A,B']],
  ])('%s', (_n, cell, pieces) => {
    expect(splitOutside(cell)).toEqual(pieces);
  });

  test('options are counted one by one, never as combinations (the Decidim bug)', () => {
    const cells = [
      'Resource Allocation (grants, funding), Community Health (safety, harassment)',
      'Community Health (safety, harassment)',
      'Resource Allocation (grants, funding)',
      'Resource Allocation (grants, funding), Partnerships (libraries, universities)',
    ];
    const col = splitCommaColumn(cells);
    expect(col.options).toEqual(['Resource Allocation (grants, funding)', 'Community Health (safety, harassment)', 'Partnerships (libraries, universities)']);
    expect(col.picks.map((p) => p.length)).toEqual([2, 1, 1, 2]);
  });
});
