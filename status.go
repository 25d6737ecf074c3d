package goalbot

import "math"

// Status is the health of an objective or key result.
type Status string

// Statuses of active goals, then of ended ones: a SMART goal is achieved
// at 100% by its due date and missed otherwise; a closed OKR is closed with
// its score; an archived objective is archived.
const (
	OnTrack  Status = "on track"
	AtRisk   Status = "at risk"
	OffTrack Status = "off track"
	Achieved Status = "achieved"
	Missed   Status = "missed"
	Closed   Status = "closed"
	Archived Status = "archived"
)

// Status thresholds, in one place. Progress is compared with the expected
// progress at today's date (the elapsed fraction of start..due, bent by
// milestones). For OKRs, 0.7 of the target counts as success, so pace is
// judged against OKRSuccess times the expected progress.
const (
	// OKRSuccess is the OKR grade that counts as success.
	OKRSuccess = 0.7
	// AtRiskRatio: below this fraction of the expected progress a goal is at risk.
	AtRiskRatio = 0.8
	// OffTrackRatio: below this fraction of the expected progress a goal is off track.
	OffTrackRatio = 0.5
	// GraceExpected: while less than this fraction of the period has passed,
	// a goal without progress is still on track (nobody checks in on day one).
	GraceExpected = 0.1
	// LowConfidence: a latest confidence at or below this (0-10) moves an
	// on-track goal to at risk.
	LowConfidence = 3
)

// Confidence levels by name, on the 0-10 scale check-ins store.
const (
	ConfidenceHigh   = 8
	ConfidenceMedium = 5
	ConfidenceLow    = 2
)

// StatusOf derives the status of a goal from its clamped progress, the
// expected progress and the latest confidence (-1 when unknown). Once the
// whole period has passed (expected 1) there is no tolerance left: a goal is
// on track only at its success mark (OKRSuccess for an OKR, 100% for a
// SMART goal) and off track below it.
func StatusOf(f Framework, progress, expected float64, confidence int) Status {
	mark := 1.0
	if f == FrameworkOKR {
		mark = OKRSuccess
	}
	if expected >= 1 {
		if progress >= mark-1e-9 {
			return OnTrack
		}
		return OffTrack
	}
	status := OnTrack
	if expected >= GraceExpected {
		expected *= mark
		switch {
		case progress < expected*OffTrackRatio:
			status = OffTrack
		case progress < expected*AtRiskRatio:
			status = AtRisk
		}
	}
	if status == OnTrack && confidence >= 0 && confidence <= LowConfidence {
		status = AtRisk
	}
	return status
}

// KRDue is the due date of kr: its own, or its objective's.
func KRDue(o *Objective, kr *KeyResult) Date {
	if kr.Due.IsZero() {
		return o.Due
	}
	return kr.Due
}

// KRStatus returns the status of kr within objective o at today. A pending
// baseline is not judged yet; a yes/no result is on track until its due date
// and off track once past it undone; planned milestone values bend the
// expected progress. In a SMART objective a key result past its due date is
// missed unless it had reached its target by then.
func KRStatus(o *Objective, kr *KeyResult, today Date) Status {
	due := KRDue(o, kr)
	switch {
	case kr.Pending:
		return OnTrack
	case o.Framework == FrameworkSMART && today.After(due):
		if kr.ReachedByDue() {
			return OnTrack
		}
		return Missed
	case kr.Reached():
		return OnTrack
	}
	var expected float64
	if kr.Kind == KindYesNo {
		if !today.Before(due) {
			expected = 1
		}
	} else {
		expected = PlannedProgress(KRStart(o, kr), due, krPlan(o, kr), today)
	}
	return StatusOf(o.Framework, Clamp01(kr.Progress()), expected, kr.LastConfidence)
}

// KRStart is the start of kr's period: its objective's start, or the day
// its pending baseline was set when that is later.
func KRStart(o *Objective, kr *KeyResult) Date {
	if kr.BaselineDate.After(o.Start) {
		return kr.BaselineDate
	}
	return o.Start
}

// KRMilestones returns the planned values of kr's milestones, by date.
func KRMilestones(o *Objective, kr *KeyResult) []Point {
	var points []Point
	for _, m := range o.Milestones {
		if m.KR == kr.Ref.Number && m.HasTarget {
			points = append(points, Point{Date: m.Date, Value: m.Target})
		}
	}
	return points
}

// krPlan turns kr's milestones with planned values into plan points.
func krPlan(o *Objective, kr *KeyResult) []PlanPoint {
	var plan []PlanPoint
	if kr.Target == kr.Start {
		return nil
	}
	for _, m := range KRMilestones(o, kr) {
		plan = append(plan, PlanPoint{Date: m.Date, Progress: (m.Value - kr.Start) / (kr.Target - kr.Start)})
	}
	return plan
}

// objectivePlan turns o's objective-level milestones with planned progress
// into plan points.
func objectivePlan(o *Objective) []PlanPoint {
	var plan []PlanPoint
	for _, m := range o.Milestones {
		if m.KR == 0 && m.HasTarget {
			plan = append(plan, PlanPoint{Date: m.Date, Progress: m.Target})
		}
	}
	return plan
}

// MilestoneReached reports whether the planned value or progress of m has
// been reached: by key result kr (nil for an objective-level milestone,
// judged by o's progress), in kr's direction. A milestone without a planned
// value is a date to keep, never "reached".
func MilestoneReached(o *Objective, kr *KeyResult, m Milestone) bool {
	if !m.HasTarget {
		return false
	}
	if kr == nil {
		return o.Progress() >= m.Target-1e-9
	}
	return !kr.Pending && (nearlyEqual(kr.Current, m.Target) || kr.Better(m.Target, kr.Current))
}

// SMARTAchieved reports whether SMART objective o is achieved at today:
// every key result at 100% (none pending), measured by its due date once
// that has passed.
func SMARTAchieved(o *Objective, today Date) bool {
	if len(o.KeyResults) == 0 {
		return false
	}
	for _, kr := range o.KeyResults {
		if today.After(KRDue(o, kr)) {
			if !kr.ReachedByDue() {
				return false
			}
		} else if !kr.Reached() {
			return false
		}
	}
	return true
}

// ObjectiveStatus returns the status of o at today. Ended objectives are
// archived, closed (OKR) or achieved/missed (SMART, as decided when
// closed). An active SMART objective is achieved when SMARTAchieved and
// missed once past its due date without. Otherwise the status is the worse of
// the objective's own roll-up status and its weakest key result's; a key
// result missed inside an objective that is not yet due counts as off track.
func ObjectiveStatus(o *Objective, today Date) Status {
	switch o.State {
	case StateArchived:
		return Archived
	case StateClosed:
		if o.Framework == FrameworkSMART {
			if o.Score >= 1-1e-9 {
				return Achieved
			}
			return Missed
		}
		return Closed
	}
	if o.Framework == FrameworkSMART {
		if SMARTAchieved(o, today) {
			return Achieved
		}
		if today.After(o.Due) {
			return Missed
		}
	}
	worst := StatusOf(o.Framework, o.Progress(), PlannedProgress(o.Start, o.Due, objectivePlan(o), today), -1)
	for _, kr := range o.KeyResults {
		s := KRStatus(o, kr, today)
		if s == Missed {
			s = OffTrack
		}
		if severity(s) > severity(worst) {
			worst = s
		}
	}
	return worst
}

// Rank orders statuses from the most urgent (off track; an active missed
// goal is as urgent) to the least (archived), for sorting lists.
func Rank(s Status) int {
	switch s {
	case OffTrack, Missed:
		return 0
	case AtRisk:
		return 1
	case OnTrack:
		return 2
	case Achieved:
		return 3
	case Closed:
		return 5
	}
	return 6
}

// severity orders active statuses by badness, for "the worse of".
func severity(s Status) int {
	switch s {
	case AtRisk:
		return 1
	case OffTrack:
		return 2
	}
	return 0
}

// DefaultScore is the score an objective closes with when none is given:
// its progress, cut (not rounded) to two decimals, so 0.695 is not graded a
// successful 0.70 nor 99.6% an achieved 1.00.
func DefaultScore(o *Objective) float64 {
	return math.Floor(o.Progress()*100+1e-9) / 100
}

// Grade describes an OKR score: 0.7 and above is success, 1.0 may mean the
// objective was not ambitious enough.
func Grade(score float64) string {
	switch {
	case score >= 1-1e-9:
		return "successful, though 1.0 may mean it was not ambitious enough"
	case score >= OKRSuccess-1e-9:
		return "successful"
	}
	return "below the 0.7 success mark"
}
