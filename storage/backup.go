package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup copies the goalbot database at src to the new file dst while other
// processes (a running bot) keep using src: VACUUM INTO writes one
// consistent snapshot (a read transaction, so writers are not blocked for
// long), into a temporary file next to dst that is checked with PRAGMA
// integrity_check, fsynced and then renamed to dst. It never migrates or
// writes src, and refuses a dst that exists or a src that is not a goalbot
// database. It returns the size of the copy.
func Backup(ctx context.Context, src, dst string) (int64, error) {
	if _, err := os.Stat(src); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	if _, err := os.Lstat(dst); err == nil {
		return 0, fmt.Errorf("backup: %s already exists; goalbot does not overwrite a backup", dst)
	} else if !errors.Is(err, os.ErrNotExist) {
		return 0, fmt.Errorf("backup: %w", err)
	}
	// No pragmas that change the file (dsn would set WAL): a database that
	// is not goalbot's must be refused as it is.
	conn, err := sql.Open("sqlite3", fileURI(src)+"?_busy_timeout=5000")
	if err != nil {
		return 0, fmt.Errorf("backup: open %s: %w", src, err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("backup: read %s: %w", src, err)
	} else if n == 0 {
		return 0, fmt.Errorf("backup: %s is not a goalbot database", src)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), filepath.Base(dst)+".partial-*")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	os.Remove(tmpPath) // VACUUM INTO wants to create the file itself
	defer os.Remove(tmpPath)
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, tmpPath); err != nil {
		return 0, fmt.Errorf("backup: copy %s: %w", src, err)
	}
	if err := checkIntegrity(ctx, tmpPath); err != nil {
		return 0, err
	}
	// VACUUM INTO makes the file readable by all; the copy gets the
	// source's permissions (at most owner read-write: 0600 by default).
	mode := os.FileMode(0o600)
	if fi, err := os.Stat(src); err == nil {
		mode = fi.Mode().Perm() & 0o600
	}
	if err := os.Chmod(tmpPath, mode); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	f, err := os.Open(tmpPath)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	info, err := f.Stat()
	if err == nil {
		err = f.Sync()
	}
	f.Close()
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	// A link fails rather than replace a dst made meanwhile. Where links
	// are not supported, a rename does, after one more look for dst (a
	// file made in between those two steps would be replaced).
	if err := os.Link(tmpPath, dst); errors.Is(err, os.ErrExist) {
		return 0, fmt.Errorf("backup: %s already exists; goalbot does not overwrite a backup", dst)
	} else if err != nil {
		if _, err := os.Lstat(dst); err == nil {
			return 0, fmt.Errorf("backup: %s already exists; goalbot does not overwrite a backup", dst)
		}
		if err := os.Rename(tmpPath, dst); err != nil {
			return 0, fmt.Errorf("backup: %w", err)
		}
	}
	if d, err := os.Open(filepath.Dir(dst)); err == nil {
		d.Sync()
		d.Close()
	}
	return info.Size(), nil
}

// checkIntegrity runs PRAGMA integrity_check on the database file at path.
func checkIntegrity(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite3", fileURI(path)+"?mode=ro")
	if err != nil {
		return fmt.Errorf("backup: check %s: %w", path, err)
	}
	defer conn.Close()
	var result string
	if err := conn.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return fmt.Errorf("backup: check %s: %w", path, err)
	}
	if result != "ok" {
		return fmt.Errorf("backup: the copy failed its integrity check: %s", result)
	}
	return nil
}
