package commands

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/goalbot/goalbot"
)

// homeMaxObjectives caps the objectives of an App Home. Each takes at most
// two blocks (a section with its key results and a row of Update buttons), so
// 30 of them, the heading and the notes stay well within the 100 blocks
// Slack allows in a Home view, with room for a long section to be split.
const homeMaxObjectives = 30

// Home builds user's App Home in team: the user's active objectives (owned,
// or holding a key result the user owns), most urgent first, each with its
// progress, status, framework and due date; under each, the key results the
// user owns with their progress, value, status and next due date, and one
// row of Update buttons (ActionCheckIn, Value the key-result ID). Dates are
// in loc (nil means UTC). Nothing of another workspace is read. The error is
// internal only (the store failed); the reply is then empty.
func (x *Executor) Home(ctx context.Context, team, user string, loc *time.Location) (Reply, error) {
	c := x.newCall(ctx, Invocation{TeamID: team, UserID: user, Location: loc})
	list, err := x.Store.ListObjectives(ctx, team, goalbot.ObjectiveFilter{UserID: user})
	if err != nil {
		return Reply{}, fmt.Errorf("list objectives of %s: %w", user, err)
	}
	var r Reply
	r.add(Heading, plain("Your goals"))
	if len(list) == 0 {
		r.add(Section, plain("You have no active goals yet. Start one with "), code("/goal new <title>"),
			plain(", then add 2-5 measurable key results with "), code("/goal kr <objective> <title> from:N to:N"), plain("."))
		r.add(Context, code("/goal templates"), plain(" suggests key results for common goals; "),
			code("/goal help"), plain(" lists every command."))
		return r, nil
	}

	type entry struct {
		o      *goalbot.Objective
		status goalbot.Status
	}
	entries := make([]entry, 0, len(list))
	for _, o := range list {
		entries = append(entries, entry{o, goalbot.ObjectiveStatus(o, c.today)})
	}
	// Most urgent first; storage already ordered by due date and number, and
	// the sort is stable.
	sort.SliceStable(entries, func(i, j int) bool { return goalbot.Rank(entries[i].status) < goalbot.Rank(entries[j].status) })

	r.add(Context, plain(fmt.Sprintf("%s you own or hold key results of, most urgent first. Check in with Update or ",
		count(len(entries), "active objective"))), code("/goal update <kr> <value>"), plain("."))
	for _, e := range entries[:min(len(entries), homeMaxObjectives)] {
		t, buttons := homeObjective(e.o, e.status, user, c.today)
		r.Blocks = append(r.Blocks, Block{Kind: Section, Text: t})
		if len(buttons) > 0 {
			r.Blocks = append(r.Blocks, Block{Kind: Actions, Buttons: buttons})
		}
	}
	if more := len(entries) - homeMaxObjectives; more > 0 {
		r.add(Context, plain("…and "+count(more, "more objective")+". "), code("/goal list mine"),
			plain(" shows them all."))
	}
	return r, nil
}

// homeObjective is the section of one objective in user's App Home: the
// objective's line, then the key results user owns; and the Update buttons
// of those key results.
func homeObjective(o *goalbot.Objective, status goalbot.Status, user string, today goalbot.Date) (Text, []Button) {
	t := line(strong(strconv.Itoa(o.Number)), plain(" "+o.Title+"\n"),
		plain(fmt.Sprintf("%s %s · %s %s · %s · %s", bar(o.Progress()), percent(o.Progress()),
			statusEmoji(status), status, frameworkName(o.Framework), dueText(o.Due, today))))
	var buttons []Button
	others := 0
	for _, kr := range o.KeyResults {
		if kr.OwnerID != user {
			others++
			continue
		}
		t = append(t, homeKeyResult(o, kr, today)...)
		buttons = append(buttons, Button{Text: "Update " + kr.Ref.String(), ActionID: ActionCheckIn, Value: kr.Ref.String()})
	}
	switch {
	case len(o.KeyResults) == 0:
		t = append(t, plain("\nNo key results yet. Add 2-5 with "), code(fmt.Sprintf("/goal kr %d <title> from:N to:N", o.Number)), plain("."))
	case others > 0 && o.OwnerID == user:
		sep := "\n"
		if len(buttons) > 0 {
			sep = "\n\n" // apart from the last key result's paragraph
		}
		t = append(t, plain(fmt.Sprintf("%s%s owned by others: ", sep, count(others, "more key result"))),
			code(fmt.Sprintf("/goal show %d", o.Number)), plain("."))
	}
	return t, buttons
}

// homeKeyResult is the paragraph of one of the user's key results in the
// App Home, starting with a blank line.
func homeKeyResult(o *goalbot.Objective, kr *goalbot.KeyResult, today goalbot.Date) Text {
	var now string
	switch {
	case kr.Kind == goalbot.KindYesNo && kr.Reached():
		now = "done"
	case kr.Kind == goalbot.KindYesNo:
		now = "not done yet"
	case kr.Pending:
		now = "baseline pending · target " + value(kr, kr.Target)
	default:
		now = "now " + value(kr, kr.Current) + " · target " + value(kr, kr.Target)
	}
	status := goalbot.KRStatus(o, kr, today)
	t := line(plain("\n\n"), strong(kr.Ref.String()), plain(" "+kr.Title+"\n"),
		plain(fmt.Sprintf("%s %s · %s · %s %s · ", bar(kr.Progress()), percent(kr.Progress()), now, statusEmoji(status), status)))
	due := goalbot.KRDue(o, kr)
	if m, ok := nextMilestone(o, kr, today); ok && m.Date.Before(due) {
		return append(t, plain("next milestone "+m.Title+", "+dueText(m.Date, today)))
	}
	return append(t, plain(dueText(due, today)))
}

// nextMilestone returns kr's earliest milestone that is neither past nor
// already reached.
func nextMilestone(o *goalbot.Objective, kr *goalbot.KeyResult, today goalbot.Date) (goalbot.Milestone, bool) {
	for _, m := range o.Milestones { // ordered by date
		if m.KR == kr.Ref.Number && !m.Date.Before(today) && !goalbot.MilestoneReached(o, kr, m) {
			return m, true
		}
	}
	return goalbot.Milestone{}, false
}
