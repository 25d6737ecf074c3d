package goalbot

// Status is the health of an objective or key result.
type Status string

// Statuses of active goals.
const (
	OnTrack  Status = "on track"
	AtRisk   Status = "at risk"
	OffTrack Status = "off track"
)

// Status thresholds, in one place. Progress is compared with the expected
// progress at today's date (the elapsed fraction of start..due). For OKRs,
// 0.7 of the target counts as success, so pace is judged against
// OKRSuccess times the expected progress.
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

// ExpectedProgress returns the elapsed fraction of start..due at today,
// clamped to 0..1. A period of zero or negative length is fully elapsed on
// its due date.
func ExpectedProgress(start, due, today Date) float64 {
	total := start.DaysUntil(due)
	if total <= 0 {
		if today.Before(due) {
			return 0
		}
		return 1
	}
	return Clamp01(float64(start.DaysUntil(today)) / float64(total))
}

// StatusOf derives the status of a goal from its clamped progress, the
// expected progress and the latest confidence (-1 when unknown).
func StatusOf(f Framework, progress, expected float64, confidence int) Status {
	status := OnTrack
	if expected >= GraceExpected {
		if f == FrameworkOKR {
			expected *= OKRSuccess
		}
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

// KRStatus returns the status of kr within objective o at today.
func KRStatus(o *Objective, kr *KeyResult, today Date) Status {
	due := kr.Due
	if due.IsZero() {
		due = o.Due
	}
	return StatusOf(o.Framework, Clamp01(kr.Progress()), ExpectedProgress(o.Start, due, today), kr.LastConfidence)
}

// ObjectiveStatus returns the status of o at today: the worse of its own
// roll-up status and its weakest key result's.
func ObjectiveStatus(o *Objective, today Date) Status {
	worst := StatusOf(o.Framework, o.Progress(), ExpectedProgress(o.Start, o.Due, today), -1)
	for _, kr := range o.KeyResults {
		if s := KRStatus(o, kr, today); rank(s) > rank(worst) {
			worst = s
		}
	}
	return worst
}

func rank(s Status) int {
	switch s {
	case AtRisk:
		return 1
	case OffTrack:
		return 2
	}
	return 0
}
