// Package bot connects goalbot to Slack in Socket Mode: it turns envelopes
// (slash commands, interactions, events) into commands, acknowledges every
// envelope within Slack's 3 seconds, and renders replies to Block Kit.
package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/goalbot/goalbot/commands"
)

// Commands runs command text for an invocation (commands.Executor does).
type Commands interface {
	Run(ctx context.Context, inv commands.Invocation, text string) (commands.Reply, error)
}

// Config is what the bot needs to connect.
type Config struct {
	BotToken string // xoxb-...
	AppToken string // xapp-...
	// APIURL is the Web API base URL, with a trailing slash.
	APIURL string
	// HTTPClient makes every Web API and response_url request; it must have
	// a timeout.
	HTTPClient *http.Client
	// Zone is the workspace's default time zone, for users whose zone Slack
	// does not tell.
	Zone *time.Location
	// AckBudget is how long a command may run before its envelope is
	// acknowledged empty and the reply goes through response_url instead
	// (default 2s: Slack wants the ack within 3s).
	AckBudget time.Duration
	// ShutdownGrace bounds how long Run waits for in-flight envelopes after
	// its context ends (default 10s).
	ShutdownGrace time.Duration
	// HomeInterval is the shortest time between two publishes of one
	// user's App Home caused by changes (default 3s); see RefreshHome.
	HomeInterval time.Duration
	// Reconnection pacing (see reconnectGuard): the first delay after a
	// short-lived connection or a failed attempt (default 1s), the longest
	// (default 2m), and how long a connection must last to count as
	// stable (default 1m).
	ReconnectBase, ReconnectMax, ReconnectStable time.Duration
	// PingTimeout is how long without a WebSocket ping from Slack makes
	// the connection count as dead (default slack-go's 30s).
	PingTimeout time.Duration
}

// Bot serves one Slack app over Socket Mode.
type Bot struct {
	cfg    Config
	api    *slack.Client
	socket *socketmode.Client
	cmds   Commands
	log    *slog.Logger
	users  *userZones

	inflight sync.WaitGroup

	team    string // from auth.test: the only workspace the token reaches
	sender  *sender
	metaKey []byte  // signs the private_metadata of modals
	origins origins // where open modals came from
	metrics *botMetrics
	arrived sync.Map // envelope ID -> when it was received, until acked
	guard   *reconnectGuard
	homes   homeRefreshes
	// background is the context of work that outlives its envelope (an
	// announcement waiting for its channel's turn); Run ends it after the
	// shutdown grace.
	background     context.Context
	stopBackground context.CancelFunc
	ticker         Ticker
	tickEvery      time.Duration
}

// New returns a bot; it does not connect until Run.
func New(cfg Config, cmds Commands, log *slog.Logger) *Bot {
	if cfg.AckBudget == 0 {
		cfg.AckBudget = 2 * time.Second
	}
	if cfg.ShutdownGrace == 0 {
		cfg.ShutdownGrace = 10 * time.Second
	}
	if cfg.HomeInterval == 0 {
		cfg.HomeInterval = 3 * time.Second
	}
	if cfg.ReconnectBase == 0 {
		cfg.ReconnectBase = time.Second
	}
	if cfg.ReconnectMax == 0 {
		cfg.ReconnectMax = 2 * time.Minute
	}
	if cfg.ReconnectStable == 0 {
		cfg.ReconnectStable = time.Minute
	}
	m := newBotMetrics()
	guard := newReconnectGuard(cfg.ReconnectBase, cfg.ReconnectMax, cfg.ReconnectStable)
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	cfg.HTTPClient = m.observe(cfg.HTTPClient, guard)
	api := slack.New(cfg.BotToken,
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionAppLevelToken(cfg.AppToken),
		slack.OptionHTTPClient(cfg.HTTPClient))
	b := &Bot{cfg: cfg, api: api, cmds: cmds, log: log, metaKey: metaKey(cfg.BotToken), metrics: m, guard: guard}
	b.background, b.stopBackground = context.WithCancel(context.Background())
	var opts []socketmode.Option
	if cfg.PingTimeout > 0 {
		opts = append(opts, socketmode.OptionPingInterval(cfg.PingTimeout))
	}
	b.socket = socketmode.New(api, opts...)
	b.users = newUserZones(api, cfg.Zone, log)
	b.sender = newSender(api)
	return b
}

// Run checks the bot token with auth.test, connects and serves until ctx
// ends or the connection fails for good (bad tokens). Then it stops taking
// work: for up to ShutdownGrace it lets envelopes in flight finish while it
// still acknowledges new ones (commands get a "restarting" reply), and
// returns.
func (b *Bot) Run(ctx context.Context) error {
	auth, err := b.api.AuthTestContext(ctx)
	if err != nil {
		return fmt.Errorf("check bot token with auth.test: %w", scrubURL(err))
	}
	b.log.Info("authenticated", "team", auth.TeamID, "bot_user", auth.UserID)
	b.team = auth.TeamID

	// The socket outlives ctx: during the grace period it still carries the
	// acks of the envelopes in flight.
	socketCtx, stopSocket := context.WithCancel(context.Background())
	defer stopSocket()
	done := make(chan error, 1)
	go func() { done <- b.socket.RunContext(socketCtx) }()
	tickCtx, stopTicker := context.WithCancel(context.Background())
	tickerDone := make(chan struct{})
	if b.ticker != nil {
		go func() { defer close(tickerDone); b.runTicker(tickCtx) }()
	} else {
		close(tickerDone)
	}

	var runErr error
serving:
	for {
		select {
		case <-ctx.Done():
			break serving
		case err := <-done:
			done = nil
			switch {
			case errors.Is(err, context.Canceled):
			case fatalAuth[err.Error()]:
				runErr = fmt.Errorf("Slack refused the app token (%s): check SLACK_APP_TOKEN, an app-level token (xapp-) with the connections:write scope", err)
			default:
				runErr = fmt.Errorf("socket mode: %w", scrubURL(err))
			}
			break serving
		case evt := <-b.socket.Events:
			b.received(evt)
			b.dispatch(evt)
		}
	}

	// The ticker stops between messages; waiting for it and for the
	// envelopes in flight, the loop below still drains (and declines) events.
	stopTicker()
	b.log.Info("shutting down: finishing envelopes in flight", "grace", b.cfg.ShutdownGrace)
	finished := make(chan struct{})
	go func() { b.inflight.Wait(); <-tickerDone; close(finished) }()
	grace := time.NewTimer(b.cfg.ShutdownGrace)
	defer grace.Stop()
draining:
	for {
		select {
		case <-finished:
			break draining
		case <-grace.C:
			b.log.Warn("envelopes still in flight after the shutdown grace; leaving them")
			break draining
		case err := <-done:
			done = nil
			b.log.Warn("socket closed during shutdown", "err", scrubURL(err))
		case evt := <-b.socket.Events:
			b.received(evt)
			b.decline(evt)
		}
	}
	b.stopBackground()
	stopSocket()
	if done != nil {
		<-done
	}
	b.metrics.connected.Store(false)
	return runErr
}

// received notes an envelope's arrival, for the metrics.
func (b *Bot) received(evt socketmode.Event) {
	if evt.Request == nil || evt.Request.EnvelopeID == "" {
		return
	}
	b.metrics.envelopes.Inc(evt.Request.Type)
	b.arrived.Store(evt.Request.EnvelopeID, time.Now())
}

// fatalAuth are the errors on which slack-go stops reconnecting: the app
// token is refused.
var fatalAuth = map[string]bool{"invalid_auth": true, "account_inactive": true, "not_authed": true, "token_revoked": true}

// dispatch handles one socket-mode event without blocking, so the event
// channel is always drained.
func (b *Bot) dispatch(evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok || evt.Request == nil {
			return
		}
		b.serve(evt.Request, func(ctx context.Context) { b.slashCommand(ctx, evt.Request, cmd) })
	case socketmode.EventTypeEventsAPI, socketmode.EventTypeInteractive:
		if evt.Request == nil {
			return
		}
		if cb, ok := evt.Data.(slack.InteractionCallback); ok && cb.Type == slack.InteractionTypeViewSubmission {
			// Its ack carries the outcome: errors beside the fields, or
			// the modal closed.
			b.serve(evt.Request, func(ctx context.Context) { b.submission(ctx, evt.Request, cb) })
			return
		}
		// Acked at once: their acks carry nothing, and the work they start
		// (publishing an App Home, answering a click on its response_url,
		// opening a modal) need not fit Slack's 3 seconds.
		handle := b.event
		if evt.Type == socketmode.EventTypeInteractive {
			handle = b.interaction
		}
		b.serve(evt.Request, func(ctx context.Context) {
			b.ack(evt.Request.EnvelopeID, nil)
			handle(ctx, evt.Request, evt.Data)
		})
	default:
		b.connectionEvent(evt)
	}
}

// decline answers an envelope that arrives during shutdown: acked at once,
// a command with a reply asking to try again.
func (b *Bot) decline(evt socketmode.Event) {
	if evt.Request == nil || evt.Request.EnvelopeID == "" {
		b.connectionEvent(evt)
		return
	}
	const restarting = "goalbot is restarting. Please try again in a moment; nothing was changed."
	var payload any
	if evt.Type == socketmode.EventTypeSlashCommand {
		payload = message(textReply(restarting))
	}
	if cb, ok := evt.Data.(slack.InteractionCallback); ok && cb.Type == slack.InteractionTypeViewSubmission {
		// The modal stays open with what was typed: the message sits
		// beside its first field.
		payload = slack.NewUpdateViewSubmissionResponse(messageView("goalbot", textReply(restarting)))
		if ids := fieldIDs(cb.View.State); len(ids) > 0 {
			payload = slack.NewErrorsViewSubmissionResponse(map[string]string{ids[0]: restarting})
		}
	}
	b.ack(evt.Request.EnvelopeID, payload)
}

// connectionEvent logs connection life-cycle and error events. A frame
// slack-go could not parse is still acknowledged when it names an
// envelope, so Slack does not wait for it or retry it.
func (b *Bot) connectionEvent(evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		b.metrics.connected.Store(false)
		b.log.Debug("connecting to Slack")
	case socketmode.EventTypeConnected:
		b.guard.connected()
		b.metrics.connected.Store(true)
		b.metrics.connects.Inc()
		b.log.Info("connected to Slack")
	case socketmode.EventTypeHello:
		b.log.Debug("hello from Slack")
	case socketmode.EventTypeDisconnect:
		b.metrics.connected.Store(false)
		b.log.Info("Slack asked to reconnect")
	case socketmode.EventTypeConnectionError:
		b.metrics.connected.Store(false)
		if e, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			b.log.Warn("connection to Slack failed", "attempt", e.Attempt, "backoff", e.Backoff, "err", scrubURL(e.ErrorObj))
		}
	case socketmode.EventTypeInvalidAuth:
		b.log.Error("Slack refused the app token (invalid_auth)")
	case socketmode.EventTypeErrorBadMessage:
		bad, ok := evt.Data.(*socketmode.ErrorBadMessage)
		if !ok {
			return
		}
		var frame struct {
			EnvelopeID string `json:"envelope_id"`
			Type       string `json:"type"`
		}
		_ = json.Unmarshal(bad.Message, &frame)
		b.log.Warn("unreadable envelope", "envelope", frame.EnvelopeID, "type", frame.Type, "err", bad.Cause)
		if frame.EnvelopeID != "" {
			b.ack(frame.EnvelopeID, nil)
		}
	case socketmode.EventTypeIncomingError:
		if e, ok := evt.Data.(*slack.IncomingEventError); ok {
			b.log.Warn("socket read error", "err", e.ErrorObj)
		}
	case socketmode.EventTypeErrorWriteFailed:
		if e, ok := evt.Data.(*socketmode.ErrorWriteFailed); ok && e.Response != nil {
			b.log.Warn("ack write failed", "envelope", e.Response.EnvelopeID, "err", e.Cause)
		}
	default:
		b.log.Debug("ignored socket mode event", "type", evt.Type)
	}
}

// serve runs fn for one envelope in its own goroutine. A panic is logged
// with the envelope ID and does not take the bot down.
func (b *Bot) serve(req *socketmode.Request, fn func(ctx context.Context)) {
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		defer func() {
			if p := recover(); p != nil {
				b.log.Error("panic while handling envelope", "envelope", req.EnvelopeID, "type", req.Type,
					"panic", p, "stack", string(debug.Stack()))
			}
		}()
		// Work started for an envelope finishes even when shutdown begins:
		// the grace period in Run bounds it.
		fn(context.Background())
	}()
}

// ackTimeout bounds how long an ack may wait for the socket's send queue.
const ackTimeout = 5 * time.Second

// ack acknowledges an envelope, with payload when not nil. It returns an
// error when the ack cannot be sent, for example when payload is over
// Slack's 20 KB frame limit.
func (b *Bot) ack(envelopeID string, payload any) error {
	ctx, cancel := context.WithTimeout(context.Background(), ackTimeout)
	defer cancel()
	err := b.socket.AckCtx(ctx, envelopeID, payload)
	if at, ok := b.arrived.LoadAndDelete(envelopeID); ok && err == nil {
		b.metrics.ack.Observe(since(at.(time.Time)))
	}
	if err != nil && payload == nil {
		b.log.Warn("ack failed", "envelope", envelopeID, "err", err)
	}
	return err
}

// slashCommand runs a /goal command. The reply travels in the ack when it is
// ready within the ack budget and small enough; otherwise the envelope is
// acked empty and the reply posted to response_url.
func (b *Bot) slashCommand(ctx context.Context, req *socketmode.Request, cmd slack.SlashCommand) {
	// An answer is the reply and whether the command changed goals.
	type answer struct {
		msg     *slack.WebhookMessage
		changed bool
	}
	replies := make(chan answer, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ref := commands.NewRef()
				b.log.Error("panic in command", "ref", ref, "envelope", req.EnvelopeID, "panic", p, "stack", string(debug.Stack()))
				replies <- answer{msg: message(commands.InternalErrorReply(ref))}
			}
		}()
		_, forms := b.cmds.(Former)
		inv := commands.Invocation{
			TeamID:    cmd.TeamID,
			UserID:    cmd.UserID,
			ChannelID: cmd.ChannelID,
			Location:  b.users.zone(ctx, cmd.UserID),
			Forms:     forms && cmd.TriggerID != "",
			// Slack redelivers an envelope it saw no ack for: the same
			// check-in or creation takes effect once.
			Request: "envelope:" + req.EnvelopeID,
		}
		reply, err := b.cmds.Run(ctx, inv, cmd.Text)
		if err != nil {
			b.log.Error("command failed", "envelope", req.EnvelopeID, "team", cmd.TeamID, "user", cmd.UserID, "err", err)
		}
		if reply.Form != nil {
			// The trigger expires 3 s after the command: the modal opens
			// before the ack, which then carries nothing.
			err := b.openForm(ctx, cmd.TriggerID, inv, reply.Form, origin{responseURL: cmd.ResponseURL}, nil)
			if err == nil {
				replies <- answer{}
				return
			}
			b.log.Warn("views.open failed", "envelope", req.EnvelopeID, "err", err)
			reply = formFailed()
		}
		reply = b.sendFile(ctx, cmd, reply)
		replies <- answer{msg: message(reply), changed: reply.GoalsChanged}
	}()

	var a answer
	timer := time.NewTimer(b.cfg.AckBudget)
	defer timer.Stop()
	select {
	case a = <-replies:
		if a.msg == nil { // a modal opened
			b.ack(req.EnvelopeID, nil)
		} else if b.ack(req.EnvelopeID, a.msg) != nil {
			// Too large for an ack frame: ack empty and use response_url.
			b.ack(req.EnvelopeID, nil)
			b.respond(ctx, cmd.ResponseURL, a.msg)
		}
	case <-timer.C:
		b.ack(req.EnvelopeID, nil)
		a = <-replies
		if a.msg != nil {
			b.respond(ctx, cmd.ResponseURL, a.msg)
		}
	}
	// After the reply: the caller's App Home shows what changed.
	if a.changed {
		b.RefreshHome(ctx, cmd.TeamID, cmd.UserID)
	}
}

// textReply is a reply of one plain paragraph.
func textReply(text string) commands.Reply {
	return commands.Reply{Blocks: []commands.Block{{Kind: commands.Section, Text: commands.Text{{Kind: commands.Plain, Text: text}}}}}
}

// message renders a reply as an ephemeral message for the caller.
func message(r commands.Reply) *slack.WebhookMessage {
	blocks := Blocks(r)
	return &slack.WebhookMessage{
		ResponseType: slack.ResponseTypeEphemeral,
		Text:         Fallback(r),
		Blocks:       &slack.Blocks{BlockSet: blocks},
	}
}

// respondTries bounds the attempts to post a reply to a response_url, and
// maxRespondWait the pause between two of them.
const (
	respondTries   = 3
	maxRespondWait = 10 * time.Second
)

// respond posts msg to a command's response_url, retrying network errors,
// 5xx answers and rate limits (after Retry-After) a few times. It reports
// whether Slack took it.
func (b *Bot) respond(ctx context.Context, responseURL string, msg *slack.WebhookMessage) bool {
	if responseURL == "" {
		b.log.Error("reply lost: the envelope had no response_url")
		return false
	}
	wait := 500 * time.Millisecond
	for try := 1; ; try++ {
		err := slack.PostWebhookCustomHTTPContext(ctx, responseURL, b.cfg.HTTPClient, msg)
		if err == nil {
			return true
		}
		var rl *slack.RateLimitedError
		var status slack.StatusCodeError
		retry := errors.As(err, &rl) || (errors.As(err, &status) && status.Code >= 500) || !errors.As(err, &status)
		// The URL is a credential: log only its host.
		if !retry || try == respondTries {
			b.log.Error("reply lost: post to response_url failed", "host", urlHost(responseURL), "tries", try, "err", scrubURL(err))
			return false
		}
		if rl != nil && rl.RetryAfter > wait {
			wait = min(rl.RetryAfter, maxRespondWait)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return false
		}
		wait *= 2
	}
}

// urlHost returns the host of a URL, or "" when it does not parse.
func urlHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}

// scrubURL removes the URL from a *url.Error in err's chain: response_url
// and Socket Mode URLs carry credentials that must not reach the log.
func scrubURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s %s: %w", ue.Op, urlHost(ue.URL), ue.Err)
	}
	return err
}
