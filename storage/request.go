package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/goalbot/goalbot"
)

// requestTTL is how long a request key is remembered. Slack repeats a
// delivery within minutes; a modal stays open for hours at most.
const requestTTL = 7 * 24 * time.Hour

// claimRequest records request key of team inside tx, or returns
// goalbot.ErrRepeated when it is already recorded. An empty key claims
// nothing. Keys older than requestTTL are forgotten on the way, in batches.
func claimRequest(ctx context.Context, tx *writeTx, team, key string) error {
	if key == "" {
		return nil
	}
	// A key older than requestTTL counts as forgotten, pruned or not.
	res, err := tx.ExecContext(ctx, `INSERT INTO requests (team_id, key, created_at) VALUES (?, ?, ?)
		ON CONFLICT (team_id, key) DO UPDATE SET created_at = excluded.created_at WHERE requests.created_at < ?`,
		team, key, tx.now.Unix(), tx.now.Add(-requestTTL).Unix())
	if err != nil {
		return fmt.Errorf("record request: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("record request: %w", err)
	} else if n == 0 {
		return goalbot.ErrRepeated
	}
	// Forgetting old keys takes a statement: once in every 64 requests.
	if id, err := res.LastInsertId(); err == nil && id%64 == 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM requests WHERE created_at < ?`, tx.now.Add(-requestTTL).Unix()); err != nil {
			return fmt.Errorf("forget old requests: %w", err)
		}
	}
	return nil
}
