package commands

import (
	"fmt"

	"github.com/goalbot/goalbot"
)

// maxHistory bounds the check-ins one history reply lists, to stay within
// Slack's message limits; older ones are counted, not shown.
const maxHistory = 50

var historySpec = &spec{
	name:     "history",
	args:     "<kr>",
	summary:  "every check-in of a key result, newest first",
	examples: []string{"/goal history 1.1"},
	parse: func(a *args) (Command, error) {
		if len(a.pos) != 1 {
			return nil, invalid(a.spec, "Say which key result, like 3.1.")
		}
		ref, err := a.keyResult(0)
		if err != nil {
			return nil, err
		}
		return historyCommand{kr: ref}, nil
	},
}

// historyCommand lists the check-ins of a key result.
type historyCommand struct {
	kr goalbot.KRRef
}

func (historyCommand) Name() string { return "history" }

func (h historyCommand) run(c *call) (Reply, error) {
	_, kr, err := c.x.Store.FindKeyResult(c.ctx, c.inv.TeamID, h.kr)
	if err != nil {
		return Reply{}, err
	}
	list, err := c.x.Store.ListCheckIns(c.ctx, c.inv.TeamID, h.kr, maxHistory+1)
	if err != nil {
		return Reply{}, fmt.Errorf("list check-ins: %w", err)
	}
	var r Reply
	r.add(Heading, plain(fmt.Sprintf("History of %s: %s", kr.Ref, kr.Title)))
	if len(list) == 0 {
		r.add(Section, plain(fmt.Sprintf("No check-ins yet. The start value is %s. Check in with ", value(kr, kr.Start))),
			code(fmt.Sprintf("/goal update %s <value>", kr.Ref)), plain("."))
		return r, nil
	}
	r.Blocks = append(r.Blocks, Block{Kind: Section, Text: checkInLines(count(kr.CheckIns, "check-in"), kr, list, maxHistory)})
	if kr.CheckIns > maxHistory {
		r.add(Context, plain(fmt.Sprintf("Showing the latest %d of %d check-ins.", maxHistory, kr.CheckIns)))
	}
	return r, nil
}
