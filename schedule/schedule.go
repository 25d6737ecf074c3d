// Package schedule computes when weekly and daily jobs fire: a local
// wall-clock time on some days of the week, in a user's IANA time zone,
// exactly once per scheduled local day.
//
// robfig/cron parses the schedule and finds the next matching day, but cron
// v3.0.1 gets daylight-saving changes wrong: it skips a day whose scheduled
// wall time falls into a spring-forward gap and fires twice on a day whose
// wall time occurs twice when clocks fall back. Weekly.Next corrects both, so
// a reminder is neither lost nor repeated when the clocks change. Cron never
// sees user text: its specs are built from validated numbers only, and any
// panic inside cron is recovered.
package schedule

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/goalbot/goalbot"
)

// specPrefix starts every spec Spec produces; cron reads the zone from it.
const specPrefix = "CRON_TZ="

// labelLayout formats a scheduled local wall-clock time for Label.
const labelLayout = "2006-01-02T15:04"

// Weekly fires at a local wall-clock time on some days of the week in a zone.
//
// The zero value is not valid: Zone must be set. Next, Spec and Label do not
// modify the Weekly and are safe for concurrent use.
type Weekly struct {
	Days         []time.Weekday // empty means every day
	Hour, Minute int            // local wall clock, 0-23 and 0-59
	Zone         *time.Location // never nil; not time.Local
}

// Spec returns the robfig/cron spec, e.g. "CRON_TZ=Europe/Warsaw 0 16 * * 5"
// (every day: "* * *" dow "*"). Days are listed sorted and once each
// ("1,3,5"); all seven days are written "*", like no days. Spec does not
// validate w: ParseSpec refuses what an invalid Weekly produces, except that a
// nil Zone is written as UTC.
func (w Weekly) Spec() string {
	return specPrefix + w.Zone.String() + " " + w.fields()
}

// fields returns the minute, hour, day-of-month, month and day-of-week fields
// of Spec, without the zone.
func (w Weekly) fields() string {
	return strconv.Itoa(w.Minute) + " " + strconv.Itoa(w.Hour) + " * * " + w.dowField()
}

// dowField returns the day-of-week field of Spec.
func (w Weekly) dowField() string {
	days := slices.Clone(w.Days)
	slices.Sort(days)
	days = slices.Compact(days)
	if len(days) == 0 || len(days) == 7 && days[0] == time.Sunday && days[6] == time.Saturday {
		return "*"
	}
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(int(d))
	}
	return strings.Join(parts, ",")
}

// ParseSpec parses a spec that Spec produced (and only that shape: the
// canonical form Spec writes, so Spec(ParseSpec(s)) == s), validating every
// field and the zone. A spec of every day yields a Weekly with no Days.
// Specs are stored data, not user input, so its errors are internal errors.
// It never panics.
func ParseSpec(spec string) (w Weekly, err error) {
	defer func() {
		if r := recover(); r != nil {
			w, err = Weekly{}, fmt.Errorf("parse schedule spec %q: %v", spec, r)
		}
	}()
	w, err = parseSpecFields(spec)
	if err != nil {
		return Weekly{}, fmt.Errorf("parse schedule spec %q: %v", spec, err)
	}
	return w, nil
}

// parseSpecFields does ParseSpec's work, with errors that ParseSpec wraps.
func parseSpecFields(spec string) (Weekly, error) {
	rest, ok := strings.CutPrefix(spec, specPrefix)
	if !ok {
		return Weekly{}, fmt.Errorf("no %s prefix", specPrefix)
	}
	f := strings.Split(rest, " ")
	if len(f) != 6 {
		return Weekly{}, fmt.Errorf("want a zone and 5 fields, got %d words", len(f))
	}
	if f[0] == "" || f[0] == "Local" {
		return Weekly{}, fmt.Errorf("zone %q is not an IANA zone name", f[0])
	}
	zone, err := time.LoadLocation(f[0])
	if err != nil {
		return Weekly{}, fmt.Errorf("load zone: %v", err)
	}
	minute, err := specNumber(f[1], 0, 59)
	if err != nil {
		return Weekly{}, fmt.Errorf("minute: %v", err)
	}
	hour, err := specNumber(f[2], 0, 23)
	if err != nil {
		return Weekly{}, fmt.Errorf("hour: %v", err)
	}
	if f[3] != "*" || f[4] != "*" {
		return Weekly{}, fmt.Errorf("day of month and month must be *")
	}
	var days []time.Weekday
	if f[5] != "*" {
		for _, s := range strings.Split(f[5], ",") {
			d, err := specNumber(s, 0, 6)
			if err != nil {
				return Weekly{}, fmt.Errorf("day of week: %v", err)
			}
			days = append(days, time.Weekday(d))
		}
	}
	w := Weekly{Days: days, Hour: hour, Minute: minute, Zone: zone}
	if w.Spec() != spec {
		return Weekly{}, fmt.Errorf("not in the form Spec writes (%q)", w.Spec())
	}
	if _, err := w.cronSchedule(); err != nil {
		return Weekly{}, err
	}
	return w, nil
}

// specNumber parses a decimal number between lo and hi. Non-canonical forms
// such as "+5" or "05" pass here and are refused by ParseSpec's final
// comparison with Spec.
func specNumber(s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%d is outside %d-%d", n, lo, hi)
	}
	return n, nil
}

// validate reports whether w can be scheduled.
func (w Weekly) validate() error {
	switch {
	case w.Zone == nil:
		return fmt.Errorf("no zone")
	case w.Zone == time.Local:
		return fmt.Errorf("zone is time.Local")
	case w.Hour < 0 || w.Hour > 23:
		return fmt.Errorf("hour %d is outside 0-23", w.Hour)
	case w.Minute < 0 || w.Minute > 59:
		return fmt.Errorf("minute %d is outside 0-59", w.Minute)
	}
	for _, d := range w.Days {
		if d < time.Sunday || d > time.Saturday {
			return fmt.Errorf("day %d is not a weekday", d)
		}
	}
	return nil
}

// cronSchedule returns w as a cron schedule in w.Zone. It parses only the
// numeric fields, built from validated values, and attaches the zone itself,
// so cron neither sees user text nor loads the zone again on every Next.
func (w Weekly) cronSchedule() (s *cron.SpecSchedule, err error) {
	if err := w.validate(); err != nil {
		return nil, fmt.Errorf("invalid schedule: %v", err)
	}
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("cron parse %q: panic: %v", w.fields(), r)
		}
	}()
	parsed, err := cron.ParseStandard(w.fields())
	if err != nil {
		return nil, fmt.Errorf("cron parse %q: %v", w.fields(), err)
	}
	s, ok := parsed.(*cron.SpecSchedule)
	if !ok {
		return nil, fmt.Errorf("cron parse %q: unexpected schedule type %T", w.fields(), parsed)
	}
	s.Location = w.Zone
	return s, nil
}

// cronNext returns cron's next activation after t, or the zero time if cron
// finds none or panics.
func cronNext(s *cron.SpecSchedule, t time.Time) (next time.Time) {
	defer func() {
		if recover() != nil {
			next = time.Time{}
		}
	}()
	return s.Next(t)
}

// Next returns the first occurrence strictly after t, in w.Zone (t may be in
// any location). It returns the zero time if w is invalid (nil or Local
// zone, hour or minute out of range, a day outside Sunday-Saturday).
//
// There is exactly one occurrence per scheduled local date. Normally it is
// the instant the zone's clock shows the scheduled wall time on that date.
// When clocks fall back and the wall time occurs twice, it is the first of the
// two. When clocks spring forward over the wall time, it is read with the
// offset in force before the change, as RFC 5545 does: 02:30 on 2026-03-08 in
// New York fires at 03:30 EDT, and 02:15 on 2026-10-04 on Lord Howe Island
// (a 30-minute change) at 02:45. In the rare zone whose gap runs past
// midnight, so that this reading would fall on the next date, it fires at the
// end of the gap instead; a date a zone skips entirely (Pacific/Apia,
// 2011-12-30) fires at the start of the next date, once even when that is
// also the next date's own occurrence (a 00:00 schedule).
func (w Weekly) Next(t time.Time) time.Time {
	if w.validate() != nil {
		return time.Time{}
	}
	from := localDate(t.In(w.Zone)).AddDate(0, 0, -1)
	// Cron finds the next matching day; its answer c bounds the search.
	// Every scheduled date up to c's is checked here, because cron skips a
	// date whose wall time is in a gap, and an occurrence is recomputed
	// because cron's c may be the second reading of a repeated wall time.
	// If c was such a repeat (its first reading is at or before t), ask cron
	// again from c.
	if s, err := w.cronSchedule(); err == nil {
		after := t
		for range 3 {
			c := cronNext(s, after)
			if c.IsZero() {
				break
			}
			if next, ok := w.firstAfter(t, from, localDate(c.In(w.Zone))); ok {
				return next
			}
			after = c
		}
	}
	// Cron failed us: any weekly schedule fires within 8 local dates.
	next, _ := w.firstAfter(t, from, from.AddDate(0, 0, 10))
	return next
}

// firstAfter returns the earliest occurrence after t among the scheduled
// dates from first to last, inclusive.
func (w Weekly) firstAfter(t, first, last time.Time) (time.Time, bool) {
	for day := first; !day.After(last); day = day.AddDate(0, 0, 1) {
		if !w.scheduledOn(day.Weekday()) {
			continue
		}
		if o := w.occurrence(day); o.After(t) {
			return o, true
		}
	}
	return time.Time{}, false
}

// scheduledOn reports whether w fires on weekday d.
func (w Weekly) scheduledOn(d time.Weekday) bool {
	return len(w.Days) == 0 || slices.Contains(w.Days, d)
}

// localDate returns t's calendar date in t's location as midnight UTC, so
// dates step by AddDate without DST surprises.
func localDate(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// occurrence returns the instant w fires for the local date day (midnight
// UTC), whatever day of the week it is. See Next for the rules.
//
// time.Date cannot be used: for a wall time that occurs twice or not at all
// it picks either side depending on the zone (in New York 2026-03-08 02:30
// becomes 01:30 EST, in Warsaw 2026-03-29 02:30 becomes 03:30 CEST).
// Instead, walk the zone's periods (spans of one UTC offset) around the
// date: an instant u shows the wall time iff u + offset(u) == wall.
func (w Weekly) occurrence(day time.Time) time.Time {
	// wall is the scheduled wall-clock time read as if it were UTC.
	wall := time.Date(day.Year(), day.Month(), day.Day(), w.Hour, w.Minute, 0, 0, time.UTC)
	// UTC offsets stay well within ±26 hours, so u lies within this window.
	const window = 30 * time.Hour
	p := wall.Add(-window).In(w.Zone)
	prevOffset, havePrev := 0, false
	for range 64 { // a zone changes offset a few times a year; 64 is a backstop
		_, offset := p.Zone()
		start, end := p.ZoneBounds()
		u := wall.Add(-time.Duration(offset) * time.Second)
		// Periods come in time order, so the first that holds the wall time
		// holds its first reading.
		if (start.IsZero() || !u.Before(start)) && (end.IsZero() || u.Before(end)) {
			return u.In(w.Zone)
		}
		// A spring-forward gap between the previous period and this one
		// swallows the wall readings [start+prevOffset, start+offset).
		if havePrev && !start.IsZero() &&
			!wall.Before(start.Add(time.Duration(prevOffset)*time.Second)) &&
			wall.Before(start.Add(time.Duration(offset)*time.Second)) {
			shifted := wall.Add(-time.Duration(prevOffset) * time.Second).In(w.Zone)
			if localDate(shifted).Equal(day) {
				return shifted
			}
			return start.In(w.Zone)
		}
		if end.IsZero() || end.After(wall.Add(window)) {
			break
		}
		p, prevOffset, havePrev = end, offset, true
	}
	// Unreachable for real zones; fall back to the standard library's reading.
	return time.Date(day.Year(), day.Month(), day.Day(), w.Hour, w.Minute, 0, 0, w.Zone)
}

// Label names the occurrence at instant at by its scheduled local wall-clock
// time in w.Zone, "2026-03-08T02:30": the scheduled time, also for an
// occurrence shifted by a DST gap (which Label("2026-03-08T03:30 EDT") names
// "2026-03-08T02:30" for a 02:30 New York schedule). Ledger keys use it, so
// the two instants of a wall time repeated when clocks fall back share a
// label. An instant that is not an occurrence of w is named by its own local
// wall-clock time, to the minute. A nil Zone reads as UTC.
func (w Weekly) Label(at time.Time) string {
	if w.Zone == nil {
		w.Zone = time.UTC
	}
	local := at.In(w.Zone)
	// A shifted occurrence lies on its scheduled date or, past a gap that
	// runs over midnight, on the next.
	for _, day := range []time.Time{localDate(local), localDate(local).AddDate(0, 0, -1)} {
		if w.occurrence(day).Equal(at) {
			return day.Format("2006-01-02") + "T" + Clock(w.Hour, w.Minute)
		}
	}
	return local.Format(labelLayout)
}

// dayNames maps the weekday names ParseDay accepts to their weekday.
var dayNames = map[string]time.Weekday{
	"sunday": time.Sunday, "sun": time.Sunday,
	"monday": time.Monday, "mon": time.Monday,
	"tuesday": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday,
	"wednesday": time.Wednesday, "wed": time.Wednesday,
	"thursday": time.Thursday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"friday": time.Friday, "fri": time.Friday,
	"saturday": time.Saturday, "sat": time.Saturday,
}

// ParseDay parses a weekday name: full or 3-letter, case-insensitive, with
// surrounding spaces ignored (monday, Mon, tue, tues, thu, thur, thurs...).
// Other input gets an EINVALID error for the user.
func ParseDay(s string) (time.Weekday, error) {
	if d, ok := dayNames[strings.ToLower(strings.TrimSpace(s))]; ok {
		return d, nil
	}
	return 0, goalbot.Errorf(goalbot.EINVALID,
		"%q is not a day of the week. Use a day name, like monday or fri.", s)
}

// ParseClock parses a 24-hour time of day, H:MM or HH:MM, with surrounding
// spaces ignored: "16:00", "9:30", "09:05", "0:00", "23:59". Anything else
// ("25:00", "12:60", "4pm", "1600", "", "-1:00") gets an EINVALID error for
// the user.
func ParseClock(s string) (hour, minute int, err error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if ok && isDigits(h, 1, 2) && isDigits(m, 2, 2) {
		hour, _ = strconv.Atoi(h)
		minute, _ = strconv.Atoi(m)
		if hour <= 23 && minute <= 59 {
			return hour, minute, nil
		}
	}
	return 0, 0, goalbot.Errorf(goalbot.EINVALID,
		"%q is not a time of day. Use 24-hour HH:MM, like 09:30 or 16:00.", s)
}

// isDigits reports whether s is between min and max ASCII digits long.
func isDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ParseZone loads an IANA time zone such as Europe/Warsaw, with surrounding
// spaces ignored. It refuses "", "Local" and unknown names with an EINVALID
// error for the user. Names are case-sensitive, as in the tz database.
func ParseZone(s string) (*time.Location, error) {
	name := strings.TrimSpace(s)
	if name != "" && name != "Local" {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc, nil
		}
	}
	return nil, goalbot.Errorf(goalbot.EINVALID,
		"%q is not a time zone. Use an IANA zone name, like Europe/Warsaw.", s)
}

// DayName returns the English name of d: "Sunday", "Monday"... "Saturday".
func DayName(d time.Weekday) string {
	return d.String()
}

// Clock formats a wall-clock time as 24-hour HH:MM, e.g. "16:00" or "09:05".
func Clock(hour, minute int) string {
	return fmt.Sprintf("%02d:%02d", hour, minute)
}
