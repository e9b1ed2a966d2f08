import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors';
import type { ParseResult } from '../../src/ingest/types';
import { parseWhatsApp } from '../../src/ingest/whatsapp';

const dir = new URL('../fixtures/whatsapp/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.txt'));

const LRM = '\u200e';
const NBSP = '\u00a0';
const NNBSP = '\u202f';

/** Lines of an export, joined. */
const chat = (...lines: string[]) => lines.join('\n');
/** An Android line on 18 March 2022. */
const android = (time: string, rest: string) => `18/03/2022, ${time} - ${rest}`;

/** What a test usually looks at: texts, times, speakers, counts, warning codes. */
function summary(r: ParseResult) {
  return {
    messages: r.messages.map((m) => [m.at, m.participant, m.text]),
    skipped: r.skipped,
    warnings: r.warnings.map((w) => w.code),
  };
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('parseWhatsApp: fixtures, one per header shape', () => {
  test('every shape has a fixture', () => {
    expect(fixtures).toEqual(
      expect.arrayContaining([
        'android-en-24h.txt',
        'android-fr-a.txt',
        'ios-ar-indic-digits.txt',
        'ios-vi-time-first.txt',
        'ios-buddhist.txt',
        'ios-japanese-era.txt',
        'android-es-a-m.txt',
        'android-en-in-the-morning.txt',
        'old-ios.txt',
        'android-de-vorm.txt',
        'ios-id-dot-time.txt',
        'android-fi-klo.txt',
        'ios-en-12h-attachments.txt',
        'android-nl-dash-date.txt',
        'android-ymd.txt',
        'ios-en-bom-tilde.txt',
      ]),
    );
  });

  test.each(fixtures)('%s gives the result beside it', (name) => {
    const expected: unknown = JSON.parse(read(name.replace(/\.txt$/, '.expected.json')));
    const r = parseWhatsApp(read(name), { filename: name });
    expect({
      messages: r.messages.map((m) => ({ line: m.line, at: m.at, participant: m.participant, text: m.text })),
      participants: r.participants,
      skipped: r.skipped,
      polls: r.polls,
      warnings: r.warnings.map((w) => w.code),
    }).toEqual(expected);
  });
});

describe('parseWhatsApp: header shapes', () => {
  // Each line is a whole one-message export; the date always settles day/month by itself.
  test.each([
    ['Android, comma', '18/03/2022, 14:56 - Ana: hi', '2022-03-18T14:56:00'],
    ['Android, no comma', '18.03.22 14:56 - Ana: hi', '2022-03-18T14:56:00'],
    ['Android, en dash', '18/03/2022, 14:56 – Ana: hi', '2022-03-18T14:56:00'],
    ['Android, joining word à', '18/03/2022 à 14:56 - Ana: hi', '2022-03-18T14:56:00'],
    ['Android, joining word klo, dotted time with seconds', '18.3.2022 klo 14.56.07 - Ana: hi', '2022-03-18T14:56:07'],
    ['Android, year first', '2022-03-18, 14:56 - Ana: hi', '2022-03-18T14:56:00'],
    ['Android, PM after a narrow no-break space', `3/18/22, 2:56${NNBSP}PM - Ana: hi`, '2022-03-18T14:56:00'],
    ['Android, lower-case a.m. without spaces', '3/18/22, 12:05 a.m. - Ana: hi', '2022-03-18T00:05:00'],
    ['Android, p. m. with spaces', `18/03/2022, 2:56${NBSP}p.${NBSP}m. - Ana: hi`, '2022-03-18T14:56:00'],
    ['Android, in the evening', '18/03/2022, 7:05 in the evening - Ana: hi', '2022-03-18T19:05:00'],
    ['Android, at night after midnight', '18/03/2022, 2:05 at night - Ana: hi', '2022-03-18T02:05:00'],
    ['Android, German nachm.', '18.03.22, 2:56 nachm. - Ana: hi', '2022-03-18T14:56:00'],
    ['Android, German morgens', '18.03.22, 6:30 morgens - Ana: hi', '2022-03-18T06:30:00'],
    ['Android, Korean: dots after each part, day period before the time', '2022. 3. 18. 오후 2:56 - Ana: hi', '2022-03-18T14:56:00'],
    ['iOS, comma and seconds', '[18/03/2022, 14:56:01] Ana: hi', '2022-03-18T14:56:01'],
    ['iOS, no comma', '[18/03/2022 14:56:01] Ana: hi', '2022-03-18T14:56:01'],
    ['iOS, direction mark before the bracket', `${LRM}[18/03/2022, 14:56:01] Ana: hi`, '2022-03-18T14:56:01'],
    ['iOS, time first', '[14:56:01, 18/03/2022] Ana: hi', '2022-03-18T14:56:01'],
    ['iOS, time first with PM', '[2:56:01 PM, 18/03/2022] Ana: hi', '2022-03-18T14:56:01'],
    ['iOS, Japanese day period before the time', '[2022/03/18 午後2:56:01] Ana: hi', '2022-03-18T14:56:01'],
    ['iOS, Buddhist era with BE', '[18/3/2565 BE, 14:56:01] Ana: hi', '2022-03-18T14:56:01'],
    ['iOS, Buddhist era year without BE', '[18/3/2565, 14:56:01] Ana: hi', '2022-03-18T14:56:01'],
    ['iOS, Reiwa era', '[3/18/R4, 14:56:01] Ana: hi', '2022-03-18T14:56:01'],
    ['iOS, Heisei era', '[4/20/H31, 09:00:00] Ana: hi', '2019-04-20T09:00:00'],
    ['iOS, Arabic ص', `[١٨\u200f/٣\u200f/٢٠٢٢، ٩:٠٥:٠٠${NBSP}ص] Ana: hi`, '2022-03-18T09:05:00'],
    ['iOS, Arabic م at noon', `[١٨\u200f/٣\u200f/٢٠٢٢، ١٢:٠٥:٠٠${NBSP}م] Ana: hi`, '2022-03-18T12:05:00'],
    ['iOS, Extended Arabic-Indic digits', '[۱۸/۳/۲۰۲۲, ۱۴:۵۶:۰۱] Ana: hi', '2022-03-18T14:56:01'],
    ['old iOS', '18/03/2022, 14:56:01: Ana: hi', '2022-03-18T14:56:01'],
    ['old iOS, 12-hour', '3/18/22, 2:56:01 PM: Ana: hi', '2022-03-18T14:56:01'],
  ])('%s', (_name, line, at) => {
    const r = parseWhatsApp(line);
    expect(r.messages).toEqual([{ participant: 'name:ana', text: 'hi', at, line: 1 }]);
    // a day-period word never ends up in the author
    expect(r.participants).toEqual([{ key: 'name:ana', names: ['Ana'] }]);
  });

  test('an unknown day-period word is read as 24-hour and reported', () => {
    const r = parseWhatsApp(chat('18/03/2022, 2:56 vesper - Ana: hi', '18/03/2022, 3:10 vesper - Bo: hey'));
    expect(r.messages.map((m) => m.at)).toEqual(['2022-03-18T02:56:00', '2022-03-18T03:10:00']);
    expect(r.participants.map((p) => p.key)).toEqual(['name:ana', 'name:bo']);
    expect(r.warnings.map((w) => w.code)).toEqual(['unknown_day_period']);
  });
});

describe('parseWhatsApp: day/month order, decided per file', () => {
  test.each([
    ['a first part above 12 settles day-first', ['13/03/2022, 10:00 - Ana: a', '01/04/2022, 10:00 - Ana: b'], ['2022-03-13', '2022-04-01'], []],
    ['a second part above 12 settles month-first', ['03/13/2022, 10:00 - Ana: a', '04/01/2022, 10:00 - Ana: b'], ['2022-03-13', '2022-04-01'], []],
    [
      'the part that changes more often is the day (first)',
      ['01/02/2022, 10:00 - Ana: a', '02/02/2022, 10:00 - Ana: b', '03/02/2022, 10:00 - Ana: c', '01/03/2022, 10:00 - Ana: d'],
      ['2022-02-01', '2022-02-02', '2022-02-03', '2022-03-01'],
      [],
    ],
    [
      'the part that changes more often is the day (second)',
      ['02/01/2022, 10:00 - Ana: a', '02/02/2022, 10:00 - Ana: b', '02/03/2022, 10:00 - Ana: c', '03/01/2022, 10:00 - Ana: d'],
      ['2022-02-01', '2022-02-02', '2022-02-03', '2022-03-01'],
      [],
    ],
    [
      'nothing tells: day-first, with a warning',
      ['05/06/2022, 10:00 - Ana: a', '05/06/2022, 11:00 - Ana: b'],
      ['2022-06-05', '2022-06-05'],
      ['date_order_guessed'],
    ],
    [
      'nothing tells but US-English iOS placeholders and M/D/YY: month-first, with a warning',
      ['[5/6/22, 10:00:00] Ana: a', `${LRM}[5/6/22, 10:01:00] Ana: ${LRM}image omitted`],
      ['2022-05-06'],
      ['date_order_guessed'],
    ],
    [
      'nothing tells but German placeholders: day-first, with a warning',
      ['[5/6/22, 10:00:00] Ana: a', `${LRM}[5/6/22, 10:01:00] Ana: ${LRM}Bild weggelassen`],
      ['2022-06-05'],
      ['date_order_guessed'],
    ],
  ])('%s', (_name, lines, days, warnings) => {
    const r = parseWhatsApp(chat(...lines));
    expect(r.messages.map((m) => m.at?.slice(0, 10))).toEqual(days);
    expect(r.warnings.map((w) => w.code)).toEqual(warnings);
  });

  test('the majority order wins; a header impossible under it is kept as text and reported', () => {
    const r = parseWhatsApp(chat('13/03/2022, 10:00 - Ana: a', '14/03/2022, 10:00 - Ana: b', '03/15/2022, 10:00 - Ana: c'));
    expect(summary(r).messages).toEqual([
      ['2022-03-13T10:00:00', 'name:ana', 'a'],
      ['2022-03-14T10:00:00', 'name:ana', 'b\n03/15/2022, 10:00 - Ana: c'],
    ]);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'impossible_dates', line: 3 })]);
  });

  test('two-digit years are in this century', () => {
    expect(parseWhatsApp('18/03/09, 10:00 - Ana: a').messages[0]?.at).toBe('2009-03-18T10:00:00');
  });
});

describe('parseWhatsApp: placeholders, deletions and system lines are counted, never kept', () => {
  test.each([
    ['<Media omitted>', 'media'],
    ['<Medien ausgeschlossen>', 'media'],
    ['<Média vynechány>', 'media'],
    ['<Media weggelaten>', 'media'],
    ['<Без медиафайлов>', 'media'],
    ['‹تم استبعاد الوسائط›', 'media'],
    ['<Medya dahil edilmedi>', 'media'],
    ['<Mídia oculta>', 'media'],
    ['<Media tidak disertakan>', 'media'],
    ['<a placeholder in a new language>', 'media'],
    ['sticker omitted', 'media'],
    ['IMG-20220318-WA0002.jpg (file attached)', 'media'],
    ['Agenda.pdf (archivo adjunto)', 'media'],
    ['Kaart.vcf (bestand bijgevoegd)', 'media'],
    ['Alex.vcf (file attached)', 'media'],
    ['Agenda.pdf • 2 pages', 'media'],
    ['location: https://maps.google.com/?q=51.5007,-0.1246', 'media'],
    ['Standort: https://maps.google.com/?q=51.5007,-0.1246', 'media'],
    ['<attached: 00000035-PHOTO-2022-03-18-14-56-01.jpg>', 'media'],
    ['This message was deleted', 'deleted'],
    ['You deleted this message', 'deleted'],
    ['Se eliminó este mensaje.', 'deleted'],
    ['Diese Nachricht wurde gelöscht', 'deleted'],
    ['Ce message a été supprimé', 'deleted'],
    ['Данное сообщение удалено', 'deleted'],
    ['Tato zpráva byla odstraněna.', 'deleted'],
    ['تم حذف هذه الرسالة.', 'deleted'],
    ['null', 'deleted'],
    ['Missed voice call', 'system'],
    ['Missed video call', 'system'],
    ['Zmeškaný hovor', 'system'],
    ['Пропущенный аудиозвонок', 'system'],
  ])('Android: %s', (body, kind) => {
    const r = parseWhatsApp(chat(android('14:56', `Ana: ${body}`), android('14:57', 'Ana: real text')));
    expect(r.messages.map((m) => m.text)).toEqual(['real text']);
    expect(r.skipped).toEqual({ system: 0, media: 0, deleted: 0, empty: 0, [kind]: 1 });
  });

  test.each([
    ['image omitted', 'media'],
    ['imagen omitida', 'media'],
    ['画像は含まれていません', 'media'],
    ['obrázek vynechán', 'media'],
    ['ไม่มีรูปภาพ', 'media'],
    ['This message was deleted.', 'deleted'],
    ['Bạn đã xoá tin nhắn này.', 'deleted'],
    ['このメッセージは削除されました。', 'deleted'],
  ])('iOS, marks stripped: %s', (body, kind) => {
    const r = parseWhatsApp(chat(`[18/03/2022, 14:56:01] Ana: ${body}`, '[18/03/2022, 14:57:01] Ana: real text'));
    expect(r.messages.map((m) => m.text)).toEqual(['real text']);
    expect(r.skipped).toEqual({ system: 0, media: 0, deleted: 0, empty: 0, [kind]: 1 });
  });

  test('iOS document line: file name and page count before the placeholder, in a language not listed', () => {
    const r = parseWhatsApp(
      chat('[18/03/2022, 14:56:01] Ana: hello', `${LRM}[18/03/2022, 14:57:01] Ana: Plan.pdf • ${LRM}3 sivua ${LRM}asiakirja puuttuu`),
    );
    expect(r.messages.map((m) => m.text)).toEqual(['hello']);
    expect(r.skipped.media).toBe(1);
  });

  test('iOS document line with its marks stripped: the file name before a known placeholder', () => {
    const r = parseWhatsApp(chat('[18/03/2022, 14:56:01] Ana: hello', '[18/03/2022, 14:57:01] Ana: Plan v2.docx document omitted'));
    expect(r.messages.map((m) => m.text)).toEqual(['hello']);
    expect(r.skipped.media).toBe(1);
  });

  test.each([
    ['en', 'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.'],
    ['es', 'Los mensajes y las llamadas están cifrados de extremo a extremo.'],
    ['de', 'Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt.'],
    ['fr', 'Les messages et les appels sont chiffrés de bout en bout.'],
    ['it', 'I messaggi e le chiamate sono crittografati end-to-end.'],
    ['pt', 'As mensagens e chamadas são encriptadas ponto a ponto.'],
    ['ru', 'Сообщения и звонки защищены сквозным шифрованием.'],
    ['uk', 'Повідомлення й дзвінки захищено наскрізним шифруванням.'],
    ['cs', 'Zprávy a hovory jsou opatřeny koncovým šifrováním.'],
    ['nl', 'Berichten en oproepen worden end-to-end versleuteld.'],
    ['ar', 'الرسائل والمكالمات مشفرة تمامًا بين الطرفين، بحيث لا يستطيع أحد خارج هذه الدردشة.'],
    ['ja', 'メッセージと通話はエンドツーエンド暗号化されています。'],
    ['hi', 'मैसेजेस और कॉल्स एंड-टू-एंड एन्क्रिप्टेड हैं.'],
    ['id', 'Pesan dan panggilan terenkripsi secara end-to-end.'],
    ['th', 'ข้อความและการโทรได้รับการเข้ารหัสจากต้นทางถึงปลายทาง'],
    ['vi', 'Tin nhắn và cuộc gọi được mã hóa đầu cuối.'],
  ])('iOS encryption notice (%s) with the chat name as author: system, and no participant', (_lang, notice) => {
    for (const mark of [LRM, '']) {
      const r = parseWhatsApp(chat(`[18/03/2022, 14:56:01] Village Pump: ${mark}${notice}`, '[18/03/2022, 14:57:01] Ana: hello'));
      expect(summary(r).messages).toEqual([['2022-03-18T14:57:01', 'name:ana', 'hello']]);
      expect(r.skipped.system).toBe(1);
      expect(r.participants.map((p) => p.key)).toEqual(['name:ana']);
    }
  });

  test.each([
    'Ana Lima created group "Village Pump"',
    'Ana Lima added Bruno Costa',
    'Ana Lima removed Bruno Costa',
    'Bruno Costa left',
    '+44 20 7946 0123 joined using this group\'s invite link',
    'Ana Lima changed the subject from "Pump" to "Village Pump"',
    "Ana Lima changed this group's icon",
    'Ana Lima changed the group description',
    'Your security code with Bruno Costa changed. Tap to learn more.',
    'Ana Lima turned on disappearing messages. New messages will disappear from this chat 7 days after they\'re sent.',
    'Ana Lima hat Bruno Costa hinzugefügt',
    'Bruno Costa hat die Gruppe verlassen',
    'Ana Lima a ajouté Bruno Costa',
    'Ana Lima añadió a Bruno Costa',
    'Ana Lima ha aggiunto Bruno Costa',
    'Ana Lima adicionou Bruno Costa',
    'Ana Lima добавил(-а) Bruno Costa',
    'Ana Lima heeft Bruno Costa toegevoegd',
    'Ana Limaが Bruno Costaを追加しました',
    'Ana Lima đã thêm Bruno Costa',
    'Ana Lima menambahkan Bruno Costa',
    'أضاف Ana Lima Bruno Costa',
  ])('iOS group system line with the group name as author: %s', (sentence) => {
    const lines = [
      `[18/03/2022, 14:56:01] Village Pump: ${LRM}Messages and calls are end-to-end encrypted.`,
      `[18/03/2022, 14:56:30] Village Pump: ${LRM}${sentence}`,
      '[18/03/2022, 14:57:01] Ana Lima: hello',
    ];
    const r = parseWhatsApp(chat(...lines));
    expect(r.messages.map((m) => m.text)).toEqual(['hello']);
    expect(r.skipped.system).toBe(2);
    expect(r.participants.map((p) => p.key)).toEqual(['name:ana lima']);
    // marks stripped: recognised by content, the group being the author of the encryption notice
    const stripped = parseWhatsApp(chat(...lines.map((l) => l.replaceAll(LRM, ''))));
    expect(stripped.skipped.system).toBe(2);
  });

  test('the chat name from the file name marks system lines even without an encryption notice', () => {
    const r = parseWhatsApp(chat('[18/03/2022, 14:56:30] Village Pump: Ana Lima added Bruno Costa', '[18/03/2022, 14:57:01] Ana Lima: hello'), {
      filename: 'WhatsApp Chat - Village Pump.txt',
    });
    expect(r.skipped.system).toBe(1);
    expect(r.participants.map((p) => p.key)).toEqual(['name:ana lima']);
  });

  test('in a 1:1 chat the other person shares the chat name; their own words stay messages', () => {
    const r = parseWhatsApp(
      chat(
        `[18/03/2022, 14:56:01] Bruno Costa: ${LRM}Messages and calls are end-to-end encrypted.`,
        '[18/03/2022, 14:57:01] Bruno Costa: I left the keys at the library',
        '[18/03/2022, 14:58:01] Ana Lima: thanks',
      ),
    );
    expect(r.messages.map((m) => m.text)).toEqual(['I left the keys at the library', 'thanks']);
  });

  test.each([
    'Ana Lima created group "Village Pump"',
    'You were added',
    '+44 20 7946 0123 joined using this group\'s invite link',
    'Ana Lima changed the subject from "Village: pump" to "Village pump"',
    'Messages to this group are now secured with end-to-end encryption. Tap for more info.',
    'Ana Lima изменил(-а) тему с «Деревня» на «Форум»',
  ])('Android line without an author is a system line: %s', (sentence) => {
    const r = parseWhatsApp(chat(android('14:56', sentence), android('14:57', 'Ana Lima: hello')));
    expect(summary(r).messages).toEqual([['2022-03-18T14:57:00', 'name:ana lima', 'hello']]);
    expect(r.skipped.system).toBe(1);
  });

  test('a message that is only an edited marker is empty', () => {
    const r = parseWhatsApp(chat(android('14:56', 'Ana: <This message was edited>'), android('14:57', 'Ana: hi')));
    expect(r.skipped.empty).toBe(1);
  });
});

describe('parseWhatsApp: message text', () => {
  test.each([
    ['edited marker', 'Ana: More training please <This message was edited>', 'More training please'],
    ['edited marker, Spanish', 'Ana: Más formación <Se editó este mensaje.>', 'Más formación'],
    ['edited marker, German', 'Ana: Mehr Schulungen <Diese Nachricht wurde bearbeitet>', 'Mehr Schulungen'],
    ['edited marker after a direction mark (iOS)', `Ana: More training ${LRM}<This message was edited>`, 'More training'],
    ['a mention of someone who writes nothing here becomes [name]', 'Ana: @\u2068Bruno Costa\u2069 agreed', '[name] agreed'],
    ['a mention of a speaker keeps the name, isolates stripped', 'Ana: @\u2068Ana\u2069 agreed', '@Ana agreed'],
    ['NBSP and narrow NBSP become spaces', `Ana: one${NBSP}two${NNBSP}three`, 'one two three'],
    ['a colon later in the text stays in the text', 'Ana: Idea: more meetups: monthly', 'Idea: more meetups: monthly'],
    ['angle brackets inside a sentence stay', 'Ana: I <3 this plan', 'I <3 this plan'],
    ['Arabic-Indic digits and commas in the text stay as written', 'Ana: نحتاج ٣ ورش، شكرا', 'نحتاج ٣ ورش، شكرا'],
  ])('%s', (_name, rest, text) => {
    expect(parseWhatsApp(android('14:56', rest)).messages[0]?.text).toBe(text);
  });

  test('continuation lines belong to the message, blank lines inside kept, trailing ones dropped', () => {
    const r = parseWhatsApp(chat(android('14:56', 'Ana: first'), '', 'third', '', '', android('14:57', 'Bo: next'), '', ''));
    expect(r.messages.map((m) => m.text)).toEqual(['first\n\nthird', 'next']);
  });

  test('the text can start on the line after the author', () => {
    const r = parseWhatsApp(chat(android('14:56', 'Ana:'), 'on the next line', android('14:57', 'Bo: hi')));
    expect(r.messages.map((m) => m.text)).toEqual(['on the next line', 'hi']);
  });

  test.each([
    ['a media placeholder', '<Media omitted>'],
    ['a file attached', 'IMG-20220318-WA0002.jpg (file attached)'],
  ])('a caption under %s is the message', (_name, placeholder) => {
    const r = parseWhatsApp(chat(android('14:56', `Ana: ${placeholder}`), 'Our meetup poster', android('14:57', 'Bo: nice')));
    expect(r.messages.map((m) => m.text)).toEqual(['Our meetup poster', 'nice']);
    expect(r.skipped.media).toBe(0);
  });

  test('a document name under a placeholder is not a caption', () => {
    const r = parseWhatsApp(chat(android('14:56', 'Ana: <Media omitted>'), 'Strategy notes.pdf', android('14:57', 'Bo: thanks')));
    expect(r.messages.map((m) => m.text)).toEqual(['thanks']);
    expect(r.skipped.media).toBe(1);
  });

  test('CRLF, lone CR and BOMs at line starts', () => {
    const lines = [android('14:56', 'Ana: one'), 'two', `\ufeff\ufeff${android('14:57', 'Bo: three')}`];
    const expected = [
      ['2022-03-18T14:56:00', 'name:ana', 'one\ntwo'],
      ['2022-03-18T14:57:00', 'name:bo', 'three'],
    ];
    expect(summary(parseWhatsApp(`\ufeff${lines.join('\r\n')}\r\n`)).messages).toEqual(expected);
    expect(summary(parseWhatsApp(lines.join('\r'))).messages).toEqual(expected);
  });
});

describe('parseWhatsApp: participants', () => {
  test('one key per person, every spelling kept for redaction', () => {
    const r = parseWhatsApp(
      chat(
        android('14:56', `\u202a+44${NBSP}20${NBSP}7946${NBSP}0123\u202c: hello`),
        android('14:57', '+44 20 7946 0123: again'),
        android('14:58', `~${NNBSP}Riya: hi`),
        android('14:59', 'Riya: hi again'),
      ),
    );
    expect(r.participants).toEqual([
      { key: 'phone:+442079460123', names: ['+44 20 7946 0123'] },
      { key: 'name:riya', names: ['Riya'] },
    ]);
    expect(r.messages.map((m) => m.participant)).toEqual(['phone:+442079460123', 'phone:+442079460123', 'name:riya', 'name:riya']);
  });

  test('someone who only sent media is still a participant', () => {
    const r = parseWhatsApp(chat(android('14:56', 'Ana: <Media omitted>'), android('14:57', 'Bo: hi')));
    expect(r.participants.map((p) => p.key)).toEqual(['name:ana', 'name:bo']);
  });
});

describe('parseWhatsApp: a chat pasted inside a message', () => {
  test('headers in another layout (copied messages) stay text of the message', () => {
    const r = parseWhatsApp(
      chat(
        android('14:56', 'Ana: Look what the other group said:'),
        '[17/03/2022, 09:12] Chidi: we need offline reading',
        '[17/03/2022, 09:13] Dana: and translation',
        android('14:58', 'Bo: agreed'),
      ),
    );
    expect(summary(r).messages).toEqual([
      [
        '2022-03-18T14:56:00',
        'name:ana',
        'Look what the other group said:\n[17/03/2022, 09:12] Chidi: we need offline reading\n[17/03/2022, 09:13] Dana: and translation',
      ],
      ['2022-03-18T14:58:00', 'name:bo', 'agreed'],
    ]);
    expect(r.participants.map((p) => p.key)).toEqual(['name:ana', 'name:bo']);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'other_header_layout', line: 2 })]);
  });

  test('headers in the same layout but days back, which the chat then returns from, stay text', () => {
    const r = parseWhatsApp(
      chat(
        android('14:56', 'Ana: Forwarding our chat from last year:'),
        '02/02/2021, 10:00 - Chidi: we need offline reading',
        '02/02/2021, 10:05 - Dana: and translation',
        android('15:00', 'Bo: agreed'),
      ),
    );
    expect(r.messages.map((m) => m.text)).toEqual([
      'Forwarding our chat from last year:\n02/02/2021, 10:00 - Chidi: we need offline reading\n02/02/2021, 10:05 - Dana: and translation',
      'agreed',
    ]);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'pasted_chat', line: 2 })]);
  });

  test('a jump back that the chat never returns from is real (a reset clock): kept, and reported', () => {
    const r = parseWhatsApp(chat(android('14:56', 'Ana: a'), android('14:57', 'Bo: b'), '14/07/2020, 22:05 - Ana: c', '14/07/2020, 22:06 - Bo: d'));
    expect(r.messages.map((m) => m.at)).toEqual(['2022-03-18T14:56:00', '2022-03-18T14:57:00', '2020-07-14T22:05:00', '2020-07-14T22:06:00']);
    expect(r.warnings.map((w) => w.code)).toEqual(['time_went_backwards']);
  });

  test('minutes back are normal (delivery order) and say nothing', () => {
    const r = parseWhatsApp(chat(android('14:56', 'Ana: a'), android('14:50', 'Bo: b')));
    expect(r.messages).toHaveLength(2);
    expect(r.warnings).toEqual([]);
  });

  test('an encryption notice dated at export time, before older messages, is not a paste', () => {
    const r = parseWhatsApp(
      chat(
        '23/03/2022, 13:31 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.',
        '18/03/2022, 14:56 - Ana: hello',
        '18/03/2022, 15:10 - Bo: hi',
        '23/03/2022, 13:32 - Ana: later',
      ),
    );
    expect(r.messages.map((m) => m.text)).toEqual(['hello', 'hi', 'later']);
    expect(r.warnings).toEqual([]);
  });

  test('two exports glued together are both read, each with its own date order', () => {
    const ios = Array.from({ length: 25 }, (_, i) => `[3/${i + 1}/22, 10:00:00] Ana: ios ${i}`);
    const androidPart = Array.from({ length: 25 }, (_, i) => `${String(i + 1).padStart(2, '0')}/04/2022, 10:00 - Bo: android ${i}`);
    const r = parseWhatsApp(chat(...ios, ...androidPart));
    expect(r.messages).toHaveLength(50);
    expect(r.messages[24]?.at).toBe('2022-03-25T10:00:00');
    expect(r.messages[49]?.at).toBe('2022-04-25T10:00:00');
    expect(r.warnings.map((w) => w.code)).toEqual(['mixed_layouts']);
  });
});

describe('parseWhatsApp: polls', () => {
  test.each([
    [
      'Android, English',
      [android('14:56', 'Ana: POLL:'), 'Where should we meet?', 'OPTION: Library (3 votes)', 'OPTION: Café (1 vote)', 'OPTION: Online (0 votes)'],
      'Where should we meet?',
      [
        { label: 'Library', votes: 3 },
        { label: 'Café', votes: 1 },
        { label: 'Online', votes: 0 },
      ],
    ],
    [
      'iOS, with direction marks',
      [
        `[18/03/2022, 14:56:01] Ana: ${LRM}POLL:`,
        `${LRM}Where should we meet?`,
        `${LRM}OPTION: Library (2 votes)`,
        `${LRM}OPTION: Online (5 votes)`,
        '[18/03/2022, 15:00:00] Bo: voted',
      ],
      'Where should we meet?',
      [
        { label: 'Library', votes: 2 },
        { label: 'Online', votes: 5 },
      ],
    ],
    [
      'Spanish',
      [android('14:56', 'Ana: ENCUESTA:'), '¿Dónde nos vemos?', 'OPCIÓN: Biblioteca (4 votos)', 'OPCIÓN: En línea (1 voto)'],
      '¿Dónde nos vemos?',
      [
        { label: 'Biblioteca', votes: 4 },
        { label: 'En línea', votes: 1 },
      ],
    ],
  ])('%s', (_name, lines, question, options) => {
    const r = parseWhatsApp(chat(...lines, ...(lines[0]?.startsWith('[') ? [] : [android('15:00', 'Bo: voted')])));
    expect(r.polls).toEqual([{ question, options, multiple: true, at: expect.stringMatching(/^2022-03-18T14:56/), source: 'whatsapp' }]);
    expect(r.messages.map((m) => m.text)).toEqual(['voted']);
    expect(r.participants.map((p) => p.key)).toEqual(['name:ana', 'name:bo']);
  });

  test('a message that merely looks like a list is not a poll', () => {
    const r = parseWhatsApp(chat(android('14:56', 'Ana: Notes:'), 'we met twice', 'Budget: small (3 items)'));
    expect(r.polls).toEqual([]);
    expect(r.messages.map((m) => m.text)).toEqual(['Notes:\nwe met twice\nBudget: small (3 items)']);
  });
});

describe('parseWhatsApp: unreadable files and oddities', () => {
  test.each([
    ['an empty file', '', /no WhatsApp message headers found.*the file is empty/],
    ['plain prose', 'Dear all,\nhere are my notes from the meeting.\n', /no WhatsApp message headers found.*starts with "Dear all,"/],
    ['a CSV', 'Timestamp,Name,Answer\n2022-03-18 14:56:00,Ana,More training\n', /no WhatsApp message headers found/],
    ['only impossible dates', '31/31/2019, 10:00 - Ana: hi\n', /line 1: cannot read the date '31\/31\/2019'/],
  ])('%s → unreadable_file', (_name, text, message) => {
    const e = thrown(() => parseWhatsApp(text, { filename: 'chat.txt' }));
    expect(e.code).toBe('unreadable_file');
    expect(e.message).toMatch(message);
  });

  test('text before the first message is dropped and reported', () => {
    const r = parseWhatsApp(chat('Exported by a helper tool', android('14:56', 'Ana: hi')));
    expect(r.messages.map((m) => m.text)).toEqual(['hi']);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'text_before_first_message', line: 1 })]);
  });

  test('lines that start like a header but cannot be read are kept as text and reported once', () => {
    const r = parseWhatsApp(chat(android('14:56', 'Ana: hi'), '18/03/2022, 14:57 Bo hello', '18/03/2022, 14:58 Bo again', android('14:59', 'Bo: ok')));
    expect(r.messages.map((m) => m.text)).toEqual(['hi\n18/03/2022, 14:57 Bo hello\n18/03/2022, 14:58 Bo again', 'ok']);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'unreadable_header', line: 2 })]);
    expect(r.warnings[0]?.message).toMatch(/^2 line\(s\)/);
  });
});
