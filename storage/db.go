// Package storage keeps goalbot's data in SQLite (github.com/mattn/go-sqlite3):
// embedded numbered migrations, workspace-scoped queries and, later, the
// scheduler's delivery ledger. Every query is scoped by team_id.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goalbot/goalbot"
	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is goalbot's SQLite database. Writes go through a single connection
// whose transactions start with BEGIN IMMEDIATE, so writers queue instead of
// failing with SQLITE_BUSY; reads use a separate pool of connections that see
// consistent WAL snapshots. A DB is safe for concurrent use.
type DB struct {
	path  string
	write *sql.DB
	read  *sql.DB
	clock goalbot.Clock
	// checkIns carries check-ins to the goroutine that commits them in
	// groups; closing stops it.
	checkIns     chan *checkInJob
	closing      chan struct{}
	checkInsDone chan struct{}
	closeOnce    sync.Once
	// writeTurn hands out the write connection first come, first served:
	// database/sql gives a freed connection to a random waiter, which
	// under load leaves some writers waiting far longer than the rest.
	writeTurn chan struct{}
	readTurns chan struct{} // one per read connection
}

// readConns is the size of the read pool.
const readConns = 4

// Open opens (creating if needed) the database file at path and applies
// pending migrations. Instants are stored as UTC unix seconds taken from
// clock.
func Open(ctx context.Context, path string, clock goalbot.Clock) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("open database: empty path")
	}
	db := &DB{path: path, clock: clock, writeTurn: make(chan struct{}, 1), readTurns: make(chan struct{}, readConns),
		checkIns: make(chan *checkInJob), closing: make(chan struct{}), checkInsDone: make(chan struct{})}
	var err error
	if db.write, err = sql.Open("sqlite3", dsn(path, "immediate")); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.write.SetMaxOpenConns(1)
	if db.read, err = sql.Open("sqlite3", dsn(path, "deferred")); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.read.SetMaxOpenConns(readConns)
	go db.recordCheckIns()
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// dsn builds the connection string: WAL, foreign keys and a busy timeout on
// every connection, full fsync on commit (a check-in acknowledged to a user
// survives a power cut), a per-connection cache of prepared statements, and
// the given BEGIN mode.
func dsn(path, txlock string) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "5000")
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", txlock)
	// Reuse prepared statements: preparing was a fifth of the time of show.
	q.Set("_stmt_cache_size", "64")
	return fileURI(path) + "?" + q.Encode()
}

// fileURI is path as an SQLite URI: what SQLite would read as the start of
// the query or fragment, or as an escape, is escaped.
func fileURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// Close closes the database, once the check-ins being written are.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		close(db.closing)
		<-db.checkInsDone
	})
	err1 := db.read.Close()
	err2 := db.write.Close()
	if err1 != nil {
		return err1
	}
	return err2
}

// Path returns the database file path.
func (db *DB) Path() string { return db.path }

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	versions := map[int]string{}
	for _, name := range names {
		v, err := migrationVersion(name)
		if err != nil {
			return err
		}
		if other, dup := versions[v]; dup {
			return fmt.Errorf("migrations %s and %s share version %d", other, name, v)
		}
		versions[v] = name
	}
	for _, v := range slices.Sorted(maps.Keys(versions)) {
		if err := db.applyMigration(ctx, v, versions[v]); err != nil {
			return err
		}
	}
	return nil
}

// migrationVersion reads the number a migration file name starts with.
func migrationVersion(name string) (int, error) {
	base := path.Base(name)
	v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("migration %s: the name must start with a positive number", base)
	}
	return v, nil
}

// applyMigration runs one numbered migration file in its own transaction,
// unless schema_migrations says it already ran.
func (db *DB) applyMigration(ctx context.Context, version int, name string) error {
	base := path.Base(name)
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin migration %s: %w", base, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
		return fmt.Errorf("check migration %s: %w", base, err)
	} else if n > 0 {
		return nil
	}
	body, err := migrationFS.ReadFile(name)
	if err != nil {
		return fmt.Errorf("read migration %s: %w", base, err)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("apply migration %s: %w", base, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		version, db.clock.Now().Unix()); err != nil {
		return fmt.Errorf("record migration %s: %w", base, err)
	}
	return tx.Commit()
}

// writeTx is a write transaction with the one "now" its changes are
// stamped with. Commit or Rollback (either, any number of times) ends it
// and gives the write turn on.
type writeTx struct {
	*sql.Tx
	now  time.Time
	turn chan struct{}
}

// beginWrite waits for the write turn (in arrival order) and starts a
// write transaction (BEGIN IMMEDIATE).
func (db *DB) beginWrite(ctx context.Context) (*writeTx, error) {
	select {
	case db.writeTurn <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("begin write: %w", ctx.Err())
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		<-db.writeTurn
		return nil, fmt.Errorf("begin write: %w", err)
	}
	return &writeTx{Tx: tx, now: db.clock.Now().UTC(), turn: db.writeTurn}, nil
}

// Commit commits the transaction and ends the write turn.
func (tx *writeTx) Commit() error {
	err := tx.Tx.Commit()
	tx.release()
	return err
}

// Rollback rolls the transaction back, unless it ended, and ends the turn.
func (tx *writeTx) Rollback() error {
	err := tx.Tx.Rollback()
	tx.release()
	return err
}

func (tx *writeTx) release() {
	if tx.turn != nil {
		<-tx.turn
		tx.turn = nil
	}
}

// beginRead starts a read-only transaction on the read pool: its queries
// see one consistent snapshot.
// Read transactions take a read connection in arrival order, as writers
// take the write connection (see writeTurn).
func (db *DB) beginRead(ctx context.Context) (*readTx, error) {
	select {
	case db.readTurns <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("begin read: %w", ctx.Err())
	}
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		<-db.readTurns
		return nil, fmt.Errorf("begin read: %w", err)
	}
	return &readTx{Tx: tx, turns: db.readTurns}, nil
}

// readTx is a read transaction; Rollback (or Commit) ends it and its turn.
type readTx struct {
	*sql.Tx
	turns chan struct{}
}

// Rollback ends the transaction and gives its turn on; it may be called
// more than once.
func (tx *readTx) Rollback() error {
	err := tx.Tx.Rollback()
	if tx.turns != nil {
		<-tx.turns
		tx.turns = nil
	}
	return err
}

// querier is what both read and write transactions offer to the helpers.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func parseDate(s string) (goalbot.Date, error) {
	if s == "" {
		return goalbot.Date{}, nil
	}
	return goalbot.ParseISODate(s)
}
