package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/bot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/internal/fakeslack"
	"github.com/goalbot/goalbot/storage"
)

// rateLimited is Slack's answer to a message over its rate limit.
func rateLimited(retryAfter string) any {
	return &fakeslack.HTTPError{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {retryAfter}}}
}

// rateLimitFirst makes the fake answer the first calls of method with a 429
// and the given Retry-After values, one per call, and the rest normally.
func rateLimitFirst(fs *fakeslack.Server, method string, retryAfter ...string) {
	var mu sync.Mutex
	fs.Handle(method, func(fakeslack.Call) any {
		mu.Lock()
		defer mu.Unlock()
		if len(retryAfter) > 0 {
			r := retryAfter[0]
			retryAfter = retryAfter[1:]
			return rateLimited(r)
		}
		return nil
	})
}

// newSendingBot returns a bot on fs that is not connected: its sender and
// Announce talk to the Web API only.
func newSendingBot(fs *fakeslack.Server) *bot.Bot {
	return newBot(fs, commandsFunc(func(context.Context, commands.Invocation, string) (commands.Reply, error) {
		return commands.Reply{}, nil
	}), bot.Config{}, io.Discard)
}

// mustGap fails unless call b came at least min after call a.
func mustGap(t *testing.T, a, b fakeslack.Call, min time.Duration) {
	t.Helper()
	if gap := b.At.Sub(a.At); gap < min {
		t.Errorf("%s came %v after the previous %s, want at least %v", b.Method, gap, a.Method, min)
	}
}

// postedBlocks returns the blocks of a chat.postMessage call.
func postedBlocks(t *testing.T, c fakeslack.Call) []map[string]any {
	t.Helper()
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(c.Param("blocks")), &blocks); err != nil {
		t.Fatalf("blocks of %s: %v", c.Method, err)
	}
	return blocks
}

// TestRateLimitedPostIsRetriedAfterRetryAfter: Slack answers the first
// post with 429 and Retry-After: 1; the sender waits that long, posts
// again and returns the message's ts.
func TestRateLimitedPostIsRetriedAfterRetryAfter(t *testing.T) {
	t.Parallel()
	fs := fakeslack.New(t)
	rateLimitFirst(fs, "chat.postMessage", "1")
	b := newSendingBot(fs)
	d := goalbot.Delivery{TeamID: fakeslack.TeamID, Key: "checkin|U0ALICE01|2026-11-30T10:00", Kind: goalbot.JobCheckIn, User: fakeslack.DefaultUserID}
	ts, err := b.Sender().Send(context.Background(), d, textReply("Time to check in"))
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	posts := fs.Calls("chat.postMessage")
	if len(posts) != 2 {
		t.Fatalf("%d posts, want the rate-limited one and its retry", len(posts))
	}
	if ts == "" || ts == "0" {
		t.Errorf("ts = %q", ts)
	}
	mustGap(t, posts[0], posts[1], time.Second)
	opens := fs.Calls("conversations.open")
	if len(opens) != 1 || opens[0].Param("users") != fakeslack.DefaultUserID {
		t.Errorf("conversations.open calls %+v, want one for %s", opens, fakeslack.DefaultUserID)
	}
	for _, p := range posts {
		if p.Param("channel") != "D"+fakeslack.DefaultUserID || !strings.Contains(p.Param("text"), "Time to check in") {
			t.Errorf("post to %q with text %q", p.Param("channel"), p.Param("text"))
		}
	}
}

// TestMessagesToOneChannelArePaced: two messages to one channel go out at
// least a second apart (Slack allows about one per second per channel).
func TestMessagesToOneChannelArePaced(t *testing.T) {
	t.Parallel()
	fs := fakeslack.New(t)
	b := newSendingBot(fs)
	for i, text := range []string{"Digest part 1", "Digest part 2"} {
		d := goalbot.Delivery{TeamID: fakeslack.TeamID, Key: "digest|C0MKTG001|2026-11-27T16:00|part" + string(rune('1'+i)),
			Kind: goalbot.JobDigest, Channel: fakeslack.DefaultChannelID}
		if _, err := b.Sender().Send(context.Background(), d, textReply(text)); err != nil {
			t.Fatalf("Send %d: %v", i+1, err)
		}
	}
	posts := fs.Calls("chat.postMessage")
	if len(posts) != 2 {
		t.Fatalf("%d posts, want 2", len(posts))
	}
	// Call.At is when the fake got each request: allow for the first
	// request travelling slower than the second.
	mustGap(t, posts[0], posts[1], 900*time.Millisecond)
	if n := len(fs.Calls("conversations.open")); n != 0 {
		t.Errorf("a channel message opened %d conversations", n)
	}
}

// settable is a goalbot.Clock the test moves.
type settable struct {
	mu  sync.Mutex
	now time.Time
}

func (c *settable) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *settable) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// mustDispatcher returns a dispatcher sending through b, on a new database
// in which alice's due-date DM is due at 2026-11-26 10:00 UTC, and the clock
// at that instant.
func mustDispatcher(t *testing.T, b *bot.Bot) (*commands.Dispatcher, *storage.DB) {
	t.Helper()
	clock := &settable{now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "goalbot.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	x := &commands.Executor{Store: db, Clock: clock}
	inv := commands.Invocation{TeamID: fakeslack.TeamID, UserID: fakeslack.DefaultUserID, ChannelID: fakeslack.DefaultChannelID}
	for _, text := range []string{"new Grow due:2026-12-31", "kr 1 Followers from:1000 to:2000 due:2026-12-03"} {
		if r, err := x.Run(context.Background(), inv, text); err != nil || r.Failed {
			t.Fatalf("%s: %v %s", text, err, r.PlainText())
		}
	}
	d := &commands.Dispatcher{Exec: x, Store: db, Sender: b.Sender()}
	if _, err := d.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	clock.set(time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC))
	return d, db
}

// TestRateLimitExhaustedIsRetriedOnTheNextTick: three 429s in a row fail
// the send; the ledger records the failure, and the next tick sends the
// message once, no earlier than the last Retry-After allows.
func TestRateLimitExhaustedIsRetriedOnTheNextTick(t *testing.T) {
	t.Parallel()
	fs := fakeslack.New(t)
	rateLimitFirst(fs, "chat.postMessage", "1", "1", "2")
	d, db := mustDispatcher(t, newSendingBot(fs))
	const key = "deadlines|" + fakeslack.DefaultUserID + "|2026-11-26|part1"

	rep, err := d.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) != 1 || len(rep.Sent) != 0 || rep.Failed[0].Key != key {
		t.Fatalf("first tick: sent %+v, failed %+v; want %s failed", rep.Sent, rep.Failed, key)
	}
	posts := fs.Calls("chat.postMessage")
	if len(posts) != 3 {
		t.Fatalf("%d posts in the first tick, want 3 tries", len(posts))
	}
	mustGap(t, posts[0], posts[1], time.Second)
	mustGap(t, posts[1], posts[2], time.Second)
	del, err := db.FindDelivery(context.Background(), fakeslack.TeamID, key)
	if err != nil {
		t.Fatal(err)
	}
	if del.State != goalbot.DeliveryFailed || del.Attempts != 1 || !strings.Contains(del.Error, "rate limit") {
		t.Errorf("ledger after the failure: state %s, %d attempts, error %q", del.State, del.Attempts, del.Error)
	}

	rep, err = d.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sent) != 1 || len(rep.Failed) != 0 {
		t.Fatalf("second tick: sent %+v, failed %+v; want the message sent", rep.Sent, rep.Failed)
	}
	posts = fs.Calls("chat.postMessage")
	if len(posts) != 4 {
		t.Fatalf("%d posts in all, want 4", len(posts))
	}
	mustGap(t, posts[2], posts[3], 2*time.Second) // the third 429's Retry-After
	if posts[3].Param("channel") != "D"+fakeslack.DefaultUserID || !strings.Contains(posts[3].Param("text"), "1.1 Followers is due in 7 days") {
		t.Errorf("the DM went to %q with text %q", posts[3].Param("channel"), posts[3].Param("text"))
	}
	if blocks := postedBlocks(t, posts[3]); len(blocks) == 0 || blocks[len(blocks)-1]["type"] != "actions" {
		t.Errorf("the DM has no Update button: %v", blocks)
	}
	del, err = db.FindDelivery(context.Background(), fakeslack.TeamID, key)
	if err != nil {
		t.Fatal(err)
	}
	if del.State != goalbot.DeliverySent || del.TS == "" || del.Attempts != 2 {
		t.Errorf("ledger after the retry: state %s, ts %q, %d attempts", del.State, del.TS, del.Attempts)
	}
	if rep, err := d.Tick(context.Background()); err != nil || len(rep.Sent)+len(rep.Failed) != 0 {
		t.Errorf("a third tick did %+v (err %v), want nothing", rep, err)
	}
	if n := len(fs.Calls("chat.postMessage")); n != 4 {
		t.Errorf("%d posts after the third tick, want still 4", n)
	}
}

// TestFailedDMOpenIsRetriedOnTheNextTick: when conversations.open fails,
// nothing is posted, the failure is recorded, and the next tick sends it.
func TestFailedDMOpenIsRetriedOnTheNextTick(t *testing.T) {
	t.Parallel()
	fs := fakeslack.New(t)
	var mu sync.Mutex
	down := true
	fs.Handle("conversations.open", func(fakeslack.Call) any {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return &fakeslack.HTTPError{Status: http.StatusServiceUnavailable}
		}
		return nil
	})
	d, _ := mustDispatcher(t, newSendingBot(fs))
	rep, err := d.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0].Error, "open DM with "+fakeslack.DefaultUserID) {
		t.Fatalf("failed %+v, want the DM open failure", rep.Failed)
	}
	if n := len(fs.Calls("chat.postMessage")); n != 0 {
		t.Fatalf("%d posts without a DM channel", n)
	}
	mu.Lock()
	down = false
	mu.Unlock()
	if rep, err := d.Tick(context.Background()); err != nil || len(rep.Sent) != 1 {
		t.Fatalf("second tick sent %d (err %v), want 1", len(rep.Sent), err)
	}
	if posts := fs.Calls("chat.postMessage"); len(posts) != 1 || posts[0].Param("channel") != "D"+fakeslack.DefaultUserID {
		t.Errorf("posts %+v, want one DM", posts)
	}
}

// TestAnnounceInAChannelWithoutTheBot: Slack's not_in_channel (and
// channel_not_found, for a private channel) become a reply that says how to
// invite the bot.
func TestAnnounceInAChannelWithoutTheBot(t *testing.T) {
	t.Parallel()
	for _, slackErr := range []string{"not_in_channel", "channel_not_found"} {
		t.Run(slackErr, func(t *testing.T) {
			fs := fakeslack.New(t)
			fs.Handle("chat.postMessage", func(fakeslack.Call) any {
				return map[string]any{"ok": false, "error": slackErr}
			})
			b := newSendingBot(fs)
			err := b.Announce(context.Background(), commands.Announcement{Team: fakeslack.TeamID, User: "U0ALICE01", Channel: "C0SECRET1",
				Reply: textReply("📅 goalbot will post the weekly goal digest here"), Wait: true})
			if !errors.Is(err, commands.ErrNotInChannel) {
				t.Errorf("Announce: %v, want it to wrap commands.ErrNotInChannel", err)
			}
			if n := len(fs.Calls("chat.postMessage")); n != 1 {
				t.Errorf("%d posts, want 1 (a refusal is not retried)", n)
			}
		})
	}
	t.Run("posted", func(t *testing.T) {
		fs := fakeslack.New(t)
		if err := newSendingBot(fs).Announce(context.Background(), commands.Announcement{Team: fakeslack.TeamID, Channel: "C0MKTG001", Reply: textReply("hello")}); err != nil {
			t.Fatal(err)
		}
		if posts := fs.Calls("chat.postMessage"); len(posts) != 1 || posts[0].Param("channel") != "C0MKTG001" {
			t.Errorf("posts %+v", posts)
		}
	})
}

// TestAnnouncementsDoNotWaitForABusyChannel: an announcement for a channel
// whose next turn is a second away is posted in the background, in its
// turn, and Announce returns at once; if the background post is refused,
// the user who made the change is told in a DM. One that must wait
// (digest here) waits for its turn instead.
func TestAnnouncementsDoNotWaitForABusyChannel(t *testing.T) {
	fs := fakeslack.New(t)
	b := newSendingBot(fs)
	a := commands.Announcement{Team: fakeslack.TeamID, User: "U0ALICE01", Channel: "C0MKTG001", Reply: textReply("📈 first")}
	if err := b.Announce(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	a.Reply = textReply("📈 second")
	if err := b.Announce(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if n := len(fs.Calls("chat.postMessage")); n != 1 {
		t.Fatalf("%d posts when the second Announce returned, want 1: it must not wait for the channel's turn", n)
	}
	posts, err := fs.WaitCalls("chat.postMessage", 2, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if got := posts[1].Param("text"); got != "📈 second" {
		t.Errorf("the queued announcement posted %q", got)
	}
	mustGap(t, posts[0], posts[1], 900*time.Millisecond) // the channel's pace: one a second

	// Queued, then refused: the user hears of it in a DM.
	fs.Handle("chat.postMessage", func(c fakeslack.Call) any {
		if c.Param("channel") == "C0PRIV001" {
			return map[string]any{"ok": false, "error": "channel_not_found"}
		}
		return map[string]any{"ok": true, "channel": c.Param("channel"), "ts": "1764150000.000900"}
	})
	a.Channel = "C0PRIV001"
	for range 2 {
		if err := b.Announce(context.Background(), a); err == nil {
			continue
		} else if !errors.Is(err, commands.ErrNotInChannel) {
			t.Fatal(err)
		}
	}
	if _, err := fs.WaitCalls("conversations.open", 1, 5*time.Second); err != nil {
		t.Fatalf("the user was not told: %v", err)
	}
	var dm string
	for i := 0; i < 50 && dm == ""; i++ {
		for _, c := range fs.Calls("chat.postMessage") {
			if c.Param("channel") == "DU0ALICE01" {
				dm = c.Param("text")
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(dm, "Not announced in <#C0PRIV001>: I'm not in that channel. Invite me there with /invite @goalbot.") {
		t.Errorf("the DM says %q", dm)
	}

	// digest here's confirmation waits its turn and reports the outcome.
	a.Channel, a.Wait = "C0MKTG001", true
	before := len(fs.Calls("chat.postMessage"))
	if err := b.Announce(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if err := b.Announce(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if n := len(fs.Calls("chat.postMessage")) - before; n != 2 {
		t.Errorf("%d posts after two waiting announcements returned, want 2", n)
	}
}

// TestAnnouncementBacklogIsBounded: a burst of announcements for one
// channel queues at most two minutes of them (one a second); the rest are
// dropped and their author told why.
func TestAnnouncementBacklogIsBounded(t *testing.T) {
	fs := fakeslack.New(t)
	b := newSendingBot(fs)
	a := commands.Announcement{Team: fakeslack.TeamID, User: "U0ALICE01", Channel: "C0MKTG001", Reply: textReply("📈 check-in")}
	for range 125 {
		if err := b.Announce(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	// 1 posted now, 120 waiting (the turns of the next two minutes), 4 dropped.
	posted := 0
	for _, c := range fs.Calls("chat.postMessage") {
		if c.Param("channel") == "C0MKTG001" {
			posted++
		}
	}
	if posted != 1 {
		t.Errorf("%d announcements posted at once, want 1 (the rest wait their turn)", posted)
	}
	var told []string
	for deadline := time.Now().Add(5 * time.Second); len(told) < 4 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		told = told[:0]
		for _, c := range fs.Calls("chat.postMessage") {
			if c.Param("channel") == "DU0ALICE01" {
				told = append(told, c.Param("text"))
			}
		}
	}
	if len(told) != 4 || !strings.Contains(told[0], "too many announcements are already waiting for that channel") {
		t.Errorf("the author was told %d times: %q", len(told), told)
	}
}
