package goalbot

import "time"

// JobKind is what a scheduled job sends.
type JobKind string

// Scheduled jobs: a channel's weekly digest, a user's weekly check-in
// reminder, and a user's daily look at due dates and milestones.
const (
	JobDigest    JobKind = "digest"
	JobCheckIn   JobKind = "checkin"
	JobDeadlines JobKind = "deadlines"
)

// Job is a recurring scheduled job of a workspace: its kind, its target (a
// channel for a digest, a user for the DMs), when it fires (Spec, a weekly
// schedule in a time zone, see package schedule) and its next occurrence.
type Job struct {
	TeamID string
	Kind   JobKind
	Target string
	Spec   string
	// NextAt is the next occurrence not yet handled.
	NextAt time.Time
	// Enabled is false once turned off; PausedUntil pauses it through that date.
	Enabled     bool
	PausedUntil Date
}

// JobRun is what one tick did with a job: the deliveries of its due
// occurrences and its next occurrence. Job is the job as it was found (its
// NextAt), with Spec updated if its zone moved.
type JobRun struct {
	Job        Job
	Deliveries []Delivery
	Next       time.Time
}

// Member is a user of a workspace.
type Member struct {
	TeamID, UserID string
}

// Delivery states in the ledger.
const (
	DeliveryClaimed = "claimed" // claimed for sending, not yet sent
	DeliverySent    = "sent"
	DeliverySending = "sending" // taken by a dispatcher, under a lease
	DeliveryFailed  = "failed"  // sending failed; retried on the next tick
	DeliverySkipped = "skipped" // too late: missed while the bot was down
	DeliveryExpired = "expired" // given up: still unsent too long after it was due
)

// Delivery is one scheduled message in the delivery ledger. Its Key names
// the occurrence stably (kind, target, subject, occurrence in local
// wall-clock time), so it is sent at most once per key; see the README for
// the guarantee around a crash.
type Delivery struct {
	TeamID string
	Key    string
	Kind   JobKind
	// Channel is the channel to post to; User the user to DM (one of them).
	Channel string
	User    string
	DueAt   time.Time
	// Payload is the message, encoded by the command layer.
	Payload  []byte
	State    string
	Attempts int
	TS       string // Slack's message timestamp once sent
	Error    string // the last sending error
}
