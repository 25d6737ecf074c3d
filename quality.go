package goalbot

import (
	"fmt"
	"math"
	"strings"
	"unicode"
)

// Criterion is one goal-quality check and whether the goal meets it. The
// checks are hints shown to the user, never reasons to refuse a goal.
type Criterion struct {
	Name string // "Specific", "Measurable", "Achievable", "Relevant", "Time-bound"
	Met  bool
	Why  string // one short sentence shown to the user, saying what is missing or why it is met
}

// DefaultAchievableMultiple: a SMART goal is achievable when the pace it
// requires is at most this many times the pace it has.
const DefaultAchievableMultiple = 2.0

// SMARTCheck checks the five S.M.A.R.T. criteria of objective o, whose
// KeyResults must be loaded, in the order Specific, Measurable, Achievable,
// Relevant, Time-bound:
//
//   - Specific: at least one key result names its metric (a title that is
//     not just a number).
//   - Measurable: every key result has a known start, a target that differs
//     from it, and a unit; yes/no key results are measurable as they are, and
//     a pending baseline is not measurable until its first check-in.
//   - Achievable: every key result with an actual pace in paces moves toward
//     its goal and needs at most multiple times that pace (a key result at or
//     past its goal needs none; yes/no and pending key results have no pace).
//     Not known yet, and unmet, when no key result has an actual pace. A multiple that is not positive means
//     DefaultAchievableMultiple.
//   - Relevant: the objective has a goal type or an aim.
//   - Time-bound: the objective has a due date.
func SMARTCheck(o *Objective, paces map[KRRef]Pace, multiple float64) []Criterion {
	if !(multiple > 0) {
		multiple = DefaultAchievableMultiple
	}
	return []Criterion{
		specific(o),
		measurable(o),
		achievable(o, paces, multiple),
		relevant(o),
		timeBound(o),
	}
}

func specific(o *Objective) Criterion {
	c := Criterion{Name: "Specific"}
	for _, kr := range o.KeyResults {
		if namesMetric(kr.Title) {
			c.Met, c.Why = true, fmt.Sprintf("Key result %s names what it measures.", kr.Ref)
			return c
		}
	}
	if len(o.KeyResults) == 0 {
		c.Why = "Add a key result that names what you will measure."
	} else {
		c.Why = "Name what each key result measures, not just a number."
	}
	return c
}

// namesMetric reports whether title has a word that is not a number such as
// 1,200, $1.5k, 45% or 2.5M.
func namesMetric(title string) bool {
	for _, w := range strings.Fields(title) {
		if !strings.ContainsFunc(w, unicode.IsLetter) {
			continue
		}
		n := strings.TrimRight(strings.Trim(w, "$€£¥%+-.,:;!?()"), "kKmMbB")
		if !strings.ContainsAny(n, "0123456789") || strings.Trim(n, "0123456789.,") != "" {
			return true
		}
	}
	return false
}

func measurable(o *Objective) Criterion {
	c := Criterion{Name: "Measurable"}
	if len(o.KeyResults) == 0 {
		c.Why = "Add key results with a start value, a target and a unit."
		return c
	}
	for _, kr := range o.KeyResults {
		switch {
		case kr.Kind == KindYesNo:
			continue
		case kr.Pending:
			c.Why = fmt.Sprintf("Key result %s has no baseline yet: its first check-in sets it.", kr.Ref)
		case kr.Target == kr.Start:
			c.Why = fmt.Sprintf("Key result %s has the same start and target: set a target to move to.", kr.Ref)
		case strings.TrimSpace(kr.Unit) == "":
			c.Why = fmt.Sprintf("Key result %s has no unit: set one with unit:U (%%, $, followers...).", kr.Ref)
		default:
			continue
		}
		return c
	}
	c.Met, c.Why = true, "Every key result has a start, a target and a unit."
	return c
}

func achievable(o *Objective, paces map[KRRef]Pace, multiple float64) Criterion {
	c := Criterion{Name: "Achievable"}
	known := 0
	var failures []string
	for _, kr := range o.KeyResults {
		p, ok := paces[kr.Ref]
		if !ok || !p.HasActual || kr.Pending || kr.Kind == KindYesNo {
			continue
		}
		known++
		if why := paceGap(kr, p, multiple); why != "" {
			failures = append(failures, why)
		}
	}
	switch {
	case known == 0:
		c.Why = "Not known yet: check in on the key results first, to measure their pace."
	case len(failures) == 1:
		c.Why = "Key result " + failures[0] + "."
	case len(failures) > 1:
		c.Why = fmt.Sprintf("%d key results fall short: key result %s.", len(failures), failures[0])
	default:
		c.Met = true
		c.Why = fmt.Sprintf("The pace needed is within %g× the pace so far.", multiple)
	}
	return c
}

// paceGap returns why kr's pace p cannot reach its goal, or "" when it can.
func paceGap(kr *KeyResult, p Pace, multiple float64) string {
	var dir float64 // the sign of progress: +1 up, -1 down, 0 unknown
	switch {
	case kr.Target > kr.Start:
		dir = 1
	case kr.Target < kr.Start:
		dir = -1
	}
	if p.Reached || p.Required == 0 || p.Required*dir < 0 {
		return "" // at or past its goal: no pace needed
	}
	if p.Actual == 0 || (p.Actual > 0) != (p.Required > 0) {
		return fmt.Sprintf("%s is not moving toward its goal", kr.Ref)
	}
	switch ratio := math.Abs(p.Required) / math.Abs(p.Actual); {
	case ratio <= multiple:
		return ""
	case ratio >= 100:
		return fmt.Sprintf("%s needs over 100× the pace it has", kr.Ref)
	default:
		return fmt.Sprintf("%s needs %.1f× the pace it has", kr.Ref, ratio)
	}
}

func relevant(o *Objective) Criterion {
	c := Criterion{Name: "Relevant"}
	switch {
	case o.Aim != "":
		c.Met, c.Why = true, "It states the aim it serves."
	case o.GoalType != "":
		name := o.GoalType
		if t, ok := TemplateFor(o.GoalType); ok {
			name = t.Name
		}
		c.Met, c.Why = true, fmt.Sprintf("It serves a goal type: %s.", name)
	default:
		c.Why = "Say what it serves: set a goal type (type:GOALTYPE) or an aim."
	}
	return c
}

func timeBound(o *Objective) Criterion {
	c := Criterion{Name: "Time-bound"}
	if o.Due.IsZero() {
		c.Why = "Set a due date (due:DATE)."
	} else {
		c.Met, c.Why = true, fmt.Sprintf("It is due %s.", o.Due)
	}
	return c
}

// OKRHints returns hints on the shape of an OKR objective: one when it has no
// key results and one when it has more than five; nil otherwise.
func OKRHints(o *Objective) []string {
	switch n := len(o.KeyResults); {
	case n == 0:
		return []string{"Add 2-5 key results; about three is the norm."}
	case n > 5:
		return []string{fmt.Sprintf("%d key results: about three per objective is the norm; consider splitting.", n)}
	}
	return nil
}
