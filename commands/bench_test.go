package commands_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/internal/seed"
	"github.com/goalbot/goalbot/storage"
)

func BenchmarkParse(b *testing.B) {
	text := "update 12.3 1,450 confidence:medium as-of:yesterday Paid campaign paused for two days"
	for b.Loop() {
		if _, err := commands.Parse(text, testToday); err != nil {
			b.Fatal(err)
		}
	}
}

// benchExecutor is an executor on a fresh database file with objective 1
// holding five key results.
func benchExecutor(b *testing.B) *commands.Executor {
	b.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), testClock)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	x := &commands.Executor{Store: db, Clock: testClock}
	mustRun(b, x, as(alice), "new Grow due:2026-12-31")
	for i := range 5 {
		mustRun(b, x, as(alice), fmt.Sprintf("kr 1 Result %d from:0 to:1000", i))
	}
	return x
}

// BenchmarkCheckIn measures a check-in through the whole command path:
// parse, permission check, one committed (fsynced) transaction, reply.
func BenchmarkCheckIn(b *testing.B) {
	x := benchExecutor(b)
	i := 0
	for b.Loop() {
		i++
		run(b, x, as(alice), fmt.Sprintf("update 1.%d %d", i%5+1, i%1000))
	}
}

// BenchmarkShowObjective measures show on an objective with five key
// results and 1,000 check-ins.
func BenchmarkShowObjective(b *testing.B) {
	x := benchExecutor(b)
	for i := range 1000 {
		mustRun(b, x, as(alice), fmt.Sprintf("update 1.%d %d", i%5+1, i))
	}
	for b.Loop() {
		mustRun(b, x, as(alice), "show 1")
	}
}

// BenchmarkSubmitCheckIn measures a check-in form's submission through
// Executor.Submit: field checks, the check-in command, and the request key
// recorded in the same committed transaction.
func BenchmarkSubmitCheckIn(b *testing.B) {
	x := benchExecutor(b)
	i := 0
	for b.Loop() {
		i++
		r, err := x.Submit(context.Background(), as(alice), commands.Filled{Kind: commands.FormCheckIn,
			Ref: fmt.Sprintf("1.%d", i%5+1), Request: fmt.Sprintf("view:V%d", i),
			Values: map[string]string{"value": fmt.Sprint(i % 1000), "confidence": "medium", "note": "steady", "as_of": "2026-11-26"}})
		if err != nil || r.Failed {
			b.Fatalf("%v %q", err, r.FieldErrors)
		}
	}
}

// BenchmarkSubmitNew measures the creation form: an objective with five
// key results created in one transaction.
func BenchmarkSubmitNew(b *testing.B) {
	x := benchExecutor(b)
	values := map[string]string{"title": "Grow LinkedIn followers", "framework": "okr", "due": "2026-12-31", "owner": alice}
	for n := 1; n <= commands.FormKeyResults; n++ {
		p := fmt.Sprintf("kr%d_", n)
		values[p+"title"], values[p+"from"], values[p+"to"], values[p+"unit"] = fmt.Sprintf("Result %d", n), "1,200", "2,000", "followers"
	}
	i := 0
	for b.Loop() {
		i++
		r, err := x.Submit(context.Background(), as(alice), commands.Filled{Kind: commands.FormNew, Request: fmt.Sprintf("view:N%d", i), Values: values})
		if err != nil || r.Failed {
			b.Fatalf("%v %q", err, r.FieldErrors)
		}
	}
}

// BenchmarkCheckInVsRawInsert interleaves, in each op, one raw SQLite
// insert of a check-in row (its own transaction, on a database with
// goalbot's schema and its pragmas: WAL, synchronous=FULL, BEGIN
// IMMEDIATE, foreign keys) and one check-in through Executor.Run (parse,
// permission and state checks, one transaction, reply), timing each. It
// reports both and their throughput ratio (raw time / command time; 1
// would mean the command path costs nothing over the bare insert), so
// that drift of the machine between two runs does not skew the ratio.
//
//	go test ./commands -run '^$' -bench CheckInVsRawInsert -count 3
func BenchmarkCheckInVsRawInsert(b *testing.B) {
	x := benchExecutor(b)
	rawPath := filepath.Join(b.TempDir(), "raw.db")
	rawDB, err := storage.Open(context.Background(), rawPath, testClock)
	if err != nil {
		b.Fatal(err)
	}
	rawDB.Close()
	if err := seed.Tx(rawPath, func(tx *sql.Tx) error {
		return seed.Write(tx, seed.Workspace{Team: team, Objectives: 1, KRsPer: 1, Users: 1, User: func(int) string { return alice },
			Due: testToday.AddDays(30), Created: testNow})
	}); err != nil {
		b.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", "file:"+rawPath+"?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=5000&_synchronous=FULL&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	var mode string
	if err := raw.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		b.Fatalf("journal mode %q (%v), want wal", mode, err)
	}
	var rawTime, cmdTime time.Duration
	i := 0
	for b.Loop() {
		i++
		start := time.Now()
		tx, err := raw.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO check_ins (team_id, key_result_id, value, confidence, note, as_of, user_id, created_at)
			VALUES (?, 1, ?, NULL, '', '2026-11-26', ?, ?)`, team, float64(i%1000), alice, testNow.Unix()); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		run(b, x, as(alice), fmt.Sprintf("update 1.%d %d", i%5+1, i%1000))
		cmdTime += time.Since(mid)
		rawTime += mid.Sub(start)
	}
	b.ReportMetric(float64(rawTime.Microseconds())/float64(i), "raw-µs/op")
	b.ReportMetric(float64(cmdTime.Microseconds())/float64(i), "command-µs/op")
	b.ReportMetric(float64(rawTime)/float64(cmdTime), "ratio")
}
