import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors';
import { detectFormat } from '../../src/ingest/detect';

const enc = (s: string) => new TextEncoder().encode(s);

describe('detectFormat', () => {
  test.each([
    ['android chat', '18/03/2022, 14:56 - Amina: hello\n18/03/2022, 14:57 - Karim: hi', undefined, 'whatsapp'],
    ['iOS arabic with indic digits and arabic comma', '[\u0661\u0668\u200F/\u0663\u200F/\u0662\u0660\u0662\u0662\u060C \u0662:\u0665\u0666:\u0660\u0660\u00A0\u0645] Amina: \u0645\u0631\u062D\u0628\u0627', undefined, 'whatsapp'],
    ['iOS japanese era', '[3/18/R4, 14:56:01] Amina: hello\n[3/18/R4, 14:57:01] Karim: hi', undefined, 'whatsapp'],
    ['iOS buddhist', '[3/18/2565 BE, 14:56:01] Amina: hello', undefined, 'whatsapp'],
    ['vietnamese time first', '[14:56:01, 3/18/22] Amina: hello', undefined, 'whatsapp'],
    ['telegram', '{"name":"g","type":"private_group","id":1,"messages":[{"id":1,"type":"message","date":"2022-01-01T10:00:00","from":"A","from_id":"user1","text":"hi"}]}', undefined, 'telegram'],
    ['telegram with raw control characters', '{"name":"g","messages":[{"id":1,"type":"message","date":"2022-01-01T10:00:00","date_unixtime":"1","from_id":"user1","text":"a\u0001b"}]}', undefined, 'telegram'],
    ['messenger', '{"participants":[{"name":"A"}],"messages":[{"sender_name":"A","timestamp_ms":1,"content":"hi"}]}', undefined, 'facebook'],
    ['wikitext starting with a template', '{{Talk header}}\n== Funding ==\nMore grants. [[User:Amina|Amina]] ([[User talk:Amina|talk]]) 07:41, 29 May 2024 (UTC)', undefined, 'wikitext'],
    ['csv by extension', 'a,b\n1,2', 'survey.csv', 'csv'],
    ['csv by shape', 'Timestamp;Answer\n2024-01-01;More training', undefined, 'csv'],
    ['notes with bullets, even with commas', '# Interview with Amina\n- Grants, training, and mentors\n- Offline reading, please', undefined, 'notes'],
    ['markdown by extension', 'Some notes, with commas, here\nand here, too', 'notes.md', 'notes'],
  ])('%s → %s', (_name, text, filename, format) => {
    expect(detectFormat(enc(text), text, filename)).toBe(format);
  });

  test.each([
    ['binary', '\u0000\u0001\u0002 binary'],
    ['JSON of another tool', '{"hello": "world"}'],
    ['one plain line', 'hello'],
  ])('%s → unsupported_format naming what is supported', (_name, text) => {
    const err = (() => {
      try {
        detectFormat(enc(text), text);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('unsupported_format');
    expect((err as AppError).message).toMatch(/Supported: whatsapp, telegram/);
  });
});
