package commands

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/storage"
)

// TestPacePointsGiveThePaceOfTheNewest60: pace computed from the points
// pacePoints reads (the rate's window, older ones only when it is too
// sparse) equals pace computed from the newest pacePoints check-ins, for
// random histories: none, all old, one or two dates in the window, and
// more check-ins in the window than pacePoints.
func TestPacePointsGiveThePaceOfTheNewest60(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	clock := goalbot.ClockFunc(func() time.Time { return now })
	today := goalbot.DateOf(now)
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "goalbot.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	x := &Executor{Store: db, Clock: clock}

	const krs = 12
	o := &goalbot.Objective{TeamID: "T1", Title: "pace", OwnerID: "U1", Framework: goalbot.FrameworkOKR,
		Start: today.AddDays(-300), Due: today.AddDays(60), CreatedBy: "U1"}
	for i := range krs {
		o.KeyResults = append(o.KeyResults, &goalbot.KeyResult{TeamID: "T1", Title: fmt.Sprint("kr ", i+1),
			Start: 0, Target: 1000, Weight: 1, OwnerID: "U1", CreatedBy: "U1"})
	}
	if err := db.CreateObjective(ctx, o); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	allow := func(*goalbot.Objective, *goalbot.KeyResult) error { return nil }
	// history k: how many check-ins, and how many days back they spread.
	histories := []struct{ n, days int }{{0, 0}, {5, 200}, {1, 3}, {3, 1}, {2, 20}, {80, 20}, {100, 5}, {70, 300},
		{61, 27}, {30, 60}, {10, 28}, {40, 400}}
	for k, h := range histories {
		for range h.n {
			c := &goalbot.CheckIn{TeamID: "T1", KR: goalbot.KRRef{Objective: o.Number, Number: k + 1},
				Value: float64(rng.IntN(1000)), Confidence: -1, AsOf: today.AddDays(-rng.IntN(h.days + 1)), UserID: "U1"}
			if _, err := db.RecordCheckIn(ctx, c, allow); err != nil {
				t.Fatal(err)
			}
		}
	}
	o, err = db.FindObjective(ctx, "T1", o.Number)
	if err != nil {
		t.Fatal(err)
	}
	got, err := x.pacePoints(ctx, "T1", o.KeyResults, today)
	if err != nil {
		t.Fatal(err)
	}
	windowOnly := 0
	for k, kr := range o.KeyResults {
		newest, err := db.ListCheckIns(ctx, "T1", kr.Ref, pacePoints)
		if err != nil {
			t.Fatal(err)
		}
		want := goalbot.ComputePace(pacePlan(o, kr, checkInPoints(newest)), today)
		if p := goalbot.ComputePace(pacePlan(o, kr, got[kr.Ref]), today); !reflect.DeepEqual(p, want) {
			t.Errorf("history %+v: pace %+v, want %+v", histories[k], p, want)
		}
		if len(got[kr.Ref]) < len(newest) {
			windowOnly++
		}
	}
	if windowOnly < 3 {
		t.Errorf("only %d key results were read by their window alone; the test no longer covers it", windowOnly)
	}
}
