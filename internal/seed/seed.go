// Package seed writes generated workspaces straight into a goalbot SQLite
// database, in one transaction: far faster than thousands of commands that
// each commit (and fsync) on their own; and dumps a database, to compare.
// Tests and benchmarks use it.
package seed

import (
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/goalbot/goalbot"
)

// Workspace describes a generated workspace.
type Workspace struct {
	Team        string
	Objectives  int
	KRsPer      int                // key results per objective
	Users       int                // key results are owned round-robin by User(0), User(1)...
	User        func(i int) string // user i's ID
	Channels    int                // objectives are spread over Channel(0)...; 0: no channel
	Channel     func(i int) string
	TitleFiller string
	// Milestones adds an objective-level milestone per objective on this date.
	Milestones goalbot.Date
	Due        goalbot.Date
	Created    time.Time
}

// Tx runs fn in one transaction on a connection of its own to the database
// file at path, and commits it.
func Tx(path string, fn func(tx *sql.Tx) error) error {
	conn, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000&_foreign_keys=on")
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Write writes w in tx. The database must have its schema (storage.Open).
func Write(tx *sql.Tx, w Workspace) error {
	var err error
	exec := func(q string, args ...any) sql.Result {
		if err != nil {
			return nil
		}
		var res sql.Result
		if res, err = tx.Exec(q, args...); err != nil {
			err = fmt.Errorf("%s: %w", q, err)
		}
		return res
	}
	channel := func(i int) string {
		if w.Channels == 0 {
			return ""
		}
		return w.Channel(i % w.Channels)
	}
	created := w.Created.Unix()
	exec(`INSERT INTO workspaces (team_id, last_objective) VALUES (?, ?)`, w.Team, w.Objectives)
	kr := 0
	for o := 1; o <= w.Objectives && err == nil; o++ {
		owner := w.User((o - 1) % w.Users)
		res := exec(`INSERT INTO objectives (team_id, number, title, owner_id, channel_id, framework, start_date, due_date,
			state, last_kr, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'okr', ?, ?, 'active', ?, ?, ?, ?)`,
			w.Team, o, fmt.Sprintf("Objective %d %s", o, w.TitleFiller), owner, channel(o-1),
			goalbot.DateOf(w.Created).String(), w.Due.String(), w.KRsPer, owner, created, created)
		if err != nil {
			break
		}
		oid, lerr := res.LastInsertId()
		if lerr != nil {
			return lerr
		}
		for k := 1; k <= w.KRsPer; k++ {
			exec(`INSERT INTO key_results (team_id, objective_id, number, title, start_value, target_value, owner_id,
				created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 100, ?, ?, ?, ?)`,
				w.Team, oid, k, fmt.Sprintf("Result %d.%d %s", o, k, w.TitleFiller), w.User(kr%w.Users), owner, created, created)
			kr++
		}
		if !w.Milestones.IsZero() {
			exec(`INSERT INTO milestones (team_id, objective_id, date, title, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
				w.Team, oid, w.Milestones.String(), fmt.Sprintf("Checkpoint %d %s", o, w.TitleFiller), owner, created)
		}
	}
	return err
}

// WeeklyCheckIns adds weeks weekly check-ins to every key result of team,
// the last one on last: week i (0 first) has value(i), confidence and
// note(i), by the key result's owner.
func WeeklyCheckIns(tx *sql.Tx, team string, weeks int, last time.Time, confidence int,
	value func(week int) float64, note func(week int) string) error {
	for w := range weeks {
		day := last.AddDate(0, 0, 7*(w-weeks+1))
		if _, err := tx.Exec(`INSERT INTO check_ins (team_id, key_result_id, value, confidence, note, as_of, user_id, created_at)
			SELECT ?, id, ?, ?, ?, ?, owner_id, ? FROM key_results WHERE team_id = ?`,
			team, value(w), confidence, note(w), goalbot.DateOf(day).String(), day.Unix(), team); err != nil {
			return fmt.Errorf("insert check-ins of week %d: %w", w, err)
		}
	}
	return nil
}

// Dump returns every row of every table of the database file at path, in
// table then row order, as text: two dumps differ exactly when something
// was written in between. Tests use it to prove a refusal wrote nothing.
func Dump(path string) (string, error) {
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return "", err
	}
	defer conn.Close()
	var tables []string
	rows, err := conn.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return "", err
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return "", err
		}
		tables = append(tables, name)
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		if err := dumpTable(conn, table, &b); err != nil {
			return "", fmt.Errorf("dump %s: %w", table, err)
		}
	}
	return b.String(), nil
}

func dumpTable(conn *sql.DB, table string, b *strings.Builder) error {
	rows, err := conn.Query(`SELECT * FROM "` + table + `" ORDER BY rowid`)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		fmt.Fprintf(b, "%s %v\n", table, vals)
	}
	return rows.Err()
}
