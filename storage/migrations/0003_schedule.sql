-- Scheduling: recurring jobs with their next occurrence, and the delivery
-- ledger that makes every scheduled message go out once.
CREATE TABLE jobs (
	id           INTEGER PRIMARY KEY,
	team_id      TEXT    NOT NULL,
	kind         TEXT    NOT NULL, -- digest | checkin | deadlines
	target       TEXT    NOT NULL, -- channel ID (digest) or user ID
	spec         TEXT    NOT NULL, -- weekly schedule, e.g. CRON_TZ=Europe/Warsaw 0 16 * * 5
	next_at      INTEGER NOT NULL, -- next occurrence not yet handled, unix seconds UTC
	enabled      INTEGER NOT NULL DEFAULT 1,
	paused_until TEXT    NOT NULL DEFAULT '', -- calendar date
	updated_at   INTEGER NOT NULL,
	UNIQUE (team_id, kind, target)
);
CREATE INDEX jobs_due ON jobs (enabled, next_at);

CREATE TABLE deliveries (
	id         INTEGER PRIMARY KEY,
	team_id    TEXT    NOT NULL,
	key        TEXT    NOT NULL, -- kind|target|subject|local occurrence
	kind       TEXT    NOT NULL,
	channel    TEXT    NOT NULL DEFAULT '',
	user_id    TEXT    NOT NULL DEFAULT '',
	due_at     INTEGER NOT NULL,
	payload    BLOB    NOT NULL,
	state      TEXT    NOT NULL, -- claimed | sending | sent | failed | skipped | expired
	lease_until INTEGER NOT NULL DEFAULT 0, -- while sending: until when it is taken
	attempts   INTEGER NOT NULL DEFAULT 0,
	ts         TEXT    NOT NULL DEFAULT '',
	error      TEXT    NOT NULL DEFAULT '',
	claimed_at INTEGER NOT NULL,
	sent_at    INTEGER,
	UNIQUE (team_id, key)
);
CREATE INDEX deliveries_pending ON deliveries (state, due_at);
CREATE INDEX deliveries_target ON deliveries (team_id, kind, channel, user_id, due_at);

-- Check-ins per person this week, for the digest.
CREATE INDEX check_ins_created ON check_ins (team_id, created_at);
