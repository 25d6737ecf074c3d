-- Requests that must take effect once: a modal submission Slack delivers
-- twice records one check-in, creates one objective. The key is the
-- request's identity (the submitted view's ID); a repeat finds it here.
CREATE TABLE requests (
	team_id    TEXT    NOT NULL,
	key        TEXT    NOT NULL,
	created_at INTEGER NOT NULL, -- unix seconds, UTC
	PRIMARY KEY (team_id, key)
);
CREATE INDEX requests_age ON requests (created_at);
