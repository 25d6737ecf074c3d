package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/storage"
)

var testNow = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)

// allowCheckIn and allowObjective are checks that let every write through.
func allowCheckIn(*goalbot.Objective, *goalbot.KeyResult) error { return nil }
func allowObjective(*goalbot.Objective) error                   { return nil }

// refuseCheckIn is a check-in check that refuses, as a user without the
// right is refused.
func refuseCheckIn(*goalbot.Objective, *goalbot.KeyResult) error {
	return goalbot.Errorf(goalbot.EFORBIDDEN, "no")
}

// MustOpen opens a database in a temp dir, closed at the end of the test.
func MustOpen(tb testing.TB) *storage.DB {
	tb.Helper()
	return mustOpenPath(tb, filepath.Join(tb.TempDir(), "goalbot.db"))
}

func mustOpenPath(tb testing.TB, path string) *storage.DB {
	tb.Helper()
	db, err := storage.Open(context.Background(), path, goalbot.ClockFunc(func() time.Time { return testNow }))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func day(s string) goalbot.Date {
	d, err := goalbot.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// MustObjective creates an objective in team with one key result 1000 -> 2000.
func MustObjective(tb testing.TB, db *storage.DB, team, title string) *goalbot.Objective {
	tb.Helper()
	ctx := context.Background()
	o := &goalbot.Objective{TeamID: team, Title: title, OwnerID: "U1", Framework: goalbot.FrameworkOKR,
		Start: day("2026-10-01"), Due: day("2026-12-31"), CreatedBy: "U1"}
	if err := db.CreateObjective(ctx, o); err != nil {
		tb.Fatal(err)
	}
	kr := &goalbot.KeyResult{TeamID: team, Ref: goalbot.KRRef{Objective: o.Number}, Title: "Followers",
		Start: 1000, Target: 2000, OwnerID: "U1", CreatedBy: "U1"}
	if err := db.CreateKeyResult(ctx, kr, allowObjective); err != nil {
		tb.Fatal(err)
	}
	return o
}

func TestObjectiveNumbersArePerWorkspace(t *testing.T) {
	db := MustOpen(t)
	a1 := MustObjective(t, db, "T1", "first")
	a2 := MustObjective(t, db, "T1", "second")
	b1 := MustObjective(t, db, "T2", "other workspace")
	if a1.Number != 1 || a2.Number != 2 || b1.Number != 1 {
		t.Fatalf("numbers = %d, %d, %d; want 1, 2, 1", a1.Number, a2.Number, b1.Number)
	}
	kr := &goalbot.KeyResult{TeamID: "T1", Ref: goalbot.KRRef{Objective: 2}, Title: "second kr", Start: 0, Target: 1, OwnerID: "U1", CreatedBy: "U1"}
	if err := db.CreateKeyResult(context.Background(), kr, allowObjective); err != nil {
		t.Fatal(err)
	}
	if kr.Ref.String() != "2.2" {
		t.Fatalf("second key result of objective 2 is %s, want 2.2", kr.Ref)
	}
	if !kr.CreatedAt.Equal(testNow) {
		t.Errorf("created at %v, want the injected clock's %v", kr.CreatedAt, testNow)
	}
}

func TestWorkspaceIsolation(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	MustObjective(t, db, "T1", "secret plan")

	if _, err := db.FindObjective(ctx, "T2", 1); goalbot.ErrorCode(err) != goalbot.ENOTFOUND {
		t.Errorf("T2 reading T1's objective 1: err = %v, want not found", err)
	}
	if _, _, err := db.FindKeyResult(ctx, "T2", goalbot.KRRef{Objective: 1, Number: 1}); goalbot.ErrorCode(err) != goalbot.ENOTFOUND {
		t.Errorf("T2 reading T1's key result 1.1: err = %v, want not found", err)
	}
	err := db.CreateKeyResult(ctx, &goalbot.KeyResult{TeamID: "T2", Ref: goalbot.KRRef{Objective: 1}, Title: "x", Target: 1, OwnerID: "U9", CreatedBy: "U9"}, allowObjective)
	if goalbot.ErrorCode(err) != goalbot.ENOTFOUND {
		t.Errorf("T2 adding a key result to T1's objective 1: err = %v, want not found", err)
	}
	_, err = db.RecordCheckIn(ctx, &goalbot.CheckIn{TeamID: "T2", KR: goalbot.KRRef{Objective: 1, Number: 1}, Value: 5, Confidence: -1, AsOf: day("2026-11-26"), UserID: "U9"}, allowCheckIn)
	if goalbot.ErrorCode(err) != goalbot.ENOTFOUND {
		t.Errorf("T2 checking in on T1's key result 1.1: err = %v, want not found", err)
	}
	if _, err := db.ListCheckIns(ctx, "T2", goalbot.KRRef{Objective: 1, Number: 1}, 0); goalbot.ErrorCode(err) != goalbot.ENOTFOUND {
		t.Errorf("T2 listing T1's check-ins: err = %v, want not found", err)
	}
	if list, err := db.ListObjectives(ctx, "T2", goalbot.ObjectiveFilter{}); err != nil || len(list) != 0 {
		t.Errorf("T2 lists %d objectives (err %v), want none", len(list), err)
	}
	o, err := db.FindObjective(ctx, "T1", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.KeyResults) != 1 || o.KeyResults[0].CheckIns != 0 || o.KeyResults[0].Current != 1000 {
		t.Errorf("T1's objective changed by T2's attempts: %+v", o.KeyResults[0])
	}
}

func TestCurrentValueFollowsLatestMeasurement(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	MustObjective(t, db, "T1", "grow")
	ref := goalbot.KRRef{Objective: 1, Number: 1}
	checkIn := func(value float64, asOf string, confidence int, wantCurrent bool) {
		t.Helper()
		c := &goalbot.CheckIn{TeamID: "T1", KR: ref, Value: value, Confidence: confidence, AsOf: day(asOf), UserID: "U1"}
		current, err := db.RecordCheckIn(ctx, c, allowCheckIn)
		if err != nil {
			t.Fatal(err)
		}
		if current != wantCurrent {
			t.Errorf("check-in %v as of %s: current = %v, want %v", value, asOf, current, wantCurrent)
		}
	}
	current := func() *goalbot.KeyResult {
		t.Helper()
		_, kr, err := db.FindKeyResult(ctx, "T1", ref)
		if err != nil {
			t.Fatal(err)
		}
		return kr
	}

	checkIn(1500, "2026-11-20", 7, true)
	if kr := current(); kr.Current != 1500 || kr.LastConfidence != 7 || kr.CheckIns != 1 {
		t.Fatalf("after one check-in: current %v confidence %d count %d", kr.Current, kr.LastConfidence, kr.CheckIns)
	}
	checkIn(1200, "2026-11-10", -1, false) // back-dated: does not overwrite the newer measurement
	if kr := current(); kr.Current != 1500 || kr.CheckIns != 2 {
		t.Fatalf("back-dated check-in changed current to %v", kr.Current)
	}
	checkIn(1600, "2026-11-20", -1, true) // same day, entered later: wins
	if kr := current(); kr.Current != 1600 || kr.LastConfidence != -1 || kr.LastAsOf != day("2026-11-20") {
		t.Fatalf("same-day later check-in: current %v confidence %d as-of %v", kr.Current, kr.LastConfidence, kr.LastAsOf)
	}
	list, err := db.ListCheckIns(ctx, "T1", ref, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []float64
	for _, c := range list {
		got = append(got, c.Value)
	}
	if len(got) != 3 || got[0] != 1600 || got[1] != 1500 || got[2] != 1200 {
		t.Errorf("history = %v, want [1600 1500 1200] (newest measurement first)", got)
	}
	if list, _ := db.ListCheckIns(ctx, "T1", ref, 2); len(list) != 2 {
		t.Errorf("limit 2 returned %d check-ins", len(list))
	}
}

// TestPacePoints reads the measurements pace is computed from for several
// key results at once: newest first (a later entry wins a tie), limited,
// in agreement with ListCheckIns, and unknown key results left out.
func TestPacePoints(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	MustObjective(t, db, "T1", "one")
	mustKeyResult(t, db, "T1", 1, "second")
	MustObjective(t, db, "T1", "two")
	mustCheckIn(t, db, "T1", 1, 1, 1500, "2026-11-20")
	mustCheckIn(t, db, "T1", 1, 1, 1200, "2026-11-10")
	mustCheckIn(t, db, "T1", 1, 1, 1600, "2026-11-20")
	mustCheckIn(t, db, "T1", 1, 2, 10, "2026-11-15")
	kr11, kr12, kr21 := goalbot.KRRef{Objective: 1, Number: 1}, goalbot.KRRef{Objective: 1, Number: 2}, goalbot.KRRef{Objective: 2, Number: 1}

	got, err := db.PacePoints(ctx, "T1", []goalbot.KRRef{kr11, kr12, kr21, {Objective: 9, Number: 9}, {Objective: 1, Number: 7}}, goalbot.Date{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[goalbot.KRRef][]goalbot.Point{
		kr11: {{Date: day("2026-11-20"), Value: 1600}, {Date: day("2026-11-20"), Value: 1500}, {Date: day("2026-11-10"), Value: 1200}},
		kr12: {{Date: day("2026-11-15"), Value: 10}},
		kr21: nil,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PacePoints =\n%v\nwant\n%v", got, want)
	}
	list, err := db.ListCheckIns(ctx, "T1", kr11, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range list {
		if p := got[kr11][i]; p.Date != c.AsOf || p.Value != c.Value {
			t.Errorf("point %d = %v, ListCheckIns has %v %v", i, p, c.AsOf, c.Value)
		}
	}
	if got, _ := db.PacePoints(ctx, "T1", []goalbot.KRRef{kr11}, goalbot.Date{}, 2); len(got[kr11]) != 2 || got[kr11][1].Value != 1500 {
		t.Errorf("limit 2: %v, want the two newest", got[kr11])
	}
	if got, _ := db.PacePoints(ctx, "T1", []goalbot.KRRef{kr11, kr12}, day("2026-11-15"), 0); len(got[kr11]) != 2 || len(got[kr12]) != 1 {
		t.Errorf("since 2026-11-15: %v, want 2 points of 1.1 (not the one of 11-10) and the one of 1.2 on that day", got)
	}
	if got, err := db.PacePoints(ctx, "T1", nil, goalbot.Date{}, 0); err != nil || len(got) != 0 {
		t.Errorf("no key results: %v (%v)", got, err)
	}
}

// TestValueAtDue: a key result's value at its due date (2026-12-31 here)
// is its latest check-in measured by then, also when later ones exist.
func TestValueAtDue(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	MustObjective(t, db, "T1", "due")
	atDue := func() (float64, bool) {
		t.Helper()
		_, kr, err := db.FindKeyResult(ctx, "T1", goalbot.KRRef{Objective: 1, Number: 1})
		if err != nil {
			t.Fatal(err)
		}
		return kr.ValueAtDue, kr.HasValueAtDue
	}
	if _, ok := atDue(); ok {
		t.Error("a value at due without check-ins")
	}
	mustCheckIn(t, db, "T1", 1, 1, 1500, "2026-12-20")
	if v, ok := atDue(); !ok || v != 1500 {
		t.Errorf("value at due %v %v, want 1500 (the latest, before the due date)", v, ok)
	}
	mustCheckIn(t, db, "T1", 1, 1, 1900, "2027-01-05")
	mustCheckIn(t, db, "T1", 1, 1, 1700, "2026-12-31")
	if v, ok := atDue(); !ok || v != 1700 {
		t.Errorf("value at due %v %v, want 1700 (measured on the due date; 1900 came after it)", v, ok)
	}
}

func TestListObjectivesFilters(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	mk := func(owner, channel string) {
		o := &goalbot.Objective{TeamID: "T1", Title: "o", OwnerID: owner, ChannelID: channel, Framework: goalbot.FrameworkOKR,
			Start: day("2026-10-01"), Due: day("2026-12-31"), CreatedBy: owner}
		if err := db.CreateObjective(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	mk("U1", "")   // 1: U1's
	mk("U2", "C1") // 2: channel C1's
	mk("U2", "")   // 3: U2's, but U1 owns a key result
	mk("U3", "C9") // 4: neither
	if err := db.CreateKeyResult(ctx, &goalbot.KeyResult{TeamID: "T1", Ref: goalbot.KRRef{Objective: 3}, Title: "k", Target: 1, OwnerID: "U1", CreatedBy: "U2"}, allowObjective); err != nil {
		t.Fatal(err)
	}
	numbers := func(f goalbot.ObjectiveFilter) []int {
		list, err := db.ListObjectives(ctx, "T1", f)
		if err != nil {
			t.Fatal(err)
		}
		var n []int
		for _, o := range list {
			n = append(n, o.Number)
		}
		return n
	}
	for _, tc := range []struct {
		name string
		f    goalbot.ObjectiveFilter
		want []int
	}{
		{"user", goalbot.ObjectiveFilter{UserID: "U1"}, []int{1, 3}},
		{"channel", goalbot.ObjectiveFilter{ChannelID: "C1"}, []int{2}},
		{"user or channel", goalbot.ObjectiveFilter{UserID: "U1", ChannelID: "C1"}, []int{1, 2, 3}},
		{"all", goalbot.ObjectiveFilter{}, []int{1, 2, 3, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := numbers(tc.f); len(got) != len(tc.want) || !equalInts(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDataSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "goalbot.db")
	db := mustOpenPath(t, path)
	MustObjective(t, db, "T1", "persist me & <friends>")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db2 := mustOpenPath(t, path) // migrations run again: must be a no-op
	o, err := db2.FindObjective(context.Background(), "T1", 1)
	if err != nil {
		t.Fatal(err)
	}
	if o.Title != "persist me & <friends>" || len(o.KeyResults) != 1 || o.Due != day("2026-12-31") {
		t.Errorf("reopened objective = %+v", o)
	}
}

func equalInts(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

func TestPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "odd #1 ?x=%41")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "goal#bot?.db")
	db := mustOpenPath(t, path)
	MustObjective(t, db, "T1", "here")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not at the path given: %v", err)
	}
}

// TestSaveJobSavesEachOfSeveral: one call saves several jobs (in one
// transaction); a job given twice ends as the later one.
func TestSaveJobSavesEachOfSeveral(t *testing.T) {
	db, clock := MustOpenClock(t)
	ctx := context.Background()
	now := clock.Now()
	job := func(kind goalbot.JobKind, user string, next time.Time) *goalbot.Job {
		return &goalbot.Job{TeamID: "T1", Kind: kind, Target: user, Spec: "CRON_TZ=UTC 0 10 * * 1", NextAt: next, Enabled: true}
	}
	if err := db.SaveJob(ctx, job(goalbot.JobCheckIn, "U1", now), job(goalbot.JobDeadlines, "U1", now),
		job(goalbot.JobCheckIn, "U2", now), job(goalbot.JobCheckIn, "U2", now.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	for _, want := range []*goalbot.Job{job(goalbot.JobCheckIn, "U1", now), job(goalbot.JobDeadlines, "U1", now), job(goalbot.JobCheckIn, "U2", now.Add(time.Hour))} {
		got, err := db.FindJob(ctx, "T1", want.Kind, want.Target)
		if err != nil {
			t.Fatalf("%s job of %s: %v", want.Kind, want.Target, err)
		}
		if !got.NextAt.Equal(want.NextAt.Truncate(time.Second)) {
			t.Errorf("%s job of %s next at %v, want %v", want.Kind, want.Target, got.NextAt, want.NextAt)
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM jobs`); n != 3 {
		t.Errorf("%d jobs, want 3", n)
	}
	if err := db.SaveJob(ctx); err != nil {
		t.Errorf("saving no jobs: %v", err)
	}
}
