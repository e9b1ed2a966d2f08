/** The links every consultation page shows under its title. */
import { type Lang, t } from '../i18n';
import type { NavLink } from './layout';

export type ConsultationTab = 'dashboard' | 'items' | 'upload' | 'theme';

export function consultationNav(lang: Lang, slug: string, current: ConsultationTab, canWrite: boolean): NavLink[] {
  const base = `/c/${encodeURIComponent(slug)}`;
  const links: NavLink[] = [
    { href: base, label: t(lang, 'c.dashboard'), current: current === 'dashboard' },
    { href: `${base}/items`, label: t(lang, 'c.items'), current: current === 'items' },
  ];
  if (canWrite) links.push({ href: `${base}/upload`, label: t(lang, 'c.upload'), current: current === 'upload' });
  return links;
}

/** A theme's label in the page language when the preset has one. */
export function themeLabel(theme: { label: string; labels?: Record<string, string> }, lang: Lang): string {
  return theme.labels?.[lang] ?? theme.label;
}
