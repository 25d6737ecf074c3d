-- Each key result keeps the number of its check-ins, which every list, App
-- Home and digest shows: counting them per key result read every check-in
-- (250,000 for a workspace of 5,000 key results). A trigger keeps it on
-- every insert; check-ins are only ever added, or deleted with their key
-- result.
ALTER TABLE key_results ADD COLUMN check_in_count INTEGER NOT NULL DEFAULT 0;
UPDATE key_results SET check_in_count = (SELECT COUNT(*) FROM check_ins c
	WHERE c.team_id = key_results.team_id AND c.key_result_id = key_results.id);
CREATE TRIGGER check_ins_count AFTER INSERT ON check_ins
BEGIN
	UPDATE key_results SET check_in_count = check_in_count + 1 WHERE id = NEW.key_result_id;
END;
