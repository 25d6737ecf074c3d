package commands_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/internal/seed"
	"github.com/goalbot/goalbot/storage"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// mustMatchGolden compares got with testdata/name, rewriting it with -update.
func mustMatchGolden(tb testing.TB, name, got string) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test ./commands -update to create it)", err)
	}
	if got != string(want) {
		tb.Errorf("output differs from %s (run go test ./commands -update to accept):\n%s", path, got)
	}
}

// digestNow is a Friday, 16:00 UTC: digest time. The previous digest went
// out a week earlier.
var (
	digestNow   = utc(time.November, 27, 16, 0)
	digestSince = utc(time.November, 20, 16, 0)
)

// mustDigestWorkspace builds the marketing team's quarter as of digestNow:
// movers, at-risk and off-track key results, stale ones, milestones and due
// dates in the next two weeks, check-ins by three people this week, and
// objectives the marketing digest must leave out.
func mustDigestWorkspace(tb testing.TB) (*commands.Executor, *settableClock) {
	tb.Helper()
	x, _, clock := MustExecutorClock(tb)
	in := func(user, channel string) commands.Invocation {
		return commands.Invocation{TeamID: team, UserID: user, ChannelID: channel}
	}
	steps := []struct {
		at   time.Time
		inv  commands.Invocation
		text string
	}{
		{utc(time.October, 1, 9, 0), in(alice, marketing), "new Grow LinkedIn followers & reach due:2026-12-31"},
		{utc(time.October, 1, 9, 0), in(alice, marketing), "kr 1 Followers from:1000 to:2000 unit:followers"},
		{utc(time.October, 1, 9, 0), in(alice, marketing), "kr 1 Cost per click from:$1.40 to:$0.90 owner:<@" + bob + ">"},
		{utc(time.October, 1, 9, 0), in(alice, marketing), "kr 1 Share of voice from:10% to:25% owner:<@" + carol + ">"},
		{utc(time.October, 1, 9, 0), in(alice, marketing), "milestone 1.1 2026-12-05 Second campaign wave target:1800"},
		{utc(time.November, 2, 9, 0), in(alice, marketing), "update 1.1 1,200 confidence:high"},
		{utc(time.November, 2, 9, 0), in(carol, marketing), "update 1.3 12% confidence:medium"},
		{utc(time.November, 23, 9, 0), in(alice, marketing), "update 1.1 1,500 Campaign went live"},
		{utc(time.November, 24, 9, 0), in(bob, marketing), "update 1.2 $1.35 confidence:low CPC barely moved"},

		{utc(time.November, 1, 9, 0), in(bob, marketing), "new Ship the crisis playbook framework:smart start:2026-11-01 due:2026-12-08"},
		{utc(time.November, 1, 9, 0), in(bob, marketing), "kr 2 Playbook published kind:yesno"},
		{utc(time.November, 1, 9, 0), in(bob, marketing), "kr 2 Reviewers signed off from:0 to:5 due:2026-12-04 owner:<@" + carol + ">"},
		{utc(time.November, 1, 9, 0), in(bob, marketing), "milestone 2 2026-12-01 Legal review done"},
		{utc(time.November, 5, 9, 0), in(carol, marketing), "update 2.2 1"},

		{utc(time.November, 16, 9, 0), in(alice, marketing), "new Hire two community managers due:2027-03-31"},
		{utc(time.November, 16, 9, 0), in(alice, marketing), "kr 3 Hires from:0 to:2"},
		{utc(time.November, 16, 9, 0), in(alice, marketing), "milestone 3 2026-12-10 Shortlist ready"},
		{utc(time.November, 26, 9, 0), in(alice, marketing), "update 3.1 1 as-of:2026-11-25"},
		{utc(time.November, 26, 10, 0), in(carol, marketing), "update 1.3 14%"},

		// Not marketing's: another channel's, and a closed one.
		{utc(time.November, 1, 9, 0), in(bob, general), "new Internal newsletter due:2026-12-02"},
		{utc(time.November, 1, 9, 0), in(bob, general), "kr 4 Issues sent from:0 to:4"},
		{utc(time.November, 1, 9, 0), in(alice, marketing), "new Old campaign due:2026-11-30"},
		{utc(time.November, 1, 9, 0), in(alice, marketing), "close 5 score:0.6"},
	}
	for _, s := range steps {
		clock.SetTime(s.at)
		mustRun(tb, x, s.inv, s.text)
	}
	clock.SetTime(digestNow)
	return x, clock
}

// digestText renders every part of a digest as plain text.
func digestText(parts []commands.Reply) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "--- message %d of %d (%d blocks)\n", i+1, len(parts), len(p.Blocks))
		b.WriteString(p.PlainText())
	}
	return b.String() + "\n"
}

// TestDigestGolden renders the marketing channel's weekly digest and
// compares it with testdata/digest.golden.
func TestDigestGolden(t *testing.T) {
	x, _ := mustDigestWorkspace(t)
	parts, err := x.Digest(context.Background(), team, marketing, digestNow, time.UTC, digestSince)
	if err != nil {
		t.Fatal(err)
	}
	got := digestText(parts)
	mustMatchGolden(t, "digest.golden", got)

	// What the golden file must show, whatever else changes in it.
	for _, want := range []string{
		"Weekly goal digest · 2026-11-27",
		"3 active objectives, this channel's",
		"Grow LinkedIn followers & reach",
		// movers: a check-in since the last digest, and a first check-in from the start value
		"Movers since the last digest\n",
		"1.1 Followers: 1,200 followers → 1,500 followers",
		"1.2 Cost per click: $1.40 → $1.35",
		"1.3 Share of voice: 12% → 14%",
		"3.1 Hires: 0 → 1",
		"At risk and off track\n",
		"Stale: no check-in for 14 days or more\n",
		"2.1 Playbook published: no check-in for 26 days · owner @" + bob,
		"2.2 Reviewers signed off: no check-in for 22 days · owner @" + carol,
		"Coming up in the next 14 days\n",
		"2026-12-04 2.2 Reviewers signed off is due",
		"2026-12-08 objective 2 Ship the crisis playbook is due",
		"2026-12-05 milestone of 1.1: Second campaign wave",
		"2026-12-01 milestone of objective 2: Legal review done",
		"2026-12-10 milestone of objective 3: Shortlist ready",
		"Check-ins this week\n@" + alice + ": 2\n@" + bob + ": 1\n@" + carol + ": 1",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("digest lacks %q", want)
		}
	}
	for _, absent := range []string{"Internal newsletter", "Old campaign", "Part 1", "1.1 Followers: no check-in"} {
		if strings.Contains(got, absent) {
			t.Errorf("digest shows %q", absent)
		}
	}
	if !strings.Contains(got, "At risk and off track\n") || strings.Count(got, "· off track · owner")+strings.Count(got, "· at risk · owner") < 2 {
		t.Errorf("digest does not list at least two key results at risk or off track:\n%s", got)
	}
}

// TestDigestWithoutOwnObjectivesCoversTheWorkspace: a channel with no
// objectives of its own gets every active objective of the workspace.
func TestDigestWithoutOwnObjectivesCoversTheWorkspace(t *testing.T) {
	x, _ := mustDigestWorkspace(t)
	parts, err := x.Digest(context.Background(), team, "C0EMPTY01", digestNow, time.UTC, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	got := digestText(parts)
	for _, want := range []string{"4 active objectives, the workspace's (this channel has none of its own)", "Internal newsletter", "Grow LinkedIn"} {
		if !strings.Contains(got, want) {
			t.Errorf("digest lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Old campaign") {
		t.Errorf("digest shows a closed objective:\n%s", got)
	}
}

// TestDigestPreviewIsTheFirstPart: digest preview shows what the digest
// would post, to the caller only, and schedules nothing.
func TestDigestPreviewIsTheFirstPart(t *testing.T) {
	x, _ := mustDigestWorkspace(t)
	inv := commands.Invocation{TeamID: team, UserID: alice, ChannelID: marketing}
	got := mustRun(t, x, inv, "digest preview")
	parts, err := x.Digest(context.Background(), team, marketing, digestNow, time.UTC, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if want := parts[0].PlainText() + "\nA preview, shown only to you."; got != want {
		t.Errorf("preview\n%s\nwant\n%s", got, want)
	}
	if _, err := x.Store.FindJob(context.Background(), team, goalbot.JobDigest, marketing); goalbot.ErrorCode(err) != goalbot.ENOTFOUND {
		t.Errorf("preview scheduled a digest (err %v)", err)
	}
}

// bulkUser is user i of a bulk workspace.
func bulkUser(i int) string { return fmt.Sprintf("U%05d", i) }

// bulkChannel is channel i of a bulk workspace.
func bulkChannel(i int) string { return fmt.Sprintf("C%05d", i) }

// seedBulk writes w into the test workspace (users U00000..., channels
// C00000...) straight into SQLite, in one transaction.
func seedBulk(tb testing.TB, db *storage.DB, w seed.Workspace) {
	tb.Helper()
	w.Team, w.User, w.Channel = team, bulkUser, bulkChannel
	inBulkTx(tb, db, func(tx *sql.Tx) error { return seed.Write(tx, w) })
}

// inBulkTx runs fn in one transaction on a connection of its own to db's
// file, and commits it: test data written in bulk.
func inBulkTx(tb testing.TB, db *storage.DB, fn func(tx *sql.Tx) error) {
	tb.Helper()
	if err := seed.Tx(db.Path(), fn); err != nil {
		tb.Fatal(err)
	}
}

// TestLongDigestIsSplitIntoParts builds the digest of 200 objectives with
// long titles, every key result stale and behind, and every objective due
// with a milestone within two weeks: it comes in numbered parts of at most
// 45 blocks whose sections stay below Slack's 3,000 characters, and no line
// is lost. (bot/digest_test.go checks the Block Kit rendering.)
func TestLongDigestIsSplitIntoParts(t *testing.T) {
	x, db, _ := MustExecutorClock(t)
	filler := strings.Repeat("& <grow> ", 20) // 180 characters, 3 times that escaped
	seedBulk(t, db, seed.Workspace{Objectives: 200, KRsPer: 3, Users: 40, Channels: 1, TitleFiller: filler,
		Milestones: goalbot.DateOf(testNow).AddDays(5), Due: goalbot.DateOf(testNow).AddDays(10),
		Created: testNow.AddDate(0, -2, 0)})
	parts, err := x.Digest(context.Background(), team, bulkChannel(0), testNow, time.UTC, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) < 3 {
		t.Fatalf("%d parts, want the digest split into several", len(parts))
	}
	all := ""
	for i, p := range parts {
		if n := len(p.Blocks); n > 45 {
			t.Errorf("part %d has %d blocks, want at most 45", i+1, n)
		}
		last := p.Blocks[len(p.Blocks)-1]
		if want := fmt.Sprintf("Part %d of %d.", i+1, len(parts)); last.Kind != commands.Context || last.Text.PlainText() != want {
			t.Errorf("part %d ends with %q, want %q", i+1, last.Text.PlainText(), want)
		}
		for j, b := range p.Blocks {
			// Every & < > becomes an entity of up to 5 characters in Slack.
			text := b.Text.PlainText()
			escaped := len(text) + 4*strings.Count(text, "&") + 3*(strings.Count(text, "<")+strings.Count(text, ">"))
			if escaped > 3000 {
				t.Errorf("part %d block %d is %d characters escaped", i+1, j+1, escaped)
			}
		}
		all += p.PlainText() + "\n"
	}
	for o := 1; o <= 200; o++ {
		if !strings.Contains(all, fmt.Sprintf("\n%d ", o)) {
			t.Errorf("objective %d is missing from the digest", o)
		}
		for k := 1; k <= 3; k++ {
			if !strings.Contains(all, fmt.Sprintf("\n%d.%d Result %d.%d %s: no check-in for 61 days", o, k, o, k, filler)) {
				t.Errorf("stale key result %d.%d is missing from the digest", o, k)
			}
		}
		if !strings.Contains(all, fmt.Sprintf("milestone of objective %d: Checkpoint %d ", o, o)) {
			t.Errorf("the milestone of objective %d is missing from the digest", o)
		}
	}
	if n := strings.Count(all, "· owner @"); n < 2*600 {
		t.Errorf("%d owner lines (at risk and stale), want at least 1,200", n)
	}
}
