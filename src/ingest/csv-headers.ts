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
  if (asksForPersonName(key)) return 'name';
  return undefined;
}

/**
 * The words that mean a person's name or account. Phrases, not single words, so that "name of your
 * organisation", "nombre de participants" (French: a number) or "プロジェクト名" never match.
 */
const PERSON_NAME_WORDS = [
  'names?',
  'full name',
  'first name',
  'last name',
  'given name',
  'family name',
  'surname',
  'first and last names?',
  'first name and last name',
  'last and first names?',
  'name and surname',
  'name and last name',
  'user ?names?',
  'display name',
  'real name',
  'nick ?name',
  'account name',
  'handle',
  'nom',
  'noms',
  'prénom',
  'prenom',
  'nom complet',
  'nom de famille',
  "nom d'utilisat(?:eur|rice)",
  'pseudo',
  'pseudonyme',
  'nombres?',
  'nombre completo',
  'nombres? y apellidos?',
  'apellidos? y nombres?',
  'apellidos?',
  'nombre de usuari[oa]',
  'usuari[oa]',
  'nome',
  'nome completo',
  'nome de usuári[oa]',
  'usuári[oa]',
  'cognome',
  'vorname',
  'nachname',
  'benutzername',
  'naam',
  'gebruikersnaam',
  'nama',
  'nama lengkap',
  'nama pengguna',
  'jina',
  'jina kamili',
  'jina la mtumiaji',
  'имя',
  'фамилия',
  'фио',
  'имя пользователя',
];
const PERSON_NOUNS =
  '(?:participant|respondent|contact person|contact|person|interviewee|applicant|submitter|author|volunteer|participante|persona|personne|pessoa|répondant|répondante)';
const WIKI = "(?:the )?(?:\\S*wik\\S*|meta|commons)(?: projects?)?";
/** "What is your", "Please enter your", "¿Cuál es tu", "Quel est votre", …: what may come before the name words. */
const ASK =
  "(?:(?:what is|what's|whats|please (?:enter|give|write|provide|type|state|share|add)|enter|provide|tell us|may we have|can we have|cuál es|cual es|quel est|quels sont|indiquez|escribe|escriba|qual é|qual e|qual o|wie ist|wat is) )?";
const POSSESSIVE = "(?:(?:your|votre|vos|ton|tes|tu|su|sus|seu|sua|o seu|a sua|ihr|dein|je|uw|ваше|твоё|твое) )?";
const PERSON_NAME_PART = new RegExp(
  `^${ASK}${POSSESSIVE}(?:(?:${WIKI}|full) )?(?:${PERSON_NAME_WORDS.join('|')})` +
    `(?: (?:on|in|at|for|sur|en|em|auf|op|di|na|no) ${WIKI})?(?: (?:here|below))?$` +
    // "participant name", "name of the participant", "nom du participant", "nombre de la persona", "participant's name"
    `|^${POSSESSIVE}${PERSON_NOUNS}(?:'s)? (?:full )?(?:name|names|username)$` +
    `|^(?:full )?(?:name|nom|nombre|nome) (?:of|du|de|del|do|da)(?: the| la| le| l'| a| o)? ?${PERSON_NOUNS}(?: filling (?:in )?(?:the|this) form)?$` +
    '|^contact person$',
);
/** What else a "name and …" header may hold: "Name and affiliation", "Name / Organisation". */
const BESIDE_NAME =
  /^(?:(?:your|votre|tu|su|seu|sua|ihr|dein|the) )?(?:organi[sz]ations?|organi[sz]ation name|affiliations?|affiliate|chapter|user group|group|institution|company|employer|community|country|city|role|title|position|email|e-mail|email address|e-mail address|phone|organi[sz]ación|institución|afiliación|entidad|empresa|organisme|structure|association|organização|instituição|país|pays)$/;
/** "Name (if you want to be credited)" is a name; "Name (of your organisation)" is not. */
const NOTE = /\((?!\s*(?:of|for|du|de|del|do|da)\b)[^()]{0,200}\)/g;
/** Arabic, Persian and the scripts without spaces: whole phrases (after notes are dropped). */
const PERSON_NAME_PHRASES = new Set([
  'first and last name',
  'اسمك',
  'ما اسمك',
  'ما هو اسمك',
  'اسمك الكامل',
  'الاسم الأول',
  'اسم العائلة',
  'اسم المستخدم',
  'اسم المشارك',
  'الاسم واللقب',
  'ユーザー名',
  'ユーザ名',
  '利用者名',
  'アカウント名',
  'ニックネーム',
  'ハンドルネーム',
  'フルネーム',
  'あなたのお名前',
  'あなたの名前',
  'ご氏名',
  'お名前を教えてください',
  '用户名',
  '用戶名',
  '您的姓名',
  '你的名字',
  '你的姓名',
  '성명',
  '사용자 이름',
  '사용자명',
  'ваше имя',
  'как вас зовут',
  'نام کاربری',
  'उपयोगकर्ता नाम',
  'आपका नाम',
]);
const ARABIC_USERNAME = /^اسم المستخدم (?:في|على) \S+$/;

/**
 * Headers that ask for the respondent's name in other words than the fixed list: "First and last
 * name", "Name (if you want to be credited)", "Your organisation and your name", "Username on
 * Wikipedia", "¿Cuál es tu nombre?", "ユーザー名（任意）". Every part of a "… and …" / "… / …"
 * header must be a name or an affiliation, and one a name: "Name of your organisation", "Name one
 * change…" and "Company/organization name" stay questions.
 */
function asksForPersonName(key: string): boolean {
  const core = key.replace(NOTE, ' ').replace(/[¿¡]/g, '').replace(/\s+/g, ' ').trim();
  if (core === '') return false;
  if (NAME_HEADERS.has(core) || PERSON_NAME_PHRASES.has(core) || ARABIC_USERNAME.test(core)) return true;
  const parts = core
    .split(/\s*(?:\/|,|;|&|\+| - |\band\b|\bet\b|\by\b|\be\b|\bund\b|\bor\b|\bou\b)\s*/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0 || parts.length > 4) return false;
  let person = false;
  for (const part of parts) {
    if (PERSON_NAME_PART.test(part) || NAME_HEADERS.has(part)) person = true;
    else if (!BESIDE_NAME.test(part)) return false;
  }
  return person;
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

/** A name word used as a noun. "namespace", "renamed" are other words; "name one change" is a verb (see NAME_AS_VERB). */
const NAME_NOUN = /(?:^|[\s/(,'-])(?:names?|user ?names?|nom|noms|nombres?|nome|naam|nama|jina)(?=$|[\s/),'-])|名前|氏名|ユーザー名|اسمك|الاسم/;
const NAME_AS_VERB =
  /(?:^|\b(?:you|please|can|could|to)\s)name\s+(?:one|a|an|the|two|three|four|five|some|any|up|your|all|at|each|\d)\b/;
/** Words that make the name a thing's: "project name", "name of the event", "nom de votre association". */
const THING_WORDS =
  /\b(?:organi[sz]ations?|company|compan(?:y|ies)|projects?|groups?|chapters?|events?|tools?|articles?|pages?|files?|schools?|universit(?:y|ies)|institutions?|places?|cit(?:y|ies)|countr(?:y|ies)|teams?|bots?|apps?|programs?|programmes?|initiatives?|campaigns?|books?|languages?|topics?|sessions?|workshops?|affiliates?|products?|platforms?|facilitators?|trainers?|speakers?|mentors?|organi[sz]ers?|organización|proyecto|projet|entreprise|association|empresa|projeto|organização|structure|organisme|ville|ciudad|país|pays)\b|المنظمة|المشروع|団体|プロジェクト|組織/;
/** Words that point at the one answering: only their own name identifies them. */
const RESPONDENT_WORDS =
  /\b(?:your|yours|yourself|you|credited|credit|thank|respondent|participant|me|my|votre|vous|ton|tu|su|usted|seu|sua|você|ihr|sie|dein|je|uw)\b|اسمك|あなた|您|你/;

/**
 * A header that asks for the respondent's own name in words the header rules do not know
 * ("If you'd like to be credited, your name here"): `mentionsOwnName("Your name here, if you like")` → true.
 * Only a hint: the answers must look like names too (csv-columns).
 */
export function mentionsOwnName(raw: string): boolean {
  const key = headerKey(raw);
  if (!NAME_NOUN.test(key) || NAME_AS_VERB.test(key) || THING_WORDS.test(key)) return false;
  return RESPONDENT_WORDS.test(key);
}
