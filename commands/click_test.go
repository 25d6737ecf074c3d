package commands_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/storage"
)

// click runs a button click and fails the test on an internal error.
func click(tb testing.TB, x *commands.Executor, inv commands.Invocation, action, value string) commands.Reply {
	tb.Helper()
	r, err := x.Click(context.Background(), inv, action, value)
	if err != nil {
		tb.Fatalf("click %s %s: internal error %v", action, value, err)
	}
	return r
}

// mustRefuseClick is mustRefuse for a click.
func mustRefuseClick(tb testing.TB, x *commands.Executor, db *storage.DB, inv commands.Invocation, action, value, want string) {
	tb.Helper()
	before := dump(tb, db)
	r := click(tb, x, inv, action, value)
	if !r.Failed || r.PlainText() != want {
		tb.Errorf("click %s %q: failed %v, reply %q, want the refusal %q", action, value, r.Failed, r.PlainText(), want)
	}
	if after := dump(tb, db); after != before {
		tb.Errorf("click %s %q wrote to the database", action, value)
	}
}

func mustDeletePromptWorkspace(t *testing.T) (*commands.Executor, *storage.DB) {
	t.Helper()
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Grow followers")
	mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000")
	mustRun(t, x, as(alice), "update 1.1 1500")
	return x, db
}

func TestDeletePromptHasAConfirmAndACancelButton(t *testing.T) {
	x, _ := mustDeletePromptWorkspace(t)
	r := run(t, x, as(alice), "delete 1.1")
	last := r.Blocks[len(r.Blocks)-1]
	if last.Kind != commands.Actions || len(last.Buttons) != 2 {
		t.Fatalf("the prompt ends with %+v, want two buttons", last)
	}
	yes, no := last.Buttons[0], last.Buttons[1]
	if yes.ActionID != commands.ActionDeleteConfirm || yes.Value != "1.1" || !yes.Danger || yes.Text != "Delete key result 1.1" {
		t.Errorf("confirm button %+v", yes)
	}
	if no.ActionID != commands.ActionDeleteCancel || no.Value != "1.1" || no.Danger {
		t.Errorf("cancel button %+v", no)
	}
	// Someone who may not delete gets no buttons, only the refusal.
	if r := run(t, x, as(carol), "delete 1"); !r.Failed || strings.Contains(r.PlainText(), "[Delete") {
		t.Errorf("carol was offered the delete: %q", r.PlainText())
	}
}

func TestConfirmButtonDeletesOnceAndReplacesThePrompt(t *testing.T) {
	x, db := mustDeletePromptWorkspace(t)
	r := click(t, x, as(alice), commands.ActionDeleteConfirm, "1")
	if r.Failed || !r.Replaces || !strings.HasPrefix(r.PlainText(), "Deleted objective 1 with its key results and check-ins.") {
		t.Fatalf("failed %v, replaces %v, reply %q", r.Failed, r.Replaces, r.PlainText())
	}
	if n := tableRows(t, db, "objectives"); n != 0 {
		t.Fatalf("%d objectives left", n)
	}
	// A double click: the second finds nothing, deletes nothing more, and
	// comes as a new message so the answered question keeps its answer.
	mustRefuseClick(t, x, db, as(alice), commands.ActionDeleteConfirm, "1", "Objective 1 not found.")
	if r := click(t, x, as(alice), commands.ActionDeleteConfirm, "1"); r.Replaces {
		t.Error("the refused second click replaces the answered question")
	}
}

func TestCancelButtonKeepsEverything(t *testing.T) {
	x, db := mustDeletePromptWorkspace(t)
	before := dump(t, db)
	r := click(t, x, as(alice), commands.ActionDeleteCancel, "1.1")
	if r.Failed || !r.Replaces || r.PlainText() != "Cancelled: nothing deleted by this question about key result 1.1." {
		t.Errorf("failed %v, replaces %v, reply %q", r.Failed, r.Replaces, r.PlainText())
	}
	if dump(t, db) != before {
		t.Error("cancel wrote to the database")
	}
}

func TestButtonClicksAreCheckedLikeCommands(t *testing.T) {
	x, db := mustDeletePromptWorkspace(t)
	// The button of a prompt shown to alice, clicked by carol (a forwarded
	// or replayed payload): the same permission check as the command.
	mustRefuseClick(t, x, db, as(carol), commands.ActionDeleteConfirm, "1", "Only the owner of objective 1 or an admin may delete it. Ask @U0ALICE01.")
	// The same IDs in another workspace are another workspace's goals.
	other := as(alice)
	other.TeamID = "T2"
	mustRefuseClick(t, x, db, other, commands.ActionDeleteConfirm, "1", "Objective 1 not found.")
	for _, value := range []string{"", "0", "1 confirm", "1.1.1", "1;DROP TABLE objectives", "<!channel>", "-1", "1.", "9999999999"} {
		mustRefuseClick(t, x, db, as(alice), commands.ActionDeleteConfirm, value, "This button is not one goalbot made; nothing was done.")
	}
	mustRefuseClick(t, x, db, as(alice), "drop_everything", "1", "This button does nothing any more; nothing was done.")
	mustRefuseClick(t, x, db, as(alice), "", "1", "This button does nothing any more; nothing was done.")
}

func TestOpenButtonShowsTheObjective(t *testing.T) {
	x, db := mustDeletePromptWorkspace(t)
	r := click(t, x, as(bob), commands.ActionShow, "1")
	mustContain(t, "open click", r.PlainText(), "Objective 1: Grow followers", "1.1 Followers")
	if r.Failed || r.Replaces {
		t.Errorf("failed %v, replaces %v", r.Failed, r.Replaces)
	}
	other := as(alice)
	other.TeamID = "T2"
	mustRefuseClick(t, x, db, other, commands.ActionShow, "1", "Objective 1 not found.")
	mustRefuseClick(t, x, db, as(alice), commands.ActionShow, "1 extra", "This button is not one goalbot made; nothing was done.")
}

func TestUpdateButtonShowsTheKeyResultAndHowToCheckIn(t *testing.T) {
	x, db := mustDeletePromptWorkspace(t)
	r := click(t, x, as(alice), commands.ActionCheckIn, "1.1")
	mustContain(t, "update click", r.PlainText(), "Key result 1.1: Followers", "now 1,500", "Check in with /goal update 1.1 <value>")
	if r.Failed || r.Replaces {
		t.Errorf("failed %v, replaces %v", r.Failed, r.Replaces)
	}
	mustRefuseClick(t, x, db, as(alice), commands.ActionCheckIn, "1.7", "Key result 1.7 not found.")
	mustRefuseClick(t, x, db, as(alice), commands.ActionCheckIn, "1", "This button is not one goalbot made; nothing was done.")
}

func TestPauseButtonPausesTheClickersRemindersForAWeek(t *testing.T) {
	x, db := mustDeletePromptWorkspace(t)
	// The reminder DM offers it.
	r, ok, err := x.CheckInReminder(context.Background(), team, alice, testNow.AddDate(0, 0, 14), time.UTC)
	if err != nil || !ok {
		t.Fatalf("no reminder: %v", err)
	}
	row := r.Blocks[len(r.Blocks)-2].Buttons
	if last := row[len(row)-1]; last.ActionID != commands.ActionRemindPause || last.Value != "7" || last.Text != "Pause reminders for a week" {
		t.Errorf("the reminder's last button is %+v", last)
	}
	// testToday is Thursday 2026-11-26: paused through next Thursday.
	got := click(t, x, as(alice), commands.ActionRemindPause, "7")
	if got.Failed || got.Replaces || got.PlainText() != "Your reminders are paused through 2026-12-03. /goal remind on resumes them now." {
		t.Errorf("failed %v, replaces %v, reply %q", got.Failed, got.Replaces, got.PlainText())
	}
	if s := mustRun(t, x, as(bob), "remind"); strings.Contains(s, "paused") {
		t.Errorf("bob's reminders were paused by alice's click: %q", s)
	}
	// Today is the user's: in Honolulu it is still Wednesday the 25th.
	honolulu, err := time.LoadLocation("Pacific/Honolulu")
	if err != nil {
		t.Fatal(err)
	}
	inv := as(carol)
	inv.Location = honolulu
	if got := click(t, x, inv, commands.ActionRemindPause, "7").PlainText(); !strings.Contains(got, "paused through 2026-12-02.") {
		t.Errorf("in Honolulu the pause reads %q, want through 2026-12-02", got)
	}
	// A longer pause is kept, not shortened.
	mustRun(t, x, as(bob), "remind pause until:2027-01-31")
	if got := click(t, x, as(bob), commands.ActionRemindPause, "7").PlainText(); !strings.Contains(got, "paused through 2027-01-31.") {
		t.Errorf("the click shortened bob's longer pause: %q", got)
	}
	for _, value := range []string{"", "0", "29", "07", "-1", "7 until:2099-01-01", "1.1"} {
		mustRefuseClick(t, x, db, as(alice), commands.ActionRemindPause, value, "This button is not one goalbot made; nothing was done.")
	}
}

// TestGoalsChangedMarksWhatChangesGoals checks the flag front ends use to
// refresh views of the caller's goals (App Home): set by a successful
// change, never by a read, a refusal or an unconfirmed delete.
func TestGoalsChangedMarksWhatChangesGoals(t *testing.T) {
	x, _ := mustDeletePromptWorkspace(t)
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"update 1.1 1600", true},
		{"new Another goal", true},
		{"kr 2 Reach from:0 to:10", true},
		{"edit 2 title:Renamed", true},
		{"milestone 2 2026-12-10 Halfway", true},
		{"close 2", true},
		{"reopen 2", true},
		{"archive 2", true},
		{"show 1", false},
		{"list", false},
		{"history 1", false},
		{"update 1.1 lots", false},
		{"update 1.9 5", false},
		{"delete 1", false},
		{"delete 1 confirm", true},
	} {
		if r := run(t, x, as(alice), tc.text); r.GoalsChanged != tc.want {
			t.Errorf("%q: GoalsChanged %v, want %v (reply %q)", tc.text, r.GoalsChanged, tc.want, r.PlainText())
		}
	}
}

// TestLongRemindersKeepTheirButtons: a reminder for more key results than
// fit in one Slack message lists the first 40, says how many more, and
// keeps its Snooze and Pause buttons; the due-date DM likewise.
func TestLongRemindersKeepTheirButtons(t *testing.T) {
	x, _ := MustExecutor(t)
	mustRun(t, x, as(alice), "new Grow followers due:2026-12-10")
	for i := range 45 {
		mustRun(t, x, as(alice), fmt.Sprintf("kr 1 Result %d from:0 to:10", i+1))
	}
	r, ok, err := x.CheckInReminder(context.Background(), team, alice, testNow.AddDate(0, 0, 7), time.UTC)
	if err != nil || !ok {
		t.Fatalf("no reminder: %v", err)
	}
	rows := 0
	for _, b := range r.Blocks {
		if b.ID != "" {
			rows++
		}
	}
	text := r.PlainText()
	if rows != 40 || !strings.Contains(text, "…and 5 more; /goal list mine lists them all.") || !strings.Contains(text, "[Snooze 1 day] [Pause reminders for a week]") || len(r.Blocks) > 45 {
		t.Errorf("%d rows in %d blocks:\n%s", rows, len(r.Blocks), text)
	}
	d, ok, err := x.DeadlineReminder(context.Background(), team, alice, testToday.AddDays(7)) // due in 7 days
	if err != nil || !ok {
		t.Fatalf("no due-date DM: %v", err)
	}
	if text := d.PlainText(); !strings.Contains(text, "…and 6 more; /goal list mine lists them all.") || !strings.HasSuffix(text, "[Open 1]") || len(d.Blocks) > 45 {
		t.Errorf("due-date DM of %d blocks:\n%s", len(d.Blocks), text)
	}
}
