-- One row that /healthz rewrites to prove the database takes writes.
CREATE TABLE health (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	checked_at INTEGER NOT NULL -- unix seconds, UTC
);
