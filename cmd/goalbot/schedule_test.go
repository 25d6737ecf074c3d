package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/internal/fakeslack"
	"github.com/goalbot/goalbot/storage"
)

// testClock is a clock the end-to-end tests move.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// tickEvery is how often the in-process bot ticks: fast, as the clock is
// the test's anyway.
const tickEvery = 20 * time.Millisecond

// MustRunBotAt is MustRunBot with clock injected into Main and the
// scheduler ticking every tickEvery. alice is in Europe/Warsaw.
func MustRunBotAt(t *testing.T, clock goalbot.Clock) (*Main, *fakeslack.Server, *lockedBuffer) {
	t.Helper()
	return runBot(t, clock, tickEvery)
}

// postText returns the fallback text and the block types of a
// chat.postMessage call.
func postText(t *testing.T, c fakeslack.Call) (string, []string) {
	t.Helper()
	var blocks []struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal([]byte(c.Param("blocks")), &blocks); err != nil {
		t.Fatalf("blocks of the post: %v", err)
	}
	var types []string
	for _, b := range blocks {
		types = append(types, b.Type)
	}
	return c.Param("text"), types
}

// TestScheduledDMEndToEnd runs the real Main with an injected clock: alice
// sets up a key result due in 7 days; when her clock reaches 10:00 in
// Warsaw the bot opens a DM with her and posts the due-date reminder, once.
func TestScheduledDMEndToEnd(t *testing.T) {
	clock := &testClock{now: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)} // 09:00 in Warsaw
	m, fs, stderr := MustRunBotAt(t, clock)
	command(t, fs, "new Grow followers due:2026-12-31")
	command(t, fs, "kr 1 Followers from:1000 to:2000 due:2026-12-03")
	// Saving the reminder time writes alice's jobs now, in her zone, rather
	// than at a tick to come.
	reply := command(t, fs, "remind time:10:00")
	if !strings.Contains(reply.all(), "Mondays at 10:00 (Europe/Warsaw)") {
		t.Fatalf("remind:\n%s", reply.all())
	}
	if j, err := m.db.FindJob(context.Background(), fakeslack.TeamID, goalbot.JobDeadlines, fakeslack.DefaultUserID); err != nil ||
		!j.NextAt.Equal(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("alice's due-date job = %+v (err %v), want next at 09:00 UTC", j, err)
	}
	const key = "deadlines|" + fakeslack.DefaultUserID + "|2026-11-26|part1"
	if n := len(fs.Calls("chat.postMessage")); n != 1 { // the new objective's announcement in its channel
		t.Fatalf("%d messages posted before the reminder was due, want only the announcement", n)
	}

	clock.Set(time.Date(2026, 11, 26, 9, 0, 30, 0, time.UTC)) // 10:00:30 in Warsaw
	posts, err := fs.WaitCalls("chat.postMessage", 2, 5*time.Second)
	if err != nil {
		t.Fatalf("%v\nlog:\n%s", err, stderr)
	}
	posts = posts[1:]
	opens := fs.Calls("conversations.open")
	if len(opens) != 1 || opens[0].Param("users") != fakeslack.DefaultUserID || !opens[0].At.Before(posts[0].At) {
		t.Errorf("conversations.open calls %+v, want one for alice before the post", opens)
	}
	if ch := posts[0].Param("channel"); ch != "D"+fakeslack.DefaultUserID {
		t.Errorf("posted to %q, want alice's DM", ch)
	}
	text, types := postText(t, posts[0])
	for _, want := range []string{"Coming due:", "1.1 Followers is due in 7 days (2026-12-03)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the DM lacks %q:\n%s", want, text)
		}
	}
	if len(types) == 0 || types[len(types)-1] != "actions" {
		t.Errorf("the DM's blocks are %v, want an Update button at the end", types)
	}

	// Many more ticks at and after 10:00 post nothing more (the first
	// post was the objective's announcement).
	if posts, err := fs.WaitCalls("chat.postMessage", 3, 50*tickEvery); err == nil {
		t.Errorf("the reminder was posted %d times", len(posts)-1)
	}
	d, err := m.db.FindDelivery(context.Background(), fakeslack.TeamID, key)
	if err != nil {
		t.Fatal(err)
	}
	if d.State != goalbot.DeliverySent || d.TS == "" {
		t.Errorf("ledger: %s is %s with ts %q", key, d.State, d.TS)
	}
	if !strings.Contains(stderr.String(), "scheduled message sent") {
		t.Errorf("the send was not logged:\n%s", stderr)
	}
}

// TestScheduledDigestEndToEnd sets up a channel digest through the slash
// command (which confirms in the channel) and moves the clock to Friday
// 16:00: the digest is posted to the channel.
func TestScheduledDigestEndToEnd(t *testing.T) {
	clock := &testClock{now: testNow} // Thursday 09:00 UTC
	m, fs, stderr := MustRunBotAt(t, clock)
	command(t, fs, "new Grow followers due:2026-12-31")
	command(t, fs, "kr 1 Followers from:1000 to:2000")
	reply := command(t, fs, "digest here")
	if !strings.Contains(reply.all(), "goes out every Friday at 16:00 (UTC). Next: Friday 2026-11-27 16:00.") {
		t.Fatalf("digest here:\n%s", reply.all())
	}
	// Posts: the new objective's announcement, the digest's confirmation,
	// then the digest.
	posts, err := fs.WaitCalls("chat.postMessage", 2, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if text, _ := postText(t, posts[1]); posts[1].Param("channel") != fakeslack.DefaultChannelID || !strings.Contains(text, "will post the weekly goal digest here") {
		t.Errorf("announcement to %q: %s", posts[1].Param("channel"), text)
	}
	clock.Set(time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC))
	posts, err = fs.WaitCalls("chat.postMessage", 3, 5*time.Second)
	if err != nil {
		t.Fatalf("%v\nlog:\n%s", err, stderr)
	}
	text, types := postText(t, posts[2])
	if posts[2].Param("channel") != fakeslack.DefaultChannelID || !strings.Contains(text, "Weekly goal digest · 2026-11-27") || types[0] != "header" {
		t.Errorf("digest to %q (%v):\n%s", posts[2].Param("channel"), types, text)
	}
	if _, err := m.db.FindDelivery(context.Background(), fakeslack.TeamID, "digest|"+fakeslack.DefaultChannelID+"|2026-11-27|part1"); err != nil {
		t.Error(err)
	}
}

// TestDigestInAChannelWithoutTheBot: Slack answers not_in_channel, so the
// caller is told how to invite the bot and no digest is scheduled.
func TestDigestInAChannelWithoutTheBot(t *testing.T) {
	m, fs, _ := MustRunBotAt(t, &testClock{now: testNow})
	fs.Handle("chat.postMessage", func(fakeslack.Call) any {
		return map[string]any{"ok": false, "error": "not_in_channel"}
	})
	reply := command(t, fs, "digest here day:monday")
	if !strings.Contains(reply.all(), "Invite me first (type /invite @goalbot here), then run /goal digest here again.") {
		t.Errorf("reply:\n%s", reply.all())
	}
	if reply.ResponseType != "ephemeral" {
		t.Errorf("response_type %q, want ephemeral", reply.ResponseType)
	}
	if _, err := m.db.FindJob(context.Background(), fakeslack.TeamID, goalbot.JobDigest, fakeslack.DefaultChannelID); goalbot.ErrorCode(err) != goalbot.ENOTFOUND {
		t.Errorf("a digest was scheduled anyway (err %v)", err)
	}
}

// buildGoalbot builds the real binary into a temp dir.
func buildGoalbot(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "goalbot")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestRealBinarySendsAScheduledDMOnce builds goalbot, seeds a database with
// its shell, and runs `goalbot run` against the fake Slack with
// GOALBOT_FAKE_NOW three seconds before alice's 10:00 due-date reminder:
// the DM is posted once within a minute, and SIGTERM stops the bot with
// exit status 0.
func TestRealBinarySendsAScheduledDMOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	bin := buildGoalbot(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "goalbot.db")

	seed := exec.Command(bin, "shell", "-db", db, "-team", fakeslack.TeamID, "-user", fakeslack.DefaultUserID)
	seed.Env = []string{"HOME=" + dir}
	seed.Stdin = strings.NewReader(":now 2026-11-26T09:00:00Z\nnew Grow followers due:2026-12-31\nkr 1 Followers from:1000 to:2000 due:2026-12-03\n")
	out, err := seed.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Added key result 1.1") {
		t.Fatalf("seeding with the shell: %v\n%s", err, out)
	}

	config := filepath.Join(dir, "goalbot.toml")
	if err := os.WriteFile(config, []byte("tick_interval = \"1s\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fs := fakeslack.New(t)
	fs.SetUser(fakeslack.DefaultUserID, "alice", "UTC")
	var stderr lockedBuffer
	run := exec.Command(bin, "run", "-config", config)
	run.Env = []string{
		"HOME=" + dir,
		"GOALBOT_DB=" + db,
		"SLACK_BOT_TOKEN=" + fakeslack.BotToken,
		"SLACK_APP_TOKEN=" + fakeslack.AppToken,
		"SLACK_API_URL=" + fs.APIURL(),
		"GOALBOT_FAKE_NOW=2026-11-26T09:59:57Z",
	}
	run.Stdout, run.Stderr = &stderr, &stderr
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- run.Wait() }()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			run.Process.Kill()
			<-exited
		}
	})

	posts, err := fs.WaitCalls("chat.postMessage", 1, 60*time.Second)
	if err != nil {
		t.Fatalf("%v\nlog:\n%s", err, &stderr)
	}
	if ch := posts[0].Param("channel"); ch != "D"+fakeslack.DefaultUserID {
		t.Errorf("posted to %q, want alice's DM", ch)
	}
	if text := posts[0].Param("text"); !strings.Contains(text, "1.1 Followers is due in 7 days (2026-12-03)") {
		t.Errorf("the DM:\n%s", text)
	}
	// Three more ticks post nothing more.
	if posts, err := fs.WaitCalls("chat.postMessage", 2, 3500*time.Millisecond); err == nil {
		t.Errorf("the reminder was posted %d times", len(posts))
	}

	if err := run.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		stopped = true
		var exit *exec.ExitError
		if errors.As(err, &exit) || err != nil {
			t.Errorf("goalbot exited with %v after SIGTERM, want status 0\nlog:\n%s", err, &stderr)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("goalbot did not exit within 15s of SIGTERM\nlog:\n%s", &stderr)
	}
	log := stderr.String()
	for _, want := range []string{"GOALBOT_FAKE_NOW is set", "scheduled message sent"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
	if n := len(fs.Calls("chat.postMessage")); n != 1 {
		t.Errorf("%d posts in all, want 1", n)
	}

	// The ledger, as the next start will read it.
	store, err := storage.Open(context.Background(), db, goalbot.SystemClock)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	d, err := store.FindDelivery(context.Background(), fakeslack.TeamID, "deadlines|"+fakeslack.DefaultUserID+"|2026-11-26|part1")
	if err != nil {
		t.Fatal(err)
	}
	if d.State != goalbot.DeliverySent || d.TS == "" || d.Attempts != 1 {
		t.Errorf("ledger: state %s, ts %q, %d attempts", d.State, d.TS, d.Attempts)
	}
}

// TestShellTickSharesTheLedger: :tick prints what is due once; a second
// :tick, and a second shell on the same database, print (nothing due).
func TestShellTickSharesTheLedger(t *testing.T) {
	db := filepath.Join(t.TempDir(), "goalbot.db")
	out := runShell(t, map[string]string{}, strings.Join([]string{
		":now 2026-11-26T09:00:00Z",
		"new Grow due:2026-12-31",
		"kr 1 Followers from:1000 to:2000 due:2026-12-03",
		":tick",
		":now 2026-11-26T10:00:00Z",
		":tick",
		":tick",
	}, "\n"), "-db", db)
	want := "now 2026-11-26T10:00:00Z\n\n" +
		"-> DM U1\n⏰ Coming due:\n• 1.1 Followers is due in 7 days (2026-12-03): 0%\n"
	if !strings.Contains(out, want) {
		t.Errorf("the first :tick at 10:00 did not send the DM:\n%s", out)
	}
	if !strings.HasSuffix(out, "[Update 1.1]\n[Open 1]\n\n(nothing due)\n\n") {
		t.Errorf("the second :tick at 10:00 did not print (nothing due):\n%s", out)
	}
	if n := strings.Count(out, "-> DM U1"); n != 1 {
		t.Errorf("the DM was printed %d times:\n%s", n, out)
	}
	out = runShell(t, map[string]string{}, ":now 2026-11-26T10:00:00Z\n:tick\n:now 2026-11-26T21:00:00Z\n:tick\n", "-db", db)
	if want := "now 2026-11-26T10:00:00Z\n\n(nothing due)\n\nnow 2026-11-26T21:00:00Z\n\n(nothing due)\n\n"; out != want {
		t.Errorf("a second shell on the same database printed\n%s\nwant\n%s", out, want)
	}
}
