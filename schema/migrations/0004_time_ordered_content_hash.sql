-- Content hashes lead with the item's minute (YYYYMMDDHHMM, from `at`), so a chat export's items, which come in
-- time order, go into the (consultation_id, content_hash) index at its end instead of at random places: an
-- upload's index writes stay in a few pages. Existing hashes get the same prefix the ingest code now writes
-- (src/services/ingest.ts timeKey: the first 16 characters of `at` without '-', 'T' and ':'), so later
-- uploads still find the items they duplicate.
UPDATE items SET content_hash = replace(replace(replace(substr(at, 1, 16), '-', ''), 'T', ''), ':', '') || content_hash WHERE at IS NOT NULL;
