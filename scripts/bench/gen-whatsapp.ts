/**
 * A deterministic WhatsApp chat export for benchmarks: one device shape per file (one export = one phone),
 * multilingual feedback texts, authors in several scripts, wrapped phone-number authors, media placeholders,
 * system lines, mentions, and phone numbers and emails inside texts. Same options and seed → same bytes.
 * Names are fictional; phone numbers are Ofcom's drama range (+44 20 7946 0xxx); emails use example.org.
 */

import { mulberry32 } from './prng';

export const WHATSAPP_SHAPES = ['android-en', 'ios-en', 'ios-ar', 'ios-ja-era', 'ios-th-buddhist'] as const;
export type WhatsAppShape = (typeof WHATSAPP_SHAPES)[number];
export const DEFAULT_SEED = 20240601;

export interface GenerateOptions {
  /** Header lines to write: text messages, media placeholders and system lines together. */
  messages: number;
  shape: WhatsAppShape;
  seed?: number;
}

export type EntryKind = 'text' | 'media' | 'system';

/** What a correct parser must find, one entry per header line, in file order. */
export interface GeneratedTruth {
  kinds: EntryKind[];
  /** Local wall-clock time of each entry as `YYYY-MM-DDTHH:MM:SS` (seconds `00` when the shape has none). */
  ats: string[];
  /** Physical lines in the file (headers plus continuation lines of multi-line messages). */
  lines: number;
  /** How many text messages span more than one line. */
  multiline: number;
}

/** `generateWhatsApp({ messages: 3, shape: 'android-en' })` → three header lines of an Android English export. */
export function generateWhatsApp(opts: GenerateOptions): string {
  return generateWhatsAppExport(opts).text;
}

/** The export and what a parser should find in it: `generateWhatsAppExport({ messages: 10, shape: 'ios-ar' }).truth.kinds`. */
export function generateWhatsAppExport(opts: GenerateOptions): { text: string; truth: GeneratedTruth } {
  const rand = mulberry32(opts.seed ?? DEFAULT_SEED);
  const shape = SHAPES[opts.shape];
  const people = PEOPLE.map((p, i) => ({ ...p, display: p.phone ? wrapPhone(i) : p.name }));
  const out: string[] = [];
  const truth: GeneratedTruth = { kinds: [], ats: [], lines: 0, multiline: 0 };
  // Wall clock kept in a UTC Date so no host time zone or DST gap can shift it.
  let t = Date.UTC(2022, 0, 3, 8, 0, 0);

  for (let i = 0; i < opts.messages; i++) {
    // Chats are bursty: mostly seconds apart, sometimes hours (night, weekend).
    t += 1000 * (rand() < 0.9 ? 5 + Math.floor(rand() * 300) : 600 + Math.floor(rand() * 20_000));
    const when = new Date(t);
    const author = pick(rand, people);
    let kind: EntryKind;
    let line: string;
    if (i === 0) {
      kind = 'system';
      line = shape.system(when, shape.encryption, null);
    } else if (rand() < 0.01) {
      kind = 'system';
      line = shape.system(when, pick(rand, shape.systemTexts)(author.display, pick(rand, people).display), author.display);
    } else if (rand() < 0.03) {
      kind = 'media';
      line = shape.media(when, author.display, pick(rand, shape.placeholders));
    } else {
      kind = 'text';
      const lang = rand() < 0.85 ? author.lang : pick(rand, LANGS);
      const body = messageText(rand, lang, people, author.name);
      if (body.includes('\n')) truth.multiline++;
      line = shape.message(when, author.display, body);
    }
    truth.kinds.push(kind);
    truth.ats.push(isoLocal(when, shape.seconds));
    out.push(line);
  }
  const text = out.join('\n');
  truth.lines = out.length === 0 ? 0 : text.split('\n').length;
  return { text: shape.eol === '\n' ? text : text.replaceAll('\n', shape.eol), truth };
}

// ---------------------------------------------------------------------------------------------------------
// Shapes

interface Shape {
  eol: string;
  /** Whether the header carries seconds. */
  seconds: boolean;
  encryption: string;
  systemTexts: ((a: string, b: string) => string)[];
  placeholders: string[];
  message(at: Date, author: string, text: string): string;
  media(at: Date, author: string, placeholder: string): string;
  /** Android system lines have no author; iOS ones carry the group's name as the author. */
  system(at: Date, text: string, actor: string | null): string;
}

const LRM = '\u200E';
const RLM = '\u200F';
const NBSP = '\u00A0';
const NNBSP = '\u202F';
const GROUP = 'Strategy 2030 · Community';

const EN_SYSTEM: Shape['systemTexts'] = [
  (a, b) => `${a} added ${b}`,
  (a) => `${a} left`,
  (a) => `${a} joined using this group's invite link`,
  (a) => `${a} changed the subject from "Strategy chat" to "${GROUP}"`,
  (a) => `${a} changed this group's icon`,
  (a) => `Your security code with ${a} changed. Tap to learn more.`,
];
const EN_ENCRYPTION =
  'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.';
const IOS_EN_PLACEHOLDERS = ['image omitted', 'video omitted', 'audio omitted', 'sticker omitted', 'document omitted', 'GIF omitted'];

/** iOS: `[date, time] Author: text`; media and system lines start with a direction mark (LRM, RLM in RTL locales). */
function iosShape(header: (at: Date) => string, mark: string, over: Partial<Shape> = {}): Shape {
  return {
    eol: '\r\n',
    seconds: true,
    encryption: EN_ENCRYPTION.replace(' Tap to learn more.', ''),
    systemTexts: EN_SYSTEM,
    placeholders: IOS_EN_PLACEHOLDERS,
    message: (at, author, text) => `${header(at)} ${author}: ${text}`,
    media: (at, author, p) => `${mark}${header(at)} ${author}: ${mark}${p}`,
    system: (at, text) => `${mark}${header(at)} ${GROUP}: ${mark}${text}`,
    ...over,
  };
}

const SHAPES: Record<WhatsAppShape, Shape> = {
  // `18/03/2022, 14:56 - Author: text`: the shape of a UK/EU Android phone; system lines have no author.
  'android-en': {
    eol: '\n',
    seconds: false,
    encryption: EN_ENCRYPTION,
    systemTexts: EN_SYSTEM,
    placeholders: ['<Media omitted>'],
    message: (at, author, text) => `${androidHeader(at)} - ${author}: ${text}`,
    media: (at, author, p) => `${androidHeader(at)} - ${author}: ${p}`,
    system: (at, text) => `${androidHeader(at)} - ${text}`,
  },
  // `[3/18/22, 2:56:01 PM]` with U+202F before the marker, as newer iPhones write it.
  'ios-en': iosShape(
    (at) => `[${at.getUTCMonth() + 1}/${at.getUTCDate()}/${pad(at.getUTCFullYear() % 100)}, ${h12(at)}${NNBSP}${at.getUTCHours() < 12 ? 'AM' : 'PM'}]`,
    LRM,
  ),
  // `[١٨‏/٣‏/٢٠٢٢، ٢:٥٦:٠٠ م]`: Arabic-Indic digits, RLM after day and month, Arabic comma, NBSP before ص/م.
  'ios-ar': iosShape(
    (at) =>
      arabicDigits(
        `[${at.getUTCDate()}${RLM}/${at.getUTCMonth() + 1}${RLM}/${at.getUTCFullYear()}\u060C ${h12(at)}${NBSP}${at.getUTCHours() < 12 ? 'ص' : 'م'}]`,
      ),
    RLM,
    {
      encryption:
        'الرسائل والمكالمات مشفرة تمامًا بين الطرفين، بحيث لا يستطيع أحد خارج هذه الدردشة، ولا حتى شركة واتساب نفسها، قراءتها أو الاستماع إليها.',
      systemTexts: [
        (a, b) => `${a} أضاف ${b}`,
        (a) => `${a} غادر`,
        (a) => `${a} انضم باستخدام رابط الدعوة الخاص بهذه المجموعة`,
        (a) => `${a} غيّر صورة هذه المجموعة`,
        (a) => `تغيّر رمز الأمان الخاص بك مع ${a}. انقر لمعرفة المزيد.`,
      ],
      placeholders: ['لم يتم إدراج الصورة', 'لم يتم إدراج الفيديوهات', 'لم يتم إدراج المقاطع الصوتية', 'لم يتم إدراج بطاقة جهة اتصال'],
    },
  ),
  // `[3/18/R4, 14:56:01]`: the Japanese imperial calendar (Reiwa n = 2018 + n); the dates stay in Reiwa.
  'ios-ja-era': iosShape((at) => `[${at.getUTCMonth() + 1}/${at.getUTCDate()}/R${at.getUTCFullYear() - 2018}, ${h24(at)}]`, LRM),
  // `[3/18/2565 BE, 14:56:01]`: the Buddhist calendar (Gregorian + 543).
  'ios-th-buddhist': iosShape((at) => `[${at.getUTCMonth() + 1}/${at.getUTCDate()}/${at.getUTCFullYear() + 543} BE, ${h24(at)}]`, LRM),
};

function androidHeader(at: Date): string {
  return `${pad(at.getUTCDate())}/${pad(at.getUTCMonth() + 1)}/${at.getUTCFullYear()}, ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
}

function h24(at: Date): string {
  return `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
}

function h12(at: Date): string {
  return `${at.getUTCHours() % 12 || 12}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
}

function isoLocal(at: Date, seconds: boolean): string {
  const iso = at.toISOString().slice(0, 19);
  return seconds ? iso : `${iso.slice(0, 17)}00`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function arabicDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

// ---------------------------------------------------------------------------------------------------------
// People and texts

type Lang = 'en' | 'ar' | 'fr' | 'ja' | 'bn' | 'es';
const LANGS: Lang[] = ['en', 'ar', 'fr', 'ja', 'bn', 'es'];

interface Person {
  name: string;
  lang: Lang;
  phone?: true;
}

const PEOPLE: Person[] = [
  { name: 'Alice Hartley', lang: 'en' },
  { name: 'Ben Okafor', lang: 'en' },
  { name: 'Priya Raman', lang: 'en' },
  { name: 'Élodie Marchand', lang: 'fr' },
  { name: 'Yannick Diallo', lang: 'fr' },
  { name: 'José Núñez', lang: 'es' },
  { name: 'Lucía Ferrer', lang: 'es' },
  { name: 'ليلى حداد', lang: 'ar' },
  { name: 'عمر الخطيب', lang: 'ar' },
  { name: 'Nour El-Sayed', lang: 'ar' },
  { name: '佐藤 花子', lang: 'ja' },
  { name: '山田太郎', lang: 'ja' },
  { name: 'রহিম উদ্দিন', lang: 'bn' },
  { name: 'সুমি আক্তার', lang: 'bn' },
  { name: 'Tanvir Hossain', lang: 'bn' },
  { name: '+44 20 7946 0', lang: 'en', phone: true },
  { name: '+44 20 7946 0', lang: 'ar', phone: true },
  { name: '+44 20 7946 0', lang: 'fr', phone: true },
  { name: '+44 20 7946 0', lang: 'bn', phone: true },
  { name: 'Mariam Sow', lang: 'fr' },
];

/** Non-contacts appear as their number, wrapped in LTR embedding marks with NBSPs between the groups. */
function wrapPhone(i: number): string {
  return `\u202A+44${NBSP}20${NBSP}7946${NBSP}0${String(100 + i * 37).padStart(3, '0')}\u202C`;
}

const SENTENCES: Record<Lang, string[]> = {
  en: [
    'We need more training sessions for new editors in rural areas.',
    'The translation tools should support right-to-left languages better.',
    'Our local chapter struggles to find funding for community events.',
    'Please make the grants process simpler; the forms take weeks to complete.',
    'Many women in our community feel unsafe in online discussions.',
    'Offline access matters because mobile data is expensive here.',
    'I think the strategy should focus on knowledge equity first.',
    'Partnerships with libraries and universities worked well last year.',
    'The harassment reporting process is confusing and slow.',
    'Volunteers burn out because the same few people do all the work.',
    'Can we have the meeting notes in more languages next time?',
    'Decisions should be made closer to the communities they affect.',
  ],
  fr: [
    'Nous avons besoin de plus de formations pour les nouveaux contributeurs.',
    'Les outils de traduction devraient mieux gérer nos langues locales.',
    'Le processus de subvention est trop long et trop compliqué.',
    "Beaucoup de bénévoles s'épuisent parce que la charge de travail est mal répartie.",
    "L'accès hors ligne est essentiel, car les données mobiles coûtent cher ici.",
    'Il faudrait impliquer davantage les bibliothèques et les universités.',
    'Les décisions devraient être prises au plus près des communautés concernées.',
    "Je pense que la stratégie doit d'abord viser l'équité des savoirs.",
    'Les discussions en ligne sont parfois hostiles envers les nouvelles personnes.',
    'Pouvons-nous avoir le compte rendu de la réunion en plusieurs langues ?',
  ],
  es: [
    'Necesitamos más talleres para personas que empiezan a editar.',
    'El proceso de becas es demasiado largo y complicado.',
    'Muchas voluntarias se sienten solas cuando reciben ataques en las discusiones.',
    'El acceso sin conexión es importante porque los datos móviles son caros.',
    'Las alianzas con bibliotecas y universidades funcionaron muy bien.',
    'Las decisiones deberían tomarse cerca de las comunidades afectadas.',
    'Creo que la estrategia debe centrarse primero en la equidad del conocimiento.',
    'Las herramientas de traducción deberían apoyar mejor nuestras lenguas.',
    '¿Podemos tener las notas de la reunión en más idiomas la próxima vez?',
    'Los mismos pocos voluntarios hacen todo el trabajo y se agotan.',
  ],
  ar: [
    'نحتاج إلى مزيد من الدورات التدريبية للمحررين الجدد في المناطق الريفية.',
    'يجب أن تدعم أدوات الترجمة اللغات التي تكتب من اليمين إلى اليسار بشكل أفضل.',
    'يواجه فرعنا المحلي صعوبة في إيجاد تمويل للفعاليات المجتمعية.',
    'عملية المنح معقدة جدا وتستغرق أسابيع لإكمال الاستمارات.',
    'الوصول دون اتصال بالإنترنت مهم لأن البيانات المتنقلة غالية هنا.',
    'أعتقد أن الاستراتيجية يجب أن تركز أولا على العدالة المعرفية.',
    'نجحت الشراكات مع المكتبات والجامعات في العام الماضي.',
    'إجراءات الإبلاغ عن التحرش مربكة وبطيئة.',
    'يتعب المتطوعون لأن الأشخاص أنفسهم يقومون بكل العمل.',
    'هل يمكننا الحصول على محضر الاجتماع بلغات أكثر في المرة القادمة؟',
  ],
  ja: [
    '新しい編集者向けの研修をもっと増やす必要があります。',
    '翻訳ツールは地域の言語をもっとよくサポートするべきです。',
    '助成金の申請手続きが複雑で、書類の準備に何週間もかかります。',
    'モバイルデータが高いので、オフラインで使えることが大切です。',
    '図書館や大学との連携は昨年とてもうまくいきました。',
    '同じ少数のボランティアがすべての作業をしていて、疲れ切っています。',
    '戦略はまず知識の公平性に焦点を当てるべきだと思います。',
    'オンラインの議論で嫌な思いをした新しい参加者が多いです。',
    '次回は会議のメモを複数の言語で共有してもらえますか。',
    '決定は影響を受けるコミュニティの近くで行われるべきです。',
  ],
  bn: [
    'গ্রামের নতুন সম্পাদকদের জন্য আরও প্রশিক্ষণ দরকার।',
    'অনুবাদ সরঞ্জামগুলো আমাদের ভাষাকে আরও ভালোভাবে সমর্থন করা উচিত।',
    'অনুদানের প্রক্রিয়া খুব জটিল এবং ফর্ম পূরণ করতে কয়েক সপ্তাহ লাগে।',
    'মোবাইল ডেটা ব্যয়বহুল, তাই অফলাইন ব্যবহারের সুযোগ খুব জরুরি।',
    'গ্রন্থাগার ও বিশ্ববিদ্যালয়ের সঙ্গে অংশীদারিত্ব গত বছর ভালো কাজ করেছে।',
    'একই কয়েকজন স্বেচ্ছাসেবক সব কাজ করেন বলে তাঁরা ক্লান্ত হয়ে পড়ছেন।',
    'আমার মনে হয় কৌশলের প্রথম লক্ষ্য হওয়া উচিত জ্ঞানের সমতা।',
    'অনলাইন আলোচনায় নতুনরা অনেক সময় অস্বস্তি বোধ করেন।',
    'পরের বার সভার নোটগুলো কি আরও কয়েকটি ভাষায় পাওয়া যাবে?',
    'সিদ্ধান্তগুলো সংশ্লিষ্ট সম্প্রদায়ের কাছাকাছি থেকে নেওয়া উচিত।',
  ],
};

/** Short lead-ins for the personal data people paste into chats, per language. */
const CONTACT: Record<Lang, [string, string, string]> = {
  en: ['Call me on', 'or write to', 'As'],
  fr: ['Appelez-moi au', 'ou écrivez à', 'Comme le dit'],
  es: ['Llámame al', 'o escribe a', 'Como dijo'],
  ar: ['اتصلوا بي على', 'أو راسلوني على', 'كما قال'],
  ja: ['電話番号は', 'メールは', '先ほど'],
  bn: ['আমাকে ফোন করুন', 'অথবা লিখুন', 'যেমন বলেছেন'],
};

const EMOJI = ['🙏', '👍', '😊', '💡', '🌍'];

function messageText(rand: () => number, lang: Lang, people: { name: string; display: string; phone?: true }[], self: string): string {
  const [call, write, as] = CONTACT[lang];
  const extras: string[] = [];
  const x = rand();
  if (x < 0.04) {
    const other = pick(rand, people.filter((p) => !p.phone && p.name !== self));
    // Half the mentions are WhatsApp @-mentions (isolated with U+2068/U+2069), half the name in prose.
    extras.push(rand() < 0.5 ? `@\u2068${other.name}\u2069` : `${as} ${other.name.split(' ')[0] ?? other.name},`);
  } else if (x < 0.06) {
    extras.push(`${call} +44 20 7946 0${String(Math.floor(rand() * 1000)).padStart(3, '0')}`);
  } else if (x < 0.08) {
    extras.push(`${write} volunteer${Math.floor(rand() * 500)}@example.org`);
  }
  const target = 20 + Math.floor(rand() * 281);
  const sep = lang === 'ja' ? '' : ' ';
  const parts = [...extras];
  let length = parts.reduce((n, p) => n + p.length + 1, 0);
  while (length < target || parts.length === extras.length) {
    let s = pick(rand, SENTENCES[lang]);
    // People do not say the same sentence twice in a row; one redraw makes that rare enough.
    if (s === parts[parts.length - 1]) s = pick(rand, SENTENCES[lang]);
    parts.push(s);
    length += s.length + sep.length;
  }
  let text = parts.join(sep);
  if (text.length > 300) {
    const cut = text.lastIndexOf(' ', 299);
    text = cut >= 20 ? text.slice(0, cut) : text.slice(0, 299);
  }
  if (rand() < 0.05) {
    // A multi-line message: the same sentences one per line, now and then with a blank line between.
    const lines = text.split(lang === 'ja' ? /(?<=。)/ : /(?<=[.?!।؟]) /).filter((l) => l !== '');
    if (lines.length < 2) lines.push(pick(rand, SENTENCES[lang]));
    text = lines.join(rand() < 0.25 ? '\n\n' : '\n');
  }
  if (rand() < 0.05) text += ` ${pick(rand, EMOJI)}`;
  return text;
}

// ---------------------------------------------------------------------------------------------------------
// Randomness


function pick<T>(rand: () => number, list: readonly T[]): T {
  const v = list[Math.floor(rand() * list.length)];
  if (v === undefined) throw new Error('pick from an empty list');
  return v;
}
