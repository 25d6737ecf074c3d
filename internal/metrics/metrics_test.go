package metrics_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/goalbot/goalbot/internal/metrics"
)

func TestTextFormat(t *testing.T) {
	var r metrics.Registry
	env := r.Counter("goalbot_envelopes_total", "Envelopes received, by type.", "type")
	plain := r.Counter("goalbot_checkins_total", "Check-ins recorded.")
	r.Gauge("goalbot_socket_connected", "1 while connected.", func() float64 { return 1 })
	h := r.Histogram("goalbot_ack_seconds", "Time to ack.", 0.005, 0.05, 0.5)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			env.Inc("slash_commands")
		}()
	}
	wg.Wait()
	env.Inc(`in"ter\active`)
	for _, v := range []float64{0.001, 0.005, 0.02, 0.7} {
		h.Observe(v)
	}
	var b strings.Builder
	if err := r.Write(&b); err != nil {
		t.Fatal(err)
	}
	want := `# HELP goalbot_envelopes_total Envelopes received, by type.
# TYPE goalbot_envelopes_total counter
goalbot_envelopes_total{type="in\"ter\\active"} 1
goalbot_envelopes_total{type="slash_commands"} 10
# HELP goalbot_checkins_total Check-ins recorded.
# TYPE goalbot_checkins_total counter
goalbot_checkins_total 0
# HELP goalbot_socket_connected 1 while connected.
# TYPE goalbot_socket_connected gauge
goalbot_socket_connected 1
# HELP goalbot_ack_seconds Time to ack.
# TYPE goalbot_ack_seconds histogram
goalbot_ack_seconds_bucket{le="0.005"} 2
goalbot_ack_seconds_bucket{le="0.05"} 3
goalbot_ack_seconds_bucket{le="0.5"} 3
goalbot_ack_seconds_bucket{le="+Inf"} 4
goalbot_ack_seconds_sum 0.726
goalbot_ack_seconds_count 4
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	plain.Inc()
	if plain.Value() != 1 || env.Value("slash_commands") != 10 || h.Count() != 4 {
		t.Error("values read back wrong")
	}
}
