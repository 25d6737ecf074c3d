package commands

import (
	"fmt"
	"strings"

	"github.com/goalbot/goalbot"
)

// showCheckIns is how many recent check-ins show lists for a key result.
const showCheckIns = 5

var showSpec = &spec{
	name:     "show",
	args:     "<objective|kr>",
	summary:  "details: key results, progress bars, status, recent check-ins",
	examples: []string{"/goal show 1", "/goal show 1.2"},
	parse: func(a *args) (Command, error) {
		if len(a.pos) != 1 {
			return nil, invalid(a.spec, "Say which objective or key result to show, like 3 or 3.1.")
		}
		if ref, ok := goalbot.ParseKRRef(a.pos[0].text); ok {
			return showCommand{objective: ref.Objective, kr: ref}, nil
		}
		n, err := a.objective(0)
		if err != nil {
			return nil, invalid(a.spec, "%q is not an objective (3) or key result (3.1).", a.pos[0].text)
		}
		return showCommand{objective: n}, nil
	},
}

// showCommand shows an objective or a key result in detail.
type showCommand struct {
	objective int
	kr        goalbot.KRRef // zero: show the objective
}

func (showCommand) Name() string { return "show" }

func (s showCommand) run(c *call) (Reply, error) {
	if s.kr.Number != 0 {
		return showKeyResult(c, s.kr)
	}
	o, err := c.x.Store.FindObjective(c.ctx, c.inv.TeamID, s.objective)
	if err != nil {
		return Reply{}, err
	}
	var r Reply
	r.add(Heading, plain(fmt.Sprintf("Objective %d: %s", o.Number, o.Title)))
	status := goalbot.ObjectiveStatus(o, c.today)
	t := line(plain(fmt.Sprintf("%s %s · %s %s\n%s · %s · owner ", bar(o.Progress()), percent(o.Progress()),
		statusEmoji(status), status, frameworkName(o.Framework), dueText(o.Due, c.today))), user(o.OwnerID))
	if o.ChannelID != "" {
		t = append(t, plain(" · "), channelRef(o.ChannelID))
	}
	if o.GoalType != "" {
		t = append(t, plain(" · type "+o.GoalType))
	}
	r.Blocks = append(r.Blocks, Block{Kind: Section, Text: t})
	if len(o.KeyResults) == 0 {
		r.add(Section, plain("No key results yet. Add 2-5 with "), code(fmt.Sprintf("/goal kr %d <title> from:N to:N", o.Number)), plain("."))
	}
	for _, kr := range o.KeyResults {
		r.Blocks = append(r.Blocks, Block{Kind: Section, Text: krLine(o, kr, c.today)})
	}
	r.add(Context, plain(fmt.Sprintf("Started %s · created by ", o.Start)), user(o.CreatedBy))
	return r, nil
}

// krLine summarises a key result in one paragraph.
func krLine(o *goalbot.Objective, kr *goalbot.KeyResult, today goalbot.Date) Text {
	status := goalbot.KRStatus(o, kr, today)
	t := line(strong(kr.Ref.String()), plain(" "+kr.Title+"\n"),
		plain(fmt.Sprintf("%s %s · now %s (%s → %s) · %s %s · owner ", bar(kr.Progress()), percent(kr.Progress()),
			value(kr, kr.Current), value(kr, kr.Start), value(kr, kr.Target), statusEmoji(status), status)),
		user(kr.OwnerID))
	if kr.Weight != 1 {
		t = append(t, plain(" · weight "+FormatNumber(kr.Weight, "")))
	}
	if kr.CheckIns == 0 {
		t = append(t, plain(" · no check-ins yet"))
	} else {
		t = append(t, plain(fmt.Sprintf(" · last check-in %s", kr.LastAsOf)))
	}
	return t
}

func showKeyResult(c *call, ref goalbot.KRRef) (Reply, error) {
	o, kr, err := c.x.Store.FindKeyResult(c.ctx, c.inv.TeamID, ref)
	if err != nil {
		return Reply{}, err
	}
	checkIns, err := c.x.Store.ListCheckIns(c.ctx, c.inv.TeamID, ref, showCheckIns+1)
	if err != nil {
		return Reply{}, fmt.Errorf("list check-ins: %w", err)
	}
	var r Reply
	r.add(Heading, plain(fmt.Sprintf("Key result %s: %s", kr.Ref, kr.Title)))
	r.Blocks = append(r.Blocks, Block{Kind: Section, Text: krLine(o, kr, c.today)})
	due := kr.Due
	if due.IsZero() {
		due = o.Due
	}
	direction := "higher is better"
	if kr.Decreasing() {
		direction = "lower is better"
	}
	r.add(Context, plain(fmt.Sprintf("Objective %d: %s · %s · %s", o.Number, o.Title, direction, dueText(due, c.today))))
	if len(checkIns) > 0 {
		r.Blocks = append(r.Blocks, Block{Kind: Section, Text: checkInLines("Recent check-ins", kr, checkIns, showCheckIns)})
	}
	return r, nil
}

// checkInLines lists the first n check-ins of list (newest first), each with
// its change from the one measured before it; list may hold one more than n
// so the last one shown still gets its change.
func checkInLines(title string, kr *goalbot.KeyResult, list []goalbot.CheckIn, n int) Text {
	t := line(strong(title))
	for i, ci := range list[:min(n, len(list))] {
		t = append(t, plain(fmt.Sprintf("\n%s  %s", ci.AsOf, value(kr, ci.Value))))
		if i+1 < len(list) && list[i+1].Value != ci.Value {
			t = append(t, plain(" ("+movement(kr, list[i+1].Value, ci.Value)+")"))
		}
		if ci.Confidence >= 0 {
			t = append(t, plain(fmt.Sprintf(" · confidence %d/10", ci.Confidence)))
		}
		t = append(t, plain(" · "), user(ci.UserID))
		if note := strings.TrimSpace(ci.Note); note != "" {
			t = append(t, plain(" · "+note))
		}
	}
	return t
}
