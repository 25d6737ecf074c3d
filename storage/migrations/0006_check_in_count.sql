-- Each key result keeps the number of its check-ins, which every list, App
-- Home and digest shows: counting them per key result read every check-in
-- (250,000 for a workspace of 5,000 key results). RecordCheckIn keeps it;
-- check-ins are only ever added, or deleted with their key result.
ALTER TABLE key_results ADD COLUMN check_in_count INTEGER NOT NULL DEFAULT 0;
UPDATE key_results SET check_in_count = (SELECT COUNT(*) FROM check_ins c
	WHERE c.team_id = key_results.team_id AND c.key_result_id = key_results.id);
