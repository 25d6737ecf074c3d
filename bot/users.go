package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// zoneTTL is how long a user's time zone from users.info is trusted; a
// failed look-up is retried after zoneRetry.
const (
	zoneTTL   = 24 * time.Hour
	zoneRetry = time.Hour
	// zoneLookupTimeout keeps a slow users.info from eating the ack budget.
	zoneLookupTimeout = time.Second
)

// userZones caches users' time zones read from users.info.
type userZones struct {
	api      *slack.Client
	fallback *time.Location
	log      *slog.Logger

	mu    sync.Mutex
	cache map[string]zoneEntry
	// asking holds a channel per user whose users.info call is in flight,
	// closed when it is done: concurrent look-ups of one user (a command
	// and a scheduler tick) share one call.
	asking map[string]chan struct{}
}

type zoneEntry struct {
	loc     *time.Location
	known   bool // from Slack; false: the fallback after a failed look-up
	expires time.Time
}

func newUserZones(api *slack.Client, fallback *time.Location, log *slog.Logger) *userZones {
	if fallback == nil {
		fallback = time.UTC
	}
	return &userZones{api: api, fallback: fallback, log: log, cache: map[string]zoneEntry{}, asking: map[string]chan struct{}{}}
}

// zone returns the user's time zone, or the workspace zone when Slack does
// not say. The cache uses the system clock: expiry is an operational
// concern, not a domain rule.
func (z *userZones) zone(ctx context.Context, user string) *time.Location {
	loc, _ := z.lookup(ctx, user)
	return loc
}

// lookup is zone that also says whether Slack told the zone (known) or the
// workspace zone stands in after a failed look-up.
func (z *userZones) lookup(ctx context.Context, user string) (*time.Location, bool) {
	now := time.Now()
	for {
		z.mu.Lock()
		e, ok := z.cache[user]
		if ok && now.Before(e.expires) {
			z.mu.Unlock()
			return e.loc, e.known
		}
		wait, busy := z.asking[user]
		if !busy {
			done := make(chan struct{})
			z.asking[user] = done
			z.mu.Unlock()
			defer func() {
				z.mu.Lock()
				delete(z.asking, user)
				z.mu.Unlock()
				close(done)
			}()
			break
		}
		z.mu.Unlock()
		select {
		case <-wait: // the other look-up filled the cache: read it
		case <-ctx.Done():
			return z.fallback, false
		}
	}
	callCtx, cancel := context.WithTimeout(ctx, zoneLookupTimeout)
	defer cancel()
	loc, ttl, known := z.fallback, zoneRetry, false
	if info, err := z.api.GetUserInfoContext(callCtx, user); err != nil {
		z.log.Warn("users.info failed; using the workspace time zone", "user", user, "err", err)
		if ctx.Err() != nil {
			// Our caller gave up, not Slack: cache nothing, so the
			// look-ups waiting on this one ask Slack themselves.
			return loc, known
		}
	} else if l, err := time.LoadLocation(info.TZ); err == nil && info.TZ != "" {
		loc, ttl, known = l, zoneTTL, true
	}
	z.mu.Lock()
	z.cache[user] = zoneEntry{loc: loc, known: known, expires: now.Add(ttl)}
	z.mu.Unlock()
	return loc, known
}
