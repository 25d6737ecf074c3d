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
