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

// KeyResult is a measurable result of an objective. Its current value is the
// value of its latest check-in by as-of date, or the start value before the
// first check-in.
type KeyResult struct {
	TeamID    string
	Ref       KRRef
	Title     string
	Start     float64
	Target    float64
	Unit      string
	Weight    float64 // > 0; 1 unless set
	OwnerID   string
	Due       Date // zero: the objective's due date
	CreatedBy string
	CreatedAt time.Time

	// Current is the latest measured value; equal to Start when CheckIns == 0.
	Current float64
	// CheckIns counts the key result's check-ins; LastAsOf is the as-of date
	// of the latest one.
	CheckIns int
	LastAsOf Date
	// LastConfidence is the confidence of the latest check-in, or -1.
	LastConfidence int
}

// Decreasing reports whether lower values are better for kr.
func (kr *KeyResult) Decreasing() bool { return kr.Target < kr.Start }

// Progress returns (current-start)/(target-start), unclamped: 1.2 means 120%
// of the way, negative means worse than the start. It works unchanged for
// lower-is-better results.
func (kr *KeyResult) Progress() float64 {
	if kr.Target == kr.Start {
		return 0
	}
	return (kr.Current - kr.Start) / (kr.Target - kr.Start)
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
}

// Milestone is a dated checkpoint of an objective or one of its key results,
// optionally with the value planned by then.
type Milestone struct {
	TeamID    string
	Objective int
	KR        int // 0 for an objective-level milestone
	Date      Date
	Title     string
	Target    float64
	HasTarget bool
}
