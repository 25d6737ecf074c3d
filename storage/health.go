package storage

import (
	"context"
	"fmt"
)

// CheckWritable proves the database takes a committed write: it rewrites
// the one row of the health table in a write transaction.
func (db *DB) CheckWritable(ctx context.Context) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO health (id, checked_at) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`, tx.now.Unix()); err != nil {
		return fmt.Errorf("health write: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("health commit: %w", err)
	}
	return nil
}
