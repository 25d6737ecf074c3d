package storage_test

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/storage"
)

func TestCreateObjectiveWithKeyResultsInOneTransaction(t *testing.T) {
	db, _ := MustOpenClock(t)
	ctx := context.Background()
	o := &goalbot.Objective{TeamID: "T1", Title: "Grow", OwnerID: "U1", Framework: goalbot.FrameworkOKR,
		Start: day("2026-10-01"), Due: day("2026-12-31"), CreatedBy: "U1",
		KeyResults: []*goalbot.KeyResult{
			{Title: "Followers", Start: 1000, Target: 2000, Unit: "followers", OwnerID: "U2", CreatedBy: "U1"},
			{Title: "Playbook", Kind: goalbot.KindYesNo, Target: 1, OwnerID: "U1", CreatedBy: "U1"},
		}}
	if err := db.CreateObjective(ctx, o); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindObjective(ctx, "T1", o.Number)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.KeyResults) != 2 || got.KeyResults[0].Ref.String() != "1.1" || got.KeyResults[1].Ref.String() != "1.2" ||
		got.KeyResults[0].OwnerID != "U2" || got.KeyResults[0].Unit != "followers" || got.KeyResults[1].Kind != goalbot.KindYesNo {
		t.Fatalf("key results stored: %+v", got.KeyResults)
	}
	// The next key result added by hand continues the numbering.
	if kr := mustKeyResult(t, db, "T1", o.Number, "More"); kr.Ref.String() != "1.3" {
		t.Errorf("a key result added later is %s, want 1.3", kr.Ref)
	}

	// A key result the database refuses (weight must be positive) leaves
	// no objective behind, and its number is not used up.
	before := dumpAll(t, db)
	bad := &goalbot.Objective{TeamID: "T1", Title: "Broken", OwnerID: "U1", Framework: goalbot.FrameworkOKR,
		Start: day("2026-10-01"), Due: day("2026-12-31"), CreatedBy: "U1",
		KeyResults: []*goalbot.KeyResult{{Title: "Fine", Target: 5, OwnerID: "U1", CreatedBy: "U1"},
			{Title: "Negative weight", Target: 5, Weight: -1, OwnerID: "U1", CreatedBy: "U1"}}}
	if err := db.CreateObjective(ctx, bad); err == nil {
		t.Fatal("an objective with a refused key result was created")
	}
	if after := dumpAll(t, db); after != before {
		t.Errorf("a failed creation wrote:\n%s\nwas:\n%s", after, before)
	}
	if next := MustObjective(t, db, "T1", "Next"); next.Number != 2 {
		t.Errorf("the objective after a failed creation is %d, want 2", next.Number)
	}
}

func TestRepeatedRequestsTakeEffectOnce(t *testing.T) {
	db, clock := MustOpenClock(t)
	ctx := context.Background()
	newObjective := func(team, request string) *goalbot.Objective {
		return &goalbot.Objective{TeamID: team, Title: "Grow", OwnerID: "U1", Framework: goalbot.FrameworkOKR,
			Start: day("2026-10-01"), Due: day("2026-12-31"), CreatedBy: "U1", Request: request,
			KeyResults: []*goalbot.KeyResult{{Title: "Followers", Start: 1, Target: 2, OwnerID: "U1", CreatedBy: "U1"}}}
	}
	if err := db.CreateObjective(ctx, newObjective("T1", "view:V1")); err != nil {
		t.Fatal(err)
	}
	before := dumpAll(t, db)
	if err := db.CreateObjective(ctx, newObjective("T1", "view:V1")); !errors.Is(err, goalbot.ErrRepeated) {
		t.Fatalf("a repeated creation returned %v, want ErrRepeated", err)
	}
	if after := dumpAll(t, db); after != before {
		t.Errorf("a repeated creation wrote:\n%s", after)
	}
	// Keys are per workspace: another team's view may carry the same ID.
	if err := db.CreateObjective(ctx, newObjective("T2", "view:V1")); err != nil {
		t.Fatalf("another workspace's request with the same key: %v", err)
	}

	checkIn := func(request string) error {
		c := &goalbot.CheckIn{TeamID: "T1", KR: goalbot.KRRef{Objective: 1, Number: 1}, Value: 1.5, Confidence: -1,
			AsOf: day("2026-11-20"), UserID: "U1", Request: request}
		_, err := db.RecordCheckIn(ctx, c, allowCheckIn)
		return err
	}
	for i, want := range []error{nil, goalbot.ErrRepeated, goalbot.ErrRepeated} {
		if err := checkIn("view:V2"); !errors.Is(err, want) && err != want {
			t.Errorf("check-in %d with one request: %v, want %v", i+1, err, want)
		}
	}
	// Without a request key, check-ins are never deduplicated.
	for range 2 {
		if err := checkIn(""); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM check_ins WHERE team_id = 'T1'`); n != 3 {
		t.Errorf("%d check-ins stored, want 3 (one for the repeated request, two without a key)", n)
	}
	// A key is forgotten after a week: Slack repeats within minutes.
	clock.Advance(8 * 24 * time.Hour)
	if err := checkIn("view:V2"); err != nil {
		t.Errorf("a request key a week old still refused: %v", err)
	}
}

// migrationFill returns the first UPDATE statement of migration file: the
// one that fills a kept column for the rows written before it existed.
func migrationFill(tb testing.TB, file string) string {
	tb.Helper()
	body, err := os.ReadFile("migrations/" + file)
	if err != nil {
		tb.Fatal(err)
	}
	update := string(body[strings.Index(string(body), "UPDATE"):])
	return update[:strings.Index(update, ";")+1]
}

// execRaw runs statements on db's file over a connection of its own, as
// an older binary or a migration would.
func execRaw(tb testing.TB, db *storage.DB, statements ...string) {
	tb.Helper()
	conn, err := sql.Open("sqlite3", "file:"+db.Path())
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	for _, stmt := range statements {
		if _, err := conn.Exec(stmt); err != nil {
			tb.Fatal(err)
		}
	}
}

// TestCheckInCountIsKept: the check-in count kept on each key result equals
// its check-ins after check-ins, a repeated request, a refused check-in and
// a deleted key result, and after migration 0006 counted existing rows.
func TestCheckInCountIsKept(t *testing.T) {
	db, _ := MustOpenClock(t)
	ctx := context.Background()
	MustObjective(t, db, "T1", "Grow")
	mustKeyResult(t, db, "T1", 1, "Reach")
	mustKeyResult(t, db, "T1", 1, "Gone")
	for i := range 5 {
		mustCheckIn(t, db, "T1", 1, 1+i%3, float64(i), "2026-11-20")
	}
	c := &goalbot.CheckIn{TeamID: "T1", KR: goalbot.KRRef{Objective: 1, Number: 1}, Value: 9, Confidence: -1, AsOf: day("2026-11-21"), UserID: "U1", Request: "view:V1"}
	db.RecordCheckIn(ctx, c, allowCheckIn)
	db.RecordCheckIn(ctx, c, allowCheckIn) // repeated: not counted
	refused := *c
	refused.Request = ""
	db.RecordCheckIn(ctx, &refused, refuseCheckIn)
	if err := db.DeleteKeyResult(ctx, "T1", goalbot.KRRef{Objective: 1, Number: 3}, "U1", allowCheckIn); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM key_results k WHERE check_in_count !=
		(SELECT COUNT(*) FROM check_ins c WHERE c.key_result_id = k.id)`); n != 0 {
		t.Errorf("%d key results with a wrong check-in count", n)
	}
	o, err := db.FindObjective(ctx, "T1", 1)
	if err != nil {
		t.Fatal(err)
	}
	if o.KeyResults[0].CheckIns != 3 || o.KeyResults[1].CheckIns != 2 {
		t.Errorf("check-ins %d and %d, want 3 and 2", o.KeyResults[0].CheckIns, o.KeyResults[1].CheckIns)
	}
	// The migration's count of rows written before it existed.
	execRaw(t, db, `UPDATE key_results SET check_in_count = 0`, migrationFill(t, "0006_check_in_count.sql"))
	if o, _ := db.FindObjective(ctx, "T1", 1); o.KeyResults[0].CheckIns != 3 || o.KeyResults[1].CheckIns != 2 {
		t.Errorf("after the migration's count: %d and %d, want 3 and 2", o.KeyResults[0].CheckIns, o.KeyResults[1].CheckIns)
	}
}

// latestWrong counts the key results whose kept latest check-in (migration
// 0008) differs from their latest check-in by as-of date, then entry.
const latestWrong = `SELECT COUNT(*) FROM key_results k WHERE
	k.last_value IS NOT (SELECT c.value FROM check_ins c WHERE c.key_result_id = k.id ORDER BY c.as_of DESC, c.id DESC LIMIT 1)
	OR k.last_as_of IS NOT (SELECT c.as_of FROM check_ins c WHERE c.key_result_id = k.id ORDER BY c.as_of DESC, c.id DESC LIMIT 1)
	OR k.last_confidence IS NOT (SELECT c.confidence FROM check_ins c WHERE c.key_result_id = k.id ORDER BY c.as_of DESC, c.id DESC LIMIT 1)`

// TestLatestCheckInIsKept: the latest check-in's value, as-of date and
// confidence kept on each key result (migration 0008) equal the latest
// check-in by as-of date, then entry, after back-dated, same-day, refused
// and repeated check-ins, and after the migration filled rows written
// before it existed.
func TestLatestCheckInIsKept(t *testing.T) {
	db, _ := MustOpenClock(t)
	ctx := context.Background()
	MustObjective(t, db, "T1", "Grow")
	mustKeyResult(t, db, "T1", 1, "Reach")
	mustKeyResult(t, db, "T1", 1, "Never checked in")
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 40 {
		c := &goalbot.CheckIn{TeamID: "T1", KR: goalbot.KRRef{Objective: 1, Number: 1 + i%2}, Value: float64(rng.IntN(100)),
			Confidence: rng.IntN(12) - 1, AsOf: day("2026-11-20").AddDays(-rng.IntN(5)), UserID: "U1"}
		if i%7 == 0 {
			c.Request = "view:V1" // repeated after the first: not recorded
		}
		check := allowCheckIn
		if i%5 == 0 {
			check = refuseCheckIn
		}
		db.RecordCheckIn(ctx, c, check)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM check_ins`); n < 20 {
		t.Fatalf("only %d check-ins recorded; the test needs more", n)
	}
	if n := count(t, db, latestWrong); n != 0 {
		t.Errorf("%d key results keep a wrong latest check-in", n)
	}
	o, err := db.FindObjective(ctx, "T1", 1)
	if err != nil {
		t.Fatal(err)
	}
	if kr := o.KeyResults[2]; kr.CheckIns != 0 || kr.Current != kr.Start || kr.LastConfidence != -1 || !kr.LastAsOf.IsZero() {
		t.Errorf("key result 1.3, without check-ins: %+v", kr)
	}
	// Deleting the key result that holds the newest entry frees the
	// highest id, which the next check-in takes again: it is still the
	// newest entry, so on a date it shares with an older one it wins.
	mustCheckIn(t, db, "T1", 1, 1, 77, "2026-11-20")
	if err := db.DeleteKeyResult(ctx, "T1", goalbot.KRRef{Objective: 1, Number: 1}, "U1", allowCheckIn); err != nil {
		t.Fatal(err)
	}
	mustCheckIn(t, db, "T1", 1, 2, 55, "2026-11-20")
	if n := count(t, db, latestWrong); n != 0 {
		t.Errorf("after a deletion and a check-in, %d key results keep a wrong latest check-in", n)
	}
	if _, kr, err := db.FindKeyResult(ctx, "T1", goalbot.KRRef{Objective: 1, Number: 2}); err != nil || kr.Current != 55 {
		t.Errorf("1.2 after the same-day check-in: %v (%v), want 55", kr, err)
	}
	// The migration's fill of rows written before it existed.
	execRaw(t, db, `UPDATE key_results SET last_value = NULL, last_as_of = NULL, last_confidence = NULL`)
	if n := count(t, db, latestWrong); n == 0 {
		t.Fatal("the check cannot tell emptied columns from kept ones")
	}
	execRaw(t, db, migrationFill(t, "0008_latest_check_in.sql"))
	if n := count(t, db, latestWrong); n != 0 {
		t.Errorf("after the migration's fill, %d key results keep a wrong latest check-in", n)
	}
}

// TestConcurrentCheckInsCommitTogether sends 60 check-ins at once: some
// refused by their check, some repeating a request, the rest fine. Each
// caller gets its own answer; exactly the fine ones are stored (the
// refused ones leave nothing, even when committed in the same group as
// others), and the current value is the latest measurement.
func TestConcurrentCheckInsCommitTogether(t *testing.T) {
	db, _ := MustOpenClock(t)
	ctx := context.Background()
	MustObjective(t, db, "T1", "Grow")
	mustKeyResult(t, db, "T1", 1, "Reach")
	type outcome struct {
		i   int
		err error
	}
	results := make(chan outcome, 60)
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &goalbot.CheckIn{TeamID: "T1", KR: goalbot.KRRef{Objective: 1, Number: 1 + i%2}, Value: float64(i),
				Confidence: -1, AsOf: day("2026-11-01").AddDays(i % 20), UserID: "U1"}
			check := allowCheckIn
			switch {
			case i%10 == 3:
				check = refuseCheckIn
			case i%10 == 7:
				c.Request = "envelope:same"
			}
			_, err := db.RecordCheckIn(ctx, c, check)
			results <- outcome{i, err}
		}()
	}
	wg.Wait()
	close(results)
	stored, repeats := 0, 0
	for r := range results {
		switch {
		case r.i%10 == 3:
			if goalbot.ErrorCode(r.err) != goalbot.EFORBIDDEN {
				t.Errorf("check-in %d: %v, want its refusal", r.i, r.err)
			}
		case r.i%10 == 7 && errors.Is(r.err, goalbot.ErrRepeated):
			repeats++
		case r.err != nil:
			t.Errorf("check-in %d: %v", r.i, r.err)
		default:
			stored++
		}
	}
	if repeats != 5 {
		t.Errorf("%d repeats of one request refused, want 5 of its 6", repeats)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM check_ins`); n != stored || stored != 49 {
		t.Errorf("%d check-ins stored, %d answered as stored; want 49 (48, and the request once)", n, stored)
	}
	o, err := db.FindObjective(ctx, "T1", 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, kr := range o.KeyResults {
		var want float64
		if err := readOnly(t, db).QueryRow(`SELECT value FROM check_ins WHERE key_result_id = (SELECT id FROM key_results WHERE number = ?)
			ORDER BY as_of DESC, id DESC LIMIT 1`, kr.Ref.Number).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if kr.Current != want || kr.CheckIns != count(t, db, `SELECT COUNT(*) FROM check_ins WHERE key_result_id = (SELECT id FROM key_results WHERE number = ?)`, kr.Ref.Number) {
			t.Errorf("%s: current %v (want %v), %d check-ins counted", kr.Ref, kr.Current, want, kr.CheckIns)
		}
	}
	if n := count(t, db, latestWrong); n != 0 {
		t.Errorf("%d key results keep a wrong latest check-in after refusals rolled back within groups", n)
	}
}
