package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/internal/metrics"
)

// botMetrics are what /metrics shows of the bot.
type botMetrics struct {
	reg         metrics.Registry
	envelopes   *metrics.Counter   // by type
	ack         *metrics.Histogram // seconds from receipt to ack
	checkIns    *metrics.Counter
	scheduled   *metrics.Counter // by outcome
	apiErrors   *metrics.Counter // by method and error
	rateLimited *metrics.Counter // by method
	connects    *metrics.Counter
	connected   atomic.Bool
}

func newBotMetrics() *botMetrics {
	m := &botMetrics{}
	m.envelopes = m.reg.Counter("goalbot_envelopes_total", "Socket Mode envelopes received, by type.", "type")
	m.ack = m.reg.Histogram("goalbot_ack_seconds", "Time from receiving an envelope to sending its ack.",
		0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3)
	m.checkIns = m.reg.Counter("goalbot_checkins_total", "Check-ins recorded.")
	m.scheduled = m.reg.Counter("goalbot_scheduled_messages_total", "Scheduled messages (digests, reminders), by outcome: sent, skipped, failed, expired.", "outcome")
	m.apiErrors = m.reg.Counter("goalbot_slack_api_errors_total", "Slack Web API calls that failed, by method and error.", "method", "error")
	m.rateLimited = m.reg.Counter("goalbot_slack_rate_limited_total", "Slack Web API answers of HTTP 429 (each is waited out), by method.", "method")
	m.connects = m.reg.Counter("goalbot_socket_connects_total", "Socket Mode connections established (the first and every reconnect).")
	m.reg.Gauge("goalbot_socket_connected", "1 while the Socket Mode connection is up.", func() float64 {
		if m.connected.Load() {
			return 1
		}
		return 0
	})
	return m
}

// WriteMetrics writes the bot's metrics in the Prometheus text format.
func (b *Bot) WriteMetrics(w io.Writer) error { return b.metrics.reg.Write(w) }

// Connected reports whether the Socket Mode connection is up.
func (b *Bot) Connected() bool { return b.metrics.connected.Load() }

// CountCheckIn counts a recorded check-in (commands.Executor.OnCheckIn).
func (b *Bot) CountCheckIn() { b.metrics.checkIns.Inc() }

// countTick counts what a scheduler tick did.
func (m *botMetrics) countTick(rep commands.TickReport) {
	m.scheduled.Add(float64(len(rep.Sent)), "sent")
	m.scheduled.Add(float64(len(rep.Skipped)), "skipped")
	m.scheduled.Add(float64(len(rep.Failed)), "failed")
	m.scheduled.Add(float64(len(rep.Expired)), "expired")
}

// observedTransport counts the Web API's failures and rate limits. Slack
// answers most failures with HTTP 200 and {"ok":false,"error":...}, so the
// start of an /api/ answer is read (and handed on unchanged, with the
// rest). It also paces Socket Mode connection attempts, and bounds each
// request by timeout itself: the client's own Timeout would count the
// pacing's wait too, and fail every attempt once that wait is longer.
type observedTransport struct {
	base    http.RoundTripper
	m       *botMetrics
	guard   *reconnectGuard // paces apps.connections.open
	timeout time.Duration   // per request, after any pacing; 0: none
}

// maxObservedBody bounds the answers read for their "ok" field.
const maxObservedBody = 1 << 20

func (t observedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	_, method, isAPI := strings.Cut(req.URL.Path, "/api/")
	if isAPI && method == "apps.connections.open" && t.guard != nil {
		if err := t.guard.wait(req.Context()); err != nil {
			return nil, err
		}
	}
	cancel := context.CancelFunc(func() {})
	if t.timeout > 0 {
		var ctx context.Context
		ctx, cancel = context.WithTimeout(req.Context(), t.timeout)
		req = req.WithContext(ctx)
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		cancel()
	} else {
		resp.Body = cancelOnClose{resp.Body, cancel}
	}
	if !isAPI {
		return resp, err
	}
	switch {
	case err != nil:
		t.m.apiErrors.Inc(method, "network")
		return resp, err
	case resp.StatusCode == http.StatusTooManyRequests:
		t.m.rateLimited.Inc(method)
		return resp, nil
	case resp.StatusCode >= 300:
		t.m.apiErrors.Inc(method, "http_"+http.StatusText(resp.StatusCode))
		return resp, nil
	case !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json"):
		return resp, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxObservedBody+1))
	if err != nil {
		resp.Body.Close()
		t.m.apiErrors.Inc(method, "network")
		return nil, err
	}
	// What was read, then the rest of a longer answer.
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(body), resp.Body), resp.Body}
	var answer struct {
		OK    *bool  `json:"ok"`
		Error string `json:"error"`
	}
	if len(body) <= maxObservedBody && json.Unmarshal(body, &answer) == nil && answer.OK != nil && !*answer.OK {
		t.m.apiErrors.Inc(method, answer.Error)
	}
	return resp, nil
}

// cancelOnClose ends a request's timeout context when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// observe returns client with its transport observed, its Socket Mode
// connection attempts paced by guard, and its timeout applied per request
// by the transport, after the pacing.
func (m *botMetrics) observe(client *http.Client, guard *reconnectGuard) *http.Client {
	c := *client
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = observedTransport{base: base, m: m, guard: guard, timeout: c.Timeout}
	c.Timeout = 0
	return &c
}

// since returns the seconds since t.
func since(t time.Time) float64 { return time.Since(t).Seconds() }
