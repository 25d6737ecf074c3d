package bot

import (
	"context"
	"runtime/debug"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/goalbot/goalbot/commands"
)

// maxViewBlocks is Slack's block limit of a Home tab (and modal) view.
const maxViewBlocks = 100

// publishTimeout bounds building and publishing one App Home.
const publishTimeout = 10 * time.Second

// Homer builds a user's App Home (commands.Executor does). When the
// Commands given to New also implement Homer, the bot publishes the App Home
// it builds whenever a user opens the Home tab, and on RefreshHome; otherwise
// it leaves the Home tab alone.
type Homer interface {
	Home(ctx context.Context, team, user string, loc *time.Location) (commands.Reply, error)
}

// RefreshHome builds and publishes user's App Home again, for example after
// the user's check-in. Failures, panics included, are logged, not returned:
// a stale Home tab is no reason to fail what caused the refresh. It is safe
// for concurrent use and needs no connection (it calls the Web API only).
//
// A user's publishes are spaced by at least Config.HomeInterval: the first
// change after a quiet spell publishes at once, before RefreshHome returns;
// changes within the interval after it are published together by one more
// publish at its end, in the background. So the Home tab is never older
// than the last change for longer than the interval, and a user checking in
// five key results in a row costs two builds, not five: each build reads
// all of the user's objectives, and Slack allows views.publish about 100
// times a minute per workspace.
func (b *Bot) RefreshHome(ctx context.Context, team, user string) {
	b.refreshHome(ctx, team, user, false)
}

// refreshHome is RefreshHome; opened (the user just opened the Home tab)
// publishes at once whatever the interval (and a publish waiting for the
// interval's end is no longer needed), unless a publish is running: then
// one more follows it, as after a change.
func (b *Bot) refreshHome(ctx context.Context, team, user string, opened bool) {
	if _, ok := b.cmds.(Homer); !ok {
		return
	}
	h := &b.homes
	key := homeKey{team, user}
	h.mu.Lock()
	if h.state == nil {
		h.state = map[homeKey]*homeState{}
	}
	s := h.state[key]
	if s == nil {
		h.sweepLocked(b.cfg.HomeInterval)
		s = &homeState{}
		h.state[key] = s
	}
	if s.running {
		s.again = true
		h.mu.Unlock()
		return
	}
	if wait := b.cfg.HomeInterval - time.Since(s.last); wait > 0 && !opened {
		b.scheduleHomeLocked(key, s, wait)
		h.mu.Unlock()
		return
	}
	if s.scheduled && s.timer.Stop() {
		s.scheduled = false // this publish shows the change it waited for
	}
	s.running, s.last = true, time.Now()
	h.mu.Unlock()
	b.publishHome(ctx, team, user)
	b.homePublished(key)
}

// deferredHome is the publish scheduled at the end of key's interval.
func (b *Bot) deferredHome(key homeKey) {
	h := &b.homes
	h.mu.Lock()
	s := h.state[key]
	s.scheduled = false
	if s.running || b.background.Err() != nil {
		// The running one picks the change up, or the bot has stopped.
		s.again = s.running
		h.mu.Unlock()
		return
	}
	s.running, s.last = true, time.Now()
	h.mu.Unlock()
	b.publishHome(b.background, key.team, key.user)
	b.homePublished(key)
}

// homePublished ends key's running publish; a change that came while it ran
// is published at the end of the interval.
func (b *Bot) homePublished(key homeKey) {
	h := &b.homes
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.state[key]
	s.running = false
	if s.again {
		b.scheduleHomeLocked(key, s, b.cfg.HomeInterval-time.Since(s.last))
	}
	s.again = false
}

// scheduleHomeLocked schedules key's publish after wait, unless one is
// scheduled. h.mu must be held.
func (b *Bot) scheduleHomeLocked(key homeKey, s *homeState, wait time.Duration) {
	if !s.scheduled {
		s.scheduled = true
		s.timer = time.AfterFunc(max(0, wait), func() { b.deferredHome(key) })
	}
}

// homeRefreshes tracks the App Home publishes of each user.
type homeRefreshes struct {
	mu    sync.Mutex
	state map[homeKey]*homeState
}

type homeKey struct{ team, user string }

type homeState struct {
	running   bool        // a publish is being built or sent
	again     bool        // a change came while it ran
	scheduled bool        // a publish waits for the end of the interval,
	timer     *time.Timer // on this timer
	last      time.Time   // when the last publish started
}

// sweepLocked forgets the users whose last publish is more than interval
// ago and who have none running or waiting, once the map has grown: it
// holds one entry per user active within the interval, not per user ever
// seen. h.mu must be held.
func (h *homeRefreshes) sweepLocked(interval time.Duration) {
	if len(h.state) < 256 {
		return
	}
	for k, s := range h.state {
		if !s.running && !s.scheduled && time.Since(s.last) > interval {
			delete(h.state, k)
		}
	}
}

// publishHome builds and publishes user's App Home once. A panic in
// building it is logged like any failure: a deferred publish runs on its
// own goroutine, where it would end the process.
func (b *Bot) publishHome(ctx context.Context, team, user string) {
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("App Home not published: building it panicked", "team", team, "user", user,
				"panic", p, "stack", string(debug.Stack()))
		}
	}()
	home := b.cmds.(Homer)
	ctx, cancel := context.WithTimeout(ctx, publishTimeout)
	defer cancel()
	r, err := home.Home(ctx, team, user, b.users.zone(ctx, user))
	if err != nil {
		b.log.Error("App Home not published: building it failed", "team", team, "user", user, "err", err)
		return
	}
	view := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: viewBlocks(r)}}
	if _, err := b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view}); err != nil {
		b.log.Error("App Home not published: views.publish failed", "team", team, "user", user, "err", scrubURL(err))
	}
}

// event handles an Events API event, already acknowledged. Only
// app_home_opened on the Home tab does something: it publishes the user's
// App Home.
func (b *Bot) event(ctx context.Context, req *socketmode.Request, data any) {
	ev, ok := data.(slackevents.EventsAPIEvent)
	if !ok || ev.Type != slackevents.CallbackEvent {
		b.log.Debug("Events API envelope ignored", "envelope", req.EnvelopeID)
		return
	}
	var opened *slackevents.AppHomeOpenedEvent
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppHomeOpenedEvent:
		opened = e
	case slackevents.AppHomeOpenedEvent:
		opened = &e
	default:
		b.log.Debug("event ignored", "envelope", req.EnvelopeID, "event", ev.InnerEvent.Type)
		return
	}
	if opened.Tab != "home" || opened.User == "" {
		return // the Messages tab is a DM, nothing to publish
	}
	b.refreshHome(ctx, ev.TeamID, opened.User, true)
}

// viewBlocks renders a reply for a view, which holds up to 100 blocks where
// a message holds 50.
func viewBlocks(r commands.Reply) []slack.Block { return renderBlocks(r, maxViewBlocks) }
