-- Goal semantics: an aim and a close score on objectives, milestones, and a
-- log of every change.
ALTER TABLE objectives ADD COLUMN aim TEXT NOT NULL DEFAULT '';
ALTER TABLE objectives ADD COLUMN score REAL; -- set when closed
ALTER TABLE objectives ADD COLUMN close_note TEXT NOT NULL DEFAULT '';
-- The as-of date of the check-in that set a pending baseline: the key
-- result's period is judged from then.
ALTER TABLE key_results ADD COLUMN baseline_date TEXT NOT NULL DEFAULT '';

CREATE TABLE milestones (
	id            INTEGER PRIMARY KEY,
	team_id       TEXT    NOT NULL,
	objective_id  INTEGER NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
	key_result_id INTEGER REFERENCES key_results (id) ON DELETE CASCADE, -- NULL: objective-level
	date          TEXT    NOT NULL, -- calendar date YYYY-MM-DD
	title         TEXT    NOT NULL,
	target        REAL, -- planned value (key result) or progress fraction (objective); NULL: none
	created_by    TEXT    NOT NULL,
	created_at    INTEGER NOT NULL
);
CREATE INDEX milestones_objective ON milestones (team_id, objective_id, date);
CREATE INDEX milestones_key_result ON milestones (key_result_id);

-- Changes name objectives and key results by number, not row id, so the
-- record of a deletion outlives the deleted rows (numbers are never reused).
CREATE TABLE changes (
	id         INTEGER PRIMARY KEY,
	team_id    TEXT    NOT NULL,
	objective  INTEGER NOT NULL,
	key_result INTEGER NOT NULL DEFAULT 0, -- 0: the objective itself
	user_id    TEXT    NOT NULL,
	at         INTEGER NOT NULL, -- unix seconds, UTC
	field      TEXT    NOT NULL,
	old_value  TEXT    NOT NULL DEFAULT '',
	new_value  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX changes_target ON changes (team_id, objective, key_result, id);

-- Deleting a key result cascades to its check-ins.
CREATE INDEX check_ins_key_result ON check_ins (key_result_id);
