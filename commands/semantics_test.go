package commands_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/quick"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/internal/seed"
	"github.com/goalbot/goalbot/storage"
)

// settableClock is a clock the test moves, like the shell's :now.
type settableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *settableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to 09:30 UTC on day (YYYY-MM-DD).
func (c *settableClock) Set(tb testing.TB, day string) {
	tb.Helper()
	d, err := goalbot.ParseISODate(day)
	if err != nil {
		tb.Fatal(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = time.Date(d.Year, d.Month, d.Day, 9, 30, 0, 0, time.UTC)
}

// MustExecutorClock is MustExecutor with a clock the test can move, shared
// by the executor and the store; it starts at testNow.
func MustExecutorClock(tb testing.TB) (*commands.Executor, *storage.DB, *settableClock) {
	tb.Helper()
	clock := &settableClock{now: testNow}
	db, err := storage.Open(context.Background(), filepath.Join(tb.TempDir(), "goalbot.db"), clock)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
	})
	return &commands.Executor{Store: db, Clock: clock, Admins: []string{admin}}, db, clock
}

// dump returns every row of every table, so a test can tell that a refused
// command wrote nothing at all (countRows does not see an UPDATE).
func dump(tb testing.TB, db *storage.DB) string {
	tb.Helper()
	out, err := seed.Dump(db.Path())
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// tableRows counts the rows of one table.
func tableRows(tb testing.TB, db *storage.DB, table string) int {
	tb.Helper()
	conn, err := sql.Open("sqlite3", "file:"+db.Path()+"?mode=ro")
	if err != nil {
		tb.Fatalf("open for counting: %v", err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		tb.Fatalf("count %s: %v", table, err)
	}
	return n
}

// mustRefuse runs text, fails the test unless the reply is a refusal that
// reads exactly want, and checks that nothing was written.
func mustRefuse(tb testing.TB, x *commands.Executor, db *storage.DB, inv commands.Invocation, text, want string) {
	tb.Helper()
	counts, before := countRows(tb, db), dump(tb, db)
	r := run(tb, x, inv, text)
	if !r.Failed {
		tb.Errorf("%q was not refused:\n%s", text, r.PlainText())
	}
	if got := r.PlainText(); got != want {
		tb.Errorf("%q replied\n%s\nwant\n%s", text, got, want)
	}
	if after := countRows(tb, db); after != counts {
		tb.Errorf("%q changed the rows from %+v to %+v", text, counts, after)
	}
	if after := dump(tb, db); after != before {
		tb.Errorf("%q wrote to the database:\nbefore\n%s\nafter\n%s", text, before, after)
	}
}

// withUsage is a refusal reply: the reason and the usage of command name.
func withUsage(reason, name string) string {
	return reason + "\nUsage: " + usages[name]
}

// mustContain fails unless got contains every one of want.
func mustContain(tb testing.TB, what, got string, want ...string) {
	tb.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			tb.Errorf("%s replied\n%s\nwant it to contain\n%s", what, got, w)
		}
	}
}

// mustNotContain fails if got contains any of unwanted.
func mustNotContain(tb testing.TB, what, got string, unwanted ...string) {
	tb.Helper()
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			tb.Errorf("%s replied\n%s\nwant it not to contain\n%s", what, got, w)
		}
	}
}

func mustFindObjective(tb testing.TB, db *storage.DB, number int) *goalbot.Objective {
	tb.Helper()
	o, err := db.FindObjective(context.Background(), team, number)
	if err != nil {
		tb.Fatalf("find objective %d: %v", number, err)
	}
	return o
}

// TestOKRClose checks the grade an OKR closes with: by default its computed
// progress to two decimals, or the score given, described against the 0.7
// success mark.
func TestOKRClose(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		score     float64
		outcome   string
		computed  string // the context line that gives the computed progress, "" for none
		showEmoji string
	}{
		{"default score is the computed progress", "close 1", 0.33,
			"🟡 OKR score 0.33: below the 0.7 success mark.", "", "🏁 closed"},
		{"score 0.7 is successful", "close 1 score:0.7 Strong quarter", 0.7,
			"🏆 OKR score 0.70: successful.", "Its computed progress was 0.33.", "🏁 closed"},
		{"score 70% is 0.7", "close 1 score:70%", 0.7,
			"🏆 OKR score 0.70: successful.", "Its computed progress was 0.33.", "🏁 closed"},
		{"score 1.0 may not be ambitious enough", "close 1 score:1.0", 1,
			"🏆 OKR score 1.00: successful, though 1.0 may mean it was not ambitious enough.", "Its computed progress was 0.33.", "🏁 closed"},
		{"score 0.5 is below the mark", "close 1 score:0.5", 0.5,
			"🟡 OKR score 0.50: below the 0.7 success mark.", "Its computed progress was 0.33.", "🏁 closed"},
		{"score equal to the computed one", "close 1 score:0.33", 0.33,
			"🟡 OKR score 0.33: below the 0.7 success mark.", "", "🏁 closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, db := MustExecutor(t)
			mustRun(t, x, as(alice), "new Grow followers")
			mustRun(t, x, as(alice), "kr 1 Followers from:0 to:3")
			mustRun(t, x, as(alice), "update 1.1 1") // 1/3 of the way

			want := "Closed objective 1: Grow followers\n" + tt.outcome
			if tt.computed != "" {
				want += "\n" + tt.computed
			}
			if got := mustRun(t, x, as(alice), tt.text); got != want {
				t.Errorf("%q replied\n%s\nwant\n%s", tt.text, got, want)
			}
			o := mustFindObjective(t, db, 1)
			if o.State != goalbot.StateClosed || !o.Scored || o.Score != tt.score {
				t.Errorf("stored state %s, scored %v, score %v; want closed with %v", o.State, o.Scored, o.Score, tt.score)
			}
			show := mustRun(t, x, as(carol), "show 1")
			mustContain(t, "show 1", show, "33% · "+tt.showEmoji+"\n", "\n"+tt.outcome)
			mustNotContain(t, "show of a closed objective", show, "pace:")
		})
	}
}

// TestSMARTOutcomes checks that a SMART goal is achieved only at 100% and
// missed once past its due date short of it, or when closed below 100%.
func TestSMARTOutcomes(t *testing.T) {
	tests := []struct {
		name   string
		value  string // the check-in on 0 -> 1000
		day    string // the clock when judged
		close  string // "" to judge without closing
		status string // in show and list
		reply  string // the close reply's outcome line
		score  float64
	}{
		{name: "100% is achieved", value: "1000", day: "2026-11-26", status: "✅ achieved"},
		{name: "100% past the due date is still achieved", value: "1000", day: "2026-12-20", status: "✅ achieved"},
		{name: "95% before the due date is on track", value: "950", day: "2026-12-09", status: "🟢 on track"},
		{name: "95% on the due date is off track, not missed yet", value: "950", day: "2026-12-10", status: "🔴 off track"},
		{name: "95% past the due date is missed", value: "950", day: "2026-12-11", status: "❌ missed"},
		{name: "closed at 100% is achieved", value: "1000", day: "2026-12-01", close: "close 1", status: "✅ achieved",
			reply: "✅ SMART goal achieved (100%).", score: 1},
		{name: "closed below 100% is missed", value: "950", day: "2026-12-01", close: "close 1", status: "❌ missed",
			reply: "❌ SMART goal missed: 95% of 100% by the due date.", score: 0.95},
		{name: "closed at 99.6% is missed, not rounded up to achieved", value: "996", day: "2026-12-01", close: "close 1",
			status: "❌ missed", reply: "❌ SMART goal missed: 99% of 100% by the due date.", score: 0.99},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, db, clock := MustExecutorClock(t)
			mustRun(t, x, as(alice), "new Ship the playbook framework:smart due:2026-12-10")
			mustRun(t, x, as(alice), "kr 1 Pages written from:0 to:1000")
			mustRun(t, x, as(alice), "update 1.1 "+tt.value)
			clock.Set(t, tt.day)
			if tt.close != "" {
				got := mustRun(t, x, as(alice), tt.close)
				if want := "Closed objective 1: Ship the playbook\n" + tt.reply; !strings.HasPrefix(got, want) {
					t.Errorf("%q replied\n%s\nwant it to start with\n%s", tt.close, got, want)
				}
				if o := mustFindObjective(t, db, 1); o.Score != tt.score {
					t.Errorf("stored score %v, want %v", o.Score, tt.score)
				}
			}
			show := mustRun(t, x, as(carol), "show 1")
			if got := lines(show)[1]; !strings.HasSuffix(got, " · "+tt.status) {
				t.Errorf("show's status line is %q, want it to end with %q", got, tt.status)
			}
			if tt.close == "" {
				r := run(t, x, as(alice), "list all")
				if got := listed(r); len(got) != 1 || got[0] != "1" {
					t.Fatalf("list all shows %v, want objective 1:\n%s", got, r.PlainText())
				}
				mustContain(t, "list all", r.PlainText(), " · "+tt.status+" · SMART · ")
			} else {
				mustContain(t, "show 1", show, "\n"+tt.reply)
			}
		})
	}
	t.Run("a score cannot override the outcome", func(t *testing.T) {
		x, db, _ := MustExecutorClock(t)
		mustRun(t, x, as(alice), "new Ship the playbook framework:smart due:2026-12-10")
		mustRun(t, x, as(alice), "kr 1 Pages written from:0 to:1000")
		mustRun(t, x, as(alice), "update 1.1 400")
		mustRefuse(t, x, db, as(alice), "close 1 score:1",
			withUsage("A SMART goal is achieved or missed by its key results; score: is for OKRs.", "close"))
	})
	t.Run("reaching 100% only after the due date is still missed", func(t *testing.T) {
		x, _, clock := MustExecutorClock(t)
		mustRun(t, x, as(alice), "new Ship the playbook framework:smart due:2026-12-10")
		mustRun(t, x, as(alice), "kr 1 Pages written from:0 to:1000")
		mustRun(t, x, as(alice), "update 1.1 950")
		clock.Set(t, "2026-12-20")
		mustRun(t, x, as(alice), "update 1.1 1000")
		if got := lines(mustRun(t, x, as(carol), "show 1"))[1]; !strings.HasSuffix(got, " · ❌ missed") {
			t.Errorf("show's status line is %q, want missed", got)
		}
		mustRun(t, x, as(alice), "update 1.1 1000 as-of:2026-12-10") // back-dated: it was reached by the due date
		if got := lines(mustRun(t, x, as(carol), "show 1"))[1]; !strings.HasSuffix(got, " · ✅ achieved") {
			t.Errorf("after a check-in dated on the due date, show's status line is %q, want achieved", got)
		}
	})
	t.Run("a pending key result keeps it from being achieved", func(t *testing.T) {
		x, _, _ := MustExecutorClock(t)
		mustRun(t, x, as(alice), "new Ship the playbook framework:smart due:2026-12-10")
		mustRun(t, x, as(alice), "kr 1 Pages written from:0 to:1000")
		mustRun(t, x, as(alice), "kr 1 Reader NPS from:pending to:50")
		mustRun(t, x, as(alice), "update 1.1 1000")
		if got := lines(mustRun(t, x, as(carol), "show 1"))[1]; strings.HasSuffix(got, "achieved") {
			t.Errorf("show's status line is %q with a pending key result", got)
		}
	})
}

// TestDecreasingCheckIns checks a lower-is-better key result through the
// commands: a fall is 🟢 better, a rise 🔴 worse, and progress follows.
func TestDecreasingCheckIns(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Better landing page")
	if got := mustRun(t, x, as(alice), "kr 1 Bounce rate from:60% to:40%"); !strings.Contains(got, "\n60% → 40% (lower is better) · owner") {
		t.Errorf("kr replied\n%s", got)
	}
	for _, tt := range []struct {
		value, first, progress string
		current                float64
	}{
		{"50%", "Checked in 1.1 Bounce rate: 50% (↓ -10%, 🟢 better)", "█████░░░░░ 50% of the way from 60% to 40%", 50},
		{"55%", "Checked in 1.1 Bounce rate: 55% (↑ +5%, 🔴 worse)", "██░░░░░░░░ 25% of the way from 60% to 40%", 55},
		{"35%", "Checked in 1.1 Bounce rate: 35% (↓ -20%, 🟢 better)", "██████████ 125% of the way from 60% to 40%", 35},
		{"65%", "Checked in 1.1 Bounce rate: 65% (↑ +30%, 🔴 worse)", "░░░░░░░░░░ -25% of the way from 60% to 40%", 65},
	} {
		t.Run(tt.value, func(t *testing.T) {
			got := lines(mustRun(t, x, as(alice), "update 1.1 "+tt.value))
			if got[0] != tt.first || !strings.HasPrefix(got[1], tt.progress) {
				t.Errorf("update replied\n%s\nwant\n%s\n%s...", strings.Join(got, "\n"), tt.first, tt.progress)
			}
			if kr := mustFindKeyResult(t, db, team, 1, 1); kr.Current != tt.current || !kr.Decreasing() {
				t.Errorf("stored current %v (decreasing %v), want %v", kr.Current, kr.Decreasing(), tt.current)
			}
		})
	}
}

// TestYesNoKeyResults checks kind:yesno: created without from, to or unit,
// checked in with yes, no, done, 0 or 1, and nothing else.
func TestYesNoKeyResults(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Crisis ready")
	got := mustRun(t, x, as(alice), "kr 1 Publish the crisis playbook kind:yesno")
	want := "Added key result 1.1 to objective 1: Publish the crisis playbook\n" +
		"not done → done · owner @U0ALICE01 · weight 1\n" +
		"Check in with /goal update 1.1 yes|no"
	if got != want {
		t.Errorf("kr replied\n%s\nwant\n%s", got, want)
	}
	if kr := mustFindKeyResult(t, db, team, 1, 1); kr.Kind != goalbot.KindYesNo || kr.Start != 0 || kr.Target != 1 {
		t.Errorf("stored %+v, want yes/no 0 -> 1", kr)
	}

	t.Run("check-ins", func(t *testing.T) {
		for _, tt := range []struct{ text, want string }{
			{"update 1.1 no", "Checked in 1.1 Publish the crisis playbook: not done\n░░░░░░░░░░ 0% · 🟢 on track"},
			{"update 1.1 yes", "Checked in 1.1 Publish the crisis playbook: done (🟢 better)\n██████████ 100% · 🟢 on track"},
			{"update 1.1 0", "Checked in 1.1 Publish the crisis playbook: not done (🔴 worse)\n░░░░░░░░░░ 0% · 🟢 on track"},
			{"update 1.1 1", "Checked in 1.1 Publish the crisis playbook: done (🟢 better)\n██████████ 100% · 🟢 on track"},
			{"update 1.1 DONE", "Checked in 1.1 Publish the crisis playbook: done\n██████████ 100% · 🟢 on track"},
		} {
			t.Run(tt.text, func(t *testing.T) {
				before := countRows(t, db).CheckIns
				if got := mustRun(t, x, as(alice), tt.text); !strings.HasPrefix(got, tt.want+"\n") {
					t.Errorf("replied\n%s\nwant it to start with\n%s", got, tt.want)
				}
				if after := countRows(t, db).CheckIns; after != before+1 {
					t.Errorf("check-ins %d -> %d, want one more", before, after)
				}
			})
		}
		if got := mustRun(t, x, as(carol), "show 1.1"); !strings.Contains(got, "██████████ 100% · done · 🟢 on track") {
			t.Errorf("show 1.1 replied\n%s", got)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		mustRun(t, x, as(alice), "kr 1 Pages from:0 to:10")
		notYesNo := withUsage("1.1 is a yes/no key result: check in with yes, no or done.", "update")
		for _, tt := range []struct{ name, text, want string }{
			{"2", "update 1.1 2", notYesNo},
			{"-1", "update 1.1 -1", notYesNo},
			{"0.5", "update 1.1 0.5", notYesNo},
			{"100%", "update 1.1 100%", notYesNo},
			{"$1", "update 1.1 $1", notYesNo},
			{"from with yesno", "kr 1 Launch kind:yesno from:0",
				withUsage("A yes/no key result takes no from: it goes from not done to done.", "kr")},
			{"to with yesno", "kr 1 Launch kind:yesno to:1",
				withUsage("A yes/no key result takes no to: it goes from not done to done.", "kr")},
			{"unit with yesno", "kr 1 Launch kind:yesno unit:pages",
				withUsage("A yes/no key result takes no unit: it goes from not done to done.", "kr")},
			{"edit to of a yesno", "edit 1.1 to:5",
				withUsage("1.1 is a yes/no key result: it has no from, to or unit.", "edit")},
			{"yes on a number key result", "update 1.2 yes",
				withUsage("1.2 is measured in plain numbers: give a number, not yes.", "update")},
		} {
			t.Run(tt.name, func(t *testing.T) { mustRefuse(t, x, db, as(alice), tt.text, tt.want) })
		}
	})

	t.Run("undone past its due date is off track", func(t *testing.T) {
		y, _, clock := MustExecutorClock(t)
		mustRun(t, y, as(alice), "new Launch due:2026-12-10")
		mustRun(t, y, as(alice), "kr 1 Launch page live kind:yesno")
		if got := mustRun(t, y, as(alice), "show 1.1"); !strings.Contains(got, "not done yet · 🟢 on track") {
			t.Errorf("before its due date: show 1.1 replied\n%s", got)
		}
		clock.Set(t, "2026-12-10")
		if got := mustRun(t, y, as(alice), "show 1.1"); !strings.Contains(got, "not done yet · 🔴 off track") {
			t.Errorf("on its due date: show 1.1 replied\n%s", got)
		}
	})
}

// TestPendingBaseline checks from:pending: no baseline until the first
// check-in, which sets the start and says so; the key result is not judged
// before, and after it its period counts from the baseline's as-of date.
func TestPendingBaseline(t *testing.T) {
	x, db, clock := MustExecutorClock(t)
	mustRun(t, x, as(alice), "new Newsletter start:2026-10-01")
	got := mustRun(t, x, as(alice), "kr 1 Open rate from:pending to:40%")
	if want := "\nbaseline pending → 40% · owner @U0ALICE01 · weight 1\n"; !strings.Contains(got, want) {
		t.Errorf("kr replied\n%s\nwant it to contain %q", got, want)
	}
	mustRun(t, x, as(alice), "kr 1 Subscribers from:0 to:100") // judged from 2026-10-01, without progress

	t.Run("before the first check-in", func(t *testing.T) {
		got := mustRun(t, x, as(carol), "show 1.1")
		mustContain(t, "show 1.1", got,
			"░░░░░░░░░░ 0% · baseline pending → 40% · 🟢 on track · owner @U0ALICE01 · no check-ins yet",
			"\nThe baseline is pending: the first check-in sets the start value.")
		mustNotContain(t, "show 1.1", got, "pace:")
		got = mustRun(t, x, as(carol), "show 1")
		mustContain(t, "show 1", got,
			"1.1 Open rate\n░░░░░░░░░░ 0% · baseline pending → 40% · 🟢 on track",
			"1.2 Subscribers\n░░░░░░░░░░ 0% · now 0 · 0 → 100 (higher is better) · 🔴 off track")
		if got := mustRun(t, x, as(carol), "history 1.1"); !strings.Contains(got, "No check-ins yet. The baseline is pending.") {
			t.Errorf("history 1.1 replied\n%s", got)
		}
	})

	t.Run("the first check-in sets the baseline", func(t *testing.T) {
		got := mustRun(t, x, as(alice), "update 1.1 20%")
		want := "Checked in 1.1 Open rate: 20%\n" +
			"░░░░░░░░░░ 0% of the way from 20% to 40% · 🟢 on track\n" +
			"This first check-in sets the baseline: 20% → 40%.\n" +
			"Objective 1 (Newsletter) is now at 0%."
		if got != want {
			t.Errorf("first check-in replied\n%s\nwant\n%s", got, want)
		}
		kr := mustFindKeyResult(t, db, team, 1, 1)
		if kr.Pending || kr.Start != 20 || kr.BaselineDate != testToday {
			t.Errorf("stored pending %v, start %v, baseline date %s; want 20 set on %s", kr.Pending, kr.Start, kr.BaselineDate, testToday)
		}
		if got := mustRun(t, x, as(carol), "history 1"); !strings.Contains(got, "@U0ALICE01 · 1.1 baseline: pending → 20") {
			t.Errorf("history 1 replied\n%s", got)
		}
	})

	t.Run("the period counts from the baseline", func(t *testing.T) {
		// 14 of the 35 days from the baseline (2026-11-26) to the due date:
		// expected 40% × 0.7 = 28%; 25% is on track. Counted from the
		// objective's start (2026-10-01) it would be 77% × 0.7 = 54%, and
		// 25% off track.
		clock.Set(t, "2026-12-10")
		got := mustRun(t, x, as(alice), "update 1.1 25%")
		if want := "Checked in 1.1 Open rate: 25% (↑ +5%, 🟢 better)\n██░░░░░░░░ 25% of the way from 20% to 40% · 🟢 on track\n"; !strings.HasPrefix(got, want) {
			t.Errorf("second check-in replied\n%s\nwant it to start with\n%s", got, want)
		}
		mustNotContain(t, "second check-in", got, "baseline")
		if got := mustRun(t, x, as(carol), "show 1.1"); !strings.Contains(got, "25% · now 25% · 20% → 40% (higher is better) · 🟢 on track") {
			t.Errorf("show 1.1 replied\n%s", got)
		}
		kr := mustFindKeyResult(t, db, team, 1, 1)
		if kr.Start != 20 || kr.BaselineDate != testToday {
			t.Errorf("a later check-in moved the baseline to %v on %s", kr.Start, kr.BaselineDate)
		}
	})
}

// TestWeightedRollUpOfThree checks the weighted mean of three key results,
// each clamped to 0..100%: (1×100% + 2×50% + 2×0%) / 5 = 40%; unclamped it
// would be 50%, unweighted 50%.
func TestWeightedRollUpOfThree(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Three results")
	mustRun(t, x, as(alice), "kr 1 Overshot from:0 to:10")
	mustRun(t, x, as(alice), "kr 1 Halfway from:0 to:100 weight:2")
	mustRun(t, x, as(alice), "kr 1 Not started from:0 to:100 weight:2")
	mustRun(t, x, as(alice), "update 1.2 50")
	got := mustRun(t, x, as(alice), "update 1.1 15")
	if want := "Objective 1 (Three results) is now at 40%."; !strings.HasSuffix(got, want) {
		t.Errorf("update replied\n%s\nwant it to end with %q", got, want)
	}
	show := mustRun(t, x, as(carol), "show 1")
	if got := lines(show)[1]; !strings.HasPrefix(got, "████░░░░░░ 40% · ") {
		t.Errorf("show's progress line is %q, want 40%%", got)
	}
	mustContain(t, "show 1", show, "██████████ 150% · now 15", "· weight 2 · last check-in", "· weight 2 · no check-ins yet")
	if p := mustFindObjective(t, db, 1).Progress(); math.Abs(p-0.4) > 1e-9 {
		t.Errorf("progress %v, want 0.4", p)
	}
}

// TestMilestonesBendStatus checks that a key result's milestone with a
// planned value bends its expected progress, and that an objective's status
// is its weakest key result's. The objective runs 2026-10-01 to 2026-12-31
// (91 days); on 2026-11-26 (day 56) the straight line expects 61.5% (OKR:
// 43.1%). 1.1 plans only 10 by day 50 (2026-11-20), so it expects
// 10% + 90% × 6/41 = 23.2% (OKR: 16.2%; off track below 8.1%).
func TestMilestonesBendStatus(t *testing.T) {
	tests := []struct {
		name           string
		slow, steady   string // the values of 1.1 (with the milestone) and 1.2 (without)
		slowStatus     string
		steadyStatus   string
		objective      string
		objectiveRatio string
	}{
		{"on the planned line", "20", "60", "🟢 on track", "🟢 on track", "🟢 on track", "40%"},
		{"far below the plan", "5", "61", "🔴 off track", "🟢 on track", "🔴 off track", "33%"},
		{"the same value without the plan", "20", "20", "🟢 on track", "🔴 off track", "🔴 off track", "20%"},
		{"at risk against the plan", "12", "60", "🟡 at risk", "🟢 on track", "🟡 at risk", "36%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, _ := MustExecutor(t)
			mustRun(t, x, as(alice), "new Launch start:2026-10-01")
			mustRun(t, x, as(alice), "kr 1 Slow starter from:0 to:100")
			mustRun(t, x, as(alice), "kr 1 Steady from:0 to:100")
			mustRun(t, x, as(alice), "milestone 1.1 2026-11-20 Pilot done target:10")
			mustRun(t, x, as(alice), "update 1.1 "+tt.slow)
			mustRun(t, x, as(alice), "update 1.2 "+tt.steady)
			show := mustRun(t, x, as(carol), "show 1")
			mustContain(t, "show 1", show,
				fmt.Sprintf("\n1.1 Slow starter\n%s %s%% · now %s · 0 → 100 (higher is better) · %s", bar(tt.slow), tt.slow, tt.slow, tt.slowStatus),
				fmt.Sprintf("\n1.2 Steady\n%s %s%% · now %s · 0 → 100 (higher is better) · %s", bar(tt.steady), tt.steady, tt.steady, tt.steadyStatus))
			if got := lines(show)[1]; !strings.HasSuffix(got, tt.objectiveRatio+" · "+tt.objective) {
				t.Errorf("objective line %q, want %s · %s", got, tt.objectiveRatio, tt.objective)
			}
			list := mustRun(t, x, as(carol), "list all")
			mustContain(t, "list all", list, tt.objectiveRatio+" · "+tt.objective+" · OKR")
		})
	}
}

// bar draws a whole percentage as show does: one cell per full 10%.
func bar(percent string) string {
	var p int
	fmt.Sscan(percent, &p)
	filled := p / 10 // cut: a bar fills a cell only when the progress reaches it
	return strings.Repeat("█", filled) + strings.Repeat("░", 10-filled)
}

// TestLowConfidenceNudge checks that a low confidence (low, or 0-3) without
// a note gets a nudge to add one, and that the check-in is recorded either way.
func TestLowConfidenceNudge(t *testing.T) {
	const nudge = "💬 Low confidence noted. A few words on what is in the way help your team help you; add them as a note next time."
	tests := []struct {
		text       string
		confidence int
		nudged     bool
		status     string
	}{
		{"update 1.1 10 confidence:low", 2, true, "🟡 at risk"},
		{"update 1.1 10 confidence:LOW", 2, true, "🟡 at risk"},
		{"update 1.1 10 confidence:0", 0, true, "🟡 at risk"},
		{"update 1.1 10 confidence:3", 3, true, "🟡 at risk"},
		{"update 1.1 10 confidence:4", 4, false, "🟢 on track"},
		{"update 1.1 10 confidence:medium", 5, false, "🟢 on track"},
		{"update 1.1 10 confidence:high", 8, false, "🟢 on track"},
		{"update 1.1 10", -1, false, "🟢 on track"},
		{"update 1.1 10 confidence:low Vendor is late", 2, false, "🟡 at risk"},
		{"update 1.1 10 confidence:1 Two people out sick", 1, false, "🟡 at risk"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			x, db := MustExecutor(t)
			mustRun(t, x, as(alice), "new Grow")
			mustRun(t, x, as(alice), "kr 1 Signups from:0 to:100")
			got := mustRun(t, x, as(alice), tt.text)
			if strings.Contains(got, nudge) != tt.nudged {
				t.Errorf("replied\n%s\nnudge shown %v, want %v", got, !tt.nudged, tt.nudged)
			}
			mustContain(t, tt.text, got, "10% of the way from 0 to 100 · "+tt.status)
			kr := mustFindKeyResult(t, db, team, 1, 1)
			if kr.CheckIns != 1 || kr.Current != 10 || kr.LastConfidence != tt.confidence {
				t.Errorf("stored %d check-ins, current %v, confidence %d; want 1, 10, %d", kr.CheckIns, kr.Current, kr.LastConfidence, tt.confidence)
			}
		})
	}
}

// TestPace checks the pace line of show, computed by hand. Key result 1.1
// goes 0 -> 1,000 by 2026-12-31; today is 2026-11-26, 35 days before.
func TestPace(t *testing.T) {
	x, _ := MustExecutor(t)
	mustRun(t, x, as(alice), "new Grow")
	mustRun(t, x, as(alice), "kr 1 Followers from:0 to:1000")
	mustRun(t, x, as(alice), "kr 1 Members from:0 to:1000")

	paceOf := func(t *testing.T, ref string) string {
		t.Helper()
		for _, l := range lines(mustRun(t, x, as(carol), "show "+ref)) {
			if strings.HasPrefix(l, "pace: ") {
				return l
			}
		}
		t.Fatalf("show %s has no pace line", ref)
		return ""
	}

	t.Run("one check-in day", func(t *testing.T) {
		// (1,000 - 100) / 35 days = 25.71/day.
		mustRun(t, x, as(alice), "update 1.1 100 as-of:2026-11-12")
		want := "pace: need +25.71/day to reach the target by 2026-12-31; check in on two different days to see the actual pace"
		if got := paceOf(t, "1.1"); got != want {
			t.Errorf("pace\n%s\nwant\n%s", got, want)
		}
	})

	t.Run("several days", func(t *testing.T) {
		// Check-ins 100, 330, 520 on days 0, 7, 14: the least-squares slope
		// is 7×(100-316.67)×-1 + 7×(520-316.67) over 98 = 2,940/98 = 30/day.
		// Needed: (1,000 - 520) / 35 = 13.71/day. Projected: 520 + 30 × 35 =
		// 1,570. Reached: 480 / 30 = 16 days, on 2026-12-12.
		mustRun(t, x, as(alice), "update 1.1 330 as-of:2026-11-19")
		mustRun(t, x, as(alice), "update 1.1 520")
		want := "pace: need +13.71/day to reach the target by 2026-12-31; last 4 weeks +30/day → about 1,570 by the due date, target reached around 2026-12-12"
		if got := paceOf(t, "1.1"); got != want {
			t.Errorf("pace\n%s\nwant\n%s", got, want)
		}
		if got := paceOf(t, "1"); got != want {
			t.Errorf("show 1's pace\n%s\nwant\n%s", got, want)
		}
	})

	t.Run("moving away from the target", func(t *testing.T) {
		// 300 then 230 a week later: -10/day. Needed (1,000 - 230) / 35 =
		// 22/day; projected 230 - 350 = -120.
		mustRun(t, x, as(alice), "update 1.2 300 as-of:2026-11-19")
		mustRun(t, x, as(alice), "update 1.2 230")
		want := "pace: need +22/day to reach the target by 2026-12-31; last 4 weeks -10/day → about -120 by the due date, target not reached at this pace"
		if got := paceOf(t, "1.2"); got != want {
			t.Errorf("pace\n%s\nwant\n%s", got, want)
		}
	})

	t.Run("the next milestone is the goal", func(t *testing.T) {
		// 800 planned by 2026-12-06, 10 days away: (800 - 520) / 10 = 28/day.
		mustRun(t, x, as(alice), "milestone 1.1 2026-12-06 Campaign peak target:800")
		mustRun(t, x, as(alice), "milestone 1.1 2026-12-20 Later target:900") // not the next one
		want := "pace: need +28/day to reach the milestone's 800 by 2026-12-06; last 4 weeks +30/day → about 1,570 by the due date, target reached around 2026-12-12"
		if got := paceOf(t, "1.1"); got != want {
			t.Errorf("pace\n%s\nwant\n%s", got, want)
		}
	})

	t.Run("target reached", func(t *testing.T) {
		mustRun(t, x, as(alice), "update 1.2 1000")
		if got := mustRun(t, x, as(carol), "show 1.2"); !strings.Contains(got, "\n🎯 target reached") {
			t.Errorf("show 1.2 replied\n%s", got)
		}
	})
}

// TestMilestones checks adding milestones, their marks in show, and every
// refusal. Objective 1 runs 2026-10-01 to 2026-12-31; 1.1 is at 1,500 of
// 1,000 -> 2,000; 1.2 is yes/no.
func TestMilestones(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Launch start:2026-10-01")
	mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000")
	mustRun(t, x, as(alice), "kr 1 Playbook kind:yesno")
	mustRun(t, x, as(alice), "update 1.1 1500")

	added := []struct{ text, want string }{
		{"milestone 1.1 2026-11-01 Early push target:1,400", "Added a milestone to key result 1.1: 2026-11-01 Early push · planned 1,400"},
		{"milestone 1.1 2026-11-20 Mid-way target:1.8k", "Added a milestone to key result 1.1: 2026-11-20 Mid-way · planned 1,800"},
		{"milestone 1.1 2026-12-15 Nearly there target:1900", "Added a milestone to key result 1.1: 2026-12-15 Nearly there · planned 1,900"},
		{"milestone 1 2026-12-20 Campaign live target:60%", "Added a milestone to objective 1: 2026-12-20 Campaign live · planned progress 60%"},
		{"milestone 1 2026-11-25 Half-way review target:0.25", "Added a milestone to objective 1: 2026-11-25 Half-way review · planned progress 25%"},
		{"milestone 1 2026-11-10 Kick-off", "Added a milestone to objective 1: 2026-11-10 Kick-off"},
		{"milestone 1.2 2026-12-31 Published", "Added a milestone to key result 1.2: 2026-12-31 Published"},
	}
	for _, tt := range added {
		t.Run(tt.text, func(t *testing.T) {
			before := tableRows(t, db, "milestones")
			if got := mustRun(t, x, as(alice), tt.text); got != tt.want {
				t.Errorf("replied\n%s\nwant\n%s", got, tt.want)
			}
			if after := tableRows(t, db, "milestones"); after != before+1 {
				t.Errorf("milestones %d -> %d, want one more", before, after)
			}
		})
	}

	t.Run("show marks them", func(t *testing.T) {
		// Objective progress: 1.1 at 50%, 1.2 at 0% = 25%, so the 25%
		// review is reached.
		want := "Milestones\n" +
			"✅ 2026-11-01 1.1 Early push · planned 1,400\n" +
			"☑️ 2026-11-10 Kick-off\n" +
			"⚠️ overdue 2026-11-20 1.1 Mid-way · planned 1,800\n" +
			"✅ 2026-11-25 Half-way review · planned 25%\n" +
			"⏳ 2026-12-15 1.1 Nearly there · planned 1,900\n" +
			"⏳ 2026-12-20 Campaign live · planned 60%\n" +
			"⏳ 2026-12-31 1.2 Published"
		mustContain(t, "show 1", mustRun(t, x, as(carol), "show 1"), want)
		wantKR := "Milestones\n" +
			"✅ 2026-11-01 1.1 Early push · planned 1,400\n" +
			"⚠️ overdue 2026-11-20 1.1 Mid-way · planned 1,800\n" +
			"⏳ 2026-12-15 1.1 Nearly there · planned 1,900\n"
		got := mustRun(t, x, as(carol), "show 1.1")
		mustContain(t, "show 1.1", got, wantKR)
		mustNotContain(t, "show 1.1", got, "Kick-off", "Published")
	})

	refusals := []struct {
		name, user, text, want string
	}{
		{"after the due date", alice, "milestone 1 2027-01-15 Too late",
			withUsage("The milestone's date 2027-01-15 is after the due date 2026-12-31.", "milestone")},
		{"on the start", alice, "milestone 1 2026-10-01 Start",
			withUsage("The milestone's date 2026-10-01 is not after the start 2026-10-01.", "milestone")},
		{"before the start", alice, "milestone 1.1 2026-09-15 Early",
			withUsage("The milestone's date 2026-09-15 is not after the start 2026-10-01.", "milestone")},
		{"target in the wrong unit", alice, "milestone 1.1 2026-12-01 Half target:50%",
			withUsage("target: 1.1 is measured in plain numbers, not %.", "milestone")},
		{"target on a yes/no key result", alice, "milestone 1.2 2026-12-01 Draft target:1",
			withUsage("target: key result 1.2 is yes/no; its milestones take no target.", "milestone")},
		{"objective target above 100%", alice, "milestone 1 2026-12-01 Beyond target:150%",
			withUsage("target: planned progress must be between 0% and 100%.", "milestone")},
		{"objective target below 0%", alice, "milestone 1 2026-12-01 Behind target:-10%",
			withUsage("target: planned progress must be between 0% and 100%.", "milestone")},
		{"objective target as a plain 60", alice, "milestone 1 2026-12-01 Sixty target:60",
			withUsage("target: planned progress must be between 0% and 100%.", "milestone")},
		{"objective target in dollars", alice, "milestone 1 2026-12-01 Money target:$5",
			withUsage("target: an objective's milestone plans progress, like 60%, not $.", "milestone")},
		{"unknown key result", alice, "milestone 1.9 2026-12-01 Nowhere", "Key result 1.9 not found."},
		{"unknown objective", alice, "milestone 9 2026-12-01 Nowhere", "Objective 9 not found."},
		{"by a non-owner", carol, "milestone 1 2026-12-01 Mine now",
			"Only the owner of objective 1 or an admin may add milestones to it. Ask @U0ALICE01."},
		{"without a date", alice, "milestone 1", withUsage("Give the milestone's date, like 2026-12-01.", "milestone")},
		{"without a title", alice, "milestone 1 2026-12-01", withUsage("Give the milestone a title.", "milestone")},
		{"bad date", alice, "milestone 1 soon Launch",
			withUsage(`"soon" is not a date. Try 2026-12-31, 12-31, Q4, +30d, friday or tomorrow.`, "milestone")},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) { mustRefuse(t, x, db, as(tt.user), tt.text, tt.want) })
	}

	t.Run("an admin may add one", func(t *testing.T) {
		if got := mustRun(t, x, as(admin), "milestone 1 2026-12-01 Admin check"); got != "Added a milestone to objective 1: 2026-12-01 Admin check" {
			t.Errorf("replied %q", got)
		}
	})

	t.Run("key result due date bounds its milestones", func(t *testing.T) {
		mustRun(t, x, as(alice), "kr 1 Early result from:0 to:10 due:2026-12-01")
		mustRefuse(t, x, db, as(alice), "milestone 1.3 2026-12-05 After it",
			withUsage("The milestone's date 2026-12-05 is after the due date 2026-12-01.", "milestone"))
	})
}

// TestEditRecordsChanges edits every field of an objective and of a key
// result, and checks the reply, history and stored values.
func TestEditRecordsChanges(t *testing.T) {
	x, db, clock := MustExecutorClock(t)
	mustRun(t, x, as(alice), "new Grow followers")
	mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000")
	clock.Set(t, "2026-11-27")

	tests := []struct {
		name, user, text, change string
		history                  string // the history to look in: "1" or "1.1"
	}{
		{"objective title", alice, `edit 1 title:"Grow reach"`, "title: Grow followers → Grow reach", "1"},
		{"objective due", alice, "edit 1 due:2027-01-31", "due: 2026-12-31 → 2027-01-31", "1"},
		{"objective start", alice, "edit 1 start:2026-11-01", "start: 2026-11-26 → 2026-11-01", "1"},
		{"objective channel", alice, "edit 1 channel:<#C0MKTG001|marketing>", "channel: #C0GEN0001 → #C0MKTG001", "1"},
		{"objective framework", alice, "edit 1 framework:SMART", "framework: okr → smart", "1"},
		{"objective type", alice, "edit 1 type:leads", "type: (none) → leads", "1"},
		{"objective aim", alice, `edit 1 aim:"More inbound leads"`, "aim: (none) → More inbound leads", "1"},
		{"key result title", alice, `edit 1.1 title:"LinkedIn followers"`, "1.1 title: Followers → LinkedIn followers", "1.1"},
		{"key result from", alice, "edit 1.1 from:1,100", "1.1 from: 1000 → 1100", "1.1"},
		{"key result to", alice, "edit 1.1 to:2.5k", "1.1 to: 2000 → 2500", "1.1"},
		{"key result unit", alice, "edit 1.1 unit:followers", "1.1 unit: (none) → followers", "1.1"},
		{"key result weight", alice, "edit 1.1 weight:2", "1.1 weight: 1 → 2", "1.1"},
		{"key result owner", alice, "edit 1.1 owner:<@U0BOB0001|bob>", "1.1 owner: @U0ALICE01 → @U0BOB0001", "1.1"},
		{"key result due", alice, "edit 1.1 due:2027-01-15", "1.1 due: (none) → 2027-01-15", "1.1"},
		{"objective owner, by an admin", admin, "edit 1 owner:<@U0BOB0001|bob>", "owner: @U0ALICE01 → @U0BOB0001", "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			what := "objective 1"
			if tt.history == "1.1" {
				what = "key result 1.1"
			}
			before := tableRows(t, db, "changes")
			if got, want := mustRun(t, x, as(tt.user), tt.text), "Changed "+what+":\n"+tt.change; got != want {
				t.Errorf("replied\n%s\nwant\n%s", got, want)
			}
			if after := tableRows(t, db, "changes"); after != before+1 {
				t.Errorf("changes %d -> %d, want one more", before, after)
			}
			entry := "2026-11-27 09:30 UTC @" + tt.user + " · " + tt.change
			for _, h := range []string{"1", tt.history} {
				got := mustRun(t, x, as(carol), "history "+h)
				_, changes, ok := strings.Cut(got, "\nChanges\n")
				if !ok {
					t.Fatalf("history %s lists no changes:\n%s", h, got)
				}
				if first := firstLine(changes); first != entry {
					t.Errorf("history %s's newest change is\n%s\nwant\n%s", h, first, entry)
				}
			}
		})
	}

	t.Run("stored", func(t *testing.T) {
		o := mustFindObjective(t, db, 1)
		kr := o.KeyResults[0]
		if o.Title != "Grow reach" || o.Due.String() != "2027-01-31" || o.Start.String() != "2026-11-01" || o.OwnerID != bob ||
			o.ChannelID != marketing || o.Framework != goalbot.FrameworkSMART || o.GoalType != "leads" || o.Aim != "More inbound leads" {
			t.Errorf("stored objective %+v", o)
		}
		if kr.Title != "LinkedIn followers" || kr.Start != 1100 || kr.Target != 2500 || kr.Unit != "followers" ||
			kr.Weight != 2 || kr.OwnerID != bob || kr.Due.String() != "2027-01-15" {
			t.Errorf("stored key result %+v", kr)
		}
	})

	t.Run("several fields at once", func(t *testing.T) {
		got := mustRun(t, x, as(admin), "edit 1.1 to:3000 weight:1")
		if want := "Changed key result 1.1:\n1.1 to: 2500 → 3000\n1.1 weight: 2 → 1"; got != want {
			t.Errorf("replied\n%s\nwant\n%s", got, want)
		}
	})

	for _, tt := range []struct{ name, text, want string }{
		{"nothing changed on the objective", `edit 1 title:"Grow reach" due:2027-01-31`, "Nothing changed: Objective 1 already has those values."},
		{"nothing changed on the key result", "edit 1.1 to:3,000 unit:followers", "Nothing changed: Key result 1.1 already has those values."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := dump(t, db)
			r := run(t, x, as(bob), tt.text)
			if r.Failed || r.PlainText() != tt.want {
				t.Errorf("replied (failed %v)\n%s\nwant\n%s", r.Failed, r.PlainText(), tt.want)
			}
			if after := dump(t, db); after != before {
				t.Errorf("an edit without changes wrote:\n%s\n->\n%s", before, after)
			}
		})
	}
}

// TestLifecycle walks close, reopen and archive, and every refusal on the
// way: a closed or archived objective takes no changes until reopened.
func TestLifecycle(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Grow followers")
	mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000")
	mustRun(t, x, as(alice), "update 1.1 1500")

	frozen := func(t *testing.T, state string) {
		for _, tt := range []struct{ text, want string }{
			{"edit 1 title:Other", withUsage("Objective 1 is "+state+"; reopen it first.", "edit")},
			{"edit 1.1 to:3000", withUsage("Objective 1 is "+state+"; reopen it first.", "edit")},
			{"kr 1 Reach from:0 to:10", withUsage("Objective 1 is "+state+"; reopen it first.", "kr")},
			{"milestone 1 2026-12-15 Launch", withUsage("Objective 1 is "+state+"; reopen it first.", "milestone")},
			{"update 1.1 1600", withUsage("Objective 1 is "+state+"; reopen it first.", "update")},
			{"delete 1.1 confirm", withUsage("Objective 1 is "+state+"; reopen it first.", "delete")},
		} {
			t.Run(tt.text, func(t *testing.T) { mustRefuse(t, x, db, as(alice), tt.text, tt.want) })
		}
	}

	steps := []struct {
		name, text, want string
		refused          bool
		state            goalbot.State
	}{
		{"reopen an active objective", "reopen 1", "Objective 1 is already active.", true, goalbot.StateActive},
		{"close", "close 1", "Closed objective 1: Grow followers\n🟡 OKR score 0.50: below the 0.7 success mark.", false, goalbot.StateClosed},
		{"close a closed objective", "close 1 score:0.9", "Objective 1 is already closed.", true, goalbot.StateClosed},
		{"reopen", "reopen 1", "Reopened objective 1: Grow followers (50%, due 2026-12-31 (35 days left)).", false, goalbot.StateActive},
		{"archive", "archive 1", "Archived objective 1: Grow followers. It is kept for the record and hidden from lists; /goal reopen brings it back.", false, goalbot.StateArchived},
		{"archive twice", "archive 1", "Objective 1 is already archived.", true, goalbot.StateArchived},
		{"close an archived objective", "close 1", "Objective 1 is already archived.", true, goalbot.StateArchived},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			if tt.refused {
				mustRefuse(t, x, db, as(alice), tt.text, tt.want)
			} else if got := mustRun(t, x, as(alice), tt.text); got != tt.want {
				t.Errorf("replied\n%s\nwant\n%s", got, tt.want)
			}
			o := mustFindObjective(t, db, 1)
			if o.State != tt.state {
				t.Errorf("state %s, want %s", o.State, tt.state)
			}
			switch tt.state {
			case goalbot.StateClosed:
				if !o.Scored || o.Score != 0.5 {
					t.Errorf("closed with scored %v, score %v; want 0.5", o.Scored, o.Score)
				}
				frozen(t, "closed")
			case goalbot.StateArchived:
				frozen(t, "archived")
				if got := listed(run(t, x, as(alice), "list all")); len(got) != 0 {
					t.Errorf("list all shows %v, want the archived objective hidden", got)
				}
				if got := lines(mustRun(t, x, as(carol), "show 1"))[1]; !strings.HasSuffix(got, "· 🗄️ archived") {
					t.Errorf("show's status line %q, want archived", got)
				}
			case goalbot.StateActive:
				if o.Scored || o.CloseNote != "" {
					t.Errorf("active with scored %v, note %q", o.Scored, o.CloseNote)
				}
			}
		})
	}

	t.Run("reopened takes changes again", func(t *testing.T) {
		mustRun(t, x, as(alice), "reopen 1")
		mustRun(t, x, as(alice), "update 1.1 1600")
		mustRun(t, x, as(alice), `edit 1 title:"Grow more"`)
		if got := listed(run(t, x, as(alice), "list all")); len(got) != 1 {
			t.Errorf("list all shows %v after reopening", got)
		}
	})

	t.Run("history shows the transitions", func(t *testing.T) {
		got := mustRun(t, x, as(carol), "history 1")
		mustContain(t, "history 1", got,
			"@U0ALICE01 · state: archived → active",
			"@U0ALICE01 · state: active → archived",
			"@U0ALICE01 · score: 0.5 → (none)",
			"@U0ALICE01 · state: closed → active",
			"@U0ALICE01 · score: (none) → 0.5",
			"@U0ALICE01 · state: active → closed")
	})
}

// TestDelete checks that delete asks first and deletes only with confirm,
// that the deletion cascades, and that history outlives it.
func TestDelete(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Grow followers")
	mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000")
	mustRun(t, x, as(alice), "kr 1 Reach from:0 to:100")
	mustRun(t, x, as(alice), "update 1.1 1500")
	mustRun(t, x, as(alice), "update 1.2 10")
	mustRun(t, x, as(alice), "update 1.2 20")
	mustRun(t, x, as(alice), "milestone 1.2 2026-12-15 Half target:50")
	mustRun(t, x, as(alice), "milestone 1 2026-12-20 Review")
	mustRun(t, x, as(alice), "new Another goal")

	t.Run("objective without confirm", func(t *testing.T) {
		mustRefuse(t, x, db, as(alice), "delete 1",
			`Deleting objective 1 "Grow followers" with its 2 key results cannot be undone. To go ahead: /goal delete 1 confirm`+
				"\n[Delete objective 1] [Cancel]")
	})
	t.Run("key result without confirm", func(t *testing.T) {
		mustRefuse(t, x, db, as(admin), "delete 1.2",
			`Deleting key result 1.2 "Reach" with its 2 check-ins cannot be undone. To go ahead: /goal delete 1.2 confirm`+
				"\n[Delete key result 1.2] [Cancel]")
	})
	t.Run("not confirm", func(t *testing.T) {
		mustRefuse(t, x, db, as(alice), "delete 1 please", withUsage(`"please" is not confirm.`, "delete"))
	})
	t.Run("unknown key result", func(t *testing.T) {
		mustRefuse(t, x, db, as(alice), "delete 1.9", "Key result 1.9 not found.")
		mustRefuse(t, x, db, as(alice), "delete 1.9 confirm", "Key result 1.9 not found.")
	})

	t.Run("key result with confirm", func(t *testing.T) {
		if got := mustRun(t, x, as(alice), "delete 1.2 CONFIRM"); got != "Deleted key result 1.2 and its check-ins." {
			t.Errorf("replied %q", got)
		}
		if c := countRows(t, db); c.KeyResults != 1 || c.CheckIns != 1 || c.Objectives != 2 {
			t.Errorf("rows %+v, want 1.1 and its one check-in left", c)
		}
		if n := tableRows(t, db, "milestones"); n != 1 {
			t.Errorf("%d milestones, want only the objective's", n)
		}
		mustRefuse(t, x, db, as(carol), "show 1.2", "Key result 1.2 not found.")
		if got := mustRun(t, x, as(carol), "show 1"); !strings.Contains(got, "█████░░░░░ 50% · ") || strings.Contains(got, "Reach") {
			t.Errorf("show 1 after deleting 1.2:\n%s", got)
		}
		mustContain(t, "history 1", mustRun(t, x, as(carol), "history 1"), "@U0ALICE01 · 1.2 deleted: Reach")
		if got := mustRun(t, x, as(alice), "kr 1 Reach again from:0 to:5"); !strings.HasPrefix(got, "Added key result 1.3 ") {
			t.Errorf("the next key result is not 1.3:\n%s", got)
		}
	})

	t.Run("objective with confirm", func(t *testing.T) {
		want := "Deleted objective 1 with its key results and check-ins. /goal history 1 still shows what happened to it."
		if got := mustRun(t, x, as(admin), "delete 1 confirm"); got != want {
			t.Errorf("replied\n%s\nwant\n%s", got, want)
		}
		if c := countRows(t, db); c.Objectives != 1 || c.KeyResults != 0 || c.CheckIns != 0 {
			t.Errorf("rows %+v, want only objective 2 left", c)
		}
		if n := tableRows(t, db, "milestones"); n != 0 {
			t.Errorf("%d milestones left", n)
		}
		mustRefuse(t, x, db, as(alice), "show 1", "Objective 1 not found.")
		got := mustRun(t, x, as(carol), "history 1")
		if want := "History of objective 1: (deleted)\nChanges\n2026-11-26 09:30 UTC @U0ADMIN01 · deleted: Grow followers\n"; !strings.HasPrefix(got, want) {
			t.Errorf("history 1 replied\n%s\nwant it to start with\n%s", got, want)
		}
		if got := firstLine(mustRun(t, x, as(alice), "new Third goal")); got != "Created objective 3: Third goal" {
			t.Errorf("numbers are reused: %q", got)
		}
		if got := firstLine(mustRun(t, x, as(carol), "show 2")); got != "Objective 2: Another goal" {
			t.Errorf("objective 2 is now %q", got)
		}
	})
}

// TestEveryMutationChecksPermission runs each command that changes an
// objective as its owner and an admin (allowed) and as others (refused,
// naming the owner, with nothing written). Objective 1 is alice's; key
// result 1.1 is bob's and 1.2 alice's.
func TestEveryMutationChecksPermission(t *testing.T) {
	tests := []struct {
		name    string
		prep    string // run by alice first, "" for nothing
		text    string
		refusal string
		allowed string // the first line of the reply when allowed
	}{
		{"kr", "", "kr 1 Reach from:1 to:2",
			"Only the owner of objective 1 or an admin may add key results to it.", "Added key result 1.3 to objective 1: Reach"},
		{"edit objective", "", "edit 1 due:2027-01-31",
			"Only the owner of objective 1 or an admin may edit it.", "Changed objective 1:"},
		{"edit key result", "", "edit 1.1 to:3000",
			"Only the owner of key result 1.1, the owner of objective 1 or an admin may edit it.", "Changed key result 1.1:"},
		{"milestone", "", "milestone 1.1 2026-12-15 Launch target:1500",
			"Only the owner of key result 1.1, the owner of objective 1 or an admin may add milestones to it.", "Added a milestone to key result 1.1: 2026-12-15 Launch · planned 1,500"},
		{"objective milestone", "", "milestone 1 2026-12-15 Launch target:50%",
			"Only the owner of objective 1 or an admin may add milestones to it.", "Added a milestone to objective 1: 2026-12-15 Launch · planned progress 50%"},
		{"close", "", "close 1 score:0.8",
			"Only the owner of objective 1 or an admin may close it.", "Closed objective 1: Grow followers"},
		{"reopen", "close 1", "reopen 1",
			"Only the owner of objective 1 or an admin may reopen it.", "Reopened objective 1: Grow followers (20%, due 2026-12-31 (35 days left))."},
		{"archive", "", "archive 1",
			"Only the owner of objective 1 or an admin may archive it.", "Archived objective 1: Grow followers. It is kept for the record and hidden from lists; /goal reopen brings it back."},
		{"delete", "", "delete 1",
			"Only the owner of objective 1 or an admin may delete it.", `Deleting objective 1 "Grow followers" with its 2 key results cannot be undone. To go ahead: /goal delete 1 confirm`},
		{"delete confirm", "", "delete 1 confirm",
			"Only the owner of objective 1 or an admin may delete it.", "Deleted objective 1 with its key results and check-ins. /goal history 1 still shows what happened to it."},
		{"delete key result", "", "delete 1.1",
			"Only the owner of key result 1.1, the owner of objective 1 or an admin may delete it.", `Deleting key result 1.1 "Followers" with its 1 check-in cannot be undone. To go ahead: /goal delete 1.1 confirm`},
		{"delete key result confirm", "", "delete 1.1 confirm",
			"Only the owner of key result 1.1, the owner of objective 1 or an admin may delete it.", "Deleted key result 1.1 and its check-ins."},
	}
	setup := func(t *testing.T, prep string) (*commands.Executor, *storage.DB) {
		x, db := MustExecutor(t)
		mustRun(t, x, as(alice), "new Grow followers")
		mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000 owner:<@U0BOB0001|bob>")
		mustRun(t, x, as(alice), "kr 1 Reach from:0 to:100")
		mustRun(t, x, as(alice), "update 1.1 1400")
		if prep != "" {
			mustRun(t, x, as(alice), prep)
		}
		return x, db
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// bob owns key result 1.1 but not the objective: he may change
			// that key result (DESIGN: "the key result's owner ... may
			// change or delete"), not the objective.
			krLevel := strings.HasPrefix(tt.refusal, "Only the owner of key result")
			refused, allowed, ask := []string{carol, bob}, []string{alice, admin}, " Ask @U0ALICE01."
			if krLevel {
				refused, allowed, ask = []string{carol}, []string{alice, admin, bob}, " Ask @U0BOB0001."
			}
			for _, who := range refused {
				t.Run("refused to "+who, func(t *testing.T) {
					x, db := setup(t, tt.prep)
					mustRefuse(t, x, db, as(who), tt.text, tt.refusal+ask)
				})
			}
			for _, who := range allowed {
				t.Run("allowed to "+who, func(t *testing.T) {
					x, db := setup(t, tt.prep)
					before := dump(t, db)
					r := run(t, x, as(who), tt.text)
					if got := firstLine(r.PlainText()); got != tt.allowed {
						t.Errorf("first line\n%s\nwant\n%s", got, tt.allowed)
					}
					asking := strings.HasPrefix(tt.allowed, "Deleting ")
					if r.Failed != asking {
						t.Errorf("failed %v, want %v:\n%s", r.Failed, asking, r.PlainText())
					}
					if changed := dump(t, db) != before; changed == asking {
						t.Errorf("database changed %v, want %v", changed, !asking)
					}
				})
			}
		})
	}
}

// TestWhoMayCheckIn checks check-in rights: the key result's owner, the
// objective's owner and admins; nobody else.
func TestWhoMayCheckIn(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Grow followers")
	mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000 owner:<@U0BOB0001|bob>")
	mustRun(t, x, as(alice), "kr 1 Reach from:0 to:100")
	tests := []struct {
		name, user, text, refusal string
	}{
		{"key result owner", bob, "update 1.1 1100", ""},
		{"objective owner", alice, "update 1.1 1200", ""},
		{"admin", admin, "update 1.1 1300", ""},
		{"stranger", carol, "update 1.1 1400",
			"Only the owner of key result 1.1, the owner of objective 1 or an admin may check in on it. Ask @U0BOB0001."},
		{"owner of another key result", bob, "update 1.2 50",
			"Only the owner of key result 1.2, the owner of objective 1 or an admin may check in on it. Ask @U0ALICE01."},
		{"another workspace", alice, "update 1.1 1500", "Objective 1 not found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := as(tt.user)
			if tt.name == "another workspace" {
				inv.TeamID = "T2"
			}
			if tt.refusal != "" {
				mustRefuse(t, x, db, inv, tt.text, tt.refusal)
				return
			}
			before := countRows(t, db).CheckIns
			if got := mustRun(t, x, inv, tt.text); !strings.HasPrefix(got, "Checked in 1.1 Followers: ") {
				t.Errorf("replied\n%s", got)
			}
			if after := countRows(t, db).CheckIns; after != before+1 {
				t.Errorf("check-ins %d -> %d", before, after)
			}
		})
	}
}

// TestTemplatesCommand checks templates: the ten types, one type's metrics
// with their direction, and the suggestions new and show make.
func TestTemplatesCommand(t *testing.T) {
	x, db := MustExecutor(t)

	t.Run("all ten", func(t *testing.T) {
		got := lines(mustRun(t, x, as(carol), "templates"))
		if len(got) != 12 || got[0] != "Goal templates" {
			t.Fatalf("templates replied %d lines:\n%s", len(got), strings.Join(got, "\n"))
		}
		for i, typ := range goalbot.GoalTypes {
			if !strings.HasPrefix(got[i+1], typ+" ") {
				t.Errorf("line %d is %q, want goal type %s", i+1, got[i+1], typ)
			}
		}
		if want := "See one with /goal templates <type>; tag an objective with /goal new <title> type:<type>"; got[11] != want {
			t.Errorf("last line %q", got[11])
		}
	})

	for _, tt := range []struct {
		typ, heading string
		want         []string
	}{
		{"conversions", "Template: Conversions and sales", []string{
			"\n• Conversion rate · in % · ↑ higher is better · ",
			"\n• Cost per click (CPC) · in $ · ↓ lower is better · ",
			"\n• Cost per 1,000 impressions (CPM) · in $ · ↓ lower is better · ",
			"\n• Click-through rate (CTR) · in % · ↑ higher is better · ",
		}},
		{"customer-service", "Template: Customer service", []string{
			"\n• Customer satisfaction (CSAT) · in % · ↑ higher is better · ",
			"\n• First response time · in min · ↓ lower is better · ",
		}},
		{"brand-awareness", "Template: Brand awareness", []string{
			"\n• Reach · in people · ↑ higher is better · ",
			"\n• Impressions · in impressions · ↑ higher is better · ",
			"\n• Brand mentions · in mentions · ↑ higher is better · ",
		}},
		{"Leads", "Template: Lead generation", []string{
			"\n• Cost per lead · in $ · ↓ lower is better · ",
			"\n• Landing-page bounce rate · in % · ↓ lower is better · ",
		}},
	} {
		t.Run(tt.typ, func(t *testing.T) {
			got := mustRun(t, x, as(carol), "templates "+tt.typ)
			if firstLine(got) != tt.heading {
				t.Errorf("heading %q, want %q", firstLine(got), tt.heading)
			}
			mustContain(t, "templates "+tt.typ, got, tt.want...)
			mustNotContain(t, "templates "+tt.typ, got, "/goal kr ")
		})
	}

	t.Run("unknown type", func(t *testing.T) {
		mustRefuse(t, x, db, as(carol), "templates growth", withUsage(`Unknown goal type "growth": use one of brand-awareness, reputation, community-engagement, conversions, customer-insight, leads, customer-service, recruiting, crisis-management, internal-communication.`, "templates"))
		mustRefuse(t, x, db, as(carol), "templates leads reputation", withUsage("templates takes at most one goal type.", "templates"))
	})

	leads := []string{
		"\nSuggested key results\n• Leads from social · in leads · ↑ higher is better · ",
		"\n  /goal kr 1 Leads from social from:N to:N unit:leads\n",
		"\n• Cost per lead · in $ · ↓ lower is better · Ad spend divided by leads.\n  /goal kr 1 Cost per lead from:$N to:$N\n",
	}
	t.Run("new with a type suggests key results", func(t *testing.T) {
		got := mustRun(t, x, as(alice), "new More leads type:leads")
		mustContain(t, "new", got, leads...)
	})
	t.Run("show without key results suggests them", func(t *testing.T) {
		got := mustRun(t, x, as(carol), "show 1")
		mustContain(t, "show 1", got, "\nNo key results yet. Add 2-5 with /goal kr 1 <title> from:N to:N.\n")
		mustContain(t, "show 1", got, leads...)
	})
	t.Run("show with key results does not", func(t *testing.T) {
		mustRun(t, x, as(alice), "kr 1 Leads from social from:0 to:100 unit:leads")
		mustNotContain(t, "show 1", mustRun(t, x, as(carol), "show 1"), "Suggested key results", "No key results yet")
	})
}

// TestGoalQuality checks the SMART criteria on creation and in show, and
// the OKR hints.
func TestGoalQuality(t *testing.T) {
	t.Run("new SMART objective lists the five criteria", func(t *testing.T) {
		x, _ := MustExecutor(t)
		got := mustRun(t, x, as(alice), "new Ship the playbook framework:smart")
		want := "\nSMART check:\n" +
			"⚠️ Specific: Add a key result that names what you will measure.\n" +
			"⚠️ Measurable: Add key results with a start value, a target and a unit.\n" +
			"⚠️ Achievable: Not known yet: check in on the key results first, to measure their pace.\n" +
			"⚠️ Relevant: Say what it serves: set a goal type (type:GOALTYPE) or an aim.\n" +
			"✅ Time-bound: It is due 2026-12-31."
		if !strings.HasSuffix(got, want) {
			t.Errorf("new replied\n%s\nwant it to end with\n%s", got, want)
		}
		if got := mustRun(t, x, as(alice), "new Grow"); strings.Contains(got, "SMART check") {
			t.Errorf("an OKR's new reply has the SMART check:\n%s", got)
		}
	})

	for _, tt := range []struct {
		name, new string
		relevant  string
	}{
		{"with an aim", `new More leads framework:smart aim:"Fill the sales pipeline"`, "✅ Relevant: It states the aim it serves."},
		{"with a type", "new More leads framework:smart type:leads", "✅ Relevant: It serves a goal type: Lead generation."},
	} {
		t.Run("show of a SMART objective "+tt.name+" meets them all", func(t *testing.T) {
			x, _ := MustExecutor(t)
			mustRun(t, x, as(alice), tt.new)
			mustRun(t, x, as(alice), "kr 1 Qualified leads from:0 to:1000 unit:leads")
			mustRun(t, x, as(alice), "update 1.1 100 as-of:2026-11-12")
			before := mustRun(t, x, as(carol), "show 1")
			mustContain(t, "show with one check-in day", before, "⚠️ Achievable: Not known yet")
			mustRun(t, x, as(alice), "update 1.1 330 as-of:2026-11-19")
			mustRun(t, x, as(alice), "update 1.1 520")
			want := "SMART check:\n" +
				"✅ Specific: Key result 1.1 names what it measures.\n" +
				"✅ Measurable: Every key result has a start, a target and a unit.\n" +
				"✅ Achievable: The pace needed is within 2× the pace so far.\n" +
				tt.relevant + "\n" +
				"✅ Time-bound: It is due 2026-12-31."
			mustContain(t, "show 1", mustRun(t, x, as(carol), "show 1"), want)
		})
	}

	t.Run("unmet criteria say why", func(t *testing.T) {
		x, _ := MustExecutor(t)
		mustRun(t, x, as(alice), "new Ship framework:smart")
		mustRun(t, x, as(alice), "kr 1 1,000 from:0 to:1000")
		mustRun(t, x, as(alice), "update 1.1 10 as-of:2026-11-12")
		mustRun(t, x, as(alice), "update 1.1 20") // 10 in 14 days; 980 needed in 35
		got := mustRun(t, x, as(carol), "show 1")
		mustContain(t, "show 1", got,
			"⚠️ Specific: Name what each key result measures, not just a number.",
			"⚠️ Measurable: Key result 1.1 has no unit: set one with unit:U (%, $, followers...).",
			"⚠️ Achievable: Key result 1.1 needs 39.2× the pace it has.")
	})

	for _, tt := range []struct {
		name string
		krs  int
		hint string
	}{
		{"OKR without key results", 0, "💡 Add 2-5 key results; about three is the norm."},
		{"OKR with three key results", 3, ""},
		{"OKR with five key results", 5, ""},
		{"OKR with six key results", 6, "💡 6 key results: about three per objective is the norm; consider splitting."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x, _ := MustExecutor(t)
			mustRun(t, x, as(alice), "new Grow")
			for i := range tt.krs {
				mustRun(t, x, as(alice), fmt.Sprintf("kr 1 Metric %d from:0 to:10", i+1))
			}
			got := mustRun(t, x, as(carol), "show 1")
			if tt.hint == "" {
				mustNotContain(t, "show 1", got, "💡")
			} else {
				mustContain(t, "show 1", got, "\n"+tt.hint+"\n")
			}
			mustNotContain(t, "show of an OKR", got, "SMART check")
		})
	}
}

// TestListOrderAndPages checks that list sorts by status (off track, at
// risk, on track) then by due date, and pages by 20.
func TestListOrderAndPages(t *testing.T) {
	x, db := MustExecutor(t)
	for _, text := range []string{
		"new On track later due:2027-03-31",                    // 1: on track
		"new Off track later start:2026-10-01 due:2027-02-28",  // 2: off track (no progress)
		"new At risk due:2026-12-31",                           // 3: at risk (low confidence)
		"new Off track sooner start:2026-10-01 due:2026-12-15", // 4: off track
		"new On track sooner due:2026-12-20",                   // 5: on track
		"new At risk sooner due:2026-12-30",                    // 6: at risk
	} {
		mustRun(t, x, as(alice), text)
	}
	mustRun(t, x, as(alice), "kr 3 Signups from:0 to:10")
	mustRun(t, x, as(alice), "update 3.1 1 confidence:low")
	mustRun(t, x, as(alice), "kr 6 Signups from:0 to:10")
	mustRun(t, x, as(alice), "update 6.1 1 confidence:2")

	t.Run("by status then due date", func(t *testing.T) {
		r := run(t, x, as(alice), "list all")
		if got, want := strings.Join(listed(r), ","), "4,2,6,3,5,1"; got != want {
			t.Errorf("listed %s, want %s:\n%s", got, want, r.PlainText())
		}
		mustContain(t, "list all", r.PlainText(),
			"4 Off track sooner\n░░░░░░░░░░ 0% · 🔴 off track · OKR · due 2026-12-15 (19 days left) · 0 key results · owner @U0ALICE01",
			"6 At risk sooner\n█░░░░░░░░░ 10% · 🟡 at risk · ",
			"1 On track later\n░░░░░░░░░░ 0% · 🟢 on track · ")
		mustNotContain(t, "a list of one page", r.PlainText(), "Page ")
	})
	t.Run("at-risk keeps the order", func(t *testing.T) {
		r := run(t, x, as(alice), "list at-risk")
		if got, want := strings.Join(listed(r), ","), "4,2,6,3"; got != want {
			t.Errorf("listed %s, want %s", got, want)
		}
	})

	for i := 7; i <= 25; i++ {
		mustRun(t, x, as(bob), fmt.Sprintf("new Filler %d due:2027-06-30", i))
	}
	for _, tt := range []struct {
		text   string
		want   string // the objectives listed
		footer string
	}{
		{"list all", "4,2,6,3,5,1,7,8,9,10,11,12,13,14,15,16,17,18,19,20",
			"Page 1 of 2 (25 objectives).\nAdd page:2 to the same command for the next page."},
		{"list all page:1", "4,2,6,3,5,1,7,8,9,10,11,12,13,14,15,16,17,18,19,20",
			"Page 1 of 2 (25 objectives).\nAdd page:2 to the same command for the next page."},
		{"list all page:2", "21,22,23,24,25", "Page 2 of 2 (25 objectives)."},
	} {
		t.Run(tt.text, func(t *testing.T) {
			r := run(t, x, as(carol), tt.text)
			if got := strings.Join(listed(r), ","); got != tt.want {
				t.Errorf("listed %s, want %s", got, tt.want)
			}
			if got := r.PlainText(); !strings.HasSuffix(got, "\n"+tt.footer) {
				t.Errorf("replied\n%s\nwant it to end with\n%s", got, tt.footer)
			}
		})
	}
	for _, tt := range []struct{ text, want string }{
		{"list all page:3", withUsage("There are only 2 pages of objectives here.", "list")},
		{"list all page:0", withUsage("page: must be a whole number from 1.", "list")},
		{"list all page:-1", withUsage("page: must be a whole number from 1.", "list")},
		{"list all page:1.5", withUsage("page: must be a whole number from 1.", "list")},
		{"list all page:two", withUsage(`page: "two" is not a number. Try 1200, 1,200, 1.5, 1.2k, 45% or $1,200.`, "list")},
	} {
		t.Run(tt.text, func(t *testing.T) { mustRefuse(t, x, db, as(carol), tt.text, tt.want) })
	}
}

// TestBadInputOfNewCommands checks that bad input to the lifecycle commands
// gets a one-line reason, the usage when the input is malformed, and writes
// nothing. Objective 1 is alice's (2026-11-26 to 2026-12-31) with key
// results 1.1 (1,000 -> 2,000, due 2026-12-20) and 1.2 (yes/no) and a
// milestone on 2026-12-15; objective 2 is archived.
func TestBadInputOfNewCommands(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Grow followers")
	mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000 due:2026-12-20")
	mustRun(t, x, as(alice), "kr 1 Playbook kind:yesno")
	mustRun(t, x, as(alice), "milestone 1 2026-12-15 Campaign")
	mustRun(t, x, as(alice), "milestone 1.1 2026-12-14 Reach target:1500")
	mustRun(t, x, as(alice), "new Old goal")
	mustRun(t, x, as(alice), "archive 2")

	tests := []struct{ name, text, want string }{
		{"unknown framework", "edit 1 framework:agile", withUsage(`Unknown framework "agile": use okr or smart.`, "edit")},
		{"unknown framework on new", "new Grow framework:scrum", withUsage(`Unknown framework "scrum": use okr or smart.`, "new")},
		{"unknown kind", "kr 1 Reach kind:bool from:1 to:2", withUsage(`Unknown kind "bool": use number or yesno.`, "kr")},
		{"unknown type", "edit 1 type:growth", withUsage(`Unknown goal type "growth": use one of brand-awareness, reputation, community-engagement, conversions, customer-insight, leads, customer-service, recruiting, crisis-management, internal-communication.`, "edit")},
		{"weight 0", "edit 1.1 weight:0", withUsage("weight: must be a number from 0.01 to 100.", "edit")},
		{"weight -1", "edit 1.1 weight:-1", withUsage("weight: must be a number from 0.01 to 100.", "edit")},
		{"weight 0 on kr", "kr 1 Reach from:1 to:2 weight:0", withUsage("weight: must be a number from 0.01 to 100.", "kr")},
		{"score 1.5", "close 1 score:1.5", withUsage("score: 1.5 is outside 0.0-1.0.", "close")},
		{"score -0.1", "close 1 score:-0.1", withUsage("score: -0.1 is outside 0.0-1.0.", "close")},
		{"score 150%", "close 1 score:150%", withUsage("score: 150% is outside 0.0-1.0.", "close")},
		{"score abc", "close 1 score:abc", withUsage(`score: "abc" is not a number. Try 1200, 1,200, 1.5, 1.2k, 45% or $1,200.`, "close")},
		{"score in dollars", "close 1 score:$0.5", withUsage("score: must be between 0.0 and 1.0 (or 0%-100%).", "close")},
		{"from equal to to", "kr 1 Reach from:5 to:5", withUsage("from and to are both 5: there is nothing to measure.", "kr")},
		{"edit to onto from", "edit 1.1 to:1,000", withUsage("from and to would both be 1,000: there would be nothing to measure.", "edit")},
		{"edit from onto to", "edit 1.1 from:2k", withUsage("from and to would both be 2,000: there would be nothing to measure.", "edit")},
		{"milestone after the due date", "milestone 1 2027-01-15 Late", withUsage("The milestone's date 2027-01-15 is after the due date 2026-12-31.", "milestone")},
		{"editing an archived objective", "edit 2 title:New", withUsage("Objective 2 is archived; reopen it first.", "edit")},
		{"deleting without confirmation", "delete 2", `Deleting objective 2 "Old goal" with its 0 key results cannot be undone. To go ahead: /goal delete 2 confirm` + "\n[Delete objective 2] [Cancel]"},
		{"edit with no changes", "edit 1", withUsage("Say what to change, like due:2027-03-31 or owner:@bob.", "edit")},
		{"edit without a target", "edit title:x", withUsage("Say which objective or key result to edit, like 3 or 3.1, then key:value changes.", "edit")},
		{"edit a bad reference", "edit x title:y", withUsage(`"x" is not an objective (3) or key result (3.1).`, "edit")},
		{"key-result field on an objective", "edit 1 from:5", withUsage("from: applies to key results, like 1.1, not objectives.", "edit")},
		{"weight on an objective", "edit 1 weight:2", withUsage("weight: applies to key results, like 1.1, not objectives.", "edit")},
		{"objective field on a key result", "edit 1.1 channel:#x", withUsage("channel: applies to objectives, not key results.", "edit")},
		{"aim on a key result", `edit 1.1 aim:"More"`, withUsage("aim: applies to objectives, not key results.", "edit")},
		{"delete please", "delete 1 please", withUsage(`"please" is not confirm.`, "delete")},
		{"delete nothing", "delete", withUsage("Say what to delete, like 3 or 3.1.", "delete")},
		{"edit unit mismatch", "edit 1.1 to:$5", withUsage("to: 1.1 is measured in plain numbers, not $.", "edit")},
		{"edit due in the past", "edit 1 due:2026-11-01", withUsage("The due date 2026-11-01 is in the past.", "edit")},
		{"edit start after due", "edit 1 start:2027-01-15", withUsage("The due date 2026-12-31 must be after the start 2027-01-15.", "edit")},
		{"edit due before a key result's due date (checked before milestones)", "edit 1 due:2026-12-14", withUsage(`Key result 1.1 is due 2026-12-20, outside the period 2026-11-26 to 2026-12-14; move it first.`, "edit")},
		{"edit start after a milestone", "edit 1 start:2026-12-16", withUsage(`Milestone "Reach" on 2026-12-14 would fall outside the period 2026-12-16 to 2026-12-31; move it first.`, "edit")},
		{"edit a key result's due before its milestone", "edit 1.1 due:2026-12-12", withUsage(`Milestone "Reach" of 1.1 on 2026-12-14 would fall after the due date 2026-12-12; move it first.`, "edit")},
		{"edit due before a key result's", "edit 1 due:2026-12-18", withUsage(
			"Key result 1.1 is due 2026-12-20, outside the period 2026-11-26 to 2026-12-18; move it first.", "edit")},
		{"edit start after a key result's due", "edit 1 start:2026-12-21", withUsage(
			"Key result 1.1 is due 2026-12-20, outside the period 2026-12-21 to 2026-12-31; move it first.", "edit")},
		{"edit key result due outside the period", "edit 1.1 due:2027-01-15", withUsage("due: 2027-01-15 is outside objective 1's period 2026-11-26 to 2026-12-31.", "edit")},
		{"edit from of a yes/no", "edit 1.2 from:0", withUsage("1.2 is a yes/no key result: it has no from, to or unit.", "edit")},
		{"edit unknown key result", "edit 1.9 title:x", "Key result 1.9 not found."},
		{"edit unknown objective", "edit 9 title:x", "Objective 9 not found."},
		{"reopen two", "reopen 1 2", withUsage("reopen takes one objective number, like 3.", "reopen")},
		{"archive nothing", "archive", withUsage("Say which objective, by its number (like 3).", "archive")},
		{"close a key result", "close 1.1", withUsage(`"1.1" is not an objective number (like 3).`, "close")},
		{"close unknown", "close 9", "Objective 9 not found."},
		{"history two", "history 1 2", withUsage("Say which objective or key result, like 3 or 3.1.", "history")},
		{"history of nothing", "history 9", "Objective 9 not found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { mustRefuse(t, x, db, as(alice), tt.text, tt.want) })
	}
}

// TestHelpExamplesOfNewCommandsParse checks that every example help shows
// for the lifecycle commands is accepted by the parser.
func TestHelpExamplesOfNewCommandsParse(t *testing.T) {
	for _, topic := range []string{"edit", "milestone", "close", "reopen", "archive", "delete", "templates"} {
		t.Run(topic, func(t *testing.T) {
			n := 0
			for _, b := range commands.Help(topic).Blocks {
				if !strings.HasPrefix(b.Text.PlainText(), "Examples:") {
					continue
				}
				for _, ex := range lines(b.Text.PlainText())[1:] {
					n++
					if _, err := commands.Parse(strings.TrimPrefix(ex, "/goal "), testToday); err != nil {
						t.Errorf("example %q does not parse: %v", ex, err)
					}
				}
			}
			if n == 0 {
				t.Errorf("help %s shows no examples", topic)
			}
		})
	}
}

// scoredObjective is a random objective of up to six key results, for
// property tests.
type scoredObjective struct{ O *goalbot.Objective }

// Generate implements quick.Generator.
func (scoredObjective) Generate(r *rand.Rand, _ int) reflect.Value {
	value := func() float64 {
		if r.Intn(3) == 0 {
			return float64(r.Intn(11) - 5)
		}
		return (r.Float64()*2 - 1) * 1e6
	}
	o := &goalbot.Objective{}
	for range r.Intn(7) {
		kr := &goalbot.KeyResult{Start: value(), Target: value(), Current: value(), Weight: float64(r.Intn(10000)+1) / 100}
		switch r.Intn(5) {
		case 0:
			kr.Kind, kr.Start, kr.Target, kr.Current = goalbot.KindYesNo, 0, 1, float64(r.Intn(2))
		case 1:
			kr.Pending = true
		}
		o.KeyResults = append(o.KeyResults, kr)
	}
	return reflect.ValueOf(scoredObjective{o})
}

// TestDefaultScoreProperties checks that the default close score is within
// 0..1 and is the objective's progress cut to two decimals (never above it).
func TestDefaultScoreProperties(t *testing.T) {
	f := func(in scoredObjective) bool {
		s, p := goalbot.DefaultScore(in.O), in.O.Progress()
		ok := s >= 0 && s <= 1 && s == math.Floor(p*100+1e-9)/100 && s <= p+1e-9 && p-s < 0.01
		if !ok {
			t.Logf("progress %v, score %v", p, s)
		}
		return ok
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 5000}); err != nil {
		t.Error(err)
	}
}

// TestMilestoneTargetsLieOnTheWay checks that a key result's planned value
// lies between its start and its target, in either direction, and that a
// pending baseline takes no planned values yet.
func TestMilestoneTargetsLieOnTheWay(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Grow followers")
	mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000")
	mustRun(t, x, as(alice), "kr 1 Cost per click from:$2 to:$1")
	mustRun(t, x, as(alice), "kr 1 Open rate from:pending to:40%")
	for _, tt := range []struct{ text, want string }{
		{"milestone 1.1 2026-12-15 Stretch target:5000",
			"target: a planned value of 1.1 lies between its start 1,000 and its target 2,000."},
		{"milestone 1.2 2026-12-15 Backwards target:$3",
			"target: a planned value of 1.2 lies between its start $2 and its target $1."},
		{"milestone 1.3 2026-12-15 Too early target:20%",
			"target: key result 1.3 has no baseline yet; plan values after its first check-in."},
	} {
		t.Run(tt.text, func(t *testing.T) { mustRefuse(t, x, db, as(alice), tt.text, withUsage(tt.want, "milestone")) })
	}
	if got := mustRun(t, x, as(alice), "milestone 1.2 2026-12-15 Half way target:$1.50"); !strings.Contains(got, "planned $1.50") {
		t.Errorf("a planned value on a lower-is-better key result was refused or lost:\n%s", got)
	}
}

// TestHistoryOfADeletedKeyResult checks that deleting a key result keeps its
// change log readable.
func TestHistoryOfADeletedKeyResult(t *testing.T) {
	x, _ := MustExecutor(t)
	mustRun(t, x, as(alice), "new Grow followers")
	mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000")
	mustRun(t, x, as(alice), "edit 1.1 to:2500")
	mustRun(t, x, as(alice), "delete 1.1 confirm")
	got := mustRun(t, x, as(carol), "history 1.1")
	mustContain(t, "history 1.1", got, "History of 1.1 (deleted)", "@U0ALICE01 · 1.1 deleted: Followers", "@U0ALICE01 · 1.1 to: 2000 → 2500")
	if r := run(t, x, as(carol), "history 1.7"); !r.Failed || firstLine(r.PlainText()) != "Key result 1.7 not found." {
		t.Errorf("history of a key result that never existed replied\n%s", r.PlainText())
	}
}

// TestStatusOnceThePeriodIsOver checks that past its due date an OKR is on
// track only at the 0.7 success mark, with no tolerance left.
func TestStatusOnceThePeriodIsOver(t *testing.T) {
	for _, tt := range []struct {
		value, status string
	}{
		{"57", "🔴 off track"},
		{"69", "🔴 off track"},
		{"70", "🟢 on track"},
	} {
		t.Run(tt.value, func(t *testing.T) {
			x, _, clock := MustExecutorClock(t)
			mustRun(t, x, as(alice), "new Reach start:2026-10-01 due:2026-11-30")
			mustRun(t, x, as(alice), "kr 1 Reach from:0 to:100")
			mustRun(t, x, as(alice), "update 1.1 "+tt.value)
			clock.Set(t, "2026-12-02")
			if got := lines(mustRun(t, x, as(carol), "show 1"))[1]; !strings.HasSuffix(got, " · "+tt.status) {
				t.Errorf("show's status line %q, want %s", got, tt.status)
			}
		})
	}
}

// TestMissedKeyResultInAnActiveSMARTGoal checks that a key result missed
// before its SMART objective is due makes the objective off track (urgent,
// listed first and under at-risk), not missed.
func TestMissedKeyResultInAnActiveSMARTGoal(t *testing.T) {
	x, _, clock := MustExecutorClock(t)
	mustRun(t, x, as(alice), "new Launch framework:smart start:2026-10-01 due:2026-12-31")
	mustRun(t, x, as(alice), "kr 1 Early signups from:0 to:10 due:2026-11-30")
	mustRun(t, x, as(alice), "kr 1 Pages from:0 to:100")
	mustRun(t, x, as(alice), "update 1.1 9")
	mustRun(t, x, as(alice), "update 1.2 90")
	mustRun(t, x, as(alice), "new Calm goal")
	mustRun(t, x, as(alice), "kr 2 Done already from:0 to:1")
	mustRun(t, x, as(alice), "update 2.1 1")
	clock.Set(t, "2026-12-01")
	show := mustRun(t, x, as(carol), "show 1")
	if got := lines(show)[1]; !strings.HasSuffix(got, " · 🔴 off track") {
		t.Errorf("objective status line %q, want off track", got)
	}
	mustContain(t, "show 1", show, "1.1 Early signups\n█████████░ 90% · now 9 · 0 → 10 (higher is better) · ❌ missed")
	if got := listed(run(t, x, as(carol), "list at-risk")); strings.Join(got, ",") != "1" {
		t.Errorf("list at-risk shows %v, want objective 1", got)
	}
	if got := listed(run(t, x, as(carol), "list all")); len(got) != 2 || got[0] != "1" {
		t.Errorf("list all shows %v, want objective 1 first", got)
	}
}

// TestPercentagesAreCut checks that 69.6% reads 69%, like its bar and its
// default score, not a successful-looking 70%.
func TestPercentagesAreCut(t *testing.T) {
	x, _ := MustExecutor(t)
	mustRun(t, x, as(alice), "new Reach")
	mustRun(t, x, as(alice), "kr 1 Reach from:0 to:1000")
	got := mustRun(t, x, as(alice), "update 1.1 696")
	mustContain(t, "update", got, "██████░░░░ 69% of the way")
	if got := mustRun(t, x, as(alice), "close 1"); !strings.Contains(got, "🟡 OKR score 0.69: below the 0.7 success mark.") {
		t.Errorf("close replied\n%s", got)
	}
}

// TestPendingBaselineAtTheTarget checks that a first check-in equal to the
// target is refused: it would leave nothing to measure.
func TestPendingBaselineAtTheTarget(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Newsletter")
	mustRun(t, x, as(alice), "kr 1 Open rate from:pending to:40%")
	mustRefuse(t, x, db, as(alice), "update 1.1 40%", withUsage(
		"This first check-in sets the baseline of 1.1, and 40% is already its target: there would be nothing to measure. Edit the target first.", "update"))
}
