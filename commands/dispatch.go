package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/schedule"
)

// MaxLateness is how late an occurrence may be and still be sent: one
// missed while the bot was down goes out on start if it is less late than
// this, and is recorded as skipped otherwise.
const MaxLateness = 12 * time.Hour

// DispatchStore is what the dispatcher needs besides the command Store.
type DispatchStore interface {
	DueJobs(ctx context.Context, team string, now time.Time, limit int) ([]goalbot.Job, error)
	SaveJob(ctx context.Context, jobs ...*goalbot.Job) error
	OwnersWithoutJobs(ctx context.Context, team string, limit int) ([]goalbot.Member, error)
	RecordRuns(ctx context.Context, runs []goalbot.JobRun) (int, error)
	PendingDeliveries(ctx context.Context, team string, now time.Time, limit int) ([]goalbot.Delivery, error)
	TakeDeliveries(ctx context.Context, ds []goalbot.Delivery, until time.Time) ([]goalbot.Delivery, error)
	MarkSent(ctx context.Context, team, key, ts string) error
	MarkFailed(ctx context.Context, team, key, reason string) error
	MarkExpired(ctx context.Context, team, key, reason string) error
	LastSent(ctx context.Context, team string, kind goalbot.JobKind, channel, user string, before time.Time) (time.Time, bool, error)
}

// Sender delivers a scheduled message: to d.Channel, or as a DM to d.User.
// It returns the message's Slack timestamp.
type Sender interface {
	Send(ctx context.Context, d goalbot.Delivery, r Reply) (ts string, err error)
}

// Dispatcher runs the schedule: on each Tick it finds the jobs due, computes
// their messages with the Executor, claims them in the delivery ledger
// together with each job's next occurrence (one transaction for the tick),
// then sends what the ledger holds unsent and records the outcome. The ledger's
// stable keys make each occurrence go out once; a claim left unsent by a
// crash is sent on the next tick (at least once).
type Dispatcher struct {
	Exec   *Executor
	Store  DispatchStore
	Sender Sender
	// UserZone returns a user's time zone, or nil when it is not known
	// (then a job keeps its zone, and a new one gets the workspace's).
	UserZone func(ctx context.Context, team, user string) *time.Location
	// TeamID limits the dispatcher to one workspace (the bot's token only
	// reaches its own); "" serves every workspace in the database.
	TeamID string
}

// TickReport says what one tick did.
type TickReport struct {
	Sent    []goalbot.Delivery
	Skipped []goalbot.Delivery
	Failed  []goalbot.Delivery
	// Expired are deliveries given up MaxLateness after they were due.
	Expired []goalbot.Delivery
	// Errors are failures that did not stop the tick (a job that could not
	// be planned); the dispatcher goes on with the rest.
	Errors []error
}

// Batch sizes of one tick; a tick with more work leaves it to the next.
const (
	tickJobs       = 5000
	tickOwners     = 200
	tickDeliveries = 500
)

// TickTeam is Tick for the jobs of one workspace only.
func (d *Dispatcher) TickTeam(ctx context.Context, team string) (TickReport, error) {
	d.TeamID = team
	return d.Tick(ctx)
}

// Tick runs every job due at the clock's now and sends what is pending.
func (d *Dispatcher) Tick(ctx context.Context) (TickReport, error) {
	var rep TickReport
	now := d.Exec.Clock.Now()
	if err := d.ensureUserJobs(ctx, now); err != nil {
		rep.Errors = append(rep.Errors, fmt.Errorf("set up reminder jobs: %w", err))
	}
	jobs, err := d.Store.DueJobs(ctx, d.TeamID, now, tickJobs)
	if err != nil {
		return rep, err
	}
	t := &tick{d: d, now: now, objectives: map[string]map[string][]*goalbot.Objective{}}
	var runs []goalbot.JobRun
	for _, job := range jobs {
		run, skipped, err := t.safeRunJob(ctx, job)
		if err != nil {
			rep.Errors = append(rep.Errors, fmt.Errorf("%s job of %s in %s: %w", job.Kind, job.Target, job.TeamID, err))
			continue
		}
		runs = append(runs, run)
		rep.Skipped = append(rep.Skipped, skipped...)
	}
	if _, err := d.Store.RecordRuns(ctx, runs); err != nil {
		return rep, err
	}
	pending, err := d.Store.PendingDeliveries(ctx, d.TeamID, now, tickDeliveries)
	if err != nil {
		return rep, err
	}
	var sendable []goalbot.Delivery
	for _, del := range pending {
		if now.Sub(del.DueAt) < MaxLateness {
			sendable = append(sendable, del)
			continue
		}
		del.Error = fmt.Sprintf("given up %s after it was due: %s", now.Sub(del.DueAt).Round(time.Minute), del.Error)
		rep.Expired = append(rep.Expired, del)
		if err := d.Store.MarkExpired(context.WithoutCancel(ctx), del.TeamID, del.Key, del.Error); err != nil {
			return rep, err
		}
	}
	// One lease for everything this tick will send; a crash frees it when
	// the lease runs out.
	taken, err := d.Store.TakeDeliveries(ctx, sendable, now.Add(sendLease))
	if err != nil {
		return rep, err
	}
	for _, del := range taken {
		if ctx.Err() != nil {
			break // shutting down: stop between messages, never in one
		}
		if err := d.deliver(ctx, now, del, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// Sending one message: how long the lease on it lasts, and how long its
// send and its record may take once started (they are not cut short by a
// shutdown, which would leave a sent message unrecorded).
const (
	sendLease   = 10 * time.Minute // covers a busy tick's sends, paced per channel
	sendTimeout = time.Minute
)

// deliver sends one delivery the tick holds a lease on, so a second
// dispatcher on the same database (a shell's :tick, another bot) does not
// send it too, and records the outcome.
func (d *Dispatcher) deliver(ctx context.Context, now time.Time, del goalbot.Delivery, rep *TickReport) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
	defer cancel()
	var r Reply
	if err := json.Unmarshal(del.Payload, &r); err != nil {
		rep.Errors = append(rep.Errors, fmt.Errorf("decode %s: %w", del.Key, err))
		return nil
	}
	ts, err := d.Sender.Send(ctx, del, r)
	if err != nil {
		del.Error = err.Error()
		rep.Failed = append(rep.Failed, del)
		return d.Store.MarkFailed(ctx, del.TeamID, del.Key, err.Error())
	}
	del.TS, del.State = ts, goalbot.DeliverySent
	rep.Sent = append(rep.Sent, del)
	return d.Store.MarkSent(ctx, del.TeamID, del.Key, ts)
}

// ensureUserJobs gives every key-result owner their reminder jobs, with the
// defaults in their time zone.
func (d *Dispatcher) ensureUserJobs(ctx context.Context, now time.Time) error {
	owners, err := d.Store.OwnersWithoutJobs(ctx, d.TeamID, tickOwners)
	if err != nil {
		return err
	}
	var jobs []*goalbot.Job
	for _, o := range owners {
		zone := d.userZone(ctx, o.TeamID, o.UserID)
		for kind, w := range map[goalbot.JobKind]schedule.Weekly{
			goalbot.JobCheckIn:   DefaultCheckInSchedule(zone),
			goalbot.JobDeadlines: DefaultDeadlineSchedule(zone),
		} {
			jobs = append(jobs, &goalbot.Job{TeamID: o.TeamID, Kind: kind, Target: o.UserID, Spec: w.Spec(), NextAt: w.Next(now), Enabled: true})
		}
	}
	return d.Store.SaveJob(ctx, jobs...)
}

func (d *Dispatcher) userZone(ctx context.Context, team, user string) *time.Location {
	if z, known := d.knownZone(ctx, team, user); known {
		return z
	}
	return d.Exec.zone()
}

// knownZone is the user's zone when it is known.
func (d *Dispatcher) knownZone(ctx context.Context, team, user string) (*time.Location, bool) {
	if d.UserZone != nil {
		if z := d.UserZone(ctx, team, user); z != nil {
			return z, true
		}
	}
	return nil, false
}

// tick is the state of one Tick: its clock and the objectives of each
// workspace, loaded once for all of its users' reminders.
type tick struct {
	d          *Dispatcher
	now        time.Time
	objectives map[string]map[string][]*goalbot.Objective // team -> user -> objectives
}

// userObjectives returns the active objectives user owns or holds a key
// result of, loading each workspace's objectives once per tick.
func (t *tick) userObjectives(ctx context.Context, team, user string) ([]*goalbot.Objective, error) {
	byUser, ok := t.objectives[team]
	if !ok {
		list, err := t.d.Exec.Store.ListObjectives(ctx, team, goalbot.ObjectiveFilter{})
		if err != nil {
			return nil, fmt.Errorf("list objectives of %s: %w", team, err)
		}
		byUser = map[string][]*goalbot.Objective{}
		for _, o := range list {
			seen := map[string]bool{o.OwnerID: true}
			byUser[o.OwnerID] = append(byUser[o.OwnerID], o)
			for _, kr := range o.KeyResults {
				if !seen[kr.OwnerID] {
					seen[kr.OwnerID] = true
					byUser[kr.OwnerID] = append(byUser[kr.OwnerID], o)
				}
			}
		}
		t.objectives[team] = byUser
	}
	return byUser[user], nil
}

// safeRunJob is runJob with a panic recovered into the job's error: one
// job that cannot be planned does not stop the others. It is tried again
// on the next tick.
func (t *tick) safeRunJob(ctx context.Context, job goalbot.Job) (run goalbot.JobRun, skipped []goalbot.Delivery, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return t.runJob(ctx, job)
}

// runJob plans every occurrence of job up to now and its next occurrence;
// Tick records all runs in one transaction. Occurrences MaxLateness late
// or more become skipped deliveries, also returned.
func (t *tick) runJob(ctx context.Context, job goalbot.Job) (goalbot.JobRun, []goalbot.Delivery, error) {
	d, now := t.d, t.now
	w, err := schedule.ParseSpec(job.Spec)
	if err != nil {
		return goalbot.JobRun{}, nil, err
	}
	// lateFrom is when the first occurrence was due: it stays the job's
	// stored NextAt when a zone change moves that occurrence.
	lateFrom := job.NextAt
	if job.Kind != goalbot.JobDigest {
		// A user's zone follows their Slack profile (when Slack tells it;
		// a failed look-up keeps the zone the job has). The pending
		// occurrence moves to the same local date in the new zone, whose
		// ledger key is that date's: a day's reminder is not sent twice.
		if z, known := d.knownZone(ctx, job.TeamID, job.Target); known && z.String() != w.Zone.String() {
			day := job.NextAt.In(w.Zone)
			w.Zone = z
			job.Spec = w.Spec()
			job.NextAt = w.Next(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, z).Add(-time.Second))
			if err := d.Store.SaveJob(ctx, &job); err != nil {
				return goalbot.JobRun{}, nil, err
			}
		}
	}
	var deliveries, skipped []goalbot.Delivery
	occ := job.NextAt
	for first := true; !occ.After(now); first = false {
		label := w.Label(occ)
		local := goalbot.DateOf(occ.In(w.Zone))
		due := occ
		if first && lateFrom.After(due) {
			due = lateFrom
		}
		switch {
		case !job.PausedUntil.IsZero() && !local.After(job.PausedUntil):
			// paused: nothing for this occurrence
		case now.Sub(due) >= MaxLateness:
			s := goalbot.Delivery{TeamID: job.TeamID, Key: deliveryKey(job, label), Kind: job.Kind, DueAt: occ,
				Payload: []byte("{}"), State: goalbot.DeliverySkipped, Error: now.Sub(occ).Round(time.Minute).String() + " late"}
			d.target(job, &s)
			deliveries = append(deliveries, s)
			skipped = append(skipped, s)
		default:
			planned, err := t.plan(ctx, job, w, occ, label)
			if err != nil {
				return goalbot.JobRun{}, nil, err
			}
			deliveries = append(deliveries, planned...)
		}
		occ = w.Next(occ)
	}
	return goalbot.JobRun{Job: job, Deliveries: deliveries, Next: occ}, skipped, nil
}

// deliveryKey is the stable ledger key of an occurrence: kind, target and
// the occurrence's local date. A job fires at most once a day, so the date
// is enough, and moving a job's time of day or zone cannot make one day's
// message go out twice.
func deliveryKey(job goalbot.Job, label string) string {
	date, _, _ := strings.Cut(label, "T")
	return string(job.Kind) + "|" + job.Target + "|" + date
}

// target addresses a delivery of job: the channel of a digest, else the user.
func (d *Dispatcher) target(job goalbot.Job, del *goalbot.Delivery) {
	if job.Kind == goalbot.JobDigest {
		del.Channel = job.Target
	} else {
		del.User = job.Target
	}
}

// plan computes the messages of one occurrence of job.
func (t *tick) plan(ctx context.Context, job goalbot.Job, w schedule.Weekly, occ time.Time, label string) ([]goalbot.Delivery, error) {
	d := t.d
	var replies []Reply
	switch job.Kind {
	case goalbot.JobDigest:
		since, ok, err := d.Store.LastSent(ctx, job.TeamID, goalbot.JobDigest, job.Target, "", occ)
		if err != nil {
			return nil, err
		}
		if !ok {
			since = time.Time{}
		}
		if replies, err = d.Exec.Digest(ctx, job.TeamID, job.Target, occ, w.Zone, since); err != nil {
			return nil, err
		}
	case goalbot.JobCheckIn:
		list, err := t.userObjectives(ctx, job.TeamID, job.Target)
		if err != nil {
			return nil, err
		}
		if r, ok := checkInReminder(list, job.Target, occ, w.Zone); ok {
			replies = append(replies, r)
		}
	case goalbot.JobDeadlines:
		list, err := t.userObjectives(ctx, job.TeamID, job.Target)
		if err != nil {
			return nil, err
		}
		if r, ok := d.Exec.deadlineReminder(ctx, job.TeamID, list, job.Target, goalbot.DateOf(occ.In(w.Zone))); ok {
			replies = append(replies, r)
		}
	default:
		return nil, fmt.Errorf("unknown job kind %q", job.Kind)
	}
	var out []goalbot.Delivery
	for i, r := range replies {
		payload, err := json.Marshal(r)
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", job.Kind, err)
		}
		// Every message is a numbered part, so a second planning of the
		// same occurrence meets the same keys whatever its part count.
		key := deliveryKey(job, label) + fmt.Sprintf("|part%d", i+1)
		del := goalbot.Delivery{TeamID: job.TeamID, Key: key, Kind: job.Kind, DueAt: occ, Payload: payload}
		d.target(job, &del)
		out = append(out, del)
	}
	return out, nil
}
