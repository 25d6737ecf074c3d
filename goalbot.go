// Package goalbot holds the domain of the goalbot Slack bot: objectives, key
// results, check-ins and milestones, the rules that compute progress and
// status, and the application error type. It imports the standard library
// only; storage, Slack and scheduling live in subpackages that depend on it.
package goalbot

import "time"

// Clock tells the current time. Everything that needs "now" takes a Clock so
// tests, the shell's :now and GOALBOT_FAKE_NOW control time.
type Clock interface {
	Now() time.Time
}

// ClockFunc adapts a function to the Clock interface.
type ClockFunc func() time.Time

// Now calls f.
func (f ClockFunc) Now() time.Time { return f() }

// SystemClock is the real clock.
var SystemClock Clock = ClockFunc(time.Now)

// OffsetClock returns a clock that starts at start and runs on in real time.
// It backs GOALBOT_FAKE_NOW.
func OffsetClock(start time.Time, real Clock) Clock {
	offset := start.Sub(real.Now())
	return ClockFunc(func() time.Time { return real.Now().Add(offset) })
}

// MaxTitleLen is the longest objective or key-result title, in characters.
const MaxTitleLen = 200
