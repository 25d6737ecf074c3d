package commands_test

import (
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
)

// BenchmarkExport measures /goal export through the whole command path
// (one read transaction, encoding, the reply) on a large workspace: 200
// objectives of 5 key results, each key result with a year of weekly
// check-ins (52,000 check-ins, every one with a note).
func BenchmarkExport(b *testing.B) {
	const objectives, krsPer, weeks = 200, 5, 52
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	x, db, _ := MustExecutorClock(b)
	seedBulk(b, db, bulkWorkspace{Objectives: objectives, KRsPer: krsPer, Users: 100, Channels: 10,
		TitleFiller: "grow the community", Due: goalbot.Date{Year: 2027, Month: time.March, Day: 31},
		Created: now.AddDate(-1, 0, 0)})
	// A year of weekly check-ins on every key result, each with a note.
	inBulkTx(b, db, func(tx *sql.Tx) {
		for w := range weeks {
			day := now.AddDate(0, 0, 7*(w-weeks))
			note := fmt.Sprintf("week %d: campaign shipped, \"on track\", see the dashboard", w+1)
			if _, err := tx.Exec(`INSERT INTO check_ins (team_id, key_result_id, value, confidence, note, as_of, user_id, created_at)
				SELECT ?, id, ?, 7, ?, ?, owner_id, ? FROM key_results WHERE team_id = ?`,
				team, float64(w*2), note, goalbot.DateOf(day).String(), day.Unix(), team); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, format := range []string{"csv", "json"} {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				r := mustExport(b, x, as(alice), "export "+format)
				size = len(r.File.Content)
			}
			b.ReportMetric(float64(size)/(1<<20), "MB/file")
		})
	}
}
