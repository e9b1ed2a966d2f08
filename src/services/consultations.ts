/** Consultations and their theme lists. */
import { z } from 'zod';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { PRESETS } from '../taxonomy/presets';
import type { ConsultationRow, NewTheme, ThemeRow } from '../store/store';
import { type Principal, authorize, canSee } from './auth';

export const PRESET_NAMES = ['wm2030-working-groups', 'wm2030-recommendations'] as const;

export const ThemeInput = z.object({
  key: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'theme keys are lower-case letters, digits and dashes, e.g. "community-health"'),
  label: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
});
export type ThemeInput = z.infer<typeof ThemeInput>;

export const CreateConsultation = z
  .object({
    slug: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'slug: 2–63 lower-case letters, digits and dashes, e.g. "arabic-2024"'),
    title: z.string().trim().min(1).max(300),
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/, 'a code such as "en", "ar", "fr"')
      .optional(),
    taxonomy: z.enum(PRESET_NAMES).optional(),
    themes: z.array(ThemeInput).max(100).optional(),
  })
  .refine((v) => !(v.taxonomy && v.themes), { message: 'give either a taxonomy preset or custom themes, not both' })
  .refine((v) => !v.themes || new Set(v.themes.map((t) => t.key)).size === v.themes.length, {
    message: 'theme keys must be unique',
  });
export type CreateConsultation = z.infer<typeof CreateConsultation>;

export interface ThemeView {
  key: string;
  label: string;
  description: string;
  labels?: Record<string, string>;
}

export interface ConsultationView {
  id: string;
  slug: string;
  title: string;
  language: string;
  taxonomy: string;
  createdAt: string;
  themes: ThemeView[];
}

/** Creates a consultation with a preset or custom theme list; a liaison is granted what it creates. */
export async function createConsultation(ctx: AppContext, by: Principal, input: CreateConsultation): Promise<ConsultationView> {
  authorize(by, 'write');
  if (await ctx.store.findConsultation(input.slug)) {
    throw new AppError('conflict', `a consultation with slug "${input.slug}" exists already`);
  }
  const taxonomy = input.themes ? 'custom' : (input.taxonomy ?? 'wm2030-working-groups');
  const themeRows: NewTheme[] = input.themes
    ? input.themes.map((t) => ({ key: t.key, label: t.label, description: t.description ?? '', i18n: '{}' }))
    : presetThemes(taxonomy === 'wm2030-recommendations' ? 'wm2030-recommendations' : 'wm2030-working-groups', input.language ?? 'en');
  const id = crypto.randomUUID();
  const at = ctx.clock.now().toISOString();
  const saltBytes = crypto.getRandomValues(new Uint8Array(16));
  const pseudonymSalt = Array.from(saltBytes, (b) => b.toString(16).padStart(2, '0')).join('');
  await ctx.store.insertConsultation(
    { id, slug: input.slug, title: input.title, language: input.language ?? 'en', taxonomy, pseudonymSalt, createdAt: at },
    themeRows,
    by.role === 'liaison' ? { tokenId: by.tokenId, consultations: by.consultations } : null,
    { at, actor: by.tokenId, action: 'consultation.create', consultationId: id, target: input.slug },
  );
  if (by.role === 'liaison') by.consultations.push(id);
  return getConsultation(ctx, by, input.slug);
}

function presetThemes(name: (typeof PRESET_NAMES)[number], language: string): NewTheme[] {
  const lang = pickLanguage(language);
  return PRESETS[name].map((t) => ({
    key: t.key,
    label: t.label[lang],
    description: t.description[lang],
    i18n: JSON.stringify({ labels: t.label, descriptions: t.description }),
  }));
}

function pickLanguage(language: string): 'en' | 'ar' | 'fr' | 'ja' {
  const base = language.slice(0, 2);
  return base === 'ar' || base === 'fr' || base === 'ja' ? base : 'en';
}

/** Finds a consultation the principal may see, or throws not_found. */
export async function requireConsultation(ctx: AppContext, by: Principal | null, slug: string, action: 'read' | 'write' | 'admin'): Promise<ConsultationRow> {
  const principal = authorize(by, action === 'admin' ? 'admin' : action);
  const c = await ctx.store.findConsultation(slug);
  if (!c || !canSee(principal, c.id)) throw new AppError('not_found', `no consultation "${slug}"`);
  return c;
}

export async function getConsultation(ctx: AppContext, by: Principal | null, slug: string): Promise<ConsultationView> {
  const c = await requireConsultation(ctx, by, slug, 'read');
  return toView(c, await ctx.store.themesOf(c.id));
}

export async function listConsultations(ctx: AppContext, by: Principal | null): Promise<ConsultationView[]> {
  const principal = authorize(by, 'read');
  const rows = await ctx.store.listConsultations(principal.role === 'admin' ? null : principal.consultations);
  return Promise.all(rows.map(async (c) => toView(c, await ctx.store.themesOf(c.id))));
}

function toView(c: ConsultationRow, themes: ThemeRow[]): ConsultationView {
  return {
    id: c.id,
    slug: c.slug,
    title: c.title,
    language: c.language,
    taxonomy: c.taxonomy,
    createdAt: c.createdAt,
    themes: themes.map((t) => {
      const i18n = parseI18n(t.i18n);
      return { key: t.key, label: t.label, description: t.description, ...(i18n ? { labels: i18n } : {}) };
    }),
  };
}

function parseI18n(json: string): Record<string, string> | undefined {
  const parsed = z.object({ labels: z.record(z.string(), z.string()) }).safeParse(JSON.parse(json));
  return parsed.success ? parsed.data.labels : undefined;
}
