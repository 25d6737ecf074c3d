package fakeslack_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/goalbot/goalbot/internal/fakeslack"
)

const wait = 2 * time.Second

// bot runs a real slack-go Socket Mode client against the fake. It acks every
// envelope; slash commands get an ephemeral payload echoing their text.
type bot struct {
	api    *slack.Client
	client *socketmode.Client
	events chan socketmode.Event // copy of every event, dropped when full
	runErr chan error            // RunContext's result
}

func newAPI(s *fakeslack.Server, botToken, appToken string) *slack.Client {
	return slack.New(botToken, slack.OptionAPIURL(s.APIURL()), slack.OptionAppLevelToken(appToken))
}

func startBot(t *testing.T, s *fakeslack.Server, appToken string) *bot {
	t.Helper()
	b := &bot{
		api:    newAPI(s, fakeslack.BotToken, appToken),
		events: make(chan socketmode.Event, 100),
		runErr: make(chan error, 1),
	}
	b.client = socketmode.New(b.api)
	ctx, cancel := context.WithCancel(context.Background())
	runDone := make(chan struct{})
	drained := make(chan struct{})
	go func() {
		defer close(runDone)
		b.runErr <- b.client.RunContext(ctx)
	}()
	go func() {
		defer close(drained)
		for {
			select {
			case <-runDone:
				return
			case evt := <-b.client.Events:
				if evt.Request != nil && evt.Request.EnvelopeID != "" {
					var payload any
					if cmd, ok := evt.Data.(slack.SlashCommand); ok {
						payload = map[string]any{"response_type": "ephemeral", "text": "got: " + cmd.Text}
					}
					if err := b.client.Ack(*evt.Request, payload); err != nil {
						t.Errorf("ack: %v", err)
					}
				}
				select {
				case b.events <- evt:
				default:
				}
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-runDone
		<-drained
	})
	return b
}

// next returns the next event of type typ, skipping others.
func (b *bot) next(t *testing.T, typ socketmode.EventType) socketmode.Event {
	t.Helper()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case evt := <-b.events:
			if evt.Type == typ {
				return evt
			}
		case err := <-b.runErr:
			t.Fatalf("socketmode client stopped while waiting for %s: %v", typ, err)
		case <-timer.C:
			t.Fatalf("no %s event within %v", typ, wait)
		}
	}
}

func TestSocketModeEndToEnd(t *testing.T) {
	s := fakeslack.New(t)
	b := startBot(t, s, fakeslack.AppToken)

	auth, err := b.api.AuthTest()
	if err != nil {
		t.Fatalf("AuthTest: %v", err)
	}
	if auth.UserID != fakeslack.BotUserID || auth.TeamID != fakeslack.TeamID || auth.BotID != "B0GOALBOT" {
		t.Errorf("AuthTest = %+v", auth)
	}

	if err := s.WaitConnections(1, wait); err != nil {
		t.Fatal(err)
	}
	hello := b.next(t, socketmode.EventTypeHello)
	if hello.Request.ConnectionInfo.AppID != fakeslack.AppID || hello.Request.DebugInfo.Host != "applink-1" {
		t.Errorf("hello request = %+v", hello.Request)
	}
	if calls := s.Calls("apps.connections.open"); len(calls) != 1 || calls[0].Token != fakeslack.AppToken {
		t.Errorf("apps.connections.open calls = %+v", calls)
	}

	// A slash command is delivered, parsed and acked with a payload.
	text := "new Grow LinkedIn followers &amp; reach owner:<@U0BOB0001|bob>"
	envID, respURL, err := s.SendSlashCommand(fakeslack.SlashCommand{Text: text})
	if err != nil {
		t.Fatalf("SendSlashCommand: %v", err)
	}
	if !strings.HasPrefix(respURL, s.URL()+"/response/") {
		t.Errorf("response_url %q does not point at the fake", respURL)
	}
	evt := b.next(t, socketmode.EventTypeSlashCommand)
	cmd := evt.Data.(slack.SlashCommand)
	if cmd.Command != "/goal" || cmd.Text != text || cmd.UserID != "U0ALICE01" || cmd.UserName != "alice" ||
		cmd.ChannelID != "C0MKTG001" || cmd.TeamID != fakeslack.TeamID || cmd.ResponseURL != respURL || cmd.TriggerID == "" {
		t.Errorf("slash command = %+v", cmd)
	}
	if evt.Request.EnvelopeID != envID || !evt.Request.AcceptsResponsePayload {
		t.Errorf("envelope = %+v, want id %s accepting a payload", evt.Request, envID)
	}
	ack, err := s.WaitAck(envID, wait)
	if err != nil {
		t.Fatal(err)
	}
	var reply struct{ ResponseType, Text string }
	if err := json.Unmarshal(ack.Payload, &reply); err != nil || reply.Text != "got: "+text {
		t.Errorf("ack payload %s (%v)", ack.Payload, err)
	}
	if ack.Latency <= 0 || ack.Latency > wait {
		t.Errorf("ack latency %v", ack.Latency)
	}

	// The app answers on the response_url.
	if _, _, _, err := b.api.SendMessage("", slack.MsgOptionResponseURL(respURL, slack.ResponseTypeEphemeral),
		slack.MsgOptionText("Created objective 1", false)); err != nil {
		t.Fatalf("posting to response_url: %v", err)
	}
	post, err := s.WaitResponse(respURL, wait)
	if err != nil {
		t.Fatal(err)
	}
	var msg struct {
		Text         string `json:"text"`
		ResponseType string `json:"response_type"`
	}
	if err := json.Unmarshal(post.Body, &msg); err != nil || msg.Text != "Created objective 1" || msg.ResponseType != "ephemeral" {
		t.Errorf("response_url body %s (%v)", post.Body, err)
	}

	// An Events API envelope is delivered and acked without payload.
	envID, err = s.SendEnvelope("events_api", map[string]any{
		"token": "deprecated-verification-token", "team_id": fakeslack.TeamID, "api_app_id": fakeslack.AppID,
		"type": "event_callback", "event_id": "Ev0HOME0001", "event_time": 1764150200,
		"event": map[string]any{"type": "app_home_opened", "user": "U0ALICE01", "channel": "D0ALICEDM",
			"tab": "home", "event_ts": "1764150200.000100"},
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	evt = b.next(t, socketmode.EventTypeEventsAPI)
	if evt.Request.EnvelopeID != envID {
		t.Errorf("events_api envelope id %q, want %q", evt.Request.EnvelopeID, envID)
	}
	if ack, err := s.WaitAck(envID, wait); err != nil || ack.Payload != nil {
		t.Errorf("events_api ack = %+v, %v", ack, err)
	}

	// Slack's refresh request makes the client reconnect.
	if err := s.Disconnect("refresh_requested"); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitConnections(2, wait); err != nil {
		t.Fatal(err)
	}
	b.next(t, socketmode.EventTypeHello)

	// So does a dropped socket.
	s.DropConnection()
	if err := s.WaitConnections(3, wait); err != nil {
		t.Fatal(err)
	}
	b.next(t, socketmode.EventTypeHello)
	if got := s.Connections(); got != 3 {
		t.Errorf("Connections() = %d, want 3", got)
	}

	// The newest connection still works.
	envID, _, err = s.SendSlashCommand(fakeslack.SlashCommand{UserID: "U0BOB0001", Text: "list"})
	if err != nil {
		t.Fatal(err)
	}
	if cmd := b.next(t, socketmode.EventTypeSlashCommand).Data.(slack.SlashCommand); cmd.UserName != "u0bob0001" {
		t.Errorf("default user_name = %q", cmd.UserName)
	}
	if _, err := s.WaitAck(envID, wait); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Acks()); n != 3 {
		t.Errorf("%d acks, want 3", n)
	}
}

func TestWebAPI(t *testing.T) {
	s := fakeslack.New(t)
	api := newAPI(s, fakeslack.BotToken, fakeslack.AppToken)

	// Wrong bot token.
	if _, err := newAPI(s, "xoxb-wrong", fakeslack.AppToken).AuthTest(); err == nil || err.Error() != "invalid_auth" {
		t.Errorf("AuthTest with a wrong token: %v, want invalid_auth", err)
	}
	if _, _, err := newAPI(s, "", "").PostMessage("C1", slack.MsgOptionText("x", false)); err == nil || err.Error() != "invalid_auth" {
		t.Errorf("PostMessage without token: %v, want invalid_auth", err)
	}
	if calls := s.Calls("auth.test"); len(calls) != 1 || calls[0].Token != "xoxb-wrong" {
		t.Errorf("rejected call not recorded: %+v", calls)
	}

	ch, ts1, err := api.PostMessage("C0MKTG001", slack.MsgOptionText("hello", false))
	if err != nil || ch != "C0MKTG001" || ts1 == "" {
		t.Errorf("PostMessage = %q, %q, %v", ch, ts1, err)
	}
	_, ts2, err := api.PostMessage("C0MKTG001", slack.MsgOptionText("again", false))
	if err != nil || ts2 == ts1 {
		t.Errorf("second PostMessage ts %q (first %q), %v", ts2, ts1, err)
	}
	calls, err := s.WaitCalls("chat.postMessage", 3, wait) // the rejected one, then ours
	if err != nil {
		t.Fatal(err)
	}
	if last := calls[2]; last.Param("text") != "again" || last.Param("channel") != "C0MKTG001" || last.Token != fakeslack.BotToken {
		t.Errorf("recorded call = %+v", last)
	}
	if _, ts, _, err := api.UpdateMessage("C0MKTG001", ts1, slack.MsgOptionText("edited", false)); err != nil || ts != ts1 {
		t.Errorf("UpdateMessage ts %q, %v; want %q", ts, err, ts1)
	}

	dm, _, _, err := api.OpenConversation(&slack.OpenConversationParameters{Users: []string{"U0BOB0001"}})
	if err != nil || dm.ID != "DU0BOB0001" {
		t.Errorf("OpenConversation = %+v, %v", dm, err)
	}

	s.SetUser("U0BOB0001", "bob", "Europe/Warsaw")
	u, err := api.GetUserInfo("U0BOB0001")
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "bob" || u.TZ != "Europe/Warsaw" || (u.TZOffset != 3600 && u.TZOffset != 7200) || u.TZLabel == "" {
		t.Errorf("GetUserInfo = name %q tz %q offset %d label %q", u.Name, u.TZ, u.TZOffset, u.TZLabel)
	}
	if _, err := api.GetUserInfo("U0NOBODY1"); err == nil || err.Error() != "user_not_found" {
		t.Errorf("unknown user: %v", err)
	}

	view, err := api.OpenView("123.456.abc", slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: "checkin", Title: slack.NewTextBlockObject("plain_text", "Check in", false, false),
	})
	if err != nil || !strings.HasPrefix(view.ID, "V") || view.CallbackID != "checkin" {
		t.Errorf("OpenView = %+v, %v", view, err)
	}
	if c := s.Calls("views.open"); len(c) != 1 || c[0].JSON == nil || c[0].Param("trigger_id") != "123.456.abc" {
		t.Errorf("views.open call = %+v", c)
	}

	// Overrides: a custom error and a rate limit.
	s.Handle("chat.postMessage", func(c fakeslack.Call) any {
		return map[string]any{"ok": false, "error": "channel_not_found"}
	})
	if _, _, err := api.PostMessage("C0GONE", slack.MsgOptionText("x", false)); err == nil || err.Error() != "channel_not_found" {
		t.Errorf("overridden PostMessage: %v", err)
	}
	s.Handle("chat.postMessage", func(c fakeslack.Call) any {
		return &fakeslack.HTTPError{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"1"}}}
	})
	_, _, err = api.PostMessage("C0MKTG001", slack.MsgOptionText("x", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Errorf("rate-limited PostMessage: %v", err)
	}
	s.Handle("chat.postMessage", nil)
	if _, _, err := api.PostMessage("C0MKTG001", slack.MsgOptionText("x", false)); err != nil {
		t.Errorf("PostMessage after removing the override: %v", err)
	}
}

func TestWrongAppTokenStopsClient(t *testing.T) {
	s := fakeslack.New(t)
	b := startBot(t, s, "xapp-wrong")
	select {
	case err := <-b.runErr:
		if err == nil || err.Error() != "invalid_auth" {
			t.Errorf("RunContext = %v, want invalid_auth", err)
		}
	case <-time.After(wait):
		t.Fatal("client kept running with a wrong app token")
	}
	if n := s.Connections(); n != 0 {
		t.Errorf("Connections() = %d, want 0", n)
	}
}

// TestRawSocket uses a bare WebSocket: hello frame, envelope shape, ack
// recording, replacement of the old connection, and Close with sockets open.
func TestRawSocket(t *testing.T) {
	s := fakeslack.New(t)
	api := newAPI(s, fakeslack.BotToken, fakeslack.AppToken)
	_, wsURL, err := api.StartSocketModeContext(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dial := func() *websocket.Conn {
		t.Helper()
		c, _, err := websocket.DefaultDialer.Dial(wsURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		_ = c.SetReadDeadline(time.Now().Add(wait))
		return c
	}
	read := func(c *websocket.Conn) map[string]any {
		t.Helper()
		var m map[string]any
		if err := c.ReadJSON(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}

	c1 := dial()
	if m := read(c1); m["type"] != "hello" {
		t.Fatalf("first frame %v", m)
	}
	if err := s.WaitConnections(1, wait); err != nil {
		t.Fatal(err)
	}
	id, err := s.SendEnvelope("interactive", map[string]any{"type": "block_actions"}, false)
	if err != nil {
		t.Fatal(err)
	}
	env := read(c1)
	if env["envelope_id"] != id || env["type"] != "interactive" || env["accepts_response_payload"] != false {
		t.Errorf("envelope %v", env)
	}
	if err := c1.WriteJSON(map[string]any{"envelope_id": id, "payload": map[string]any{"response_action": "clear"}}); err != nil {
		t.Fatal(err)
	}
	if ack, err := s.WaitAck(id, wait); err != nil || string(ack.Payload) != `{"response_action":"clear"}` {
		t.Errorf("ack %+v, %v", ack, err)
	}

	// A second connection replaces the first, which gets closed.
	c2 := dial()
	read(c2)
	if err := s.WaitConnections(2, wait); err != nil {
		t.Fatal(err)
	}
	for {
		if _, _, err := c1.ReadMessage(); err != nil {
			break
		}
	}
	if err := s.Send(json.RawMessage(`{"type":"disconnect","reason":"warning"}`)); err != nil {
		t.Fatal(err)
	}
	if m := read(c2); m["reason"] != "warning" {
		t.Errorf("frame on the new connection: %v", m)
	}

	// Close must not wait for the client, which keeps c2 open.
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(wait):
		t.Fatal("Close hangs while a client keeps its socket open")
	}
	if err := s.Send(map[string]any{"type": "hello"}); err == nil {
		t.Error("Send after Close succeeded")
	}
	if _, err := s.WaitAck("nope", wait); err == nil {
		t.Error("WaitAck after Close succeeded")
	}
}
