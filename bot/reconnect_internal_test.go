package bot

import (
	"testing"
	"time"
)

func TestReconnectGuardBacksOffWithJitterAndResets(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	g := newReconnectGuard(time.Second, 8*time.Second, time.Minute)
	g.now = func() time.Time { return now }
	top := true // jitter at the top of its range, then at the bottom
	g.jitter = func(d time.Duration) time.Duration {
		if top && d > 0 {
			return d - 1
		}
		return 0
	}
	if d := g.delay(); d != 0 {
		t.Errorf("the first attempt waits %v, want 0", d)
	}
	// Failed attempts (no connection between them): 1s, 2s, 4s, 8s, 8s,
	// each between half and all of it.
	for _, full := range []time.Duration{1, 2, 4, 8, 8} {
		full *= time.Second
		top = true
		if d := g.delay(); d != full-1 {
			t.Errorf("attempt waits %v, want just under %v", d, full)
		}
	}
	top = false
	if d := g.delay(); d != 4*time.Second {
		t.Errorf("with no jitter the capped delay is %v, want half of 8s", d)
	}
	// A connection that lasted a minute resets: the next waits under 1s.
	g.connected()
	now = now.Add(time.Minute)
	top = true
	if d := g.delay(); d != time.Second-1 {
		t.Errorf("after a stable connection the attempt waits %v, want under 1s", d)
	}
	// A connection dropped at once counts as a failure: the delays grow.
	for _, full := range []time.Duration{1, 2, 4} {
		g.connected()
		now = now.Add(time.Second)
		if d := g.delay(); d != full*time.Second-1 {
			t.Errorf("after a short connection the attempt waits %v, want just under %v", d, full*time.Second)
		}
	}
}
