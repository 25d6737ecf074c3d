package commands_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/internal/seed"
)

// BenchmarkDigest builds the weekly digest in the hardening issue's load
// workspace: 1,000 objectives, 5,000 key results and 250,000 check-ins (50
// weekly ones per key result, the last two weeks ago, so every key result
// is stale and behind). "1000 objectives" is a channel holding all of them
// (the worst case: 23 messages); "100 objectives" one of ten channels.
func BenchmarkDigest(b *testing.B) {
	now := time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC)
	for _, channels := range []int{1, 10} {
		b.Run(fmt.Sprintf("%d objectives", 1000/channels), func(b *testing.B) {
			x, db, _ := MustExecutorClock(b)
			seedBulk(b, db, seed.Workspace{Objectives: 1000, KRsPer: 5, Users: 500, Channels: channels,
				TitleFiller: "grow the community", Due: goalbot.Date{Year: 2027, Month: time.March, Day: 31},
				Created: now.AddDate(-1, 0, 0)})
			inBulkTx(b, db, func(tx *sql.Tx) error {
				return seed.WeeklyCheckIns(tx, team, 50, now.AddDate(0, 0, -14), 6,
					func(w int) float64 { return float64(w) }, func(int) string { return "" })
			})
			var parts int
			for b.Loop() {
				r, err := x.Digest(context.Background(), team, bulkChannel(0), now, time.UTC, now.AddDate(0, 0, -7))
				if err != nil {
					b.Fatal(err)
				}
				parts = len(r)
			}
			b.ReportMetric(float64(parts), "messages")
		})
	}
}
