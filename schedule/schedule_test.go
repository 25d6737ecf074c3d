package schedule_test

import (
	"fmt"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the same zones on any machine

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/schedule"
)

// MustZone loads an IANA zone or fails the test.
func MustZone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

// testZones are the zones the year-long tests run in: a whole-hour DST
// change, another one in Europe, no DST at all, a 30-minute DST change, and
// a change at 02:45.
var testZones = []string{
	"America/New_York",
	"Europe/Warsaw",
	"Asia/Kolkata",
	"Australia/Lord_Howe",
	"Pacific/Chatham",
}

// wallAsUTC returns the wall-clock reading of t in its location, as a UTC
// time, so readings compare and subtract as plain numbers.
func wallAsUTC(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// wantOccurrence works out independently, by brute force, when a schedule at
// hour:minute must fire on the local date day (midnight UTC) in zone: the
// first instant the zone's clock shows that time on that date or, when the
// time is skipped by a spring-forward gap, the time read with the offset
// before the gap. Offsets and transitions in the test zones lie on a
// 15-minute grid, and so do the test schedules, so a 15-minute scan finds
// every reading. It also reports whether the time fell into a gap.
func wantOccurrence(tb testing.TB, zone *time.Location, day time.Time, hour, minute int) (time.Time, bool) {
	tb.Helper()
	wall := time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, time.UTC)
	const step = 15 * time.Minute
	for u := wall.Add(-16 * time.Hour); u.Before(wall.Add(16 * time.Hour)); u = u.Add(step) {
		if wallAsUTC(u.In(zone)).Equal(wall) {
			return u.In(zone), false
		}
	}
	for u := wall.Add(-16 * time.Hour); u.Before(wall.Add(16 * time.Hour)); u = u.Add(step) {
		before, after := u.Add(-step).In(zone), u.In(zone)
		if wallAsUTC(before).Before(wall) && wallAsUTC(after).After(wall) {
			_, offset := before.Zone()
			return wall.Add(-time.Duration(offset) * time.Second).In(zone), true
		}
	}
	tb.Fatalf("%s on %s in %s: neither a reading nor a gap found", schedule.Clock(hour, minute), day.Format(time.DateOnly), zone)
	return time.Time{}, false
}

// TestDSTDates2026 checks the DST change dates the explicit tests below rely
// on against the tz database, by finding the local dates whose UTC offset
// changes.
func TestDSTDates2026(t *testing.T) {
	want := map[string][]string{
		"America/New_York":    {"2026-03-08", "2026-11-01"},
		"Europe/Warsaw":       {"2026-03-29", "2026-10-25"},
		"Asia/Kolkata":        nil,
		"Australia/Lord_Howe": {"2026-04-05", "2026-10-04"},
		"Pacific/Chatham":     {"2026-04-05", "2026-09-27"},
	}
	for _, name := range testZones {
		t.Run(name, func(t *testing.T) {
			zone := MustZone(t, name)
			var got []string
			for day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() == 2026; day = day.AddDate(0, 0, 1) {
				_, start := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, zone).Zone()
				_, end := time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 0, 0, zone).Zone()
				if start != end {
					got = append(got, day.Format(time.DateOnly))
				}
			}
			if !slices.Equal(got, want[name]) {
				t.Errorf("DST change dates = %v, want %v", got, want[name])
			}
		})
	}
}

// TestNextYear iterates Next over 53 weeks from 2026-01-01 and checks that
// every scheduled local date fires exactly once, on the right weekday, at the
// scheduled wall time (or just past a DST gap), under the scheduled label.
func TestNextYear(t *testing.T) {
	schedules := []struct {
		name         string
		days         []time.Weekday
		hour, minute int
	}{
		{"monday 10:00", []time.Weekday{time.Monday}, 10, 0},
		{"sunday 02:30", []time.Weekday{time.Sunday}, 2, 30},
		{"daily 01:30", nil, 1, 30},
		{"daily 02:15", nil, 2, 15}, // in Lord Howe's 30-minute gap
		{"daily 03:00", nil, 3, 0},  // in Chatham's gap and fold
		{"weekdays 09:00", []time.Weekday{time.Friday, time.Monday, time.Wednesday}, 9, 0},
	}
	firstDay := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	endDay := firstDay.AddDate(0, 0, 7*53)
	for _, name := range testZones {
		zone := MustZone(t, name)
		for _, s := range schedules {
			t.Run(name+"/"+s.name, func(t *testing.T) {
				w := schedule.Weekly{Days: s.days, Hour: s.hour, Minute: s.minute, Zone: zone}
				type occurrence struct {
					at    time.Time
					label string
				}
				var want []occurrence
				gaps := 0
				for day := firstDay; day.Before(endDay); day = day.AddDate(0, 0, 1) {
					if len(s.days) > 0 && !slices.Contains(s.days, day.Weekday()) {
						continue
					}
					at, gap := wantOccurrence(t, zone, day, s.hour, s.minute)
					if gap {
						gaps++
						// Fired past the gap, but on the same local date.
						if at.Format(time.DateOnly) != day.Format(time.DateOnly) {
							t.Fatalf("oracle: gap occurrence %v is not on %s", at, day.Format(time.DateOnly))
						}
					}
					want = append(want, occurrence{at, day.Format(time.DateOnly) + "T" + schedule.Clock(s.hour, s.minute)})
				}

				var got []occurrence
				end := time.Date(endDay.Year(), endDay.Month(), endDay.Day(), 0, 0, 0, 0, zone)
				at := time.Date(2026, 1, 1, 0, 0, 0, 0, zone)
				for {
					next := w.Next(at)
					if next.IsZero() {
						t.Fatalf("Next(%v) = zero time", at)
					}
					if !next.After(at) {
						t.Fatalf("Next(%v) = %v, not after", at, next)
					}
					if next.Location() != zone {
						t.Fatalf("Next(%v) is in %v, want %v", at, next.Location(), zone)
					}
					if !next.Before(end) {
						break
					}
					got = append(got, occurrence{next, w.Label(next)})
					at = next
				}

				for i := 0; i < len(got) || i < len(want); i++ {
					switch {
					case i >= len(got):
						t.Fatalf("missing occurrence %d: %v (%s)", i, want[i].at, want[i].label)
					case i >= len(want):
						t.Fatalf("extra occurrence %d: %v (%s)", i, got[i].at, got[i].label)
					case !got[i].at.Equal(want[i].at) || got[i].label != want[i].label:
						t.Fatalf("occurrence %d = %v (%s), want %v (%s)", i, got[i].at, got[i].label, want[i].at, want[i].label)
					}
				}
				if len(s.days) == 1 {
					for _, o := range got {
						if o.at.Weekday() != s.days[0] {
							t.Errorf("%v is a %v, want %v", o.at, o.at.Weekday(), s.days[0])
						}
					}
				}
				t.Logf("%d occurrences, %d shifted by a DST gap", len(got), gaps)
			})
		}
	}
}

// TestNextDSTDays pins the occurrences on 2026's DST change dates, and the
// occurrence after each, so a skipped or doubled day shows by name.
func TestNextDSTDays(t *testing.T) {
	tests := []struct {
		zone         string
		date         string // the scheduled local date; daily schedule
		hour, minute int
		want         string // RFC 3339
		wantNext     string // the following day's occurrence
	}{
		// New York: 02:00 EST -> 03:00 EDT on 03-08; 02:00 EDT -> 01:00 EST on 11-01.
		{"America/New_York", "2026-03-08", 2, 30, "2026-03-08T03:30:00-04:00", "2026-03-09T02:30:00-04:00"},
		{"America/New_York", "2026-03-08", 2, 0, "2026-03-08T03:00:00-04:00", "2026-03-09T02:00:00-04:00"},
		{"America/New_York", "2026-03-08", 1, 30, "2026-03-08T01:30:00-05:00", "2026-03-09T01:30:00-04:00"},
		{"America/New_York", "2026-03-08", 3, 0, "2026-03-08T03:00:00-04:00", "2026-03-09T03:00:00-04:00"},
		{"America/New_York", "2026-11-01", 1, 30, "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"},
		{"America/New_York", "2026-11-01", 1, 0, "2026-11-01T01:00:00-04:00", "2026-11-02T01:00:00-05:00"},
		{"America/New_York", "2026-11-01", 2, 30, "2026-11-01T02:30:00-05:00", "2026-11-02T02:30:00-05:00"},
		// Warsaw: 02:00 CET -> 03:00 CEST on 03-29; 03:00 CEST -> 02:00 CET on 10-25.
		{"Europe/Warsaw", "2026-03-29", 2, 30, "2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00"},
		{"Europe/Warsaw", "2026-10-25", 2, 30, "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"},
		// Lord Howe: 02:00 +11 -> 01:30 +1030 on 04-05; 02:00 +1030 -> 02:30 +11 on 10-04.
		{"Australia/Lord_Howe", "2026-04-05", 1, 30, "2026-04-05T01:30:00+11:00", "2026-04-06T01:30:00+10:30"},
		{"Australia/Lord_Howe", "2026-04-05", 1, 45, "2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"},
		{"Australia/Lord_Howe", "2026-10-04", 2, 15, "2026-10-04T02:45:00+11:00", "2026-10-05T02:15:00+11:00"},
		{"Australia/Lord_Howe", "2026-10-04", 2, 0, "2026-10-04T02:30:00+11:00", "2026-10-05T02:00:00+11:00"},
		{"Australia/Lord_Howe", "2026-10-04", 2, 30, "2026-10-04T02:30:00+11:00", "2026-10-05T02:30:00+11:00"},
		// Chatham: 03:45 +1345 -> 02:45 +1245 on 04-05; 02:45 +1245 -> 03:45 +1345 on 09-27.
		{"Pacific/Chatham", "2026-04-05", 3, 0, "2026-04-05T03:00:00+13:45", "2026-04-06T03:00:00+12:45"},
		{"Pacific/Chatham", "2026-04-05", 2, 45, "2026-04-05T02:45:00+13:45", "2026-04-06T02:45:00+12:45"},
		{"Pacific/Chatham", "2026-09-27", 3, 0, "2026-09-27T04:00:00+13:45", "2026-09-28T03:00:00+13:45"},
		{"Pacific/Chatham", "2026-09-27", 2, 30, "2026-09-27T02:30:00+12:45", "2026-09-28T02:30:00+13:45"},
		{"Pacific/Chatham", "2026-09-27", 3, 45, "2026-09-27T03:45:00+13:45", "2026-09-28T03:45:00+13:45"},
		// Kolkata has no DST.
		{"Asia/Kolkata", "2026-03-08", 2, 30, "2026-03-08T02:30:00+05:30", "2026-03-09T02:30:00+05:30"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/%s", tt.zone, tt.date, schedule.Clock(tt.hour, tt.minute)), func(t *testing.T) {
			zone := MustZone(t, tt.zone)
			w := schedule.Weekly{Hour: tt.hour, Minute: tt.minute, Zone: zone}
			day, err := time.ParseInLocation(time.DateOnly, tt.date, zone) // midnight exists in these zones
			if err != nil {
				t.Fatal(err)
			}
			got := w.Next(day)
			if s := got.Format(time.RFC3339); s != tt.want {
				t.Errorf("Next(%s) = %s, want %s", tt.date, s, tt.want)
			}
			if label, want := w.Label(got), tt.date+"T"+schedule.Clock(tt.hour, tt.minute); label != want {
				t.Errorf("Label(%s) = %s, want %s", got.Format(time.RFC3339), label, want)
			}
			// From a UTC instant just before, the same answer.
			if again := w.Next(got.Add(-time.Nanosecond).UTC()); !again.Equal(got) {
				t.Errorf("Next(just before, UTC) = %s, want %s", again.Format(time.RFC3339), tt.want)
			}
			next := w.Next(got)
			if s := next.Format(time.RFC3339); s != tt.wantNext {
				t.Errorf("Next(%s) = %s, want %s", tt.want, s, tt.wantNext)
			}
			// Any instant between the two, such as a repeated wall time's
			// second reading, leads to the next day's occurrence.
			for at := got; at.Before(next); at = at.Add(15 * time.Minute) {
				if n := w.Next(at); !n.Equal(next) {
					t.Fatalf("Next(%s) = %s, want %s", at.Format(time.RFC3339), n.Format(time.RFC3339), tt.wantNext)
				}
			}
		})
	}
}

func TestLabel(t *testing.T) {
	ny := MustZone(t, "America/New_York")
	lordHowe := MustZone(t, "Australia/Lord_Howe")
	tests := []struct {
		name string
		w    schedule.Weekly
		at   string // RFC 3339
		want string
	}{
		{"plain", schedule.Weekly{Hour: 16, Minute: 0, Zone: ny}, "2026-06-05T16:00:00-04:00", "2026-06-05T16:00"},
		{"instant in another zone", schedule.Weekly{Hour: 16, Minute: 0, Zone: ny}, "2026-06-05T20:00:00Z", "2026-06-05T16:00"},
		{"shifted by a gap", schedule.Weekly{Hour: 2, Minute: 30, Zone: ny}, "2026-03-08T03:30:00-04:00", "2026-03-08T02:30"},
		{"shifted by a 30-minute gap", schedule.Weekly{Hour: 2, Minute: 15, Zone: lordHowe}, "2026-10-04T02:45:00+11:00", "2026-10-04T02:15"},
		{"first reading of a repeated time", schedule.Weekly{Hour: 1, Minute: 30, Zone: ny}, "2026-11-01T01:30:00-04:00", "2026-11-01T01:30"},
		{"second reading of a repeated time", schedule.Weekly{Hour: 1, Minute: 30, Zone: ny}, "2026-11-01T01:30:00-05:00", "2026-11-01T01:30"},
		{"not an occurrence", schedule.Weekly{Hour: 2, Minute: 30, Zone: ny}, "2026-03-08T03:31:59-04:00", "2026-03-08T03:31"},
		{"another schedule's shifted time", schedule.Weekly{Hour: 3, Minute: 30, Zone: ny}, "2026-03-08T03:30:00-04:00", "2026-03-08T03:30"},
		{"nil zone reads as UTC", schedule.Weekly{Hour: 9}, "2026-03-08T09:00:00Z", "2026-03-08T09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, err := time.Parse(time.RFC3339, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.w.Label(at); got != tt.want {
				t.Errorf("Label(%s) = %s, want %s", tt.at, got, tt.want)
			}
		})
	}
}

func TestNextInvalid(t *testing.T) {
	utc := MustZone(t, "UTC")
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		w    schedule.Weekly
	}{
		{"nil zone", schedule.Weekly{Hour: 9}},
		{"local zone", schedule.Weekly{Hour: 9, Zone: time.Local}},
		{"hour 24", schedule.Weekly{Hour: 24, Zone: utc}},
		{"hour -1", schedule.Weekly{Hour: -1, Zone: utc}},
		{"minute 60", schedule.Weekly{Minute: 60, Zone: utc}},
		{"weekday 7", schedule.Weekly{Days: []time.Weekday{7}, Zone: utc}},
		{"weekday -1", schedule.Weekly{Days: []time.Weekday{-1}, Zone: utc}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.w.Next(at); !got.IsZero() {
				t.Errorf("Next = %v, want the zero time", got)
			}
			if tt.w.Zone == nil {
				return // Spec writes a nil zone as UTC
			}
			if _, err := schedule.ParseSpec(tt.w.Spec()); err == nil {
				t.Errorf("ParseSpec(%q) accepted an invalid schedule", tt.w.Spec())
			}
		})
	}
}

func TestNextFixedZone(t *testing.T) {
	// A zone without an IANA name has no parseable spec, but still schedules.
	w := schedule.Weekly{Days: []time.Weekday{time.Friday}, Hour: 16, Zone: time.FixedZone("X", 3600)}
	got := w.Next(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if want := "2026-01-02T16:00:00+01:00"; got.Format(time.RFC3339) != want {
		t.Errorf("Next = %s, want %s", got.Format(time.RFC3339), want)
	}
}

func TestSpecRoundTrip(t *testing.T) {
	warsaw := MustZone(t, "Europe/Warsaw")
	ny := MustZone(t, "America/New_York")
	utc := MustZone(t, "UTC")
	all := []time.Weekday{0, 1, 2, 3, 4, 5, 6}
	tests := []struct {
		name     string
		w        schedule.Weekly
		spec     string
		wantDays []time.Weekday // after ParseSpec
	}{
		{"friday", schedule.Weekly{Days: []time.Weekday{time.Friday}, Hour: 16, Zone: warsaw}, "CRON_TZ=Europe/Warsaw 0 16 * * 5", []time.Weekday{time.Friday}},
		{"every day", schedule.Weekly{Hour: 1, Minute: 30, Zone: ny}, "CRON_TZ=America/New_York 30 1 * * *", nil},
		{"all seven days", schedule.Weekly{Days: all, Hour: 1, Minute: 30, Zone: ny}, "CRON_TZ=America/New_York 30 1 * * *", nil},
		{"unsorted with repeats", schedule.Weekly{Days: []time.Weekday{5, 1, 3, 1}, Hour: 9, Minute: 5, Zone: ny}, "CRON_TZ=America/New_York 5 9 * * 1,3,5", []time.Weekday{1, 3, 5}},
		{"weekend at the last minute", schedule.Weekly{Days: []time.Weekday{6, 0}, Hour: 23, Minute: 59, Zone: utc}, "CRON_TZ=UTC 59 23 * * 0,6", []time.Weekday{0, 6}},
		{"midnight", schedule.Weekly{Days: []time.Weekday{time.Monday}, Zone: MustZone(t, "Asia/Kolkata")}, "CRON_TZ=Asia/Kolkata 0 0 * * 1", []time.Weekday{time.Monday}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.w.Spec(); got != tt.spec {
				t.Fatalf("Spec() = %q, want %q", got, tt.spec)
			}
			got, err := schedule.ParseSpec(tt.spec)
			if err != nil {
				t.Fatalf("ParseSpec(%q): %v", tt.spec, err)
			}
			if !slices.Equal(got.Days, tt.wantDays) || got.Hour != tt.w.Hour || got.Minute != tt.w.Minute || got.Zone.String() != tt.w.Zone.String() {
				t.Errorf("ParseSpec(%q) = %+v, want days %v, %02d:%02d in %v", tt.spec, got, tt.wantDays, tt.w.Hour, tt.w.Minute, tt.w.Zone)
			}
			if got.Spec() != tt.spec {
				t.Errorf("ParseSpec(%q).Spec() = %q", tt.spec, got.Spec())
			}
		})
	}
}

// badSpecs are specs ParseSpec must refuse without panicking.
var badSpecs = []string{
	"",
	" ",
	"CRON_TZ=",
	"CRON_TZ= ",
	"CRON_TZ= 0 1 * * *",
	"TZ=",
	"CRON_TZ=Mars/Base 0 1 * * *",
	"CRON_TZ=Local 0 1 * * *",
	"CRON_TZ=utc 0 1 * * *",
	"CRON_TZ=../../etc/passwd 0 1 * * *",
	"CRON_TZ=/etc/localtime 0 1 * * *",
	"CRON_TZ=Europe 0 1 * * *",
	"@every 1s",
	"@daily",
	"CRON_TZ=UTC @every 1s",
	"CRON_TZ=UTC @daily",
	"* * * * *",
	"0 1 * * *",
	"TZ=UTC 0 1 * * *",
	"CRON_TZ=UTC * * * * *",
	"CRON_TZ=UTC 0 1 * * * *",
	"CRON_TZ=UTC 0 0 1 * * *",
	"CRON_TZ=UTC 0 1 * *",
	"CRON_TZ=UTC 0 1 1 * *",
	"CRON_TZ=UTC 0 1 * 1 *",
	"CRON_TZ=UTC 0 1 ? * *",
	"CRON_TZ=UTC 60 1 * * *",
	"CRON_TZ=UTC 0 24 * * *",
	"CRON_TZ=UTC -1 1 * * *",
	"CRON_TZ=UTC 0 -1 * * *",
	"CRON_TZ=UTC 0 1 * * 7",
	"CRON_TZ=UTC 0 1 * * -1",
	"CRON_TZ=UTC 0 1 * * MON",
	"CRON_TZ=UTC 0 1 * * 1-5",
	"CRON_TZ=UTC 0 1 * * */2",
	"CRON_TZ=UTC */5 1 * * *",
	"CRON_TZ=UTC 0 1 * * 1,",
	"CRON_TZ=UTC 0 1 * * ,1",
	"CRON_TZ=UTC 00 1 * * *",
	"CRON_TZ=UTC +0 1 * * *",
	"CRON_TZ=UTC 0 01 * * *",
	"CRON_TZ=UTC 0 1 * * 5,1",
	"CRON_TZ=UTC 0 1 * * 1,1",
	"CRON_TZ=UTC 0 1 * * 0,1,2,3,4,5,6",
	"CRON_TZ=UTC  0 1 * * *",
	"CRON_TZ=UTC 0 1 * * * ",
	" CRON_TZ=UTC 0 1 * * *",
	"CRON_TZ=UTC\t0 1 * * *",
	"CRON_TZ=UTC 0 1 * * *\n",
	"CRON_TZ=UTC 99999999999999999999 1 * * *",
	"CRON_TZ=UTC 0x1 1 * * *",
	"CRON_TZ=UTC\x00 0 1 * * *",
	"cron_tz=UTC 0 1 * * *",
}

func TestParseSpecRefuses(t *testing.T) {
	for _, spec := range badSpecs {
		t.Run(fmt.Sprintf("%q", spec), func(t *testing.T) {
			w, err := schedule.ParseSpec(spec)
			if err == nil {
				t.Fatalf("ParseSpec(%q) = %+v, want an error", spec, w)
			}
			if goalbot.ErrorCode(err) != goalbot.EINTERNAL {
				t.Errorf("ParseSpec(%q) error code = %s, want internal: specs are stored data", spec, goalbot.ErrorCode(err))
			}
		})
	}
}

func TestParseDay(t *testing.T) {
	tests := []struct {
		in   string
		want time.Weekday
	}{
		{"monday", time.Monday}, {"Mon", time.Monday}, {"MONDAY", time.Monday},
		{"tue", time.Tuesday}, {"tues", time.Tuesday}, {"Tuesday", time.Tuesday},
		{"wed", time.Wednesday}, {"wednesday", time.Wednesday},
		{"thu", time.Thursday}, {"thur", time.Thursday}, {"thurs", time.Thursday}, {"Thursday", time.Thursday},
		{"fri", time.Friday}, {"Friday", time.Friday},
		{"sat", time.Saturday}, {"saturday", time.Saturday},
		{"sun", time.Sunday}, {"Sunday", time.Sunday},
		{" fri ", time.Friday},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := schedule.ParseDay(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ParseDay(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}

	for _, in := range []string{"", "mo", "m", "funday", "monday,", "5", "weds", "thurss", "fri day", "mon tue"} {
		t.Run("refuses "+in, func(t *testing.T) {
			_, err := schedule.ParseDay(in)
			want := fmt.Sprintf("%q is not a day of the week. Use a day name, like monday or fri.", in)
			if goalbot.ErrorCode(err) != goalbot.EINVALID || goalbot.ErrorMessage(err) != want {
				t.Errorf("ParseDay(%q) error = %v, want EINVALID %q", in, err, want)
			}
		})
	}
}

func TestParseClock(t *testing.T) {
	tests := []struct {
		in           string
		hour, minute int
	}{
		{"16:00", 16, 0}, {"9:30", 9, 30}, {"09:05", 9, 5}, {"0:00", 0, 0},
		{"00:00", 0, 0}, {"23:59", 23, 59}, {" 7:45 ", 7, 45},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			h, m, err := schedule.ParseClock(tt.in)
			if err != nil || h != tt.hour || m != tt.minute {
				t.Errorf("ParseClock(%q) = %d, %d, %v; want %d, %d", tt.in, h, m, err, tt.hour, tt.minute)
			}
		})
	}

	refused := []string{
		"25:00", "24:00", "12:60", "4pm", "4:00pm", "1600", "", "-1:00", "+1:00",
		"9:5", "9:005", "009:00", ":30", "9:", "12:00:00", "12.30", "12h30", "1 2:30", "١٢:٣٠",
	}
	for _, in := range refused {
		t.Run("refuses "+in, func(t *testing.T) {
			h, m, err := schedule.ParseClock(in)
			want := fmt.Sprintf("%q is not a time of day. Use 24-hour HH:MM, like 09:30 or 16:00.", in)
			if goalbot.ErrorCode(err) != goalbot.EINVALID || goalbot.ErrorMessage(err) != want {
				t.Errorf("ParseClock(%q) = %d, %d, %v; want EINVALID %q", in, h, m, err, want)
			}
		})
	}
	if got := goalbot.ErrorMessage(func() error { _, _, err := schedule.ParseClock("25:00"); return err }()); got != `"25:00" is not a time of day. Use 24-hour HH:MM, like 09:30 or 16:00.` {
		t.Errorf("message for 25:00 = %q", got)
	}
}

func TestParseZone(t *testing.T) {
	for _, in := range []string{"Europe/Warsaw", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "UTC", "Etc/UTC", " Europe/Warsaw "} {
		t.Run(in, func(t *testing.T) {
			loc, err := schedule.ParseZone(in)
			if err != nil {
				t.Fatalf("ParseZone(%q): %v", in, err)
			}
			if loc == nil || loc == time.Local || loc.String() == "Local" {
				t.Errorf("ParseZone(%q) = %v", in, loc)
			}
		})
	}

	refused := []string{"", " ", "Local", "Mars/Base", "europe/warsaw", "Europe", "CEST", "+02:00", "../../etc/passwd", "/etc/localtime", "Europe/Warsaw\x00"}
	for _, in := range refused {
		t.Run(fmt.Sprintf("refuses %q", in), func(t *testing.T) {
			loc, err := schedule.ParseZone(in)
			want := fmt.Sprintf("%q is not a time zone. Use an IANA zone name, like Europe/Warsaw.", in)
			if loc != nil || goalbot.ErrorCode(err) != goalbot.EINVALID || goalbot.ErrorMessage(err) != want {
				t.Errorf("ParseZone(%q) = %v, %v; want EINVALID %q", in, loc, err, want)
			}
		})
	}
}

func TestDayNameAndClock(t *testing.T) {
	names := []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	for d, want := range names {
		if got := schedule.DayName(time.Weekday(d)); got != want {
			t.Errorf("DayName(%d) = %q, want %q", d, got, want)
		}
	}
	clocks := []struct {
		hour, minute int
		want         string
	}{{16, 0, "16:00"}, {9, 5, "09:05"}, {0, 0, "00:00"}, {23, 59, "23:59"}}
	for _, c := range clocks {
		if got := schedule.Clock(c.hour, c.minute); got != c.want {
			t.Errorf("Clock(%d, %d) = %q, want %q", c.hour, c.minute, got, c.want)
		}
	}
}

func FuzzParseSpec(f *testing.F) {
	for _, s := range badSpecs {
		f.Add(s)
	}
	for _, s := range []string{
		"CRON_TZ=Europe/Warsaw 0 16 * * 5",
		"CRON_TZ=America/New_York 30 1 * * *",
		"CRON_TZ=Australia/Lord_Howe 15 2 * * 0,6",
		"CRON_TZ=Pacific/Chatham 0 3 * * 1,3,5",
	} {
		f.Add(s)
	}
	after := time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, spec string) {
		w, err := schedule.ParseSpec(spec)
		if err != nil {
			return
		}
		if got := w.Spec(); got != spec {
			t.Fatalf("ParseSpec(%q).Spec() = %q", spec, got)
		}
		next := w.Next(after)
		if !next.After(after) {
			t.Fatalf("ParseSpec(%q).Next(%v) = %v", spec, after, next)
		}
		if w.Label(next) == "" {
			t.Fatalf("ParseSpec(%q).Label(%v) is empty", spec, next)
		}
	})
}

func BenchmarkNext(b *testing.B) {
	w := schedule.Weekly{Days: []time.Weekday{time.Monday}, Hour: 10, Zone: MustZone(b, "America/New_York")}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		at = w.Next(at)
	}
}
