package shell_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/shell"
	"github.com/goalbot/goalbot/storage"
)

// runShellIn runs input through a shell on a fresh database that writes
// files into dir ("": the working directory), and returns its output.
func runShellIn(t *testing.T, dir, input string) string {
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
		TeamID: "T1", UserID: "U1", ChannelID: "C1", Dir: dir,
	}
	if err := sh.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.String()
}

func TestExportIsWrittenAndNeverOverwritten(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "goalbot-export-T1-2026-11-26.csv")
	if err := os.WriteFile(csvPath, []byte("mine, keep me\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runShellIn(t, dir, strings.Join([]string{
		"new Grow followers due:2026-12-31",
		"kr 1 Followers from:100 to:200",
		"update 1.1 150 =cmd|' /C calc'!A0",
		"/goal export",
		"export",
		"export json",
		"export xml",
	}, "\n"))

	first, second := filepath.Join(dir, "goalbot-export-T1-2026-11-26-1.csv"), filepath.Join(dir, "goalbot-export-T1-2026-11-26-2.csv")
	jsonPath := filepath.Join(dir, "goalbot-export-T1-2026-11-26.json")
	if got, _ := os.ReadFile(csvPath); string(got) != "mine, keep me\n" {
		t.Errorf("the file that was there was overwritten: %q", got)
	}
	content, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	again, err := os.ReadFile(second)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(content) || !strings.HasPrefix(string(content), strings.Join(commands.CSVColumns, ",")+"\n") ||
		!strings.Contains(string(content), ",'=cmd|' /C calc'!A0,") {
		t.Errorf("CSV written:\n%s\nand again:\n%s", content, again)
	}
	js, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	exported := "Exported 1 objective, 1 key result and 1 check-in to "
	for _, want := range []string{
		exported + "goalbot-export-T1-2026-11-26.csv.\nWrote " + first + " (" + strconv.Itoa(len(content)) + " bytes).\n\n",
		exported + "goalbot-export-T1-2026-11-26.csv.\nWrote " + second + " (" + strconv.Itoa(len(content)) + " bytes).\n\n",
		exported + "goalbot-export-T1-2026-11-26.json.\nWrote " + jsonPath + " (" + strconv.Itoa(len(js)) + " bytes).\n\n",
		"Unknown export format \"xml\": use csv or json.\nUsage: /goal export [csv|json]\n\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Errorf("%d files in the directory, want 4 (the old one, two CSVs, one JSON)", len(entries))
	}
}

func TestExportIntoAMissingDirectoryIsReported(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")
	out := runShellIn(t, dir, "new Grow followers due:2026-12-31\nexport\nlist all")
	if !strings.Contains(out, "Could not write goalbot-export-T1-2026-11-26.csv: ") || !strings.Contains(out, "Nothing was exported.") ||
		strings.Contains(out, "Exported ") || !strings.Contains(out, "1 Grow followers") {
		t.Errorf("output:\n%s", out)
	}
}
