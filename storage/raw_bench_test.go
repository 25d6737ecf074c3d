package storage

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
)

// BenchmarkRawCheckInInsert is the floor a check-in through goalbot is
// measured against: one INSERT of a check-in row per transaction, with the
// production pragmas (WAL, synchronous=FULL, BEGIN IMMEDIATE, foreign keys)
// on one connection, and nothing else. Compare with
// commands.BenchmarkCheckIn, which parses, checks permission and state,
// writes in one transaction and renders a reply:
//
//	go test ./storage ./commands -run '^$' -bench 'RawCheckInInsert|^BenchmarkCheckIn$' -count 3
func BenchmarkRawCheckInInsert(b *testing.B) {
	path := filepath.Join(b.TempDir(), "raw.db")
	db, err := Open(context.Background(), path, goalbot.SystemClock)
	if err != nil {
		b.Fatal(err)
	}
	o := &goalbot.Objective{TeamID: "T1", Title: "Grow", OwnerID: "U1", Framework: goalbot.FrameworkOKR,
		Start: goalbot.Date{Year: 2026, Month: 10, Day: 1}, Due: goalbot.Date{Year: 2026, Month: 12, Day: 31}, CreatedBy: "U1",
		KeyResults: []*goalbot.KeyResult{{Title: "Followers", Target: 1000, OwnerID: "U1", CreatedBy: "U1"}}}
	if err := db.CreateObjective(context.Background(), o); err != nil {
		b.Fatal(err)
	}
	db.Close()
	conn, err := sql.Open("sqlite3", dsn(path, "immediate"))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	var krID int64
	if err := conn.QueryRow(`SELECT id FROM key_results`).Scan(&krID); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		i++
		tx, err := conn.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO check_ins (team_id, key_result_id, value, confidence, note, as_of, user_id, created_at)
			VALUES (?, ?, ?, NULL, '', '2026-11-26', 'U1', ?)`, "T1", krID, float64(i%1000), time.Now().Unix()); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}
