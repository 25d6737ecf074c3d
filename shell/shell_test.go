package shell_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/shell"
	"github.com/goalbot/goalbot/storage"
)

// runShell runs input through a shell on a fresh database and returns its output.
func runShell(t *testing.T, input string) string {
	t.Helper()
	clock := shell.NewClock(goalbot.ClockFunc(func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }))
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "shell.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var out strings.Builder
	sh := &shell.Shell{
		Exec:  &commands.Executor{Store: db, Clock: clock, PlainNames: true},
		Clock: clock, In: strings.NewReader(input), Out: &out,
		TeamID: "T1", UserID: "U1", ChannelID: "C1",
	}
	if err := sh.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.String()
}

func TestOverlongLineIsRefusedAndTheShellGoesOn(t *testing.T) {
	out := runShell(t, "new "+strings.Repeat("x", shell.MaxLine+10)+"\nnew Next one due:2026-12-31")
	want := "That line is longer than 65536 bytes; nothing was run.\n\nCreated objective 1: Next one\n"
	if !strings.HasPrefix(out, want) {
		t.Errorf("output starts %.200q, want %q", out, want)
	}
}

func TestRepliesAreSeparatedByOneEmptyLine(t *testing.T) {
	out := runShell(t, "\n   \nhelp history\r\n:tick\n:tick")
	want := "/goal history\nA key result's check-ins, newest first, and every recorded change.\n/goal history <objective|kr>\nExamples:\n/goal history 1.1\n/goal history 1\n\n(nothing due)\n\n(nothing due)\n\n"
	if out != want {
		t.Errorf("output\n%q\nwant\n%q", out, want)
	}
}

func TestTypedAngleBracketsAreText(t *testing.T) {
	out := runShell(t, "new Launch <!channel> & <@U9> due:2026-12-31\nlist all")
	if !strings.Contains(out, "Created objective 1: Launch <!channel> & <@U9>\n") || !strings.Contains(out, "1 Launch <!channel> & <@U9>\n") {
		t.Errorf("typed markup was not kept as text:\n%s", out)
	}
}
