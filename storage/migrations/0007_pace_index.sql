-- Pace is computed from the latest as-of dates and values of each key
-- result (show, reminders). With the value in the index those reads are
-- answered from the index alone; before, each of up to 60 check-ins per key
-- result was looked up in the table (a quarter of the CPU of the load
-- test). The index still serves every other read of the latest check-ins.
DROP INDEX check_ins_latest;
CREATE INDEX check_ins_latest ON check_ins (team_id, key_result_id, as_of DESC, id DESC, value);
