package storage

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/goalbot/goalbot"
)

// recordChanges appends changes to the change log, stamped with their At.
func recordChanges(ctx context.Context, tx *writeTx, changes []goalbot.Change) error {
	for _, c := range changes {
		if c.At.IsZero() {
			c.At = tx.now
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO changes
			(team_id, objective, key_result, user_id, at, field, old_value, new_value)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			c.TeamID, c.Objective, c.KR, c.UserID, c.At.Unix(), c.Field, c.Old, c.New); err != nil {
			return fmt.Errorf("record change of %s: %w", c.Field, err)
		}
	}
	return nil
}

// ListChanges returns the recorded changes of objective number of team,
// newest first: all of them (its key results' included) when kr is 0, else
// those of key result kr. At most limit are returned (all when limit <= 0).
// The log outlives deletions, so it does not check that the objective exists.
func (db *DB) ListChanges(ctx context.Context, team string, objective, kr, limit int) ([]goalbot.Change, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if limit <= 0 {
		limit = -1
	}
	rows, err := tx.QueryContext(ctx, `SELECT key_result, user_id, at, field, old_value, new_value
		FROM changes WHERE team_id = ? AND objective = ? AND (? = 0 OR key_result = ?)
		ORDER BY id DESC LIMIT ?`, team, objective, kr, kr, limit)
	if err != nil {
		return nil, fmt.Errorf("query changes of %d: %w", objective, err)
	}
	defer rows.Close()
	var list []goalbot.Change
	for rows.Next() {
		c := goalbot.Change{TeamID: team, Objective: objective}
		var at int64
		if err := rows.Scan(&c.KR, &c.UserID, &at, &c.Field, &c.Old, &c.New); err != nil {
			return nil, fmt.Errorf("scan change: %w", err)
		}
		c.At = time.Unix(at, 0).UTC()
		list = append(list, c)
	}
	return list, rows.Err()
}

// formatFloat writes a number for the change log: as short as exact.
func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
