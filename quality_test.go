package goalbot_test

import (
	"strings"
	"testing"

	"github.com/goalbot/goalbot"
)

// smartObjective returns a SMART objective that meets every criterion but
// Achievable, which needs paces.
func smartObjective() *goalbot.Objective {
	return &goalbot.Objective{
		Number: 3, Title: "Grow brand awareness on LinkedIn", Framework: goalbot.FrameworkSMART,
		GoalType: "brand-awareness", Start: goalbot.Date{Year: 2026, Month: 10, Day: 1}, Due: goalbot.Date{Year: 2026, Month: 12, Day: 31},
		KeyResults: []*goalbot.KeyResult{
			{Ref: goalbot.KRRef{Objective: 3, Number: 1}, Title: "Followers", Start: 1200, Target: 2000, Current: 1500, Unit: "followers", Weight: 1},
			{Ref: goalbot.KRRef{Objective: 3, Number: 2}, Title: "Cost per click", Start: 1.40, Target: 0.90, Current: 1.15, Unit: "$", Weight: 1},
		},
	}
}

func TestSMARTCheck(t *testing.T) {
	kr1, kr2 := goalbot.KRRef{Objective: 3, Number: 1}, goalbot.KRRef{Objective: 3, Number: 2}
	onPace := map[goalbot.KRRef]goalbot.Pace{
		kr1: {Required: 10, Actual: 8, HasActual: true},
		kr2: {Required: -0.01, Actual: -0.006, HasActual: true},
	}
	for _, tc := range []struct {
		name      string
		change    func(o *goalbot.Objective)
		paces     map[goalbot.KRRef]goalbot.Pace
		multiple  float64
		criterion string
		met       bool
		why       string // a part of Why
	}{
		{"specific: a named metric", nil, nil, 2, "Specific", true, "names what it measures"},
		{"specific: one named metric is enough", func(o *goalbot.Objective) { o.KeyResults[0].Title = "2,000" }, nil, 2, "Specific", true, "3.2"},
		{"specific: numbers only", func(o *goalbot.Objective) {
			o.KeyResults[0].Title, o.KeyResults[1].Title = "1.2k", "$0.90 45%"
		}, nil, 2, "Specific", false, "not just a number"},
		{"specific: no key results", func(o *goalbot.Objective) { o.KeyResults = nil }, nil, 2, "Specific", false, "Add a key result"},
		{"specific: empty title", func(o *goalbot.Objective) { o.KeyResults = o.KeyResults[:1]; o.KeyResults[0].Title = " " }, nil, 2, "Specific", false, ""},

		{"measurable: from, to and unit", nil, nil, 2, "Measurable", true, ""},
		{"measurable: no unit", func(o *goalbot.Objective) { o.KeyResults[1].Unit = "" }, nil, 2, "Measurable", false, "3.2 has no unit"},
		{"measurable: target equals start", func(o *goalbot.Objective) { o.KeyResults[0].Target = 1200 }, nil, 2, "Measurable", false, "3.1 has the same start and target"},
		{"measurable: pending baseline", func(o *goalbot.Objective) { o.KeyResults[0].Pending = true }, nil, 2, "Measurable", false, "3.1 has no baseline"},
		{"measurable: yes/no needs no unit", func(o *goalbot.Objective) {
			o.KeyResults = append(o.KeyResults, &goalbot.KeyResult{Ref: goalbot.KRRef{Objective: 3, Number: 3}, Title: "Publish the crisis playbook", Kind: goalbot.KindYesNo, Target: 1})
		}, nil, 2, "Measurable", true, ""},
		{"measurable: no key results", func(o *goalbot.Objective) { o.KeyResults = nil }, nil, 2, "Measurable", false, "Add key results"},

		{"achievable: within the multiple", nil, onPace, 2, "Achievable", true, "2×"},
		{"achievable: not known yet", nil, nil, 2, "Achievable", false, "check in"},
		{"achievable: no actual pace yet", nil, map[goalbot.KRRef]goalbot.Pace{kr1: {Required: 10}}, 2, "Achievable", false, "Not known yet"},
		{"achievable: too slow", nil, map[goalbot.KRRef]goalbot.Pace{
			kr1: {Required: 10, Actual: 4, HasActual: true},
			kr2: onPace[kr2],
		}, 2, "Achievable", false, "3.1 needs 2.5× the pace"},
		{"achievable: a larger multiple allows it", nil, map[goalbot.KRRef]goalbot.Pace{
			kr1: {Required: 10, Actual: 4, HasActual: true},
		}, 3, "Achievable", true, "3×"},
		{"achievable: a zero multiple means the default", nil, map[goalbot.KRRef]goalbot.Pace{
			kr1: {Required: 10, Actual: 4, HasActual: true},
		}, 0, "Achievable", false, "2.5×"},
		{"achievable: moving away", nil, map[goalbot.KRRef]goalbot.Pace{
			kr2: {Required: -0.01, Actual: 0.02, HasActual: true},
		}, 2, "Achievable", false, "3.2 is not moving toward its goal"},
		{"achievable: standing still", nil, map[goalbot.KRRef]goalbot.Pace{
			kr1: {Required: 10, Actual: 0, HasActual: true},
		}, 2, "Achievable", false, "not moving"},
		{"achievable: far too slow", nil, map[goalbot.KRRef]goalbot.Pace{
			kr1: {Required: 10, Actual: 1e-9, HasActual: true},
		}, 2, "Achievable", false, "over 100×"},
		{"achievable: two fall short", nil, map[goalbot.KRRef]goalbot.Pace{
			kr1: {Required: 10, Actual: -1, HasActual: true},
			kr2: {Required: -0.01, Actual: 0.02, HasActual: true},
		}, 2, "Achievable", false, "2 key results fall short"},
		{"achievable: past the goal needs no pace", nil, map[goalbot.KRRef]goalbot.Pace{
			kr1: {Required: -5, Actual: 1, HasActual: true},
			kr2: {Required: 0.01, Actual: 0.02, HasActual: true},
		}, 2, "Achievable", true, ""},
		{"achievable: reached", nil, map[goalbot.KRRef]goalbot.Pace{
			kr1: {Required: 10, Actual: -1, HasActual: true, Reached: true},
		}, 2, "Achievable", true, ""},

		{"relevant: a goal type", nil, nil, 2, "Relevant", true, "Brand awareness"},
		{"relevant: an aim", func(o *goalbot.Objective) { o.GoalType, o.Aim = "", "Fill the Q1 sales pipeline" }, nil, 2, "Relevant", true, "aim"},
		{"relevant: neither", func(o *goalbot.Objective) { o.GoalType = "" }, nil, 2, "Relevant", false, "type:GOALTYPE"},

		{"time-bound: a due date", nil, nil, 2, "Time-bound", true, "2026-12-31"},
		{"time-bound: no due date", func(o *goalbot.Objective) { o.Due = goalbot.Date{} }, nil, 2, "Time-bound", false, "due:DATE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := smartObjective()
			if tc.change != nil {
				tc.change(o)
			}
			got := goalbot.SMARTCheck(o, tc.paces, tc.multiple)
			var names []string
			for _, c := range got {
				names = append(names, c.Name)
			}
			if want := "Specific Measurable Achievable Relevant Time-bound"; strings.Join(names, " ") != want {
				t.Fatalf("criteria %v, want %s", names, want)
			}
			for _, c := range got {
				if c.Why == "" || !strings.HasSuffix(c.Why, ".") {
					t.Errorf("%s: why %q is not a sentence", c.Name, c.Why)
				}
				if c.Name != tc.criterion {
					continue
				}
				if c.Met != tc.met || !strings.Contains(c.Why, tc.why) {
					t.Errorf("%s: met %v, why %q; want met %v, why with %q", c.Name, c.Met, c.Why, tc.met, tc.why)
				}
			}
		})
	}
}

func TestOKRHints(t *testing.T) {
	krs := func(n int) []*goalbot.KeyResult {
		var krs []*goalbot.KeyResult
		for i := range n {
			krs = append(krs, &goalbot.KeyResult{Ref: goalbot.KRRef{Objective: 1, Number: i + 1}, Title: "Followers", Weight: 1})
		}
		return krs
	}
	for _, tc := range []struct {
		name string
		krs  int
		want []string
	}{
		{"no key results", 0, []string{"Add 2-5 key results; about three is the norm."}},
		{"three key results", 3, nil},
		{"five key results", 5, nil},
		{"six key results", 6, []string{"6 key results: about three per objective is the norm; consider splitting."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := goalbot.OKRHints(&goalbot.Objective{Framework: goalbot.FrameworkOKR, KeyResults: krs(tc.krs)})
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("hints %q, want %q", got, tc.want)
			}
		})
	}
}
