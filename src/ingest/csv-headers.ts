/**
 * What a form column's header says about it: which export tool wrote the file, which columns are
 * bookkeeping (ids, times, languages), which hold personal data, which invite free text.
 * Headers are matched after `headerKey()`: NFKC, lower case, single spaces, no "(optional)" / "*" / ":" / "?".
 */
import { cleanText, normaliseForMatch } from '../text/clean';

export type SurveyFlavour = 'google' | 'msforms' | 'limesurvey' | 'typeform' | 'generic';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/**
 * A header as the user should read it: `cleanHeader("How often, *Python*? {{field:ab12}}")` →
 * `"How often, Python? …"` — HTML entities decoded, tags and Markdown stars dropped, recall
 * placeholders (`{{field:…}}`) shown as "…", whitespace (tabs, newlines) collapsed.
 */
export function cleanHeader(raw: string): string {
  return cleanText(raw)
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_m, name: string) => ENTITIES[name] ?? '')
    .replace(/<\/?[a-z][^<>]{0,200}>/gi, ' ')
    .replace(/\{\{\s*(?:field|hidden|var|variable)\s*:[^{}]{0,200}\}\}/gi, '…')
    .replace(/\*([^*\n]{1,300})\*/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Every rule below asks for the key of the same few headers; remembering them keeps a parse linear.
 * Bounded, and a pure function's memo: same input, same output.
 */
const keyMemo = new Map<string, string>();

/** Key for matching header words: `headerKey(" E-mail address (optional)* ")` → `"e-mail address"`. */
export function headerKey(raw: string): string {
  const hit = keyMemo.get(raw);
  if (hit !== undefined) return hit;
  const key = computeKey(raw);
  if (keyMemo.size >= 4096) keyMemo.clear();
  keyMemo.set(raw, key);
  return key;
}

function computeKey(raw: string): string {
  return normaliseForMatch(cleanHeader(raw))
    .replace(/\((?:optional|optionnel|facultatif|facultative|opcional|optionale?)\)/g, '')
    .replace(/[*:?？：؟.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const TIMESTAMP_HEADERS = new Set([
  'timestamp',
  'marca temporal',
  'horodateur',
  'horodatage',
  'zeitstempel',
  'carimbo de data/hora',
  'informazioni cronologiche',
  'tijdstempel',
  'sygnatura czasowa',
  'отметка времени',
  'позначка часу',
  'zaman damgası',
  'dấu thời gian',
  'cap waktu',
  'タイムスタンプ',
  '时间戳记',
  '時間戳記',
  '타임스탬프',
  'الطابع الزمني',
  'समय टिकट',
]);

/** Google Forms' first column, in the languages Sheets localises it to. */
export function isTimestampHeader(raw: string): boolean {
  return TIMESTAMP_HEADERS.has(headerKey(raw));
}

/**
 * Bookkeeping columns the form tools add: never feedback, never polls. Exact keys, so a question
 * such as "What is your primary language?" is not mistaken for LimeSurvey's "Start language".
 */
const METADATA_HEADERS = new Set([
  'id',
  '#',
  'no',
  'response id',
  'responseid',
  'respondent id',
  'respondentid',
  'submission id',
  'token',
  'seed',
  'network id',
  'ip',
  'ip address',
  'ipaddr',
  'ip-adresse',
  'adresse ip',
  'dirección ip',
  'referrer',
  'referer',
  'referrer url',
  'refurl',
  'start language',
  'startlanguage',
  'language',
  'last page',
  'lastpage',
  'date submitted',
  'submitdate',
  'submitted at',
  'submission date',
  'submitted',
  'date started',
  'startdate',
  'date last action',
  'datestamp',
  'start time',
  'completion time',
  'end time',
  'last modified time',
  'start date (utc)',
  'submit date (utc)',
  'stage date (utc)',
  'start date',
  'submit date',
  'end date',
  'total time',
  'interviewtime',
  'duration',
  'duration (in seconds)',
  'time taken',
  'user agent',
  'browser',
  'device',
  'score',
  'total score',
  'total points',
  'quiz feedback',
  'tags',
  'response type',
  'ending',
  'status',
  'progress',
  'finished',
  'recorded date',
]);

/** LimeSurvey timing and upload-count columns, MS Forms quiz columns, tracking parameters. */
const METADATA_PREFIXES = /^(group time|question time|filecount -|points -|feedback -|utm_)/;
/** LimeSurvey expression-manager columns: `{if(age.NAOK > 65, 1, 0)}`, `{IntGetHelpSeq.gseq}`, `X: {X.NAOK}`. */
const EXPRESSION = /^\{[\s\S]*\}$|\{[^{}]*\.(?:naok|gseq|shown|value|qid|sgqa|valuenaok)\b[^{}]*\}/;

/** True for bookkeeping columns: `isMetadataHeader("Date submitted")` → true. */
export function isMetadataHeader(raw: string): boolean {
  const key = headerKey(raw);
  if (METADATA_HEADERS.has(key) || isTimestampHeader(raw) || METADATA_PREFIXES.test(key)) return true;
  return EXPRESSION.test(normaliseForMatch(cleanText(raw)));
}

/** The submit-time column of each flavour, best first (the first present one is used for `at`). */
export const SUBMIT_HEADERS: Record<SurveyFlavour, string[]> = {
  google: [],
  msforms: ['completion time', 'start time'],
  limesurvey: ['date submitted', 'submitdate', 'date last action', 'datestamp'],
  typeform: ['submit date (utc)', 'submitted at', 'submit date'],
  generic: ['timestamp', 'submitted at', 'submit date', 'submit date (utc)', 'date submitted', 'submitdate', 'completion time', 'end time', 'date', 'time'],
};

/** Flavours whose empty submit date means the respondent never finished (the row is not imported). */
export const UNFINISHED_WHEN_EMPTY: Record<SurveyFlavour, boolean> = {
  google: false,
  msforms: false,
  limesurvey: true,
  typeform: true,
  generic: false,
};

export type IdentityKind = 'email' | 'name' | 'phone';

const EMAIL_WORDS = /(^|[\s/(-])(e-?mail|courriel|correo|correo electr[oó]nico|mail)($|[\s/)-])|البريد|邮箱|电子邮件|電子郵件|メール|почта|이메일/;
/** Phrasings of "your name", in the languages our liaisons work in. Whole-header matches only. */
const NAME_HEADERS = new Set([
  'name',
  'names',
  'full name',
  'first name',
  'last name',
  'given name',
  'family name',
  'surname',
  'username',
  'user name',
  'display name',
  'real name',
  'nickname',
  'wikimedia username',
  'wikipedia username',
  'wiki username',
  'your name',
  'your full name',
  'your username',
  'what is your name',
  "what's your name",
  'name and surname',
  'name surname',
  'nom',
  'prénom',
  'prenom',
  'nom complet',
  'nom et prénom',
  'prénom et nom',
  'votre nom',
  "nom d'utilisateur",
  'nombre',
  'nombres',
  'nombre completo',
  'nombre y apellido',
  'nombre y apellidos',
  'apellido',
  'apellidos',
  'tu nombre',
  'nombre de usuario',
  'nome',
  'nome completo',
  'cognome',
  'nome e cognome',
  'seu nome',
  'nome de usuário',
  'vorname',
  'nachname',
  'benutzername',
  'vollständiger name',
  'naam',
  'voornaam',
  'achternaam',
  'volledige naam',
  'imię',
  'nazwisko',
  'imię i nazwisko',
  'isim',
  'ad soyad',
  'adınız',
  'nama',
  'nama lengkap',
  'tên',
  'họ tên',
  'họ và tên',
  'jina',
  'jina kamili',
  'имя',
  'фамилия',
  'фио',
  'имя и фамилия',
  "ім'я",
  'прізвище',
  '名前',
  '氏名',
  'お名前',
  '姓名',
  '名字',
  '이름',
  'الاسم',
  'اسم',
  'الاسم الكامل',
  'الاسم الثلاثي',
  'نام',
  'नाम',
  'পূর্ণ নাম',
  'নাম',
]);
const PHONE_WORDS =
  /(^|\s)(phone|telephone|tel|mobile|cell|cellphone|whatsapp|téléphone|teléfono|telefone|telefono|telefon|celular|móvil|handy|телефон|هاتف|الهاتف|جوال|موبايل|電話|手机|电话|전화)($|\s)/;

/**
 * Identity columns by header: `identityFromHeader("Email address")` → `"email"`. Only short headers
 * count ("Would you like news by email?" is a question, not an address column).
 */
export function identityFromHeader(raw: string): IdentityKind | undefined {
  const key = headerKey(raw);
  if (key === '') return undefined;
  const words = key.split(' ').length;
  if (NAME_HEADERS.has(key)) return 'name';
  if (words <= 4 && EMAIL_WORDS.test(key)) return 'email';
  if (words <= 4 && PHONE_WORDS.test(key)) return 'phone';
  return undefined;
}

/** Postal addresses are personal too; they are dropped, not used as identity. LimeSurvey: `Please enter your address [Street]`. */
const ADDRESS =
  /\b(your|postal|home|street|mailing|physical|residential) address\b|^address\b|^(street|street address|postal code|postcode|zip|zip code|house number|adresse postale|votre adresse|dirección|dirección postal|endereço|indirizzo|anschrift|straße|postleitzahl|code postal|código postal)$|\[(street|number|house number|postal code|postcode|zip|zip code)\]$/;

/** True for address-like columns: `isAddressHeader("Please enter your address [Street]")` → true. */
export function isAddressHeader(raw: string): boolean {
  const key = headerKey(raw);
  if (/\b(e-?mail|ip|web|url|wiki)\b/.test(key)) return false;
  return ADDRESS.test(key);
}

/**
 * Words that invite a written answer. A hint, not a verdict: a column whose answers are few short
 * values repeated many times stays a choice whatever its header says.
 */
const TEXT_HINT =
  /\b(describe|explain|comments?|why|suggest|suggestions?|feedback|tell us|what do you think|thoughts|ideas?|anything else|remarks?|opinions?|please specify|specify|elaborate|recommendations?|how (could|can|would|should)|what (would|should|could))\b|commentaires?|pourquoi|précise[zr]|por qu[eé]|comentarios?|sugerencias?|explique|warum|kommentare?|anmerkungen|vorschläge|opmerkingen|waarom|beschrijf|ملاحظات|تعليق|اقتراحات|لماذا|意見|コメント|理由|建议|意见|为什么|комментари|почему|предложени/;

/** True when the header invites free text: `hintsFreeText("Why do you use it?")` → true. */
export function hintsFreeText(raw: string): boolean {
  return TEXT_HINT.test(headerKey(raw));
}

const OTHER_LABELS = new Set([
  'other',
  'others',
  'other (please specify)',
  'other, please specify',
  'autre',
  'autres',
  'otro',
  'otros',
  'otra',
  'outro',
  'outros',
  'andere',
  'anders',
  'altro',
  'altri',
  'inne',
  'другое',
  'أخرى',
  'آخر',
  'その他',
  '其他',
]);

/** The "Other" answer column: LimeSurvey `Q [Other]`, Typeform's `Other` sub-header. */
export function isOtherLabel(raw: string): boolean {
  return OTHER_LABELS.has(headerKey(raw));
}

/** Grid headers (already cleaned) `Question [Sub-question]` → prefix and label; undefined without brackets. */
export function splitBracket(header: string): { prefix: string; label: string } | undefined {
  const m = /^([\s\S]*?)\s*\[([^\][]{0,500})\]\s*$/.exec(header);
  if (!m) return undefined;
  return { prefix: (m[1] ?? '').trim(), label: (m[2] ?? '').trim() };
}

/**
 * Which tool wrote the file, from its header cells: `detectFlavour(["Timestamp","Q1"], undefined)` → `"google"`.
 * `second` is the next row, which holds Typeform's `#` when the export has two header rows.
 */
export function detectFlavour(first: readonly string[], second: readonly string[] | undefined): SurveyFlavour {
  const keys = new Set(first.map(headerKey));
  if (keys.has('response id') && (keys.has('date submitted') || keys.has('last page'))) return 'limesurvey';
  if (keys.has('id') && keys.has('submitdate') && (keys.has('lastpage') || keys.has('startlanguage'))) return 'limesurvey';
  if (keys.has('id') && keys.has('start time') && keys.has('completion time')) return 'msforms';
  const secondFirst = second?.[0]?.trim();
  if (first[0]?.trim() === '#' || secondFirst === '#') return 'typeform';
  if (keys.has('network id') || keys.has('submit date (utc)') || keys.has('start date (utc)')) return 'typeform';
  if (first[0] !== undefined && isTimestampHeader(first[0])) return 'google';
  return 'generic';
}
