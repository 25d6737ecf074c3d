package bot_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalbot/goalbot/bot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/internal/fakeslack"
)

// fastReconnect is pacing small enough for tests: 50 ms doubling to 400 ms.
var fastReconnect = bot.Config{ReconnectBase: 50 * time.Millisecond, ReconnectMax: 400 * time.Millisecond,
	ReconnectStable: time.Minute, ShutdownGrace: time.Second}

// echo answers every command with its text.
var echo = commandsFunc(func(_ context.Context, _ commands.Invocation, text string) (commands.Reply, error) {
	return textReply("ran " + text), nil
})

// TestConnectionFaultsReconnectWithBoundedAttempts: a link that drops
// every connection right after hello, and one that never pings, each make
// the bot reconnect, but with backoff: over two seconds a few attempts,
// not a tight loop. Once the link behaves, the bot serves again.
func TestConnectionFaultsReconnectWithBoundedAttempts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault func(fs *fakeslack.Server, on bool)
		cfg   bot.Config
	}{
		{"dropped after hello", func(fs *fakeslack.Server, on bool) { fs.SetDropAfterHello(on) }, fastReconnect},
		{"no pings", func(fs *fakeslack.Server, on bool) { fs.SetPings(!on) }, func() bot.Config {
			c := fastReconnect
			c.PingTimeout = 200 * time.Millisecond
			return c
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := fakeslack.New(t)
			tc.fault(fs, true)
			runUntilStopped(t, fs, newBot(fs, echo, tc.cfg, io.Discard))
			time.Sleep(2 * time.Second)
			n := fs.Connections()
			// 50+100+200+400+400... ms of backoff (halved at worst by
			// jitter) fit at most 13 attempts in 2 s; slack-go alone
			// reconnected 6,042 times to the link that drops at once.
			if n < 2 || n > 13 {
				t.Errorf("%d connections in 2 s, want a few (2-13)", n)
			}
			tc.fault(fs, false)
			if err := fs.WaitConnections(n+1, 5*time.Second); err != nil {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond)
			id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "help"})
			if err != nil {
				t.Fatal(err)
			}
			if ack, err := fs.WaitAck(id, 3*time.Second); err != nil || !strings.Contains(string(ack.Payload), "ran help") {
				t.Errorf("after the fault: ack %s (%v)", ack.Payload, err)
			}
		})
	}
}

// TestConnectionsOpenFailuresAreRetried: apps.connections.open failing
// (Slack's internal_error, HTTP 500, a rate limit) is retried with backoff
// until it works.
func TestConnectionsOpenFailuresAreRetried(t *testing.T) {
	fs := fakeslack.New(t)
	var calls atomic.Int32
	fs.Handle("apps.connections.open", func(fakeslack.Call) any {
		switch calls.Add(1) {
		case 1:
			return map[string]any{"ok": false, "error": "internal_error"}
		case 2:
			return &fakeslack.HTTPError{Status: 500, Body: "oops"}
		case 3:
			return &fakeslack.HTTPError{Status: 429, Header: map[string][]string{"Retry-After": {"1"}}}
		}
		return nil
	})
	b := newBot(fs, echo, fastReconnect, io.Discard)
	runUntilStopped(t, fs, b)
	if err := fs.WaitConnections(1, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 4 {
		t.Errorf("apps.connections.open called %d times, want 4 (3 failures, then it works)", n)
	}
	var buf strings.Builder
	b.WriteMetrics(&buf)
	for _, want := range []string{`goalbot_slack_api_errors_total{method="apps.connections.open",error="internal_error"} 1`,
		`goalbot_slack_rate_limited_total{method="apps.connections.open"} 1`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestRevokedTokenStopsTheBot: when Slack refuses the app token on a
// reconnect (the token was revoked), Run stops with an error that says so,
// instead of retrying forever.
func TestRevokedTokenStopsTheBot(t *testing.T) {
	fs := fakeslack.New(t)
	b := newBot(fs, echo, fastReconnect, io.Discard)
	_, done := start(t, fs, b)
	fs.Handle("apps.connections.open", func(fakeslack.Call) any { return map[string]any{"ok": false, "error": "token_revoked"} })
	fs.DropConnection()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "Slack refused the app token (token_revoked): check SLACK_APP_TOKEN") {
			t.Errorf("Run returned %v, want the token_revoked refusal", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the bot kept running with a revoked token")
	}
}

// TestPacingLongerThanTheHTTPTimeoutStillReconnects: the wait before a
// connection attempt does not count against the HTTP timeout, so once the
// pacing grows past it the attempts still go out (and succeed when the
// link heals).
func TestPacingLongerThanTheHTTPTimeoutStillReconnects(t *testing.T) {
	fs := fakeslack.New(t)
	fs.SetDropAfterHello(true)
	cfg := bot.Config{BotToken: fakeslack.BotToken, AppToken: fakeslack.AppToken, APIURL: fs.APIURL(),
		HTTPClient:    &http.Client{Timeout: 300 * time.Millisecond},
		ReconnectBase: 200 * time.Millisecond, ReconnectMax: 1500 * time.Millisecond, ReconnectStable: time.Minute,
		ShutdownGrace: time.Second}
	b := bot.New(cfg, echo, slog.New(slog.NewTextHandler(io.Discard, nil)))
	runUntilStopped(t, fs, b)
	time.Sleep(3 * time.Second) // pacing grows to 1.5 s, past the 300 ms timeout
	n := fs.Connections()
	fs.SetDropAfterHello(false)
	if err := fs.WaitConnections(n+1, 5*time.Second); err != nil {
		t.Fatalf("no reconnect after the link healed: %v", err)
	}
}
