package commands

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/schedule"
)

// Schedule defaults: the weekly digest on Fridays at 16:00 in the workspace
// zone; check-in reminders on Mondays at 10:00 in the owner's zone; due-date
// and milestone DMs every day at the owner's reminder time.
const (
	DefaultDigestDay    = time.Friday
	DefaultDigestHour   = 16
	DefaultReminderDay  = time.Monday
	DefaultReminderHour = 10
)

var digestSpec = &spec{
	name:    "digest",
	args:    "here|off|preview",
	summary: "this channel's weekly digest: set it up, turn it off, or preview it now (only you see the preview)",
	options: []option{
		{key: "day", arg: "DAY", help: "the day of the week (default friday)"},
		{key: "time", arg: "HH:MM", help: "the time of day, 24-hour (default 16:00)"},
		{key: "tz", arg: "ZONE", help: "the IANA time zone, like Europe/Warsaw (default: the workspace's)"},
	},
	examples: []string{"/goal digest here", "/goal digest here day:monday time:09:30 tz:Europe/Warsaw", "/goal digest preview", "/goal digest off"},
	parse: func(a *args) (Command, error) {
		if len(a.pos) != 1 {
			return nil, invalid(a.spec, "Say here, off or preview.")
		}
		c := digestCommand{action: strings.ToLower(a.pos[0].text)}
		switch c.action {
		case "here":
		case "off", "preview":
			if len(a.opts) > 0 {
				return nil, invalid(a.spec, "digest %s takes no options.", c.action)
			}
			return c, nil
		default:
			return nil, invalid(a.spec, "%q is not here, off or preview.", a.pos[0].text)
		}
		var err error
		if c.when, err = a.when(DefaultDigestDay, DefaultDigestHour); err != nil {
			return nil, err
		}
		if w, ok := a.opt("tz"); ok {
			if c.zone, err = schedule.ParseZone(w.text); err != nil {
				return nil, withUsage(a.spec, err)
			}
		}
		return c, nil
	},
}

// when is a parsed day: and time: pair.
type when struct {
	day          time.Weekday
	hour, minute int
	dayGiven     bool
	timeGiven    bool
}

// when parses the day: and time: options, with defaults.
func (a *args) when(day time.Weekday, hour int) (when, error) {
	w := when{day: day, hour: hour}
	var err error
	if o, ok := a.opt("day"); ok {
		if w.day, err = schedule.ParseDay(o.text); err != nil {
			return w, withUsage(a.spec, err)
		}
		w.dayGiven = true
	}
	if o, ok := a.opt("time"); ok {
		if w.hour, w.minute, err = schedule.ParseClock(o.text); err != nil {
			return w, withUsage(a.spec, err)
		}
		w.timeGiven = true
	}
	return w, nil
}

// digestCommand sets up, turns off or previews a channel's digest.
type digestCommand struct {
	action string // here, off, preview
	when   when
	zone   *time.Location
}

func (digestCommand) Name() string { return "digest" }

func (d digestCommand) run(c *call) (Reply, error) {
	channel := c.inv.ChannelID
	if channel == "" || strings.HasPrefix(channel, "D") {
		return Reply{}, invalid(digestSpec, "Run this in the team channel the digest is for, not in a direct message.")
	}
	now := c.x.Clock.Now()
	switch d.action {
	case "preview":
		parts, err := c.x.Digest(c.ctx, c.inv.TeamID, channel, now, c.x.zone(), time.Time{})
		if err != nil {
			return Reply{}, err
		}
		r := parts[0]
		if len(parts) > 1 {
			r.add(Context, plain(fmt.Sprintf("The preview shows the first of %d messages.", len(parts))))
		}
		r.add(Context, plain("A preview, shown only to you."))
		return r, nil
	case "off":
		j, err := c.x.Store.FindJob(c.ctx, c.inv.TeamID, goalbot.JobDigest, channel)
		if goalbot.ErrorCode(err) == goalbot.ENOTFOUND || (err == nil && !j.Enabled) {
			return Reply{}, goalbot.Errorf(goalbot.ENOTFOUND, "This channel has no weekly digest to turn off.")
		} else if err != nil {
			return Reply{}, err
		}
		j.Enabled = false
		if err := c.x.Store.SaveJob(c.ctx, j); err != nil {
			return Reply{}, fmt.Errorf("turn digest off: %w", err)
		}
		var r Reply
		r.add(Section, plain("The weekly digest of "), channelRef(channel), plain(" is off. "), code("/goal digest here"), plain(" turns it back on."))
		return r, nil
	}
	zone := d.zone
	if zone == nil {
		zone = c.x.zone()
	}
	w := schedule.Weekly{Days: []time.Weekday{d.when.day}, Hour: d.when.hour, Minute: d.when.minute, Zone: zone}
	next := w.Next(now)
	what := fmt.Sprintf("every %s at %s (%s)", schedule.DayName(d.when.day), schedule.Clock(d.when.hour, d.when.minute), zone)
	if c.x.Announce != nil {
		var note Reply
		note.add(Section, plain(fmt.Sprintf("📅 goalbot will post the weekly goal digest here %s. ", what)), user(c.inv.UserID), plain(" set it up."))
		if err := c.x.Announce(c.ctx, Announcement{Team: c.inv.TeamID, User: c.inv.UserID, Channel: channel, Reply: note, Wait: true}); errors.Is(err, ErrNotInChannel) {
			return Reply{}, goalbot.Errorf(goalbot.EINVALID, "I can't post in this channel yet. Invite me first (type /invite @goalbot here), then run /goal digest here again.")
		} else if err != nil {
			return Reply{}, err
		}
	}
	job := &goalbot.Job{TeamID: c.inv.TeamID, Kind: goalbot.JobDigest, Target: channel, Spec: w.Spec(), NextAt: next, Enabled: true}
	if err := c.x.Store.SaveJob(c.ctx, job); err != nil {
		return Reply{}, fmt.Errorf("save digest: %w", err)
	}
	var r Reply
	r.add(Section, plain("The weekly digest of "), channelRef(channel), plain(fmt.Sprintf(" goes out %s. Next: %s.", what, next.In(zone).Format("Monday 2006-01-02 15:04"))))
	r.add(Context, code("/goal digest preview"), plain(" shows it now; "), code("/goal digest off"), plain(" stops it."))
	return r, nil
}

// zone is the workspace zone.
func (x *Executor) zone() *time.Location {
	if x.Zone == nil {
		return time.UTC
	}
	return x.Zone
}

var remindSpec = &spec{
	name:    "remind",
	args:    "[on|off|pause|snooze]",
	summary: "your check-in reminders: when, on or off, paused until a date, or snoozed to tomorrow (without arguments: your settings)",
	options: []option{
		{key: "day", arg: "DAY", help: "the day of your weekly check-in reminder (default monday)"},
		{key: "time", arg: "HH:MM", help: "the time of your reminders, in your time zone (default 10:00)"},
		{key: "until", arg: "DATE", help: "with pause: the last day without reminders"},
	},
	examples: []string{"/goal remind", "/goal remind day:friday time:09:00", "/goal remind pause until:2026-12-31", "/goal remind snooze", "/goal remind off"},
	parse: func(a *args) (Command, error) {
		c := remindCommand{}
		if len(a.pos) > 1 {
			return nil, invalid(a.spec, "Say on, off, pause or snooze, or give day: and time:.")
		}
		if len(a.pos) == 1 {
			c.action = strings.ToLower(a.pos[0].text)
			if c.action != "on" && c.action != "off" && c.action != "pause" && c.action != "snooze" {
				return nil, invalid(a.spec, "%q is not on, off, pause or snooze.", a.pos[0].text)
			}
		}
		var err error
		if c.when, err = a.when(DefaultReminderDay, DefaultReminderHour); err != nil {
			return nil, err
		}
		until, err := a.date("until")
		if err != nil {
			return nil, err
		}
		switch {
		case c.action == "pause" && until.IsZero():
			return nil, invalid(a.spec, "Say until when, like pause until:2026-12-31.")
		case c.action != "pause" && !until.IsZero():
			return nil, invalid(a.spec, "until: goes with pause.")
		case c.action == "pause" && until.Before(a.today):
			return nil, invalid(a.spec, "until: %s is in the past.", until)
		case c.action == "snooze" && (c.when.dayGiven || c.when.timeGiven):
			return nil, invalid(a.spec, "snooze takes no day: or time:; it reminds you again tomorrow at your usual time.")
		case c.action == "off" && (c.when.dayGiven || c.when.timeGiven):
			return nil, invalid(a.spec, "remind off takes no day: or time:.")
		}
		c.until = until
		return c, nil
	},
}

// remindCommand changes the caller's reminder settings.
type remindCommand struct {
	action string // "", on, off, pause
	when   when
	until  goalbot.Date
}

func (remindCommand) Name() string { return "remind" }

func (rc remindCommand) run(c *call) (Reply, error) {
	now := c.x.Clock.Now()
	checkin, deadlines, err := c.userJobs(now)
	if err != nil {
		return Reply{}, err
	}
	cw, err := schedule.ParseSpec(checkin.Spec)
	if err != nil {
		return Reply{}, fmt.Errorf("read reminder schedule: %w", err)
	}
	changed := rc.action != "" || rc.when.dayGiven || rc.when.timeGiven
	switch rc.action {
	case "on":
		checkin.Enabled, deadlines.Enabled = true, true
		checkin.PausedUntil, deadlines.PausedUntil = goalbot.Date{}, goalbot.Date{}
	case "off":
		checkin.Enabled, deadlines.Enabled = false, false
	case "pause":
		checkin.PausedUntil, deadlines.PausedUntil = rc.until, rc.until
	case "snooze":
		return c.snooze(checkin, cw, now)
	}
	if rc.when.dayGiven || rc.when.timeGiven {
		if rc.when.dayGiven {
			cw.Days = []time.Weekday{rc.when.day}
		}
		if rc.when.timeGiven {
			cw.Hour, cw.Minute = rc.when.hour, rc.when.minute
		}
		cw.Zone = c.inv.Location
		dw := schedule.Weekly{Hour: cw.Hour, Minute: cw.Minute, Zone: cw.Zone}
		checkin.Spec, checkin.NextAt = cw.Spec(), reschedule(cw, checkin.NextAt, now)
		deadlines.Spec, deadlines.NextAt = dw.Spec(), reschedule(dw, deadlines.NextAt, now)
	}
	if changed {
		for _, j := range []*goalbot.Job{checkin, deadlines} {
			if err := c.x.Store.SaveJob(c.ctx, j); err != nil {
				return Reply{}, fmt.Errorf("save reminders: %w", err)
			}
		}
	}
	var r Reply
	switch {
	case !checkin.Enabled:
		r.add(Section, plain("Your reminders are off: no check-in reminders and no due-date DMs. "), code("/goal remind on"), plain(" turns them back on."))
	case !checkin.PausedUntil.IsZero() && !checkin.PausedUntil.Before(c.today):
		r.add(Section, plain(fmt.Sprintf("Your reminders are paused through %s. ", checkin.PausedUntil)), code("/goal remind on"), plain(" resumes them now."))
	default:
		r.add(Section, plain(fmt.Sprintf("Check-in reminders: %ss at %s (%s), for key results without a check-in for %d days. Due dates and milestones: every day at %s.",
			schedule.DayName(cw.Days[0]), schedule.Clock(cw.Hour, cw.Minute), cw.Zone, ReminderDays, schedule.Clock(cw.Hour, cw.Minute))))
		r.add(Context, plain("Next check-in reminder: "+checkin.NextAt.In(cw.Zone).Format("Monday 2006-01-02 15:04")+"."))
	}
	return r, nil
}

// snooze brings the caller's check-in reminder forward to tomorrow at its
// usual time, unless it is due sooner: the weekly schedule goes on after it.
// The reminder lists what still has no check-in then, and goes out only if
// something has none.
func (c *call) snooze(checkin *goalbot.Job, cw schedule.Weekly, now time.Time) (Reply, error) {
	tomorrow := goalbot.DateOf(now.In(cw.Zone)).AddDays(1)
	switch {
	case !checkin.Enabled:
		return Reply{}, withUsage(remindSpec, goalbot.Errorf(goalbot.ECONFLICT, "Your reminders are off, so there is nothing to snooze. /goal remind on turns them on."))
	case !checkin.PausedUntil.IsZero() && !checkin.PausedUntil.Before(tomorrow):
		return Reply{}, withUsage(remindSpec, goalbot.Errorf(goalbot.ECONFLICT, "Your reminders are paused through %s, so there is nothing to snooze.", checkin.PausedUntil))
	}
	daily := schedule.Weekly{Hour: cw.Hour, Minute: cw.Minute, Zone: cw.Zone}
	at := daily.Next(time.Date(tomorrow.Year, tomorrow.Month, tomorrow.Day, 0, 0, 0, 0, cw.Zone).Add(-time.Second))
	if at.Before(checkin.NextAt) {
		checkin.NextAt = at
		if err := c.x.Store.SaveJob(c.ctx, checkin); err != nil {
			return Reply{}, fmt.Errorf("snooze reminder: %w", err)
		}
	}
	var r Reply
	r.add(Section, plain("😴 Snoozed: I'll remind you of key results still without a check-in "+checkin.NextAt.In(cw.Zone).Format("Monday 2006-01-02 15:04")+"."))
	return r, nil
}

// reschedule is the next occurrence of w after now, or, when earlier, its
// occurrence on the local date of the pending one: moving the time of day
// before a pending message never skips that day's message (it may fall due
// at once), and the ledger's per-day key keeps one already sent from going
// out twice.
func reschedule(w schedule.Weekly, pending, now time.Time) time.Time {
	next := w.Next(now)
	day := pending.In(w.Zone)
	if same := w.Next(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, w.Zone).Add(-time.Second)); same.Before(next) {
		return same
	}
	return next
}

// userJobs returns the caller's check-in and deadline jobs, with defaults
// when they have none yet.
func (c *call) userJobs(now time.Time) (checkin, deadlines *goalbot.Job, err error) {
	get := func(kind goalbot.JobKind, w schedule.Weekly) (*goalbot.Job, error) {
		j, err := c.x.Store.FindJob(c.ctx, c.inv.TeamID, kind, c.inv.UserID)
		if goalbot.ErrorCode(err) == goalbot.ENOTFOUND {
			return &goalbot.Job{TeamID: c.inv.TeamID, Kind: kind, Target: c.inv.UserID, Spec: w.Spec(), NextAt: w.Next(now), Enabled: true}, nil
		}
		return j, err
	}
	checkin, err = get(goalbot.JobCheckIn, DefaultCheckInSchedule(c.inv.Location))
	if err != nil {
		return nil, nil, err
	}
	deadlines, err = get(goalbot.JobDeadlines, DefaultDeadlineSchedule(c.inv.Location))
	return checkin, deadlines, err
}

// DefaultCheckInSchedule is the check-in reminder schedule of a user in zone.
func DefaultCheckInSchedule(zone *time.Location) schedule.Weekly {
	return schedule.Weekly{Days: []time.Weekday{DefaultReminderDay}, Hour: DefaultReminderHour, Zone: zone}
}

// DefaultDeadlineSchedule is the daily due-date DM schedule of a user in zone.
func DefaultDeadlineSchedule(zone *time.Location) schedule.Weekly {
	return schedule.Weekly{Hour: DefaultReminderHour, Zone: zone}
}
