/**
 * Dates as MediaWiki writes them in signatures, in many site languages, and loose dates in notes.
 * Pure functions. The shapes come from MediaWiki's `dateFormat` per language (DiscussionTools test data):
 * en `H:i, j F Y`, fr `j F Y à H:i`, de `H:i, j. M. Y`, es `H:i j M Y`, pt `H"h"i"min" "de" j "de" F "de" Y`,
 * ar `H:i، j xg Y`, ja `Y年n月j日 (D) H:i`, ISO `Y-m-dTH:i:s`, and the old enwiki forms
 * `18:45 Mar 10, 2003` and `01:54:53, 2005-09-08`. Every signature timestamp ends with a zone in brackets.
 */

/** Month names (full, genitive and abbreviated) of the languages liaisons meet, lower case → month number. */
const MONTH_NAMES: Record<string, number> = {};

function addMonths(names: string): void {
  names.split(';').forEach((group, i) => {
    for (const name of group.split(',')) {
      const n = name.trim().toLowerCase();
      if (n) MONTH_NAMES[n] = i + 1;
    }
  });
}

// One string per language: 12 groups separated by ';', spellings of one month separated by ','.
addMonths('january,jan;february,feb;march,mar;april,apr;may;june,jun;july,jul;august,aug;september,sep,sept;october,oct;november,nov;december,dec');
addMonths('janvier,janv;février,fevrier,févr,fevr,fév;mars;avril,avr;mai;juin;juillet,juil;août,aout;septembre,sept;octobre;novembre;décembre,decembre,déc');
addMonths('januar,jänner,jan;februar,feber;märz,maerz,mär,mrz;april;mai;juni;juli;august;september;oktober,okt;november;dezember,dez');
addMonths('enero,ene;febrero;marzo;abril,abr;mayo;junio;julio;agosto,ago;septiembre,setiembre;octubre;noviembre;diciembre,dic');
addMonths('janeiro;fevereiro,fev;março,marco;abril;maio;junho;julho;agosto;setembro,set;outubro,out;novembro;dezembro');
addMonths('gennaio,gen;febbraio;marzo;aprile;maggio,mag;giugno,giu;luglio,lug;agosto;settembre;ottobre,ott;novembre;dicembre');
addMonths('januari;februari;maart,mrt;april;mei;juni;juli;augustus;september;oktober;november;december');
addMonths('januari;februari;mars;april;maj;juni;juli;augusti;september;oktober;november;december');
addMonths('января,январь;февраля,февраль;марта,март;апреля,апрель;мая,май;июня,июнь;июля,июль;августа,август;сентября,сентябрь;октября,октябрь;ноября,ноябрь;декабря,декабрь');
addMonths('stycznia;lutego;marca;kwietnia;maja;czerwca;lipca;sierpnia;września;października;listopada;grudnia');
addMonths('يناير;فبراير;مارس;أبريل,ابريل,إبريل;مايو;يونيو;يوليو;أغسطس,اغسطس;سبتمبر;أكتوبر,اكتوبر;نوفمبر;ديسمبر');
// Levantine month names, also used on Arabic Wikipedia.
addMonths('كانون الثاني;شباط;آذار;نيسان;أيار;حزيران;تموز;آب;أيلول;تشرين الأول;تشرين الثاني;كانون الأول');

/** Month number for a localized month name or abbreviation: `monthNumber("Mai.")` → 5; unknown → null. */
export function monthNumber(name: string): number | null {
  return MONTH_NAMES[name.trim().replace(/\.$/, '').toLowerCase()] ?? null;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Longest first so "juillet" wins over "juil" and "تشرين الثاني" over a prefix.
/** Regex source matching any known month name or abbreviation (use with the `i` and `u` flags). */
export const MONTH_PATTERN = Object.keys(MONTH_NAMES)
  .sort((a, b) => b.length - a.length)
  .map(escapeRe)
  .join('|');

/** Zone abbreviations with a fixed offset in minutes. Ambiguous ones (CST, IST in some places) are left out on purpose. */
const ZONES: Record<string, number> = {
  UTC: 0, GMT: 0, Z: 0, UT: 0, WET: 0, 'ت ع م': 0, 'ت.ع.م': 0, 'ت ع م.': 0, УТЦ: 0, MGA: 0, TU: 0, TUC: 0,
  CET: 60, MEZ: 60, HNEC: 60, WEST: 60, BST: 60, WAT: 60, CEST: 120, MESZ: 120, HAEC: 120,
  EET: 120, CAT: 120, SAST: 120, EEST: 180, MSK: 180, EAT: 180, IST: 330, PKT: 300,
  WIB: 420, ICT: 420, HKT: 480, SGT: 480, AWST: 480, JST: 540, KST: 540, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
  EST: -300, EDT: -240, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480,
  HST: -600, BRT: -180, ART: -180,
};

/** Offset in minutes for a zone label in a signature, or null when it is not a zone we can place. */
function zoneOffset(label: string): number | null {
  const z = label.trim();
  const named = ZONES[z] ?? ZONES[z.toUpperCase()];
  if (named !== undefined) return named;
  const m = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(z);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (minutes > 14 * 60) return null;
  return m[1] === '-' ? -minutes : minutes;
}

/** A zone label is plausible when known, numeric, or a short all-capitals word in any script ("UTC", "УТЦ"). */
function plausibleZone(label: string): boolean {
  return zoneOffset(label) !== null || /^\p{Lu}{2,6}$/u.test(label.trim());
}

const SP = '[ \\t]';
const TIME = `(?<H>\\d{1,2})(?::|h|\\.)(?<i>\\d{2})(?:[:.](?<s>\\d{2}))?(?:${SP}?min)?`;
const DAY = `(?<j>\\d{1,2})(?:\\.|er|º|ª|ی)?`;
const MON = `(?<M>${MONTH_PATTERN})\\.?(?![\\p{L}\\p{M}])`;
const YEAR = `(?<Y>\\d{4})\\.?`;
const DE = `(?:${SP}+(?:de|del))?`;
const ZONE = `${SP}*\\((?<tz>[^()\\n]{1,12})\\)`;

/** The date shapes, each without its zone; the zone group is appended (required or optional). */
const SHAPES: readonly string[] = [
  // time first: en, de, es, it, ru, pl, ar, pt ("07h41min de 29 de maio de 2024")
  `(?<![\\d:.])${TIME}(?:${SP}*[,،]|${SP}+de)?${SP}+${DAY}${DE}${SP}+${MON}${DE}${SP}+${YEAR}`,
  // date first: fr ("29 mai 2024 à 07:41"), nl, sv ("kl. 07.41")
  `(?<![\\d.])${DAY}${DE}${SP}+${MON}${DE}${SP}+${YEAR}(?:${SP}*,|${SP}+(?:à|a las|a la|às|um|kl\\.?|at|alle|om|o|в))?${SP}+${TIME}`,
  // old enwiki: "18:45 Mar 10, 2003"
  `(?<![\\d:.])${TIME},?${SP}+${MON}${SP}+${DAY},?${SP}+${YEAR}`,
  // ja / zh / ko: "2024年5月29日 (水) 07:41"
  `(?<!\\d)(?<Y>\\d{4})${SP}*[年년]${SP}*(?<n>\\d{1,2})${SP}*[月월]${SP}*(?<j>\\d{1,2})${SP}*[日일](?:${SP}*[(（][^()（）\\d\\n]{1,4}[)）])?${SP}*${TIME}`,
  // old enwiki: "01:54:53, 2005-09-08"
  `(?<![\\d:.])${TIME},?${SP}+(?<Y>\\d{4})-(?<n>\\d{1,2})-(?<j>\\d{1,2})(?!\\d)`,
  // ISO: "2024-05-29T07:41:00"
  `(?<!\\d)(?<Y>\\d{4})-(?<n>\\d{2})-(?<j>\\d{2})(?:T|${SP}+|,${SP}*)${TIME}`,
];

const WITH_ZONE = SHAPES.map((s) => new RegExp(`${s}${ZONE}`, 'giu'));
const ZONE_OPTIONAL = SHAPES.map((s) => new RegExp(`${s}(?:${ZONE})?`, 'iu'));

export interface WikiTimestamp {
  /** Offsets into the searched string. */
  start: number;
  end: number;
  /** `…Z` when the zone was placed; wall-clock without offset otherwise. */
  at: string;
  /** The zone label when it could not be converted to UTC (so the caller can warn once). */
  unknownZone?: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function toTimestamp(groups: Record<string, string | undefined>, tz: string | undefined): Omit<WikiTimestamp, 'start' | 'end'> | null {
  let year = Number(groups.Y);
  // Thai wikis write the Buddhist-era year (xkY): 2567 BE = 2024 CE.
  if (year >= 2500 && year <= 2700) year -= 543;
  const month = groups.M !== undefined ? monthNumber(groups.M) : Number(groups.n);
  const day = Number(groups.j);
  const hour = Number(groups.H);
  const minute = Number(groups.i);
  const second = Number(groups.s ?? 0);
  if (!month || year < 1990 || year > 2100 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const d = new Date(utc);
  if (d.getUTCDate() !== day || d.getUTCMonth() !== month - 1) return null;
  const offset = tz === undefined ? null : zoneOffset(tz);
  if (offset === null) {
    const local = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
    return tz === undefined ? { at: local } : { at: local, unknownZone: tz.trim() };
  }
  return { at: new Date(utc - offset * 60_000).toISOString().replace('.000Z', 'Z') };
}

/**
 * Every signature timestamp in a line (zone in brackets required), left to right, not overlapping.
 * `findWikiTimestamps("x 07:41, 29 May 2024 (UTC)")` → `[{ start: 2, end: 26, at: "2024-05-29T07:41:00Z" }]`.
 * Expects bidi marks already removed and Arabic-Indic digits already mapped to ASCII.
 */
export function findWikiTimestamps(line: string): WikiTimestamp[] {
  if (!line.includes(')')) return [];
  const found: WikiTimestamp[] = [];
  for (const re of WITH_ZONE) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m !== null; m = re.exec(line)) {
      const groups = m.groups ?? {};
      if (groups.tz === undefined || !plausibleZone(groups.tz)) continue;
      const ts = toTimestamp(groups, groups.tz);
      if (ts) found.push({ start: m.index, end: m.index + m[0].length, ...ts });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: WikiTimestamp[] = [];
  for (const ts of found) {
    const last = kept[kept.length - 1];
    if (!last || ts.start >= last.end) kept.push(ts);
  }
  return kept;
}

/**
 * A timestamp anywhere in a short string, zone optional (template parameters such as `{{unsigned|X|date}}`).
 * `parseWikiTimestamp("07:41, 29 May 2024")` → `{ at: "2024-05-29T07:41:00" }`; none → null.
 */
export function parseWikiTimestamp(s: string): { at: string; unknownZone?: string } | null {
  for (const re of ZONE_OPTIONAL) {
    const m = re.exec(s);
    if (!m) continue;
    const groups = m.groups ?? {};
    const tz = groups.tz !== undefined && plausibleZone(groups.tz) ? groups.tz : undefined;
    const ts = toTimestamp(groups, tz);
    if (ts) return ts;
  }
  return null;
}
