package commands_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/storage"
)

// exportNote is a note that needs CSV quoting: a comma, quotes and a line
// break. Slack commands cannot carry a line break, so it is recorded
// through the store, as a check-in modal would.
const exportNote = "Paid push, then \"organic\" lift\nsecond line"

// mustExportWorkspace builds a small quarter in team T1 as of testNow, and
// a T2 that no T1 export may show:
//
//	1    OKR: 1.1 followers (two check-ins, one note needs quoting, one
//	     starts with =SUM), 1.2 cost per click going down (a back-dated
//	     check-in entered last), 1.3 yes/no (done), 1.4 pending baseline
//	     (no check-ins)
//	2    SMART goal without key results, titled with a leading @
//	3    closed OKR with a baseline that was pending until its check-in
func mustExportWorkspace(tb testing.TB) (*commands.Executor, *storage.DB) {
	tb.Helper()
	x, db, clock := MustExecutorClock(tb)
	steps := []struct {
		day, user, text string
	}{
		{"2026-10-01", alice, "new Grow LinkedIn brand due:2026-12-31"},
		{"2026-10-01", alice, "kr 1 LinkedIn followers from:1,200 to:2,000 unit:followers"},
		{"2026-10-01", alice, "kr 1 Cost per click from:$1.40 to:$0.90 owner:<@U0BOB0001|bob>"},
		{"2026-10-01", alice, "kr 1 Publish the crisis playbook kind:yesno due:2026-12-15"},
		{"2026-10-01", alice, "kr 1 Newsletter open rate from:pending to:40%"},
		{"2026-10-02", bob, "new @all-hands internal comms framework:smart due:2026-12-15"},
		{"2026-10-03", alice, "new Old quarter due:2026-11-20"},
		{"2026-10-03", alice, "kr 3 Webinar sign-ups from:pending to:500"},
		{"2026-11-05", alice, "update 3.1 320 confidence:4 first count sets the baseline"},
		{"2026-11-10", bob, "update 1.2 $1.20 confidence:medium"},
		{"2026-11-12", bob, "update 1.2 $1.30 as-of:2026-11-03 entered late"},
		{"2026-11-16", alice, "update 1.1 1,500 confidence:high =SUM(A1:A9)"},
		{"2026-11-18", alice, "update 1.3 yes"},
		{"2026-11-21", alice, "close 3 score:0.8 good enough"},
	}
	for _, s := range steps {
		clock.Set(tb, s.day)
		mustRun(tb, x, as(s.user), s.text)
	}
	clock.Set(tb, "2026-11-09")
	c := &goalbot.CheckIn{TeamID: team, KR: goalbot.KRRef{Objective: 1, Number: 1}, Value: 1350, Confidence: 7,
		Note: exportNote, AsOf: goalbot.Date{Year: 2026, Month: time.November, Day: 9}, UserID: alice}
	if _, err := db.RecordCheckIn(context.Background(), c, func(*goalbot.Objective, *goalbot.KeyResult) error { return nil }); err != nil {
		tb.Fatal(err)
	}
	other := commands.Invocation{TeamID: "T2", UserID: alice, ChannelID: general}
	mustRun(tb, x, other, "new T2 secret plan")
	mustRun(tb, x, other, "kr 1 T2 secret metric from:0 to:10")
	mustRun(tb, x, other, "update 1.1 9 T2 secret note")
	clock.SetTime(testNow)
	return x, db
}

// mustExport runs text, which must export a file, and returns the reply.
func mustExport(tb testing.TB, x *commands.Executor, inv commands.Invocation, text string) commands.Reply {
	tb.Helper()
	r := run(tb, x, inv, text)
	if r.Failed || r.File == nil {
		tb.Fatalf("%q did not export a file (failed %v):\n%s", text, r.Failed, r.PlainText())
	}
	return r
}

func TestExportCSV(t *testing.T) {
	x, _ := mustExportWorkspace(t)
	r := mustExport(t, x, as(carol), "export")
	if want := "Exported 3 objectives, 5 key results and 6 check-ins to goalbot-export-T1-2026-11-26.csv."; r.PlainText() != want {
		t.Errorf("reply %q, want %q", r.PlainText(), want)
	}
	if r.File.Name != "goalbot-export-T1-2026-11-26.csv" || r.File.Type != "text/csv" {
		t.Errorf("file %q of type %q", r.File.Name, r.File.Type)
	}
	mustMatchGolden(t, "export.csv", string(r.File.Content))

	rows, err := csv.NewReader(bytes.NewReader(r.File.Content)).ReadAll()
	if err != nil {
		t.Fatalf("the export is not CSV: %v", err)
	}
	if !slices.Equal(rows[0], commands.CSVColumns) {
		t.Errorf("header %q, want %q", rows[0], commands.CSVColumns)
	}
	col := map[string]int{}
	for i, name := range commands.CSVColumns {
		col[name] = i
	}
	// One row per check-in (6), per key result without any (1.4), per
	// objective without key results (2).
	var keys []string
	for _, row := range rows[1:] {
		keys = append(keys, row[col["objective"]]+"|"+row[col["kr"]]+"|"+row[col["checkin_as_of"]]+"|"+row[col["value"]])
	}
	wantKeys := []string{
		"1|1.1|2026-11-09|1350", "1|1.1|2026-11-16|1500",
		"1|1.2|2026-11-03|1.3", "1|1.2|2026-11-10|1.2",
		"1|1.3|2026-11-18|1",
		"1|1.4||",
		"2|||",
		"3|3.1|2026-11-05|320",
	}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("rows (objective|kr|as-of|value)\n%q\nwant\n%q", keys, wantKeys)
	}
	cell := func(i int, name string) string { return rows[i+1][col[name]] }
	for _, tt := range []struct {
		row        int
		name, want string
	}{
		{0, "note", exportNote},
		{0, "confidence", "7"},
		{1, "note", "'=SUM(A1:A9)"},
		{1, "confidence", "8"},
		{2, "start", "1.4"},
		{2, "target", "0.9"},
		{2, "unit", "$"},
		{2, "kr_owner", bob},
		{2, "checked_in_by", bob},
		{3, "note", ""},
		{4, "kind", "yesno"},
		{4, "kr_due", "2026-12-15"},
		{4, "confidence", ""},
		{5, "start", ""},
		{5, "target", "40"},
		{5, "unit", "%"},
		{5, "kr_due", "2026-12-31"},
		{6, "objective_title", "'@all-hands internal comms"},
		{6, "framework", "smart"},
		{6, "objective_owner", bob},
		{7, "objective_state", "closed"},
		{7, "start", "320"},
		{7, "checked_in_at", "2026-11-05T09:30:00Z"},
	} {
		if got := cell(tt.row, tt.name); got != tt.want {
			t.Errorf("row %d %s = %q, want %q", tt.row+1, tt.name, got, tt.want)
		}
	}
	if strings.Contains(string(r.File.Content), "T2") {
		t.Errorf("T1's export shows T2's data:\n%s", r.File.Content)
	}
}

func TestExportCSVGuardsFormulas(t *testing.T) {
	for _, tt := range []struct{ note, want string }{
		{"=SUM(A1:A9)", "'=SUM(A1:A9)"},
		{"+1 from paid", "'+1 from paid"},
		{"-5 after the outage", "'-5 after the outage"},
		{"@here look", "'@here look"},
		{"\tindented", "'\tindented"},
		{"fine = ok", "fine = ok"},
		{"'quoted already", "'quoted already"},
	} {
		e := goalbot.Export{TeamID: team, Objectives: []*goalbot.Objective{{Number: 1, Title: "t", State: goalbot.StateActive,
			KeyResults: []*goalbot.KeyResult{{Ref: goalbot.KRRef{Objective: 1, Number: 1}, Title: "k", Start: 0, Target: -10, Weight: 1}}}},
			CheckIns: []goalbot.CheckIn{{KR: goalbot.KRRef{Objective: 1, Number: 1}, Value: -3, Confidence: -1, Note: tt.note}}}
		content, err := commands.EncodeCSV(e)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(content)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got := rows[1][18]; got != tt.want {
			t.Errorf("note %q is written %q, want %q", tt.note, got, tt.want)
		}
		// Numbers stay numbers: a negative value is not text.
		if rows[1][10] != "-10" || rows[1][16] != "-3" {
			t.Errorf("target %q and value %q, want -10 and -3", rows[1][10], rows[1][16])
		}
	}
}

func TestExportJSONRoundTrips(t *testing.T) {
	x, db := mustExportWorkspace(t)
	r := mustExport(t, x, as(carol), "export JSON")
	if r.File.Name != "goalbot-export-T1-2026-11-26.json" || r.File.Type != "application/json" {
		t.Errorf("file %q of type %q", r.File.Name, r.File.Type)
	}
	var doc commands.JSONExport
	dec := json.NewDecoder(bytes.NewReader(r.File.Content))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decode: %v\n%s", err, r.File.Content)
	}
	var again bytes.Buffer
	enc := json.NewEncoder(&again)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	if again.String() != string(r.File.Content) {
		t.Errorf("decoding and encoding again changes the file:\n%s\nwant\n%s", again.String(), r.File.Content)
	}

	if doc.Team != team || !doc.ExportedAt.Equal(testNow) {
		t.Errorf("team %q exported at %v", doc.Team, doc.ExportedAt)
	}
	e, err := db.Export(context.Background(), team)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Objectives) != len(e.Objectives) {
		t.Fatalf("%d objectives, the store has %d", len(doc.Objectives), len(e.Objectives))
	}
	checkIns := e.CheckInsByKeyResult()
	for i, o := range e.Objectives {
		jo := doc.Objectives[i]
		if jo.Number != o.Number || jo.Title != o.Title || jo.State != string(o.State) || jo.Owner != o.OwnerID ||
			jo.Due != o.Due.String() || len(jo.KeyResults) != len(o.KeyResults) || (jo.Score != nil) != o.Scored {
			t.Errorf("objective %d: %+v, store %+v", o.Number, jo, o)
			continue
		}
		for j, kr := range o.KeyResults {
			jk := jo.KeyResults[j]
			if jk.ID != kr.Ref.String() || jk.Title != kr.Title || jk.Kind != string(kr.Kind) || jk.Target != kr.Target ||
				(jk.Start == nil) != kr.Pending || len(jk.CheckIns) != len(checkIns[kr.Ref]) {
				t.Errorf("key result %s: %+v, store %+v", kr.Ref, jk, kr)
				continue
			}
			for k, c := range checkIns[kr.Ref] {
				jc := jk.CheckIns[k]
				if jc.AsOf != c.AsOf.String() || jc.Value != c.Value || jc.Note != c.Note || jc.User != c.UserID ||
					!jc.CreatedAt.Equal(c.CreatedAt) || (jc.Confidence == nil) != (c.Confidence < 0) {
					t.Errorf("check-in %d of %s: %+v, store %+v", k, kr.Ref, jc, c)
				}
			}
		}
	}
	one := doc.Objectives[0]
	if got := one.KeyResults[0].CheckIns[0].Note; got != exportNote {
		t.Errorf("note %q, want %q", got, exportNote)
	}
	if kr := one.KeyResults[3]; kr.Start != nil || kr.Current != nil || kr.Progress != nil || kr.CheckIns == nil {
		t.Errorf("pending baseline exported as %+v, want null start, current and progress and an empty list", kr)
	}
	if kr := one.KeyResults[1]; *kr.Start != 1.4 || *kr.Current != 1.2 || *kr.Progress < 0.39 || *kr.Progress > 0.41 {
		t.Errorf("cost per click exported as start %v current %v progress %v", *kr.Start, *kr.Current, *kr.Progress)
	}
	if three := doc.Objectives[2]; *three.Score != 0.8 || three.KeyResults[0].BaselineDate != "2026-11-05" {
		t.Errorf("closed objective exported as %+v", three)
	}
	if doc.Objectives[1].KeyResults == nil || !strings.Contains(string(r.File.Content), `"key_results": []`) {
		t.Errorf("an objective without key results must have an empty list, not null")
	}
	if strings.Contains(string(r.File.Content), "T2") {
		t.Errorf("T1's export shows T2's data")
	}
}

func TestExportRefusals(t *testing.T) {
	x, db := mustExportWorkspace(t)
	for _, tt := range []struct{ text, want string }{
		{"export xml", withUsage(`Unknown export format "xml": use csv or json.`, "export")},
		{"export csv json", withUsage("export takes one format: csv or json.", "export")},
		{"export format:json", withUsage("Unknown option format:. export takes no options.", "export")},
	} {
		t.Run(tt.text, func(t *testing.T) {
			r := run(t, x, as(alice), tt.text)
			if r.File != nil {
				t.Errorf("%q refused but carries a file", tt.text)
			}
			mustRefuse(t, x, db, as(alice), tt.text, tt.want)
		})
	}
	if got := usages["export"]; got != "/goal export [csv|json]" {
		t.Errorf("usage %q", got)
	}
}

func TestExportOfAnEmptyWorkspace(t *testing.T) {
	x, _ := MustExecutor(t)
	r := run(t, x, as(alice), "export")
	if r.Failed || r.File != nil {
		t.Errorf("failed %v, file %v", r.Failed, r.File)
	}
	if want := "Nothing to export: this workspace has no objectives yet. Create one with /goal new <title>."; r.PlainText() != want {
		t.Errorf("reply %q, want %q", r.PlainText(), want)
	}
}

func TestExportFileNameIsTheCallersDate(t *testing.T) {
	x, _, clock := MustExecutorClock(t)
	mustRun(t, x, as(alice), "new Anything")
	clock.SetTime(time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC))
	auckland, err := time.LoadLocation("Pacific/Auckland")
	if err != nil {
		t.Fatal(err)
	}
	inv := as(alice)
	inv.Location = auckland
	if r := mustExport(t, x, inv, "export"); r.File.Name != "goalbot-export-T1-2026-11-27.csv" {
		t.Errorf("in Auckland the file is %q, want the 27th", r.File.Name)
	}
	if r := mustExport(t, x, as(alice), "export"); r.File.Name != "goalbot-export-T1-2026-11-26.csv" {
		t.Errorf("in UTC the file is %q, want the 26th", r.File.Name)
	}
	for team, want := range map[string]string{
		"T0TEAM001":  "goalbot-export-T0TEAM001-2026-11-26.csv",
		"../etc/x y": "goalbot-export-___etc_x_y-2026-11-26.csv",
		"":           "goalbot-export-workspace-2026-11-26.csv",
	} {
		if got := commands.ExportFileName(team, testToday, "csv"); got != want {
			t.Errorf("ExportFileName(%q) = %q, want %q", team, got, want)
		}
	}
}

// failingExportStore is a real store whose Export fails like a broken disk.
type failingExportStore struct{ commands.Store }

func (failingExportStore) Export(context.Context, string) (goalbot.Export, error) {
	return goalbot.Export{}, errors.New("disk I/O error: /var/lib/goalbot/goalbot.db is unreadable")
}

func TestExportWhoseStoreFailsIsAGenericInternalError(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Anything")
	x.Store = failingExportStore{db}
	r, err := x.Run(context.Background(), as(alice), "export")
	if err == nil || !r.Failed || r.File != nil || !strings.Contains(r.PlainText(), "Something went wrong on our side") {
		t.Errorf("err %v, reply %q", err, r.PlainText())
	}
	if strings.Contains(r.PlainText(), "goalbot.db") {
		t.Errorf("the reply leaks the store error: %q", r.PlainText())
	}
}
