package bot

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// reconnectGuard paces Socket Mode connection attempts. slack-go reconnects
// at once after a connection ends (a dropped socket, missed pings, Slack's
// disconnect) and backs off only between failed attempts, without jitter: a
// server that accepts and drops every connection would make it loop as
// fast as it can. Every attempt starts with apps.connections.open, so the
// guard waits there: after a connection that lasted at least stable, the
// next attempt waits a jittered moment under base (a routine refresh);
// otherwise each attempt waits a jittered exponential delay, base doubling
// up to max.
type reconnectGuard struct {
	base, max, stable time.Duration

	mu          sync.Mutex
	attempts    int       // attempts since the last stable connection
	started     bool      // an attempt was made before
	connectedAt time.Time // the current connection's start; zero when none
	now         func() time.Time
	jitter      func(d time.Duration) time.Duration // a random duration in [0, d)
}

func newReconnectGuard(base, max, stable time.Duration) *reconnectGuard {
	return &reconnectGuard{base: base, max: max, stable: stable, now: time.Now,
		jitter: func(d time.Duration) time.Duration {
			if d <= 0 {
				return 0
			}
			return rand.N(d) // #nosec G404 -- jitter needs no cryptographic randomness
		}}
}

// connected notes that a connection is up.
func (g *reconnectGuard) connected() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.connectedAt = g.now()
}

// delay returns how long the next connection attempt waits, and notes it.
func (g *reconnectGuard) delay() time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	defer func() { g.started, g.connectedAt = true, time.Time{} }()
	switch {
	case !g.started:
		return 0
	case !g.connectedAt.IsZero() && now.Sub(g.connectedAt) >= g.stable:
		g.attempts = 0
		return g.jitter(g.base)
	}
	g.attempts++
	d := g.max
	if g.attempts < 32 {
		d = min(g.max, g.base<<(g.attempts-1))
	}
	return d/2 + g.jitter(d/2)
}

// wait sleeps for the next attempt's delay, or until ctx ends.
func (g *reconnectGuard) wait(ctx context.Context) error {
	d := g.delay()
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
