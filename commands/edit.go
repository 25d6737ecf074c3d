package commands

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goalbot/goalbot"
)

// MaxAimLen is the longest aim of an objective, in characters.
const MaxAimLen = 300

var editSpec = &spec{
	name:         "edit",
	changesGoals: true,
	args:         "<objective|kr>",
	summary:      "change an objective or key result (every change is recorded)",
	options: []option{
		{key: "title", arg: "TEXT", help: "a new title (quote it: title:\"New title\")"},
		{key: "due", arg: "DATE", help: "the due date"},
		{key: "start", arg: "DATE", help: "objective: the start of the period"},
		{key: "owner", arg: "@user", help: "the owner"},
		{key: "channel", arg: "#chan", help: "objective: its team channel"},
		{key: "framework", arg: "okr|smart", help: "objective: the framework"},
		{key: "type", arg: "GOALTYPE", help: "objective: the goal type"},
		{key: "aim", arg: "TEXT", help: "objective: the business aim it serves"},
		{key: "from", arg: "N", help: "key result: the start value"},
		{key: "to", arg: "N", help: "key result: the target"},
		{key: "unit", arg: "U", help: "key result: the unit"},
		{key: "weight", arg: "N", help: "key result: its weight"},
	},
	examples: []string{
		"/goal edit 1 due:2027-03-31 owner:@bob",
		"/goal edit 1.2 to:$0.80 weight:2",
		`/goal edit 1 title:"Grow LinkedIn reach" aim:"More inbound leads"`,
	},
	parse: func(a *args) (Command, error) {
		c := editCommand{}
		if len(a.pos) != 1 {
			return nil, invalid(a.spec, "Say which objective or key result to edit, like 3 or 3.1, then key:value changes.")
		}
		var err error
		if c.objective, c.kr, err = a.objectiveOrKR(0); err != nil {
			return nil, err
		}
		if len(a.opts) == 0 {
			return nil, invalid(a.spec, "Say what to change, like due:2027-03-31 or owner:@bob.")
		}
		objectiveOnly := []string{"start", "channel", "framework", "type", "aim"}
		krOnly := []string{"from", "to", "unit", "weight"}
		for key := range a.opts {
			if c.kr != 0 && slices.Contains(objectiveOnly, key) {
				return nil, invalid(a.spec, "%s: applies to objectives, not key results.", key)
			}
			if c.kr == 0 && slices.Contains(krOnly, key) {
				return nil, invalid(a.spec, "%s: applies to key results, like %d.1, not objectives.", key, c.objective)
			}
		}
		if w, ok := a.opt("title"); ok {
			if c.title, err = a.title(w.text, "objective"); err != nil {
				return nil, err
			}
		}
		if c.objectiveOptions, err = a.objectiveOptions(); err != nil {
			return nil, err
		}
		if c.from, c.hasFrom, err = a.number("from"); err != nil {
			return nil, err
		}
		if c.to, c.hasTo, err = a.number("to"); err != nil {
			return nil, err
		}
		if c.unit, c.hasUnit, err = a.unit(); err != nil {
			return nil, err
		}
		if c.weight, _, err = a.weight(); err != nil {
			return nil, err
		}
		return c, nil
	},
}

// editCommand changes fields of an objective or key result.
type editCommand struct {
	objective, kr int
	title         string
	objectiveOptions
	from, to       Number
	hasFrom, hasTo bool
	unit           string
	hasUnit        bool
	weight         float64
}

func (editCommand) Name() string { return "edit" }

func (e editCommand) run(c *call) (Reply, error) {
	var owner, channel string
	var err error
	if e.owner != nil {
		if owner, err = c.resolveUser(editSpec, e.owner); err != nil {
			return Reply{}, err
		}
	}
	if e.channel != nil {
		if channel, err = c.resolveChannel(editSpec, e.channel); err != nil {
			return Reply{}, err
		}
	}
	_, changes, err := c.x.Store.UpdateObjective(c.ctx, c.inv.TeamID, e.objective, c.inv.UserID, func(o *goalbot.Objective) error {
		if e.kr != 0 {
			kr := o.KeyResult(e.kr)
			if kr == nil {
				return goalbot.Errorf(goalbot.ENOTFOUND, "Key result %d.%d not found.", e.objective, e.kr)
			}
			if err := c.mayChangeKeyResult(o, kr, "edit it"); err != nil {
				return err
			}
			if err := active(editSpec, o); err != nil {
				return err
			}
			return e.applyKR(o, kr, owner)
		}
		if err := c.mayChangeObjective(o, "edit it"); err != nil {
			return err
		}
		if err := active(editSpec, o); err != nil {
			return err
		}
		return e.applyObjective(o, owner, channel, c.today)
	})
	if err != nil {
		return Reply{}, err
	}
	var r Reply
	what := fmt.Sprintf("objective %d", e.objective)
	if e.kr != 0 {
		what = fmt.Sprintf("key result %d.%d", e.objective, e.kr)
	}
	if len(changes) == 0 {
		r.add(Section, plain(fmt.Sprintf("Nothing changed: %s already has those values.", upperFirst(what))))
		return r, nil
	}
	t := line(plain("Changed " + what + ":"))
	for _, ch := range changes {
		t = append(t, plain("\n"))
		t = append(t, changeText(ch)...)
	}
	r.Blocks = append(r.Blocks, Block{Kind: Section, Text: t})
	return r, nil
}

func (e editCommand) applyObjective(o *goalbot.Objective, owner, channel string, today goalbot.Date) error {
	if e.title != "" {
		o.Title = e.title
	}
	if owner != "" {
		o.OwnerID = owner
	}
	if channel != "" {
		o.ChannelID = channel
	}
	if e.framework != "" {
		o.Framework = e.framework
	}
	if e.goalType != "" {
		o.GoalType = e.goalType
	}
	if e.hasAim {
		o.Aim = e.aim
	}
	if !e.start.IsZero() {
		o.Start = e.start
	}
	if !e.due.IsZero() {
		if e.due.Before(today) {
			return invalid(editSpec, "The due date %s is in the past.", e.due)
		}
		o.Due = e.due
	}
	if !o.Due.After(o.Start) {
		return invalid(editSpec, "The due date %s must be after the start %s.", o.Due, o.Start)
	}
	// kr refuses a key-result due date outside the objective's period;
	// moving the period must not leave one outside it either.
	for _, kr := range o.KeyResults {
		if !kr.Due.IsZero() && (kr.Due.Before(o.Start) || kr.Due.After(o.Due)) {
			return invalid(editSpec, "Key result %s is due %s, outside the period %s to %s; move it first.", kr.Ref, kr.Due, o.Start, o.Due)
		}
	}
	for _, m := range o.Milestones {
		if m.Date.After(o.Due) || !m.Date.After(o.Start) {
			return invalid(editSpec, "Milestone %q on %s would fall outside the period %s to %s; move it first.", m.Title, m.Date, o.Start, o.Due)
		}
	}
	return nil
}

func (e editCommand) applyKR(o *goalbot.Objective, kr *goalbot.KeyResult, owner string) error {
	if e.title != "" {
		kr.Title = e.title
	}
	if owner != "" {
		kr.OwnerID = owner
	}
	if e.weight != 0 {
		kr.Weight = e.weight
	}
	if !e.due.IsZero() {
		if e.due.Before(o.Start) || e.due.After(o.Due) {
			return invalid(editSpec, "due: %s is outside objective %d's period %s to %s.", e.due, o.Number, o.Start, o.Due)
		}
		kr.Due = e.due
		for _, m := range o.Milestones {
			if m.KR == kr.Ref.Number && m.Date.After(kr.Due) {
				return invalid(editSpec, "Milestone %q of %s on %s would fall after the due date %s; move it first.", m.Title, kr.Ref, m.Date, kr.Due)
			}
		}
	}
	if kr.Kind == goalbot.KindYesNo && (e.hasFrom || e.hasTo || e.hasUnit) {
		return invalid(editSpec, "%s is a yes/no key result: it has no from, to or unit.", kr.Ref)
	}
	for _, n := range []struct {
		given bool
		num   Number
		key   string
	}{{e.hasFrom, e.from, "from"}, {e.hasTo, e.to, "to"}} {
		unit := kr.Unit
		if e.hasUnit {
			unit = e.unit
		}
		if n.given && n.num.Unit != "" && n.num.Unit != unit {
			return invalid(editSpec, "%s: %s is measured in %s, not %s.", n.key, kr.Ref, unitName(unit), n.num.Unit)
		}
	}
	if e.hasUnit {
		kr.Unit = e.unit
	}
	if e.hasFrom {
		kr.Start, kr.Pending = e.from.Value, false
	}
	if e.hasTo {
		kr.Target = e.to.Value
	}
	if !kr.Pending && kr.Start == kr.Target {
		return invalid(editSpec, "from and to would both be %s: there would be nothing to measure.", value(kr, kr.Start))
	}
	return nil
}

// changeText shows one recorded change: "due: 2026-12-31 → 2027-03-31".
func changeText(ch goalbot.Change) Text {
	name := ch.Field
	if ch.KR != 0 {
		name = fmt.Sprintf("%d.%d %s", ch.Objective, ch.KR, ch.Field)
	}
	show := func(v string) Span {
		if v == "" {
			return plain("(none)")
		}
		if ch.Field == "owner" {
			return user(v)
		}
		if ch.Field == "channel" {
			return channelRef(v)
		}
		return plain(v)
	}
	if ch.Field == "deleted" {
		return line(plain(name + ": " + ch.Old))
	}
	if ch.Old == "" && ch.Field == "milestone" {
		return line(plain(name+": "), show(ch.New))
	}
	return line(plain(name+": "), show(ch.Old), plain(" → "), show(ch.New))
}

// text validates free text given as an option value.
func (a *args) text(s, what string, limit int) (string, error) {
	if n := len([]rune(s)); n > limit {
		return "", invalid(a.spec, "The %s is %d characters long; the limit is %d.", what, n, limit)
	}
	if err := checkText(s); err != nil {
		return "", withUsage(a.spec, err)
	}
	return strings.TrimSpace(s), nil
}
