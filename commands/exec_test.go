package commands_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/storage"
)

// The test workspace: users, channels and a fixed clock. testNow is a
// Thursday in the fourth quarter, so the default due date is 2026-12-31.
const (
	team      = "T1"
	alice     = "U0ALICE01"
	bob       = "U0BOB0001"
	carol     = "U0CAROL01" // neither owner nor admin of anything
	admin     = "U0ADMIN01"
	general   = "C0GEN0001"
	marketing = "C0MKTG001"
)

var (
	testNow   = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	testToday = goalbot.Date{Year: 2026, Month: time.November, Day: 26}
	testClock = goalbot.ClockFunc(func() time.Time { return testNow })
)

// MustExecutor returns an Executor in Slack mode (PlainNames false) with
// admin as its only admin, on a real SQLite store in a temp dir that is
// closed when the test ends. Store and executor share the fixed test clock.
func MustExecutor(tb testing.TB) (*commands.Executor, *storage.DB) {
	tb.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(tb.TempDir(), "goalbot.db"), testClock)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
	})
	return &commands.Executor{Store: db, Clock: testClock, Admins: []string{admin}}, db
}

// as is an invocation by user in the general channel of the test workspace.
func as(user string) commands.Invocation {
	return commands.Invocation{TeamID: team, UserID: user, ChannelID: general}
}

// run runs text and fails the test on an internal error.
func run(tb testing.TB, x *commands.Executor, inv commands.Invocation, text string) commands.Reply {
	tb.Helper()
	r, err := x.Run(context.Background(), inv, text)
	if err != nil {
		tb.Fatalf("%q: internal error %v; reply:\n%s", text, err, r.PlainText())
	}
	return r
}

// mustRun runs text, fails the test unless it succeeds, and returns the
// reply's plain text.
func mustRun(tb testing.TB, x *commands.Executor, inv commands.Invocation, text string) string {
	tb.Helper()
	r := run(tb, x, inv, text)
	if r.Failed {
		tb.Fatalf("%q failed:\n%s", text, r.PlainText())
	}
	return r.PlainText()
}

// rowCounts is how many rows each table of the store holds.
type rowCounts struct {
	Workspaces, Objectives, KeyResults, CheckIns int
}

// countRows counts the rows of every table, across all workspaces, through
// a separate read-only connection.
func countRows(tb testing.TB, db *storage.DB) rowCounts {
	tb.Helper()
	conn, err := sql.Open("sqlite3", "file:"+db.Path()+"?mode=ro")
	if err != nil {
		tb.Fatalf("open for counting: %v", err)
	}
	defer conn.Close()
	var c rowCounts
	for _, q := range []struct {
		table string
		n     *int
	}{{"workspaces", &c.Workspaces}, {"objectives", &c.Objectives}, {"key_results", &c.KeyResults}, {"check_ins", &c.CheckIns}} {
		if err := conn.QueryRow("SELECT COUNT(*) FROM " + q.table).Scan(q.n); err != nil {
			tb.Fatalf("count %s: %v", q.table, err)
		}
	}
	return c
}

// firstLine returns the first line of s.
func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// lines splits s into lines.
func lines(s string) []string { return strings.Split(s, "\n") }

// listed returns the objective numbers a list reply shows, in order: the
// sections that start with a bold number.
func listed(r commands.Reply) []string {
	var nums []string
	for _, b := range r.Blocks {
		if b.Kind == commands.Section && len(b.Text) > 0 && b.Text[0].Kind == commands.Strong {
			nums = append(nums, b.Text[0].Text)
		}
	}
	return nums
}

func mustFindKeyResult(tb testing.TB, db *storage.DB, team string, o, k int) *goalbot.KeyResult {
	tb.Helper()
	_, kr, err := db.FindKeyResult(context.Background(), team, goalbot.KRRef{Objective: o, Number: k})
	if err != nil {
		tb.Fatalf("find key result %d.%d: %v", o, k, err)
	}
	return kr
}

// TestDoneMeansPath walks the path of the DESIGN's definition of done:
// create an objective, add a key result 1000 -> 2000, check in 1500, and
// show the objective at 50%.
func TestDoneMeansPath(t *testing.T) {
	x, db := MustExecutor(t)
	inv := as(alice)

	got := mustRun(t, x, inv, "new Grow LinkedIn followers")
	want := "Created objective 1: Grow LinkedIn followers\n" +
		"OKR · owner @U0ALICE01 · due 2026-12-31 (35 days left) · #C0GEN0001\n" +
		"Next: add 2-5 key results with /goal kr 1 <title> from:N to:N"
	if got != want {
		t.Errorf("new replied\n%s\nwant\n%s", got, want)
	}

	got = mustRun(t, x, inv, "kr 1 LinkedIn followers from:1000 to:2000")
	want = "Added key result 1.1 to objective 1: LinkedIn followers\n" +
		"1,000 → 2,000 (higher is better) · owner @U0ALICE01 · weight 1\n" +
		"Check in with /goal update 1.1 <value>"
	if got != want {
		t.Errorf("kr replied\n%s\nwant\n%s", got, want)
	}

	got = mustRun(t, x, inv, "update 1.1 1500")
	want = "Checked in 1.1 LinkedIn followers: 1,500 (↑ +500, 🟢 better)\n" +
		"█████░░░░░ 50% of the way from 1,000 to 2,000 · 🟢 on track\n" +
		"Objective 1 (Grow LinkedIn followers) is now at 50%."
	if got != want {
		t.Errorf("update replied\n%s\nwant\n%s", got, want)
	}

	got = mustRun(t, x, inv, "show 1")
	want = "Objective 1: Grow LinkedIn followers\n" +
		"█████░░░░░ 50% · 🟢 on track\n" +
		"OKR · due 2026-12-31 (35 days left) · owner @U0ALICE01 · #C0GEN0001\n" +
		"1.1 LinkedIn followers\n" +
		"█████░░░░░ 50% · now 1,500 · 1,000 → 2,000 (higher is better) · 🟢 on track · owner @U0ALICE01 · last check-in 2026-11-26\n" +
		"pace: need +14.29/day to reach the target by 2026-12-31; check in on two different days to see the actual pace\n" +
		"Started 2026-11-26 · created by @U0ALICE01"
	if got != want {
		t.Errorf("show replied\n%s\nwant\n%s", got, want)
	}

	kr := mustFindKeyResult(t, db, team, 1, 1)
	if kr.Current != 1500 || kr.CheckIns != 1 || kr.LastAsOf != testToday {
		t.Errorf("stored key result: current %v, %d check-ins, last as-of %s; want 1500, 1, %s",
			kr.Current, kr.CheckIns, kr.LastAsOf, testToday)
	}
	if c := countRows(t, db); c != (rowCounts{Workspaces: 1, Objectives: 1, KeyResults: 1, CheckIns: 1}) {
		t.Errorf("rows = %+v", c)
	}
}

// TestDecreasingKeyResult checks a lower-is-better key result: a fall is
// progress, and the reply says it is better.
func TestDecreasingKeyResult(t *testing.T) {
	x, db := MustExecutor(t)
	inv := as(alice)
	mustRun(t, x, inv, "new Cheaper clicks")

	got := mustRun(t, x, inv, "kr 1 Cost per click from:$1.40 to:$0.90")
	if want := "$1.40 → $0.90 (lower is better)"; !strings.Contains(got, want) {
		t.Errorf("kr replied\n%s\nwant it to contain %q", got, want)
	}

	got = mustRun(t, x, inv, "update 1.1 $1.15")
	want := "Checked in 1.1 Cost per click: $1.15 (↓ -$0.25, 🟢 better)\n" +
		"█████░░░░░ 50% of the way from $1.40 to $0.90 · 🟢 on track\n" +
		"Objective 1 (Cheaper clicks) is now at 50%."
	if got != want {
		t.Errorf("update replied\n%s\nwant\n%s", got, want)
	}

	got = mustRun(t, x, inv, "update 1.1 $1.30")
	if want := "Checked in 1.1 Cost per click: $1.30 (↑ +$0.15, 🔴 worse)"; firstLine(got) != want {
		t.Errorf("a rise replied %q, want %q", firstLine(got), want)
	}

	kr := mustFindKeyResult(t, db, team, 1, 1)
	if kr.Unit != "$" || kr.Start != 1.40 || kr.Target != 0.90 || kr.Current != 1.30 || !kr.Decreasing() {
		t.Errorf("stored key result %+v; want $ 1.40 -> 0.90, current 1.30, decreasing", kr)
	}
}

// TestWeightedRollUp checks that an objective's progress is the weighted
// mean of its key results: (1×100% + 3×20%) / 4 = 40%, not the plain mean 60%.
func TestWeightedRollUp(t *testing.T) {
	x, db := MustExecutor(t)
	inv := as(alice)
	mustRun(t, x, inv, "new Weighted goal")
	mustRun(t, x, inv, "kr 1 Light from:0 to:100")
	if got := mustRun(t, x, inv, "kr 1 Heavy from:0 to:100 weight:3"); !strings.Contains(got, "· weight 3") {
		t.Errorf("kr with weight:3 replied\n%s", got)
	}
	mustRun(t, x, inv, "update 1.1 100")
	got := mustRun(t, x, inv, "update 1.2 20")
	if want := "Objective 1 (Weighted goal) is now at 40%."; !strings.HasSuffix(got, want) {
		t.Errorf("update replied\n%s\nwant it to end with %q", got, want)
	}

	got = mustRun(t, x, inv, "show 1")
	if want := "████░░░░░░ 40% · "; lines(got)[1][:len(want)] != want {
		t.Errorf("show's progress line is %q, want it to start with %q", lines(got)[1], want)
	}
	if want := "now 20 · 0 → 100 (higher is better) · 🟢 on track · owner @U0ALICE01 · weight 3 · last check-in 2026-11-26"; !strings.Contains(got, want) {
		t.Errorf("show replied\n%s\nwant it to contain %q", got, want)
	}
	o, err := db.FindObjective(context.Background(), team, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.KeyResults) != 2 || o.KeyResults[0].Weight != 1 || o.KeyResults[1].Weight != 3 {
		t.Fatalf("stored key results %+v; want weights 1 and 3", o.KeyResults)
	}
	if p := o.Progress(); p < 0.3999 || p > 0.4001 {
		t.Errorf("progress %v, want 0.4", p)
	}
}

// TestBackDatedCheckIn checks that a check-in measured before the latest
// one is recorded but does not become the current value, and the reply says so.
func TestBackDatedCheckIn(t *testing.T) {
	x, db := MustExecutor(t)
	inv := as(alice)
	mustRun(t, x, inv, "new Grow followers")
	mustRun(t, x, inv, "kr 1 Followers from:1000 to:2000")
	mustRun(t, x, inv, "update 1.1 1500")

	got := mustRun(t, x, inv, "update 1.1 1200 as-of:2026-11-20")
	want := "Checked in 1.1 Followers: 1,200\n" +
		"█████░░░░░ 50% of the way from 1,000 to 2,000 · 🟢 on track\n" +
		"Recorded as of 2026-11-20; the current value stays 1,500, measured 2026-11-26.\n" +
		"Objective 1 (Grow followers) is now at 50%."
	if got != want {
		t.Errorf("back-dated update replied\n%s\nwant\n%s", got, want)
	}
	kr := mustFindKeyResult(t, db, team, 1, 1)
	if kr.Current != 1500 || kr.CheckIns != 2 || kr.LastAsOf != testToday {
		t.Errorf("stored key result: current %v, %d check-ins, last as-of %s; want 1500, 2, 2026-11-26",
			kr.Current, kr.CheckIns, kr.LastAsOf)
	}
}

// TestList checks every scope of list against a workspace of four
// objectives:
//
//	1 alice's, in #general, its key result at low confidence (at risk)
//	2 bob's, in #marketing
//	3 bob's, in #sales, with a key result owned by alice
//	4 carol's, in #sales, started in October without progress (off track)
func TestList(t *testing.T) {
	x, _ := MustExecutor(t)
	inMarketing := func(user string) commands.Invocation {
		inv := as(user)
		inv.ChannelID = marketing
		return inv
	}
	inSales := func(user string) commands.Invocation {
		inv := as(user)
		inv.ChannelID = "C0SALES01"
		return inv
	}
	mustRun(t, x, as(alice), "new Alice's goal")
	mustRun(t, x, as(alice), "kr 1 Signups from:0 to:10")
	mustRun(t, x, as(alice), "update 1.1 1 confidence:low")
	mustRun(t, x, inMarketing(bob), "new Bob's marketing goal")
	mustRun(t, x, inSales(bob), "new Bob's sales goal")
	mustRun(t, x, inSales(bob), "kr 3 Deals from:0 to:5 owner:<@U0ALICE01|alice>")
	mustRun(t, x, inSales(carol), "new Carol's goal start:2026-10-01")

	tests := []struct {
		name    string
		inv     commands.Invocation
		text    string
		heading string
		want    []string
	}{
		{"default is the caller's and the channel's", inMarketing(alice), "list", "Your objectives and this channel's", []string{"1", "2", "3"}},
		{"default in another channel, most urgent first", inSales(carol), "list", "Your objectives and this channel's", []string{"4", "3"}},
		{"mine includes key results owned", as(alice), "list mine", "Your objectives", []string{"1", "3"}},
		{"mine is case-insensitive", as(bob), "list MINE", "Your objectives", []string{"2", "3"}},
		{"user mention with name", as(carol), "list <@U0BOB0001|bob>", "Objectives of @U0BOB0001", []string{"2", "3"}},
		{"user mention without name", as(carol), "list <@U0ALICE01>", "Objectives of @U0ALICE01", []string{"1", "3"}},
		{"channel link", as(alice), "list <#C0SALES01|sales>", "Objectives of #C0SALES01", []string{"4", "3"}},
		{"all: off track, at risk, then on track", as(carol), "list all", "All objectives", []string{"4", "1", "2", "3"}},
		{"at-risk", as(carol), "list at-risk", "Objectives at risk or off track", []string{"4", "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, x, tt.inv, tt.text)
			if r.Failed {
				t.Fatalf("failed:\n%s", r.PlainText())
			}
			if h := firstLine(r.PlainText()); h != tt.heading {
				t.Errorf("heading %q, want %q", h, tt.heading)
			}
			if got := listed(r); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("listed %v, want %v\n%s", got, tt.want, r.PlainText())
			}
		})
	}

	t.Run("statuses are shown", func(t *testing.T) {
		got := mustRun(t, x, as(carol), "list all")
		for _, want := range []string{
			"1 Alice's goal\n█░░░░░░░░░ 10% · 🟡 at risk · OKR · due 2026-12-31 (35 days left) · 1 key result · owner @U0ALICE01",
			"4 Carol's goal\n░░░░░░░░░░ 0% · 🔴 off track · OKR · due 2026-12-31 (35 days left) · 0 key results · owner @U0CAROL01",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("list all replied\n%s\nwant it to contain\n%s", got, want)
			}
		}
	})

	t.Run("nothing at risk", func(t *testing.T) {
		y, _ := MustExecutor(t)
		mustRun(t, y, as(alice), "new Fresh goal")
		mustRun(t, y, as(alice), "new Another fresh goal")
		r := run(t, y, as(alice), "list at-risk")
		want := "Objectives at risk or off track\nNo objective is at risk or off track."
		if got := r.PlainText(); got != want || r.Failed {
			t.Errorf("list at-risk replied\n%s\nwant\n%s", got, want)
		}
	})

	t.Run("nothing listed", func(t *testing.T) {
		inv := commands.Invocation{TeamID: team, UserID: "U0NEW0001", ChannelID: "C0EMPTY01"}
		got := mustRun(t, x, inv, "list")
		want := "Your objectives and this channel's\nNo active objectives here yet. Create one with /goal new <title>."
		if got != want {
			t.Errorf("empty list replied\n%s\nwant\n%s", got, want)
		}
	})
}

// TestHistoryNewestFirst checks that history lists check-ins by measurement
// date, newest first, whatever order they were entered in.
func TestHistoryNewestFirst(t *testing.T) {
	x, _ := MustExecutor(t)
	inv := as(alice)
	mustRun(t, x, inv, "new Grow followers")
	mustRun(t, x, inv, "kr 1 Followers from:1000 to:2000")

	got := mustRun(t, x, inv, "history 1.1")
	want := "History of 1.1: Followers\nNo check-ins yet. The start value is 1,000. Check in with /goal update 1.1 <value>."
	if got != want {
		t.Errorf("empty history replied\n%s\nwant\n%s", got, want)
	}

	mustRun(t, x, inv, "update 1.1 1100 as-of:2026-11-20")
	mustRun(t, x, inv, "update 1.1 1500 Campaign launched")
	mustRun(t, x, as(admin), "update 1.1 1,300 confidence:medium as-of:11-23")

	got = mustRun(t, x, inv, "history 1.1")
	want = "History of 1.1: Followers\n" +
		"3 check-ins\n" +
		"2026-11-26  1,500 (↑ +200, 🟢 better) · @U0ALICE01 · Campaign launched\n" +
		"2026-11-23  1,300 (↑ +200, 🟢 better) · confidence 5/10 · @U0ADMIN01\n" +
		"2026-11-20  1,100 · @U0ALICE01"
	if got != want {
		t.Errorf("history replied\n%s\nwant\n%s", got, want)
	}
}

// TestLongHistoryIsCut checks that history lists the latest 50 of 51
// check-ins, the oldest shown still with its change, and says so.
func TestLongHistoryIsCut(t *testing.T) {
	x, _ := MustExecutor(t)
	inv := as(alice)
	mustRun(t, x, inv, "new Grow followers")
	mustRun(t, x, inv, "kr 1 Followers from:1000 to:2000")
	for i := range 51 {
		mustRun(t, x, inv, fmt.Sprintf("update 1.1 %d as-of:-%dd", 1000+i, 51-i))
	}
	got := lines(mustRun(t, x, inv, "history 1.1"))
	if len(got) != 53 {
		t.Fatalf("history has %d lines, want heading, count, 50 check-ins and a note:\n%s", len(got), strings.Join(got, "\n"))
	}
	if got[1] != "51 check-ins" || got[52] != "Showing the latest 50 of 51 check-ins." {
		t.Errorf("count %q, note %q", got[1], got[52])
	}
	if want := "2026-10-07  1,001 (↑ +1, 🟢 better) · @U0ALICE01"; got[51] != want {
		t.Errorf("oldest line shown = %q, want %q", got[51], want)
	}
}

// TestPermissions checks who may add key results and check in.
func TestPermissions(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Grow followers")
	mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000 owner:<@U0BOB0001|bob>")

	refusals := []struct {
		name, text, want string
	}{
		{"stranger adds a key result", "kr 1 Reach from:1 to:2",
			"Only the owner of objective 1 or an admin may add key results to it. Ask @U0ALICE01."},
		{"stranger checks in", "update 1.1 1500",
			"Only the owner of key result 1.1, the owner of objective 1 or an admin may check in on it. Ask @U0BOB0001."},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			before := countRows(t, db)
			r := run(t, x, as(carol), tt.text)
			if !r.Failed {
				t.Errorf("not refused:\n%s", r.PlainText())
			}
			if got := r.PlainText(); got != tt.want {
				t.Errorf("replied\n%s\nwant\n%s", got, tt.want)
			}
			if after := countRows(t, db); after != before {
				t.Errorf("rows changed from %+v to %+v", before, after)
			}
		})
	}

	allowed := []struct {
		name, user, text, want string
	}{
		{"admin adds a key result", admin, "kr 1 Reach from:1 to:2", "Added key result 1.2 to objective 1: Reach"},
		{"admin checks in", admin, "update 1.1 1100", "Checked in 1.1 Followers: 1,100 (↑ +100, 🟢 better)"},
		{"key result owner checks in", bob, "update 1.1 1200", "Checked in 1.1 Followers: 1,200 (↑ +100, 🟢 better)"},
		{"objective owner checks in on another's key result", alice, "update 1.1 1300", "Checked in 1.1 Followers: 1,300 (↑ +100, 🟢 better)"},
		{"anyone reads", carol, "show 1.1", "Key result 1.1: Followers"},
	}
	for _, tt := range allowed {
		t.Run(tt.name, func(t *testing.T) {
			if got := firstLine(mustRun(t, x, as(tt.user), tt.text)); got != tt.want {
				t.Errorf("first line %q, want %q", got, tt.want)
			}
		})
	}
	if c := countRows(t, db); c.KeyResults != 2 || c.CheckIns != 3 {
		t.Errorf("rows = %+v, want 2 key results and 3 check-ins", c)
	}
}

// TestWorkspaceIsolation checks that another workspace sees none of T1's
// objectives, and numbers its own from 1.
func TestWorkspaceIsolation(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Secret plan")
	mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000")
	other := commands.Invocation{TeamID: "T2", UserID: alice, ChannelID: general}

	for _, text := range []string{"show 1", "show 1.1", "history 1.1", "update 1.1 1500", "kr 1 Reach from:1 to:2"} {
		t.Run(text, func(t *testing.T) {
			before := countRows(t, db)
			r := run(t, x, other, text)
			if !r.Failed {
				t.Errorf("T2 reached T1's objective:\n%s", r.PlainText())
			}
			if got := r.PlainText(); got != "Objective 1 not found." {
				t.Errorf("replied %q, want %q", got, "Objective 1 not found.")
			}
			if after := countRows(t, db); after != before {
				t.Errorf("rows changed from %+v to %+v", before, after)
			}
		})
	}
	t.Run("list all", func(t *testing.T) {
		r := run(t, x, other, "list all")
		if got := listed(r); len(got) != 0 || strings.Contains(r.PlainText(), "Secret") {
			t.Errorf("T2 lists %v:\n%s", got, r.PlainText())
		}
	})
	t.Run("numbering", func(t *testing.T) {
		if got := firstLine(mustRun(t, x, other, "new Their plan")); got != "Created objective 1: Their plan" {
			t.Errorf("T2's first objective: %q", got)
		}
		if got := firstLine(mustRun(t, x, as(alice), "show 1")); got != "Objective 1: Secret plan" {
			t.Errorf("T1's objective 1 is now %q", got)
		}
	})
}

// TestHelp checks that help lists every command and that help for one
// command shows its usage and options.
func TestHelp(t *testing.T) {
	x, _ := MustExecutor(t)
	t.Run("overview", func(t *testing.T) {
		got := mustRun(t, x, as(carol), "help")
		var commandLines []string
		for _, l := range lines(got) {
			if strings.HasPrefix(l, "/goal ") {
				commandLines = append(commandLines, l)
			}
		}
		if len(commandLines) != len(usages) {
			t.Fatalf("help lists %d commands, want %d:\n%s", len(commandLines), len(usages), got)
		}
		for i, name := range []string{"help", "new", "kr", "update", "list", "show", "history"} {
			if !strings.HasPrefix(commandLines[i], usages[name]+" ") {
				t.Errorf("help line %d is %q, want it to start with the usage %q", i+1, commandLines[i], usages[name])
			}
		}
		if want := "Numbers: 1200, 1,200, 1.2k, 2.5M, 45%, $1,200, 0,9. Dates: 2026-12-31, 12-31, Q4, 2026Q4, +30d, +6w, friday, today, tomorrow."; !strings.Contains(got, want) {
			t.Errorf("help replied\n%s\nwant it to contain %q", got, want)
		}
	})
	t.Run("kr", func(t *testing.T) {
		got := mustRun(t, x, as(carol), "help kr")
		want := "/goal kr\n" +
			"Add a key result to an objective (to below from means lower is better).\n" +
			"/goal kr <objective> <title> from:N|pending to:N [kind:number|yesno] [unit:U] [due:DATE] [owner:@user] [weight:N]\n" +
			"from:N|pending the start value; pending: the first check-in sets it\n" +
			"to:N the target value\n" +
			"kind:number|yesno yesno: done or not done, checked in with yes/no/done (no from/to)\n" +
			"unit:U the unit shown with values: $, %, followers... ($ and % are also read from the numbers)\n" +
			"due:DATE its own due date (default: the objective's)\n" +
			"owner:@user who checks in on it (default: you)\n" +
			"weight:N its weight in the objective's progress (default 1)\n" +
			"Examples:\n" +
			"/goal kr 1 LinkedIn followers from:1200 to:2000 unit:followers\n" +
			"/goal kr 1 Cost per click from:$1.40 to:$0.90 owner:@bob\n" +
			"/goal kr 1 Publish the crisis playbook kind:yesno\n" +
			"/goal kr 1 Newsletter open rate from:pending to:40%"
		if got != want {
			t.Errorf("help kr replied\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("examples in help run", func(t *testing.T) {
		// The examples help shows must be accepted by the parser.
		for _, topic := range []string{"new", "kr", "update", "list", "show", "history", "help"} {
			r := commands.Help(topic)
			for _, b := range r.Blocks {
				if !strings.HasPrefix(b.Text.PlainText(), "Examples:") {
					continue
				}
				for _, ex := range lines(b.Text.PlainText())[1:] {
					text := strings.TrimPrefix(ex, "/goal ")
					if _, err := commands.Parse(text, testToday); err != nil {
						t.Errorf("example %q of help %s does not parse: %v", ex, topic, err)
					}
				}
			}
		}
	})
}

// failingStore is a real store whose RecordCheckIn fails with a driver-like
// error.
type failingStore struct {
	commands.Store
	err error
}

func (f failingStore) RecordCheckIn(context.Context, *goalbot.CheckIn, func(*goalbot.Objective, *goalbot.KeyResult) error) (bool, error) {
	return false, f.err
}

// TestInternalErrorIsGeneric checks that a store failure gives the caller a
// generic reply with a reference, returns the error for the log, and keeps
// its text out of the reply.
func TestInternalErrorIsGeneric(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Grow followers")
	mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000")
	storeErr := errors.New("disk I/O error: /var/lib/goalbot/goalbot.db-wal is read-only")
	x.Store = failingStore{Store: db, err: storeErr}

	r, err := x.Run(context.Background(), as(alice), "update 1.1 1500")
	if err == nil {
		t.Fatalf("no error returned; reply:\n%s", r.PlainText())
	}
	if !errors.Is(err, storeErr) {
		t.Errorf("returned error %v does not wrap the store's", err)
	}
	if !r.Failed {
		t.Error("reply not marked failed")
	}
	got := r.PlainText()
	m := regexp.MustCompile(`^Something went wrong on our side \(ref ([0-9a-f]{8})\)\. Nothing was changed unless a reply said so; please try again\.$`).FindStringSubmatch(got)
	if m == nil {
		t.Fatalf("reply %q is not the generic one with a ref", got)
	}
	if !strings.Contains(err.Error(), "ref "+m[1]) {
		t.Errorf("error %q does not carry the reply's ref %s", err, m[1])
	}
	for _, leak := range []string{"disk", "I/O", "goalbot.db", "read-only", "record check-in"} {
		if strings.Contains(got, leak) {
			t.Errorf("reply leaks %q: %s", leak, got)
		}
	}
	if kr := mustFindKeyResult(t, db, team, 1, 1); kr.CheckIns != 0 || kr.Current != 1000 {
		t.Errorf("key result changed: %d check-ins, current %v", kr.CheckIns, kr.Current)
	}

	// Two failures get different references.
	r2, _ := x.Run(context.Background(), as(alice), "update 1.1 1500")
	if r2.PlainText() == got {
		t.Errorf("two failures share the reply %q", got)
	}
}

// TestCallerTimeZone checks that dates resolve in the caller's calendar: at
// 23:30 UTC on 2026-11-26 it is already the 27th in UTC+9.
func TestCallerTimeZone(t *testing.T) {
	x, db := MustExecutor(t)
	x.Clock = goalbot.ClockFunc(func() time.Time { return time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC) })
	inv := as(alice)
	inv.Location = time.FixedZone("UTC+9", 9*60*60)
	mustRun(t, x, inv, "new Tokyo launch due:tomorrow")
	o, err := db.FindObjective(context.Background(), team, 1)
	if err != nil {
		t.Fatal(err)
	}
	if o.Start.String() != "2026-11-27" || o.Due.String() != "2026-11-28" {
		t.Errorf("start %s, due %s; want 2026-11-27 and 2026-11-28 in the caller's zone", o.Start, o.Due)
	}
}
