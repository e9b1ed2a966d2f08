-- Distinct participants per theme as a counter row (dim 'participants'), kept by triggers so every writer of
-- theme_participants maintains it; reading 248k rows per dashboard view is what this replaces.
-- One statement per trigger body, iif not CASE, END in capitals: D1's statement splitter needs it.
CREATE TRIGGER theme_participants_count_insert AFTER INSERT ON theme_participants WHEN new.items > 0 BEGIN
  INSERT INTO theme_counts (consultation_id, theme, dim, value, items) VALUES (new.consultation_id, new.theme, 'participants', '', 1)
    ON CONFLICT (consultation_id, theme, dim, value) DO UPDATE SET items = items + 1;
END;
--> statement-breakpoint
CREATE TRIGGER theme_participants_count_update AFTER UPDATE OF items ON theme_participants WHEN (old.items > 0) <> (new.items > 0) BEGIN
  INSERT INTO theme_counts (consultation_id, theme, dim, value, items) VALUES (new.consultation_id, new.theme, 'participants', '', iif(new.items > 0, 1, -1))
    ON CONFLICT (consultation_id, theme, dim, value) DO UPDATE SET items = items + excluded.items;
END;
--> statement-breakpoint
CREATE TRIGGER theme_participants_count_delete AFTER DELETE ON theme_participants WHEN old.items > 0 BEGIN
  UPDATE theme_counts SET items = items - 1 WHERE consultation_id = old.consultation_id AND theme = old.theme AND dim = 'participants' AND value = '';
END;
--> statement-breakpoint
INSERT INTO theme_counts (consultation_id, theme, dim, value, items)
  SELECT consultation_id, theme, 'participants', '', count(*) FROM theme_participants WHERE items > 0 GROUP BY consultation_id, theme;
--> statement-breakpoint
-- Machine-human agreement per theme (dim 'agreement': agreed / machine-only / human-only) over items that
-- carry both a reviewer's and the machine's tags; from now on kept by the store when a reviewer retags.
INSERT INTO theme_counts (consultation_id, theme, dim, value, items)
  SELECT consultation_id, theme_key, 'agreement', kind, count(*) FROM (
    SELECT i.consultation_id AS consultation_id, x.theme_key AS theme_key,
      iif(max(x.source = 'human') AND max(x.source <> 'human'), 'agreed', iif(max(x.source = 'human'), 'human-only', 'machine-only')) AS kind
    FROM item_themes x JOIN items i ON i.id = x.item_id
    WHERE x.theme_key <> ''
      AND EXISTS (SELECT 1 FROM item_themes h WHERE h.item_id = x.item_id AND h.source = 'human')
      AND EXISTS (SELECT 1 FROM item_themes m WHERE m.item_id = x.item_id AND m.source <> 'human')
    GROUP BY x.item_id, x.theme_key
  ) GROUP BY consultation_id, theme_key, kind;
