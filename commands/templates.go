package commands

import (
	"fmt"
	"strings"

	"github.com/goalbot/goalbot"
)

var templatesSpec = &spec{
	name:     "templates",
	args:     "[GOALTYPE]",
	summary:  "the ten goal types, or one type's suggested key results",
	examples: []string{"/goal templates", "/goal templates conversions", "/goal new Q1 conversions push type:conversions"},
	parse: func(a *args) (Command, error) {
		if len(a.pos) > 1 {
			return nil, invalid(a.spec, "templates takes at most one goal type.")
		}
		if len(a.pos) == 0 {
			return templatesCommand{}, nil
		}
		t, ok := goalbot.TemplateFor(a.pos[0].text)
		if !ok {
			return nil, invalid(a.spec, "Unknown goal type %q: use one of %s.", a.pos[0].text, strings.Join(goalbot.GoalTypes, ", "))
		}
		return templatesCommand{goalType: t.Type}, nil
	},
}

// templatesCommand shows goal templates.
type templatesCommand struct {
	goalType string
}

func (templatesCommand) Name() string { return "templates" }

func (tc templatesCommand) run(*call) (Reply, error) {
	var r Reply
	if tc.goalType == "" {
		r.add(Heading, plain("Goal templates"))
		var t Text
		for i, g := range goalbot.Templates {
			if i > 0 {
				t = append(t, plain("\n"))
			}
			t = append(t, code(g.Type), plain(" "+g.Name+": "+g.Summary))
		}
		r.Blocks = append(r.Blocks, Block{Kind: Section, Text: t})
		r.add(Context, plain("See one with "), code("/goal templates <type>"), plain("; tag an objective with "), code("/goal new <title> type:<type>"))
		return r, nil
	}
	g, _ := goalbot.TemplateFor(tc.goalType)
	r.add(Heading, plain("Template: "+g.Name))
	r.add(Section, plain(g.Summary))
	r.Blocks = append(r.Blocks, Block{Kind: Section, Text: suggestions(g, 0)})
	r.add(Context, plain("Start with "), code(fmt.Sprintf("/goal new <title> type:%s", g.Type)))
	return r, nil
}

// suggestions lists a template's key results; with an objective number,
// each as a ready /goal kr command.
func suggestions(g goalbot.GoalTemplate, objective int) Text {
	t := line(strong("Suggested key results"))
	for _, m := range g.KeyResults {
		direction := "↑ higher is better"
		if m.Decreasing {
			direction = "↓ lower is better"
		}
		unit := ""
		if m.Unit != "" {
			unit = " · in " + m.Unit
		}
		t = append(t, plain(fmt.Sprintf("\n• %s%s · %s", m.Metric, unit, direction)))
		if m.Hint != "" {
			t = append(t, plain(" · "+m.Hint))
		}
		if objective > 0 {
			t = append(t, plain("\n  "), code(krSuggestion(objective, m)))
		}
	}
	return t
}

// krSuggestion is a /goal kr command for a template metric: placeholders
// for the numbers, written in the metric's unit.
func krSuggestion(objective int, m goalbot.MetricTemplate) string {
	switch m.Unit {
	case "$", "€", "£":
		return fmt.Sprintf("/goal kr %d %s from:%sN to:%sN", objective, m.Metric, m.Unit, m.Unit)
	case "%":
		return fmt.Sprintf("/goal kr %d %s from:N%% to:N%%", objective, m.Metric)
	case "":
		return fmt.Sprintf("/goal kr %d %s from:N to:N", objective, m.Metric)
	}
	return fmt.Sprintf("/goal kr %d %s from:N to:N unit:%s", objective, m.Metric, m.Unit)
}
