package bot

import (
	"context"
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
// the user's check-in. Failures are logged, not returned: a stale Home tab
// is no reason to fail what caused the refresh. It is safe for concurrent
// use and needs no connection (it calls the Web API only). Refreshes of one
// user run one at a time, and those asked for while one runs are done by
// one more after it: the last published Home is never older than the last
// change, and a burst of check-ins costs two builds, not one each.
func (b *Bot) RefreshHome(ctx context.Context, team, user string) {
	if _, ok := b.cmds.(Homer); !ok {
		return
	}
	key := team + " " + user
	b.homes.mu.Lock()
	if b.homes.state == nil {
		b.homes.state = map[string]bool{}
	}
	if _, running := b.homes.state[key]; running {
		b.homes.state[key] = true // run again when the current one ends
		b.homes.mu.Unlock()
		return
	}
	b.homes.state[key] = false
	b.homes.mu.Unlock()
	// A panic in building it must not leave the user's refreshes marked
	// as running for good.
	finished := false
	defer func() {
		if !finished {
			b.homes.mu.Lock()
			delete(b.homes.state, key)
			b.homes.mu.Unlock()
		}
	}()
	for {
		b.publishHome(ctx, team, user)
		b.homes.mu.Lock()
		if b.homes.state[key] {
			b.homes.state[key] = false
			b.homes.mu.Unlock()
			continue
		}
		delete(b.homes.state, key)
		finished = true
		b.homes.mu.Unlock()
		return
	}
}

// homeRefreshes tracks the App Home refreshes running, by team and user:
// true when another was asked for meanwhile.
type homeRefreshes struct {
	mu    sync.Mutex
	state map[string]bool
}

// publishHome builds and publishes user's App Home once.
func (b *Bot) publishHome(ctx context.Context, team, user string) {
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
	b.RefreshHome(ctx, ev.TeamID, opened.User)
}

// viewBlocks renders a reply for a view, which holds up to 100 blocks where
// a message holds 50.
func viewBlocks(r commands.Reply) []slack.Block { return renderBlocks(r, maxViewBlocks) }
