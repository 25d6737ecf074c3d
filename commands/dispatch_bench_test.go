package commands_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/internal/seed"
	"github.com/goalbot/goalbot/schedule"
)

// nopSender is a commands.Sender that sends nothing and always succeeds.
type nopSender struct{}

func (nopSender) Send(context.Context, goalbot.Delivery, commands.Reply) (string, error) {
	return "1764150000.000100", nil
}

// BenchmarkTick measures one dispatcher tick in a workspace of 1,000
// objectives (100 in each of 10 channels, each with a weekly digest job),
// 5,000 key results and 2,000 users, each owning 2-3 key results with no
// check-in for two months and having the default reminder jobs: a weekly
// check-in reminder at 10:00 UTC on day (user number mod 7), and the daily
// due-date look at 10:00 UTC (no due date is near, so it finds nothing to
// say). The clock is Monday 2026-11-30 10:00 UTC. Before each op the jobs
// are reset, off the timer, so that exactly the scenario's jobs are due:
//
//   - idle: none; the tick every 15 seconds that finds nothing to do.
//   - checkins-1/7: the 286 users whose weekly reminder is on Monday;
//     each gets a check-in DM (286 sends).
//   - deadlines-all: all 2,000 daily due-date jobs; nothing to send.
//   - monday-10:00: both of the above at once, as the defaults have it.
//   - digests: the 10 channel digests of 100 objectives each; with 500
//     stale key results each comes in two messages (20 sends).
//
// Sending is a no-op; the rest is the real thing on SQLite with full fsync
// (one transaction records every job of the tick, and each message marked
// sent is one more).
func BenchmarkTick(b *testing.B) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC) // a Monday
	const users, channels = 2000, 10
	x, db, clock := MustExecutorClock(b)
	seedBulk(b, db, seed.Workspace{Objectives: 1000, KRsPer: 5, Users: users, Channels: channels,
		TitleFiller: "grow the community", Due: goalbot.Date{Year: 2027, Month: time.March, Day: 31},
		Created: now.AddDate(0, -2, 0)})
	conn, err := sql.Open("sqlite3", "file:"+db.Path()+"?_busy_timeout=5000")
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.Begin()
	if err != nil {
		b.Fatal(err)
	}
	insert, err := tx.Prepare(`INSERT INTO jobs (team_id, kind, target, spec, next_at, enabled, updated_at) VALUES (?, ?, ?, ?, 0, 1, 0)`)
	if err != nil {
		b.Fatal(err)
	}
	for i := range users {
		checkin := schedule.Weekly{Days: []time.Weekday{time.Weekday(i % 7)}, Hour: 10, Zone: time.UTC}
		deadlines := schedule.Weekly{Hour: 10, Zone: time.UTC}
		for _, j := range []struct {
			kind goalbot.JobKind
			spec string
		}{{goalbot.JobCheckIn, checkin.Spec()}, {goalbot.JobDeadlines, deadlines.Spec()}} {
			if _, err := insert.Exec(team, string(j.kind), bulkUser(i), j.spec); err != nil {
				b.Fatal(err)
			}
		}
	}
	digest := schedule.Weekly{Days: []time.Weekday{time.Monday}, Hour: 10, Zone: time.UTC}
	for i := range channels {
		if _, err := insert.Exec(team, string(goalbot.JobDigest), bulkChannel(i), digest.Spec()); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	clock.SetTime(now)
	d := &commands.Dispatcher{Exec: x, Store: db, Sender: nopSender{}}

	for _, sc := range []struct {
		name string
		due  string // SQL condition on jobs: which are due
		jobs int
		sent int
	}{
		{"idle", "0", 0, 0},
		{"checkins-1/7", "kind = 'checkin' AND CAST(substr(target, 2) AS INTEGER) % 7 = 1", 286, 286},
		{"deadlines-all", "kind = 'deadlines'", 2000, 0},
		{"monday-10:00", "kind = 'deadlines' OR kind = 'checkin' AND CAST(substr(target, 2) AS INTEGER) % 7 = 1", 2286, 286},
		{"digests", "kind = 'digest'", 10, 20},
	} {
		b.Run(sc.name, func(b *testing.B) {
			reset := func() {
				if _, err := conn.Exec(`DELETE FROM deliveries`); err != nil {
					b.Fatal(err)
				}
				if _, err := conn.Exec(`UPDATE jobs SET next_at = CASE WHEN `+sc.due+` THEN ? ELSE ? END`,
					now.Unix(), now.AddDate(0, 0, 1).Unix()); err != nil {
					b.Fatal(err)
				}
			}
			reset()
			if due, err := db.DueJobs(context.Background(), "", now, 10000); err != nil || len(due) != sc.jobs {
				b.Fatalf("%d jobs due (err %v), want %d", len(due), err, sc.jobs)
			}
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				reset()
				b.StartTimer()
				rep, err := d.Tick(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				if len(rep.Errors) > 0 || len(rep.Failed) > 0 || len(rep.Skipped) > 0 || len(rep.Sent) != sc.sent {
					b.Fatalf("tick: sent %d, failed %d, skipped %d, errors %v; want %d sent",
						len(rep.Sent), len(rep.Failed), len(rep.Skipped), rep.Errors, sc.sent)
				}
			}
			b.ReportMetric(float64(sc.jobs), "due-jobs/op")
			b.ReportMetric(float64(sc.sent), "sent/op")
		})
	}
}
