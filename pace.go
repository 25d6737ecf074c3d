package goalbot

import (
	"cmp"
	"math"
	"slices"
)

// Point is one measurement of a key result: its value on a calendar day.
type Point struct {
	Date  Date
	Value float64
}

// PlanPoint is a planned progress (0..1 fraction of start->target) on a date.
type PlanPoint struct {
	Date     Date
	Progress float64
}

// PlannedProgress returns the progress planned for today: a straight line
// from 0 at start to 1 at due, bent through the plan points that lie strictly
// between start and due, taken in date order. Plan points outside that span
// are ignored; of two points on one date the later in plan wins. The result
// is 0 up to start and 1 from due on; between them it follows the plan points
// unclamped. A period of zero or negative length is 0 before due and 1 from
// due on. Without plan points it is the elapsed fraction of start..due.
func PlannedProgress(start, due Date, plan []PlanPoint, today Date) float64 {
	total := start.DaysUntil(due)
	if total <= 0 {
		if today.Before(due) {
			return 0
		}
		return 1
	}
	x := start.DaysUntil(today)
	if x <= 0 {
		return 0
	}
	if x >= total {
		return 1
	}
	knots := planKnots(start, total, plan)
	i, _ := slices.BinarySearchFunc(knots, x, func(k knot, x int) int { return cmp.Compare(k.day, x) })
	next := knots[i]
	if next.day == x {
		// Return the knot's own value, not an interpolation that may round
		// past it: that keeps the curve monotone where the plan is.
		return next.progress
	}
	prev := knots[i-1]
	return prev.progress + (next.progress-prev.progress)*float64(x-prev.day)/float64(next.day-prev.day)
}

// knot is a point of the planned-progress curve, day days after its start.
type knot struct {
	day      int
	progress float64
}

// planKnots returns the curve of a plan over total days: (0, 0), the plan
// points strictly inside the period in date order, and (total, 1).
func planKnots(start Date, total int, plan []PlanPoint) []knot {
	byDay := make(map[int]float64, len(plan))
	for _, p := range plan {
		if x := start.DaysUntil(p.Date); x > 0 && x < total {
			byDay[x] = p.Progress // a later point on the same day wins
		}
	}
	knots := make([]knot, 0, len(byDay)+2)
	knots = append(knots, knot{0, 0})
	for day, progress := range byDay {
		knots = append(knots, knot{day, progress})
	}
	slices.SortFunc(knots[1:], func(a, b knot) int { return cmp.Compare(a.day, b.day) })
	return append(knots, knot{total, 1})
}

// WindowDays is the span of recent check-ins the actual rate is fitted on.
const WindowDays = 28

// ActualRate returns the least-squares slope, in value per day, of the points
// dated within the last WindowDays days up to today (today-27 .. today), or of
// all points if fewer than two distinct dates fall in that window. Several
// points on one day all count. ok is false, and rate 0, when the points used
// span fewer than two distinct dates. Values are expected to be finite; a
// slope too steep for a float64 is capped at ±math.MaxFloat64.
func ActualRate(points []Point, today Date) (rate float64, ok bool) {
	rate, _, ok = actualRate(points, today)
	return rate, ok
}

// WindowStart is the first day of the window ActualRate fits at today.
func WindowStart(today Date) Date { return today.AddDays(-(WindowDays - 1)) }

// WindowTooSparse reports whether the points dated within ActualRate's
// window at today span fewer than two dates, when ActualRate fits all the
// points it is given instead. A caller that read only the window's points
// must then read the older ones too.
func WindowTooSparse(points []Point, today Date) bool {
	return !spansTwoDates(windowPoints(points, today))
}

// windowPoints returns the points dated within ActualRate's window.
func windowPoints(points []Point, today Date) []Point {
	from := WindowStart(today)
	var recent []Point
	for _, p := range points {
		if !p.Date.Before(from) && !p.Date.After(today) {
			recent = append(recent, p)
		}
	}
	return recent
}

// actualRate is ActualRate that also returns the date of the earliest point
// used, so a rate fitted on older check-ins is not shown as recent.
func actualRate(points []Point, today Date) (rate float64, since Date, ok bool) {
	recent := windowPoints(points, today)
	used := recent
	if !spansTwoDates(recent) {
		used = points
	}
	if !spansTwoDates(used) {
		return 0, Date{}, false
	}
	since = used[0].Date
	for _, p := range used {
		if p.Date.Before(since) {
			since = p.Date
		}
	}
	return slope(used), since, true
}

// spansTwoDates reports whether points hold at least two distinct dates.
func spansTwoDates(points []Point) bool {
	for _, p := range points[min(1, len(points)):] {
		if p.Date != points[0].Date {
			return true
		}
	}
	return false
}

// slope fits value = a + slope*x by least squares, x being days since the
// earliest point. points must span two dates. Values are divided by the
// largest magnitude first so that huge values cannot overflow the sums.
func slope(points []Point) float64 {
	earliest := points[0].Date
	var scale float64
	for _, p := range points {
		if p.Date.Before(earliest) {
			earliest = p.Date
		}
		scale = max(scale, math.Abs(p.Value))
	}
	if scale == 0 {
		return 0
	}
	n := float64(len(points))
	var meanX, meanY float64
	for _, p := range points {
		meanX += float64(earliest.DaysUntil(p.Date))
		meanY += p.Value / scale
	}
	meanX /= n
	meanY /= n
	var sxx, sxy float64
	for _, p := range points {
		dx := float64(earliest.DaysUntil(p.Date)) - meanX
		sxx += dx * dx
		sxy += dx * (p.Value/scale - meanY)
	}
	return saturate(sxy / sxx * scale)
}

// ForecastHorizonDays is how far ahead a forecast reaches: a target that
// would take longer than this at the actual rate is reported as not reached.
const ForecastHorizonDays = 3660

// Pace is how a key result is moving compared with what it needs. Every
// float field is finite when the PacePlan's values are.
type Pace struct {
	// Goal and GoalDate are what the pace is judged against: the next
	// milestone's planned value (the earliest milestone dated after today and
	// on or before the due date) or else the target and the due date.
	Goal     float64
	GoalDate Date
	// Required is the change per day needed from the current value to reach
	// Goal by GoalDate: (Goal-current)/days. When GoalDate is today or past,
	// Required is Goal-current (all of it, now) and Overdue is true.
	Required float64
	Overdue  bool
	// Actual is the fitted rate (ActualRate) of the check-ins since Since
	// (within the last WindowDays days unless fewer than two days fall
	// there); HasActual is false without check-ins on two distinct dates, and
	// Actual is then 0.
	Actual    float64
	Since     Date
	HasActual bool
	// Projected is the value expected at the due date at the actual rate:
	// current + Actual*days to due; the current value when there is no
	// actual rate or the due date is today or past.
	Projected float64
	// ReachedOn is the day Target would be reached at the actual rate, when
	// WillReach. WillReach is false when the actual rate does not move toward
	// the target (for a decreasing result a negative rate does), when it
	// would take more than ForecastHorizonDays, and when the target is
	// already reached: then Reached is true.
	ReachedOn Date
	WillReach bool
	Reached   bool
}

// PacePlan is what ComputePace needs to know of a key result: its start,
// target and current values, its due date, its planned milestone values (in
// the key result's unit) and its measurements.
type PacePlan struct {
	Start, Target, Current float64
	Due                    Date
	Milestones             []Point // planned values on dates
	Points                 []Point // check-ins
}

// ComputePace computes the pace of a key result at today. p.Due must be set.
// A result whose target equals its start is reached when its current value
// equals the target, and otherwise moves toward it from either side.
func ComputePace(p PacePlan, today Date) Pace {
	pace := Pace{Goal: p.Target, GoalDate: p.Due}
	if m, ok := nextMilestone(p, today); ok {
		pace.Goal, pace.GoalDate = m.Value, m.Date
	}

	gap := saturate(pace.Goal - p.Current)
	if nearlyEqual(pace.Goal, p.Current) {
		gap = 0 // float noise, not a change still needed
	}
	if days := today.DaysUntil(pace.GoalDate); days > 0 {
		pace.Required = gap / float64(days)
	} else {
		pace.Required, pace.Overdue = gap, true
	}

	pace.Actual, pace.Since, pace.HasActual = actualRate(p.Points, today)
	pace.Projected = p.Current
	if days := today.DaysUntil(p.Due); pace.HasActual && days > 0 {
		pace.Projected = saturate(p.Current + saturate(pace.Actual*float64(days)))
	}

	remaining := saturate(p.Target - p.Current)
	switch {
	case nearlyEqual(p.Target, p.Current),
		p.Target > p.Start && remaining < 0,
		p.Target < p.Start && remaining > 0:
		pace.Reached = true
	case pace.HasActual && pace.Actual != 0 && (pace.Actual > 0) == (remaining > 0):
		// Both are finite and non-zero, so the days are positive, not NaN
		// (+Inf for a vanishing rate, which the horizon rejects).
		// Ignore float noise in a fitted rate: 10.0000000001 days is 10.
		if days := math.Ceil(remaining/pace.Actual - 1e-6); days <= ForecastHorizonDays {
			pace.ReachedOn = today.AddDays(max(1, int(days)))
			pace.WillReach = true
		}
	}
	return pace
}

// nextMilestone returns the earliest milestone of p dated after today and
// on or before its due date whose planned value the current value has not
// reached yet (in the direction of start -> target); of two on one date, the
// later in p.Milestones.
func nextMilestone(p PacePlan, today Date) (Point, bool) {
	var next Point
	found := false
	up := p.Target >= p.Start
	for _, m := range p.Milestones {
		reached := nearlyEqual(p.Current, m.Value) || (up && p.Current > m.Value) || (!up && p.Current < m.Value)
		if reached || !m.Date.After(today) || m.Date.After(p.Due) {
			continue
		}
		if !found || !m.Date.After(next.Date) {
			next, found = m, true
		}
	}
	return next, found
}

// nearlyEqual reports whether a and b are equal but for float noise.
func nearlyEqual(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a), math.Abs(b))
}

// saturate caps an overflowed result at ±math.MaxFloat64, so that sums and
// products of finite values stay finite and no NaN can follow from them.
func saturate(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return 0
	case x > math.MaxFloat64:
		return math.MaxFloat64
	case x < -math.MaxFloat64:
		return -math.MaxFloat64
	}
	return x
}
