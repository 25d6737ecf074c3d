package goalbot_test

import (
	"math"
	"math/rand"
	"reflect"
	"slices"
	"testing"
	"testing/quick"

	"github.com/goalbot/goalbot"
)

// mustDate parses an ISO date or fails the test.
func mustDate(tb testing.TB, s string) goalbot.Date {
	tb.Helper()
	v, err := goalbot.ParseISODate(s)
	if err != nil {
		tb.Fatalf("parse date %q: %v", s, err)
	}
	return v
}

// closeTo reports whether got is want but for float noise.
func closeTo(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*max(1, math.Abs(want))
}

func TestPlannedProgress(t *testing.T) {
	type pp = goalbot.PlanPoint
	start, due := mustDate(t, "2026-01-01"), mustDate(t, "2026-01-31") // 30 days
	at := func(day int) goalbot.Date { return start.AddDays(day) }
	for _, tc := range []struct {
		name       string
		start, due goalbot.Date
		plan       []goalbot.PlanPoint
		today      goalbot.Date
		want       float64
	}{
		{"straight line halfway", start, due, nil, at(15), 0.5},
		{"before start", start, due, nil, at(-3), 0},
		{"on start", start, due, nil, start, 0},
		{"on due", start, due, nil, due, 1},
		{"after due", start, due, nil, at(40), 1},
		{"on a plan point", start, due, []pp{{at(10), 0.2}}, at(10), 0.2},
		{"between start and a plan point", start, due, []pp{{at(10), 0.2}}, at(5), 0.1},
		{"between a plan point and due", start, due, []pp{{at(10), 0.2}}, at(20), 0.6},
		{"between two plan points", start, due, []pp{{at(20), 0.9}, {at(10), 0.5}}, at(15), 0.7},
		{"points outside the period are ignored", start, due, []pp{{at(-5), 0.9}, {start, 0.9}, {due, 0.2}, {at(35), 0.1}}, at(15), 0.5},
		{"the later of two points on one date wins", start, due, []pp{{at(10), 0.9}, {at(10), 0.5}}, at(10), 0.5},
		{"a plan point beyond 1 is not clamped inside", start, due, []pp{{at(10), 1.2}}, at(10), 1.2},
		{"a plan point beyond 1 is clamped at due", start, due, []pp{{at(10), 1.2}}, due, 1},
		{"zero-length period before due", due, due, nil, at(29), 0},
		{"zero-length period on due", due, due, nil, due, 1},
		{"negative period before due", due, start, nil, at(-1), 0},
		{"negative period from due", due, start, []pp{{at(10), 0.5}}, at(10), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := goalbot.PlannedProgress(tc.start, tc.due, tc.plan, tc.today); !closeTo(got, tc.want) {
				t.Errorf("planned progress = %v, want %v", got, tc.want)
			}
		})
	}
}

// elapsed is the elapsed fraction of start..due at today, clamped: the
// plain expected progress, written out independently of PlannedProgress.
func elapsed(start, due, today goalbot.Date) float64 {
	total := start.DaysUntil(due)
	if total <= 0 {
		if today.Before(due) {
			return 0
		}
		return 1
	}
	return goalbot.Clamp01(float64(start.DaysUntil(today)) / float64(total))
}

func TestPlannedProgressWithoutPlanIsTheElapsedFraction(t *testing.T) {
	base := mustDate(t, "2026-01-01")
	for _, tc := range []struct {
		name        string
		start, days int // start offset from base, and the period's length
	}{
		{"a quarter", 0, 90},
		{"a year across a leap day", 700, 366},
		{"one day", 10, 1},
		{"zero length", 10, 0},
		{"negative length", 10, -5},
		{"a month across DST", 60, 31},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := base.AddDays(tc.start)
			due := start.AddDays(tc.days)
			for off := -10; off <= max(tc.days, 0)+10; off++ {
				today := start.AddDays(off)
				want := elapsed(start, due, today)
				if got := goalbot.PlannedProgress(start, due, nil, today); got != want {
					t.Errorf("%s: planned %v, expected %v", today, got, want)
				}
				if got := goalbot.PlannedProgress(start, due, []goalbot.PlanPoint{}, today); got != want {
					t.Errorf("%s: with an empty plan: planned %v, expected %v", today, got, want)
				}
			}
		})
	}
}

func TestWindowTooSparse(t *testing.T) {
	today := mustDate(t, "2026-03-01")
	at := func(day int) goalbot.Point { return goalbot.Point{Date: today.AddDays(day)} }
	if got := goalbot.WindowStart(today); got != today.AddDays(-27) {
		t.Errorf("WindowStart = %v, want 27 days before %v", got, today)
	}
	for _, tc := range []struct {
		name   string
		points []goalbot.Point
		want   bool
	}{
		{"none", nil, true},
		{"one date in the window", []goalbot.Point{at(-3), at(-3), at(-40)}, true},
		{"two dates in the window", []goalbot.Point{at(0), at(-27)}, false},
		{"one of them before the window", []goalbot.Point{at(0), at(-28)}, true},
		{"one of them after today", []goalbot.Point{at(1), at(0)}, true},
	} {
		if got := goalbot.WindowTooSparse(tc.points, today); got != tc.want {
			t.Errorf("%s: WindowTooSparse = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestActualRate(t *testing.T) {
	today := mustDate(t, "2026-03-01")
	at := func(day int, v float64) goalbot.Point { return goalbot.Point{Date: today.AddDays(day), Value: v} }
	for _, tc := range []struct {
		name   string
		points []goalbot.Point
		want   float64
		wantOK bool
	}{
		{"no points", nil, 0, false},
		{"one point", []goalbot.Point{at(0, 5)}, 0, false},
		{"several points on one date", []goalbot.Point{at(-3, 5), at(-3, 9)}, 0, false},
		{"two points", []goalbot.Point{at(-10, 100), at(0, 150)}, 5, true},
		{"order does not matter", []goalbot.Point{at(0, 150), at(-10, 100)}, 5, true},
		{"decreasing", []goalbot.Point{at(-10, 1.25), at(0, 1.15)}, -0.01, true},
		{"least squares through noise", []goalbot.Point{at(-3, 0), at(-2, 3), at(-1, 4), at(0, 6)}, 1.9, true},
		{"several points on one day all count", []goalbot.Point{at(-9, 0), at(0, 10), at(0, 20)}, 90.0 / 54, true},
		{"old points are left out of the window", []goalbot.Point{at(-90, 1000), at(-19, 100), at(0, 290)}, 10, true},
		{"the window starts 27 days back", []goalbot.Point{at(-28, 1000), at(-27, 0), at(0, 27)}, 1, true},
		{"all points when the window holds one date", []goalbot.Point{at(-59, 0), at(-49, 10), at(0, 59)}, 1, true},
		{"all points when the window is empty", []goalbot.Point{at(-100, 0), at(-50, 100)}, 2, true},
		{"flat", []goalbot.Point{at(-7, 3), at(0, 3)}, 0, true},
		{"zero values", []goalbot.Point{at(-7, 0), at(0, 0)}, 0, true},
		{"huge values do not overflow", []goalbot.Point{at(-1, -math.MaxFloat64), at(0, math.MaxFloat64)}, math.MaxFloat64, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := goalbot.ActualRate(tc.points, today)
			if ok != tc.wantOK || !closeTo(got, tc.want) {
				t.Errorf("ActualRate = %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestComputePace(t *testing.T) {
	today := mustDate(t, "2026-03-01")
	due := mustDate(t, "2026-03-31") // 30 days on
	at := func(day int, v float64) goalbot.Point { return goalbot.Point{Date: today.AddDays(day), Value: v} }
	followers := goalbot.PacePlan{
		Start: 1000, Target: 2000, Current: 1500, Due: due,
		Points: []goalbot.Point{at(-14, 1360), at(0, 1500)}, // 10 a day
	}
	with := func(p goalbot.PacePlan, change func(*goalbot.PacePlan)) goalbot.PacePlan {
		change(&p)
		return p
	}
	for _, tc := range []struct {
		name  string
		plan  goalbot.PacePlan
		today goalbot.Date
		want  goalbot.Pace
	}{
		{"increasing, reaches the target after due", followers, today, goalbot.Pace{
			Goal: 2000, GoalDate: due, Required: 500.0 / 30, Actual: 10, HasActual: true,
			Projected: 1800, ReachedOn: mustDate(t, "2026-04-20"), WillReach: true,
		}},
		{"the next milestone is the goal", with(followers, func(p *goalbot.PacePlan) {
			p.Milestones = []goalbot.Point{at(-9, 1400), at(61, 3000), at(20, 1900), at(10, 1700), at(0, 1500)}
		}), today, goalbot.Pace{
			Goal: 1700, GoalDate: today.AddDays(10), Required: 20, Actual: 10, HasActual: true,
			Projected: 1800, ReachedOn: mustDate(t, "2026-04-20"), WillReach: true,
		}},
		{"a milestone on the due date counts", with(followers, func(p *goalbot.PacePlan) {
			p.Milestones = []goalbot.Point{{Date: due, Value: 1800}}
		}), today, goalbot.Pace{
			Goal: 1800, GoalDate: due, Required: 10, Actual: 10, HasActual: true,
			Projected: 1800, ReachedOn: mustDate(t, "2026-04-20"), WillReach: true,
		}},
		{"decreasing cost per click", goalbot.PacePlan{
			Start: 1.40, Target: 0.90, Current: 1.15, Due: due,
			Points: []goalbot.Point{at(-10, 1.25), at(0, 1.15)},
		}, today, goalbot.Pace{
			Goal: 0.90, GoalDate: due, Required: -0.25 / 30, Actual: -0.01, HasActual: true,
			Projected: 0.85, ReachedOn: today.AddDays(25), WillReach: true,
		}},
		{"decreasing but moving away", goalbot.PacePlan{
			Start: 1.40, Target: 0.90, Current: 1.35, Due: due,
			Points: []goalbot.Point{at(-10, 1.25), at(0, 1.35)},
		}, today, goalbot.Pace{
			Goal: 0.90, GoalDate: due, Required: -0.45 / 30, Actual: 0.01, HasActual: true,
			Projected: 1.65,
		}},
		{"already past the target", with(followers, func(p *goalbot.PacePlan) { p.Current = 2100 }), today, goalbot.Pace{
			Goal: 2000, GoalDate: due, Required: -100.0 / 30, Actual: 10, HasActual: true,
			Projected: 2400, Reached: true,
		}},
		{"reached but for float noise", goalbot.PacePlan{
			Start: 0.1, Target: 0.3, Current: 0.1 + 0.2, Due: due,
		}, today, goalbot.Pace{Goal: 0.3, GoalDate: due, Projected: 0.1 + 0.2, Reached: true}},
		{"no check-ins", with(followers, func(p *goalbot.PacePlan) { p.Points = nil }), today, goalbot.Pace{
			Goal: 2000, GoalDate: due, Required: 500.0 / 30, Projected: 1500,
		}},
		{"due today", followers, due, goalbot.Pace{
			Goal: 2000, GoalDate: due, Required: 500, Overdue: true, Actual: 10, HasActual: true,
			Projected: 1500, ReachedOn: due.AddDays(50), WillReach: true,
		}},
		{"overdue", followers, due.AddDays(5), goalbot.Pace{
			Goal: 2000, GoalDate: due, Required: 500, Overdue: true, Actual: 10, HasActual: true,
			Projected: 1500, ReachedOn: due.AddDays(55), WillReach: true,
		}},
		{"beyond the forecast horizon", with(followers, func(p *goalbot.PacePlan) {
			p.Points = []goalbot.Point{at(-10, 1499.9), at(0, 1500)} // 0.01 a day: 50,000 days
		}), today, goalbot.Pace{
			Goal: 2000, GoalDate: due, Required: 500.0 / 30, Actual: 0.01, HasActual: true, Projected: 1500.3,
		}},
		{"just inside the forecast horizon", with(followers, func(p *goalbot.PacePlan) {
			p.Points = []goalbot.Point{at(-1, 1500-500.0/goalbot.ForecastHorizonDays), at(0, 1500)}
		}), today, goalbot.Pace{
			Goal: 2000, GoalDate: due, Required: 500.0 / 30, Actual: 500.0 / goalbot.ForecastHorizonDays, HasActual: true,
			Projected: 1500 + 30*500.0/goalbot.ForecastHorizonDays, ReachedOn: today.AddDays(goalbot.ForecastHorizonDays), WillReach: true,
		}},
		{"reached within a day", with(followers, func(p *goalbot.PacePlan) {
			p.Current, p.Points = 1999, []goalbot.Point{at(-1, 1989), at(0, 1999)}
		}), today, goalbot.Pace{
			Goal: 2000, GoalDate: due, Required: 1.0 / 30, Actual: 10, HasActual: true,
			Projected: 2299, ReachedOn: today.AddDays(1), WillReach: true,
		}},
		{"target equals start, at it", goalbot.PacePlan{
			Start: 100, Target: 100, Current: 100, Due: due,
		}, today, goalbot.Pace{Goal: 100, GoalDate: due, Projected: 100, Reached: true}},
		{"target equals start, coming back to it", goalbot.PacePlan{
			Start: 100, Target: 100, Current: 90, Due: due,
			Points: []goalbot.Point{at(-1, 89), at(0, 90)},
		}, today, goalbot.Pace{
			Goal: 100, GoalDate: due, Required: 10.0 / 30, Actual: 1, HasActual: true,
			Projected: 120, ReachedOn: today.AddDays(10), WillReach: true,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := goalbot.ComputePace(tc.plan, tc.today)
			floats := func(p goalbot.Pace) []float64 { return []float64{p.Goal, p.Required, p.Actual, p.Projected} }
			for i, g := range floats(got) {
				if w := floats(tc.want)[i]; !closeTo(g, w) {
					t.Errorf("got %+v\nwant %+v", got, tc.want)
					return
				}
			}
			got.Goal, got.Required, got.Actual, got.Projected = tc.want.Goal, tc.want.Required, tc.want.Actual, tc.want.Projected
			got.Since = tc.want.Since // checked in TestPaceSinceAndPassedMilestones
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// paceInput is a random PacePlan and day, values drawn from the whole float64
// range, extremes included, and dates around one base date.
type paceInput struct {
	Plan  goalbot.PacePlan
	Today goalbot.Date
}

// Generate implements quick.Generator.
func (paceInput) Generate(r *rand.Rand, _ int) reflect.Value {
	value := func() float64 {
		switch r.Intn(4) {
		case 0:
			return []float64{0, 1, -1, math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 1e-300}[r.Intn(7)]
		case 1:
			return float64(r.Intn(11) - 5)
		case 2:
			return (r.Float64()*2 - 1) * 1e9
		}
		return (r.Float64()*2 - 1) * math.MaxFloat64
	}
	base := goalbot.Date{Year: 2026, Month: 3, Day: 1}
	day := func() goalbot.Date { return base.AddDays(r.Intn(800) - 400) }
	points := func() []goalbot.Point {
		ps := make([]goalbot.Point, r.Intn(6))
		for i := range ps {
			ps[i] = goalbot.Point{Date: day(), Value: value()}
			if r.Intn(3) == 0 { // crowd some points near today
				ps[i].Date = base.AddDays(-r.Intn(30))
			}
		}
		return ps
	}
	in := paceInput{Plan: goalbot.PacePlan{
		Start: value(), Target: value(), Current: value(),
		Due:        day(),
		Milestones: points(), Points: points(),
	}, Today: base}
	if r.Intn(4) == 0 {
		in.Plan.Target = in.Plan.Start
	}
	return reflect.ValueOf(in)
}

func TestComputePaceIsFinite(t *testing.T) {
	finite := func(in paceInput) bool {
		p := goalbot.ComputePace(in.Plan, in.Today)
		for _, f := range []float64{p.Goal, p.Required, p.Actual, p.Projected} {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				t.Logf("%+v -> %+v", in, p)
				return false
			}
		}
		return true
	}
	t.Run("random", func(t *testing.T) {
		if err := quick.Check(finite, &quick.Config{MaxCount: 5000}); err != nil {
			t.Error(err)
		}
	})
	today := goalbot.Date{Year: 2026, Month: 3, Day: 1}
	huge := math.MaxFloat64
	for _, tc := range []struct {
		name string
		plan goalbot.PacePlan
	}{
		{"extreme range", goalbot.PacePlan{Start: -huge, Target: huge, Current: -huge, Due: today.AddDays(1),
			Points: []goalbot.Point{{today.AddDays(-1), -huge}, {today, huge}}}},
		{"extreme decrease", goalbot.PacePlan{Start: huge, Target: -huge, Current: huge, Due: today.AddDays(100),
			Points: []goalbot.Point{{today.AddDays(-1), huge}, {today, -huge}}}},
		{"tiny rate", goalbot.PacePlan{Start: 0, Target: huge, Current: 0, Due: today.AddDays(100),
			Points: []goalbot.Point{{today.AddDays(-1), 0}, {today, math.SmallestNonzeroFloat64}}}},
		{"no due date", goalbot.PacePlan{Start: 0, Target: 10, Current: 5,
			Points: []goalbot.Point{{today.AddDays(-1), 4}, {today, 5}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !finite(paceInput{tc.plan, today}) {
				t.Error("a float field is not finite")
			}
		})
	}
}

// bounded is a random value within ±1e9, often a small integer so that
// equal values come up.
type bounded float64

// Generate implements quick.Generator.
func (bounded) Generate(r *rand.Rand, _ int) reflect.Value {
	if r.Intn(3) == 0 {
		return reflect.ValueOf(bounded(r.Intn(11) - 5))
	}
	return reflect.ValueOf(bounded((r.Float64()*2 - 1) * 1e9))
}

func TestProgressProperties(t *testing.T) {
	config := &quick.Config{MaxCount: 5000}
	t.Run("clamped progress is within 0..1", func(t *testing.T) {
		f := func(s, tg, c bounded) bool {
			if s == tg {
				return true
			}
			kr := &goalbot.KeyResult{Start: float64(s), Target: float64(tg), Current: float64(c)}
			p := goalbot.Clamp01(kr.Progress())
			return p >= 0 && p <= 1
		}
		if err := quick.Check(f, config); err != nil {
			t.Error(err)
		}
	})
	t.Run("a mirrored decrease has the same progress", func(t *testing.T) {
		f := func(s, tg, c bounded) bool {
			down := &goalbot.KeyResult{Start: float64(s), Target: float64(tg), Current: float64(c)}
			up := &goalbot.KeyResult{Start: -float64(s), Target: -float64(tg), Current: -float64(c)}
			return closeTo(up.Progress(), down.Progress())
		}
		if err := quick.Check(f, config); err != nil {
			t.Error(err)
		}
	})
	t.Run("objective progress is the weighted mean", func(t *testing.T) {
		f := func(values [6][3]bounded, weights [6]uint16, n uint8) bool {
			o := &goalbot.Objective{}
			var sum, total float64
			for i := range int(n)%6 + 1 {
				s, tg, c := float64(values[i][0]), float64(values[i][1]), float64(values[i][2])
				w := float64(weights[i]%1000+1) / 10 // (0, 100]
				o.KeyResults = append(o.KeyResults, &goalbot.KeyResult{Start: s, Target: tg, Current: c, Weight: w})
				p := 0.0
				if s != tg {
					p = min(1, max(0, (c-s)/(tg-s)))
				}
				sum += w * p
				total += w
			}
			return closeTo(o.Progress(), sum/total)
		}
		if err := quick.Check(f, config); err != nil {
			t.Error(err)
		}
	})
	t.Run("planned progress never falls when the plan does not", func(t *testing.T) {
		base := goalbot.Date{Year: 2026, Month: 1, Day: 1}
		f := func(length uint16, offsets []int16, progress []uint16, seed int64) bool {
			total := int(length)%400 + 1
			start, due := base, base.AddDays(total)
			n := min(len(offsets), len(progress))
			days := make([]int, n)
			values := make([]float64, n)
			for i := range n {
				days[i] = int(offsets[i])%(total+20) - 10 // some fall outside the period
				values[i] = float64(progress[i]) / math.MaxUint16
			}
			slices.Sort(days)
			slices.Sort(values)
			plan := make([]goalbot.PlanPoint, n)
			for i := range n {
				plan[i] = goalbot.PlanPoint{Date: start.AddDays(days[i]), Progress: values[i]}
			}
			// The order of the slice does not matter, but for points on one date.
			rand.New(rand.NewSource(seed)).Shuffle(n, func(i, j int) { plan[i], plan[j] = plan[j], plan[i] })
			prev := math.Inf(-1)
			for day := -15; day <= total+15; day++ {
				p := goalbot.PlannedProgress(start, due, plan, start.AddDays(day))
				if p < prev-1e-12 || p < 0 || p > 1 {
					t.Logf("day %d: %v after %v; plan %v", day, p, prev, plan)
					return false
				}
				prev = p
			}
			return true
		}
		if err := quick.Check(f, &quick.Config{MaxCount: 1000}); err != nil {
			t.Error(err)
		}
	})
}

// TestPaceSinceAndPassedMilestones checks that the actual pace says which
// check-ins it was fitted on, and that a milestone already passed is no
// longer the goal.
func TestPaceSinceAndPassedMilestones(t *testing.T) {
	today := mustDate(t, "2026-12-01")
	due := mustDate(t, "2026-12-31")
	at := func(day int, v float64) goalbot.Point { return goalbot.Point{Date: today.AddDays(day), Value: v} }

	recent := goalbot.ComputePace(goalbot.PacePlan{Start: 0, Target: 100, Current: 40, Due: due,
		Points: []goalbot.Point{at(-60, 0), at(-20, 20), at(0, 40)}}, today)
	if recent.Since != today.AddDays(-20) || !closeTo(recent.Actual, 1) {
		t.Errorf("two check-ins in the window: since %s, rate %v; want %s and 1/day", recent.Since, recent.Actual, today.AddDays(-20))
	}
	stale := goalbot.ComputePace(goalbot.PacePlan{Start: 0, Target: 100, Current: 40, Due: due,
		Points: []goalbot.Point{at(-61, 0), at(-57, 40)}}, today)
	if stale.Since != today.AddDays(-61) || !closeTo(stale.Actual, 10) {
		t.Errorf("only old check-ins: since %s, rate %v; want %s and 10/day", stale.Since, stale.Actual, today.AddDays(-61))
	}

	milestones := []goalbot.Point{at(10, 50), at(20, 80)}
	up := goalbot.ComputePace(goalbot.PacePlan{Start: 0, Target: 100, Current: 60, Due: due, Milestones: milestones}, today)
	if up.Goal != 80 || up.GoalDate != today.AddDays(20) {
		t.Errorf("at 60 with milestones 50 and 80: goal %v on %s, want 80 on %s", up.Goal, up.GoalDate, today.AddDays(20))
	}
	down := goalbot.ComputePace(goalbot.PacePlan{Start: 1.40, Target: 0.90, Current: 1.10, Due: due,
		Milestones: []goalbot.Point{at(10, 1.20), at(20, 1.00)}}, today)
	if down.Goal != 1.00 {
		t.Errorf("lower is better at $1.10 with milestones $1.20 and $1.00: goal %v, want 1.00", down.Goal)
	}
	done := goalbot.ComputePace(goalbot.PacePlan{Start: 0, Target: 100, Current: 90, Due: due, Milestones: milestones}, today)
	if done.Goal != 100 || done.GoalDate != due {
		t.Errorf("past every milestone: goal %v on %s, want the target on the due date", done.Goal, done.GoalDate)
	}
}
