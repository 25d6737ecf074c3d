package commands

import (
	"fmt"
	"strings"

	"github.com/goalbot/goalbot"
)

// Key-result weights lie in MinWeight..MaxWeight; two decimals are shown.
const (
	MinWeight = 0.01
	MaxWeight = 100
)

var krSpec = &spec{
	name:         "kr",
	changesGoals: true,
	args:         "<objective> <title>",
	summary:      "add a key result to an objective (to below from means lower is better)",
	options: []option{
		{key: "from", arg: "N|pending", help: "the start value; pending: the first check-in sets it", required: true},
		{key: "to", arg: "N", help: "the target value", required: true},
		{key: "kind", arg: "number|yesno", help: "yesno: done or not done, checked in with yes/no/done (no from/to)"},
		{key: "unit", arg: "U", help: "the unit shown with values: $, %, followers... ($ and % are also read from the numbers)"},
		{key: "due", arg: "DATE", help: "its own due date (default: the objective's)"},
		{key: "owner", arg: "@user", help: "who checks in on it (default: you)"},
		{key: "weight", arg: "N", help: "its weight in the objective's progress (default 1)"},
	},
	examples: []string{
		"/goal kr 1 LinkedIn followers from:1200 to:2000 unit:followers",
		"/goal kr 1 Cost per click from:$1.40 to:$0.90 owner:@bob",
		"/goal kr 1 Publish the crisis playbook kind:yesno",
		"/goal kr 1 Newsletter open rate from:pending to:40%",
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
		c := krCommand{objective: o, title: title, kind: goalbot.KindNumber, weight: 1}
		if w, ok := a.opt("kind"); ok {
			if c.kind, err = parseKind(w.text); err != nil {
				return nil, withUsage(a.spec, err)
			}
		}
		if c.kind == goalbot.KindYesNo {
			for _, key := range []string{"from", "to", "unit"} {
				if _, ok := a.opt(key); ok {
					return nil, invalid(a.spec, "A yes/no key result takes no %s: it goes from not done to done.", key)
				}
			}
			c.to = 1
		} else if err := c.parseRange(a); err != nil {
			return nil, err
		}
		if c.due, err = a.date("due"); err != nil {
			return nil, err
		}
		if c.owner, err = a.user("owner"); err != nil {
			return nil, err
		}
		if w, ok, err := a.weight(); err != nil {
			return nil, err
		} else if ok {
			c.weight = w
		}
		return c, nil
	},
}

// parseRange reads from, to and unit of a number key result.
func (c *krCommand) parseRange(a *args) error {
	to, ok, err := a.number("to")
	if err != nil {
		return err
	} else if !ok {
		return invalid(a.spec, "Give the target value with to:N.")
	}
	c.to, c.unit = to.Value, to.Unit
	if w, ok := a.opt("from"); ok && strings.EqualFold(w.text, "pending") {
		c.pending = true
	} else {
		from, ok, err := a.number("from")
		if err != nil {
			return err
		} else if !ok {
			return invalid(a.spec, "Give the start value with from:N, or from:pending to let the first check-in set it.")
		}
		if from.Unit != "" && to.Unit != "" && from.Unit != to.Unit {
			return invalid(a.spec, "from is in %s but to is in %s.", from.Unit, to.Unit)
		}
		if from.Value == to.Value {
			return invalid(a.spec, "from and to are both %s: there is nothing to measure.", FormatNumber(from.Value, from.Unit))
		}
		c.from = from.Value
		if c.unit == "" {
			c.unit = from.Unit
		}
	}
	unit, ok, err := a.unit()
	if err != nil {
		return err
	} else if ok {
		if c.unit != "" && c.unit != unit {
			return invalid(a.spec, "The numbers are in %s but unit: says %s.", c.unit, unit)
		}
		c.unit = unit
	}
	return nil
}

// parseKind reads number or yesno.
func parseKind(s string) (goalbot.Kind, error) {
	switch k := goalbot.Kind(strings.ToLower(s)); k {
	case goalbot.KindNumber, goalbot.KindYesNo:
		return k, nil
	}
	return "", goalbot.Errorf(goalbot.EINVALID, "Unknown kind %q: use number or yesno.", s)
}

// MaxUnitLen is the longest unit, in characters.
const MaxUnitLen = 30

// unit parses the unit option.
func (a *args) unit() (string, bool, error) {
	w, ok := a.opt("unit")
	if !ok {
		return "", false, nil
	}
	if len([]rune(w.text)) > MaxUnitLen {
		return "", true, invalid(a.spec, "A unit is at most %d characters.", MaxUnitLen)
	}
	if err := checkText(w.text); err != nil {
		return "", true, withUsage(a.spec, err)
	}
	return w.text, true, nil
}

// weight parses the weight option.
func (a *args) weight() (float64, bool, error) {
	w, ok, err := a.number("weight")
	if err != nil || !ok {
		return 0, ok, err
	}
	if w.Unit != "" || w.Value < MinWeight || w.Value > MaxWeight {
		return 0, true, invalid(a.spec, "weight: must be a number from %s to %d.", FormatNumber(MinWeight, ""), MaxWeight)
	}
	return w.Value, true, nil
}

// krCommand adds a key result.
type krCommand struct {
	objective int
	title     string
	kind      goalbot.Kind
	pending   bool
	from, to  float64
	unit      string
	due       goalbot.Date
	owner     *UserRef
	weight    float64
}

func (krCommand) Name() string { return "kr" }

func (k krCommand) run(c *call) (Reply, error) {
	kr := &goalbot.KeyResult{
		TeamID: c.inv.TeamID, Ref: goalbot.KRRef{Objective: k.objective}, Title: k.title, Kind: k.kind, Pending: k.pending,
		Start: k.from, Target: k.to, Unit: k.unit, Weight: k.weight, Due: k.due, CreatedBy: c.inv.UserID,
		Request: c.inv.Request,
	}
	var err error
	if kr.OwnerID, err = c.resolveUser(krSpec, k.owner); err != nil {
		return Reply{}, err
	}
	var o *goalbot.Objective
	err = c.x.Store.CreateKeyResult(c.ctx, kr, func(loaded *goalbot.Objective) error {
		o = loaded
		if err := c.mayChangeObjective(o, "add key results to it"); err != nil {
			return err
		}
		if err := active(krSpec, o); err != nil {
			return err
		}
		if !kr.Due.IsZero() && (kr.Due.Before(o.Start) || kr.Due.After(o.Due)) {
			return invalid(krSpec, "due: %s is outside objective %d's period %s to %s.", kr.Due, o.Number, o.Start, o.Due)
		}
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	o.KeyResults = append(o.KeyResults, kr)
	var r Reply
	r.add(Section, plain("Added key result "), strong(kr.Ref.String()), plain(" to objective "+fmt.Sprint(o.Number)+": "+kr.Title+"\n"),
		plain(rangeText(kr)+" · owner "), user(kr.OwnerID), plain(fmt.Sprintf(" · weight %s", FormatNumber(kr.Weight, ""))))
	how := "<value>"
	if kr.Kind == goalbot.KindYesNo {
		how = "yes|no"
	}
	r.add(Context, plain("Check in with "), code(fmt.Sprintf("/goal update %s %s", kr.Ref, how)))
	for _, hint := range goalbot.OKRHints(o) {
		if o.Framework == goalbot.FrameworkOKR {
			r.add(Context, plain("💡 "+hint))
		}
	}
	return r, nil
}

// rangeText describes what a key result measures: "1,000 → 2,000 (higher
// is better)", "not done → done", "baseline pending → 40%".
func rangeText(kr *goalbot.KeyResult) string {
	switch {
	case kr.Kind == goalbot.KindYesNo:
		return "not done → done"
	case kr.Pending:
		return "baseline pending → " + value(kr, kr.Target)
	case kr.Decreasing():
		return value(kr, kr.Start) + " → " + value(kr, kr.Target) + " (lower is better)"
	}
	return value(kr, kr.Start) + " → " + value(kr, kr.Target) + " (higher is better)"
}
