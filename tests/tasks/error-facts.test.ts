/** What a failed background job logs: the code and a short message, never a whole failed batch's SQL. */
import { describe, expect, test } from 'vitest';
import { errorFacts } from '../../src/tasks/in-process';

const busy = Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
const longQuery = `Failed query: insert into "llm_cache" values ${'(?, ?, ?, ?), '.repeat(2000)}\nparams: ${'secret, '.repeat(500)}`;

describe('errorFacts', () => {
  test.each([
    { name: 'a driver error gives its code', err: busy, facts: { error: 'SQLITE_BUSY: database is locked', code: 'SQLITE_BUSY' } },
    {
      name: 'a wrapped driver error gives the code of its cause',
      err: new Error('Failed query: insert into t values (?)', { cause: busy }),
      facts: { error: 'Failed query: insert into t values (?)', code: 'SQLITE_BUSY', cause: 'SQLITE_BUSY: database is locked' },
    },
    { name: 'a thrown string is its message', err: 'boom', facts: { error: 'boom' } },
  ])('$name', ({ err, facts }) => {
    expect(errorFacts(err)).toEqual(facts);
  });

  test('a failed batch of 25 KB is cut to a few hundred characters, saying how long it was', () => {
    const facts = errorFacts(new Error(longQuery, { cause: busy }));
    expect(longQuery.length).toBeGreaterThan(25_000);
    expect(facts.error.length).toBeLessThan(400);
    expect(facts.error).toMatch(/^Failed query: insert into "llm_cache"/);
    expect(facts.error).toContain(`(${longQuery.length} characters)`);
    expect(facts.error).not.toContain('secret');
    expect(facts.code).toBe('SQLITE_BUSY');
  });
});
