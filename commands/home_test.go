package commands_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goalbot/goalbot/commands"
)

// mustHome builds user's App Home in team and fails the test on an error.
func mustHome(tb testing.TB, x *commands.Executor, team, user string, loc *time.Location) commands.Reply {
	tb.Helper()
	r, err := x.Home(context.Background(), team, user, loc)
	if err != nil {
		tb.Fatalf("Home(%s, %s): %v", team, user, err)
	}
	if r.Failed {
		tb.Fatalf("Home(%s, %s) failed:\n%s", team, user, r.PlainText())
	}
	return r
}

// homeObjectives summarises a Home reply: one entry per objective section,
// "N" followed by the values of its Update buttons, such as "1 [1.1 1.3]".
// It checks that every button opens a check-in and is labelled with the
// key result it carries.
func homeObjectives(tb testing.TB, r commands.Reply) []string {
	tb.Helper()
	var out []string
	for _, bl := range r.Blocks {
		switch {
		case bl.Kind == commands.Section && len(bl.Text) > 0 && bl.Text[0].Kind == commands.Strong:
			out = append(out, bl.Text[0].Text+" []")
		case bl.Kind == commands.Actions:
			if len(out) == 0 {
				tb.Fatalf("buttons before any objective:\n%s", r.PlainText())
			}
			var values []string
			for _, btn := range bl.Buttons {
				if btn.ActionID != commands.ActionCheckIn || btn.Text != "Update "+btn.Value {
					tb.Errorf("button %+v: want action %q and text %q", btn, commands.ActionCheckIn, "Update "+btn.Value)
				}
				values = append(values, btn.Value)
			}
			last := &out[len(out)-1]
			*last = strings.TrimSuffix(*last, "[]") + "[" + strings.Join(values, " ") + "]"
		}
	}
	return out
}

func TestHomeShowsTheUsersObjectivesAndTheirKeyResults(t *testing.T) {
	x, _ := MustExecutor(t)
	for _, step := range []struct {
		user, text string
	}{
		// 1: alice's, with one key result of hers and one of bob's.
		{alice, "new Alice's own goal due:2026-12-31"},
		{alice, "kr 1 Followers from:1000 to:2000"},
		{alice, "kr 1 Posts from:0 to:10 owner:<@U0BOB0001>"},
		{alice, "kr 1 Playbook kind:yesno"},
		// 2: bob's, with one key result of alice's.
		{bob, "new Bob's goal due:2026-12-31"},
		{bob, "kr 2 Leads from:0 to:100 owner:<@U0ALICE01>"},
		{bob, "kr 2 CPC from:$1.40 to:$0.90"},
		// 3: carol's alone.
		{carol, "new Carol's goal due:2026-12-31"},
		{carol, "kr 3 Reach from:0 to:5000"},
		// 4: alice's, without key results.
		{alice, "new Alice's empty goal due:2026-12-31"},
	} {
		mustRun(t, x, as(step.user), step.text)
	}
	for _, tc := range []struct {
		name, user string
		want       []string
		has, hasNo []string
	}{
		{
			name: "owner and key-result owner",
			user: alice,
			want: []string{"1 [1.1 1.3]", "2 [2.1]", "4 []"},
			has: []string{"Your goals", "Alice's own goal", "Followers", "now 1,000 · target 2,000", "Playbook", "not done yet",
				"Leads", "1 more key result owned by others", "No key results yet", "/goal kr 4 <title> from:N to:N",
				"🟢 on track", "OKR", "due 2026-12-31 (35 days left)", "░░░░░░░░░░ 0%"},
			hasNo: []string{"Posts", "CPC", "Carol's goal", "Reach"},
		},
		{
			name:  "key results in another's objective",
			user:  bob,
			want:  []string{"1 [1.2]", "2 [2.2]"},
			has:   []string{"Posts", "CPC", "now $1.40 · target $0.90", "1 more key result owned by others"},
			hasNo: []string{"Followers", "Playbook", "Carol's goal"},
		},
		{
			name:  "nothing of the others",
			user:  carol,
			want:  []string{"3 [3.1]"},
			has:   []string{"Carol's goal", "Reach"},
			hasNo: []string{"Alice's", "Bob's", "owned by others"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustHome(t, x, team, tc.user, time.UTC)
			if got := homeObjectives(t, r); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("objectives and buttons = %q, want %q\n%s", got, tc.want, r.PlainText())
			}
			if r.Blocks[0].Kind != commands.Heading || r.Blocks[0].Text.PlainText() != "Your goals" {
				t.Errorf("first block = %+v, want the heading Your goals", r.Blocks[0])
			}
			mustContain(t, "home", r.PlainText(), tc.has...)
			mustNotContain(t, "home", r.PlainText(), tc.hasNo...)
		})
	}
}

func TestHomeOrdersMostUrgentFirst(t *testing.T) {
	x, _ := MustExecutor(t)
	for _, text := range []string{
		"new Fresh start:2026-11-26 due:2026-12-15", // on track, due first
		"kr 1 A from:0 to:100",
		"new Shaky start:2026-11-26 due:2026-12-20", // at risk: low confidence
		"kr 2 B from:0 to:100",
		"update 2.1 0 confidence:low",
		"new Late start:2026-07-01 due:2027-01-31", // off track, due last
		"kr 3 C from:0 to:100",
	} {
		mustRun(t, x, as(alice), text)
	}
	r := mustHome(t, x, team, alice, time.UTC)
	want := []string{"3 [3.1]", "2 [2.1]", "1 [1.1]"}
	if got := homeObjectives(t, r); !reflect.DeepEqual(got, want) {
		t.Errorf("order = %q, want %q\n%s", got, want, r.PlainText())
	}
	mustContain(t, "home", r.PlainText(), "🔴 off track", "🟡 at risk", "🟢 on track")
}

func TestHomeNextDueDate(t *testing.T) {
	x, _ := MustExecutor(t)
	for _, text := range []string{
		"new Grow start:2026-11-01 due:2026-12-31",
		"kr 1 Followers from:1000 to:2000 due:2026-12-20",
		"milestone 1.1 2026-12-10 Half way target:1500",
		"kr 1 Posts from:0 to:10",
		"milestone 1.2 2026-11-20 Started target:1", // past: not next
		"kr 1 Clicks from:0 to:10 due:2026-12-01",
		"milestone 1.3 2026-11-28 Quick win target:5", // already reached: not next
		"update 1.3 6",
	} {
		mustRun(t, x, as(alice), text)
	}
	// The line after each key result's title.
	lines := map[string]string{}
	text := strings.Split(mustHome(t, x, team, alice, time.UTC).PlainText(), "\n")
	for i, l := range text[:len(text)-1] {
		if kr, _, ok := strings.Cut(l, " "); ok && strings.HasPrefix(kr, "1.") {
			lines[kr] = text[i+1]
		}
	}
	for kr, want := range map[string]string{
		"1.1": "next milestone Half way, due 2026-12-10 (14 days left)",
		"1.2": "due 2026-12-31 (35 days left)",
		"1.3": "due 2026-12-01 (5 days left)",
	} {
		if !strings.HasSuffix(lines[kr], want) {
			t.Errorf("%s: %q, want it to end with %q", kr, lines[kr], want)
		}
	}

	// Dates are the user's: at 09:30 UTC it is still the 25th in Pago Pago.
	r := mustHome(t, x, team, alice, mustZone(t, "Pacific/Pago_Pago"))
	mustContain(t, "home in Pago Pago", r.PlainText(), "due 2026-12-01 (6 days left)")
}

func TestHomeEmptyState(t *testing.T) {
	x, _ := MustExecutor(t)
	mustRun(t, x, as(bob), "new Bob's goal")
	r := mustHome(t, x, team, alice, nil)
	if got := homeObjectives(t, r); len(got) != 0 {
		t.Errorf("an empty home lists %q", got)
	}
	if r.Blocks[0].Kind != commands.Heading || r.Blocks[0].Text.PlainText() != "Your goals" {
		t.Errorf("first block = %+v, want the heading Your goals", r.Blocks[0])
	}
	mustContain(t, "empty home", r.PlainText(), "no active goals yet", "/goal new <title>", "/goal kr")
	mustNotContain(t, "empty home", r.PlainText(), "Bob's goal")
}

func TestHomeShowsAtMost30Objectives(t *testing.T) {
	x, _ := MustExecutor(t)
	for i := 1; i <= 35; i++ {
		mustRun(t, x, as(alice), fmt.Sprintf("new Goal %d due:2026-12-31", i))
		mustRun(t, x, as(alice), fmt.Sprintf("kr %d Result %d from:0 to:10", i, i))
	}
	r := mustHome(t, x, team, alice, time.UTC)
	got := homeObjectives(t, r)
	if len(got) != 30 || got[0] != "1 [1.1]" || got[29] != "30 [30.1]" {
		t.Errorf("home shows %d objectives: %q", len(got), got)
	}
	// Two blocks an objective, the heading, the intro and the note.
	if len(r.Blocks) > 2*30+3 {
		t.Errorf("home has %d blocks", len(r.Blocks))
	}
	last := r.Blocks[len(r.Blocks)-1]
	if last.Kind != commands.Context {
		t.Errorf("the last block is %+v, want the note on the rest", last)
	}
	mustContain(t, "the note on the rest", last.Text.PlainText(), "5 more objectives", "/goal list mine")
	mustContain(t, "home", r.PlainText(), "35 active objectives")
}

func TestHomeStaysInItsWorkspace(t *testing.T) {
	x, _ := MustExecutor(t)
	other := commands.Invocation{TeamID: "T2", UserID: alice, ChannelID: general}
	mustRun(t, x, as(alice), "new Home team goal")
	mustRun(t, x, as(alice), "kr 1 Ours from:0 to:10")
	mustRun(t, x, other, "new Other team goal")
	mustRun(t, x, other, "kr 1 Theirs from:0 to:10")
	mustRun(t, x, other, "new Second other goal")

	r := mustHome(t, x, team, alice, time.UTC)
	if got, want := homeObjectives(t, r), []string{"1 [1.1]"}; !reflect.DeepEqual(got, want) {
		t.Errorf("T1 home = %q, want %q", got, want)
	}
	mustNotContain(t, "T1 home", r.PlainText(), "Other team goal", "Theirs", "Second other goal")

	r = mustHome(t, x, "T2", alice, time.UTC)
	if got, want := homeObjectives(t, r), []string{"1 [1.1]", "2 []"}; !reflect.DeepEqual(got, want) {
		t.Errorf("T2 home = %q, want %q", got, want)
	}
	mustNotContain(t, "T2 home", r.PlainText(), "Home team goal", "Ours")
}
