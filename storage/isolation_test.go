package storage_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/storage"
)

// isolationChecked names every exported method of *storage.DB and where
// its workspace scoping is tested; teamless says why a method takes no
// workspace. TestEveryStorageMethodIsScopedByTeam fails for a method in
// neither, so a new method cannot skip the check.
var (
	isolationChecked = map[string]string{
		"AddMilestone": "lifecycle", "DeleteKeyResult": "lifecycle", "DeleteObjective": "lifecycle",
		"UpdateObjective": "lifecycle", "ListChanges": "lifecycle", "Export": "export",
		"CreateObjective": "here", "CreateKeyResult": "here", "FindObjective": "here", "FindKeyResult": "here",
		"ListObjectives": "here", "RecordCheckIn": "here", "ListCheckIns": "here", "PacePoints": "here", "ValuesAsOf": "here",
		"CheckInCounts": "here", "SaveJob": "here", "FindJob": "here", "DueJobs": "here", "OwnersWithoutJobs": "here",
		"RecordRuns": "here", "RecordOccurrences": "here", "PendingDeliveries": "here", "TakeDeliveries": "here",
		"MarkSent": "here", "MarkFailed": "here", "MarkExpired": "here", "FindDelivery": "here", "LastSent": "here",
	}
	teamless = map[string]string{
		"Close": "closes the database", "Path": "the file's path", "CheckWritable": "writes the health row, no workspace data",
	}
)

// TestEveryStorageMethodIsScopedByTeam fills workspace T1 with an
// objective, key result, check-in, milestone, reminder job and scheduled
// message, then calls every storage method as workspace T2 with T1's IDs
// and keys: reads find nothing of T1, writes change nothing of T1 (every
// table dumped before and after is equal).
func TestEveryStorageMethodIsScopedByTeam(t *testing.T) {
	typ := reflect.TypeOf(&storage.DB{})
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		if isolationChecked[name] == "" && teamless[name] == "" {
			t.Errorf("storage.DB.%s has no workspace isolation check: add one here", name)
		}
	}

	db, clock := MustOpenClock(t)
	ctx := context.Background()
	now := clock.Now()
	MustObjective(t, db, "T1", "secret plan")
	mustCheckIn(t, db, "T1", 1, 1, 1500, "2026-11-20")
	mustMilestone(t, db, "T1", 1, 1, "2026-12-01", "half")
	job := goalbot.Job{TeamID: "T1", Kind: goalbot.JobCheckIn, Target: "U1", Spec: "CRON_TZ=UTC 0 10 * * 1",
		NextAt: now.Add(-time.Minute), Enabled: true}
	if err := db.SaveJob(ctx, &job); err != nil {
		t.Fatal(err)
	}
	del := goalbot.Delivery{TeamID: "T1", Key: "checkin|U1|2026-11-26|part1", Kind: goalbot.JobCheckIn, User: "U1",
		DueAt: now.Add(-time.Minute), Payload: []byte("{}")}
	if _, err := db.RecordRuns(ctx, []goalbot.JobRun{{Job: job, Deliveries: []goalbot.Delivery{del}, Next: now.Add(time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSent(ctx, "T1", del.Key, "1764150000.000100"); err != nil {
		t.Fatal(err)
	}
	pending := del
	pending.Key = "checkin|U1|2026-11-27|part1"
	job.NextAt = now.Add(time.Hour)
	if _, err := db.RecordRuns(ctx, []goalbot.JobRun{{Job: job, Deliveries: []goalbot.Delivery{pending}, Next: now.Add(2 * time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	ref := goalbot.KRRef{Objective: 1, Number: 1}
	before := dumpAll(t, db)

	notFound := func(what string, err error) {
		t.Helper()
		if goalbot.ErrorCode(err) != goalbot.ENOTFOUND {
			t.Errorf("%s as T2: err %v, want not found", what, err)
		}
	}
	_, err := db.FindObjective(ctx, "T2", 1)
	notFound("FindObjective", err)
	_, _, err = db.FindKeyResult(ctx, "T2", ref)
	notFound("FindKeyResult", err)
	_, err = db.ListCheckIns(ctx, "T2", ref, 0)
	notFound("ListCheckIns", err)
	_, err = db.FindJob(ctx, "T2", goalbot.JobCheckIn, "U1")
	notFound("FindJob", err)
	_, err = db.FindDelivery(ctx, "T2", del.Key)
	notFound("FindDelivery", err)
	_, err = db.RecordCheckIn(ctx, &goalbot.CheckIn{TeamID: "T2", KR: ref, Value: 1, Confidence: -1, AsOf: day("2026-11-21"), UserID: "U9"}, allowCheckIn)
	notFound("RecordCheckIn", err)
	notFound("CreateKeyResult", db.CreateKeyResult(ctx, &goalbot.KeyResult{TeamID: "T2", Ref: goalbot.KRRef{Objective: 1}, Title: "x", Target: 1, OwnerID: "U9", CreatedBy: "U9"}, allowObjective))

	if list, err := db.ListObjectives(ctx, "T2", goalbot.ObjectiveFilter{}); err != nil || len(list) != 0 {
		t.Errorf("ListObjectives as T2: %d (%v)", len(list), err)
	}
	if list, err := db.ListObjectives(ctx, "T2", goalbot.ObjectiveFilter{UserID: "U1"}); err != nil || len(list) != 0 {
		t.Errorf("ListObjectives of U1 as T2: %d (%v)", len(list), err)
	}
	if p, err := db.PacePoints(ctx, "T2", []goalbot.KRRef{ref}, goalbot.Date{}, 0); err != nil || len(p) != 0 {
		t.Errorf("PacePoints as T2: %v (%v)", p, err)
	}
	if v, err := db.ValuesAsOf(ctx, "T2", day("2026-12-31")); err != nil || len(v) != 0 {
		t.Errorf("ValuesAsOf as T2: %v (%v)", v, err)
	}
	if c, err := db.CheckInCounts(ctx, "T2", now.AddDate(-1, 0, 0)); err != nil || len(c) != 0 {
		t.Errorf("CheckInCounts as T2: %v (%v)", c, err)
	}
	if j, err := db.DueJobs(ctx, "T2", now.Add(48*time.Hour), 100); err != nil || len(j) != 0 {
		t.Errorf("DueJobs as T2: %v (%v)", j, err)
	}
	if o, err := db.OwnersWithoutJobs(ctx, "T2", 100); err != nil || len(o) != 0 {
		t.Errorf("OwnersWithoutJobs as T2: %v (%v)", o, err)
	}
	if p, err := db.PendingDeliveries(ctx, "T2", now.Add(48*time.Hour), 100); err != nil || len(p) != 0 {
		t.Errorf("PendingDeliveries as T2: %v (%v)", p, err)
	}
	if _, ok, err := db.LastSent(ctx, "T2", goalbot.JobCheckIn, "", "U1", now.Add(time.Hour)); err != nil || ok {
		t.Errorf("LastSent as T2: found %v (%v)", ok, err)
	}
	// Writes naming T1's keys under T2 change nothing of T1.
	stolen := pending
	stolen.TeamID = "T2"
	if taken, err := db.TakeDeliveries(ctx, []goalbot.Delivery{stolen}, now.Add(time.Hour)); err != nil || len(taken) != 0 {
		t.Errorf("TakeDeliveries as T2 took %v (%v)", taken, err)
	}
	for name, err := range map[string]error{
		"MarkSent":    db.MarkSent(ctx, "T2", pending.Key, "1"),
		"MarkFailed":  db.MarkFailed(ctx, "T2", pending.Key, "x"),
		"MarkExpired": db.MarkExpired(ctx, "T2", pending.Key, "x"),
	} {
		if err != nil {
			t.Errorf("%s as T2: %v", name, err)
		}
	}
	otherJob := job
	otherJob.TeamID = "T2"
	if n, err := db.RecordOccurrences(ctx, otherJob, []goalbot.Delivery{stolen}, now.Add(3*time.Hour)); err != nil || n != 0 {
		t.Errorf("RecordOccurrences as T2 claimed %d (%v)", n, err)
	}
	if after := dumpAll(t, db); after != before {
		t.Errorf("T2's calls changed T1's data:\n%s\n->\n%s", before, after)
	}

	// T2's own rows live beside T1's, numbered on their own.
	o := MustObjective(t, db, "T2", "their plan")
	if o.Number != 1 {
		t.Errorf("T2's first objective is %d", o.Number)
	}
	if err := db.SaveJob(ctx, &goalbot.Job{TeamID: "T2", Kind: goalbot.JobCheckIn, Target: "U1", Spec: job.Spec, NextAt: now, Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if j, err := db.FindJob(ctx, "T1", goalbot.JobCheckIn, "U1"); err != nil || !j.NextAt.Equal(job.NextAt.Add(time.Hour)) {
		t.Errorf("T2's SaveJob moved T1's job: %+v (%v)", j, err)
	}
}
