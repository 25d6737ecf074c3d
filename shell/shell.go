// Package shell is goalbot's local console: the same commands against the
// same storage, with no Slack. It reads one command per line and prints each
// reply as plain text followed by one empty line. Meta-commands (:user,
// :channel, :now, :tick, :quit) change who acts, where and when.
package shell

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
)

// Clock is the shell's clock: the real clock until :now sets it, then
// standing still at the time set until the next :now. It is safe for
// concurrent use.
type Clock struct {
	mu    sync.Mutex
	real  goalbot.Clock
	fixed time.Time
}

// NewClock returns a Clock that follows real until Set.
func NewClock(real goalbot.Clock) *Clock { return &Clock{real: real} }

// Now returns the current time of the shell.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fixed.IsZero() {
		return c.real.Now()
	}
	return c.fixed
}

// Set stops the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fixed = t
}

// Shell runs commands read from In and writes replies to Out.
type Shell struct {
	Exec  *commands.Executor
	Clock *Clock
	In    io.Reader
	Out   io.Writer
	// Prompt prints a prompt before each line (on a terminal).
	Prompt bool
	Log    *slog.Logger

	TeamID    string
	UserID    string
	ChannelID string
	// Zone is the time zone of users not given one with :user.
	Zone *time.Location
	// Dispatch runs the schedule on :tick; its Sender should be this Shell.
	Dispatch *commands.Dispatcher
	// Dir is where files that replies carry (exports) are written; "" is
	// the working directory. An existing file is never overwritten.
	Dir string

	zones   map[string]*time.Location
	outbox  []string // messages :tick sends, printed after the tick
	sentSeq int
}

// Send implements commands.Sender: it keeps the message to print after the
// tick, first line "-> DM <user>" or "-> <channel>".
func (s *Shell) Send(_ context.Context, d goalbot.Delivery, r commands.Reply) (string, error) {
	to := "-> " + d.Channel
	if d.User != "" {
		to = "-> DM " + d.User
	}
	s.outbox = append(s.outbox, to+"\n"+r.PlainText())
	s.sentSeq++
	return fmt.Sprintf("shell.%d", s.sentSeq), nil
}

// UserZone returns the zone of a user given with :user, else the default.
func (s *Shell) UserZone(_ context.Context, _ string, user string) *time.Location {
	return s.zone(user)
}

// Run reads and runs lines until :quit or the end of input.
func (s *Shell) Run(ctx context.Context) error {
	if s.zones == nil {
		s.zones = map[string]*time.Location{}
	}
	if s.Zone == nil {
		s.Zone = time.UTC
	}
	rd := bufio.NewReader(s.In)
	for {
		if s.Prompt {
			fmt.Fprint(s.Out, "goal> ")
		}
		raw, tooLong, err := readLine(rd, MaxLine)
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if tooLong {
			if _, err := fmt.Fprintf(s.Out, "That line is longer than %d bytes; nothing was run.\n\n", MaxLine); err != nil {
				return err
			}
			continue
		}
		lineText := strings.TrimSpace(raw)
		if lineText == "" {
			continue
		}
		if lineText == ":quit" {
			return nil
		}
		var out string
		if strings.HasPrefix(lineText, ":") {
			out = s.meta(lineText)
		} else {
			out = s.command(ctx, lineText)
		}
		// One write per reply, so a reader sees each reply whole and at once.
		if _, err := io.WriteString(s.Out, out+"\n\n"); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return nil
		}
	}
}

// MaxLine is the longest input line the shell runs, in bytes. Slack limits
// slash-command text to a few thousand characters; this is far above that.
const MaxLine = 64 * 1024

// readLine reads one line without its line ending. A line longer than limit
// is read to its end and reported as too long, without its text.
func readLine(rd *bufio.Reader, limit int) (line string, tooLong bool, err error) {
	var b []byte
	for {
		chunk, more, err := rd.ReadLine()
		if err != nil {
			return "", false, err
		}
		if !tooLong {
			b = append(b, chunk...)
			if len(b) > limit {
				tooLong, b = true, nil
			}
		}
		if !more {
			return string(b), tooLong, nil
		}
	}
}

// command runs a /goal command line.
func (s *Shell) command(ctx context.Context, text string) string {
	if strings.HasPrefix(text, "/") {
		_, text, _ = strings.Cut(text, " ")
	}
	// Slack escapes &, < and > before the bot sees the text; do the same so
	// the parser gets what it would get from Slack.
	text = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(text)
	inv := commands.Invocation{TeamID: s.TeamID, UserID: s.UserID, ChannelID: s.ChannelID, Location: s.zone(s.UserID)}
	reply, err := s.Exec.Run(ctx, inv, text)
	if err != nil && s.Log != nil {
		s.Log.Error("command failed", "user", s.UserID, "err", err)
	}
	if reply.File == nil {
		return reply.PlainText()
	}
	path, err := s.writeFile(reply.File)
	if err != nil {
		// The reply says "Exported ... to <name>."; that did not happen.
		return "Could not write " + reply.File.Name + ": " + err.Error() + "\nNothing was exported."
	}
	return fmt.Sprintf("%s\nWrote %s (%d bytes).", reply.PlainText(), path, len(reply.File.Content))
}

// maxSuffix bounds the -1, -2... suffixes writeFile tries.
const maxSuffix = 1000

// writeFile writes f into s.Dir under its name, or, when a file of that
// name exists, under the first free name-1.ext, name-2.ext...: it never
// overwrites. It returns the path written.
func (s *Shell) writeFile(f *commands.File) (string, error) {
	dir := s.Dir
	if dir == "" {
		dir = "."
	}
	// The name comes from the command layer; still, never leave dir.
	name := filepath.Base(f.Name)
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 0; i <= maxSuffix; i++ {
		path := filepath.Join(dir, name)
		if i > 0 {
			path = filepath.Join(dir, fmt.Sprintf("%s-%d%s", stem, i, ext))
		}
		file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		} else if err != nil {
			return "", err
		}
		if _, err := file.Write(f.Content); err != nil {
			file.Close()
			os.Remove(path)
			return "", err
		}
		if err := file.Close(); err != nil {
			os.Remove(path)
			return "", err
		}
		return path, nil
	}
	return "", fmt.Errorf("%s and %d numbered copies exist already", name, maxSuffix)
}

// tick runs the dispatcher at the shell's clock and returns what it sent.
func (s *Shell) tick() string {
	if s.Dispatch == nil {
		return "(nothing due)"
	}
	s.outbox = nil
	rep, err := s.Dispatch.Tick(context.Background())
	if err != nil {
		if s.Log != nil {
			s.Log.Error("tick failed", "err", err)
		}
		return "tick failed: " + err.Error()
	}
	for _, e := range rep.Errors {
		if s.Log != nil {
			s.Log.Error("scheduled job failed", "err", e)
		}
	}
	out := s.outbox
	for _, d := range rep.Skipped {
		out = append(out, fmt.Sprintf("(skipped %s: %s)", d.Key, d.Error))
	}
	if len(out) == 0 {
		return "(nothing due)"
	}
	return strings.Join(out, "\n\n")
}

func (s *Shell) zone(user string) *time.Location {
	if z, ok := s.zones[user]; ok {
		return z
	}
	return s.Zone
}

// meta runs a shell meta-command and returns what to print.
func (s *Shell) meta(text string) string {
	fields := strings.Fields(text)
	switch fields[0] {
	case ":user":
		if len(fields) < 2 || len(fields) > 3 {
			return "usage: :user ID [IANA-TZ]"
		}
		if len(fields) == 3 {
			loc, err := time.LoadLocation(fields[2])
			if err != nil || fields[2] == "" || fields[2] == "Local" {
				return fmt.Sprintf("unknown time zone %q (use an IANA name such as Europe/Warsaw)", fields[2])
			}
			s.zones[fields[1]] = loc
		}
		s.UserID = fields[1]
		return fmt.Sprintf("user %s (%s)", s.UserID, s.zone(s.UserID))
	case ":channel":
		if len(fields) != 2 {
			return "usage: :channel ID"
		}
		s.ChannelID = fields[1]
		return "channel " + s.ChannelID
	case ":now":
		if len(fields) != 2 {
			return "usage: :now RFC3339-TIME or :now +DURATION"
		}
		if d, ok := strings.CutPrefix(fields[1], "+"); ok {
			dur, err := time.ParseDuration(d)
			if err != nil || dur < 0 {
				return fmt.Sprintf("bad duration %q (use e.g. +24h or +90m)", fields[1])
			}
			s.Clock.Set(s.Clock.Now().Add(dur))
		} else {
			t, err := time.Parse(time.RFC3339, fields[1])
			if err != nil {
				return fmt.Sprintf("bad time %q (use RFC 3339, e.g. 2026-11-26T10:00:00Z)", fields[1])
			}
			s.Clock.Set(t)
		}
		return "now " + s.Clock.Now().Format(time.RFC3339)
	case ":tick":
		return s.tick()
	}
	return fmt.Sprintf("unknown meta-command %s (try :user, :channel, :now, :tick, :quit)", fields[0])
}
