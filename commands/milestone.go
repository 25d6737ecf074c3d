package commands

import (
	"fmt"

	"github.com/goalbot/goalbot"
)

var milestoneSpec = &spec{
	name:         "milestone",
	changesGoals: true,
	args:         "<objective|kr> DATE <title>",
	summary:      "add a dated checkpoint, optionally with the value planned by then",
	options: []option{
		{key: "target", arg: "N", help: "the value planned by then (for an objective: the progress, like 50%)"},
	},
	examples: []string{
		"/goal milestone 1.1 2026-12-01 Half-way there target:1,600",
		"/goal milestone 1 12-15 Campaign launched target:60%",
	},
	parse: func(a *args) (Command, error) {
		c := milestoneCommand{}
		if len(a.pos) == 0 {
			return nil, invalid(a.spec, "Say which objective or key result, like 3 or 3.1.")
		}
		var err error
		if c.objective, c.kr, err = a.objectiveOrKR(0); err != nil {
			return nil, err
		}
		if len(a.pos) < 2 {
			return nil, invalid(a.spec, "Give the milestone's date, like 2026-12-01.")
		}
		if c.date, err = ParseDate(a.pos[1].text, a.today); err != nil {
			return nil, withUsage(a.spec, err)
		}
		if c.title, err = a.title(a.rest(2), "milestone"); err != nil {
			return nil, err
		}
		if n, ok, err := a.number("target"); err != nil {
			return nil, err
		} else if ok {
			c.target, c.hasTarget = n, true
		}
		return c, nil
	},
}

// milestoneCommand adds a milestone to an objective or a key result.
type milestoneCommand struct {
	objective, kr int
	date          goalbot.Date
	title         string
	target        Number
	hasTarget     bool
}

func (milestoneCommand) Name() string { return "milestone" }

func (m milestoneCommand) run(c *call) (Reply, error) {
	ms := &goalbot.Milestone{TeamID: c.inv.TeamID, Objective: m.objective, KR: m.kr, Date: m.date, Title: m.title,
		HasTarget: m.hasTarget, CreatedBy: c.inv.UserID, Request: c.inv.Request}
	var owner *goalbot.KeyResult
	err := c.x.Store.AddMilestone(c.ctx, ms, func(o *goalbot.Objective) error {
		due := o.Due
		if m.kr != 0 {
			if owner = o.KeyResult(m.kr); owner == nil {
				return goalbot.Errorf(goalbot.ENOTFOUND, "Key result %d.%d not found.", m.objective, m.kr)
			}
			if err := c.mayChangeKeyResult(o, owner, "add milestones to it"); err != nil {
				return err
			}
			due = goalbot.KRDue(o, owner)
		} else if err := c.mayChangeObjective(o, "add milestones to it"); err != nil {
			return err
		}
		if err := active(milestoneSpec, o); err != nil {
			return err
		}
		if m.date.After(due) {
			return invalid(milestoneSpec, "The milestone's date %s is after the due date %s.", m.date, due)
		}
		if !m.date.After(o.Start) {
			return invalid(milestoneSpec, "The milestone's date %s is not after the start %s.", m.date, o.Start)
		}
		if !m.hasTarget {
			return nil
		}
		if owner == nil {
			// An objective's milestone plans its progress: 60% or 0.6.
			p := m.target.Value
			if m.target.Unit == "%" {
				p /= 100
			} else if m.target.Unit != "" {
				return invalid(milestoneSpec, "target: an objective's milestone plans progress, like 60%%, not %s.", m.target.Unit)
			}
			if p < 0 || p > 1 {
				return invalid(milestoneSpec, "target: planned progress must be between 0%% and 100%%.")
			}
			ms.Target = p
			return nil
		}
		if owner.Kind == goalbot.KindYesNo {
			return invalid(milestoneSpec, "target: key result %s is yes/no; its milestones take no target.", owner.Ref)
		}
		if owner.Pending {
			return invalid(milestoneSpec, "target: key result %s has no baseline yet; plan values after its first check-in.", owner.Ref)
		}
		if m.target.Unit != "" && m.target.Unit != owner.Unit {
			return invalid(milestoneSpec, "target: %s is measured in %s, not %s.", owner.Ref, unitName(owner.Unit), m.target.Unit)
		}
		lo, hi := min(owner.Start, owner.Target), max(owner.Start, owner.Target)
		if m.target.Value < lo || m.target.Value > hi {
			return invalid(milestoneSpec, "target: a planned value of %s lies between its start %s and its target %s.",
				owner.Ref, value(owner, owner.Start), value(owner, owner.Target))
		}
		ms.Target = m.target.Value
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	var r Reply
	what := fmt.Sprintf("objective %d", m.objective)
	if m.kr != 0 {
		what = fmt.Sprintf("key result %d.%d", m.objective, m.kr)
	}
	t := line(plain(fmt.Sprintf("Added a milestone to %s: %s ", what, ms.Date)), strong(ms.Title))
	if ms.HasTarget {
		if owner != nil {
			t = append(t, plain(" · planned "+value(owner, ms.Target)))
		} else {
			t = append(t, plain(" · planned progress "+percent(ms.Target)))
		}
	}
	r.Blocks = append(r.Blocks, Block{Kind: Section, Text: t})
	return r, nil
}

// active refuses changes to a closed or archived objective, with the
// usage of command s.
func active(s *spec, o *goalbot.Objective) error {
	if err := o.Active(); err != nil {
		return withUsage(s, err)
	}
	return nil
}
