-- Workspaces hold the per-workspace objective counter, so numbers are never
-- reused after a delete.
CREATE TABLE workspaces (
	team_id        TEXT PRIMARY KEY,
	last_objective INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE objectives (
	id         INTEGER PRIMARY KEY,
	team_id    TEXT    NOT NULL REFERENCES workspaces (team_id),
	number     INTEGER NOT NULL,
	title      TEXT    NOT NULL,
	owner_id   TEXT    NOT NULL,
	channel_id TEXT    NOT NULL DEFAULT '',
	framework  TEXT    NOT NULL CHECK (framework IN ('okr', 'smart')),
	goal_type  TEXT    NOT NULL DEFAULT '',
	start_date TEXT    NOT NULL, -- calendar date YYYY-MM-DD
	due_date   TEXT    NOT NULL, -- calendar date YYYY-MM-DD
	state      TEXT    NOT NULL DEFAULT 'active',
	last_kr    INTEGER NOT NULL DEFAULT 0,
	created_by TEXT    NOT NULL,
	created_at INTEGER NOT NULL, -- unix seconds, UTC
	updated_at INTEGER NOT NULL, -- unix seconds, UTC
	UNIQUE (team_id, number)
);
CREATE INDEX objectives_owner ON objectives (team_id, owner_id);
CREATE INDEX objectives_channel ON objectives (team_id, channel_id);

CREATE TABLE key_results (
	id           INTEGER PRIMARY KEY,
	team_id      TEXT    NOT NULL,
	objective_id INTEGER NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
	number       INTEGER NOT NULL,
	title        TEXT    NOT NULL,
	kind         TEXT    NOT NULL DEFAULT 'number',
	start_value  REAL, -- NULL while the baseline is pending
	target_value REAL    NOT NULL,
	unit         TEXT    NOT NULL DEFAULT '',
	weight       REAL    NOT NULL DEFAULT 1 CHECK (weight > 0),
	owner_id     TEXT    NOT NULL,
	due_date     TEXT    NOT NULL DEFAULT '', -- '' means the objective's
	created_by   TEXT    NOT NULL,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	UNIQUE (objective_id, number)
);
CREATE INDEX key_results_owner ON key_results (team_id, owner_id);

-- Check-ins are append-only. The current value of a key result is the value
-- of its check-in with the latest as_of date (ties: the later id).
CREATE TABLE check_ins (
	id            INTEGER PRIMARY KEY,
	team_id       TEXT    NOT NULL,
	key_result_id INTEGER NOT NULL REFERENCES key_results (id) ON DELETE CASCADE,
	value         REAL    NOT NULL,
	confidence    INTEGER CHECK (confidence BETWEEN 0 AND 10), -- NULL: not given
	note          TEXT    NOT NULL DEFAULT '',
	as_of         TEXT    NOT NULL, -- calendar date YYYY-MM-DD
	user_id       TEXT    NOT NULL,
	created_at    INTEGER NOT NULL
);
CREATE INDEX check_ins_latest ON check_ins (team_id, key_result_id, as_of DESC, id DESC);
