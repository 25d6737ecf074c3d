package bot_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalbot/goalbot/bot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/internal/fakeslack"
)

// commandsFunc adapts a function to bot.Commands.
type commandsFunc func(ctx context.Context, inv commands.Invocation, text string) (commands.Reply, error)

func (f commandsFunc) Run(ctx context.Context, inv commands.Invocation, text string) (commands.Reply, error) {
	return f(ctx, inv, text)
}

func textReply(s string) commands.Reply {
	return commands.Reply{Blocks: []commands.Block{{Kind: commands.Section, Text: commands.Text{{Kind: commands.Plain, Text: s}}}}}
}

// newBot returns a bot for fs running cmds; cfg sets the timings.
func newBot(fs *fakeslack.Server, cmds bot.Commands, cfg bot.Config, log io.Writer) *bot.Bot {
	cfg.BotToken, cfg.AppToken, cfg.APIURL = fakeslack.BotToken, fakeslack.AppToken, fs.APIURL()
	cfg.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	return bot.New(cfg, cmds, slog.New(slog.NewTextHandler(log, nil)))
}

// start runs b until cancel is called and waits until it is connected;
// done receives what Run returns.
func start(t *testing.T, fs *fakeslack.Server, b *bot.Bot) (cancel func(), done <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan error, 1)
	go func() { ch <- b.Run(ctx) }()
	if err := fs.WaitConnections(1, 5*time.Second); err != nil {
		cancel()
		t.Fatal(err)
	}
	return cancel, ch
}

// startBot runs a bot with cmds against fs, logging into log, until the
// test ends.
func startBot(t *testing.T, fs *fakeslack.Server, cmds bot.Commands, ackBudget time.Duration, log io.Writer) {
	t.Helper()
	cancel, done := start(t, fs, newBot(fs, cmds, bot.Config{AckBudget: ackBudget, ShutdownGrace: 5 * time.Second}, log))
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

// MustRunBot runs a bot with cmds against a new fake Slack until the test ends.
func MustRunBot(t *testing.T, cmds bot.Commands, ackBudget time.Duration) *fakeslack.Server {
	t.Helper()
	fs := fakeslack.New(t)
	startBot(t, fs, cmds, ackBudget, io.Discard)
	return fs
}

func TestSlowCommandIsAckedAtOnceAndAnsweredThroughResponseURL(t *testing.T) {
	release := make(chan struct{})
	fs := MustRunBot(t, commandsFunc(func(ctx context.Context, inv commands.Invocation, text string) (commands.Reply, error) {
		<-release
		return textReply("done at last"), nil
	}), 50*time.Millisecond)
	id, responseURL, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "slow"})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := fs.WaitAck(id, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Payload != nil {
		t.Errorf("the ack of a slow command carried %s; it must be empty", ack.Payload)
	}
	close(release)
	post, err := fs.WaitResponse(responseURL, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(post.Body), "done at last") || !strings.Contains(string(post.Body), `"response_type":"ephemeral"`) {
		t.Errorf("response_url got %s", post.Body)
	}
}

func TestPanicInCommandIsAnsweredAndBotKeepsServing(t *testing.T) {
	fs := MustRunBot(t, commandsFunc(func(ctx context.Context, inv commands.Invocation, text string) (commands.Reply, error) {
		if text == "boom" {
			panic("injected failure with secret detail")
		}
		return textReply("fine: " + text), nil
	}), 2*time.Second)
	id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "boom"})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := fs.WaitAck(id, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ack.Payload), "Something went wrong on our side") || strings.Contains(string(ack.Payload), "secret detail") {
		t.Errorf("panic reply = %s", ack.Payload)
	}
	id, _, err = fs.SendSlashCommand(fakeslack.SlashCommand{Text: "again"})
	if err != nil {
		t.Fatal(err)
	}
	if ack, err = fs.WaitAck(id, 3*time.Second); err != nil || !strings.Contains(string(ack.Payload), "fine: again") {
		t.Errorf("after a panic: ack %s, err %v", ack.Payload, err)
	}
}

func TestInvocationCarriesTeamUserChannelAndZone(t *testing.T) {
	got := make(chan commands.Invocation, 1)
	fs := MustRunBot(t, commandsFunc(func(ctx context.Context, inv commands.Invocation, text string) (commands.Reply, error) {
		got <- inv
		return textReply("ok"), nil
	}), 2*time.Second)
	fs.SetUser("U0BOB0001", "bob", "Asia/Kolkata")
	id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{UserID: "U0BOB0001", ChannelID: "C0OPS0001", Text: "list"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.WaitAck(id, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	inv := <-got
	if inv.TeamID != fakeslack.TeamID || inv.UserID != "U0BOB0001" || inv.ChannelID != "C0OPS0001" || inv.Location.String() != "Asia/Kolkata" {
		t.Errorf("invocation = %+v (zone %v)", inv, inv.Location)
	}
}

func TestOtherEnvelopesAreAcked(t *testing.T) {
	fs := MustRunBot(t, commandsFunc(func(context.Context, commands.Invocation, string) (commands.Reply, error) {
		t.Error("a command ran for a non-command envelope")
		return commands.Reply{}, nil
	}), 2*time.Second)
	for _, tc := range []struct {
		typ, payload string
	}{
		{"events_api", `{"team_id":"T0TEAM001","type":"event_callback","event_id":"Ev1","event":{"type":"app_home_opened","user":"U0ALICE01","tab":"home"}}`},
		{"interactive", `{"type":"block_actions","team":{"id":"T0TEAM001"},"user":{"id":"U0BOB0001"},"actions":[{"action_id":"unknown","value":"1.1"}]}`},
	} {
		id, err := fs.SendEnvelope(tc.typ, json.RawMessage(tc.payload), false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fs.WaitAck(id, 3*time.Second); err != nil {
			t.Errorf("%s envelope: %v", tc.typ, err)
		}
	}
}

func TestShutdownFinishesInFlightCommands(t *testing.T) {
	fs := fakeslack.New(t)
	started := make(chan struct{})
	release := make(chan struct{})
	b := newBot(fs, commandsFunc(func(ctx context.Context, inv commands.Invocation, text string) (commands.Reply, error) {
		close(started)
		<-release
		return textReply("finished during shutdown"), nil
	}), bot.Config{AckBudget: 50 * time.Millisecond, ShutdownGrace: 5 * time.Second}, io.Discard)
	cancel, done := start(t, fs, b)
	id, responseURL, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "slow"})
	if err != nil {
		t.Fatal(err)
	}
	<-started
	if _, err := fs.WaitAck(id, 3*time.Second); err != nil { // acked empty: the reply will go to response_url
		t.Fatal(err)
	}
	cancel() // SIGTERM while the command runs
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	posts := fs.Responses()
	if len(posts) != 1 || posts[0].URL != responseURL || !strings.Contains(string(posts[0].Body), "finished during shutdown") {
		t.Errorf("the in-flight reply was not delivered before Run returned: %+v", posts)
	}
}

func TestShutdownGraceIsBounded(t *testing.T) {
	fs := fakeslack.New(t)
	started := make(chan struct{})
	stuck := make(chan struct{})
	t.Cleanup(func() { close(stuck) })
	b := newBot(fs, commandsFunc(func(ctx context.Context, inv commands.Invocation, text string) (commands.Reply, error) {
		close(started)
		<-stuck // a command that outlives the grace period
		return textReply("too late"), nil
	}), bot.Config{ShutdownGrace: 200 * time.Millisecond}, io.Discard)
	cancel, done := start(t, fs, b)
	if _, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "stuck"}); err != nil {
		t.Fatal(err)
	}
	<-started
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its shutdown grace")
	}
}

// logBuffer collects log output safely across goroutines.
type logBuffer struct {
	mu      sync.Mutex
	b       strings.Builder
	written chan struct{} // gets a token after each write
}

func newLogBuffer() *logBuffer { return &logBuffer{written: make(chan struct{}, 1)} }

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	select {
	case l.written <- struct{}{}:
	default:
	}
	return l.b.Write(p)
}

// waitFor waits until the log contains s.
func (l *logBuffer) waitFor(s string, timeout time.Duration) bool {
	deadline := time.After(timeout)
	for !strings.Contains(l.String(), s) {
		select {
		case <-l.written:
		case <-deadline:
			return false
		}
	}
	return true
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestUnreadableEnvelopesAreAcked(t *testing.T) {
	fs := fakeslack.New(t)
	startBot(t, fs, commandsFunc(func(context.Context, commands.Invocation, string) (commands.Reply, error) {
		t.Error("a command ran for an unreadable envelope")
		return commands.Reply{}, nil
	}), time.Second, io.Discard)
	for _, frame := range []string{
		`{"envelope_id":"bad-type-1","type":"no_such_type","payload":{}}`,
		`{"envelope_id":"bad-cmd-1","type":"slash_commands","accepts_response_payload":true,"payload":{"text":5}}`,
		`{"envelope_id":"bad-event-1","type":"events_api","payload":{"type":"event_callback","event":"not an object"}}`,
	} {
		if err := fs.Send(json.RawMessage(frame)); err != nil {
			t.Fatal(err)
		}
		var id struct {
			EnvelopeID string `json:"envelope_id"`
		}
		json.Unmarshal([]byte(frame), &id)
		if _, err := fs.WaitAck(id.EnvelopeID, 3*time.Second); err != nil {
			t.Errorf("%s: %v", id.EnvelopeID, err)
		}
	}
}

func TestResponseURLIsRetriedAndNeverLogged(t *testing.T) {
	var mu sync.Mutex
	tries := 0
	got := make(chan string, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		tries++
		if tries < 3 {
			http.Error(w, "try again", http.StatusBadGateway)
			return
		}
		body, _ := io.ReadAll(r.Body)
		got <- string(body)
	}))
	t.Cleanup(hook.Close)
	const secretPath = "/commands/T0TEAM001/123/SECRETxyz"

	fs := fakeslack.New(t)
	log := newLogBuffer()
	startBot(t, fs, commandsFunc(func(context.Context, commands.Invocation, string) (commands.Reply, error) {
		return textReply(strings.Repeat("big reply ", 3000)), nil // over the 20 KB ack limit
	}), time.Second, log)
	id, err := fs.SendEnvelope("slash_commands", map[string]any{
		"team_id": fakeslack.TeamID, "user_id": "U0ALICE01", "channel_id": "C0MKTG001",
		"command": "/goal", "text": "big", "response_url": hook.URL + secretPath,
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	if ack, err := fs.WaitAck(id, 3*time.Second); err != nil || ack.Payload != nil {
		t.Fatalf("ack %s, err %v: want an empty ack", ack.Payload, err)
	}
	select {
	case body := <-got:
		if !strings.Contains(body, "big reply") {
			t.Errorf("third try posted %.100s", body)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the reply never arrived after two 502s")
	}

	// A response_url that never works: the reply is lost, and the log says
	// so without the URL's secret path.
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL + secretPath
	dead.Close()
	id, err = fs.SendEnvelope("slash_commands", map[string]any{
		"team_id": fakeslack.TeamID, "user_id": "U0ALICE01", "channel_id": "C0MKTG001",
		"command": "/goal", "text": "big", "response_url": deadURL,
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.WaitAck(id, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	if !log.waitFor("reply lost", 10*time.Second) {
		t.Fatalf("no log line for the lost reply:\n%s", log)
	}
	if strings.Contains(log.String(), "SECRETxyz") {
		t.Errorf("the response_url leaked into the log:\n%s", log)
	}
}

func TestCommandsDuringShutdownAreDeclined(t *testing.T) {
	fs := fakeslack.New(t)
	started := make(chan struct{})
	release := make(chan struct{})
	b := newBot(fs, commandsFunc(func(ctx context.Context, inv commands.Invocation, text string) (commands.Reply, error) {
		if text == "slow" {
			close(started)
			<-release
		}
		return textReply("ran " + text), nil
	}), bot.Config{AckBudget: 50 * time.Millisecond, ShutdownGrace: 5 * time.Second}, io.Discard)
	cancel, done := start(t, fs, b)
	defer func() {
		close(release)
		<-done
	}()
	if _, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "slow"}); err != nil {
		t.Fatal(err)
	}
	<-started
	cancel() // shutdown begins; "slow" keeps the bot in its grace period
	id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "late"})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := fs.WaitAck(id, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ack.Payload), "goalbot is restarting") || strings.Contains(string(ack.Payload), "ran late") {
		t.Errorf("a command during shutdown was answered %s", ack.Payload)
	}
	// A form submitted meanwhile stays open, with the reason beside a
	// field, so what was typed is not lost.
	id, err = fs.SendEnvelope("interactive", map[string]any{
		"type": "view_submission", "team": map[string]any{"id": fakeslack.TeamID}, "user": map[string]any{"id": "U0ALICE01"},
		"view": map[string]any{"id": "V1", "type": "modal", "callback_id": "checkin", "private_metadata": "{}",
			"state": map[string]any{"values": map[string]any{
				"value": map[string]any{"value": map[string]any{"type": "plain_text_input", "value": "1"}},
				"note":  map[string]any{"note": map[string]any{"type": "plain_text_input", "value": "x"}}}}},
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	if ack, err = fs.WaitAck(id, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	want := `{"response_action":"errors","errors":{"note":"goalbot is restarting. Please try again in a moment; nothing was changed."}}`
	if string(ack.Payload) != want {
		t.Errorf("a submission during shutdown was answered %s, want %s", ack.Payload, want)
	}
}
