package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/bot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/storage"
)

// TestLongDigestRendersWithinSlackLimits renders the weekly digest of 200
// objectives with long titles full of characters Slack escapes, every key
// result stale and behind, each objective due with a milestone within two
// weeks: every message has at most 50 blocks, every section at most 3,000
// characters, nothing is cut ("more blocks not shown") and every key
// result's stale line is in some message.
func TestLongDigestRendersWithinSlackLimits(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC)
	created := now.AddDate(0, -2, 0)
	clock := &settable{now: created}
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "goalbot.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	const team, channel, objectives, krs = "T0TEAM001", "C0MKTG001", 200, 2
	filler := strings.Repeat("<b>&amp; ", 18) // 162 characters, 450 escaped
	today := goalbot.DateOf(now)
	for i := 1; i <= objectives; i++ {
		owner := fmt.Sprintf("U%08d", i%25)
		o := &goalbot.Objective{TeamID: team, Title: fmt.Sprintf("Objective %d %s", i, filler), OwnerID: owner, ChannelID: channel,
			Framework: goalbot.FrameworkOKR, Start: goalbot.DateOf(created), Due: today.AddDays(10), CreatedBy: owner}
		if err := db.CreateObjective(ctx, o); err != nil {
			t.Fatal(err)
		}
		for k := 1; k <= krs; k++ {
			kr := &goalbot.KeyResult{TeamID: team, Ref: goalbot.KRRef{Objective: o.Number}, Title: fmt.Sprintf("Result %d.%d %s", i, k, filler),
				Start: 0, Target: 100, OwnerID: owner, CreatedBy: owner}
			if err := db.CreateKeyResult(ctx, kr, func(*goalbot.Objective) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
		m := &goalbot.Milestone{TeamID: team, Objective: o.Number, Date: today.AddDays(5), Title: "Checkpoint " + filler, CreatedBy: owner}
		if err := db.AddMilestone(ctx, m, func(*goalbot.Objective) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	clock.set(now)
	x := &commands.Executor{Store: db, Clock: clock}
	parts, err := x.Digest(ctx, team, channel, now, time.UTC, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) < 2 {
		t.Fatalf("%d parts, want the digest split", len(parts))
	}
	var all strings.Builder
	for i, p := range parts {
		blocks := bot.Blocks(p)
		if len(blocks) > 50 {
			t.Errorf("part %d renders to %d blocks, want at most 50", i+1, len(blocks))
		}
		data, err := json.Marshal(blocks)
		if err != nil {
			t.Fatal(err)
		}
		var decoded []struct {
			Type string `json:"type"`
			Text struct {
				Text string `json:"text"`
			} `json:"text"`
			Elements []struct {
				Text string `json:"text"`
			} `json:"elements"`
		}
		if err := json.Unmarshal(data, &decoded); err != nil {
			t.Fatal(err)
		}
		for j, b := range decoded {
			text := b.Text.Text
			for _, e := range b.Elements {
				text += e.Text
			}
			limit := 3000
			if b.Type == "header" {
				limit = 150
			}
			if n := utf8.RuneCountInString(text); n > limit {
				t.Errorf("part %d block %d (%s) has %d characters, limit %d", i+1, j+1, b.Type, n, limit)
			}
			if strings.Contains(text, "more blocks not shown") {
				t.Errorf("part %d was cut: %s", i+1, text)
			}
			if strings.Contains(text, "<b>") {
				t.Errorf("part %d block %d has unescaped user text", i+1, j+1)
			}
			all.WriteString(text + "\n")
		}
		if want := fmt.Sprintf("Part %d of %d.", i+1, len(parts)); decoded[len(decoded)-1].Type != "context" ||
			!strings.Contains(decoded[len(decoded)-1].Elements[0].Text, want) {
			t.Errorf("part %d does not end with %q", i+1, want)
		}
		if n := utf8.RuneCountInString(bot.Fallback(p)); n > 3000 {
			t.Errorf("part %d has a %d-character fallback text", i+1, n)
		}
	}
	got := all.String()
	for i := 1; i <= objectives; i++ {
		for k := 1; k <= krs; k++ {
			if !strings.Contains(got, fmt.Sprintf("%d.%d Result %d.%d ", i, k, i, k)) {
				t.Errorf("key result %d.%d is missing from the rendered digest", i, k)
			}
		}
	}
	if n := strings.Count(got, "no check-in for 61 days"); n != objectives*krs {
		t.Errorf("%d stale lines, want %d", n, objectives*krs)
	}
	if n := strings.Count(got, "milestone of objective"); n != objectives {
		t.Errorf("%d milestone lines, want %d", n, objectives)
	}
}
