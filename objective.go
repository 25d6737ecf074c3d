package goalbot

import (
	"strconv"
	"strings"
	"time"
)

// Framework is the goal framework of an objective.
type Framework string

// The supported frameworks. OKRs are stretch goals graded 0.0-1.0; SMART
// goals are committed goals achieved only at 100% by their due date.
const (
	FrameworkOKR   Framework = "okr"
	FrameworkSMART Framework = "smart"
)

// ParseFramework returns the framework named by s, or EINVALID.
func ParseFramework(s string) (Framework, error) {
	switch f := Framework(strings.ToLower(s)); f {
	case FrameworkOKR, FrameworkSMART:
		return f, nil
	}
	return "", Errorf(EINVALID, "Unknown framework %q: use okr or smart.", s)
}

// State is where an objective is in its lifecycle.
type State string

// Objective states. A closed objective has a score; an archived one is
// kept for the record and hidden from lists.
const (
	StateActive   State = "active"
	StateClosed   State = "closed"
	StateArchived State = "archived"
)

// Objective is a goal of a workspace, numbered 1, 2, 3... within it.
type Objective struct {
	TeamID    string
	Number    int
	Title     string
	OwnerID   string
	ChannelID string // "" when the objective has no channel
	Framework Framework
	GoalType  string // one of GoalTypes, or ""
	// Aim links the objective to a business aim (SMART's "Relevant").
	Aim       string
	Start     Date
	Due       Date
	State     State
	CreatedBy string
	CreatedAt time.Time

	// Score is the grade given on close (0..1); Scored is false until then.
	Score     float64
	Scored    bool
	CloseNote string

	// KeyResults are loaded with the objective, ordered by number;
	// Milestones by date.
	KeyResults []*KeyResult
	Milestones []Milestone

	// Request, when set, names the request that creates the objective (a
	// modal submission): a second objective with it is refused with
	// ErrRepeated.
	Request string
}

// Active refuses changes to a closed or archived objective with ECONFLICT:
// it must be reopened first.
func (o *Objective) Active() error {
	if o.State != StateActive {
		return Errorf(ECONFLICT, "Objective %d is %s; reopen it first.", o.Number, o.State)
	}
	return nil
}

// KeyResult returns key result number n of o, or nil.
func (o *Objective) KeyResult(n int) *KeyResult {
	for _, kr := range o.KeyResults {
		if kr.Ref.Number == n {
			return kr
		}
	}
	return nil
}

// Progress returns the objective's progress in 0..1: the weighted mean of its
// key results' clamped progress. Key results whose baseline is pending are
// left out until their first check-in; an objective without any other key
// result is at 0.
func (o *Objective) Progress() float64 {
	var sum, weights float64
	for _, kr := range o.KeyResults {
		if kr.Pending {
			continue
		}
		sum += kr.Weight * Clamp01(kr.Progress())
		weights += kr.Weight
	}
	if weights == 0 {
		return 0
	}
	return sum / weights
}

// ObjectiveFilter selects active objectives of one workspace for listing.
// With both UserID and ChannelID set, an objective matching either is listed;
// with neither, every objective of the workspace is.
type ObjectiveFilter struct {
	// UserID matches objectives the user owns or holds a key result of.
	UserID string
	// ChannelID matches objectives whose channel it is.
	ChannelID string
}

// ParseObjectiveNumber parses an objective reference such as "3" or "#3".
func ParseObjectiveNumber(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(s, "#"))
	if err != nil || n <= 0 || strings.HasPrefix(s, "#+") || strings.HasPrefix(s, "+") {
		return 0, false
	}
	return n, true
}

// GoalTypes are the ten classic social-media goal types an objective may be
// tagged with (type:GOALTYPE).
var GoalTypes = []string{
	"brand-awareness",
	"reputation",
	"community-engagement",
	"conversions",
	"customer-insight",
	"leads",
	"customer-service",
	"recruiting",
	"crisis-management",
	"internal-communication",
}

// ParseGoalType returns the goal type named by s, or EINVALID listing them.
func ParseGoalType(s string) (string, error) {
	for _, t := range GoalTypes {
		if strings.EqualFold(s, t) {
			return t, nil
		}
	}
	return "", Errorf(EINVALID, "Unknown goal type %q: use one of %s.", s, strings.Join(GoalTypes, ", "))
}
