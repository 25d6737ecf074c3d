package commands

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/schedule"
)

// Limits of the dates ParseDate returns.
const (
	minDateYear     = 2000
	maxDateYear     = 2200
	maxRelativeDays = 3660 // about ten years
)

var (
	isoDateRe       = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	monthDayRe      = regexp.MustCompile(`^(\d{1,2})-(\d{1,2})$`)
	quarterRe       = regexp.MustCompile(`^(?:(\d{4})-?)?q(\d+)$`)
	quarterYearRe   = regexp.MustCompile(`^q\d+[-/ ]?\d{4}$`)
	relativeDateRe  = regexp.MustCompile(`^([+-]?)(\d+)([a-z]+)$`)
	relativeNoNumRe = regexp.MustCompile(`^[+-][a-z]*$`)
)

// ParseDate parses the date forms users type, relative to today (the caller's
// calendar date). Returns EINVALID otherwise.
//
// The forms, case-insensitive and with surrounding whitespace ignored, are:
// an ISO date (2026-12-31, also 2026-1-5); a month and day in today's year
// (12-31, even if already past, so as-of:11-20 back-dates); a quarter's last
// day (Q1..Q4: the next such quarter end, today included, so due:Q1 in
// November means next March; or 2026Q4 and 2026-Q4); an offset in days or
// weeks from today (+30d, +6w, -3d, +0d; the sign may be left out for the
// future; at most 3660 days either way); a weekday name, full or abbreviated
// (friday, fri), meaning the next such day strictly after today; and today,
// tomorrow and yesterday. Every result lies between 2000 and 2200. Callers
// check whether the date makes sense for their purpose (in the past, after a
// start date, ...).
func ParseDate(s string, today goalbot.Date) (goalbot.Date, error) {
	return parseDate(s, today, false)
}

// ParsePastDate is ParseDate for dates that lie in the past, such as as-of
// dates: a weekday name is the latest such day, today included, and Q1..Q4
// the latest such quarter end, today included. Other forms read as in
// ParseDate.
func ParsePastDate(s string, today goalbot.Date) (goalbot.Date, error) {
	return parseDate(s, today, true)
}

func parseDate(s string, today goalbot.Date, past bool) (goalbot.Date, error) {
	in := s
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "today":
		return checkDateRange(in, today)
	case "tomorrow":
		return checkDateRange(in, today.AddDays(1))
	case "yesterday":
		return checkDateRange(in, today.AddDays(-1))
	}
	if wd, err := schedule.ParseDay(s); err == nil {
		if past {
			return checkDateRange(in, today.AddDays(-((int(today.Weekday()) - int(wd) + 7) % 7)))
		}
		days := (int(wd) - int(today.Weekday()) + 7) % 7
		if days == 0 {
			days = 7
		}
		return checkDateRange(in, today.AddDays(days))
	}
	if m := isoDateRe.FindStringSubmatch(s); m != nil {
		return calendarDate(in, atoiDigits(m[1]), atoiDigits(m[2]), atoiDigits(m[3]), false)
	}
	if m := monthDayRe.FindStringSubmatch(s); m != nil {
		return calendarDate(in, today.Year, atoiDigits(m[1]), atoiDigits(m[2]), true)
	}
	if m := quarterRe.FindStringSubmatch(s); m != nil {
		year := today.Year
		if m[1] != "" {
			year = atoiDigits(m[1])
		}
		q := atoiDigits(m[2])
		if q < 1 || q > 4 {
			return goalbot.Date{}, goalbot.Errorf(goalbot.EINVALID,
				"%s is not a quarter. Use Q1, Q2, Q3 or Q4, or 2026-Q4 for another year.", quotedArg(in))
		}
		end := goalbot.Date{Year: year, Month: time.Month(q * 3), Day: 1}.QuarterEnd()
		switch {
		case m[1] != "":
		case past && end.After(today):
			end = goalbot.Date{Year: year - 1, Month: time.Month(q * 3), Day: 1}.QuarterEnd()
		case !past && end.Before(today):
			end = goalbot.Date{Year: year + 1, Month: time.Month(q * 3), Day: 1}.QuarterEnd()
		}
		return checkDateRange(in, end)
	}
	if quarterYearRe.MatchString(s) {
		return goalbot.Date{}, goalbot.Errorf(goalbot.EINVALID,
			"%s is not a date. Put the year first, as in 2026-Q4.", quotedArg(in))
	}
	if m := relativeDateRe.FindStringSubmatch(s); m != nil {
		return relativeDate(in, today, m[1] == "-", m[2], m[3])
	}
	if relativeNoNumRe.MatchString(s) {
		return goalbot.Date{}, goalbot.Errorf(goalbot.EINVALID,
			"%s is not a date. Put a number of days or weeks after the sign, as in +30d or +6w.", quotedArg(in))
	}
	return goalbot.Date{}, dateError(in)
}

// calendarDate validates a year, month and day the user wrote. monthDay says
// the user wrote only the month and day (12-31).
func calendarDate(in string, year, month, day int, monthDay bool) (goalbot.Date, error) {
	if month < 1 || month > 12 {
		example := "write dates as year-month-day, as in 2026-12-31"
		if monthDay {
			example = "write the month first, as in 12-31"
		}
		return goalbot.Date{}, goalbot.Errorf(goalbot.EINVALID,
			"%s has no month %d; %s.", quotedArg(in), month, example)
	}
	if year < minDateYear || year > maxDateYear {
		return goalbot.Date{}, dateRangeError(in)
	}
	last := time.Date(year, time.Month(month)+1, 0, 12, 0, 0, 0, time.UTC).Day()
	if day < 1 || day > last {
		return goalbot.Date{}, goalbot.Errorf(goalbot.EINVALID,
			"%s is not a real day: %s %d has %d days.", quotedArg(in), time.Month(month), year, last)
	}
	return goalbot.Date{Year: year, Month: time.Month(month), Day: day}, nil
}

// relativeDate moves today by n days or weeks, as +30d or -2w ask.
func relativeDate(in string, today goalbot.Date, past bool, n, unit string) (goalbot.Date, error) {
	per := 0
	switch unit {
	case "d", "day", "days":
		per = 1
	case "w", "wk", "wks", "week", "weeks":
		per = 7
	case "m", "mo", "mos", "month", "months", "y", "yr", "yrs", "year", "years":
		return goalbot.Date{}, goalbot.Errorf(goalbot.EINVALID,
			"%s is not a date. Months and years vary in length, so count days or weeks, as in +60d or +8w, or give a date like 2026-12-31.", quotedArg(in))
	default:
		return goalbot.Date{}, goalbot.Errorf(goalbot.EINVALID,
			"%s is not a date. Count days or weeks, as in +30d or +6w.", quotedArg(in))
	}
	count, err := strconv.Atoi(n)
	if err != nil || count > maxRelativeDays/per {
		return goalbot.Date{}, goalbot.Errorf(goalbot.EINVALID,
			"%s is too far off. Move at most %d days (about ten years), or give a date like 2030-12-31.", quotedArg(in), maxRelativeDays)
	}
	days := count * per
	if past {
		days = -days
	}
	return checkDateRange(in, today.AddDays(days))
}

// checkDateRange returns d, or EINVALID when d is outside the years dates may
// have.
func checkDateRange(in string, d goalbot.Date) (goalbot.Date, error) {
	if d.Year < minDateYear || d.Year > maxDateYear {
		return goalbot.Date{}, dateRangeError(in)
	}
	return d, nil
}

func dateRangeError(in string) error {
	return goalbot.Errorf(goalbot.EINVALID,
		"%s is out of range. Dates must be between %d and %d.", quotedArg(in), minDateYear, maxDateYear)
}

func dateError(in string) error {
	return goalbot.Errorf(goalbot.EINVALID,
		"%s is not a date. Try 2026-12-31, 12-31, Q4, +30d, friday or tomorrow.", quotedArg(in))
}

// atoiDigits converts a short run of ASCII digits that a pattern has already
// matched.
func atoiDigits(s string) int {
	n := 0
	for i := 0; i < len(s) && n < 1e6; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
