package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/internal/fakeslack"
	"github.com/goalbot/goalbot/storage"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// testNow is the injected clock of the end-to-end tests.
var testNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// lockedBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newTestMain returns a Main with the given environment, a temp database and
// captured output.
func newTestMain(t testing.TB, env map[string]string) (*Main, *lockedBuffer, *lockedBuffer) {
	t.Helper()
	if _, ok := env["GOALBOT_DB"]; !ok {
		env["GOALBOT_DB"] = filepath.Join(t.TempDir(), "goalbot.db")
	}
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	m := &Main{
		Stdin:  strings.NewReader(""),
		Stdout: stdout,
		Stderr: stderr,
		Getenv: func(k string) string { return env[k] },
		Clock:  goalbot.ClockFunc(func() time.Time { return testNow }),
	}
	t.Cleanup(func() { m.Close() })
	return m, stdout, stderr
}

// MustRunBot starts the real Main's `run` against a fake Slack and waits
// until the bot is connected. The bot stops at the end of the test.
func MustRunBot(t testing.TB) (*Main, *fakeslack.Server, *lockedBuffer) {
	t.Helper()
	return runBot(t, nil, 0)
}

// runBot is MustRunBot with clock injected into Main (nil: testNow) and the
// scheduler ticking every tick (0: the default). alice is in Europe/Warsaw.
func runBot(t testing.TB, clock goalbot.Clock, tick time.Duration) (*Main, *fakeslack.Server, *lockedBuffer) {
	t.Helper()
	return runBotEnv(t, clock, tick, nil)
}

// runBotEnv is runBot with more environment variables.
func runBotEnv(t testing.TB, clock goalbot.Clock, tick time.Duration, extra map[string]string) (*Main, *fakeslack.Server, *lockedBuffer) {
	t.Helper()
	fs := fakeslack.New(t)
	fs.SetUser(fakeslack.DefaultUserID, "alice", "Europe/Warsaw")
	env := map[string]string{
		"SLACK_BOT_TOKEN": fakeslack.BotToken,
		"SLACK_APP_TOKEN": fakeslack.AppToken,
		"SLACK_API_URL":   fs.APIURL(),
	}
	for k, v := range extra {
		env[k] = v
	}
	m, _, stderr := newTestMain(t, env)
	if clock != nil {
		m.Clock = clock
	}
	if err := m.ParseFlags([]string{"run"}); err != nil {
		t.Fatal(err)
	}
	if tick > 0 {
		m.Config.TickInterval.Duration = tick
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("Run returned %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("bot did not stop within 15s of cancellation")
		}
	})
	if err := fs.WaitConnections(1, 5*time.Second); err != nil {
		t.Fatalf("%v\nlog:\n%s", err, stderr)
	}
	return m, fs, stderr
}

// ackWindow is Slack's deadline for acknowledging an envelope.
const ackWindow = 3 * time.Second

// command sends a slash command and returns the message in its ack.
func command(t *testing.T, fs *fakeslack.Server, text string) message {
	t.Helper()
	id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := fs.WaitAck(id, ackWindow)
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	t.Logf("%.60q acked in %v", text, ack.Latency)
	if ack.Payload == nil {
		t.Fatalf("%q: ack carried no reply", text)
	}
	return decodeMessage(t, ack.Payload)
}

// message is the part of a Slack message the tests read.
type message struct {
	ResponseType string            `json:"response_type"`
	Text         string            `json:"text"`
	Blocks       []json.RawMessage `json:"blocks"`
	raw          any
}

func decodeMessage(t *testing.T, data []byte) message {
	t.Helper()
	var m message
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	if err := json.Unmarshal(data, &m.raw); err != nil {
		t.Fatal(err)
	}
	return m
}

// texts returns every "text" string in the message, blocks included.
func (m message) texts() []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "text" {
					out = append(out, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(m.raw)
	return out
}

func (m message) all() string { return strings.Join(m.texts(), "\n") }

func TestSlashCommandsEndToEnd(t *testing.T) {
	m, fs, _ := MustRunBot(t)

	// The sample frame's text, as Slack sends it with should_escape.
	reply := command(t, fs, "new Grow LinkedIn followers &amp; reach due:2026-12-31 owner:<@U0BOB0001|bob> channel:<#C0MKTG001|marketing>")
	if reply.ResponseType != "ephemeral" {
		t.Errorf("response_type = %q, want ephemeral", reply.ResponseType)
	}
	for _, want := range []string{"Created objective *1*: Grow LinkedIn followers &amp; reach", "<@U0BOB0001>", "<#C0MKTG001>"} {
		if !strings.Contains(reply.all(), want) {
			t.Errorf("reply lacks %q:\n%s", want, reply.all())
		}
	}
	if reply.Text == "" {
		t.Error("reply has no plain-text fallback")
	}
	o, err := m.db.FindObjective(context.Background(), fakeslack.TeamID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if o.Title != "Grow LinkedIn followers & reach" || o.OwnerID != "U0BOB0001" || o.ChannelID != "C0MKTG001" {
		t.Errorf("stored objective = %+v", o)
	}

	// alice is not the owner: she may not add key results to bob's objective.
	reply = command(t, fs, "kr 1 Followers from:1000 to:2000")
	if !strings.Contains(reply.all(), "Only the owner of objective 1 or an admin") {
		t.Errorf("refusal missing:\n%s", reply.all())
	}

	reply = command(t, fs, "new Ship the playbook due:2026-12-31")
	if !strings.Contains(reply.all(), "Created objective *2*") {
		t.Fatalf("second objective:\n%s", reply.all())
	}
	command(t, fs, "kr 2 Followers from:1000 to:2000")
	reply = command(t, fs, "update 2.1 1,500 confidence:high")
	if !strings.Contains(reply.all(), "50%") {
		t.Errorf("check-in reply lacks 50%%:\n%s", reply.all())
	}
	reply = command(t, fs, "show 2")
	if !strings.Contains(reply.all(), "Objective 2: Ship the playbook") || !strings.Contains(reply.all(), "█████░░░░░ 50%") {
		t.Errorf("show 2:\n%s", reply.all())
	}
	if calls := fs.Calls("users.info"); len(calls) != 1 {
		t.Errorf("users.info called %d times for one user, want 1 (cached)", len(calls))
	}
}

func TestBadInputIsAnsweredToTheCallerOnly(t *testing.T) {
	m, fs, _ := MustRunBot(t)
	for _, tc := range []struct{ text, want string }{
		{"new due:2026-12-31", "Give the objective a title."},
		{"kr 1 Followers from:1 to:1", "from and to are both 1: there is nothing to measure."},
		{"update 7.1 5", "Objective 7 not found."},
		{"new Plan tagret:2000", "Unknown option tagret:."},
		{"frobnicate", `Unknown command "frobnicate". Try /goal help.`},
		{"new " + strings.Repeat("x", 5000), "The title is 5000 characters long; the limit is 200."},
	} {
		t.Run(tc.text[:min(len(tc.text), 20)], func(t *testing.T) {
			reply := command(t, fs, tc.text)
			if reply.ResponseType != "ephemeral" {
				t.Errorf("response_type = %q, want ephemeral", reply.ResponseType)
			}
			if !strings.Contains(reply.all(), tc.want) {
				t.Errorf("reply lacks %q:\n%s", tc.want, reply.all())
			}
		})
	}
	if list, err := m.db.ListObjectives(context.Background(), fakeslack.TeamID, goalbot.ObjectiveFilter{}); err != nil || len(list) != 0 {
		t.Errorf("bad input wrote %d objectives (err %v)", len(list), err)
	}
	if n := len(fs.Calls("chat.postMessage")) + len(fs.Calls("chat.postEphemeral")); n != 0 {
		t.Errorf("bad input posted %d messages; replies must go to the caller only", n)
	}
}

func TestUserTextIsEscaped(t *testing.T) {
	_, fs, _ := MustRunBot(t)
	reply := command(t, fs, "new Party &lt;!channel&gt; &lt;@U0EVIL001&gt; &amp;&lt;&gt; due:2026-12-31")
	all := reply.all()
	for _, bad := range []string{"<!channel>", "<@U0EVIL001>"} {
		if strings.Contains(all, bad) {
			t.Errorf("reply contains unescaped %q:\n%s", bad, all)
		}
	}
	if !strings.Contains(all, "Party &lt;!channel&gt; &lt;@U0EVIL001&gt; &amp;&lt;&gt;") {
		t.Errorf("reply does not show the title escaped:\n%s", all)
	}
	reply = command(t, fs, "list")
	if strings.Contains(reply.all(), "<!channel>") || !strings.Contains(reply.all(), "&lt;!channel&gt;") {
		t.Errorf("list does not escape the title:\n%s", reply.all())
	}
	command(t, fs, "kr 1 Reach &lt;!here&gt; from:1 to:2 unit:&lt;!everyone&gt;")
	command(t, fs, "update 1.1 2 Note &lt;!channel&gt; &lt;@U0EVIL001|boss&gt; &lt;https://evil.example|click&gt;")
	for _, text := range []string{"show 1", "show 1.1", "history 1.1", "list all", "update 1.1 1 again &lt;!here&gt;"} {
		reply := command(t, fs, text)
		all := reply.all() + "\n" + reply.Text
		for _, bad := range []string{"<!channel>", "<!here>", "<!everyone>", "<@U0EVIL001", "<https://evil"} {
			if strings.Contains(all, bad) {
				t.Errorf("%s: reply contains unescaped %q:\n%s", text, bad, all)
			}
		}
		if !strings.Contains(all, "&lt;!") {
			t.Errorf("%s: the hostile text is not shown escaped:\n%s", text, all)
		}
	}
}

func TestLargeReplyGoesThroughResponseURL(t *testing.T) {
	m, fs, _ := MustRunBot(t)
	command(t, fs, "new Grow due:2026-12-31")
	command(t, fs, "kr 1 Followers from:1000 to:2000")
	// 40 check-ins with long notes: the history is far over the 20 KB an
	// ack frame may carry.
	note := strings.Repeat("long note ", 90)
	for i := range 40 {
		c := &goalbot.CheckIn{TeamID: fakeslack.TeamID, KR: goalbot.KRRef{Objective: 1, Number: 1}, Value: float64(1000 + i),
			Confidence: -1, Note: note, AsOf: goalbot.DateOf(testNow).AddDays(-40 + i), UserID: fakeslack.DefaultUserID}
		if _, err := m.db.RecordCheckIn(context.Background(), c, func(*goalbot.Objective, *goalbot.KeyResult) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	id, responseURL, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "history 1.1"})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := fs.WaitAck(id, ackWindow)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Payload != nil {
		t.Fatalf("a reply over 20 KB was put in the ack (%d bytes)", len(ack.Payload))
	}
	post, err := fs.WaitResponse(responseURL, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	reply := decodeMessage(t, post.Body)
	if reply.ResponseType != "ephemeral" || !strings.Contains(reply.all(), "History of 1.1: Followers") || !strings.Contains(reply.all(), "40 check-ins") {
		t.Errorf("response_url reply:\n%.500s", reply.all())
	}
	if len(reply.Blocks) > 50 {
		t.Errorf("reply has %d blocks; Slack allows 50", len(reply.Blocks))
	}
}

func TestReconnectsAfterDisconnect(t *testing.T) {
	_, fs, _ := MustRunBot(t)
	command(t, fs, "help")
	if err := fs.Disconnect("refresh_requested"); err != nil {
		t.Fatal(err)
	}
	if err := fs.WaitConnections(2, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	reply := command(t, fs, "help kr")
	if !strings.Contains(reply.all(), "/goal kr &lt;objective&gt; &lt;title&gt; from:N|pending to:N") {
		t.Errorf("help after reconnect:\n%s", reply.all())
	}
	if n := len(fs.Calls("auth.test")); n != 1 {
		t.Errorf("auth.test called %d times, want once at start", n)
	}
}

func TestRunWithoutTokensExplainsWhatToSet(t *testing.T) {
	m, _, _ := newTestMain(t, map[string]string{})
	if err := m.ParseFlags([]string{"run"}); err != nil {
		t.Fatal(err)
	}
	err := m.Run(context.Background())
	if err == nil {
		t.Fatal("run without tokens succeeded")
	}
	for _, want := range []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "goalbot shell"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%v", want, err)
		}
	}
}

func TestTokenChecks(t *testing.T) {
	fs := fakeslack.New(t)
	for _, tc := range []struct {
		name, bot, app, want string
	}{
		{"user token as bot token", "xoxp-secret-user-token", fakeslack.AppToken, "must be a bot token starting with xoxb-"},
		{"bot token as app token", fakeslack.BotToken, "xoxb-secret-in-wrong-place", "must be an app-level token starting with xapp-"},
		{"revoked bot token", "xoxb-secret-revoked", fakeslack.AppToken, "invalid_auth"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _, stderr := newTestMain(t, map[string]string{
				"SLACK_BOT_TOKEN": tc.bot, "SLACK_APP_TOKEN": tc.app, "SLACK_API_URL": fs.APIURL(),
			})
			if err := m.ParseFlags([]string{"run"}); err != nil {
				t.Fatal(err)
			}
			err := m.Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			for _, secret := range []string{tc.bot, tc.app} {
				if strings.Contains(err.Error(), secret) || strings.Contains(stderr.String(), secret) {
					t.Errorf("a token leaked into the error or log")
				}
			}
		})
	}
}

func TestConfigFile(t *testing.T) {
	write := func(t *testing.T, body string) string {
		path := filepath.Join(t.TempDir(), "goalbot.toml")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	t.Run("unknown key is named", func(t *testing.T) {
		m, _, _ := newTestMain(t, map[string]string{})
		err := m.ParseFlags([]string{"run", "-config", write(t, "timezone = \"UTC\"\n[slack]\ntoken = \"x\"\n")})
		if err == nil || !strings.Contains(err.Error(), "unknown key slack.token") {
			t.Fatalf("err = %v, want it to name slack.token", err)
		}
	})
	t.Run("environment overrides the file", func(t *testing.T) {
		m, _, _ := newTestMain(t, map[string]string{"GOALBOT_TIMEZONE": "Asia/Kolkata", "GOALBOT_DB": "env.db"})
		path := write(t, "database = \"file.db\"\ntimezone = \"Europe/Warsaw\"\nadmins = [\"U0ADMIN01\"]\n[slack]\nbot_token = \"xoxb-from-file\"\napp_token = \"xapp-from-file\"\n")
		if err := m.ParseFlags([]string{"run", "-config", path}); err != nil {
			t.Fatal(err)
		}
		c := m.Config
		if c.Timezone != "Asia/Kolkata" || c.Database != "env.db" || c.Slack.BotToken != "xoxb-from-file" || len(c.Admins) != 1 {
			t.Errorf("config = %+v", c)
		}
	})
	t.Run("achievable multiple must be positive", func(t *testing.T) {
		m, _, _ := newTestMain(t, map[string]string{})
		err := m.ParseFlags([]string{"shell", "-config", write(t, "achievable_multiple = 0\n")})
		if err == nil || !strings.Contains(err.Error(), "achievable_multiple must be a number above 0") {
			t.Fatalf("err = %v", err)
		}
		m, _, _ = newTestMain(t, map[string]string{})
		if err := m.ParseFlags([]string{"shell", "-config", write(t, "achievable_multiple = 3.5\n")}); err != nil || m.Config.AchievableMultiple != 3.5 {
			t.Fatalf("err = %v, multiple %v", err, m.Config.AchievableMultiple)
		}
	})
	t.Run("bad time zone", func(t *testing.T) {
		m, _, _ := newTestMain(t, map[string]string{"GOALBOT_TIMEZONE": "Mars/Olympus"})
		if err := m.ParseFlags([]string{"shell"}); err == nil || !strings.Contains(err.Error(), `unknown timezone "Mars/Olympus"`) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("example config is valid and complete", func(t *testing.T) {
		c := DefaultConfig()
		if err := LoadConfigFile(&c, "../../config.example.toml", slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
			t.Fatal(err)
		}
		if len(c.Admins) == 0 {
			c.Admins = nil
		}
		if !reflect.DeepEqual(c, DefaultConfig()) {
			t.Errorf("config.example.toml does not show the defaults: %+v", c)
		}
	})
}

// runShell runs `goalbot shell` with input and returns what it printed.
func runShell(t *testing.T, env map[string]string, input string, args ...string) string {
	t.Helper()
	m, stdout, stderr := newTestMain(t, env)
	m.Stdin = strings.NewReader(input)
	if err := m.ParseFlags(append([]string{"shell"}, args...)); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("shell: %v\n%s", err, stderr)
	}
	return stdout.String()
}

// TestShellSession pipes the README's session through the shell and
// compares the output with testdata/shell_session.golden.
func TestShellSession(t *testing.T) {
	input, err := os.ReadFile("testdata/shell_session.txt")
	if err != nil {
		t.Fatal(err)
	}
	got := runShell(t, map[string]string{}, string(input))
	golden := "testdata/shell_session.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("shell output differs from %s (run go test ./cmd/goalbot -update to accept):\n%s", golden, got)
	}
	if !strings.Contains(got, "Objective 1: Grow LinkedIn followers\n█████░░░░░ 50%") {
		t.Errorf("the objective is not shown at 50%%:\n%s", got)
	}
	if !strings.HasSuffix(got, "\n\n") {
		t.Errorf("the last reply does not end with an empty line")
	}
}

func TestShellKeepsDataAcrossRuns(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shared.db")
	runShell(t, map[string]string{}, "new Persist due:2026-12-31\n", "-db", db)
	out := runShell(t, map[string]string{}, "list all\n", "-db", db, "-user", "U7")
	if !strings.Contains(out, "Persist") {
		t.Errorf("second shell run does not see the first one's objective:\n%s", out)
	}
	out = runShell(t, map[string]string{}, "list all\n", "-db", db, "-team", "T2")
	if strings.Contains(out, "Persist") {
		t.Errorf("workspace T2 sees T1's objective:\n%s", out)
	}
}

func TestFakeNowStartsTheClock(t *testing.T) {
	out := runShell(t, map[string]string{"GOALBOT_FAKE_NOW": "2026-01-10T10:00:00Z"}, "new Q1 goal\n")
	if !strings.Contains(out, "due 2026-03-31 (80 days left)") {
		t.Errorf("with GOALBOT_FAKE_NOW in January the default due date is not the end of Q1:\n%s", out)
	}
	m, _, _ := newTestMain(t, map[string]string{"GOALBOT_FAKE_NOW": "yesterday"})
	m.Stdin = strings.NewReader("")
	if err := m.ParseFlags([]string{"shell"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "RFC 3339") {
		t.Errorf("bad GOALBOT_FAKE_NOW: err = %v", err)
	}
}

func TestShellMetaCommands(t *testing.T) {
	out := runShell(t, map[string]string{}, strings.Join([]string{
		":now 2026-11-26T23:30:00Z",
		":user U2 Pacific/Auckland", // already the 27th there
		"/goal new Kiwi goal due:+2d",
		":now +1h",
		":channel C9",
		":tick",
		":user U3 Mars/Base",
		":now tomorrow",
		":bogus",
		":quit",
		"new never runs",
	}, "\n"))
	for _, want := range []string{
		"now 2026-11-26T23:30:00Z\n\n",
		"user U2 (Pacific/Auckland)\n\n",
		"due 2026-11-29 (2 days left)",
		"now 2026-11-27T00:30:00Z\n\n",
		"channel C9\n\n",
		"(nothing due)\n\n",
		`unknown time zone "Mars/Base"`,
		`bad time "tomorrow"`,
		"unknown meta-command :bogus",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "never runs") {
		t.Error(":quit did not stop the shell")
	}
}

func TestVersion(t *testing.T) {
	m, stdout, _ := newTestMain(t, map[string]string{})
	if err := m.ParseFlags([]string{"version"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil || stdout.String() != "goalbot dev\n" {
		t.Errorf("version printed %q (err %v)", stdout.String(), err)
	}
}

// TestREADMEIsTrue keeps the README's command reference and shell session
// in step with the program.
func TestREADMEIsTrue(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range commands.Usages() {
		if !strings.Contains(string(readme), "\n"+u+"\n") {
			t.Errorf("README lacks the usage line %q", u)
		}
	}
	for _, f := range []string{"testdata/shell_session.txt", "testdata/shell_session.golden"} {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(readme), "```\n"+string(body)+"```") {
			t.Errorf("README does not show %s verbatim", f)
		}
	}
}

func TestBareGoalbotWithoutTokens(t *testing.T) {
	t.Run("at a terminal it opens the shell", func(t *testing.T) {
		m, stdout, stderr := newTestMain(t, map[string]string{})
		m.StdinIsTerminal = true
		m.Stdin = strings.NewReader("new Try it out due:2026-12-31\n")
		if err := m.ParseFlags(nil); err != nil {
			t.Fatal(err)
		}
		if err := m.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stdout.String(), "goal> Created objective 1: Try it out") || !strings.Contains(stderr.String(), "starting the local shell") {
			t.Errorf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
		}
	})
	t.Run("as a service it fails like run", func(t *testing.T) {
		m, _, _ := newTestMain(t, map[string]string{})
		if err := m.ParseFlags(nil); err != nil {
			t.Fatal(err)
		}
		err := m.Run(context.Background())
		if err == nil || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN") || !strings.Contains(err.Error(), "goalbot shell") {
			t.Fatalf("err = %v", err)
		}
		if _, statErr := os.Stat(m.Config.Database); statErr == nil {
			t.Error("a database was created although nothing ran")
		}
	})
}

func TestEnvironmentSetsAdminsAndAPIURL(t *testing.T) {
	m, _, _ := newTestMain(t, map[string]string{"GOALBOT_ADMINS": "U0ADMIN01, U0ADMIN02", "SLACK_API_URL": "http://127.0.0.1:9/api"})
	if err := m.ParseFlags([]string{"run"}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.Config.Admins, []string{"U0ADMIN01", "U0ADMIN02"}) || m.Config.Slack.APIURL != "http://127.0.0.1:9/api/" {
		t.Errorf("admins %q, api url %q", m.Config.Admins, m.Config.Slack.APIURL)
	}
	m, _, _ = newTestMain(t, map[string]string{"SLACK_API_URL": "slack.com/api"})
	if err := m.ParseFlags([]string{"run"}); err == nil || !strings.Contains(err.Error(), "must be an http(s) URL") {
		t.Errorf("a URL without scheme: err = %v", err)
	}
}

// TestFakeNowInRun starts the bot with GOALBOT_FAKE_NOW and checks that
// commands see the fake date and the start is logged loudly.
func TestFakeNowInRun(t *testing.T) {
	fs := fakeslack.New(t)
	m, _, stderr := newTestMain(t, map[string]string{
		"SLACK_BOT_TOKEN": fakeslack.BotToken, "SLACK_APP_TOKEN": fakeslack.AppToken,
		"SLACK_API_URL": fs.APIURL(), "GOALBOT_FAKE_NOW": "2027-02-01T09:00:00Z",
	})
	m.Clock = goalbot.SystemClock
	if err := m.ParseFlags([]string{"run"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- m.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}()
	if err := fs.WaitConnections(1, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	reply := command(t, fs, "new Fake time")
	if !strings.Contains(reply.all(), "due 2027-03-31") {
		t.Errorf("default due date is not the end of the fake quarter:\n%s", reply.all())
	}
	if !strings.Contains(stderr.String(), "GOALBOT_FAKE_NOW is set") {
		t.Errorf("the fake clock was not logged:\n%s", stderr)
	}
}

// TestModalsThroughTheBinary: in the running binary, /goal new without a
// title opens the creation modal with the command's trigger, and when
// Slack refuses to open it (an expired trigger) the caller is told so in
// the ack.
func TestModalsThroughTheBinary(t *testing.T) {
	_, fs, _ := MustRunBot(t)
	id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "new", TriggerID: "1764150000.1.trigger"})
	if err != nil {
		t.Fatal(err)
	}
	if ack, err := fs.WaitAck(id, ackWindow); err != nil || ack.Payload != nil {
		t.Fatalf("ack %s (%v), want an empty ack and a modal", ack.Payload, err)
	}
	calls, err := fs.WaitCalls("views.open", 1, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if calls[0].Param("trigger_id") != "1764150000.1.trigger" || !strings.Contains(calls[0].Param("view"), `"callback_id":"new"`) {
		t.Errorf("views.open %s", calls[0].JSON)
	}
	fs.Handle("views.open", func(fakeslack.Call) any { return map[string]any{"ok": false, "error": "expired_trigger_id"} })
	reply := command(t, fs, "new")
	if !strings.Contains(reply.Text, "Slack did not open the form") {
		t.Errorf("with an expired trigger the reply is %q", reply.Text)
	}
}

// TestBackupWhileTheBotRuns: goalbot backup FILE copies the database of a
// running bot; the copy opens and holds what was acknowledged; a second
// backup to the same file and a missing FILE argument are refused.
func TestBackupWhileTheBotRuns(t *testing.T) {
	m, fs, _ := MustRunBot(t)
	command(t, fs, "new Grow due:2026-12-31")
	command(t, fs, "kr 1 Followers from:1000 to:2000")
	command(t, fs, "update 1.1 1500")
	dst := filepath.Join(t.TempDir(), "backup.db")
	backup := func(args ...string) (string, error) {
		b, stdout, _ := newTestMain(t, map[string]string{"GOALBOT_DB": m.Config.Database})
		if err := b.ParseFlags(append([]string{"backup"}, args...)); err != nil {
			return "", err
		}
		err := b.Run(context.Background())
		return stdout.String(), err
	}
	out, err := backup(dst)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "backed up "+m.Config.Database+" to "+dst+" (") || !strings.HasSuffix(out, " bytes, integrity check ok)\n") {
		t.Errorf("backup printed %q", out)
	}
	copyDB, err := storage.Open(context.Background(), dst, goalbot.SystemClock)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	if _, kr, err := copyDB.FindKeyResult(context.Background(), fakeslack.TeamID, goalbot.KRRef{Objective: 1, Number: 1}); err != nil || kr.Current != 1500 {
		t.Errorf("the copy's 1.1: %+v %v", kr, err)
	}
	if _, err := backup(dst); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a second backup to the same file: %v", err)
	}
	if _, err := backup(); err == nil || !strings.Contains(err.Error(), "backup takes the file to write") {
		t.Errorf("backup without a file: %v", err)
	}
}
