import { describe, expect, test } from 'vitest';
import { newConsultation, testEnv } from '../helpers';

const LRI = '\u2068';
const PDI = '\u2069';

/** Each export names people who never write in it; none of those names may be stored. */
const CASES: [string, string, string, string[]][] = [
  [
    'whatsapp',
    [
      '12/07/2022, 22:35 - Amina Yusuf added Zainab Musa and Chidi Okeke',
      "12/07/2022, 22:36 - Ngozi Eze joined using this group's invite link",
      '12/07/2022, 22:37 - Tunde Bello left',
      '12/07/2022, 22:38 - Laila Mansour: Welcome Zainab Musa and Chidi, grants should reach small affiliates',
      `12/07/2022, 22:39 - Laila Mansour: Thanks @${LRI}~Ngozi Eze${PDI} and Tunde Bello for the mentoring idea`,
      `12/07/2022, 22:40 - Laila Mansour: @${LRI}Femi Adebayo${PDI} can you share the training plan?`,
    ].join('\n'),
    '?filename=WhatsApp%20Chat%20-%20Strategy%20circle.txt',
    ['Amina', 'Yusuf', 'Zainab', 'Musa', 'Chidi', 'Okeke', 'Ngozi', 'Tunde', 'Bello', 'Femi', 'Adebayo'],
  ],
  [
    'whatsapp 1:1',
    '12/07/2022, 22:39 - Laila Mansour: Kemi Ade, your point on grants for small affiliates was right',
    '?filename=WhatsApp%20Chat%20with%20Kemi%20Ade.txt',
    ['Kemi', 'Ade'],
  ],
  [
    'telegram',
    JSON.stringify({
      name: 'Strategy circle',
      type: 'private_group',
      id: 1,
      messages: [
        { id: 1, type: 'service', date: '2022-03-18T14:50:00', actor: 'Halima Osei', actor_id: 'user7', action: 'invite_members', members: ['Kofi Mensah'] },
        {
          id: 2,
          type: 'message',
          date: '2022-03-18T14:56:01',
          from: 'Halima Osei',
          from_id: 'user7',
          text: ['Thanks ', { type: 'mention', text: '@jbkabore_ex' }, ' and Kofi Mensah for the mentoring plan'],
        },
        { id: 3, type: 'message', date: '2022-03-18T14:57:01', from: 'Halima Osei', from_id: 'user7', forwarded_from: 'Esi Darko', text: 'Esi Darko wrote: more grants for small affiliates' },
      ],
    }),
    '?format=telegram',
    ['jbkabore', 'Kofi', 'Mensah', 'Esi', 'Darko'],
  ],
  [
    'wikitext',
    [
      '== Grants ==',
      'As [[User:Bruno Sato|Brunito]] said, small affiliates need grants. {{ping|Emeka Obi}} Gita Rao agrees too. [[User:Ana Lima|Ana]] 07:41, 29 May 2024 (UTC)',
      ':{{reply to|Gita Rao}} Brunito and Emeka Obi, I second the mentoring programme. [[User:Carla Dias|Carla]] 08:41, 29 May 2024 (UTC)',
    ].join('\n'),
    '?format=wikitext',
    ['Bruno', 'Sato', 'Brunito', 'Emeka', 'Obi', 'Gita', 'Rao'],
  ],
];

describe('uploads: people named without writing are not stored', () => {
  test.each(CASES)('%s', async (_format, file, query, names) => {
    const t = await testEnv();
    const slug = await newConsultation(t);
    const res = await t.request(`/api/consultations/${slug}/uploads${query}`, { method: 'POST', body: file });
    const body = (await res.json()) as { upload: { items: number; redactions: { name: number } } };
    expect(res.status).toBe(201);
    expect(body.upload.items).toBeGreaterThan(0);
    const rs = await t.client.execute('select text, context, question from items');
    const stored = rs.rows.map((r) => `${r.text} ${r.context ?? ''} ${r.question ?? ''}`).join('\n');
    for (const name of names) expect(stored).not.toMatch(new RegExp(`\\b${name}\\b`, 'i'));
    expect(stored).toContain('[name]');
    expect(body.upload.redactions.name).toBeGreaterThanOrEqual(1);
  });
});
