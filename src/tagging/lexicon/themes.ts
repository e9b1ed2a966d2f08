/**
 * Each preset theme as a weighted mix of lexicon concepts. A weight below 1 marks a concept the theme
 * shares with others (fairness belongs to both resource allocation and governance).
 */
import type { ConceptKey } from './types';

export type ConceptMix = Partial<Record<ConceptKey, number>>;

export const THEME_CONCEPTS: Record<string, ConceptMix> = {
  // wm2030-working-groups
  advocacy: { policy: 1, awareness: 0.9 },
  'capacity-building': { training: 1, leadership: 0.8, 'org-capacity': 1, knowledge: 0.3 },
  'community-health': { safety: 1, newcomers: 0.9 },
  diversity: { diversity: 1, 'language-access': 0.8, equity: 0.3 },
  partnerships: { partners: 1 },
  'product-technology': { technology: 1, ux: 0.9, innovation: 0.4 },
  'resource-allocation': { grants: 1, equity: 0.3 },
  'revenue-streams': { revenue: 1, sustainability: 0.5 },
  'roles-responsibilities': { governance: 1, coordination: 0.5, equity: 0.3 },
  // wm2030-recommendations
  sustainability: { revenue: 1, sustainability: 1, awareness: 0.6, policy: 0.5 },
  'user-experience': { ux: 1, technology: 0.7, 'language-access': 0.3 },
  'safety-inclusion': { safety: 1, newcomers: 0.6, diversity: 0.6 },
  'equity-decision-making': { equity: 1, governance: 0.8, grants: 0.6 },
  'coordinate-stakeholders': { coordination: 1, partners: 0.7, governance: 0.3 },
  'skills-leadership': { training: 1, leadership: 1, 'org-capacity': 0.6 },
  'internal-knowledge': { knowledge: 1, evaluation: 0.3 },
  'topics-for-impact': { topics: 1, diversity: 0.3 },
  'innovate-free-knowledge': { innovation: 1, technology: 0.4, 'language-access': 0.3 },
  'evaluate-iterate-adapt': { evaluation: 1 },
};
