package fakeslack

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// wsConn is one accepted Socket Mode connection.
type wsConn struct {
	c    *websocket.Conn
	wmu  sync.Mutex // one writer at a time (gorilla's rule)
	done chan struct{}
	once sync.Once
}

func (c *wsConn) close() {
	c.once.Do(func() {
		close(c.done)
		_ = c.c.Close() // abrupt: no close frame
	})
}

func (c *wsConn) isClosed() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// write sends one text frame. before, if not nil, runs under the write lock
// right before the frame goes out (to stamp the send time).
func (c *wsConn) write(data []byte, before func()) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.isClosed() {
		return errNoConn
	}
	if before != nil {
		before()
	}
	_ = c.c.SetWriteDeadline(time.Now().Add(writeTimeout))
	return c.c.WriteMessage(websocket.TextMessage, data)
}

var upgrader = websocket.Upgrader{
	CheckOrigin: func(*http.Request) bool { return true },
}

// helloFrame is the first frame on a new socket, as in Slack's samples.
func helloFrame() []byte {
	b, _ := json.Marshal(map[string]any{
		"type":            "hello",
		"num_connections": 1,
		"debug_info": map[string]any{
			"host": "applink-1", "build_number": 42, "approximate_connection_time": 18060,
		},
		"connection_info": map[string]any{"app_id": AppID},
	})
	return b
}

func (s *Server) serveLink(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade already replied with an error
	}
	c := &wsConn{c: ws, done: make(chan struct{})}
	// Hold the write lock until hello is out so nothing overtakes it.
	c.wmu.Lock()

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		c.wmu.Unlock()
		_ = ws.Close()
		return
	}
	old := s.cur
	s.cur = c
	s.conns++
	s.live[c] = struct{}{}
	s.wg.Add(3) // this handler's remaining work, readLoop, pingLoop
	s.notifyLocked()
	s.mu.Unlock()
	defer s.wg.Done()
	if old != nil {
		old.close()
	}

	go s.readLoop(c)
	go s.pingLoop(c)

	_ = ws.SetWriteDeadline(time.Now().Add(writeTimeout))
	err = ws.WriteMessage(websocket.TextMessage, helloFrame())
	c.wmu.Unlock()
	if err != nil {
		c.close()
		return
	}
	s.mu.Lock()
	s.helloSent(c)
	drop := s.dropHello
	s.mu.Unlock()
	if drop {
		c.close()
	}
}

// SetPings turns the WebSocket pings of new and open connections on or off
// (on by default): with them off, the app should find the connection dead.
func (s *Server) SetPings(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noPings = !on
}

// SetDropAfterHello makes every new connection close right after its hello,
// like a broken link: the app should not reconnect in a tight loop.
func (s *Server) SetDropAfterHello(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropHello = on
}

// helloSent marks c as greeted, unless it is gone already. s.mu must be held.
func (s *Server) helloSent(c *wsConn) {
	if _, ok := s.live[c]; ok {
		s.hello[c] = true
		s.notifyLocked()
	}
}

// readLoop reads frames until the connection fails and records acks.
func (s *Server) readLoop(c *wsConn) {
	defer s.wg.Done()
	defer func() {
		c.close()
		s.mu.Lock()
		delete(s.live, c)
		delete(s.hello, c)
		s.notifyLocked()
		s.mu.Unlock()
	}()
	for {
		_, data, err := c.c.ReadMessage()
		if err != nil {
			return
		}
		now := time.Now()
		var f struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(data, &f) != nil || f.EnvelopeID == "" {
			continue
		}
		a := Ack{EnvelopeID: f.EnvelopeID}
		if len(f.Payload) > 0 && string(f.Payload) != "null" {
			a.Payload = append(json.RawMessage(nil), f.Payload...)
		}
		s.mu.Lock()
		if at, ok := s.sentAt[f.EnvelopeID]; ok {
			a.Latency = now.Sub(at)
		}
		if _, ok := s.firstAck[a.EnvelopeID]; !ok {
			s.firstAck[a.EnvelopeID] = len(s.acks)
		}
		s.acks = append(s.acks, a)
		s.notifyLocked()
		s.mu.Unlock()
	}
}

// pingLoop pings c right away and then every pingInterval until it closes.
func (s *Server) pingLoop(c *wsConn) {
	defer s.wg.Done()
	t := time.NewTicker(pingInterval)
	defer t.Stop()
	for {
		s.mu.Lock()
		quiet := s.noPings
		s.mu.Unlock()
		if !quiet {
			c.wmu.Lock()
			err := c.c.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeTimeout))
			c.wmu.Unlock()
			if err != nil {
				c.close()
				return
			}
		}
		select {
		case <-c.done:
			return
		case <-t.C:
		}
	}
}

// Connections returns how many WebSocket connections have been accepted so far.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// WaitConnections waits until at least n connections have been accepted AND
// the latest one is open and has been sent its hello frame.
func (s *Server) WaitConnections(n int, timeout time.Duration) error {
	return s.waitFor(timeout, fmt.Sprintf("socket connection #%d and its hello", n), func() bool {
		return s.conns >= n && s.cur != nil && s.hello[s.cur]
	})
}

// current returns the open current connection.
func (s *Server) current() (*wsConn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil || s.cur.isClosed() {
		return nil, errNoConn
	}
	return s.cur, nil
}

// Send writes a raw frame to the current socket connection. json.RawMessage
// and []byte are sent verbatim (even if not valid JSON); anything else is
// JSON-encoded. If the frame has an "envelope_id", its send time is noted so
// WaitAck reports latency.
func (s *Server) Send(frame any) error {
	var data []byte
	switch f := frame.(type) {
	case json.RawMessage:
		data = f
	case []byte:
		data = f
	default:
		var err error
		if data, err = json.Marshal(frame); err != nil {
			return fmt.Errorf("fakeslack: encoding frame: %w", err)
		}
	}
	var env struct {
		EnvelopeID string `json:"envelope_id"`
	}
	_ = json.Unmarshal(data, &env)
	return s.sendData(data, env.EnvelopeID)
}

func (s *Server) sendData(data []byte, envelopeID string) error {
	c, err := s.current()
	if err != nil {
		return err
	}
	if envelopeID != "" {
		s.mu.Lock()
		s.frames[envelopeID] = data
		s.mu.Unlock()
	}
	return c.write(data, func() {
		if envelopeID == "" {
			return
		}
		s.mu.Lock()
		s.sentAt[envelopeID] = time.Now()
		s.mu.Unlock()
	})
}

// Resend writes the frame of envelopeID again, as Slack redelivers an
// envelope it saw no ack for (on the current connection, which may be a
// new one). Its next ack is what WaitAck then reports only if the first
// was not read yet: use Acks to see both.
func (s *Server) Resend(envelopeID string) error {
	s.mu.Lock()
	data, ok := s.frames[envelopeID]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("fakeslack: no envelope %s was sent", envelopeID)
	}
	return s.sendData(data, envelopeID)
}

// SlashCommand is what the test fills in; zero fields get defaults (team
// TeamID, user DefaultUserID, channel DefaultChannelID, command
// DefaultCommand, trigger_id generated; user_name is the SetUser name, else
// "alice" for the default user, else the lower-cased user id). Text is sent
// as is: escape it the way Slack would ("&amp;", "<@U…|name>").
type SlashCommand struct {
	TeamID, ChannelID, UserID, UserName, Command, Text, TriggerID string
}

// SendSlashCommand sends a slash_commands envelope (accepts_response_payload
// true) with a fresh envelope_id and a response_url that points back at this
// fake (http://127.0.0.1:PORT/response/<id>); returns the envelope id and the
// response_url.
func (s *Server) SendSlashCommand(c SlashCommand) (envelopeID, responseURL string, err error) {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&c.TeamID, TeamID)
	def(&c.UserID, DefaultUserID)
	def(&c.ChannelID, DefaultChannelID)
	def(&c.Command, DefaultCommand)
	def(&c.TriggerID, fmt.Sprintf("%d.111222333.%s", time.Now().Unix(), randHex(16)))
	if c.UserName == "" {
		s.mu.Lock()
		u, ok := s.users[c.UserID]
		s.mu.Unlock()
		switch {
		case ok:
			c.UserName = u.name
		case c.UserID == DefaultUserID:
			c.UserName = DefaultUserName
		default:
			c.UserName = strings.ToLower(c.UserID)
		}
	}
	channelName := strings.ToLower(c.ChannelID)
	switch {
	case c.ChannelID == DefaultChannelID:
		channelName = "marketing"
	case strings.HasPrefix(c.ChannelID, "D"):
		channelName = "directmessage"
	}

	envelopeID = newID()
	responseURL = s.hs.URL + "/response/" + envelopeID
	payload := map[string]any{
		"token":                 "deprecated-verification-token",
		"team_id":               c.TeamID,
		"team_domain":           "acme",
		"channel_id":            c.ChannelID,
		"channel_name":          channelName,
		"user_id":               c.UserID,
		"user_name":             c.UserName,
		"command":               c.Command,
		"text":                  c.Text,
		"api_app_id":            AppID,
		"is_enterprise_install": "false",
		"response_url":          responseURL,
		"trigger_id":            c.TriggerID,
	}
	if err := s.sendEnvelope(envelopeID, "slash_commands", payload, true); err != nil {
		return "", "", err
	}
	return envelopeID, responseURL, nil
}

// SendEnvelope wraps payload in an envelope of the given type ("events_api",
// "interactive", ...) with a fresh envelope_id and sends it; returns the id.
// events_api envelopes also get retry_attempt 0 and an empty retry_reason.
func (s *Server) SendEnvelope(typ string, payload any, acceptsResponsePayload bool) (string, error) {
	id := newID()
	if err := s.sendEnvelope(id, typ, payload, acceptsResponsePayload); err != nil {
		return "", err
	}
	return id, nil
}

func (s *Server) sendEnvelope(id, typ string, payload any, accepts bool) error {
	env := map[string]any{
		"envelope_id":              id,
		"type":                     typ,
		"accepts_response_payload": accepts,
		"payload":                  payload,
	}
	if typ == "events_api" {
		env["retry_attempt"] = 0
		env["retry_reason"] = ""
	}
	data, err := json.Marshal(env)
	if err != nil {
		return fmt.Errorf("fakeslack: encoding envelope: %w", err)
	}
	return s.sendData(data, id)
}

// Ack is an acknowledgement the app sent over the socket.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage // nil when the ack had no payload
	Latency    time.Duration   // from when the envelope was written to when the ack was read (0 if the fake never sent it)
}

// WaitAck waits for the (first) ack of envelopeID.
func (s *Server) WaitAck(envelopeID string, timeout time.Duration) (Ack, error) {
	var got Ack
	err := s.waitFor(timeout, "the ack of envelope "+envelopeID, func() bool {
		// Looked up, not scanned: every ack wakes every waiter, and the
		// load benchmark has 50 waiters and thousands of acks.
		i, ok := s.firstAck[envelopeID]
		if ok {
			got = s.acks[i]
		}
		return ok
	})
	return got, err
}

// Acks returns a copy of every ack received so far, in arrival order (an
// envelope acked twice appears twice).
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ack(nil), s.acks...)
}

// Disconnect sends {"type":"disconnect","reason":reason,...} on the current
// connection (Slack's refresh request: "refresh_requested", "warning",
// "link_disabled"); the app is expected to reconnect. The fake leaves the
// old socket open until the app closes it or a new connection replaces it.
func (s *Server) Disconnect(reason string) error {
	return s.Send(map[string]any{
		"type":       "disconnect",
		"reason":     reason,
		"debug_info": map[string]any{"host": "applink-1"},
	})
}

// DropConnection closes the current socket abruptly without a disconnect
// frame. It is a no-op without an open connection.
func (s *Server) DropConnection() {
	if c, err := s.current(); err == nil {
		c.close()
	}
}
