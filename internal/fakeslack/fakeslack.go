// Package fakeslack is a loopback fake of Slack's Web API and Socket Mode,
// for end-to-end tests of a bot built on slack-go's socketmode client.
//
// New starts an httptest server on 127.0.0.1 that serves:
//
//   - /api/<method>: the Web API. Every request is recorded as a Call (also
//     rejected ones) and answered with a canned response; Handle overrides it.
//     apps.connections.open needs AppToken, every other method BotToken; a
//     wrong or missing token gets {"ok":false,"error":"invalid_auth"} with
//     HTTP 200, as Slack does.
//   - /link/: the Socket Mode WebSocket whose URL apps.connections.open hands
//     out. A new connection gets the hello frame and replaces (closes) the
//     previous one; the fake pings the current connection every 500ms and
//     records the acks the app sends back.
//   - /response/<id>: response_url endpoints; JSON posts are recorded.
//   - /upload/<id>: upload URLs that files.getUploadURLExternal hands out;
//     the posted bytes are recorded as an Upload (see upload.go).
//
// Point the client at it with
//
//	api := slack.New(fakeslack.BotToken,
//		slack.OptionAPIURL(s.APIURL()),
//		slack.OptionAppLevelToken(fakeslack.AppToken))
//	client := socketmode.New(api)
//
// The Wait* methods block until something happened or the timeout passed, so
// tests never need to sleep. Everything is safe for concurrent use.
package fakeslack

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // SetUser must resolve IANA zones on any machine
)

// Identities the fake knows about.
const (
	BotToken  = "xoxb-fake-bot-token-0000"   // the only bot token the fake accepts
	AppToken  = "xapp-1-fake-app-token-0000" // the only app-level token the fake accepts
	TeamID    = "T0TEAM001"                  // the workspace id
	BotUserID = "U0GOALBOT"                  // the bot's user id, as auth.test reports it
	BotID     = "B0GOALBOT"                  // the bot id, as auth.test reports it
	AppID     = "A0GOALBOT"                  // the app id in hello frames and payloads
)

// Defaults of SendSlashCommand.
const (
	DefaultUserID    = "U0ALICE01"
	DefaultUserName  = "alice"
	DefaultChannelID = "C0MKTG001"
	DefaultCommand   = "/goal"
)

const (
	pingInterval = 500 * time.Millisecond
	writeTimeout = 5 * time.Second
	tsBase       = 1764150000 // seconds part of generated message timestamps
)

// Server is a running fake. Create it with New.
type Server struct {
	tb  testing.TB
	hs  *httptest.Server
	wg  sync.WaitGroup // socket goroutines
	end sync.Once

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every state change
	closed    bool
	calls     []Call
	handlers  map[string]func(Call) any
	users     map[string]fakeUser
	seq       int // for ts, view ids, tickets
	conns     int
	cur       *wsConn
	live      map[*wsConn]struct{}
	hello     map[*wsConn]bool     // open connections that got their hello
	sentAt    map[string]time.Time // envelope id -> when written
	frames    map[string][]byte    // envelope id -> the frame, for Resend
	noPings   bool                 // SetPings(false): connections get no pings
	dropHello bool                 // SetDropAfterHello(true)
	acks      []Ack
	firstAck  map[string]int // envelope id -> index of its first ack in acks
	responses []ResponsePost
	uploads   uploads
}

type fakeUser struct {
	id, name, tz string
	loc          *time.Location
}

// New starts the fake on 127.0.0.1 (httptest) and registers tb.Cleanup to close it.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{
		tb:       tb,
		changed:  make(chan struct{}),
		handlers: map[string]func(Call) any{},
		users:    map[string]fakeUser{},
		live:     map[*wsConn]struct{}{},
		hello:    map[*wsConn]bool{},
		sentAt:   map[string]time.Time{},
		frames:   map[string][]byte{},
		firstAck: map[string]int{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/link", s.serveLink)
	mux.HandleFunc("/link/", s.serveLink)
	mux.HandleFunc("/response/", s.serveResponse)
	mux.HandleFunc("/upload/", s.serveUpload)
	s.hs = httptest.NewServer(mux)
	tb.Cleanup(s.Close)
	return s
}

// Close closes every socket, stops the server and waits for its goroutines.
// It is idempotent and does not wait for clients to hang up. Pending Wait*
// calls return an error.
func (s *Server) Close() {
	s.end.Do(func() {
		s.mu.Lock()
		s.closed = true
		live := make([]*wsConn, 0, len(s.live))
		for c := range s.live {
			live = append(live, c)
		}
		s.notifyLocked()
		s.mu.Unlock()
		for _, c := range live {
			c.close()
		}
		s.hs.CloseClientConnections()
		s.hs.Close()
		s.wg.Wait()
	})
}

// URL is the server's base URL, "http://127.0.0.1:PORT".
func (s *Server) URL() string { return s.hs.URL }

// APIURL is the Web API base URL with trailing slash, e.g.
// "http://127.0.0.1:PORT/api/", for slack.OptionAPIURL.
func (s *Server) APIURL() string { return s.hs.URL + "/api/" }

// notifyLocked wakes every waiter. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// waitFor blocks until cond (called with s.mu held) is true, the timeout
// passes or the server is closed. what describes the condition for errors.
func (s *Server) waitFor(timeout time.Duration, what string, cond func() bool) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		if cond() {
			s.mu.Unlock()
			return nil
		}
		if s.closed {
			s.mu.Unlock()
			return fmt.Errorf("fakeslack: server closed while waiting for %s", what)
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-timer.C:
			return fmt.Errorf("fakeslack: timed out after %v waiting for %s", timeout, what)
		}
	}
}

// nextSeqLocked returns a fresh sequence number. s.mu must be held.
func (s *Server) nextSeqLocked() int {
	s.seq++
	return s.seq
}

// newID returns a random UUID-v4-shaped string, like Slack's envelope ids.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ---------------------------------------------------------------- Web API

// Call is one recorded Web API request.
type Call struct {
	Method string          // e.g. "chat.postMessage"
	Token  string          // bearer token from the Authorization header, or the form "token" field
	Form   url.Values      // form-encoded parameters incl. the query and "token" (empty for JSON bodies)
	JSON   json.RawMessage // JSON body, when the request was application/json (nil if the body was empty)
	At     time.Time
}

// Param returns the call's parameter name: the form value, or, for a JSON
// body, the top-level field (strings as is, other values as JSON text).
func (c Call) Param(name string) string {
	if v := c.Form.Get(name); v != "" {
		return v
	}
	if len(c.JSON) == 0 {
		return ""
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(c.JSON, &m) != nil {
		return ""
	}
	raw, ok := m[name]
	if !ok {
		return ""
	}
	var str string
	if json.Unmarshal(raw, &str) == nil {
		return str
	}
	return string(raw)
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// HTTPError, returned from a Handle func, makes the fake answer with this
// status, headers and body instead of JSON, e.g.
// &HTTPError{Status: 429, Header: http.Header{"Retry-After": {"1"}}}.
type HTTPError struct {
	Status int
	Header http.Header
	Body   string
}

func (e *HTTPError) Error() string { return fmt.Sprintf("fakeslack: HTTP %d", e.Status) }

// Calls returns a copy of the recorded calls of method (all methods if method == "").
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsLocked(method)
}

func (s *Server) callsLocked(method string) []Call {
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			c.Form = cloneValues(c.Form)
			c.JSON = append(json.RawMessage(nil), c.JSON...)
			out = append(out, c)
		}
	}
	return out
}

// WaitCalls waits until at least n calls of method (any method if "") were
// recorded and returns all of them; error on timeout.
func (s *Server) WaitCalls(method string, n int, timeout time.Duration) ([]Call, error) {
	var out []Call
	err := s.waitFor(timeout, fmt.Sprintf("%d %q calls", n, method), func() bool {
		out = s.callsLocked(method)
		return len(out) >= n
	})
	if err != nil {
		return out, fmt.Errorf("%w (got %d)", err, len(out))
	}
	return out, nil
}

// Handle overrides the response of a Web API method. fn runs (outside any
// lock, so it may call the Server) for calls that passed the token check; its
// result is JSON-encoded, except that nil means "the default response" and an
// *HTTPError sends that status, headers and body (e.g. 429 with Retry-After).
// Handle(method, nil) removes the override. fn must not block forever: Close
// waits for running requests.
func (s *Server) Handle(method string, fn func(Call) any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if fn == nil {
		delete(s.handlers, method)
		return
	}
	s.handlers[method] = fn
}

// SetUser registers a user for users.info (id, name, IANA tz like
// "Europe/Warsaw"; tz_offset and tz_label are computed at the time of the
// call). An unknown tz fails the test and falls back to UTC.
func (s *Server) SetUser(id, name, tz string) {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		s.tb.Errorf("fakeslack: SetUser(%q): %v", id, err)
		loc = time.UTC
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = fakeUser{id: id, name: name, tz: tz, loc: loc}
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	c := Call{Method: method, Form: url.Values{}, At: time.Now()}
	ctype, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ctype {
	case "application/json":
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if len(strings.TrimSpace(string(body))) > 0 {
			c.JSON = json.RawMessage(body)
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.Form = r.Form
	default:
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.Form = r.Form
	}
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		c.Token = strings.TrimPrefix(auth, "Bearer ")
	} else {
		c.Token = c.Form.Get("token")
	}

	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.notifyLocked()
	fn := s.handlers[method]
	s.mu.Unlock()

	want := BotToken
	if method == "apps.connections.open" {
		want = AppToken
	}
	var resp any
	switch {
	case c.Token != want:
		resp = map[string]any{"ok": false, "error": "invalid_auth"}
	case fn != nil:
		own := c // the handler may keep or modify its copy
		own.Form = cloneValues(c.Form)
		own.JSON = append(json.RawMessage(nil), c.JSON...)
		resp = fn(own)
	}
	if resp == nil {
		resp = s.defaultResponse(c)
	}

	if he, ok := resp.(*HTTPError); ok {
		for k, v := range he.Header {
			w.Header()[k] = v
		}
		status := he.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, he.Body)
		return
	}
	body, err := json.Marshal(resp)
	if err != nil {
		http.Error(w, "fakeslack: encoding response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(body)
}

// defaultResponse is the canned answer for an authenticated call.
func (s *Server) defaultResponse(c Call) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok := map[string]any{"ok": true}
	switch c.Method {
	case "auth.test":
		return map[string]any{
			"ok": true, "url": "https://acme.slack.com/", "team": "acme", "user": "goalbot",
			"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID,
		}
	case "apps.connections.open":
		host := strings.TrimPrefix(s.hs.URL, "http://")
		ticket := fmt.Sprintf("%s-%d", randHex(8), s.nextSeqLocked())
		return map[string]any{"ok": true, "url": "ws://" + host + "/link/?ticket=" + ticket}
	case "chat.postMessage", "chat.update", "chat.postEphemeral", "chat.meMessage":
		ts := c.Param("ts")
		if c.Method != "chat.update" || ts == "" {
			ts = s.newTSLocked()
		}
		if c.Method == "chat.postEphemeral" {
			return map[string]any{"ok": true, "message_ts": ts}
		}
		return map[string]any{
			"ok": true, "channel": c.Param("channel"), "ts": ts, "text": c.Param("text"),
			"message": map[string]any{
				"type": "message", "user": BotUserID, "bot_id": BotID,
				"text": c.Param("text"), "ts": ts,
			},
		}
	case "conversations.open":
		id := c.Param("channel")
		if id == "" {
			users := strings.Split(c.Param("users"), ",")
			if len(users) == 1 {
				id = "D" + users[0]
			} else {
				id = "G" + strings.Join(users, "")
			}
		}
		return map[string]any{"ok": true, "channel": map[string]any{"id": id}}
	case "files.getUploadURLExternal", "files.completeUploadExternal":
		return s.uploadResponseLocked(c)
	case "users.info":
		u, found := s.users[c.Param("user")]
		if !found {
			return map[string]any{"ok": false, "error": "user_not_found"}
		}
		label, offset := time.Now().In(u.loc).Zone()
		return map[string]any{"ok": true, "user": map[string]any{
			"id": u.id, "team_id": TeamID, "name": u.name, "real_name": u.name,
			"tz": u.tz, "tz_label": label, "tz_offset": offset, "locale": "en-US",
			"is_bot": false, "deleted": false,
			"profile": map[string]any{"real_name": u.name, "display_name": u.name},
		}}
	case "views.open", "views.publish", "views.update", "views.push":
		id := c.Param("view_id")
		if id == "" {
			id = fmt.Sprintf("V%08d", s.nextSeqLocked())
		}
		view := map[string]any{"id": id, "team_id": TeamID, "app_id": AppID, "bot_id": BotID,
			"hash": fmt.Sprintf("%d.%s", tsBase, randHex(4))}
		var req struct {
			View struct {
				Type       string `json:"type"`
				CallbackID string `json:"callback_id"`
			} `json:"view"`
		}
		if json.Unmarshal(c.JSON, &req) == nil {
			view["type"] = req.View.Type
			view["callback_id"] = req.View.CallbackID
		}
		return map[string]any{"ok": true, "view": view}
	}
	return ok
}

// newTSLocked returns a fresh, increasing message timestamp like
// "1764150000.000100". s.mu must be held.
func (s *Server) newTSLocked() string {
	micro := s.nextSeqLocked() * 100
	return fmt.Sprintf("%d.%06d", tsBase+micro/1e6, micro%1e6)
}

// ---------------------------------------------------------------- response_url

// ResponsePost is a JSON body the app posted to a response_url.
type ResponsePost struct {
	URL  string          // the full response_url
	Body json.RawMessage // the posted body
	At   time.Time
}

func (s *Server) serveResponse(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p := ResponsePost{URL: s.hs.URL + r.URL.Path, Body: json.RawMessage(body), At: time.Now()}
	s.mu.Lock()
	s.responses = append(s.responses, p)
	s.notifyLocked()
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ok")
}

// Responses returns a copy of everything posted to response_urls so far.
func (s *Server) Responses() []ResponsePost {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ResponsePost(nil), s.responses...)
}

// WaitResponse waits for the first post to responseURL and returns it.
func (s *Server) WaitResponse(responseURL string, timeout time.Duration) (ResponsePost, error) {
	var got ResponsePost
	err := s.waitFor(timeout, "a post to "+responseURL, func() bool {
		for _, p := range s.responses {
			if p.URL == responseURL {
				got = p
				return true
			}
		}
		return false
	})
	return got, err
}

// ---------------------------------------------------------------- errors

var errNoConn = errors.New("fakeslack: no open socket connection")
