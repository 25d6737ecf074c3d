package goalbot_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/goalbot/goalbot"
)

func d(s string) goalbot.Date {
	v, err := goalbot.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestKeyResultProgress(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		start, target, current float64
		want                   float64
	}{
		{"increase halfway", 1000, 2000, 1500, 0.5},
		{"decrease halfway", 1.40, 0.90, 1.15, 0.5},
		{"beyond target", 1000, 2000, 2200, 1.2},
		{"below start", 1000, 2000, 900, -0.1},
		{"decrease got worse", 1.40, 0.90, 1.50, -0.2},
		{"at start", 10, 20, 10, 0},
		{"zero-length range", 5, 5, 7, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kr := &goalbot.KeyResult{Start: tc.start, Target: tc.target, Current: tc.current}
			if got := kr.Progress(); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("progress = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestObjectiveProgressIsTheWeightedMeanOfClampedProgress(t *testing.T) {
	o := &goalbot.Objective{KeyResults: []*goalbot.KeyResult{
		{Start: 0, Target: 100, Current: 100, Weight: 1}, // 100%
		{Start: 0, Target: 100, Current: 20, Weight: 3},  // 20%
		{Start: 0, Target: 100, Current: 250, Weight: 1}, // 250%, counts as 100%
		{Start: 0, Target: 100, Current: -50, Weight: 1}, // -50%, counts as 0%
	}}
	want := (1*1.0 + 3*0.2 + 1*1.0 + 1*0.0) / 6
	if got := o.Progress(); math.Abs(got-want) > 1e-9 {
		t.Errorf("progress = %v, want %v", got, want)
	}
	if got := (&goalbot.Objective{}).Progress(); got != 0 {
		t.Errorf("no key results: progress = %v, want 0", got)
	}
}

func TestExpectedProgress(t *testing.T) {
	for _, tc := range []struct {
		start, due, today string
		want              float64
	}{
		{"2026-10-01", "2026-12-31", "2026-10-01", 0},
		{"2026-10-01", "2026-12-31", "2026-11-15", 45.0 / 91},
		{"2026-10-01", "2026-12-31", "2026-12-31", 1},
		{"2026-10-01", "2026-12-31", "2027-01-15", 1},         // past due
		{"2026-10-01", "2026-12-31", "2026-09-01", 0},         // not started
		{"2026-03-01", "2026-04-01", "2026-03-29", 28.0 / 31}, // across a DST change: calendar days count
	} {
		t.Run(tc.today, func(t *testing.T) {
			if got := goalbot.PlannedProgress(d(tc.start), d(tc.due), nil, d(tc.today)); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("expected progress = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestStatusOf(t *testing.T) {
	for _, tc := range []struct {
		f                  goalbot.Framework
		progress, expected float64
		confidence         int
		want               goalbot.Status
	}{
		{goalbot.FrameworkSMART, 0.5, 0.5, -1, goalbot.OnTrack},
		{goalbot.FrameworkSMART, 0.39, 0.5, -1, goalbot.AtRisk},   // below 0.8 of expected
		{goalbot.FrameworkSMART, 0.24, 0.5, -1, goalbot.OffTrack}, // below 0.5 of expected
		{goalbot.FrameworkOKR, 0.35, 0.5, -1, goalbot.OnTrack},    // OKR: judged against 0.7 of expected
		{goalbot.FrameworkOKR, 0.27, 0.5, -1, goalbot.AtRisk},
		{goalbot.FrameworkOKR, 0.17, 0.5, -1, goalbot.OffTrack},
		{goalbot.FrameworkSMART, 0, 0.05, -1, goalbot.OnTrack}, // grace at the start of the period
		{goalbot.FrameworkSMART, 0.6, 0.5, 3, goalbot.AtRisk},  // low confidence
		{goalbot.FrameworkSMART, 0.6, 0.5, 4, goalbot.OnTrack},
		{goalbot.FrameworkSMART, 0.1, 0.5, 9, goalbot.OffTrack}, // confidence never improves a status
	} {
		t.Run(fmt.Sprintf("%s %.2f of %.2f conf %d", tc.f, tc.progress, tc.expected, tc.confidence), func(t *testing.T) {
			if got := goalbot.StatusOf(tc.f, tc.progress, tc.expected, tc.confidence); got != tc.want {
				t.Errorf("status = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestObjectiveStatusIsItsWeakestKeyResult(t *testing.T) {
	o := &goalbot.Objective{Framework: goalbot.FrameworkSMART, Start: d("2026-01-01"), Due: d("2026-12-31"), KeyResults: []*goalbot.KeyResult{
		{Start: 0, Target: 100, Current: 100, Weight: 1, LastConfidence: -1},
		{Start: 0, Target: 100, Current: 10, Weight: 1, LastConfidence: -1},
	}}
	// Mid-year: the roll-up (55%) is on track, the second key result (10%) is off track.
	if got := goalbot.ObjectiveStatus(o, d("2026-07-01")); got != goalbot.OffTrack {
		t.Errorf("status = %q, want off track", got)
	}
}

func TestDates(t *testing.T) {
	if got := d("2026-12-31").AddDays(1); got != d("2027-01-01") {
		t.Errorf("AddDays across the year = %v", got)
	}
	if got := d("2026-03-28").DaysUntil(d("2026-03-30")); got != 2 {
		t.Errorf("DaysUntil across a DST weekend = %d", got)
	}
	if got := d("2026-11-26").QuarterEnd(); got != d("2026-12-31") {
		t.Errorf("QuarterEnd = %v", got)
	}
	if got := d("2028-02-10").QuarterEnd(); got != d("2028-03-31") {
		t.Errorf("QuarterEnd = %v", got)
	}
	if _, err := goalbot.ParseISODate("2026-02-30"); goalbot.ErrorCode(err) != goalbot.EINVALID {
		t.Errorf("2026-02-30 parsed: %v", err)
	}
	if (goalbot.Date{}).String() != "" || !(goalbot.Date{}).IsZero() {
		t.Error("the zero date is not empty")
	}
}

func TestReferences(t *testing.T) {
	for s, want := range map[string]int{"3": 3, "#3": 3, "12": 12} {
		if n, ok := goalbot.ParseObjectiveNumber(s); !ok || n != want {
			t.Errorf("ParseObjectiveNumber(%q) = %d, %v", s, n, ok)
		}
	}
	for _, s := range []string{"", "#", "0", "-1", "+3", "#-1", "#+3", "3.1", "x"} {
		if n, ok := goalbot.ParseObjectiveNumber(s); ok {
			t.Errorf("ParseObjectiveNumber(%q) = %d, want refusal", s, n)
		}
	}
	for s, want := range map[string]goalbot.KRRef{"3.1": {3, 1}, "#3.12": {3, 12}} {
		if r, ok := goalbot.ParseKRRef(s); !ok || r != want {
			t.Errorf("ParseKRRef(%q) = %v, %v", s, r, ok)
		}
	}
	for _, s := range []string{"3", "3.", ".1", "0.1", "3.0", "1.2.3", "-1.1", "1.-1", "+1.1", "a.b"} {
		if r, ok := goalbot.ParseKRRef(s); ok {
			t.Errorf("ParseKRRef(%q) = %v, want refusal", s, r)
		}
	}
}

func TestPermissions(t *testing.T) {
	o := &goalbot.Objective{OwnerID: "UOWNER"}
	kr := &goalbot.KeyResult{OwnerID: "UKR"}
	admins := []string{"UADMIN"}
	for _, tc := range []struct {
		user            string
		change, checkIn bool
	}{
		{"UOWNER", true, true},
		{"UADMIN", true, true},
		{"UKR", false, true},
		{"UOTHER", false, false},
	} {
		if got := goalbot.MayChangeObjective(o, tc.user, admins); got != tc.change {
			t.Errorf("%s may change: %v, want %v", tc.user, got, tc.change)
		}
		if got := goalbot.MayChangeKeyResult(o, kr, tc.user, admins); got != tc.checkIn {
			t.Errorf("%s may check in: %v, want %v", tc.user, got, tc.checkIn)
		}
	}
}

func TestErrors(t *testing.T) {
	err := fmt.Errorf("find objective: %w", goalbot.Errorf(goalbot.ENOTFOUND, "Objective %d not found.", 7))
	if goalbot.ErrorCode(err) != goalbot.ENOTFOUND || goalbot.ErrorMessage(err) != "Objective 7 not found." {
		t.Errorf("wrapped app error: code %q, message %q", goalbot.ErrorCode(err), goalbot.ErrorMessage(err))
	}
	raw := errors.New("disk I/O error at /var/lib/secret")
	if goalbot.ErrorCode(raw) != goalbot.EINTERNAL || goalbot.ErrorMessage(raw) != "Something went wrong on our side." {
		t.Errorf("internal error: code %q, message %q", goalbot.ErrorCode(raw), goalbot.ErrorMessage(raw))
	}
	if goalbot.ErrorCode(nil) != "" {
		t.Error("a nil error has a code")
	}
}
