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
// nothing. Keys older than requestTTL are forgotten on the way.
func claimRequest(ctx context.Context, tx *writeTx, team, key string) error {
	if key == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM requests WHERE created_at < ?`, tx.now.Add(-requestTTL).Unix()); err != nil {
		return fmt.Errorf("forget old requests: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO requests (team_id, key, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		team, key, tx.now.Unix())
	if err != nil {
		return fmt.Errorf("record request: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("record request: %w", err)
	} else if n == 0 {
		return goalbot.ErrRepeated
	}
	return nil
}
