/** Dashboard counters as stored, and as a recount straight from the items and their tags: the two must agree. */
import type { TestEnv } from '../helpers';

/** Interview notes whose headings name themes: items tagged by a human from the start, for counter tests. */
export const NOTES = `# Context: 1:1 individual interviews
## Interview with Nadia Rahman
### Community Health
- Harassment on talk pages keeps new women editors away.
- Friendly-space policies need enforcement.
### Partnerships
- Universities could host editathons.
## Interview with Jun Watanabe
- Mobile editing is too hard on cheap phones.
`;

/** Recomputes theme_counts rows for one consultation straight from items and tags. */
export async function recomputed(t: TestEnv, slug: string) {
  const rs = await t.client.execute({
    sql: `with c as (select id from consultations where slug = ?),
          human as (select distinct item_id from item_themes where source = 'human'),
          eff as (
            select i.*, x.theme_key as k from items i join item_themes x on x.item_id = i.id
            where i.consultation_id = (select id from c) and i.status = 'tagged' and x.theme_key != ''
              and (x.source = 'human' or i.id not in (select item_id from human))
          ),
          buckets as (
            select id, context, channel, language, at, participant, '*' as theme from items where consultation_id = (select id from c)
            union all select id, context, channel, language, at, participant, '#' || status from items
              where consultation_id = (select id from c) and status != 'tagged'
            union all select id, context, channel, language, at, participant, k from eff
          )
          select theme, 'all' as dim, '' as value, count(*) as n from buckets group by theme
          union all select theme, 'context', coalesce(context, ''), count(*) from buckets group by 1, 3
          union all select theme, 'channel', channel, count(*) from buckets group by 1, 3
          union all select theme, 'language', coalesce(language, ''), count(*) from buckets group by 1, 3
          union all select theme, 'participants', '', count(distinct participant) from buckets where participant is not null group by 1
          union all select theme, 'agreement', kind, count(*) from (
            select x.theme_key as theme, iif(max(x.source = 'human') and max(x.source <> 'human'), 'agreed', iif(max(x.source = 'human'), 'human-only', 'machine-only')) as kind
            from item_themes x join items i on i.id = x.item_id
            where i.consultation_id = (select id from c) and x.theme_key <> ''
              and exists (select 1 from item_themes h where h.item_id = x.item_id and h.source = 'human')
              and exists (select 1 from item_themes m where m.item_id = x.item_id and m.source <> 'human')
            group by x.item_id, x.theme_key
          ) group by 1, 3
          order by 1, 2, 3`,
    args: [slug],
  });
  return rs.rows.map((r) => `${r.theme}|${r.dim}|${r.value}|${r.n}`);
}

/** The stored theme_counts rows (days and zeroes left out), in the shape `recomputed` gives. */
export async function counters(t: TestEnv, slug: string) {
  const rs = await t.client.execute({
    sql: `select theme, dim, value, items from theme_counts
          where consultation_id = (select id from consultations where slug = ?) and dim != 'day' and items != 0 order by 1, 2, 3`,
    args: [slug],
  });
  return rs.rows.map((r) => `${r.theme}|${r.dim}|${r.value}|${r.items}`);
}
