package goalbot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// KRRef names a key result within a workspace: objective 3, key result 1 is "3.1".
type KRRef struct {
	Objective int
	Number    int
}

// String formats r as "3.1".
func (r KRRef) String() string { return fmt.Sprintf("%d.%d", r.Objective, r.Number) }

// ParseKRRef parses "3.1" or "#3.1".
func ParseKRRef(s string) (KRRef, bool) {
	o, k, ok := strings.Cut(strings.TrimPrefix(s, "#"), ".")
	if !ok {
		return KRRef{}, false
	}
	on, err1 := strconv.Atoi(o)
	kn, err2 := strconv.Atoi(k)
	if err1 != nil || err2 != nil || on <= 0 || kn <= 0 || strings.ContainsAny(s, "+-") {
		return KRRef{}, false
	}
	return KRRef{on, kn}, true
}

// Kind is how a key result is measured.
type Kind string

// Key-result kinds. A number moves from a start value to a target (up or
// down); a yes/no result is 0 until it is done (1).
const (
	KindNumber Kind = "number"
	KindYesNo  Kind = "yesno"
)

// KeyResult is a measurable result of an objective. Its current value is the
// value of its latest check-in by as-of date, or the start value before the
// first check-in.
type KeyResult struct {
	TeamID string
	Ref    KRRef
	Title  string
	Kind   Kind
	// Pending means the baseline is not known yet: the first check-in sets
	// Start. Until then Start is 0 and progress is 0.
	Pending bool
	// BaselineDate is when a pending baseline was set by the first
	// check-in (zero otherwise); expected progress counts from then.
	BaselineDate Date
	Start        float64
	Target       float64
	Unit         string
	Weight       float64 // > 0; 1 unless set
	OwnerID      string
	Due          Date // zero: the objective's due date
	CreatedBy    string
	CreatedAt    time.Time

	// Current is the latest measured value; equal to Start when CheckIns == 0.
	Current float64
	// CheckIns counts the key result's check-ins; LastAsOf is the as-of date
	// of the latest one.
	CheckIns int
	LastAsOf Date
	// LastConfidence is the confidence of the latest check-in, or -1.
	LastConfidence int
	// ValueAtDue is the value of the latest check-in measured on or before
	// the key result's due date; HasValueAtDue is false without one.
	ValueAtDue    float64
	HasValueAtDue bool

	// Request, when set, names the request that creates the key result (a
	// Slack envelope): a second key result with it is refused with
	// ErrRepeated.
	Request string
}

// Decreasing reports whether lower values are better for kr.
func (kr *KeyResult) Decreasing() bool { return !kr.Pending && kr.Target < kr.Start }

// Progress returns (current-start)/(target-start), unclamped: 1.2 means 120%
// of the way, negative means worse than the start. It works unchanged for
// lower-is-better results; a yes/no result is 0 or 1; a pending baseline is 0.
func (kr *KeyResult) Progress() float64 {
	if kr.Pending || kr.Target == kr.Start {
		return 0
	}
	return (kr.Current - kr.Start) / (kr.Target - kr.Start)
}

// Better reports whether moving from a to b is progress for kr: up for
// higher-is-better results, down for lower-is-better ones.
func (kr *KeyResult) Better(a, b float64) bool {
	if kr.Decreasing() {
		return b < a
	}
	return b > a
}

// Reached reports whether kr's current value has reached its target.
func (kr *KeyResult) Reached() bool { return !kr.Pending && kr.Progress() >= 1-1e-9 }

// ReachedByDue reports whether kr had reached its target in a measurement
// dated on or before its due date.
func (kr *KeyResult) ReachedByDue() bool {
	if kr.Pending || !kr.HasValueAtDue {
		return false
	}
	at := *kr
	at.Current = kr.ValueAtDue
	return at.Reached()
}

// Clamp01 limits p to 0..1, for bars and roll-ups.
func Clamp01(p float64) float64 {
	switch {
	case p < 0:
		return 0
	case p > 1:
		return 1
	}
	return p
}

// CheckIn is one measurement of a key result. Check-ins are append-only.
type CheckIn struct {
	TeamID     string
	KR         KRRef
	Value      float64
	Confidence int // 0-10, or -1 when not given
	Note       string
	AsOf       Date // the day the value was measured
	UserID     string
	CreatedAt  time.Time
	// Request, when set, names the request that records the check-in (a
	// modal submission, a Slack envelope): a second check-in with it is
	// refused with ErrRepeated.
	Request string
}

// Milestone is a dated checkpoint of an objective or one of its key results,
// optionally with what is planned by then: a value in the key result's unit,
// or for an objective-level milestone a progress fraction (0.5 for 50%).
type Milestone struct {
	TeamID    string
	Objective int
	KR        int // 0 for an objective-level milestone
	Date      Date
	Title     string
	Target    float64
	HasTarget bool
	CreatedBy string
	// Request, when set, names the request that adds the milestone (a
	// Slack envelope): a second milestone with it is refused with
	// ErrRepeated.
	Request string
}

// Change is one recorded change of an objective or key result: who changed
// which field when, from what to what. Values are stored as text.
type Change struct {
	TeamID    string
	Objective int
	KR        int // 0 for the objective itself
	UserID    string
	At        time.Time
	Field     string
	Old, New  string
}
