package storage_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/internal/seed"
	"github.com/goalbot/goalbot/storage"
)

// movingClock is a clock the test moves forward.
type movingClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *movingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d and returns the new time.
func (c *movingClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// MustOpenClock is MustOpen with a clock that starts at testNow and that the
// test moves.
func MustOpenClock(tb testing.TB) (*storage.DB, *movingClock) {
	tb.Helper()
	clock := &movingClock{now: testNow}
	db, err := storage.Open(context.Background(), filepath.Join(tb.TempDir(), "goalbot.db"), clock)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, clock
}

// readOnly opens a separate read-only connection to db's file.
func readOnly(tb testing.TB, db *storage.DB) *sql.DB {
	tb.Helper()
	conn, err := sql.Open("sqlite3", "file:"+db.Path()+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	return conn
}

// dumpAll returns every row of every table, to tell that nothing was written.
func dumpAll(tb testing.TB, db *storage.DB) string {
	tb.Helper()
	out, err := seed.Dump(db.Path())
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// count runs a COUNT(*) query.
func count(tb testing.TB, db *storage.DB, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := readOnly(tb, db).QueryRow(query, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}

// mustCheckIn records a check-in of value on key result o.k of team.
func mustCheckIn(tb testing.TB, db *storage.DB, team string, o, k int, value float64, asOf string) {
	tb.Helper()
	c := &goalbot.CheckIn{TeamID: team, KR: goalbot.KRRef{Objective: o, Number: k}, Value: value, Confidence: -1, AsOf: day(asOf), UserID: "U1"}
	if _, err := db.RecordCheckIn(context.Background(), c, allowCheckIn); err != nil {
		tb.Fatal(err)
	}
}

// mustKeyResult adds a key result 0 -> 100 titled title to objective o of team.
func mustKeyResult(tb testing.TB, db *storage.DB, team string, o int, title string) *goalbot.KeyResult {
	tb.Helper()
	kr := &goalbot.KeyResult{TeamID: team, Ref: goalbot.KRRef{Objective: o}, Title: title, Target: 100, OwnerID: "U1", CreatedBy: "U1"}
	if err := db.CreateKeyResult(context.Background(), kr, allowObjective); err != nil {
		tb.Fatal(err)
	}
	return kr
}

// mustMilestone adds a milestone on date to objective o (key result k, or
// 0) of team.
func mustMilestone(tb testing.TB, db *storage.DB, team string, o, k int, date, title string) {
	tb.Helper()
	m := &goalbot.Milestone{TeamID: team, Objective: o, KR: k, Date: day(date), Title: title, CreatedBy: "U1"}
	if err := db.AddMilestone(context.Background(), m, func(*goalbot.Objective) error { return nil }); err != nil {
		tb.Fatal(err)
	}
}

// change is the part of a goalbot.Change a test compares.
type change struct {
	KR              int
	Field, Old, New string
}

func changesOf(list []goalbot.Change) []change {
	var out []change
	for _, c := range list {
		out = append(out, change{c.KR, c.Field, c.Old, c.New})
	}
	return out
}

func equalChanges(a, b []change) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestUpdateObjectiveSavesAndRecords(t *testing.T) {
	tests := []struct {
		name  string
		fn    func(o *goalbot.Objective)
		want  []change
		check func(t *testing.T, o *goalbot.Objective)
	}{
		{"objective fields", func(o *goalbot.Objective) {
			o.Title, o.OwnerID, o.ChannelID = "grown", "U2", "C9"
			o.Framework, o.GoalType, o.Aim = goalbot.FrameworkSMART, "leads", "More leads"
			o.Start, o.Due = day("2026-11-01"), day("2027-01-31")
		}, []change{
			{0, "title", "grow", "grown"}, {0, "owner", "U1", "U2"}, {0, "channel", "", "C9"},
			{0, "framework", "okr", "smart"}, {0, "type", "", "leads"}, {0, "aim", "", "More leads"},
			{0, "start", "2026-10-01", "2026-11-01"}, {0, "due", "2026-12-31", "2027-01-31"},
		}, func(t *testing.T, o *goalbot.Objective) {
			if o.Title != "grown" || o.OwnerID != "U2" || o.ChannelID != "C9" || o.Framework != goalbot.FrameworkSMART ||
				o.GoalType != "leads" || o.Aim != "More leads" || o.Start != day("2026-11-01") || o.Due != day("2027-01-31") {
				t.Errorf("stored %+v", o)
			}
		}},
		{"key result fields", func(o *goalbot.Objective) {
			kr := o.KeyResults[0]
			kr.Title, kr.Start, kr.Target, kr.Unit = "LinkedIn followers", 1100, 2500, "followers"
			kr.Weight, kr.OwnerID, kr.Due = 2, "U3", day("2026-12-15")
		}, []change{
			{1, "title", "Followers", "LinkedIn followers"}, {1, "from", "1000", "1100"}, {1, "to", "2000", "2500"},
			{1, "unit", "", "followers"}, {1, "weight", "1", "2"}, {1, "owner", "U1", "U3"}, {1, "due", "", "2026-12-15"},
		}, func(t *testing.T, o *goalbot.Objective) {
			kr := o.KeyResults[0]
			if kr.Title != "LinkedIn followers" || kr.Start != 1100 || kr.Target != 2500 || kr.Unit != "followers" ||
				kr.Weight != 2 || kr.OwnerID != "U3" || kr.Due != day("2026-12-15") || kr.Current != 1100 {
				t.Errorf("stored %+v", kr)
			}
		}},
		{"close with a score and a note", func(o *goalbot.Objective) {
			o.State, o.Scored, o.Score, o.CloseNote = goalbot.StateClosed, true, 0.7, "good quarter"
		}, []change{
			{0, "state", "active", "closed"}, {0, "score", "", "0.7"}, {0, "close note", "", "good quarter"},
		}, func(t *testing.T, o *goalbot.Objective) {
			if o.State != goalbot.StateClosed || !o.Scored || o.Score != 0.7 || o.CloseNote != "good quarter" {
				t.Errorf("stored state %s scored %v score %v note %q", o.State, o.Scored, o.Score, o.CloseNote)
			}
			// A closed objective is not listed.
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, clock := MustOpenClock(t)
			ctx := context.Background()
			MustObjective(t, db, "T1", "grow")
			at := clock.Advance(26 * time.Hour)

			o, changes, err := db.UpdateObjective(ctx, "T1", 1, "U7", func(o *goalbot.Objective) error {
				tt.fn(o)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := changesOf(changes); !equalChanges(got, tt.want) {
				t.Errorf("changes\n%v\nwant\n%v", got, tt.want)
			}
			for _, c := range changes {
				if c.TeamID != "T1" || c.Objective != 1 || c.UserID != "U7" || !c.At.Equal(at) {
					t.Errorf("change %+v: want team T1, objective 1, user U7, at %v", c, at)
				}
			}
			tt.check(t, o)
			stored, err := db.FindObjective(ctx, "T1", 1)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, stored)

			logged, err := db.ListChanges(ctx, "T1", 1, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(logged) != len(tt.want) {
				t.Fatalf("%d changes logged, want %d", len(logged), len(tt.want))
			}
			for i, c := range logged {
				want := tt.want[len(tt.want)-1-i] // newest first
				if got := (change{c.KR, c.Field, c.Old, c.New}); got != want || c.UserID != "U7" || !c.At.Equal(at) || c.TeamID != "T1" {
					t.Errorf("logged change %d: %+v, want %v by U7 at %v", i, c, want, at)
				}
			}
		})
	}
}

func TestUpdateObjectiveWithoutChangesWritesNothing(t *testing.T) {
	db, clock := MustOpenClock(t)
	MustObjective(t, db, "T1", "grow")
	before := dumpAll(t, db)
	clock.Advance(time.Hour)
	o, changes, err := db.UpdateObjective(context.Background(), "T1", 1, "U1", func(o *goalbot.Objective) error {
		o.Title = "grow" // the same value
		return nil
	})
	if err != nil || o == nil || len(changes) != 0 {
		t.Fatalf("UpdateObjective = %v, %v, %v; want the objective, no changes, no error", o, changes, err)
	}
	if after := dumpAll(t, db); after != before {
		t.Errorf("an update without changes wrote:\n%s\n->\n%s", before, after)
	}
}

func TestUpdateObjectiveRefusals(t *testing.T) {
	refused := errors.New("refused by fn")
	appErr := goalbot.Errorf(goalbot.ECONFLICT, "Objective 1 is closed; reopen it first.")
	tests := []struct {
		name   string
		number int
		fn     func(o *goalbot.Objective) error
		is     error  // the error returned, as is; nil to check the code
		code   string // the code of the error returned
		called bool   // whether fn must be called
	}{
		{"fn refuses after changing the objective", 1, func(o *goalbot.Objective) error {
			o.Title, o.KeyResults[0].Target = "changed", 5000
			return refused
		}, refused, goalbot.EINTERNAL, true},
		{"fn refuses with an application error", 1, func(o *goalbot.Objective) error {
			o.State = goalbot.StateArchived
			return appErr
		}, appErr, goalbot.ECONFLICT, true},
		{"fn adds a key result", 1, func(o *goalbot.Objective) error {
			o.Title = "changed"
			o.KeyResults = append(o.KeyResults, &goalbot.KeyResult{Title: "new", Target: 1, Weight: 1})
			return nil
		}, nil, goalbot.EINTERNAL, true},
		{"fn removes a key result", 1, func(o *goalbot.Objective) error {
			o.Title, o.KeyResults = "changed", nil
			return nil
		}, nil, goalbot.EINTERNAL, true},
		{"unknown objective", 9, func(o *goalbot.Objective) error { return nil }, nil, goalbot.ENOTFOUND, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, clock := MustOpenClock(t)
			MustObjective(t, db, "T1", "grow")
			mustMilestone(t, db, "T1", 1, 1, "2026-12-01", "half")
			before := dumpAll(t, db)
			clock.Advance(time.Hour)
			called := false
			o, changes, err := db.UpdateObjective(context.Background(), "T1", tt.number, "U1", func(o *goalbot.Objective) error {
				called = true
				return tt.fn(o)
			})
			if err == nil || o != nil || changes != nil {
				t.Fatalf("UpdateObjective = %v, %v, %v; want only an error", o, changes, err)
			}
			if tt.is != nil && err != tt.is {
				t.Errorf("error %v (%T), want fn's own %v returned as is", err, err, tt.is)
			}
			if code := goalbot.ErrorCode(err); code != tt.code {
				t.Errorf("error code %q, want %q", code, tt.code)
			}
			if called != tt.called {
				t.Errorf("fn called %v, want %v", called, tt.called)
			}
			if after := dumpAll(t, db); after != before {
				t.Errorf("a refused update wrote:\n%s\n->\n%s", before, after)
			}
		})
	}
}

// TestUpdateObjectiveSeesCurrentState checks that fn gets the objective as
// stored, with key results, current values and milestones loaded.
func TestUpdateObjectiveSeesCurrentState(t *testing.T) {
	db := MustOpen(t)
	MustObjective(t, db, "T1", "grow")
	mustCheckIn(t, db, "T1", 1, 1, 1500, "2026-11-20")
	mustMilestone(t, db, "T1", 1, 0, "2026-12-01", "review")
	_, _, err := db.UpdateObjective(context.Background(), "T1", 1, "U1", func(o *goalbot.Objective) error {
		if o.Number != 1 || o.TeamID != "T1" || len(o.KeyResults) != 1 || o.KeyResults[0].Current != 1500 ||
			len(o.Milestones) != 1 || o.Milestones[0].Title != "review" {
			t.Errorf("fn sees %+v", o)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDeleteObjectiveCascades checks that deleting objective 1 of T1
// removes its key results, check-ins and milestones, keeps the change log,
// and leaves T1's objective 2 and T2's objective 1 alone.
func TestDeleteObjectiveCascades(t *testing.T) {
	db, clock := MustOpenClock(t)
	ctx := context.Background()
	MustObjective(t, db, "T1", "grow")
	mustKeyResult(t, db, "T1", 1, "reach")
	mustCheckIn(t, db, "T1", 1, 1, 1200, "2026-11-20")
	mustCheckIn(t, db, "T1", 1, 2, 30, "2026-11-20")
	mustCheckIn(t, db, "T1", 1, 2, 40, "2026-11-21")
	mustMilestone(t, db, "T1", 1, 0, "2026-12-01", "review")
	mustMilestone(t, db, "T1", 1, 2, "2026-12-02", "half reach")
	MustObjective(t, db, "T1", "keep me")
	mustCheckIn(t, db, "T1", 2, 1, 1100, "2026-11-20")
	mustMilestone(t, db, "T1", 2, 1, "2026-12-03", "other")
	MustObjective(t, db, "T2", "other workspace")
	mustCheckIn(t, db, "T2", 1, 1, 1300, "2026-11-20")
	mustMilestone(t, db, "T2", 1, 1, "2026-12-04", "theirs")

	t.Run("refused by check", func(t *testing.T) {
		before := dumpAll(t, db)
		refused := goalbot.Errorf(goalbot.EFORBIDDEN, "no")
		var seen *goalbot.Objective
		err := db.DeleteObjective(ctx, "T1", 1, "U2", func(o *goalbot.Objective) error {
			seen = o
			return refused
		})
		if err != refused {
			t.Errorf("error %v, want check's own returned as is", err)
		}
		if seen == nil || seen.Title != "grow" || len(seen.KeyResults) != 2 || len(seen.Milestones) != 2 {
			t.Errorf("check saw %+v", seen)
		}
		if after := dumpAll(t, db); after != before {
			t.Errorf("a refused delete wrote:\n%s\n->\n%s", before, after)
		}
	})

	at := clock.Advance(time.Hour)
	if err := db.DeleteObjective(ctx, "T1", 1, "U2", func(*goalbot.Objective) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindObjective(ctx, "T1", 1); goalbot.ErrorCode(err) != goalbot.ENOTFOUND {
		t.Errorf("find deleted objective: %v, want not found", err)
	}
	for _, tt := range []struct {
		name, query string
		want        int
	}{
		{"objectives left", `SELECT COUNT(*) FROM objectives`, 2},
		{"key results left", `SELECT COUNT(*) FROM key_results`, 2},
		{"check-ins left", `SELECT COUNT(*) FROM check_ins`, 2},
		{"milestones left", `SELECT COUNT(*) FROM milestones`, 2},
		{"orphan key results", `SELECT COUNT(*) FROM key_results WHERE objective_id NOT IN (SELECT id FROM objectives)`, 0},
		{"orphan check-ins", `SELECT COUNT(*) FROM check_ins WHERE key_result_id NOT IN (SELECT id FROM key_results)`, 0},
		{"orphan milestones", `SELECT COUNT(*) FROM milestones WHERE objective_id NOT IN (SELECT id FROM objectives)`, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := count(t, db, tt.query); got != tt.want {
				t.Errorf("%d, want %d", got, tt.want)
			}
		})
	}
	for _, tt := range []struct {
		team       string
		number     int
		current    float64
		milestones int
	}{{"T1", 2, 1100, 1}, {"T2", 1, 1300, 1}} {
		o, err := db.FindObjective(ctx, tt.team, tt.number)
		if err != nil {
			t.Fatalf("%s's objective %d: %v", tt.team, tt.number, err)
		}
		if len(o.KeyResults) != 1 || o.KeyResults[0].Current != tt.current || o.KeyResults[0].CheckIns != 1 || len(o.Milestones) != tt.milestones {
			t.Errorf("%s's objective %d changed: %+v", tt.team, tt.number, o)
		}
	}

	log, err := db.ListChanges(ctx, "T1", 1, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []change{{0, "deleted", "grow", ""}, {2, "milestone", "", "2026-12-02 half reach"}, {0, "milestone", "", "2026-12-01 review"}}
	if got := changesOf(log); !equalChanges(got, want) {
		t.Errorf("change log %v, want %v", got, want)
	}
	if len(log) > 0 && (log[0].UserID != "U2" || !log[0].At.Equal(at)) {
		t.Errorf("deletion recorded as %+v, want by U2 at %v", log[0], at)
	}

	o := &goalbot.Objective{TeamID: "T1", Title: "next", OwnerID: "U1", Framework: goalbot.FrameworkOKR,
		Start: day("2026-10-01"), Due: day("2026-12-31"), CreatedBy: "U1"}
	if err := db.CreateObjective(ctx, o); err != nil {
		t.Fatal(err)
	}
	if o.Number != 3 {
		t.Errorf("next objective is %d, want 3: numbers are never reused", o.Number)
	}
	if err := db.DeleteObjective(ctx, "T1", 1, "U2", func(*goalbot.Objective) error { return nil }); goalbot.ErrorCode(err) != goalbot.ENOTFOUND {
		t.Errorf("deleting it again: %v, want not found", err)
	}
}

// TestDeleteKeyResultCascades checks that deleting key result 1.2 removes
// its check-ins and milestones, keeps 1.1's and the objective's, and
// records the deletion.
func TestDeleteKeyResultCascades(t *testing.T) {
	db, clock := MustOpenClock(t)
	ctx := context.Background()
	MustObjective(t, db, "T1", "grow")
	mustKeyResult(t, db, "T1", 1, "reach")
	mustCheckIn(t, db, "T1", 1, 1, 1200, "2026-11-20")
	mustCheckIn(t, db, "T1", 1, 2, 30, "2026-11-20")
	mustCheckIn(t, db, "T1", 1, 2, 40, "2026-11-21")
	mustMilestone(t, db, "T1", 1, 0, "2026-12-01", "review")
	mustMilestone(t, db, "T1", 1, 1, "2026-12-02", "half followers")
	mustMilestone(t, db, "T1", 1, 2, "2026-12-03", "half reach")
	ref := goalbot.KRRef{Objective: 1, Number: 2}

	t.Run("refused by check", func(t *testing.T) {
		before := dumpAll(t, db)
		refused := errors.New("no")
		err := db.DeleteKeyResult(ctx, "T1", ref, "U2", func(o *goalbot.Objective, kr *goalbot.KeyResult) error {
			if o.Number != 1 || kr.Ref != ref || kr.Title != "reach" || kr.CheckIns != 2 {
				t.Errorf("check saw %+v and %+v", o, kr)
			}
			return refused
		})
		if err != refused {
			t.Errorf("error %v, want check's own returned as is", err)
		}
		if after := dumpAll(t, db); after != before {
			t.Errorf("a refused delete wrote:\n%s\n->\n%s", before, after)
		}
	})
	t.Run("unknown key result", func(t *testing.T) {
		before := dumpAll(t, db)
		called := false
		err := db.DeleteKeyResult(ctx, "T1", goalbot.KRRef{Objective: 1, Number: 9}, "U2", func(*goalbot.Objective, *goalbot.KeyResult) error {
			called = true
			return nil
		})
		if goalbot.ErrorCode(err) != goalbot.ENOTFOUND || goalbot.ErrorMessage(err) != "Key result 1.9 not found." || called {
			t.Errorf("error %v (check called %v), want Key result 1.9 not found", err, called)
		}
		if after := dumpAll(t, db); after != before {
			t.Error("deleting an unknown key result wrote")
		}
	})

	at := clock.Advance(time.Hour)
	if err := db.DeleteKeyResult(ctx, "T1", ref, "U2", func(*goalbot.Objective, *goalbot.KeyResult) error { return nil }); err != nil {
		t.Fatal(err)
	}
	o, err := db.FindObjective(ctx, "T1", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.KeyResults) != 1 || o.KeyResults[0].Ref.Number != 1 || o.KeyResults[0].CheckIns != 1 {
		t.Errorf("key results left: %+v", o.KeyResults)
	}
	var titles []string
	for _, m := range o.Milestones {
		titles = append(titles, m.Title)
	}
	if strings.Join(titles, ",") != "review,half followers" {
		t.Errorf("milestones left %v, want the objective's and 1.1's", titles)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM check_ins`); n != 1 {
		t.Errorf("%d check-ins left, want 1.1's one", n)
	}
	if _, err := db.ListCheckIns(ctx, "T1", ref, 0); goalbot.ErrorCode(err) != goalbot.ENOTFOUND {
		t.Errorf("check-ins of the deleted key result: %v, want not found", err)
	}
	log, err := db.ListChanges(ctx, "T1", 1, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []change{{2, "deleted", "reach", ""}, {2, "milestone", "", "2026-12-03 half reach"}}
	if got := changesOf(log); !equalChanges(got, want) {
		t.Errorf("change log of 1.2: %v, want %v", got, want)
	}
	if len(log) > 0 && (log[0].UserID != "U2" || !log[0].At.Equal(at)) {
		t.Errorf("deletion recorded as %+v, want by U2 at %v", log[0], at)
	}
	kr := mustKeyResult(t, db, "T1", 1, "again")
	if kr.Ref.Number != 3 {
		t.Errorf("next key result is %s, want 1.3: numbers are never reused", kr.Ref)
	}
}

func TestAddMilestone(t *testing.T) {
	db, clock := MustOpenClock(t)
	ctx := context.Background()
	MustObjective(t, db, "T1", "grow")
	mustKeyResult(t, db, "T1", 1, "reach")

	refusals := []struct {
		name  string
		m     goalbot.Milestone
		check func(o *goalbot.Objective) error
		is    error
		code  string
	}{
		{"check refuses", goalbot.Milestone{Objective: 1, Date: day("2026-12-01"), Title: "x"},
			func(*goalbot.Objective) error { return errTest }, errTest, goalbot.EINTERNAL},
		{"unknown objective", goalbot.Milestone{Objective: 9, Date: day("2026-12-01"), Title: "x"},
			nil, nil, goalbot.ENOTFOUND},
		{"unknown key result", goalbot.Milestone{Objective: 1, KR: 9, Date: day("2026-12-01"), Title: "x"},
			func(*goalbot.Objective) error { return nil }, nil, goalbot.ENOTFOUND},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			before := dumpAll(t, db)
			m := tt.m
			m.TeamID, m.CreatedBy = "T1", "U1"
			check := tt.check
			if check == nil {
				check = func(*goalbot.Objective) error {
					t.Error("check called for an unknown objective")
					return nil
				}
			}
			err := db.AddMilestone(ctx, &m, check)
			if tt.is != nil && err != tt.is {
				t.Errorf("error %v, want check's own returned as is", err)
			}
			if goalbot.ErrorCode(err) != tt.code {
				t.Errorf("error %v, code %q; want %q", err, goalbot.ErrorCode(err), tt.code)
			}
			if after := dumpAll(t, db); after != before {
				t.Errorf("a refused milestone wrote:\n%s\n->\n%s", before, after)
			}
		})
	}

	at := clock.Advance(time.Hour)
	for _, m := range []goalbot.Milestone{
		{Objective: 1, KR: 2, Date: day("2026-12-10"), Title: "late reach", Target: 80, HasTarget: true, CreatedBy: "U5"},
		{Objective: 1, Date: day("2026-11-30"), Title: "review", CreatedBy: "U5"},
		{Objective: 1, Date: day("2026-12-05"), Title: "half-way", Target: 0.5, HasTarget: true, CreatedBy: "U5"},
		{Objective: 1, KR: 1, Date: day("2026-12-05"), Title: "followers", Target: 1500, HasTarget: true, CreatedBy: "U5"},
	} {
		m.TeamID = "T1"
		var seen *goalbot.Objective
		if err := db.AddMilestone(ctx, &m, func(o *goalbot.Objective) error { seen = o; return nil }); err != nil {
			t.Fatal(err)
		}
		if seen == nil || seen.Number != 1 || len(seen.KeyResults) != 2 {
			t.Errorf("check saw %+v", seen)
		}
	}
	o, err := db.FindObjective(ctx, "T1", 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []goalbot.Milestone{
		{TeamID: "T1", Objective: 1, Date: day("2026-11-30"), Title: "review", CreatedBy: "U5"},
		{TeamID: "T1", Objective: 1, Date: day("2026-12-05"), Title: "half-way", Target: 0.5, HasTarget: true, CreatedBy: "U5"},
		{TeamID: "T1", Objective: 1, KR: 1, Date: day("2026-12-05"), Title: "followers", Target: 1500, HasTarget: true, CreatedBy: "U5"},
		{TeamID: "T1", Objective: 1, KR: 2, Date: day("2026-12-10"), Title: "late reach", Target: 80, HasTarget: true, CreatedBy: "U5"},
	}
	if len(o.Milestones) != len(want) {
		t.Fatalf("milestones %+v, want %+v", o.Milestones, want)
	}
	for i := range want {
		if o.Milestones[i] != want[i] {
			t.Errorf("milestone %d: %+v, want %+v", i, o.Milestones[i], want[i])
		}
	}
	log, err := db.ListChanges(ctx, "T1", 1, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantLog := []change{{1, "milestone", "", "2026-12-05 followers"}, {0, "milestone", "", "2026-12-05 half-way"},
		{0, "milestone", "", "2026-11-30 review"}, {2, "milestone", "", "2026-12-10 late reach"}}
	if got := changesOf(log); !equalChanges(got, wantLog) {
		t.Errorf("change log %v, want %v", got, wantLog)
	}
	for _, c := range log {
		if c.UserID != "U5" || !c.At.Equal(at) {
			t.Errorf("change %+v, want by U5 at %v", c, at)
		}
	}
}

var errTest = errors.New("refused by the test")

func TestListChangesOrderAndLimit(t *testing.T) {
	db, clock := MustOpenClock(t)
	ctx := context.Background()
	MustObjective(t, db, "T1", "grow")
	MustObjective(t, db, "T1", "other")
	edit := func(number int, fn func(o *goalbot.Objective)) {
		t.Helper()
		clock.Advance(time.Minute)
		if _, _, err := db.UpdateObjective(ctx, "T1", number, "U1", func(o *goalbot.Objective) error { fn(o); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	edit(1, func(o *goalbot.Objective) { o.Title = "a" })
	edit(1, func(o *goalbot.Objective) { o.KeyResults[0].Target = 3000 })
	edit(2, func(o *goalbot.Objective) { o.Title = "not objective 1's" })
	edit(1, func(o *goalbot.Objective) { o.Title = "b" })
	edit(1, func(o *goalbot.Objective) { o.KeyResults[0].Weight = 2 })
	edit(1, func(o *goalbot.Objective) { o.Title = "c" })

	tests := []struct {
		name      string
		kr, limit int
		want      []change
	}{
		{"all, newest first", 0, 0, []change{{0, "title", "b", "c"}, {1, "weight", "1", "2"}, {0, "title", "a", "b"},
			{1, "to", "2000", "3000"}, {0, "title", "grow", "a"}}},
		{"limit 2", 0, 2, []change{{0, "title", "b", "c"}, {1, "weight", "1", "2"}}},
		{"negative limit is all", 0, -1, []change{{0, "title", "b", "c"}, {1, "weight", "1", "2"}, {0, "title", "a", "b"},
			{1, "to", "2000", "3000"}, {0, "title", "grow", "a"}}},
		{"one key result", 1, 0, []change{{1, "weight", "1", "2"}, {1, "to", "2000", "3000"}}},
		{"one key result, limit 1", 1, 1, []change{{1, "weight", "1", "2"}}},
		{"a key result without changes", 7, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log, err := db.ListChanges(ctx, "T1", 1, tt.kr, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := changesOf(log); !equalChanges(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			for i := 1; i < len(log); i++ {
				if log[i].At.After(log[i-1].At) {
					t.Errorf("change %d (%v) is newer than change %d (%v)", i, log[i].At, i-1, log[i-1].At)
				}
			}
		})
	}
}

func TestPendingBaselineIsSetOnce(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	MustObjective(t, db, "T1", "newsletter")
	kr := &goalbot.KeyResult{TeamID: "T1", Ref: goalbot.KRRef{Objective: 1}, Title: "open rate", Pending: true,
		Target: 40, Unit: "%", OwnerID: "U1", CreatedBy: "U1"}
	if err := db.CreateKeyResult(ctx, kr, allowObjective); err != nil {
		t.Fatal(err)
	}
	ref := kr.Ref
	steps := []struct {
		name         string
		value        float64
		asOf         string
		current      float64
		start        float64
		baselineDate string
		pending      bool
	}{
		{"before any check-in", 0, "", 0, 0, "", true},
		{"the first check-in sets it", 20, "2026-11-20", 20, 20, "2026-11-20", false},
		{"an earlier measurement does not move it", 15, "2026-11-10", 20, 20, "2026-11-20", false},
		{"a later measurement does not move it", 25, "2026-11-25", 25, 20, "2026-11-20", false},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			if tt.asOf != "" {
				mustCheckIn(t, db, "T1", ref.Objective, ref.Number, tt.value, tt.asOf)
			}
			_, got, err := db.FindKeyResult(ctx, "T1", ref)
			if err != nil {
				t.Fatal(err)
			}
			var wantDate goalbot.Date
			if tt.baselineDate != "" {
				wantDate = day(tt.baselineDate)
			}
			if got.Pending != tt.pending || got.Start != tt.start || got.Current != tt.current || got.BaselineDate != wantDate {
				t.Errorf("pending %v, start %v, current %v, baseline date %s; want %v, %v, %v, %s",
					got.Pending, got.Start, got.Current, got.BaselineDate, tt.pending, tt.start, tt.current, wantDate)
			}
		})
	}
	log, err := db.ListChanges(ctx, "T1", 1, ref.Number, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := changesOf(log), []change{{ref.Number, "baseline", "pending", "20"}}; !equalChanges(got, want) {
		t.Errorf("change log %v, want %v", got, want)
	}
	if len(log) == 1 && (log[0].UserID != "U1" || !log[0].At.Equal(testNow)) {
		t.Errorf("baseline recorded as %+v, want by U1 at %v", log[0], testNow)
	}
}

// TestLifecycleMethodsAreScopedByTeam checks that T2 can neither change nor
// read T1's objective 1 through the lifecycle methods, before and after T2
// has an objective 1 of its own.
func TestLifecycleMethodsAreScopedByTeam(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	MustObjective(t, db, "T1", "secret plan")
	mustCheckIn(t, db, "T1", 1, 1, 1500, "2026-11-20")
	mustMilestone(t, db, "T1", 1, 1, "2026-12-01", "half")
	noop := func(*goalbot.Objective) error { return nil }
	ref := goalbot.KRRef{Objective: 1, Number: 1}

	t.Run("T2 without an objective 1", func(t *testing.T) {
		before := dumpAll(t, db)
		for _, tt := range []struct {
			name string
			err  func() error
		}{
			{"update", func() error {
				_, _, err := db.UpdateObjective(ctx, "T2", 1, "U9", func(o *goalbot.Objective) error {
					t.Errorf("fn called with T1's objective %+v", o)
					o.Title = "stolen"
					return nil
				})
				return err
			}},
			{"delete objective", func() error { return db.DeleteObjective(ctx, "T2", 1, "U9", noop) }},
			{"delete key result", func() error {
				return db.DeleteKeyResult(ctx, "T2", ref, "U9", func(*goalbot.Objective, *goalbot.KeyResult) error { return nil })
			}},
			{"add milestone", func() error {
				return db.AddMilestone(ctx, &goalbot.Milestone{TeamID: "T2", Objective: 1, Date: day("2026-12-01"), Title: "x", CreatedBy: "U9"}, noop)
			}},
			{"add key result milestone", func() error {
				return db.AddMilestone(ctx, &goalbot.Milestone{TeamID: "T2", Objective: 1, KR: 1, Date: day("2026-12-01"), Title: "x", CreatedBy: "U9"}, noop)
			}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if err := tt.err(); goalbot.ErrorCode(err) != goalbot.ENOTFOUND || goalbot.ErrorMessage(err) != "Objective 1 not found." {
					t.Errorf("err = %v, want Objective 1 not found", err)
				}
			})
		}
		t.Run("list changes", func(t *testing.T) {
			if log, err := db.ListChanges(ctx, "T2", 1, 0, 0); err != nil || len(log) != 0 {
				t.Errorf("T2 lists %v (err %v), want none", log, err)
			}
		})
		if after := dumpAll(t, db); after != before {
			t.Errorf("T2 wrote:\n%s\n->\n%s", before, after)
		}
	})

	t.Run("T2 with an objective 1 of its own", func(t *testing.T) {
		MustObjective(t, db, "T2", "their plan")
		if _, _, err := db.UpdateObjective(ctx, "T2", 1, "U9", func(o *goalbot.Objective) error {
			if o.Title != "their plan" {
				t.Errorf("T2's update sees %q", o.Title)
			}
			o.Title, o.KeyResults[0].Target = "their new plan", 9000
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		mustMilestone(t, db, "T2", 1, 1, "2026-12-02", "theirs")
		if err := db.DeleteKeyResult(ctx, "T2", ref, "U9", func(*goalbot.Objective, *goalbot.KeyResult) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteObjective(ctx, "T2", 1, "U9", noop); err != nil {
			t.Fatal(err)
		}
		o, err := db.FindObjective(ctx, "T1", 1)
		if err != nil {
			t.Fatalf("T1's objective 1 is gone: %v", err)
		}
		if o.Title != "secret plan" || len(o.KeyResults) != 1 || o.KeyResults[0].Target != 2000 || o.KeyResults[0].Current != 1500 ||
			len(o.Milestones) != 1 || o.Milestones[0].Title != "half" {
			t.Errorf("T1's objective 1 changed: %+v, key results %+v, milestones %+v", o, o.KeyResults, o.Milestones)
		}
		log, err := db.ListChanges(ctx, "T1", 1, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := changesOf(log), []change{{1, "milestone", "", "2026-12-01 half"}}; !equalChanges(got, want) {
			t.Errorf("T1's change log %v, want only its own %v", got, want)
		}
		theirs, err := db.ListChanges(ctx, "T2", 1, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(theirs) != 5 || theirs[0].Field != "deleted" || theirs[0].TeamID != "T2" {
			t.Errorf("T2's change log %+v, want its 5 changes, the deletion first", theirs)
		}
	})
}
