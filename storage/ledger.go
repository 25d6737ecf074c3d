package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/goalbot/goalbot"
)

// PendingDeliveries returns the deliveries that are claimed or failed and
// not yet sent, of every workspace, at most limit: fewest attempts first, so
// messages that keep failing do not hold up new ones, then oldest first. After a
// crash between claim and send they are found here and sent again: the
// delivery guarantee is at least once.
// Deliveries being sent by a dispatcher whose lease ran out (it crashed)
// are pending again. team "" means every workspace.
func (db *DB) PendingDeliveries(ctx context.Context, team string, now time.Time, limit int) ([]goalbot.Delivery, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT team_id, key, kind, channel, user_id, due_at, payload, state, attempts, error
		FROM deliveries
		WHERE (state IN ('claimed', 'failed') OR state = 'sending' AND lease_until < ?) AND (? = '' OR team_id = ?)
		ORDER BY attempts, due_at, id LIMIT ?`, now.Unix(), team, team, limit)
	if err != nil {
		return nil, fmt.Errorf("query pending deliveries: %w", err)
	}
	defer rows.Close()
	var list []goalbot.Delivery
	for rows.Next() {
		var (
			d   goalbot.Delivery
			due int64
		)
		if err := rows.Scan(&d.TeamID, &d.Key, &d.Kind, &d.Channel, &d.User, &due, &d.Payload, &d.State, &d.Attempts, &d.Error); err != nil {
			return nil, fmt.Errorf("scan delivery: %w", err)
		}
		d.DueAt = time.Unix(due, 0).UTC()
		list = append(list, d)
	}
	return list, rows.Err()
}

// TakeDeliveries leases the given deliveries for sending until the given
// time, in one transaction, and returns those it took: not those sent
// meanwhile, nor those another dispatcher holds under a lease that still
// runs.
func (db *DB) TakeDeliveries(ctx context.Context, ds []goalbot.Delivery, until time.Time) ([]goalbot.Delivery, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var taken []goalbot.Delivery
	for _, d := range ds {
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'sending', lease_until = ?
			WHERE team_id = ? AND key = ? AND (state IN ('claimed', 'failed') OR state = 'sending' AND lease_until < ?)`,
			until.Unix(), d.TeamID, d.Key, tx.now.Unix())
		if err != nil {
			return nil, fmt.Errorf("take %s: %w", d.Key, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, fmt.Errorf("take %s: %w", d.Key, err)
		} else if n == 1 {
			taken = append(taken, d)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("take deliveries: %w", err)
	}
	return taken, nil
}

// MarkExpired gives up delivery key of team, recording why.
func (db *DB) MarkExpired(ctx context.Context, team, key, reason string) error {
	return db.exec(ctx, "mark "+key+" expired", `UPDATE deliveries SET state = 'expired', error = ?
		WHERE team_id = ? AND key = ? AND state != 'sent'`, reason, team, key)
}

// MarkSent records that delivery key of team went out as Slack message ts.
func (db *DB) MarkSent(ctx context.Context, team, key, ts string) error {
	return db.exec(ctx, "mark "+key+" sent", `UPDATE deliveries SET state = 'sent', ts = ?, error = '', attempts = attempts + 1, sent_at = ?
		WHERE team_id = ? AND key = ?`, ts, db.clock.Now().Unix(), team, key)
}

// MarkFailed records a failed attempt to send delivery key of team; it is
// tried again on the next tick.
func (db *DB) MarkFailed(ctx context.Context, team, key, reason string) error {
	return db.exec(ctx, "mark "+key+" failed", `UPDATE deliveries SET state = 'failed', error = ?, attempts = attempts + 1
		WHERE team_id = ? AND key = ? AND state != 'sent'`, reason, team, key)
}

// FindDelivery returns delivery key of team, or ENOTFOUND.
func (db *DB) FindDelivery(ctx context.Context, team, key string) (*goalbot.Delivery, error) {
	var (
		d   = goalbot.Delivery{TeamID: team, Key: key}
		due int64
	)
	err := db.read.QueryRowContext(ctx, `SELECT kind, channel, user_id, due_at, payload, state, attempts, ts, error
		FROM deliveries WHERE team_id = ? AND key = ?`, team, key).
		Scan(&d.Kind, &d.Channel, &d.User, &due, &d.Payload, &d.State, &d.Attempts, &d.TS, &d.Error)
	if errNoRows(err) {
		return nil, goalbot.Errorf(goalbot.ENOTFOUND, "No delivery %s.", key)
	} else if err != nil {
		return nil, fmt.Errorf("find delivery %s: %w", key, err)
	}
	d.DueAt = time.Unix(due, 0).UTC()
	return &d, nil
}

// LastSent returns when the latest sent delivery of kind to channel (or
// user) of team was due, before t; ok is false when there is none.
func (db *DB) LastSent(ctx context.Context, team string, kind goalbot.JobKind, channel, user string, before time.Time) (time.Time, bool, error) {
	var due sql.NullInt64
	if err := db.read.QueryRowContext(ctx, `SELECT MAX(due_at) FROM deliveries
		WHERE team_id = ? AND kind = ? AND channel = ? AND user_id = ? AND state = 'sent' AND due_at < ?`,
		team, string(kind), channel, user, before.Unix()).Scan(&due); err != nil {
		return time.Time{}, false, fmt.Errorf("last %s of %s%s: %w", kind, channel, user, err)
	}
	return time.Unix(due.Int64, 0).UTC(), due.Valid, nil
}

// exec runs one statement on the write connection in its own transaction.
func (db *DB) exec(ctx context.Context, what, query string, args ...any) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
