package shell_test

import (
	"strings"
	"testing"

	"github.com/goalbot/goalbot/shell"
)

// runShell runs input through a shell on a fresh database and returns its output.
func runShell(t *testing.T, input string) string {
	t.Helper()
	return runShellIn(t, "", input)
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
