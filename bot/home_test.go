package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/bot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/internal/fakeslack"
	"github.com/goalbot/goalbot/storage"
)

// homeNow is the clock of the App Home tests.
var homeNow = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)

// MustHomeExecutor returns an Executor on a new database of the fake's
// workspace where the default user (alice) owns objective 1, titled with a
// typed <!channel>, and its key result 1.1, after running setup (more
// command lines by alice).
func MustHomeExecutor(t *testing.T, setup ...string) *commands.Executor {
	t.Helper()
	clock := goalbot.ClockFunc(func() time.Time { return homeNow })
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "goalbot.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	x := &commands.Executor{Store: db, Clock: clock}
	inv := commands.Invocation{TeamID: fakeslack.TeamID, UserID: fakeslack.DefaultUserID, ChannelID: fakeslack.DefaultChannelID}
	// Slack sends what the user typed with &, < and > as entities.
	lines := append([]string{"new Grow &lt;!channel&gt; &amp; reach due:2026-12-31", "kr 1 Followers from:1000 to:2000"}, setup...)
	for _, text := range lines {
		if r, err := x.Run(context.Background(), inv, text); err != nil || r.Failed {
			t.Fatalf("%s: %v %s", text, err, r.PlainText())
		}
	}
	return x
}

// runUntilStopped runs b on fs; stop ends Run and waits for it, so every
// envelope in flight has been handled. The test's end stops it too.
func runUntilStopped(t *testing.T, fs *fakeslack.Server, b *bot.Bot) (stop func()) {
	t.Helper()
	cancel, done := start(t, fs, b)
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// sendHomeOpened sends an app_home_opened event, shaped like Slack's, of
// user on tab, and waits for its ack.
func sendHomeOpened(t *testing.T, fs *fakeslack.Server, user, tab string) fakeslack.Ack {
	t.Helper()
	payload := fmt.Sprintf(`{
		"token": "deprecated-verification-token",
		"team_id": %[1]q,
		"api_app_id": %[2]q,
		"type": "event_callback",
		"event_id": "Ev0HOME0001",
		"event_time": 1764150200,
		"event": {"type": "app_home_opened", "user": %[3]q, "channel": "D0ALICEDM", "tab": %[4]q, "event_ts": "1764150200.000100"},
		"authorizations": [{"enterprise_id": null, "team_id": %[1]q, "user_id": %[5]q, "is_bot": true, "is_enterprise_install": false}]
	}`, fakeslack.TeamID, fakeslack.AppID, user, tab, fakeslack.BotUserID)
	id, err := fs.SendEnvelope("events_api", json.RawMessage(payload), false)
	if err != nil {
		t.Fatal(err)
	}
	ack, err := fs.WaitAck(id, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return ack
}

// mustPublishedOnce waits for a views.publish, stops the bot (so nothing is
// still in flight), and fails unless exactly one view was published.
func mustPublishedOnce(t *testing.T, fs *fakeslack.Server, stop func()) publishedView {
	t.Helper()
	if _, err := fs.WaitCalls("views.publish", 1, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	stop()
	calls := fs.Calls("views.publish")
	if len(calls) != 1 {
		t.Fatalf("views.publish was called %d times, want once", len(calls))
	}
	return mustPublishedView(t, calls[0])
}

// publishedView is what a views.publish call asked for.
type publishedView struct {
	UserID string
	Type   string
	Blocks []map[string]any
	// JSON is the blocks as JSON, without Go's \u003c escapes, so tests see
	// the text Slack gets.
	JSON string
}

func mustPublishedView(t *testing.T, c fakeslack.Call) publishedView {
	t.Helper()
	var req struct {
		UserID string `json:"user_id"`
		View   struct {
			Type   string           `json:"type"`
			Blocks []map[string]any `json:"blocks"`
		} `json:"view"`
	}
	if err := json.Unmarshal(c.JSON, &req); err != nil {
		t.Fatalf("views.publish body %s: %v", c.JSON, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(req.View.Blocks); err != nil {
		t.Fatal(err)
	}
	return publishedView{UserID: req.UserID, Type: req.View.Type, Blocks: req.View.Blocks, JSON: buf.String()}
}

// buttons returns the action_id and value of every button of blocks.
func buttons(blocks []map[string]any) [][2]string {
	var out [][2]string
	for _, bl := range blocks {
		if bl["type"] != "actions" {
			continue
		}
		elems, _ := bl["elements"].([]any)
		for _, e := range elems {
			m, _ := e.(map[string]any)
			id, _ := m["action_id"].(string)
			v, _ := m["value"].(string)
			out = append(out, [2]string{id, v})
		}
	}
	return out
}

func TestAppHomeOpenedPublishesTheUsersHome(t *testing.T) {
	fs := fakeslack.New(t)
	x := MustHomeExecutor(t)
	stop := runUntilStopped(t, fs, newBot(fs, x, bot.Config{}, io.Discard))

	if ack := sendHomeOpened(t, fs, fakeslack.DefaultUserID, "home"); ack.Payload != nil {
		t.Errorf("the ack of an event carried %s; it must be empty", ack.Payload)
	}
	v := mustPublishedOnce(t, fs, stop)
	if v.UserID != fakeslack.DefaultUserID || v.Type != "home" {
		t.Errorf("published a %q view for %q, want a home view for %s", v.Type, v.UserID, fakeslack.DefaultUserID)
	}
	if len(v.Blocks) == 0 || len(v.Blocks) > 100 {
		t.Errorf("the view has %d blocks, want 1-100", len(v.Blocks))
	}
	if !strings.Contains(v.JSON, "Grow &lt;!channel&gt; &amp; reach") || strings.Contains(v.JSON, "<!channel>") {
		t.Errorf("the typed <!channel> is not escaped in the view: %s", v.JSON)
	}
	if got, want := buttons(v.Blocks), [][2]string{{commands.ActionCheckIn + ":1.1", "1.1"}}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("buttons = %v, want %v", got, want)
	}
	for _, want := range []string{"Your goals", "Followers", "Update 1.1"} {
		if !strings.Contains(v.JSON, want) {
			t.Errorf("the view lacks %q: %s", want, v.JSON)
		}
	}
}

func TestAppHomeMessagesTabPublishesNothing(t *testing.T) {
	fs := fakeslack.New(t)
	stop := runUntilStopped(t, fs, newBot(fs, MustHomeExecutor(t), bot.Config{}, io.Discard))
	sendHomeOpened(t, fs, fakeslack.DefaultUserID, "messages")
	stop() // the envelope has been handled
	if n := len(fs.Calls("views.publish")); n != 0 {
		t.Errorf("the Messages tab published %d views", n)
	}
}

func TestAppHomeHoldsUpTo100Blocks(t *testing.T) {
	var setup []string
	for i := 2; i <= 35; i++ {
		setup = append(setup, fmt.Sprintf("new Goal %d due:2026-12-31", i), fmt.Sprintf("kr %d Result %d from:0 to:10", i, i))
	}
	fs := fakeslack.New(t)
	b := newBot(fs, MustHomeExecutor(t, setup...), bot.Config{}, io.Discard)
	b.RefreshHome(context.Background(), fakeslack.TeamID, fakeslack.DefaultUserID)
	calls := fs.Calls("views.publish")
	if len(calls) != 1 {
		t.Fatalf("views.publish was called %d times, want once", len(calls))
	}
	v := mustPublishedView(t, calls[0])
	// More than a message's 50 blocks, within a view's 100.
	if len(v.Blocks) <= 50 || len(v.Blocks) > 100 {
		t.Errorf("the view has %d blocks, want 51-100", len(v.Blocks))
	}
	if n := len(buttons(v.Blocks)); n != 30 {
		t.Errorf("the view has %d Update buttons, want 30", n)
	}
	if !strings.Contains(v.JSON, "5 more objectives") || !strings.Contains(v.JSON, "/goal list mine") || strings.Contains(v.JSON, "more blocks not shown") {
		t.Errorf("the view does not end with the note on the 5 objectives left out: %s", v.JSON)
	}
}

// homeFunc is bot.Commands that also builds the App Home with a function.
type homeFunc struct {
	commandsFunc
	home func(ctx context.Context, team, user string, loc *time.Location) (commands.Reply, error)
}

func (h homeFunc) Home(ctx context.Context, team, user string, loc *time.Location) (commands.Reply, error) {
	return h.home(ctx, team, user, loc)
}

func newHomeFunc(home func(ctx context.Context, team, user string, loc *time.Location) (commands.Reply, error)) homeFunc {
	return homeFunc{
		commandsFunc: func(context.Context, commands.Invocation, string) (commands.Reply, error) {
			return commands.Reply{}, nil
		},
		home: home,
	}
}

func TestRefreshHomePublishes(t *testing.T) {
	fs := fakeslack.New(t)
	fs.SetUser("U0BOB0001", "bob", "Asia/Kolkata")
	type built struct{ team, user, zone string }
	got := make(chan built, 1)
	b := newBot(fs, newHomeFunc(func(ctx context.Context, team, user string, loc *time.Location) (commands.Reply, error) {
		got <- built{team, user, loc.String()}
		return commands.Reply{Blocks: []commands.Block{{Kind: commands.Section, Text: commands.Text{{Kind: commands.Plain, Text: "Bob's home"}}}}}, nil
	}), bot.Config{}, io.Discard)

	b.RefreshHome(context.Background(), fakeslack.TeamID, "U0BOB0001")
	if g := <-got; g != (built{fakeslack.TeamID, "U0BOB0001", "Asia/Kolkata"}) {
		t.Errorf("home built for %+v, want the team, bob and bob's zone", g)
	}
	calls := fs.Calls("views.publish")
	if len(calls) != 1 {
		t.Fatalf("views.publish was called %d times, want once", len(calls))
	}
	if v := mustPublishedView(t, calls[0]); v.UserID != "U0BOB0001" || v.Type != "home" || !strings.Contains(v.JSON, "Bob's home") {
		t.Errorf("published %+v", v)
	}
}

func TestRefreshHomeWithARealExecutor(t *testing.T) {
	fs := fakeslack.New(t)
	b := newBot(fs, MustHomeExecutor(t), bot.Config{}, io.Discard)
	b.RefreshHome(context.Background(), fakeslack.TeamID, fakeslack.DefaultUserID)
	calls := fs.Calls("views.publish")
	if len(calls) != 1 {
		t.Fatalf("views.publish was called %d times, want once", len(calls))
	}
	v := mustPublishedView(t, calls[0])
	if v.UserID != fakeslack.DefaultUserID || !strings.Contains(v.JSON, "Grow &lt;!channel&gt;") || len(buttons(v.Blocks)) != 1 {
		t.Errorf("published for %s: %s", v.UserID, v.JSON)
	}
}

func TestHomeViewIsCappedAt100Blocks(t *testing.T) {
	fs := fakeslack.New(t)
	var r commands.Reply
	for i := range 150 {
		r.Blocks = append(r.Blocks, commands.Block{Kind: commands.Section, Text: commands.Text{{Kind: commands.Plain, Text: fmt.Sprint("section ", i)}}})
	}
	b := newBot(fs, newHomeFunc(func(context.Context, string, string, *time.Location) (commands.Reply, error) { return r, nil }),
		bot.Config{}, io.Discard)
	b.RefreshHome(context.Background(), fakeslack.TeamID, fakeslack.DefaultUserID)
	calls := fs.Calls("views.publish")
	if len(calls) != 1 {
		t.Fatalf("views.publish was called %d times, want once", len(calls))
	}
	v := mustPublishedView(t, calls[0])
	if len(v.Blocks) != 100 || !strings.Contains(v.JSON, "section 98") || strings.Contains(v.JSON, "section 99") ||
		!strings.Contains(v.JSON, "51 more blocks not shown") {
		t.Errorf("a 150-block home rendered to %d blocks: %s", len(v.Blocks), v.JSON)
	}
}

func TestHomeFailuresAreLogged(t *testing.T) {
	t.Run("building", func(t *testing.T) {
		fs := fakeslack.New(t)
		log := newLogBuffer()
		b := newBot(fs, newHomeFunc(func(context.Context, string, string, *time.Location) (commands.Reply, error) {
			return commands.Reply{}, errors.New("injected store failure")
		}), bot.Config{}, log)
		b.RefreshHome(context.Background(), fakeslack.TeamID, fakeslack.DefaultUserID)
		if n := len(fs.Calls("views.publish")); n != 0 {
			t.Errorf("a failed build published %d views", n)
		}
		if !strings.Contains(log.String(), "injected store failure") {
			t.Errorf("the failure is not logged: %s", log)
		}
	})
	t.Run("publishing", func(t *testing.T) {
		fs := fakeslack.New(t)
		fs.Handle("views.publish", func(fakeslack.Call) any { return map[string]any{"ok": false, "error": "invalid_blocks"} })
		log := newLogBuffer()
		stop := runUntilStopped(t, fs, newBot(fs, MustHomeExecutor(t), bot.Config{}, log))
		sendHomeOpened(t, fs, fakeslack.DefaultUserID, "home")
		if !log.waitFor("invalid_blocks", 5*time.Second) {
			t.Errorf("the refused publish is not logged: %s", log)
		}
		// The bot keeps serving.
		sendHomeOpened(t, fs, fakeslack.DefaultUserID, "home")
		stop()
		if n := len(fs.Calls("views.publish")); n != 2 {
			t.Errorf("views.publish was called %d times, want 2", n)
		}
	})
}

// TestCheckInRefreshesTheCallersHome checks in by slash command: after the
// reply, the caller's App Home is published again with the new value. A
// read (show) publishes nothing.
func TestCheckInRefreshesTheCallersHome(t *testing.T) {
	fs := fakeslack.New(t)
	x := MustHomeExecutor(t)
	stop := runUntilStopped(t, fs, newBot(fs, x, bot.Config{}, io.Discard))
	for _, text := range []string{"show 1", "update 1.1 1,500"} {
		id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fs.WaitAck(id, 3*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	v := mustPublishedOnce(t, fs, stop)
	if v.UserID != fakeslack.DefaultUserID || !strings.Contains(v.JSON, "now 1,500") {
		t.Errorf("published for %q: %s", v.UserID, v.JSON)
	}
}

// versionHome builds an App Home that shows *version as it is when built.
func versionHome(version *atomic.Int64) homeFunc {
	return newHomeFunc(func(context.Context, string, string, *time.Location) (commands.Reply, error) {
		return commands.Reply{Blocks: []commands.Block{{Kind: commands.Section,
			Text: commands.Text{{Kind: commands.Plain, Text: fmt.Sprintf("version %d", version.Load())}}}}}, nil
	})
}

// TestHomeRefreshesAreSpacedPerUser: five changes in a row publish the
// user's App Home twice, at once and at the end of the interval with the
// last change; another user's change is not held up.
func TestHomeRefreshesAreSpacedPerUser(t *testing.T) {
	fs := fakeslack.New(t)
	var version atomic.Int64
	const interval = 300 * time.Millisecond
	b := newBot(fs, versionHome(&version), bot.Config{HomeInterval: interval}, io.Discard)
	ctx := context.Background()
	for i := 1; i <= 5; i++ {
		version.Store(int64(i))
		b.RefreshHome(ctx, fakeslack.TeamID, fakeslack.DefaultUserID)
	}
	if n := len(fs.Calls("views.publish")); n != 1 {
		t.Fatalf("%d publishes right after the first change, want 1", n)
	}
	b.RefreshHome(ctx, fakeslack.TeamID, "U0BOB0001")
	calls := fs.Calls("views.publish")
	if len(calls) != 2 || mustPublishedView(t, calls[1]).UserID != "U0BOB0001" {
		t.Fatalf("bob's change did not publish at once: %d publishes", len(calls))
	}
	calls, err := fs.WaitCalls("views.publish", 3, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if v := mustPublishedView(t, calls[2]); v.UserID != fakeslack.DefaultUserID || !strings.Contains(v.JSON, "version 5") {
		t.Errorf("the publish at the interval's end is %s for %s, want version 5", v.JSON, v.UserID)
	}
	time.Sleep(3 * interval)
	if n := len(fs.Calls("views.publish")); n != 3 {
		t.Errorf("%d publishes in all, want 3", n)
	}
}

// TestOpeningTheHomeTabPublishesWithinTheInterval: opening the tab shows
// the current Home even right after a change published one.
func TestOpeningTheHomeTabPublishesWithinTheInterval(t *testing.T) {
	fs := fakeslack.New(t)
	var version atomic.Int64
	b := newBot(fs, versionHome(&version), bot.Config{HomeInterval: time.Hour}, io.Discard)
	stop := runUntilStopped(t, fs, b)
	version.Store(1)
	b.RefreshHome(context.Background(), fakeslack.TeamID, fakeslack.DefaultUserID)
	version.Store(2)
	sendHomeOpened(t, fs, fakeslack.DefaultUserID, "home")
	calls, err := fs.WaitCalls("views.publish", 2, 5*time.Second)
	stop()
	if err != nil {
		t.Fatal(err)
	}
	if v := mustPublishedView(t, calls[1]); !strings.Contains(v.JSON, "version 2") {
		t.Errorf("opening the tab published %s, want version 2", v.JSON)
	}
}

// TestPanicInADeferredHomeIsLogged: a build that panics on the goroutine
// of a deferred publish is logged, and the user's next change publishes.
func TestPanicInADeferredHomeIsLogged(t *testing.T) {
	fs := fakeslack.New(t)
	log := newLogBuffer()
	var builds atomic.Int64
	b := newBot(fs, newHomeFunc(func(context.Context, string, string, *time.Location) (commands.Reply, error) {
		if builds.Add(1) == 2 {
			panic("injected home panic")
		}
		return commands.Reply{Blocks: []commands.Block{{Kind: commands.Section, Text: commands.Text{{Kind: commands.Plain, Text: "home"}}}}}, nil
	}), bot.Config{HomeInterval: 50 * time.Millisecond}, log)
	ctx := context.Background()
	b.RefreshHome(ctx, fakeslack.TeamID, fakeslack.DefaultUserID) // build 1, published
	b.RefreshHome(ctx, fakeslack.TeamID, fakeslack.DefaultUserID) // build 2, deferred, panics
	if !log.waitFor("injected home panic", 5*time.Second) {
		t.Fatalf("the panic is not logged: %s", log)
	}
	b.RefreshHome(ctx, fakeslack.TeamID, fakeslack.DefaultUserID) // build 3
	if _, err := fs.WaitCalls("views.publish", 2, 5*time.Second); err != nil {
		t.Errorf("no publish after the panic: %v", err)
	}
}
