import { describe, expect, test } from 'vitest';
import { WHATSAPP_SHAPES, type WhatsAppShape, generateWhatsApp, generateWhatsAppExport } from '../../scripts/bench/gen-whatsapp';

const HEADER: Record<WhatsAppShape, RegExp> = {
  'android-en': /^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2} - /,
  'ios-en': /^\u200E?\[\d{1,2}\/\d{1,2}\/\d{2}, \d{1,2}:\d{2}:\d{2}\u202F[AP]M\] /,
  'ios-ar': /^\u200F?\[[٠-٩]{1,2}\u200F\/[٠-٩]{1,2}\u200F\/[٠-٩]{4}\u060C [٠-٩]{1,2}:[٠-٩]{2}:[٠-٩]{2}\u00A0[صم]\] /,
  'ios-ja-era': /^\u200E?\[\d{1,2}\/\d{1,2}\/R\d, \d{2}:\d{2}:\d{2}\] /,
  'ios-th-buddhist': /^\u200E?\[\d{1,2}\/\d{1,2}\/25\d\d BE, \d{2}:\d{2}:\d{2}\] /,
};

const N = 3000;

describe('generateWhatsApp', () => {
  test.each(WHATSAPP_SHAPES)('%s: the same seed gives the same file, another seed another file', (shape) => {
    const a = generateWhatsApp({ messages: 200, shape, seed: 1 });
    expect(generateWhatsApp({ messages: 200, shape, seed: 1 })).toBe(a);
    expect(generateWhatsApp({ messages: 200, shape, seed: 2 })).not.toBe(a);
  });

  test.each(WHATSAPP_SHAPES)('%s: one header per message, every other line continues a multi-line message', (shape) => {
    const { text, truth } = generateWhatsAppExport({ messages: N, shape });
    const lines = text.split(/\r?\n/);
    expect(lines).toHaveLength(truth.lines);
    expect(lines.filter((l) => HEADER[shape].test(l))).toHaveLength(N);
    expect(truth.kinds).toHaveLength(N);
    expect(truth.ats).toHaveLength(N);
    // About 5 % of texts are multi-line; each adds at least one line without a header.
    expect(truth.multiline / N).toBeGreaterThan(0.03);
    expect(truth.multiline / N).toBeLessThan(0.08);
    expect(lines.length - N).toBeGreaterThanOrEqual(truth.multiline);
  });

  test.each(WHATSAPP_SHAPES)('%s: ~3 %% media placeholders, ~1 %% system lines, times never go back', (shape) => {
    const { truth } = generateWhatsAppExport({ messages: N, shape });
    const share = (k: string) => truth.kinds.filter((x) => x === k).length / N;
    expect(share('media')).toBeGreaterThan(0.015);
    expect(share('media')).toBeLessThan(0.045);
    expect(share('system')).toBeGreaterThan(0.003);
    expect(share('system')).toBeLessThan(0.02);
    expect([...truth.ats].sort()).toEqual(truth.ats);
  });

  test.each([
    ['android-en', '\n', /^03\/01\/2022, 08:00 - Messages and calls are end-to-end encrypted/],
    ['ios-en', '\r\n', /^\u200E\[1\/3\/22, 8:00:\d\d\u202FAM\] /],
    ['ios-ar', '\r\n', /^\u200F\[٣\u200F\/١\u200F\/٢٠٢٢\u060C ٨:٠٠:[٠-٩]{2}\u00A0ص\] /],
    ['ios-ja-era', '\r\n', /^\u200E\[1\/3\/R4, 08:00:\d\d\] /],
    ['ios-th-buddhist', '\r\n', /^\u200E\[1\/3\/2565 BE, 08:00:\d\d\] /],
  ] as const)('%s: line ends and the first header read as that device writes them', (shape, eol, first) => {
    const text = generateWhatsApp({ messages: 500, shape });
    expect(text).toMatch(first);
    expect(text.includes('\r\n')).toBe(eol === '\r\n');
  });

  test('authors in several scripts, wrapped phone authors, mentions, phones and emails inside texts', () => {
    const text = generateWhatsApp({ messages: N, shape: 'android-en' });
    expect(text).toMatch(/ - \u202A\+44\u00A020\u00A07946\u00A00\d{3}\u202C: /);
    for (const script of [/ - [\u0600-\u06FF ]+: /, / - [\u3040-\u30FF\u4E00-\u9FFF ]+: /, / - [\u0980-\u09FF ]+: /]) {
      expect(text).toMatch(script);
    }
    expect(text).toMatch(/@\u2068[^\u2069]+\u2069/);
    expect(text).toMatch(/\+44 20 7946 0\d{3}/);
    expect(text).toMatch(/volunteer\d+@example\.org/);
  });
});
