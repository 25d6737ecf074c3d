package commands

import (
	"fmt"

	"github.com/goalbot/goalbot"
)

// maxHistory bounds the check-ins, and maxChanges the changes, one history
// reply lists, to stay within Slack's message limits; older ones are
// counted, not shown.
const (
	maxHistory = 50
	maxChanges = 30
)

var historySpec = &spec{
	name:     "history",
	args:     "<objective|kr>",
	summary:  "a key result's check-ins, newest first, and every recorded change",
	examples: []string{"/goal history 1.1", "/goal history 1"},
	parse: func(a *args) (Command, error) {
		if len(a.pos) != 1 {
			return nil, invalid(a.spec, "Say which objective or key result, like 3 or 3.1.")
		}
		o, kr, err := a.objectiveOrKR(0)
		if err != nil {
			return nil, err
		}
		return historyCommand{objective: o, kr: kr}, nil
	},
}

// historyCommand lists the check-ins of a key result, or the changes of an
// objective.
type historyCommand struct {
	objective, kr int
}

func (historyCommand) Name() string { return "history" }

func (h historyCommand) run(c *call) (Reply, error) {
	changes, err := c.x.Store.ListChanges(c.ctx, c.inv.TeamID, h.objective, h.kr, maxChanges+1)
	if err != nil {
		return Reply{}, fmt.Errorf("list changes: %w", err)
	}
	if h.kr == 0 {
		return objectiveHistory(c, h.objective, changes)
	}
	ref := goalbot.KRRef{Objective: h.objective, Number: h.kr}
	_, kr, err := c.x.Store.FindKeyResult(c.ctx, c.inv.TeamID, ref)
	if goalbot.ErrorCode(err) == goalbot.ENOTFOUND && len(changes) > 0 {
		// Deleted: its change log is what is left.
		var r Reply
		r.add(Heading, plain(fmt.Sprintf("History of %s (deleted)", ref)))
		r.Blocks = append(r.Blocks, Block{Kind: Section, Text: changeLines(changes)})
		return r, nil
	} else if err != nil {
		return Reply{}, err
	}
	list, err := c.x.Store.ListCheckIns(c.ctx, c.inv.TeamID, ref, maxHistory+1)
	if err != nil {
		return Reply{}, fmt.Errorf("list check-ins: %w", err)
	}
	var r Reply
	r.add(Heading, plain(fmt.Sprintf("History of %s: %s", kr.Ref, kr.Title)))
	if len(list) == 0 {
		how := "<value>"
		if kr.Kind == goalbot.KindYesNo {
			how = "yes|no"
		}
		start := fmt.Sprintf("The start value is %s", value(kr, kr.Start))
		if kr.Pending {
			start = "The baseline is pending"
		}
		r.add(Section, plain("No check-ins yet. "+start+". Check in with "), code(fmt.Sprintf("/goal update %s %s", kr.Ref, how)), plain("."))
	} else {
		r.Blocks = append(r.Blocks, Block{Kind: Section, Text: checkInLines(count(kr.CheckIns, "check-in"), kr, list, maxHistory)})
		if kr.CheckIns > maxHistory {
			r.add(Context, plain(fmt.Sprintf("Showing the latest %d of %d check-ins.", maxHistory, kr.CheckIns)))
		}
	}
	if len(changes) > 0 {
		r.Blocks = append(r.Blocks, Block{Kind: Section, Text: changeLines(changes)})
	}
	return r, nil
}

// objectiveHistory shows the change log of an objective, which outlives its
// deletion.
func objectiveHistory(c *call, number int, changes []goalbot.Change) (Reply, error) {
	o, err := c.x.Store.FindObjective(c.ctx, c.inv.TeamID, number)
	if goalbot.ErrorCode(err) == goalbot.ENOTFOUND && len(changes) > 0 {
		o = &goalbot.Objective{Number: number, Title: "(deleted)"}
	} else if err != nil {
		return Reply{}, err
	}
	var r Reply
	r.add(Heading, plain(fmt.Sprintf("History of objective %d: %s", o.Number, o.Title)))
	if len(changes) == 0 {
		r.add(Section, plain("No changes since it was created on "+goalbot.DateOf(o.CreatedAt).String()+". Check-ins are listed per key result: "), code(fmt.Sprintf("/goal history %d.1", number)))
		return r, nil
	}
	r.Blocks = append(r.Blocks, Block{Kind: Section, Text: changeLines(changes)})
	return r, nil
}

// changeLines lists changes newest first, at most maxChanges of them.
func changeLines(changes []goalbot.Change) Text {
	t := line(strong("Changes"))
	for _, ch := range changes[:min(len(changes), maxChanges)] {
		t = append(t, plain(fmt.Sprintf("\n%s ", ch.At.Format("2006-01-02 15:04 UTC"))), user(ch.UserID), plain(" · "))
		t = append(t, changeText(ch)...)
	}
	if len(changes) > maxChanges {
		t = append(t, plain(fmt.Sprintf("\n(older changes not shown; the latest %d are)", maxChanges)))
	}
	return t
}
