package commands_test

import (
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/internal/seed"
)

// BenchmarkExport measures /goal export through the whole command path
// (one read transaction, encoding, the reply) on a large workspace: 200
// objectives of 5 key results, each key result with a year of weekly
// check-ins (52,000 check-ins, every one with a note).
func BenchmarkExport(b *testing.B) {
	const objectives, krsPer, weeks = 200, 5, 52
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	x, db, _ := MustExecutorClock(b)
	seedBulk(b, db, seed.Workspace{Objectives: objectives, KRsPer: krsPer, Users: 100, Channels: 10,
		TitleFiller: "grow the community", Due: goalbot.Date{Year: 2027, Month: time.March, Day: 31},
		Created: now.AddDate(-1, 0, 0)})
	// A year of weekly check-ins on every key result, each with a note.
	inBulkTx(b, db, func(tx *sql.Tx) error {
		return seed.WeeklyCheckIns(tx, team, weeks, now.AddDate(0, 0, -7), 7,
			func(w int) float64 { return float64(w * 2) },
			func(w int) string {
				return fmt.Sprintf("week %d: campaign shipped, \"on track\", see the dashboard", w+1)
			})
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
