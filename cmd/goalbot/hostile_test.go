package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goalbot/goalbot/internal/fakeslack"
)

// hostileCommands are command texts meant to break goalbot: markup
// injection (broadcasts, foreign mentions, links, user groups), oversized
// and control-character text, invalid UTF-8, SQL-looking text, huge,
// non-finite and negative numbers, and dates far out of range.
var hostileCommands = []string{
	"new <!channel> takeover",
	"new <!here|here> please",
	"new <!everyone> look",
	"new <@U0MALLORY> owns this",
	"new <@U0MALLORY|mallory> owns this too",
	"new <https://evil.example|click me>",
	"new <!subteam^S0TEAM|@leads> ping",
	"new <#C0SECRET|secret> leak",
	"new &lt;!channel&gt; escaped by Slack",
	"new " + strings.Repeat("x", 5000),
	"new " + strings.Repeat("<!channel>", 300),
	"new Robert'); DROP TABLE objectives;--",
	"new nul\x00byte",
	"new bell\x07ring",
	"new bad \xff\xfe utf8",
	"new rtl \u202e override",
	"new zero\u200bwidth",
	"new `code` *bold* _it_ ~strike~ > quote",
	"new \"unterminated quote",
	"new line\nbreak",
	"new x due:0000-01-01",
	"new x due:9999-12-31",
	"new x owner:<!channel>",
	"new x channel:<!here>",
	"kr 1 Followers from:1e308 to:2",
	"kr 1 Followers from:NaN to:2",
	"kr 1 Followers from:Inf to:2",
	"kr 1 Followers from:-Infinity to:2",
	"kr 1 Followers from:99999999999999999999 to:1",
	"kr 1 Followers from:1 to:2 weight:-5",
	"kr 1 Followers from:1 to:2 weight:0",
	"kr 1 Followers from:1 to:2 unit:<!channel>",
	"kr 1 Followers from:1 to:2 due:9999-12-31",
	"kr 1 " + strings.Repeat("t", 300) + " from:1 to:2",
	"kr 1 <!here> from:1 to:2",
	"update 1.1 <!everyone>",
	"update 1.1 5 <!channel> see <@U0MALLORY>",
	"update 1.1 5 confidence:11",
	"update 1.1 5 as-of:9999-12-31",
	"update 1.1 1e15",
	"update 1.1 -0",
	"update 99999999999.1 5",
	"update 1.99999999999 5",
	"show 1 <@U0MALLORY>",
	"edit 1 title:<!here>",
	"edit 1 aim:\"<!channel> now\"",
	"milestone 1 9999-12-31 <!channel>",
	"milestone 1 2026-12-15 <!channel> review",
	"close 1 score:NaN",
	"close 1 score:-1",
	"delete 1 confirm <!channel>",
	"digest here tz:../../etc/passwd",
	"digest here time:99:99",
	"remind pause until:9999-12-31",
	"list <#C0OTHER|general>",
	"templates <script>alert(1)</script>",
	"help <!channel>",
	"export <!here>",
	"history 1 <!channel>",
}

// markupInText is Slack's markup for broadcasts, mentions and links.
// goalbot may send mentions of the users it put there itself and links to
// channels (a link notifies nobody).
var (
	markupInText  = regexp.MustCompile(`<[!@#][^>]*>|<https?:[^>]*>`)
	channelLink   = regexp.MustCompile(`^<#[CG][A-Z0-9]+>$`)
	allowedMarkup = map[string]bool{"<@U0ALICE01>": true}
)

// foreignMarkup returns the Slack markup in the strings of v (decoded
// JSON, or a JSON string holding more) that goalbot did not make.
func foreignMarkup(v any, into *[]string) {
	switch x := v.(type) {
	case string:
		var inner any
		if strings.HasPrefix(strings.TrimSpace(x), "[") || strings.HasPrefix(strings.TrimSpace(x), "{") {
			if json.Unmarshal([]byte(x), &inner) == nil {
				foreignMarkup(inner, into)
				return
			}
		}
		for _, m := range markupInText.FindAllString(x, -1) {
			if !allowedMarkup[m] && !channelLink.MatchString(m) {
				*into = append(*into, m)
			}
		}
	case []any:
		for _, e := range x {
			foreignMarkup(e, into)
		}
	case map[string]any:
		for k, e := range x {
			if k == "private_metadata" || k == "token" {
				continue
			}
			foreignMarkup(e, into)
		}
	}
}

// TestHostileInput sends 59 hostile commands and 12 hostile modal
// submissions to the running bot. Each gets an answer (the bot keeps
// serving), and nothing goalbot sends to Slack (acks, response_url posts,
// announcements, App Home views, modals) carries a broadcast, a link or a
// mention goalbot did not make.
func TestHostileInput(t *testing.T) {
	if n := len(hostileCommands); n < 50 {
		t.Fatalf("%d hostile commands, want at least 50", n)
	}
	_, fs, stderr := MustRunBot(t)
	command(t, fs, "new Grow followers due:2026-12-31")
	command(t, fs, "kr 1 Followers from:1000 to:2000")
	var found []string
	check := func(what string, raw []byte) {
		var v any
		if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
			return
		}
		var bad []string
		foreignMarkup(v, &bad)
		if len(bad) > 0 {
			found = append(found, fmt.Sprintf("%s: %q", what, bad))
		}
	}
	for _, text := range hostileCommands {
		id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		ack, err := fs.WaitAck(id, ackWindow)
		if err != nil {
			t.Fatalf("%.40q: no ack: %v", text, err)
		}
		check(fmt.Sprintf("ack of %.40q", text), ack.Payload)
	}

	// Modal submissions with hostile values, through the real signed form.
	hostileForms := []map[string]string{
		{"title": "<!channel> now", "due": "2026-12-31", "owner": "U0ALICE01", "kr1_title": "<!here>", "kr1_from": "1", "kr1_to": "2", "kr1_unit": "<@U0MALLORY>"},
		{"title": "x", "due": "9999-12-31", "owner": "U0ALICE01"},
		{"title": "x", "due": "2026-12-31", "owner": "<!channel>"},
		{"title": "x", "due": "2026-12-31", "owner": "U0ALICE01", "channel": "C0X<!here>"},
		{"title": "x", "due": "2026-12-31", "owner": "U0ALICE01", "kr1_title": "k", "kr1_from": "NaN", "kr1_to": "1e999"},
		{"title": strings.Repeat("t", 3000), "due": "2026-12-31", "owner": "U0ALICE01"},
		{"title": "nul\x00", "due": "2026-12-31", "owner": "U0ALICE01"},
		{"title": "x", "due": "2026-12-31", "owner": "U0ALICE01", "framework": "<!channel>", "goal_type": "<!here>"},
	}
	hostileCheckIns := []map[string]string{
		{"value": "<!channel>"},
		{"value": "5", "note": "<@U0MALLORY> <!here> <https://evil.example|x>"},
		{"value": "1e309", "confidence": "<!here>"},
		{"value": "5", "as_of": "0000-00-00"},
	}
	submit := func(text string, values map[string]string) {
		n := len(fs.Calls("views.open"))
		id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fs.WaitAck(id, ackWindow); err != nil {
			t.Fatal(err)
		}
		calls, err := fs.WaitCalls("views.open", n+1, 5*time.Second)
		if err != nil {
			t.Fatalf("%s opened no modal: %v", text, err)
		}
		var req struct {
			View struct {
				CallbackID      string `json:"callback_id"`
				PrivateMetadata string `json:"private_metadata"`
			} `json:"view"`
		}
		json.Unmarshal(calls[n].JSON, &req)
		state := map[string]any{}
		for k, v := range values {
			state[k] = map[string]any{k: map[string]any{"type": "plain_text_input", "value": v,
				"selected_option": map[string]any{"value": v}, "selected_user": v, "selected_date": v}}
		}
		sub, err := fs.SendEnvelope("interactive", map[string]any{
			"type": "view_submission", "team": map[string]any{"id": fakeslack.TeamID},
			"user": map[string]any{"id": fakeslack.DefaultUserID, "team_id": fakeslack.TeamID},
			"view": map[string]any{"id": fmt.Sprintf("VHOSTILE%d", n), "type": "modal", "callback_id": req.View.CallbackID,
				"private_metadata": req.View.PrivateMetadata, "state": map[string]any{"values": state}},
		}, true)
		if err != nil {
			t.Fatal(err)
		}
		ack, err := fs.WaitAck(sub, ackWindow)
		if err != nil {
			t.Fatalf("submission of %v: no ack: %v", values, err)
		}
		check(fmt.Sprintf("ack of the %s submission %.60v", text, values), ack.Payload)
	}
	for _, v := range hostileForms {
		submit("new", v)
	}
	for _, v := range hostileCheckIns {
		submit("update 1.1", v)
	}

	// Still serving, after all of it; the title and aim were set to the
	// text of a broadcast, shown as text.
	if reply := command(t, fs, "show 1"); !strings.Contains(reply.all(), "Objective 1: @here") || !strings.Contains(reply.all(), "Aim: @channel now") {
		t.Errorf("show 1 after the hostile input:\n%s", reply.all())
	}
	time.Sleep(1500 * time.Millisecond) // announcements waiting for their turn
	for _, c := range fs.Calls("") {
		if c.Method == "apps.connections.open" || c.Method == "auth.test" {
			continue
		}
		check(c.Method, c.JSON)
		form, _ := json.Marshal(c.Form)
		check(c.Method+" (form)", form)
	}
	for _, r := range fs.Responses() {
		check("response_url post", r.Body)
	}
	for _, f := range found {
		t.Error(f)
	}
	if strings.Contains(stderr.String(), "panic") {
		t.Errorf("a panic was logged:\n%s", stderr)
	}
}

// TestTokensNeverReachTheLog runs the bot at debug level with its tokens
// in a config file others may read, through commands, a modal, a refused
// announcement, a dropped connection and a revoked token at the end, and
// scans everything it logged for the tokens. (That response_urls are never
// logged is bot.TestResponseURLIsRetriedAndNeverLogged.)
func TestTokensNeverReachTheLog(t *testing.T) {
	fs := fakeslack.New(t)
	dir := t.TempDir()
	config := filepath.Join(dir, "goalbot.toml")
	body := fmt.Sprintf("database = %q\ntick_interval = \"1s\"\n[slack]\nbot_token = %q\napp_token = %q\napi_url = %q\n[log]\nlevel = \"debug\"\nformat = \"json\"\n",
		filepath.Join(dir, "goalbot.db"), fakeslack.BotToken, fakeslack.AppToken, fs.APIURL())
	if err := os.WriteFile(config, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	m, _, stderr := newTestMain(t, map[string]string{})
	if err := m.ParseFlags([]string{"run", "-config", config}); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- m.Run(context.Background()) }()
	if err := fs.WaitConnections(1, 5*time.Second); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	command(t, fs, "new Grow due:2026-12-31")
	command(t, fs, "kr 1 Followers from:1000 to:2000")
	command(t, fs, "update 1.1 lots")
	command(t, fs, "update 1.1 1500")
	if _, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "new"}); err != nil { // a modal
		t.Fatal(err)
	}
	if _, err := fs.WaitCalls("views.open", 1, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	fs.Handle("chat.postMessage", func(fakeslack.Call) any { return map[string]any{"ok": false, "error": "invalid_auth"} })
	command(t, fs, "update 1.1 1600") // its announcement is refused
	fs.DropConnection()
	if err := fs.WaitConnections(2, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	fs.Handle("apps.connections.open", func(fakeslack.Call) any { return map[string]any{"ok": false, "error": "token_revoked"} })
	fs.DropConnection()
	select {
	case err := <-errc:
		if err == nil || strings.Contains(err.Error(), fakeslack.AppToken) {
			t.Errorf("Run returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the bot did not stop on the revoked token")
	}
	log := stderr.String()
	if !strings.Contains(log, "readable by other users") {
		t.Errorf("no warning about the config file others may read:\n%s", log)
	}
	if !strings.Contains(log, `"level":"DEBUG"`) || strings.Count(log, "\n") < 10 {
		t.Fatalf("the run logged too little to prove anything:\n%s", log)
	}
	for _, secret := range []string{fakeslack.BotToken, fakeslack.AppToken, "xoxb-", "xapp-"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
}
