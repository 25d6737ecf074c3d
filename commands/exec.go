// Package commands is goalbot's application layer: it parses command text
// into commands (one table drives the parser and help), runs them against a
// Store with an injected clock, and returns neutral replies that the Slack
// bot renders to Block Kit and the shell to plain text. It knows nothing of
// Slack, SQL or logging.
package commands

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/goalbot/goalbot"
)

// Store is what commands need from storage. Methods return *goalbot.Error
// with ENOTFOUND for unknown IDs.
type Store interface {
	CreateObjective(ctx context.Context, o *goalbot.Objective) error
	FindObjective(ctx context.Context, team string, number int) (*goalbot.Objective, error)
	ListObjectives(ctx context.Context, team string, f goalbot.ObjectiveFilter) ([]*goalbot.Objective, error)
	// CreateKeyResult and RecordCheckIn call check inside the write
	// transaction, before writing; its error aborts.
	CreateKeyResult(ctx context.Context, kr *goalbot.KeyResult, check func(o *goalbot.Objective) error) error
	FindKeyResult(ctx context.Context, team string, ref goalbot.KRRef) (*goalbot.Objective, *goalbot.KeyResult, error)
	RecordCheckIn(ctx context.Context, c *goalbot.CheckIn, check func(o *goalbot.Objective, kr *goalbot.KeyResult) error) (current bool, err error)
	ListCheckIns(ctx context.Context, team string, ref goalbot.KRRef, limit int) ([]goalbot.CheckIn, error)
	PacePoints(ctx context.Context, team string, refs []goalbot.KRRef, since goalbot.Date, limit int) (map[goalbot.KRRef][]goalbot.Point, error)
	// UpdateObjective loads the objective in a write transaction, lets fn
	// change it (or refuse with an error) and saves and records what changed.
	UpdateObjective(ctx context.Context, team string, number int, user string,
		fn func(o *goalbot.Objective) error) (*goalbot.Objective, []goalbot.Change, error)
	DeleteObjective(ctx context.Context, team string, number int, user string, check func(o *goalbot.Objective) error) error
	DeleteKeyResult(ctx context.Context, team string, ref goalbot.KRRef, user string,
		check func(o *goalbot.Objective, kr *goalbot.KeyResult) error) error
	AddMilestone(ctx context.Context, m *goalbot.Milestone, check func(o *goalbot.Objective) error) error
	ListChanges(ctx context.Context, team string, objective, kr, limit int) ([]goalbot.Change, error)
	// ValuesAsOf and CheckInCounts feed the digest.
	ValuesAsOf(ctx context.Context, team string, date goalbot.Date) (map[goalbot.KRRef]float64, error)
	CheckInCounts(ctx context.Context, team string, since time.Time) (map[string]int, error)
	// SaveJob and FindJob keep the schedule; FindJob returns ENOTFOUND.
	SaveJob(ctx context.Context, jobs ...*goalbot.Job) error
	FindJob(ctx context.Context, team string, kind goalbot.JobKind, target string) (*goalbot.Job, error)
	// Export reads the whole workspace for /goal export.
	Export(ctx context.Context, team string) (goalbot.Export, error)
}

// Executor runs commands. It is safe for concurrent use.
type Executor struct {
	Store Store
	Clock goalbot.Clock
	// Admins may change any objective and check in on any key result.
	Admins []string
	// AchievableMultiple is how many times its actual pace a SMART goal may
	// require and still count as achievable (default
	// goalbot.DefaultAchievableMultiple).
	AchievableMultiple float64
	// Zone is the workspace's time zone: the default of digests and of
	// users whose zone is unknown. Nil means UTC.
	Zone *time.Location
	// Announce posts an announcement on behalf of the bot. digest here
	// uses it (with Wait) to confirm in the channel, which also proves the
	// bot may post there; its error (such as "not in the channel", with how
	// to invite the bot) is the caller's reply. Nil (the shell) skips it.
	Announce func(ctx context.Context, a Announcement) error
	// OnCheckIn, when set, is called after each check-in is recorded (the
	// bot counts them for /metrics).
	OnCheckIn func()
	// PlainNames lets @name and #name stand for the user and channel IDs
	// "name": the shell has no Slack directory. In Slack, a plain @name is
	// a name Slack could not link, and is refused.
	PlainNames bool
}

// ErrNotInChannel is what Announce returns (wrapped) when the bot may not
// post in the channel: it has not been invited.
var ErrNotInChannel = errors.New("the bot is not in the channel")

// Announcement is a short message for a channel about a change a user made.
type Announcement struct {
	Team, User, Channel string
	Reply               Reply
	// Wait says the caller needs the outcome (digest here). Otherwise the
	// bot may post it later, in the channel's turn, and tell User by
	// NotAnnounced if it fails then.
	Wait bool
}

// announce posts r to channel when the executor can announce. It returns
// nothing when that worked (or there is nowhere to announce, or it will be
// posted in the channel's turn), else a hint for the caller's reply: the
// change is made either way.
func (c *call) announce(channel string, r Reply) Text {
	if c.x.Announce == nil || channel == "" {
		return nil
	}
	err := c.x.Announce(c.ctx, Announcement{Team: c.inv.TeamID, User: c.inv.UserID, Channel: channel, Reply: r})
	if err == nil {
		return nil
	}
	return NotAnnounced(channel, err)
}

// ErrChannelBusy is what an announcement fails with when too many are
// already waiting for the channel's turn.
var ErrChannelBusy = errors.New("too many announcements are waiting for the channel")

// NotAnnounced tells the user why an announcement in channel failed with
// err: how to invite the bot, that the channel is busy, or that Slack did
// not take it.
func NotAnnounced(channel string, err error) Text {
	switch {
	case errors.Is(err, ErrNotInChannel):
		return line(plain("📣 Not announced in "), channelRef(channel), plain(": I'm not in that channel. Invite me there with /invite @goalbot."))
	case errors.Is(err, ErrChannelBusy):
		return line(plain("📣 Not announced in "), channelRef(channel), plain(": too many announcements are already waiting for that channel (Slack takes one a second)."))
	}
	return line(plain("📣 Not announced in "), channelRef(channel), plain(": Slack did not take the message."))
}

// Invocation is who runs a command, and where.
type Invocation struct {
	TeamID    string
	UserID    string
	ChannelID string
	// Location is the caller's time zone; calendar dates are in it. Nil means UTC.
	Location *time.Location
	// Request identifies this delivery (a Slack envelope or modal
	// submission): a command that creates something (an objective, key
	// result, milestone or check-in) delivered twice with the same Request
	// creates it once; the repeat is answered Reply.Repeated. Empty: no
	// such guard (the shell).
	Request string
	// Forms says the caller can be shown a form (Slack, with a trigger to
	// open a modal): then /goal new without a title and /goal update <kr>
	// without a value, and the Update button, answer with Reply.Form.
	Forms bool
}

// call is the state of one command run.
type call struct {
	ctx   context.Context
	x     *Executor
	inv   Invocation
	today goalbot.Date
}

// Run parses and runs text for inv and returns the reply to show the caller.
// Failures become replies too: a one-line reason, plus the usage when the
// input was invalid. The returned error is non-nil only for internal errors,
// which the reply reports with a reference the caller can quote and the log
// should record next to the error.
func (x *Executor) Run(ctx context.Context, inv Invocation, text string) (Reply, error) {
	c := x.newCall(ctx, inv)
	cmd, err := Parse(text, c.today)
	if err != nil {
		if inv.Forms {
			if r, ok, err := c.openForm(text); ok {
				return r, err
			}
		}
		return errorReply(err)
	}
	r, err := cmd.run(c)
	if errors.Is(err, goalbot.ErrRepeated) {
		return repeatedReply(), nil
	}
	if err != nil {
		return errorReply(err)
	}
	if s := lookup(cmd.Name()); s != nil && s.changesGoals && !r.Failed {
		r.GoalsChanged = true
	}
	return r, nil
}

func (x *Executor) newCall(ctx context.Context, inv Invocation) *call {
	if inv.Location == nil {
		inv.Location = time.UTC
	}
	return &call{ctx: ctx, x: x, inv: inv, today: goalbot.DateOf(x.Clock.Now().In(inv.Location))}
}

// errorReply maps an error to the caller's reply, in one place.
func errorReply(err error) (Reply, error) {
	if goalbot.ErrorCode(err) == goalbot.EINTERNAL {
		ref := NewRef()
		return InternalErrorReply(ref), fmt.Errorf("ref %s: %w", ref, err)
	}
	r := Reply{Failed: true}
	var ref *refusal
	if errors.As(err, &ref) && ref.owner != "" {
		r.add(Section, plain(goalbot.ErrorMessage(err)+" Ask "), user(ref.owner), plain("."))
	} else {
		r.add(Section, plain(goalbot.ErrorMessage(err)))
	}
	var pe *ParseError
	if errors.As(err, &pe) && pe.Usage != "" {
		r.add(Context, plain("Usage: "), code(pe.Usage))
	}
	return r, nil
}

// repeatedReply answers a request that already took effect.
func repeatedReply() Reply {
	r := Reply{Repeated: true}
	r.add(Section, plain(goalbot.ErrorMessage(goalbot.ErrRepeated)))
	return r
}

// InternalErrorReply is the reply for a failure that is not the caller's:
// a generic sentence and a reference that the log records with the details.
func InternalErrorReply(ref string) Reply {
	r := Reply{Failed: true}
	r.add(Section, plain(fmt.Sprintf("Something went wrong on our side (ref %s). Nothing was changed unless a reply said so; please try again.", ref)))
	return r
}

// NewRef returns a short random reference that ties a generic error reply
// to its log entry.
func NewRef() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// resolveUser turns a parsed user reference into a user ID.
func (c *call) resolveUser(s *spec, u *UserRef) (string, error) {
	if u == nil {
		return c.inv.UserID, nil
	}
	if u.ID != "" {
		return u.ID, nil
	}
	if c.x.PlainNames {
		return u.Name, nil
	}
	return "", invalid(s, "Slack did not recognise @%s as a user. Pick the person from Slack's @ suggestions.", u.Name)
}

// resolveChannel turns a parsed channel reference into a channel ID.
func (c *call) resolveChannel(s *spec, ch *ChannelRef) (string, error) {
	if ch == nil {
		return "", nil
	}
	if ch.ID != "" {
		return ch.ID, nil
	}
	if c.x.PlainNames {
		return ch.Name, nil
	}
	return "", invalid(s, "Slack did not recognise #%s as a channel. Pick it from Slack's # suggestions.", ch.Name)
}
