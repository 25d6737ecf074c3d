package commands_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/storage"
)

// withForms is inv from Slack, where a form can be opened.
func withForms(inv commands.Invocation) commands.Invocation {
	inv.Forms = true
	return inv
}

// submit submits a form and fails the test on an internal error.
func submit(tb testing.TB, x *commands.Executor, inv commands.Invocation, f commands.Filled) commands.Reply {
	tb.Helper()
	r, err := x.Submit(context.Background(), inv, f)
	if err != nil {
		tb.Fatalf("submit %s: internal error %v", f.Kind, err)
	}
	return r
}

// field returns the field of f with the given ID (the base before "~").
func field(tb testing.TB, f *commands.Form, id string) commands.Field {
	tb.Helper()
	for _, fd := range f.Fields {
		if base, _, _ := strings.Cut(fd.ID, "~"); base == id {
			return fd
		}
	}
	tb.Fatalf("form %s has no field %s", f.Kind, id)
	return commands.Field{}
}

// mustRefuseForm submits f and wants exactly the field errors want, and
// nothing written.
func mustRefuseForm(tb testing.TB, x *commands.Executor, db *storage.DB, inv commands.Invocation, f commands.Filled, want map[string]string) {
	tb.Helper()
	before := dump(tb, db)
	r := submit(tb, x, inv, f)
	if !r.Failed || r.GoalsChanged || len(r.FieldErrors) != len(want) {
		tb.Errorf("failed %v, goals changed %v, errors %q; want errors %q", r.Failed, r.GoalsChanged, r.FieldErrors, want)
	}
	for id, msg := range want {
		if r.FieldErrors[id] != msg {
			tb.Errorf("error of %s = %q, want %q", id, r.FieldErrors[id], msg)
		}
	}
	if after := dump(tb, db); after != before {
		tb.Errorf("a refused form wrote:\n%s", after)
	}
}

func TestUpdateWithoutAValueOpensTheCheckInForm(t *testing.T) {
	x, _ := mustDeletePromptWorkspace(t) // 1.1 Followers 1,000 -> 2,000, now 1,500, owner alice
	mustRun(t, x, as(alice), "kr 1 Cost per click from:$1.40 to:$0.90 owner:<@U0BOB0001>")
	mustRun(t, x, as(alice), "kr 1 Publish the playbook kind:yesno")

	for _, text := range []string{"update 1.1", "UPDATE 1.1"} {
		r := run(t, x, withForms(as(alice)), text)
		f := r.Form
		if f == nil {
			t.Fatalf("%q opened no form: %s", text, r.PlainText())
		}
		if f.Kind != commands.FormCheckIn || f.Ref != "1.1" || f.Title != "Check in on 1.1" || f.Submit != "Check in" {
			t.Errorf("form %+v", f)
		}
		mustContain(t, "intro", (commands.Reply{Blocks: f.Intro}).PlainText(), "1.1 Followers", "1,000 → 2,000 (higher is better)", "now 1,500", "Objective 1: Grow followers")
		if v := field(t, f, "value"); v.Initial != "1,500" || v.Optional || v.Kind != commands.TextField {
			t.Errorf("value field %+v, want 1,500 prefilled and required", v)
		}
		if d := field(t, f, "as_of"); d.Initial != "2026-11-26" || d.Kind != commands.DateField {
			t.Errorf("as-of field %+v, want today", d)
		}
		if c := field(t, f, "confidence"); !c.Optional || len(c.Options) != 3 {
			t.Errorf("confidence field %+v", c)
		}
	}
	// A money value is prefilled the way it is typed; a yes/no one is a choice.
	if v := field(t, run(t, x, withForms(as(bob)), "update 1.2").Form, "value"); v.Initial != "$1.40" {
		t.Errorf("CPC prefilled %q, want $1.40", v.Initial)
	}
	if v := field(t, run(t, x, withForms(as(alice)), "update 1.3").Form, "value"); v.Kind != commands.SelectField || v.Initial != "no" {
		t.Errorf("yes/no value field %+v", v)
	}
	// The Update button opens the same form.
	if r := click(t, x, withForms(as(alice)), commands.ActionCheckIn, "1.1"); r.Form == nil || r.Form.Ref != "1.1" {
		t.Errorf("the Update button did not open the form: %s", r.PlainText())
	}
	// Without forms (the shell) the command still asks for the value.
	if r := run(t, x, as(alice), "update 1.1"); r.Form != nil || !strings.Contains(r.PlainText(), "Give the new value of 1.1.") {
		t.Errorf("update 1.1 in the shell: %s", r.PlainText())
	}
	// Someone who may not check in gets the refusal, not a form.
	for _, tc := range []struct {
		inv       commands.Invocation
		text, why string
	}{
		{withForms(as(carol)), "update 1.1", "Only the owner of key result 1.1, the owner of objective 1 or an admin may check in on it. Ask @U0ALICE01."},
		{withForms(as(alice)), "update 1.9", "Key result 1.9 not found."},
		{withForms(commands.Invocation{TeamID: "T2", UserID: alice, ChannelID: general}), "update 1.1", "Objective 1 not found."},
	} {
		r := run(t, x, tc.inv, tc.text)
		if r.Form != nil || !r.Failed || !strings.HasPrefix(r.PlainText(), tc.why) {
			t.Errorf("%s by %s: form %v, reply %q; want %q", tc.text, tc.inv.UserID, r.Form != nil, r.PlainText(), tc.why)
		}
	}
}

func TestCheckInFormRecordsOnceThroughTheCommand(t *testing.T) {
	x, db := mustDeletePromptWorkspace(t)
	f := commands.Filled{Kind: commands.FormCheckIn, Ref: "1.1", Request: "view:V1",
		Values: map[string]string{"value": "1,750", "confidence": "low", "note": "Paid campaign paused", "as_of": "2026-11-26"}}
	r := submit(t, x, as(alice), f)
	if r.Failed || !r.GoalsChanged || r.Repeated {
		t.Fatalf("failed %v, goals changed %v, repeated %v: %s", r.Failed, r.GoalsChanged, r.Repeated, r.PlainText())
	}
	mustContain(t, "reply", r.PlainText(), "Checked in 1.1 Followers: 1,750 (↑ +250, 🟢 better)")
	if r.Blocks[0].ID != commands.RowID("1.1") {
		t.Errorf("the check-in's first block has ID %q, want %q to replace the reminder row", r.Blocks[0].ID, commands.RowID("1.1"))
	}
	kr := mustFindKeyResult(t, db, team, 1, 1)
	if kr.Current != 1750 || kr.LastConfidence != 2 || kr.LastAsOf.String() != "2026-11-26" || kr.CheckIns != 2 {
		t.Errorf("stored: current %v confidence %v as-of %s check-ins %d", kr.Current, kr.LastConfidence, kr.LastAsOf, kr.CheckIns)
	}
	// Slack delivering the same submission again records nothing more.
	before := dump(t, db)
	again := submit(t, x, as(alice), f)
	if !again.Repeated || again.Failed || again.GoalsChanged {
		t.Errorf("second submission: repeated %v, failed %v, changed %v", again.Repeated, again.Failed, again.GoalsChanged)
	}
	if after := dump(t, db); after != before {
		t.Errorf("the second submission wrote:\n%s", after)
	}
	// A new form (another view) is another check-in; as-of defaults to today.
	f2 := commands.Filled{Kind: commands.FormCheckIn, Ref: "1.1", Request: "view:V2", Values: map[string]string{"value": "1800"}}
	submit(t, x, as(alice), f2)
	if kr := mustFindKeyResult(t, db, team, 1, 1); kr.CheckIns != 3 || kr.LastAsOf.String() != "2026-11-26" || kr.LastConfidence != -1 {
		t.Errorf("after a second form: %d check-ins, as-of %s, confidence %d", kr.CheckIns, kr.LastAsOf, kr.LastConfidence)
	}
}

func TestCheckInFormBadInput(t *testing.T) {
	x, db := mustDeletePromptWorkspace(t)
	mustRun(t, x, as(alice), "kr 1 Publish the playbook kind:yesno")
	mustRun(t, x, as(alice), "new Closed goal")
	mustRun(t, x, as(alice), "kr 2 Calls from:0 to:10")
	mustRun(t, x, as(alice), "close 2 score:0.5")
	checkIn := func(ref string, values map[string]string) commands.Filled {
		return commands.Filled{Kind: commands.FormCheckIn, Ref: ref, Request: "view:" + ref, Values: values}
	}
	for _, tc := range []struct {
		name string
		inv  commands.Invocation
		f    commands.Filled
		want map[string]string
	}{
		{"empty value", as(alice), checkIn("1.1", map[string]string{"value": " "}), map[string]string{"value": "Give the new value."}},
		{"not a number", as(alice), checkIn("1.1", map[string]string{"value": "lots"}), map[string]string{"value": `"lots" is not a number. Try 1200, 1,200, 1.5, 1.2k, 45% or $1,200.`}},
		{"NaN", as(alice), checkIn("1.1", map[string]string{"value": "NaN"}), map[string]string{"value": `"NaN" is not a number. Try 1200, 1,200, 1.5, 1.2k, 45% or $1,200.`}},
		{"wrong unit", as(alice), checkIn("1.1", map[string]string{"value": "45%"}), map[string]string{"value": "1.1 is measured in plain numbers, not %."}},
		{"yes on a number", as(alice), checkIn("1.1", map[string]string{"value": "yes"}), map[string]string{"value": "1.1 is measured in plain numbers: give a number, not yes."}},
		{"number on yes/no", as(alice), checkIn("1.2", map[string]string{"value": "7"}), map[string]string{"value": "1.2 is a yes/no key result: check in with yes, no or done."}},
		{"bad confidence", as(alice), checkIn("1.1", map[string]string{"value": "1600", "confidence": "sure"}), map[string]string{"confidence": `confidence: "sure" must be high, medium, low or 0-10.`}},
		{"future as-of", as(alice), checkIn("1.1", map[string]string{"value": "1600", "as_of": "2026-11-27"}), map[string]string{"as_of": "as-of: 2026-11-27 is in the future."}},
		{"bad date", as(alice), checkIn("1.1", map[string]string{"value": "1600", "as_of": "2026-02-30"}), map[string]string{"as_of": `"2026-02-30" is not a date like 2026-12-31.`}},
		{"as-of in year 1", as(alice), checkIn("1.1", map[string]string{"value": "1600", "as_of": "0001-01-01"}), map[string]string{"as_of": `"0001-01-01" is out of range. Dates must be between 2000 and 2200.`}},
		{"control character in note", as(alice), checkIn("1.1", map[string]string{"value": "1600", "note": "a\x07b"}), map[string]string{"note": "The text contains a control character (U+0007)."}},
		{"note too long", as(alice), checkIn("1.1", map[string]string{"value": "1600", "note": strings.Repeat("n", 1001)}), map[string]string{"note": "The note is 1001 characters long; the limit is 1000."}},
		{"several at once", as(alice), checkIn("1.1", map[string]string{"value": "x", "confidence": "sure"}), map[string]string{
			"value": `"x" is not a number. Try 1200, 1,200, 1.5, 1.2k, 45% or $1,200.`, "confidence": `confidence: "sure" must be high, medium, low or 0-10.`}},
		{"owned by someone else", as(carol), checkIn("1.1", map[string]string{"value": "1600"}), map[string]string{"value": "Only the owner of key result 1.1, the owner of objective 1 or an admin may check in on it."}},
		{"closed objective", as(alice), checkIn("2.1", map[string]string{"value": "5"}), map[string]string{"value": "Objective 2 is closed; reopen it first."}},
		{"deleted meanwhile", as(alice), checkIn("1.9", map[string]string{"value": "5"}), map[string]string{"value": "Key result 1.9 not found."}},
		{"another workspace", commands.Invocation{TeamID: "T2", UserID: alice}, checkIn("1.1", map[string]string{"value": "1600"}), map[string]string{"value": "Objective 1 not found."}},
	} {
		t.Run(tc.name, func(t *testing.T) { mustRefuseForm(t, x, db, tc.inv, tc.f, tc.want) })
	}
	// A form goalbot did not make is refused outright.
	for _, f := range []commands.Filled{
		{Kind: "frobnicate", Values: map[string]string{}},
		{Kind: commands.FormCheckIn, Ref: "1.1; DROP TABLE check_ins", Values: map[string]string{"value": "1"}},
	} {
		before := dump(t, db)
		r := submit(t, x, as(alice), f)
		if !r.Failed || r.PlainText() != "This is not a form goalbot made; nothing was done." {
			t.Errorf("form %q %q: %q", f.Kind, f.Ref, r.PlainText())
		}
		if dump(t, db) != before {
			t.Errorf("form %q wrote", f.Kind)
		}
	}
}

// newForm returns the values of a valid creation form: an OKR owned by
// alice in #marketing, due at the end of the year, with key results in rows.
func newForm(request string, rows ...[4]string) commands.Filled {
	v := map[string]string{"title": "Grow LinkedIn followers", "framework": "okr", "goal_type": "", "due": "2026-12-31",
		"owner": alice, "channel": marketing}
	for i, r := range rows {
		n := string(rune('1' + i))
		v["kr"+n+"_title"], v["kr"+n+"_from"], v["kr"+n+"_to"], v["kr"+n+"_unit"] = r[0], r[1], r[2], r[3]
	}
	return commands.Filled{Kind: commands.FormNew, Request: request, Values: v}
}

func TestNewWithoutATitleOpensTheCreationForm(t *testing.T) {
	x, _ := MustExecutor(t)
	r := run(t, x, withForms(inChannel(bob, marketing, nil)), "new")
	f := r.Form
	if f == nil {
		t.Fatalf("no form: %s", r.PlainText())
	}
	if f.Kind != commands.FormNew || f.Title != "New objective" || len(f.Fields) != 6+4*commands.FormKeyResults {
		t.Errorf("form %s %q with %d fields", f.Kind, f.Title, len(f.Fields))
	}
	for id, want := range map[string]string{"framework": "okr", "due": "2026-12-31", "owner": bob, "channel": marketing, "title": "", "kr1_title": ""} {
		if got := field(t, f, id).Initial; got != want {
			t.Errorf("%s starts as %q, want %q", id, got, want)
		}
	}
	if !field(t, f, "goal_type").Refresh || field(t, f, "title").Optional || !field(t, f, "kr5_unit").Optional {
		t.Error("the goal type must refresh the form; the title is required, key-result rows optional")
	}
	// Opened in a DM, the form proposes no channel.
	if got := field(t, run(t, x, withForms(inChannel(bob, "D0BOBDM01", nil)), "new").Form, "channel").Initial; got != "" {
		t.Errorf("a form opened in a DM proposes channel %q", got)
	}
	// In the shell, new without a title is still an error.
	if r := run(t, x, as(bob), "new"); r.Form != nil || !strings.HasPrefix(r.PlainText(), "Give the objective a title.") {
		t.Errorf("new in the shell: %s", r.PlainText())
	}
}

func TestGoalTypeFillsTheEmptyRowsWithItsKeyResults(t *testing.T) {
	x, _ := MustExecutor(t)
	f := newForm("", [4]string{"Qualified leads", "40", "90", "leads"}, [4]string{"", "", "", ""}, [4]string{"", "7", "", ""})
	f.Values["goal_type"] = "brand-awareness"
	r, err := x.Refill(context.Background(), as(alice), f)
	if err != nil || r.Form == nil {
		t.Fatalf("refill: %v %s", err, r.PlainText())
	}
	var titles []string
	for i := 1; i <= commands.FormKeyResults; i++ {
		fd := field(t, r.Form, "kr"+string(rune('0'+i))+"_title")
		if !strings.HasSuffix(fd.ID, "~brand-awareness") {
			t.Errorf("row %d has ID %q: without a new version Slack keeps the old text", i, fd.ID)
		}
		titles = append(titles, fd.Initial)
	}
	// The rows being filled in stay (the first, and the third with a from
	// but no title yet); the template's metrics fill the others.
	if got := strings.Join(titles, "|"); got != "Qualified leads|Reach||Impressions|Brand mentions" {
		t.Errorf("rows: %s", got)
	}
	if u := field(t, r.Form, "kr2_unit").Initial; u != "people" {
		t.Errorf("Reach prefilled in %q, want people", u)
	}
	if got := field(t, r.Form, "kr1_from").Initial; got != "40" {
		t.Errorf("the typed row lost its from: %q", got)
	}
	if got := field(t, r.Form, "title").Initial; got != "Grow LinkedIn followers" {
		t.Errorf("the title became %q", got)
	}
	// Submitting the refilled form reads the versioned IDs; dropping a
	// suggestion is clearing its title.
	sub := map[string]string{}
	for _, fd := range r.Form.Fields {
		sub[fd.ID] = fd.Initial
	}
	if got := field(t, r.Form, "kr3_from").Initial; got != "7" {
		t.Errorf("the row being filled in lost its from: %q", got)
	}
	sub[field(t, r.Form, "kr2_from").ID], sub[field(t, r.Form, "kr2_to").ID] = "5,000", "20,000"
	sub[field(t, r.Form, "kr3_from").ID] = ""
	for _, n := range []string{"3", "4", "5"} {
		sub[field(t, r.Form, "kr"+n+"_title").ID] = ""
	}
	got := submit(t, x, as(alice), commands.Filled{Kind: commands.FormNew, Request: "view:V9", Values: sub})
	if got.Failed {
		t.Fatalf("refused: %q %s", got.FieldErrors, got.PlainText())
	}
	mustContain(t, "reply", got.PlainText(), "Created objective 1: Grow LinkedIn followers", "1.1 Qualified leads · 40 leads → 90 leads", "1.2 Reach · 5,000 people → 20,000 people")
}

func TestCreationFormCreatesTheObjectiveWithItsKeyResults(t *testing.T) {
	x, db := MustExecutor(t)
	var announced []string
	x.Announce = func(_ context.Context, a commands.Announcement) error {
		announced = append(announced, a.Channel+" "+a.Reply.PlainText())
		return nil
	}
	f := newForm("view:V1",
		[4]string{"Followers", "1,200", "2,000", "followers"},
		[4]string{"", "", "", "people"}, // a dropped suggestion
		[4]string{"Cost per click", "$1.40", "$0.90", ""},
		[4]string{"Open rate", "pending", "40%", ""},
		[4]string{"Publish the playbook", "", "", ""})
	f.Values["owner"] = bob
	r := submit(t, x, as(alice), f)
	if r.Failed || !r.GoalsChanged {
		t.Fatalf("refused: %q %s", r.FieldErrors, r.PlainText())
	}
	mustContain(t, "reply", r.PlainText(), "Created objective 1: Grow LinkedIn followers", "OKR · owner @U0BOB0001 · due 2026-12-31", "#C0MKTG001",
		"1.1 Followers · 1,200 followers → 2,000 followers (higher is better)",
		"1.2 Cost per click · $1.40 → $0.90 (lower is better)",
		"1.3 Open rate · baseline pending → 40%",
		"1.4 Publish the playbook · not done → done")
	o := mustFindObjective(t, db, 1)
	if o.OwnerID != bob || o.ChannelID != marketing || o.CreatedBy != alice || len(o.KeyResults) != 4 {
		t.Fatalf("stored %+v", o)
	}
	for _, kr := range o.KeyResults {
		if kr.OwnerID != bob {
			t.Errorf("%s owned by %s; the form's key results belong to the objective's owner", kr.Ref, kr.OwnerID)
		}
	}
	if len(announced) != 1 || !strings.HasPrefix(announced[0], marketing+" 🎯 New objective 1: Grow LinkedIn followers") {
		t.Errorf("announced %q", announced)
	}
	// The same submission again creates nothing.
	before := dump(t, db)
	if again := submit(t, x, as(alice), f); !again.Repeated || again.GoalsChanged {
		t.Errorf("repeat: %+v", again)
	}
	if dump(t, db) != before || len(announced) != 1 {
		t.Error("a repeated submission wrote or announced")
	}
}

func TestCreationFormBadInput(t *testing.T) {
	x, db := MustExecutor(t)
	with := func(key, value string, rows ...[4]string) commands.Filled {
		f := newForm("view:bad", rows...)
		f.Values[key] = value
		return f
	}
	row := func(title, from, to, unit string) [4]string { return [4]string{title, from, to, unit} }
	for _, tc := range []struct {
		name string
		f    commands.Filled
		want map[string]string
	}{
		{"empty title", with("title", "  "), map[string]string{"title": "Give the objective a title."}},
		{"title too long", with("title", strings.Repeat("t", 201)), map[string]string{"title": "The title is 201 characters long; the limit is 200."}},
		{"control character", with("title", "Grow\x1b[31m"), map[string]string{"title": "The text contains a control character (U+001B)."}},
		{"no due date", with("due", ""), map[string]string{"due": "Pick the due date."}},
		{"due in the past", with("due", "2026-11-25"), map[string]string{"due": "The due date 2026-11-25 is in the past."}},
		{"due today", with("due", "2026-11-26"), map[string]string{"due": "The due date 2026-11-26 must be after the start 2026-11-26."}},
		{"due not a date", with("due", "9999-12-31x"), map[string]string{"due": `"9999-12-31x" is not a date like 2026-12-31.`}},
		{"due in year 9999", with("due", "9999-12-31"), map[string]string{"due": `"9999-12-31" is out of range. Dates must be between 2000 and 2200.`}},
		{"numbers without a title", with("title", "Grow", row("", "100", "200", "followers")), map[string]string{"kr1_title": "Give this key result a title, or clear its from and to."}},
		{"no owner", with("owner", ""), map[string]string{"owner": "Pick the owner."}},
		{"owner not a user", with("owner", "<!channel>"), map[string]string{"owner": "Pick the owner."}},
		{"channel not a channel", with("channel", "#general"), map[string]string{"channel": "Pick a channel, or none."}},
		{"unknown framework", with("framework", "kpi"), map[string]string{"framework": `Unknown framework "kpi": use okr or smart.`}},
		{"unknown goal type", with("goal_type", "world-domination"), map[string]string{"goal_type": `Unknown goal type "world-domination": use one of brand-awareness, reputation, community-engagement, conversions, customer-insight, leads, customer-service, recruiting, crisis-management, internal-communication.`}},
		{"from not a number", with("title", "Grow", row("Followers", "many", "2000", "")), map[string]string{"kr1_from": `"many" is not a number. Try 1200, 1,200, 1.5, 1.2k, 45% or $1,200.`}},
		{"to not a number", with("title", "Grow", row("Followers", "1", "Infinity", "")), map[string]string{"kr1_to": `"Infinity" is not a number. Try 1200, 1,200, 1.5, 1.2k, 45% or $1,200.`}},
		{"from equals to", with("title", "Grow", row("Followers", "1,000", "1000", "")), map[string]string{"kr1_to": "from and to are both 1,000: there is nothing to measure."}},
		{"no to", with("title", "Grow", row("Followers", "1000", "", "")), map[string]string{"kr1_to": "Give the target value."}},
		{"no from", with("title", "Grow", row("Followers", "", "2000", "")), map[string]string{"kr1_from": "Give the start value, or pending to let the first check-in set it."}},
		{"unit without numbers", with("title", "Grow", row("Followers", "", "", "followers")), map[string]string{"kr1_from": "Give from and to, or clear the unit for a done/not-done key result."}},
		{"units disagree", with("title", "Grow", row("CPC", "$1.40", "90%", "")), map[string]string{"kr1_to": "from is in $ but to is in %."}},
		{"unit field disagrees", with("title", "Grow", row("CPC", "$1.40", "$0.90", "€")), map[string]string{"kr1_unit": "The numbers are in $ but unit: says €."}},
		{"unit too long", with("title", "Grow", row("Reach", "1", "2", strings.Repeat("u", 31))), map[string]string{"kr1_unit": "A unit is at most 30 characters."}},
		{"huge number", with("title", "Grow", row("Reach", "1", "1e300", "")), map[string]string{"kr1_to": `"1e300" uses an exponent. Write the number out, as in 100000 or 100k.`}},
		{"errors in two rows and the title", with("title", "", row("A", "x", "2", ""), row("B", "1", "1", "")), map[string]string{
			"title": "Give the objective a title.", "kr1_from": `"x" is not a number. Try 1200, 1,200, 1.5, 1.2k, 45% or $1,200.`, "kr2_to": "from and to are both 1: there is nothing to measure."}},
	} {
		t.Run(tc.name, func(t *testing.T) { mustRefuseForm(t, x, db, as(alice), tc.f, tc.want) })
	}
}

// TestRepeatedDeliveriesCreateOnce: every command that creates something,
// delivered twice with the same Request (Slack redelivering an envelope),
// creates it once and answers the repeat as such; without a Request (the
// shell) nothing is deduplicated.
func TestRepeatedDeliveriesCreateOnce(t *testing.T) {
	x, db := MustExecutor(t)
	for i, text := range []string{
		"new Grow followers due:2026-12-31",
		"kr 1 Followers from:1000 to:2000",
		"milestone 1.1 2026-12-15 Half way target:1500",
		"update 1.1 1200",
	} {
		inv := as(alice)
		inv.Request = fmt.Sprintf("envelope:E%d", i)
		if r := run(t, x, inv, text); r.Failed || r.Repeated {
			t.Fatalf("%s: %s", text, r.PlainText())
		}
		before := dump(t, db)
		r := run(t, x, inv, text)
		if !r.Repeated || r.GoalsChanged || r.PlainText() != "This was already done; the same request came twice and took effect once." {
			t.Errorf("%s again: repeated %v, changed %v, %q", text, r.Repeated, r.GoalsChanged, r.PlainText())
		}
		if after := dump(t, db); after != before {
			t.Errorf("%s delivered again wrote:\n%s", text, after)
		}
	}
	mustRun(t, x, as(alice), "update 1.1 1300")
	mustRun(t, x, as(alice), "update 1.1 1300")
	if kr := mustFindKeyResult(t, db, team, 1, 1); kr.CheckIns != 3 {
		t.Errorf("%d check-ins, want 3 (one per request, two without)", kr.CheckIns)
	}
}
