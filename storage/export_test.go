package storage_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/storage"
)

// mustObjectiveDue creates an objective of team due on due, without key results.
func mustObjectiveDue(tb testing.TB, db *storage.DB, team, title, due string) *goalbot.Objective {
	tb.Helper()
	o := &goalbot.Objective{TeamID: team, Title: title, OwnerID: "U1", Framework: goalbot.FrameworkOKR,
		Start: day("2026-10-01"), Due: day(due), CreatedBy: "U1"}
	if err := db.CreateObjective(context.Background(), o); err != nil {
		tb.Fatal(err)
	}
	return o
}

// mustSetState moves objective number of team to state.
func mustSetState(tb testing.TB, db *storage.DB, team string, number int, state goalbot.State) {
	tb.Helper()
	if _, _, err := db.UpdateObjective(context.Background(), team, number, "U1", func(o *goalbot.Objective) error {
		o.State = state
		if state == goalbot.StateClosed {
			o.Score, o.Scored = 0.6, true
		}
		return nil
	}); err != nil {
		tb.Fatal(err)
	}
}

// exportedCheckIn is the part of a check-in the export test compares.
type exportedCheckIn struct {
	KR         string
	AsOf       string
	Value      float64
	Confidence int
	Note       string
	CreatedAt  time.Time
}

func exportedCheckIns(list []goalbot.CheckIn) []exportedCheckIn {
	var out []exportedCheckIn
	for _, c := range list {
		out = append(out, exportedCheckIn{c.KR.String(), c.AsOf.String(), c.Value, c.Confidence, c.Note, c.CreatedAt})
	}
	return out
}

func TestExportIsCompleteAndScopedByTeam(t *testing.T) {
	db, clock := MustOpenClock(t)
	ctx := context.Background()
	checkIn := func(team string, o, k int, value float64, asOf string, confidence int, note string) {
		t.Helper()
		clock.Advance(time.Hour)
		c := &goalbot.CheckIn{TeamID: team, KR: goalbot.KRRef{Objective: o, Number: k}, Value: value,
			Confidence: confidence, Note: note, AsOf: day(asOf), UserID: "U2"}
		if _, err := db.RecordCheckIn(ctx, c, allowCheckIn); err != nil {
			t.Fatal(err)
		}
	}

	// T2 starts first, so its row ids interleave with T1's.
	MustObjective(t, db, "T2", "their plan")
	checkIn("T2", 1, 1, 7777, "2026-11-01", -1, "their note")

	// 1: due last, two key results; 2: due first, no key results; 3
	// closed; 4 archived; 5 deleted.
	MustObjective(t, db, "T1", "first")
	mustKeyResult(t, db, "T1", 1, "second kr")
	mustObjectiveDue(t, db, "T1", "second, due first", "2026-11-30")
	MustObjective(t, db, "T1", "closed one")
	MustObjective(t, db, "T1", "archived one")
	MustObjective(t, db, "T1", "deleted one")
	checkIn("T1", 1, 1, 1500, "2026-11-20", 7, "first entry")
	checkIn("T1", 1, 1, 1200, "2026-11-10", -1, "back-dated")
	checkIn("T2", 1, 1, 8888, "2026-11-15", -1, "their second note")
	checkIn("T1", 1, 1, 1550, "2026-11-20", 5, "same day, later")
	checkIn("T1", 3, 1, 1900, "2026-11-25", 9, "")
	checkIn("T1", 5, 1, 1100, "2026-11-25", -1, "gone with its objective")
	mustSetState(t, db, "T1", 3, goalbot.StateClosed)
	mustSetState(t, db, "T1", 4, goalbot.StateArchived)
	if err := db.DeleteObjective(ctx, "T1", 5, "U1", allowObjective); err != nil {
		t.Fatal(err)
	}

	e, err := db.Export(ctx, "T1")
	if err != nil {
		t.Fatal(err)
	}
	if e.TeamID != "T1" {
		t.Errorf("TeamID = %q", e.TeamID)
	}
	type objectiveRow struct {
		Number int
		Title  string
		State  goalbot.State
		KRs    []string
	}
	var got []objectiveRow
	for _, o := range e.Objectives {
		row := objectiveRow{o.Number, o.Title, o.State, nil}
		for _, kr := range o.KeyResults {
			row.KRs = append(row.KRs, kr.Ref.String()+" "+kr.Title)
			if kr.TeamID != "T1" {
				t.Errorf("key result %s belongs to %s", kr.Ref, kr.TeamID)
			}
		}
		if o.TeamID != "T1" {
			t.Errorf("objective %d belongs to %s", o.Number, o.TeamID)
		}
		got = append(got, row)
	}
	want := []objectiveRow{
		{1, "first", goalbot.StateActive, []string{"1.1 Followers", "1.2 second kr"}},
		{2, "second, due first", goalbot.StateActive, nil},
		{3, "closed one", goalbot.StateClosed, []string{"3.1 Followers"}},
		{4, "archived one", goalbot.StateArchived, []string{"4.1 Followers"}},
	}
	if !slices.EqualFunc(got, want, func(a, b objectiveRow) bool {
		return a.Number == b.Number && a.Title == b.Title && a.State == b.State && slices.Equal(a.KRs, b.KRs)
	}) {
		t.Errorf("objectives\n%+v\nwant\n%+v", got, want)
	}
	if n := e.KeyResults(); n != 4 {
		t.Errorf("KeyResults() = %d, want 4", n)
	}
	if o := e.Objectives[2]; !o.Scored || o.Score != 0.6 {
		t.Errorf("closed objective's score = %v (scored %v), want 0.6", o.Score, o.Scored)
	}
	if kr := e.Objectives[0].KeyResults[0]; kr.Current != 1550 || kr.CheckIns != 3 || kr.LastConfidence != 5 {
		t.Errorf("1.1 loaded with current %v, %d check-ins, confidence %d; want 1550, 3, 5", kr.Current, kr.CheckIns, kr.LastConfidence)
	}

	at := func(hours int) time.Time { return testNow.Add(time.Duration(hours) * time.Hour) }
	wantCheckIns := []exportedCheckIn{
		{"1.1", "2026-11-10", 1200, -1, "back-dated", at(3)},
		{"1.1", "2026-11-20", 1500, 7, "first entry", at(2)},
		{"1.1", "2026-11-20", 1550, 5, "same day, later", at(5)},
		{"3.1", "2026-11-25", 1900, 9, "", at(6)},
	}
	if got := exportedCheckIns(e.CheckIns); !slices.Equal(got, wantCheckIns) {
		t.Errorf("check-ins\n%+v\nwant\n%+v", got, wantCheckIns)
	}
	for _, c := range e.CheckIns {
		if c.TeamID != "T1" || c.UserID != "U2" {
			t.Errorf("check-in %+v: team %s, user %s", c, c.TeamID, c.UserID)
		}
	}

	// Complete: the export agrees with what the other read paths list.
	groups := e.CheckInsByKeyResult()
	for _, o := range e.Objectives {
		for _, kr := range o.KeyResults {
			listed, err := db.ListCheckIns(ctx, "T1", kr.Ref, 0)
			if err != nil {
				t.Fatal(err)
			}
			slices.Reverse(listed) // newest first there, oldest first here
			if got, want := exportedCheckIns(groups[kr.Ref]), exportedCheckIns(listed); !slices.Equal(got, want) {
				t.Errorf("%s: export has\n%+v\nListCheckIns has\n%+v", kr.Ref, got, want)
			}
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM check_ins WHERE team_id = 'T1'`); n != len(e.CheckIns) {
		t.Errorf("T1 has %d check-ins, the export %d", n, len(e.CheckIns))
	}

	// Scoped: nothing of T2's, in either direction.
	for _, o := range e.Objectives {
		if strings.Contains(o.Title, "their") {
			t.Errorf("T1's export holds T2's objective %q", o.Title)
		}
	}
	for _, c := range e.CheckIns {
		if c.Value == 7777 || c.Value == 8888 || strings.Contains(c.Note, "their") {
			t.Errorf("T1's export holds T2's check-in %+v", c)
		}
	}
	theirs, err := db.Export(ctx, "T2")
	if err != nil {
		t.Fatal(err)
	}
	if len(theirs.Objectives) != 1 || theirs.Objectives[0].Title != "their plan" || len(theirs.CheckIns) != 2 ||
		theirs.CheckIns[0].Value != 7777 || theirs.CheckIns[1].Value != 8888 {
		t.Errorf("T2's export = %+v, check-ins %+v", theirs.Objectives, theirs.CheckIns)
	}
}

func TestExportOfAnEmptyWorkspace(t *testing.T) {
	db := MustOpen(t)
	MustObjective(t, db, "T1", "not yours")
	e, err := db.Export(context.Background(), "T3")
	if err != nil {
		t.Fatal(err)
	}
	if e.TeamID != "T3" || len(e.Objectives) != 0 || len(e.CheckIns) != 0 || e.KeyResults() != 0 {
		t.Errorf("export of an empty workspace = %+v", e)
	}
}
