/** Every curated language lexicon; the offline tagger applies all of them to every text (feedback mixes languages). */
import { AR } from './ar';
import { BN } from './bn';
import { DE } from './de';
import { EN } from './en';
import { ES } from './es';
import { FR } from './fr';
import { JA } from './ja';
import { PT } from './pt';
import type { LanguageLexicon } from './types';

export const LEXICONS: readonly LanguageLexicon[] = [EN, FR, ES, PT, DE, AR, JA, BN];
