package commands_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/goalbot/goalbot/commands"
)

// TestAnnouncements checks that creating an objective, checking in and
// closing post a short message to the objective's channel, that the
// caller's reply stays their own, and that a channel the bot is not in only
// adds a hint to the reply: the change is made.
func TestAnnouncements(t *testing.T) {
	x, db := MustExecutor(t)
	type post struct{ channel, text string }
	var posts []post
	refuse := false
	inv := as(alice) // in the general channel
	x.Announce = func(_ context.Context, a commands.Announcement) error {
		if a.Wait || a.User != inv.UserID || a.Team != team {
			t.Errorf("announcement %+v: a change's announcement need not wait, and names who made it", a)
		}
		if refuse {
			return fmt.Errorf("post: %w", commands.ErrNotInChannel)
		}
		posts = append(posts, post{a.Channel, a.Reply.PlainText()})
		return nil
	}
	mustRun(t, x, inv, "new Grow followers due:2026-12-31")
	mustRun(t, x, inv, "kr 1 Followers from:1000 to:2000")
	mustRun(t, x, inv, "update 1.1 1500")
	mustRun(t, x, inv, "update 1.1 1400 as-of:2026-11-20") // back-dated: changes nothing current, not announced
	mustRun(t, x, inv, "close 1 score:0.7")
	want := []post{
		{general, "🎯 New objective 1: Grow followers · OKR · owner @" + alice + " · due 2026-12-31"},
		{general, "📈 @" + alice + " checked in 1.1 Followers: 1,500 (↑ +500, 🟢 better) · objective 1 at 50%"},
		{general, "🏁 Objective 1 Grow followers is closed. 🏆 OKR score 0.70: successful."},
	}
	if len(posts) != len(want) {
		t.Fatalf("posts %q, want %q", posts, want)
	}
	for i := range want {
		if posts[i] != want[i] {
			t.Errorf("post %d = %q, want %q", i, posts[i], want[i])
		}
	}

	dm := as(alice)
	dm.ChannelID = "D0ALICEDM"
	posts = nil
	mustRun(t, x, dm, "new Private goal due:2026-12-31")
	if len(posts) != 0 {
		t.Errorf("an objective without a channel was announced: %q", posts)
	}

	refuse = true
	before := countRows(t, db)
	got := mustRun(t, x, inv, "new Quiet goal due:2026-12-31")
	if !strings.Contains(got, "📣 Not announced in #"+general+": I'm not in that channel. Invite me there with /invite @goalbot.") {
		t.Errorf("reply without the invite hint:\n%s", got)
	}
	if after := countRows(t, db); after.Objectives != before.Objectives+1 {
		t.Errorf("the objective was not created when the announcement failed")
	}
}
