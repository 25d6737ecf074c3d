package commands

import (
	"fmt"

	"github.com/goalbot/goalbot"
)

// Key-result weights lie in MinWeight..MaxWeight; two decimals are shown.
const (
	MinWeight = 0.01
	MaxWeight = 100
)

var krSpec = &spec{
	name:    "kr",
	args:    "<objective> <title>",
	summary: "add a key result to an objective (to below from means lower is better)",
	options: []option{
		{key: "from", arg: "N", help: "the start value", required: true},
		{key: "to", arg: "N", help: "the target value", required: true},
		{key: "unit", arg: "U", help: "the unit shown with values: $, %, followers... ($ and % are also read from the numbers)"},
		{key: "due", arg: "DATE", help: "its own due date (default: the objective's)"},
		{key: "owner", arg: "@user", help: "who checks in on it (default: you)"},
		{key: "weight", arg: "N", help: "its weight in the objective's progress (default 1)"},
	},
	examples: []string{
		"/goal kr 1 LinkedIn followers from:1200 to:2000 unit:followers",
		"/goal kr 1 Cost per click from:$1.40 to:$0.90 owner:@bob",
	},
	parse: func(a *args) (Command, error) {
		o, err := a.objective(0)
		if err != nil {
			return nil, err
		}
		title, err := a.title(a.rest(1), "key result")
		if err != nil {
			return nil, err
		}
		c := krCommand{objective: o, title: title}
		from, ok, err := a.number("from")
		if err != nil {
			return nil, err
		} else if !ok {
			return nil, invalid(a.spec, "Give the start value with from:N.")
		}
		to, ok, err := a.number("to")
		if err != nil {
			return nil, err
		} else if !ok {
			return nil, invalid(a.spec, "Give the target value with to:N.")
		}
		if from.Unit != "" && to.Unit != "" && from.Unit != to.Unit {
			return nil, invalid(a.spec, "from is in %s but to is in %s.", from.Unit, to.Unit)
		}
		if from.Value == to.Value {
			return nil, invalid(a.spec, "from and to are both %s: there is nothing to measure.", FormatNumber(from.Value, from.Unit))
		}
		c.from, c.to = from.Value, to.Value
		c.unit = from.Unit
		if c.unit == "" {
			c.unit = to.Unit
		}
		if w, ok := a.opt("unit"); ok {
			if len([]rune(w.text)) > 30 {
				return nil, invalid(a.spec, "A unit is at most 30 characters.")
			}
			if err := checkText(w.text); err != nil {
				return nil, withUsage(a.spec, err)
			}
			if c.unit != "" && c.unit != w.text {
				return nil, invalid(a.spec, "The numbers are in %s but unit: says %s.", c.unit, w.text)
			}
			c.unit = w.text
		}
		if c.due, err = a.date("due"); err != nil {
			return nil, err
		}
		if c.owner, err = a.user("owner"); err != nil {
			return nil, err
		}
		c.weight = 1
		if w, ok, err := a.number("weight"); err != nil {
			return nil, err
		} else if ok {
			if w.Unit != "" || w.Value < MinWeight || w.Value > MaxWeight {
				return nil, invalid(a.spec, "weight: must be a number from %s to %d.", FormatNumber(MinWeight, ""), MaxWeight)
			}
			c.weight = w.Value
		}
		return c, nil
	},
}

// krCommand adds a key result.
type krCommand struct {
	objective int
	title     string
	from, to  float64
	unit      string
	due       goalbot.Date
	owner     *UserRef
	weight    float64
}

func (krCommand) Name() string { return "kr" }

func (k krCommand) run(c *call) (Reply, error) {
	o, err := c.x.Store.FindObjective(c.ctx, c.inv.TeamID, k.objective)
	if err != nil {
		return Reply{}, err
	}
	if err := c.mayChangeObjective(o, "add key results to it"); err != nil {
		return Reply{}, err
	}
	if o.State != goalbot.StateActive {
		return Reply{}, goalbot.Errorf(goalbot.ECONFLICT, "Objective %d is %s; reopen it first.", o.Number, o.State)
	}
	kr := &goalbot.KeyResult{
		TeamID: c.inv.TeamID, Ref: goalbot.KRRef{Objective: o.Number}, Title: k.title,
		Start: k.from, Target: k.to, Unit: k.unit, Weight: k.weight, Due: k.due, CreatedBy: c.inv.UserID,
	}
	if kr.OwnerID, err = c.resolveUser(krSpec, k.owner); err != nil {
		return Reply{}, err
	}
	if !kr.Due.IsZero() && (kr.Due.Before(o.Start) || kr.Due.After(o.Due)) {
		return Reply{}, invalid(krSpec, "due: %s is outside objective %d's period %s to %s.", kr.Due, o.Number, o.Start, o.Due)
	}
	if err := c.x.Store.CreateKeyResult(c.ctx, kr); err != nil {
		return Reply{}, fmt.Errorf("create key result: %w", err)
	}
	direction := "higher is better"
	if kr.Decreasing() {
		direction = "lower is better"
	}
	var r Reply
	r.add(Section, plain("Added key result "), strong(kr.Ref.String()), plain(" to objective "+fmt.Sprint(o.Number)+": "+kr.Title+"\n"),
		plain(value(kr, kr.Start)+" → "+value(kr, kr.Target)+" ("+direction+") · owner "), user(kr.OwnerID),
		plain(fmt.Sprintf(" · weight %s", FormatNumber(kr.Weight, ""))))
	r.add(Context, plain("Check in with "), code(fmt.Sprintf("/goal update %s <value>", kr.Ref)))
	return r, nil
}
