package goalbot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/goalbot/goalbot"
)

func TestTemplatesCoverEveryGoalType(t *testing.T) {
	if len(goalbot.Templates) != len(goalbot.GoalTypes) {
		t.Fatalf("%d templates for %d goal types", len(goalbot.Templates), len(goalbot.GoalTypes))
	}
	for i, typ := range goalbot.GoalTypes {
		t.Run(typ, func(t *testing.T) {
			tpl := goalbot.Templates[i]
			if tpl.Type != typ {
				t.Fatalf("template %d is %q, want %q", i, tpl.Type, typ)
			}
			if tpl.Name == "" || tpl.Summary == "" {
				t.Errorf("name %q, summary %q: both are needed", tpl.Name, tpl.Summary)
			}
			if n := len(tpl.KeyResults); n < 3 || n > 5 {
				t.Errorf("%d key results, want 3-5", n)
			}
			seen := map[string]bool{}
			for _, m := range tpl.KeyResults {
				if strings.TrimSpace(m.Metric) == "" || strings.TrimSpace(m.Hint) == "" {
					t.Errorf("%+v: a metric needs a name and a hint", m)
				}
				if seen[m.Metric] {
					t.Errorf("metric %q listed twice", m.Metric)
				}
				seen[m.Metric] = true
				if slices.Contains(strings.Fields(strings.ToLower(m.Metric)), "rate") && m.Unit != "%" {
					t.Errorf("%q is a rate in %q, want %%", m.Metric, m.Unit)
				}
				if strings.HasPrefix(strings.ToLower(m.Metric), "cost per") && (m.Unit != "$" || !m.Decreasing) {
					t.Errorf("%q: unit %q, decreasing %v; want $ and lower is better", m.Metric, m.Unit, m.Decreasing)
				}
			}
		})
	}
}

func TestTemplatesHoldTheUsualMetrics(t *testing.T) {
	for _, tc := range []struct {
		goalType, metric string // metric: a case-insensitive part of its name
		decreasing       bool
	}{
		{"conversions", "conversion rate", false},
		{"conversions", "CPC", true},
		{"conversions", "CPM", true},
		{"customer-service", "CSAT", false},
		{"customer-service", "first response time", true},
		{"brand-awareness", "reach", false},
		{"brand-awareness", "impressions", false},
		{"brand-awareness", "mentions", false},
		{"brand-awareness", "share of voice", false},
		{"community-engagement", "engagement rate", false},
		{"community-engagement", "amplification rate", false},
		{"community-engagement", "applause rate", false},
		{"conversions", "click-through rate", false},
		{"leads", "bounce rate", true},
		{"leads", "cost per lead", true},
		{"reputation", "NPS", false},
	} {
		t.Run(tc.goalType+" "+tc.metric, func(t *testing.T) {
			tpl, ok := goalbot.TemplateFor(tc.goalType)
			if !ok {
				t.Fatalf("no template for %q", tc.goalType)
			}
			for _, m := range tpl.KeyResults {
				if strings.Contains(strings.ToLower(m.Metric), strings.ToLower(tc.metric)) {
					if m.Decreasing != tc.decreasing {
						t.Errorf("%q: decreasing = %v, want %v", m.Metric, m.Decreasing, tc.decreasing)
					}
					return
				}
			}
			t.Errorf("no %q among %+v", tc.metric, tpl.KeyResults)
		})
	}
}

func TestTemplateFor(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		ok             bool
	}{
		{"exact", "brand-awareness", "brand-awareness", true},
		{"upper case", "CUSTOMER-SERVICE", "customer-service", true},
		{"mixed case", "Crisis-Management", "crisis-management", true},
		{"unknown", "world-domination", "", false},
		{"empty", "", "", false},
		{"spaces instead of dashes", "brand awareness", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tpl, ok := goalbot.TemplateFor(tc.in)
			if ok != tc.ok || tpl.Type != tc.want {
				t.Errorf("TemplateFor(%q) = %q, %v; want %q, %v", tc.in, tpl.Type, ok, tc.want, tc.ok)
			}
		})
	}
}
