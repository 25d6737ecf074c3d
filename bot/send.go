package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
)

// Sending limits: Slack allows about one message per second per channel;
// a 429 answer is retried after its Retry-After, a few times.
const (
	perChannelInterval = time.Second
	sendTries          = 3
	maxRetryAfter      = 30 * time.Second
)

// sender posts scheduled messages through the Web API, pacing each channel.
type sender struct {
	api *slack.Client

	mu   sync.Mutex
	next map[string]time.Time // when each channel may get its next message
}

func newSender(api *slack.Client) *sender {
	return &sender{api: api, next: map[string]time.Time{}}
}

// Send implements commands.Sender: a DM opens the conversation first
// (conversations.open), then chat.postMessage posts the rendered reply.
func (s *sender) Send(ctx context.Context, d goalbot.Delivery, r commands.Reply) (string, error) {
	channel := d.Channel
	if d.User != "" {
		ch, _, _, err := s.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{d.User}})
		if err != nil {
			return "", fmt.Errorf("open DM with %s: %w", d.User, scrubURL(err))
		}
		channel = ch.ID
	}
	return s.post(ctx, channel, r)
}

// post sends r to channel, waiting for the channel's turn and retrying
// rate limits.
func (s *sender) post(ctx context.Context, channel string, r commands.Reply) (string, error) {
	return s.postWithin(ctx, channel, r, -1)
}

// postWithin is post when the channel's turn comes within limit (a
// negative limit: whenever it comes); otherwise it sends nothing and
// returns errNotSoon.
func (s *sender) postWithin(ctx context.Context, channel string, r commands.Reply, limit time.Duration) (string, error) {
	var ts string
	err := s.inTurn(ctx, channel, limit, func() error {
		var err error
		_, ts, err = s.api.PostMessageContext(ctx, channel,
			slack.MsgOptionBlocks(Blocks(r)...), slack.MsgOptionText(Fallback(r), false))
		return err
	})
	if errors.Is(err, errNotSoon) {
		return "", err
	}
	if err != nil {
		return "", fmt.Errorf("post to %s: %w", channel, scrubURL(err))
	}
	return ts, nil
}

// errNotSoon is inTurn's answer when the channel's turn is further away
// than its limit.
var errNotSoon = errors.New("the channel's turn is not soon")

// inTurn runs call, which puts something in channel, in the channel's turn;
// a rate limit keeps the channel quiet for Slack's Retry-After and is tried
// again, up to sendTries calls in all. With limit >= 0, when the channel's
// first turn is further away than limit, nothing is booked or called and
// the answer is errNotSoon; retries after a rate limit wait their turn.
func (s *sender) inTurn(ctx context.Context, channel string, limit time.Duration, call func() error) error {
	for try := 1; ; try++ {
		if soon, err := s.wait(ctx, channel, limit); err != nil {
			return err
		} else if !soon {
			return errNotSoon
		}
		limit = -1
		err := call()
		if err == nil {
			return nil
		}
		var rl *slack.RateLimitedError
		limited := errors.As(err, &rl)
		if limited {
			// Also after the last try: the next tick's retry waits too.
			s.hold(channel, min(rl.RetryAfter, maxRetryAfter))
		}
		if !limited || try == sendTries {
			return err
		}
	}
}

// wait books channel's next turn and sleeps until it comes. With limit >=
// 0, a turn further away than limit is not booked and soon is false.
func (s *sender) wait(ctx context.Context, channel string, limit time.Duration) (soon bool, err error) {
	s.mu.Lock()
	now := time.Now()
	at := s.next[channel]
	if at.Before(now) {
		at = now
	}
	if limit >= 0 && at.Sub(now) > limit {
		s.mu.Unlock()
		return false, nil
	}
	s.next[channel] = at.Add(perChannelInterval)
	s.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return true, ctx.Err()
		}
	}
	return true, nil
}

// hold keeps channel quiet for d (Slack's Retry-After).
func (s *sender) hold(channel string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if at := time.Now().Add(d); at.After(s.next[channel]) {
		s.next[channel] = at
	}
}

// announceWait is how long a command waits for the channel's turn to post
// its announcement; a later turn is taken in the background, up to
// maxAnnounceBacklog ahead: beyond that the announcement is dropped and
// its author told, so a burst cannot queue hours of them (nor hold up the
// channel's scheduled digest behind them).
const (
	announceWait       = 250 * time.Millisecond
	maxAnnounceBacklog = 2 * time.Minute
)

// Announce posts an announcement (commands.Executor.Announce). When the bot
// is not in the channel it returns an error wrapping
// commands.ErrNotInChannel. Unless a.Wait, an announcement whose channel
// has a backlog (its turn more than announceWait away) is posted in the
// background in its turn, so the caller's reply does not wait; if it fails
// then, or the channel's backlog is too long, a.User gets the reason in a
// DM. Shutdown waits for it like for an envelope in flight, for the grace
// period; then the announcements still waiting are dropped and logged.
func (b *Bot) Announce(ctx context.Context, a commands.Announcement) error {
	limit := announceWait
	if a.Wait {
		limit = -1
	}
	err := b.announce(ctx, a, limit)
	if !errors.Is(err, errNotSoon) {
		return err
	}
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		err := b.announce(b.background, a, maxAnnounceBacklog)
		switch {
		case err == nil:
			return
		case errors.Is(err, errNotSoon):
			err = commands.ErrChannelBusy
		case b.background.Err() != nil:
			b.log.Warn("announcement not posted: shutting down", "team", a.Team, "channel", a.Channel)
			return
		}
		ctx := b.background
		b.log.Warn("announcement not posted", "team", a.Team, "channel", a.Channel, "err", err)
		hint := commands.Reply{Blocks: []commands.Block{{Kind: commands.Section, Text: commands.NotAnnounced(a.Channel, err)}}}
		if _, err := b.sender.Send(ctx, goalbot.Delivery{TeamID: a.Team, User: a.User}, hint); err != nil {
			b.log.Error("could not tell the user an announcement failed", "team", a.Team, "user", a.User, "err", err)
		}
	}()
	return nil
}

// announce posts a in its channel's turn within limit.
func (b *Bot) announce(ctx context.Context, a commands.Announcement, limit time.Duration) error {
	_, err := b.sender.postWithin(ctx, a.Channel, a.Reply, limit)
	var se slack.SlackErrorResponse
	if errors.As(err, &se) && (se.Err == "not_in_channel" || se.Err == "channel_not_found") {
		return fmt.Errorf("announce in %s: %w", a.Channel, commands.ErrNotInChannel)
	}
	return err
}

// UserZone returns a user's time zone from users.info (cached), for the
// dispatcher, or nil when Slack could not tell it: then the dispatcher keeps
// the zone it has. team is the bot's own workspace.
func (b *Bot) UserZone(ctx context.Context, team, user string) *time.Location {
	if loc, known := b.users.lookup(ctx, user); known {
		return loc
	}
	return nil
}

// Sender is the bot's sender of scheduled messages.
func (b *Bot) Sender() commands.Sender { return b.sender }

// Ticker runs the scheduled jobs of a workspace (commands.Dispatcher does).
type Ticker interface {
	TickTeam(ctx context.Context, team string) (commands.TickReport, error)
}

// Schedule makes Run tick t every interval from its start until it stops.
func (b *Bot) Schedule(t Ticker, interval time.Duration) {
	b.ticker, b.tickEvery = t, interval
}

// runTicker ticks until ctx ends, logging what each tick did.
func (b *Bot) runTicker(ctx context.Context) {
	t := time.NewTicker(b.tickEvery)
	defer t.Stop()
	for {
		b.tick(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (b *Bot) tick(ctx context.Context) {
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("panic in scheduler tick", "panic", p)
		}
	}()
	rep, err := b.ticker.TickTeam(ctx, b.team)
	b.metrics.countTick(rep)
	for _, d := range rep.Sent {
		b.log.Info("scheduled message sent", "key", d.Key, "ts", d.TS)
	}
	for _, d := range rep.Skipped {
		b.log.Warn("scheduled message skipped: missed while the bot was down", "key", d.Key, "late", d.Error)
	}
	for _, d := range rep.Failed {
		b.log.Warn("scheduled message failed; retried on the next tick", "key", d.Key, "err", d.Error)
	}
	for _, d := range rep.Expired {
		b.log.Error("scheduled message given up: still unsent long after it was due", "key", d.Key, "err", d.Error)
	}
	for _, e := range rep.Errors {
		b.log.Error("scheduled job failed", "err", e)
	}
	if err != nil && ctx.Err() == nil {
		b.log.Error("scheduler tick failed", "err", err)
	}
}
