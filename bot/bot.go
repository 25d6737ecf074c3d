// Package bot connects goalbot to Slack in Socket Mode: it turns envelopes
// (slash commands, interactions, events) into commands, acknowledges every
// envelope within Slack's 3 seconds, and renders replies to Block Kit.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
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
	team     string
}

// New returns a bot; it does not connect until Run.
func New(cfg Config, cmds Commands, log *slog.Logger) *Bot {
	if cfg.AckBudget == 0 {
		cfg.AckBudget = 2 * time.Second
	}
	if cfg.ShutdownGrace == 0 {
		cfg.ShutdownGrace = 10 * time.Second
	}
	api := slack.New(cfg.BotToken,
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionAppLevelToken(cfg.AppToken),
		slack.OptionHTTPClient(cfg.HTTPClient))
	b := &Bot{cfg: cfg, api: api, cmds: cmds, log: log}
	b.socket = socketmode.New(api)
	b.users = newUserZones(api, cfg.Zone, log)
	return b
}

// Run checks the bot token with auth.test, connects and serves until ctx
// ends or the connection fails for good (bad tokens). When ctx ends it stops
// taking envelopes and waits up to ShutdownGrace for those in flight.
func (b *Bot) Run(ctx context.Context) error {
	auth, err := b.api.AuthTestContext(ctx)
	if err != nil {
		return fmt.Errorf("check bot token with auth.test: %w", err)
	}
	b.team = auth.TeamID
	b.log.Info("authenticated", "team", auth.TeamID, "bot_user", auth.UserID)

	socketCtx, stopSocket := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSocket()
	done := make(chan error, 1)
	go func() { done <- b.socket.RunContext(socketCtx) }()

	for {
		select {
		case <-ctx.Done():
			b.log.Info("shutting down: no new envelopes; waiting for those in flight", "grace", b.cfg.ShutdownGrace)
			finished := make(chan struct{})
			go func() { b.inflight.Wait(); close(finished) }()
			select {
			case <-finished:
			case <-time.After(b.cfg.ShutdownGrace):
				b.log.Warn("in-flight envelopes did not finish in time")
			}
			stopSocket()
			<-done
			return nil
		case err := <-done:
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return fmt.Errorf("socket mode: %w", err)
		case evt := <-b.socket.Events:
			b.dispatch(ctx, evt)
		}
	}
}

// dispatch handles one socket-mode event without blocking, so the event
// channel is always drained.
func (b *Bot) dispatch(ctx context.Context, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		b.log.Debug("connecting to Slack")
	case socketmode.EventTypeConnected:
		b.log.Info("connected to Slack")
	case socketmode.EventTypeHello:
		b.log.Debug("hello from Slack")
	case socketmode.EventTypeDisconnect:
		b.log.Info("Slack asked to reconnect")
	case socketmode.EventTypeConnectionError:
		if e, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			b.log.Warn("connection to Slack failed", "attempt", e.Attempt, "backoff", e.Backoff, "err", e.ErrorObj)
		}
	case socketmode.EventTypeInvalidAuth:
		b.log.Error("Slack refused the app token (invalid_auth)")
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorBadMessage, socketmode.EventTypeErrorWriteFailed:
		b.log.Warn("socket mode error", "type", evt.Type, "detail", fmt.Sprintf("%T", evt.Data))
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok || evt.Request == nil {
			return
		}
		b.serve(evt.Request, func(ctx context.Context) { b.slashCommand(ctx, evt.Request, cmd) })
	case socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
		if evt.Request == nil {
			return
		}
		b.serve(evt.Request, func(context.Context) {
			b.ack(evt.Request, nil)
			b.log.Debug("envelope acknowledged, nothing to do", "type", evt.Type, "envelope", evt.Request.EnvelopeID)
		})
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

// ack acknowledges an envelope, with payload when not nil.
func (b *Bot) ack(req *socketmode.Request, payload any) error {
	var err error
	if payload == nil {
		err = b.socket.Ack(*req)
	} else {
		err = b.socket.Ack(*req, payload)
	}
	if err != nil {
		b.log.Warn("ack failed", "envelope", req.EnvelopeID, "err", err)
	}
	return err
}

// slashCommand runs a /goal command. The reply travels in the ack when it is
// ready within the ack budget and small enough; otherwise the envelope is
// acked empty and the reply posted to response_url.
func (b *Bot) slashCommand(ctx context.Context, req *socketmode.Request, cmd slack.SlashCommand) {
	replies := make(chan *slack.WebhookMessage, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				b.log.Error("panic in command", "envelope", req.EnvelopeID, "panic", p, "stack", string(debug.Stack()))
				replies <- message(internalErrorReply())
			}
		}()
		inv := commands.Invocation{
			TeamID:    cmd.TeamID,
			UserID:    cmd.UserID,
			ChannelID: cmd.ChannelID,
			Location:  b.users.zone(ctx, cmd.UserID),
		}
		reply, err := b.cmds.Run(ctx, inv, cmd.Text)
		if err != nil {
			b.log.Error("command failed", "envelope", req.EnvelopeID, "team", cmd.TeamID, "user", cmd.UserID, "err", err)
		}
		replies <- message(reply)
	}()

	timer := time.NewTimer(b.cfg.AckBudget)
	defer timer.Stop()
	select {
	case msg := <-replies:
		if b.socket.Ack(*req, msg) == nil {
			return
		}
		// Too large for an ack frame: ack empty and use response_url.
		b.ack(req, nil)
		b.respond(ctx, cmd.ResponseURL, msg)
	case <-timer.C:
		b.ack(req, nil)
		b.respond(ctx, cmd.ResponseURL, <-replies)
	}
}

// internalErrorReply is the reply for a failure outside the command layer.
func internalErrorReply() commands.Reply {
	return commands.Reply{Failed: true, Blocks: []commands.Block{{Kind: commands.Section,
		Text: commands.Text{{Kind: commands.Plain, Text: "Something went wrong on our side. Nothing was changed unless a reply said so; please try again."}}}}}
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

// respond posts msg to a command's response_url.
func (b *Bot) respond(ctx context.Context, url string, msg *slack.WebhookMessage) {
	if url == "" {
		b.log.Error("reply lost: no response_url")
		return
	}
	if err := slack.PostWebhookCustomHTTPContext(ctx, url, b.cfg.HTTPClient, msg); err != nil {
		// The URL holds a secret-ish token; log only its host.
		b.log.Error("post to response_url failed", "host", urlHost(url), "err", err)
	}
}

func urlHost(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	host, _, _ := strings.Cut(u, "/")
	return host
}
