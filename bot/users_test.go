package bot

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/goalbot/goalbot/internal/fakeslack"
)

// TestConcurrentZoneLookupsShareOneCall looks up one user from 20
// goroutines at once (a command and scheduler ticks do this): Slack is
// asked once, and everyone gets the user's zone.
func TestConcurrentZoneLookupsShareOneCall(t *testing.T) {
	fs := fakeslack.New(t)
	fs.SetUser("U0ZONE001", "zed", "Asia/Kolkata")
	// Slow users.info, so every goroutine arrives while it is in flight.
	release := make(chan struct{})
	fs.Handle("users.info", func(fakeslack.Call) any {
		<-release
		return nil // the default answer, from SetUser
	})
	api := slack.New(fakeslack.BotToken, slack.OptionAPIURL(fs.APIURL()))
	z := newUserZones(api, time.UTC, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var wg sync.WaitGroup
	zones := make(chan string, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			zones <- z.zone(context.Background(), "U0ZONE001").String()
		}()
	}
	if _, err := fs.WaitCalls("users.info", 1, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // let the others pile up behind it
	close(release)
	wg.Wait()
	close(zones)
	for zone := range zones {
		if zone != "Asia/Kolkata" {
			t.Errorf("a look-up got %s", zone)
		}
	}
	if n := len(fs.Calls("users.info")); n != 1 {
		t.Errorf("users.info was called %d times, want 1", n)
	}
}

// TestAbandonedZoneLookupIsNotCached cancels the caller whose users.info
// call is in flight while another caller waits on it: the waiter asks Slack
// itself and gets the user's zone, not the workspace zone the abandoned
// look-up fell back to.
func TestAbandonedZoneLookupIsNotCached(t *testing.T) {
	fs := fakeslack.New(t)
	fs.SetUser("U0ZONE001", "zed", "Asia/Kolkata")
	release := make(chan struct{})
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	// Registered after fakeslack.New's, so it runs first: a failing test
	// does not leave the fake waiting on a blocked request.
	t.Cleanup(unblock)
	fs.Handle("users.info", func(fakeslack.Call) any {
		<-release
		return nil
	})
	api := slack.New(fakeslack.BotToken, slack.OptionAPIURL(fs.APIURL()))
	z := newUserZones(api, time.UTC, slog.New(slog.NewTextHandler(io.Discard, nil)))

	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan string, 1)
	go func() { first <- z.zone(ctx, "U0ZONE001").String() }()
	if _, err := fs.WaitCalls("users.info", 1, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	second := make(chan string, 1)
	go func() { second <- z.zone(context.Background(), "U0ZONE001").String() }()
	time.Sleep(50 * time.Millisecond) // the second now waits on the first
	cancel()
	if got := <-first; got != "UTC" {
		t.Errorf("the abandoned look-up got %s, want the workspace zone", got)
	}
	if _, err := fs.WaitCalls("users.info", 2, 3*time.Second); err != nil {
		t.Fatalf("the waiting look-up did not ask Slack itself: %v", err)
	}
	unblock()
	if got := <-second; got != "Asia/Kolkata" {
		t.Errorf("the waiting look-up got %s, want Asia/Kolkata", got)
	}
	if got := z.zone(context.Background(), "U0ZONE001").String(); got != "Asia/Kolkata" {
		t.Errorf("a later look-up got %s", got)
	}
}
