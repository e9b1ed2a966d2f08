import type { LanguageLexicon } from './types';

/** German concept vocabulary, light: umlauts fold to plain vowels (Förderung → forderung). */
export const DE: LanguageLexicon = {
  language: 'de',
  concepts: {
    policy: [
      'lobby*', ['politik', 0.5], 'gesetz*', 'urheberrecht*', 'gemeinfrei*', 'panoramafreiheit', 'zensur*',
      ['regierung*', 0.6], 'regulier*', 'interessenvertretung', ['politiker*', 0.7],
    ],
    awareness: ['kampagne*', 'offentlichkeitsarbeit', 'bekanntheit*', ['image', 0.4], 'sichtbarkeit'],
    training: [
      'schulung*', 'fortbildung*', 'weiterbildung*', 'workshop*', ['kompetenz*', 0.6], ['lernen', 0.5],
      ['mentor*', 0.7], ['kurse', 0.6], 'tutorial*',
    ],
    leadership: [['fuhrung*', 0.8], ['nachwuchs*', 0.6], ['ehrenamtliche koordinat*', 0.6]],
    'org-capacity': [['hauptamt*', 0.7], ['geschaftsstelle', 0.6], ['professionalisier*', 1]],
    safety: [
      'belastig*', 'toxisch*', 'missbrauch*', 'verhaltenskodex', ['sicherheit', 0.8], 'bedroh*', 'beleidig*',
      ['konflikt*', 0.7], 'burnout', 'erschopf*', 'wohlbefinden', ['psychisch*', 0.5], 'umgangston', 'anfeindung*',
      ['angriff*', 0.7],
    ],
    newcomers: ['neuling*', 'neue autor*', 'einsteiger*', 'anfanger*', 'neuautor*', ['revert*', 0.6], ['gesichtet*', 0.4]],
    diversity: [
      'vielfalt', 'diversitat', ['geschlecht*', 0.6], 'frauen', ['frau', 0.6], 'unterreprasent*',
      'marginalisier*', 'minderheit*', 'indigen*', 'globaler suden', 'globalen suden', 'behinder*',
      ['barrierefrei*', 0.5], ['inklusi*', 0.8],
    ],
    'language-access': [['sprachen', 0.4], ['sprache', 0.4], 'minderheitensprache*', 'muttersprache*', 'regionalsprache*', ['dialekt*', 0.7]],
    partners: [
      'partnerschaft*', 'museum', 'museen', 'bibliothek*', ['archiv*', 0.6], ['universitat*', 0.8], ['hochschul*', 0.8],
      ['schule', 0.6], ['schulen', 0.6], ['institution*', 0.7], ['kooperation*', 0.6], ['zusammenarbeit', 0.5],
      'bildungseinrichtung*',
    ],
    technology: [
      ['werkzeug*', 0.8], ['anwendung*', 0.5], ['handy*', 0.6], ['mobil*', 0.7], ['technik', 0.6], ['technisch*', 0.6],
      'entwickler*', 'schnittstelle*', 'kunstliche intelligenz', 'maschinelle ubersetzung', ['fehler*', 0.4],
    ],
    ux: ['benutzerfreundlich*', 'nutzerfreundlich*', ['bedienung*', 0.6], 'benutzeroberflache*', ['kompliziert*', 0.6], ['umstandlich*', 0.6]],
    innovation: [['experimentier*', 0.7]],
    grants: [
      ['forderung*', 0.8], ['fordermittel*', 1], 'zuschuss*', 'zuschusse', 'finanzierung*', ['mittel', 0.4], 'mittelvergabe',
      ['verteil*', 0.5], ['ressourcen', 0.6], ['geld', 0.6], 'stipendi*', ['antrag*', 0.4],
    ],
    revenue: [
      'spende*', 'spender*', 'einnahme*', ['kommerziell*', 0.7], ['verkauf*', 0.6], ['werbung', 0.8],
      'spendenbanner*', ['mitgliedsbeitr*', 0.8], ['spendenkampagne*', 1.2],
    ],
    sustainability: ['nachhaltig*', ['langfristig*', 0.5]],
    governance: [
      ['entscheidung*', 0.6], ['entscheid*', 0.5], ['vorstand*', 0.7], 'rolle*', 'verantwortung*',
      ['zustandig*', 0.6], 'charta', ['zentralisier*', 0.7], 'dezentral*', ['wahlen', 0.4], ['stiftung', 0.5],
      ['hierarchi*', 1], 'rechenschaft*', ['mitsprache', 0.8],
    ],
    equity: [['gerecht*', 0.8], 'ungerecht*', 'ungleich*', 'fairness', 'chancengleich*'],
    coordination: ['koordin*', ['vernetz*', 0.6], 'doppelarbeit'],
    evaluation: ['evaluier*', 'evaluation*', 'auswert*', 'kennzahl*', ['messen', 0.6], ['wirkung*', 0.6]],
    knowledge: [['dokumentation*', 0.8], 'wissensmanagement', ['erfahrungsaustausch', 0.7]],
    topics: [['themen', 0.4], 'inhaltslucke*', ['abdeckung', 0.5], ['relevanzkriterien', 0.6]],
  },
  offTopic: ['danke*', 'hallo', 'guten morgen', 'guten tag', 'guten abend', 'tschuss', 'bis morgen', 'gluckwunsch*', ['prima', 0.5]],
  stopwords: [
    'der', 'die', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'einen', 'einem', 'einer', 'und', 'oder', 'im', 'zu',
    'zum', 'zur', 'mit', 'von', 'fur', 'auf', 'ist', 'sind', 'es', 'wir', 'ich', 'sie', 'nicht', 'auch', 'sehr',
    'mehr', 'aber', 'wie', 'dass', 'bei', 'uns', 'unsere', 'unser', 'wird', 'werden', 'hat', 'haben', 'nur',
  ],
};
