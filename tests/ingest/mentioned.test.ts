import { describe, expect, test } from 'vitest';
import { parseTelegram } from '../../src/ingest/telegram';
import { streamWhatsApp, parseWhatsApp } from '../../src/ingest/whatsapp';
import { parseWikitext } from '../../src/ingest/wikitext';
import { buildRedactor, NAME_MARKER } from '../../src/privacy/redact';

const LRI = '\u2068';
const PDI = '\u2069';
const LRM = '\u200E';

const tg = (messages: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: 'Strategy circle', type: 'private_group', id: 1, messages, ...extra });
const tgMsg = (fields: Record<string, unknown>) => ({
  id: 1,
  type: 'message',
  date: '2022-03-18T14:56:01',
  from: 'Halima Osei',
  from_id: 'user7',
  text: 'Hi',
  ...fields,
});

describe('parseTelegram: people named without writing', () => {
  test.each([
    [
      'a mention entity becomes [name] and its handle is mentioned',
      tg([tgMsg({ text: ['Thanks ', { type: 'mention', text: '@jbkabore_ex' }, ' for the notes'] })]),
      'Thanks [name] for the notes',
      ['jbkabore_ex'],
    ],
    [
      'a mention of the account owner who writes stays, for the redactor to label',
      tg([tgMsg({ text: ['Thanks ', { type: 'mention', text: '@halima_ex' }] })], {
        personal_information: { user_id: 7, first_name: 'Halima', last_name: 'Osei', username: '@halima_ex' },
      }),
      'Thanks @halima_ex',
      [],
    ],
    [
      'members of a service message are mentioned',
      tg([
        { id: 2, type: 'service', date: '2022-03-18T14:50:00', actor: 'Halima Osei', actor_id: 'user7', action: 'invite_members', members: ['Amina Yusuf', 'Zainab Musa'] },
        tgMsg({}),
      ]),
      'Hi',
      ['Amina Yusuf', 'Zainab Musa'],
    ],
    ['the author of a forwarded message is mentioned', tg([tgMsg({ forwarded_from: 'Kofi Mensah' })]), 'Hi', ['Kofi Mensah']],
    ['the author of a saved message is mentioned', tg([tgMsg({ saved_from: 'Esi Darko' })]), 'Hi', ['Esi Darko']],
    ['a forward from a channel names no person', tg([tgMsg({ forwarded_from: 'Strategy News', forwarded_from_id: 'channel123' })]), 'Hi', []],
    [
      'a member who also writes is a participant, not mentioned',
      tg([
        { id: 2, type: 'service', date: '2022-03-18T14:50:00', actor: 'Kofi Mensah', actor_id: 'user8', action: 'invite_members', members: ['Halima Osei'] },
        tgMsg({}),
      ]),
      'Hi',
      [],
    ],
  ])('%s', (_name, input, text, mentioned) => {
    const r = parseTelegram(input);
    expect(r.messages[0]?.text).toBe(text);
    expect(r.mentioned ?? []).toEqual(mentioned);
  });
});

const talk = (...lines: string[]) => lines.join('\n');
const SIG = '[[User:Ana Lima|Ana]] 07:41, 29 May 2024 (UTC)';

describe('parseWikitext: people named without signing', () => {
  test.each([
    ['a user link with its text', talk('== Grants ==', `As [[User:Bruno Sato|Bruno]] said, more grants. ${SIG}`), ['Bruno Sato', 'Bruno']],
    ['a user talk link', talk('== Grants ==', `Ask at [[User talk:Carla Dias]]. ${SIG}`), ['Carla Dias']],
    ['a localised user namespace', talk('== Grants ==', `Siehe [[Benutzer:Dieter Kühn|Dieter]]. ${SIG}`), ['Dieter Kühn', 'Dieter']],
    ['ping templates name every user', talk('== Grants ==', `{{ping|Emeka Obi|Fatou Sow}} what do you think? ${SIG}`), ['Emeka Obi', 'Fatou Sow']],
    ['reply-to template', talk('== Grants ==', `{{reply to|Gita Rao}} agreed. ${SIG}`), ['Gita Rao']],
    ['user template with shown text', talk('== Grants ==', `Thanks {{u|Hana Ito|Hana}}. ${SIG}`), ['Hana Ito', 'Hana']],
    ['a talk link whose text is not the name adds nothing but the name', talk('== Grants ==', `Fine. [[User:Ines Roa|Ines]] ([[User talk:Ines Roa|talk]]) 08:00, 29 May 2024 (UTC)`, `Agreed [[User talk:Jon Bale|talk to me]]. ${SIG}`), ['Jon Bale']],
    ['a user who signs is a participant, not mentioned', talk('== Grants ==', `{{ping|Ana Lima}} noted. ${SIG}`), []],
    ['bots are not people', talk('== Grants ==', `Sent by [[User:MediaWiki message delivery]]. ${SIG}`), []],
  ])('%s', (_name, input, mentioned) => {
    expect(parseWikitext(input).mentioned ?? []).toEqual(mentioned);
  });
});

const wa = (...lines: string[]) => lines.join('\n');

describe('parseWhatsApp: people named without writing', () => {
  test.each([
    [
      'Android: added, joined by link, left, removed',
      wa(
        '12/07/2022, 22:35 - Amina Yusuf added Zainab Musa and Chidi Okeke',
        '12/07/2022, 22:36 - Ngozi Eze joined using this group\'s invite link',
        '12/07/2022, 22:37 - Tunde Bello left',
        '12/07/2022, 22:38 - Amina Yusuf removed Kemi Ade',
        '12/07/2022, 22:39 - Laila Mansour: Grants should reach small affiliates',
      ),
      undefined,
      ['Amina Yusuf', 'Zainab Musa', 'Chidi Okeke', 'Ngozi Eze', 'Tunde Bello', 'Kemi Ade'],
    ],
    [
      'Android: "you" is nobody to redact',
      wa('12/07/2022, 22:35 - You added Zainab Musa', '12/07/2022, 22:39 - Laila Mansour: Grants for all'),
      undefined,
      ['Zainab Musa'],
    ],
    [
      'French and German membership lines',
      wa(
        '12/07/2022, 22:35 - Amina Yusuf a ajouté Zainab Musa',
        '12/07/2022, 22:36 - Chidi Okeke hat Ngozi Eze hinzugefügt',
        '12/07/2022, 22:39 - Laila Mansour: Des bourses pour tous',
      ),
      undefined,
      ['Amina Yusuf', 'Zainab Musa', 'Chidi Okeke', 'Ngozi Eze'],
    ],
    [
      'iOS: the chat name as author, a marked membership line',
      wa(
        `[12/07/2022, 22:35:00] Strategy circle: ${LRM}Messages and calls are end-to-end encrypted.`,
        `[12/07/2022, 22:36:00] Strategy circle: ${LRM}Amina Yusuf added Zainab Musa`,
        '[12/07/2022, 22:39:00] Laila Mansour: Grants should reach small affiliates',
      ),
      'WhatsApp Chat - Strategy circle.txt',
      ['Amina Yusuf', 'Zainab Musa'],
    ],
    [
      'a 1:1 chat: its name from the file name is the other person',
      wa('12/07/2022, 22:39 - Laila Mansour: Grants should reach small affiliates'),
      'WhatsApp Chat with Kemi Ade.txt',
      ['Kemi Ade'],
    ],
    [
      'a 1:1 chat whose other person writes: a participant, not mentioned',
      wa('12/07/2022, 22:39 - Kemi Ade: Grants should reach small affiliates'),
      'WhatsApp Chat with Kemi Ade.txt',
      [],
    ],
    [
      'a group (membership lines) has no person in its name',
      wa('12/07/2022, 22:35 - Amina Yusuf added Zainab Musa', '12/07/2022, 22:39 - Laila Mansour: Grants'),
      'WhatsApp Chat - Strategy circle.txt',
      ['Amina Yusuf', 'Zainab Musa'],
    ],
  ])('%s', (_name, input, filename, mentioned) => {
    const r = parseWhatsApp(input, { filename });
    expect(r.mentioned ?? []).toEqual(mentioned);
    // The stream names the same people before its first chunk.
    const s = streamWhatsApp(new TextEncoder().encode(input), { filename, segmentBytes: 64 });
    expect(s.mentioned ?? []).toEqual(mentioned);
  });

  test.each([
    ['a mention of someone who never writes', `12/07/2022, 22:39 - Laila Mansour: Thanks @${LRI}Chidi Okeke${PDI} for this`, 'Thanks [name] for this'],
    ['a mention of a non-contact', `12/07/2022, 22:39 - Laila Mansour: Thanks @${LRI}~Ngozi Eze${PDI}!`, 'Thanks [name]!'],
    [
      'a mention of someone who writes keeps the name, for the redactor to label',
      wa('12/07/2022, 22:38 - Chidi Okeke: Hello', `12/07/2022, 22:39 - Laila Mansour: Thanks @${LRI}Chidi Okeke${PDI}`),
      'Thanks @Chidi Okeke',
    ],
  ])('%s', (_name, input, text) => {
    const r = parseWhatsApp(input);
    expect(r.messages.at(-1)?.text).toBe(text);
    const chunks = [...streamWhatsApp(new TextEncoder().encode(input), { segmentBytes: 64 }).chunks()].flat();
    expect(chunks.at(-1)?.text).toBe(text);
  });
});

describe('buildRedactor: people only mentioned', () => {
  test.each([
    ['a mentioned name becomes [name]', [], ['Zainab Musa'], 'ask Zainab Musa', 'ask [name]'],
    ['a participant of the same name keeps their label', [{ label: 'P-AAAAAA', names: ['Kemi Ade'] }], ['Kemi Ade'], 'ask Kemi Ade', 'ask P-AAAAAA'],
    ['the participant wins whatever the order', [{ label: 'P-AAAAAA', names: ['Kemi'] }], ['Kemi'], 'ask Kemi', 'ask P-AAAAAA'],
    ['a mentioned number is left to the phone rule', [], ['+44 20 7946 0123'], 'call +44 20 7946 0123', 'call [phone]'],
  ])('%s', (_name, people, mentioned, text, out) => {
    const r = buildRedactor([{ label: NAME_MARKER, names: mentioned }, ...people]).redact(text);
    expect(r.text).toBe(out);
  });

  test('mentions count as name redactions', () => {
    expect(buildRedactor([{ label: NAME_MARKER, names: ['Zainab Musa'] }]).redact('Zainab Musa and Zainab Musa').counts.name).toBe(2);
  });
});
