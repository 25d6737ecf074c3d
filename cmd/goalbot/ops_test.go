package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/bot"
	"github.com/goalbot/goalbot/internal/fakeslack"
	"github.com/goalbot/goalbot/storage"
)

// get fetches url and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// TestHealthAndMetrics runs the binary with http.listen set: /healthz says
// ok while connected with a writable database; /metrics counts the
// envelopes, acks, check-ins and Slack API errors of what happened.
func TestHealthAndMetrics(t *testing.T) {
	m, fs, _ := runBotEnv(t, nil, 0, map[string]string{"GOALBOT_HTTP_LISTEN": "127.0.0.1:0"})
	var base string
	for i := 0; i < 100 && base == ""; i++ {
		if a, ok := m.opsAddr.Load().(string); ok {
			base = "http://" + a
		}
		time.Sleep(10 * time.Millisecond)
	}
	if base == "" {
		t.Fatal("the listener did not start")
	}
	for i := 0; i < 100; i++ { // connected is set once the socket says hello
		if code, _ := get(t, base+"/healthz"); code == http.StatusOK {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, body := get(t, base+"/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	command(t, fs, "new Grow due:2026-12-31")
	command(t, fs, "kr 1 Followers from:1000 to:2000")
	command(t, fs, "update 1.1 1500")
	fs.Handle("chat.postMessage", func(c fakeslack.Call) any {
		if c.Param("channel") == fakeslack.DefaultChannelID {
			return map[string]any{"ok": false, "error": "not_in_channel"}
		}
		return map[string]any{"ok": true, "channel": c.Param("channel"), "ts": "1764150000.000900"}
	})
	command(t, fs, "update 1.1 1600") // its announcement is refused
	// That announcement may wait for the channel's turn (one a second).
	var body string
	for i := 0; i < 150; i++ {
		if _, body = get(t, base+"/metrics"); strings.Contains(body, `error="not_in_channel"`) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{
		`goalbot_envelopes_total{type="slash_commands"} 4`,
		`goalbot_checkins_total 2`,
		`goalbot_ack_seconds_count 4`,
		`goalbot_slack_api_errors_total{method="chat.postMessage",error="not_in_channel"} 1`,
		`goalbot_socket_connected 1`,
		`goalbot_socket_connects_total 1`,
		`# TYPE goalbot_scheduled_messages_total counter`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
	if regexp.MustCompile(`xox[bpa]-|xapp-`).MatchString(body) {
		t.Error("/metrics shows a token")
	}
	if code, _ := get(t, base+"/nothing"); code != http.StatusNotFound {
		t.Errorf("/nothing: %d", code)
	}
}

// TestHealthzDown: a bot that is not connected is unhealthy, and says why.
func TestHealthzDown(t *testing.T) {
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "g.db"), goalbot.SystemClock)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	b := bot.New(bot.Config{BotToken: "xoxb-x", AppToken: "xapp-x", APIURL: "http://127.0.0.1:1/api/"}, nil, log)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, err := serveOps(ctx, "127.0.0.1:0", opsHandler(b, db, log), log)
	if err != nil {
		t.Fatal(err)
	}
	code, body := get(t, "http://"+addr.String()+"/healthz")
	if code != http.StatusServiceUnavailable || body != "slack: the Socket Mode connection is down\n" {
		t.Errorf("/healthz of a bot never connected: %d %q", code, body)
	}
	db.Close()
	code, body = get(t, "http://"+addr.String()+"/healthz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "database: it takes no writes") {
		t.Errorf("/healthz with the database closed: %d %q", code, body)
	}
}
