package commands

import (
	"strings"
	"testing"

	"github.com/goalbot/goalbot"
)

// dateSpecToday is a Friday.
var dateSpecToday = goalbot.Date{Year: 2026, Month: 5, Day: 15}

var parseDateTests = []struct {
	in    string
	today goalbot.Date // dateSpecToday when zero
	want  string
}{
	{in: "2026-12-31", want: "2026-12-31"},
	{in: "2027-1-5", want: "2027-01-05"},
	{in: "2028-02-29", want: "2028-02-29"},
	{in: "2000-01-01", want: "2000-01-01"},
	{in: "2200-12-31", want: "2200-12-31"},
	{in: "2020-06-30", want: "2020-06-30"},
	{in: "12-31", want: "2026-12-31"},
	{in: "01-15", want: "2026-01-15"},
	{in: "1-5", want: "2026-01-05"},
	{in: "02-29", today: goalbot.Date{Year: 2028, Month: 1, Day: 1}, want: "2028-02-29"},
	{in: "Q1", want: "2027-03-31"}, // Q1 2026 has ended: the next Q1
	{in: "Q4", today: goalbot.Date{Year: 2026, Month: 12, Day: 31}, want: "2026-12-31"},
	{in: "Q1", today: goalbot.Date{Year: 2026, Month: 3, Day: 31}, want: "2026-03-31"},
	{in: "Q1", today: goalbot.Date{Year: 2026, Month: 4, Day: 1}, want: "2027-03-31"},
	{in: "q2", want: "2026-06-30"},
	{in: "Q3", want: "2026-09-30"},
	{in: "Q4", want: "2026-12-31"},
	{in: "2027Q1", want: "2027-03-31"},
	{in: "2027-q2", want: "2027-06-30"},
	{in: "2026-Q4", want: "2026-12-31"},
	{in: "+30d", want: "2026-06-14"},
	{in: "30d", want: "2026-06-14"},
	{in: "+6w", want: "2026-06-26"},
	{in: "+6W", want: "2026-06-26"},
	{in: "-3d", want: "2026-05-12"},
	{in: "-1w", want: "2026-05-08"},
	{in: "+0d", want: "2026-05-15"},
	{in: "+1d", want: "2026-05-16"},
	{in: "+10days", want: "2026-05-25"},
	{in: "+2weeks", want: "2026-05-29"},
	{in: "+3660d", want: "2036-05-22"},
	{in: "-3660d", want: "2016-05-07"},
	{in: "+522w", want: "2036-05-16"},
	{in: "+1d", today: goalbot.Date{Year: 2026, Month: 12, Day: 31}, want: "2027-01-01"},
	{in: "friday", want: "2026-05-22"},
	{in: "fri", want: "2026-05-22"},
	{in: "FRIDAY", want: "2026-05-22"},
	{in: "saturday", want: "2026-05-16"},
	{in: "sat", want: "2026-05-16"},
	{in: "sunday", want: "2026-05-17"},
	{in: "sun", want: "2026-05-17"},
	{in: "monday", want: "2026-05-18"},
	{in: "Mon", want: "2026-05-18"},
	{in: "tuesday", want: "2026-05-19"},
	{in: "tue", want: "2026-05-19"},
	{in: "tues", want: "2026-05-19"},
	{in: "wednesday", want: "2026-05-20"},
	{in: "wed", want: "2026-05-20"},
	{in: "thursday", want: "2026-05-21"},
	{in: "thu", want: "2026-05-21"},
	{in: "thurs", want: "2026-05-21"},
	{in: "monday", today: goalbot.Date{Year: 2026, Month: 12, Day: 30}, want: "2027-01-04"},
	{in: "today", want: "2026-05-15"},
	{in: "Tomorrow", want: "2026-05-16"},
	{in: "yesterday", want: "2026-05-14"},
	{in: "tomorrow", today: goalbot.Date{Year: 2028, Month: 2, Day: 28}, want: "2028-02-29"},
	{in: " friday ", want: "2026-05-22"},
}

var parseDateErrors = []struct {
	in    string
	today goalbot.Date // dateSpecToday when zero
}{
	{in: ""},
	{in: "   "},
	{in: "someday"},
	{in: "2026-02-30"},
	{in: "2027-02-29"},
	{in: "2026-04-31"},
	{in: "2026-13-01"},
	{in: "2026-00-10"},
	{in: "2026-01-00"},
	{in: "13-01"},
	{in: "31-12"},
	{in: "02-30"},
	{in: "02-29"},
	{in: "Q5"},
	{in: "Q0"},
	{in: "q10"},
	{in: "2026Q5"},
	{in: "Q4-2026"},
	{in: "+d"},
	{in: "+"},
	{in: "-"},
	{in: "+5x"},
	{in: "+2m"},
	{in: "+1y"},
	{in: "++3d"},
	{in: "+-3d"},
	{in: "+3661d"},
	{in: "-3661d"},
	{in: "+523w"},
	{in: "+99999999999999999999999d"},
	{in: "1999-12-31"},
	{in: "2201-01-01"},
	{in: "0000-01-01"},
	{in: "1999Q4"},
	{in: "2026/12/31"},
	{in: "12/31"},
	{in: "31.12.2026"},
	{in: "2026-12-31T00:00"},
	{in: "20261231"},
	{in: "2026"},
	{in: "next friday"},
	{in: "fridays"},
	{in: "fr"},
	{in: "tomorow"},
	{in: "+30 d"},
	{in: "tomorrow", today: goalbot.Date{Year: 2200, Month: 12, Day: 31}},
	{in: "+1w", today: goalbot.Date{Year: 2200, Month: 12, Day: 31}},
	{in: "yesterday", today: goalbot.Date{Year: 2000, Month: 1, Day: 1}},
	{in: "12-31", today: goalbot.Date{Year: 1999, Month: 6, Day: 1}},
	{in: "Q4", today: goalbot.Date{Year: 2201, Month: 1, Day: 1}},
}

func TestParseDate(t *testing.T) {
	for _, tt := range parseDateTests {
		today := tt.today
		if today.IsZero() {
			today = dateSpecToday
		}
		t.Run(tt.in+"@"+today.String(), func(t *testing.T) {
			got, err := ParseDate(tt.in, today)
			if err != nil {
				t.Fatalf("ParseDate(%q, %v) error: %v", tt.in, today, err)
			}
			if got.String() != tt.want {
				t.Errorf("ParseDate(%q, %v) = %v, want %s", tt.in, today, got, tt.want)
			}
		})
	}
}

func TestParseDateErrors(t *testing.T) {
	for _, tt := range parseDateErrors {
		today := tt.today
		if today.IsZero() {
			today = dateSpecToday
		}
		t.Run(tt.in+"@"+today.String(), func(t *testing.T) {
			got, err := ParseDate(tt.in, today)
			if err == nil {
				t.Fatalf("ParseDate(%q, %v) = %v, want an error", tt.in, today, got)
			}
			if !got.IsZero() {
				t.Errorf("ParseDate(%q, %v) returned %v with its error", tt.in, today, got)
			}
			checkUserError(t, err, tt.in)
		})
	}
}

func TestParseDateMessages(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"someday", `"someday" is not a date. Try 2026-12-31, 12-31, Q4, +30d, friday or tomorrow.`},
		{"", `"" is not a date. Try 2026-12-31, 12-31, Q4, +30d, friday or tomorrow.`},
		{"2026-02-30", `"2026-02-30" is not a real day: February 2026 has 28 days.`},
		{"02-30", `"02-30" is not a real day: February 2026 has 28 days.`},
		{"2026-13-01", `"2026-13-01" has no month 13; write dates as year-month-day, as in 2026-12-31.`},
		{"31-12", `"31-12" has no month 31; write the month first, as in 12-31.`},
		{"1999-12-31", `"1999-12-31" is out of range. Dates must be between 2000 and 2200.`},
		{"Q5", `"Q5" is not a quarter.`},
		{"Q4-2026", `"Q4-2026" is not a date. Put the year first, as in 2026-Q4.`},
		{"+2m", `"+2m" is not a date. Months and years vary in length`},
		{"+5x", `"+5x" is not a date. Count days or weeks, as in +30d or +6w.`},
		{"+d", `"+d" is not a date. Put a number of days or weeks after the sign`},
		{"+3661d", `"+3661d" is too far off.`},
	} {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseDate(tt.in, dateSpecToday)
			if msg := goalbot.ErrorMessage(err); !strings.HasPrefix(msg, tt.want) {
				t.Errorf("ParseDate(%q) message = %q, want it to start with %q", tt.in, msg, tt.want)
			}
		})
	}
}

// fuzzTodays are the days FuzzParseDate parses relative to: an ordinary
// Friday, a leap day, and the first and last days dates may have.
var fuzzTodays = []goalbot.Date{
	dateSpecToday,
	{Year: 2028, Month: 2, Day: 29},
	{Year: 2000, Month: 1, Day: 1},
	{Year: 2200, Month: 12, Day: 31},
}

func FuzzParseDate(f *testing.F) {
	for _, tt := range parseDateTests {
		f.Add(tt.in)
	}
	for _, tt := range parseDateErrors {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, today := range fuzzTodays {
			d, err := ParseDate(s, today)
			if err != nil {
				checkUserError(t, err, s)
				continue
			}
			if d.Year < 2000 || d.Year > 2200 {
				t.Fatalf("ParseDate(%q, %v) = %v, outside 2000..2200", s, today, d)
			}
			back, err := goalbot.ParseISODate(d.String())
			if err != nil || back != d {
				t.Fatalf("ParseDate(%q, %v) = %#v, which does not round-trip through %q: %v, %v", s, today, d, d.String(), back, err)
			}
			again, err := ParseDate(d.String(), today)
			if err != nil || again != d {
				t.Fatalf("ParseDate(%q, %v) = %v, but ParseDate of that gives %v, %v", s, today, d, again, err)
			}
		}
	})
}
