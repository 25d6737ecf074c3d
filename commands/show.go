package commands

import (
	"context"
	"fmt"
	"maps"
	"math"
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
		o, kr, err := a.objectiveOrKR(0)
		if err != nil {
			return nil, err
		}
		return showCommand{objective: o, kr: goalbot.KRRef{Objective: o, Number: kr}}, nil
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
	paces, err := c.paces(o)
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
	if o.Aim != "" {
		t = append(t, plain("\nAim: "+o.Aim))
	}
	r.Blocks = append(r.Blocks, Block{Kind: Section, Text: t})
	if o.State == goalbot.StateClosed {
		t := line(plain(outcome(o, status)))
		if o.CloseNote != "" {
			t = append(t, plain(" "+o.CloseNote))
		}
		r.Blocks = append(r.Blocks, Block{Kind: Section, Text: t})
	}
	for _, kr := range o.KeyResults {
		t := krLine(o, kr, c.today)
		if p, ok := paces[kr.Ref]; ok && o.State == goalbot.StateActive {
			t = append(t, plain("\n"+paceLine(kr, p, goalbot.KRDue(o, kr), c.today)))
		}
		r.Blocks = append(r.Blocks, Block{Kind: Section, Text: t})
	}
	if len(o.KeyResults) == 0 && o.State == goalbot.StateActive {
		r.add(Section, plain("No key results yet. Add 2-5 with "), code(fmt.Sprintf("/goal kr %d <title> from:N to:N", o.Number)), plain("."))
		if g, ok := goalbot.TemplateFor(o.GoalType); ok {
			r.Blocks = append(r.Blocks, Block{Kind: Section, Text: suggestions(g, o.Number)})
		}
	}
	if ms := milestoneLines(o, c.today); len(ms) > 0 {
		r.Blocks = append(r.Blocks, Block{Kind: Section, Text: ms})
	}
	if q := c.quality(o, paces); len(q) > 0 && o.State == goalbot.StateActive {
		r.Blocks = append(r.Blocks, Block{Kind: Context, Text: q})
	}
	r.add(Context, plain(fmt.Sprintf("Started %s · created by ", o.Start)), user(o.CreatedBy))
	return r, nil
}

// krLine summarises a key result in one paragraph.
func krLine(o *goalbot.Objective, kr *goalbot.KeyResult, today goalbot.Date) Text {
	status := goalbot.KRStatus(o, kr, today)
	var now string
	switch {
	case kr.Kind == goalbot.KindYesNo && kr.Reached():
		now = "done"
	case kr.Kind == goalbot.KindYesNo:
		now = "not done yet"
	default:
		now = "now " + value(kr, kr.Current) + " · " + rangeText(kr)
		if kr.Pending {
			now = rangeText(kr)
		}
	}
	judged := ""
	if o.State == goalbot.StateActive { // an ended objective's key results are not judged any more
		judged = fmt.Sprintf(" · %s %s", statusEmoji(status), status)
	}
	t := line(strong(kr.Ref.String()), plain(" "+kr.Title+"\n"),
		plain(fmt.Sprintf("%s %s · %s%s · owner ", bar(kr.Progress()), percent(kr.Progress()), now, judged)),
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

// pacePoints is how many recent check-ins pace is computed from: more than
// four weeks of daily check-ins.
const pacePoints = 60

// paces computes the pace of each number key result of o with a known
// baseline, from the measurements of all of them read at once.
func (c *call) paces(o *goalbot.Objective) (map[goalbot.KRRef]goalbot.Pace, error) {
	var krs []*goalbot.KeyResult
	for _, kr := range o.KeyResults {
		if kr.Kind != goalbot.KindYesNo && !kr.Pending {
			krs = append(krs, kr)
		}
	}
	points, err := c.x.pacePoints(c.ctx, c.inv.TeamID, krs, c.today)
	if err != nil {
		return nil, fmt.Errorf("pace points of objective %d: %w", o.Number, err)
	}
	paces := make(map[goalbot.KRRef]goalbot.Pace, len(krs))
	for _, kr := range krs {
		paces[kr.Ref] = goalbot.ComputePace(pacePlan(o, kr, points[kr.Ref]), c.today)
	}
	return paces, nil
}

// pacePoints reads the measurements the pace of krs at today is computed
// from: those of the rate's window (goalbot.WindowStart), which are all
// ComputePace uses unless they span fewer than two dates; then it uses the
// newest pacePoints whatever their date, which are read for those key
// results alone (when they have older ones). So a key result checked in
// daily for a year costs a month's rows, not 60.
func (x *Executor) pacePoints(ctx context.Context, team string, krs []*goalbot.KeyResult, today goalbot.Date) (map[goalbot.KRRef][]goalbot.Point, error) {
	refs := make([]goalbot.KRRef, len(krs))
	for i, kr := range krs {
		refs[i] = kr.Ref
	}
	points, err := x.Store.PacePoints(ctx, team, refs, goalbot.WindowStart(today), pacePoints)
	if err != nil {
		return nil, err
	}
	var sparse []goalbot.KRRef
	for _, kr := range krs {
		if p := points[kr.Ref]; len(p) < kr.CheckIns && goalbot.WindowTooSparse(p, today) {
			sparse = append(sparse, kr.Ref)
		}
	}
	if len(sparse) == 0 {
		return points, nil
	}
	older, err := x.Store.PacePoints(ctx, team, sparse, goalbot.Date{}, pacePoints)
	if err != nil {
		return nil, err
	}
	maps.Copy(points, older)
	return points, nil
}

// pacePlan gathers what ComputePace needs of kr, given its latest
// measurements, newest first.
func pacePlan(o *goalbot.Objective, kr *goalbot.KeyResult, points []goalbot.Point) goalbot.PacePlan {
	return goalbot.PacePlan{Start: kr.Start, Target: kr.Target, Current: kr.Current, Due: goalbot.KRDue(o, kr),
		Milestones: goalbot.KRMilestones(o, kr), Points: points}
}

// checkInPoints returns the measurements of list.
func checkInPoints(list []goalbot.CheckIn) []goalbot.Point {
	points := make([]goalbot.Point, len(list))
	for i, ci := range list {
		points[i] = goalbot.Point{Date: ci.AsOf, Value: ci.Value}
	}
	return points
}

// paceLine says how a key result is moving: the pace it needs against the
// pace it has, and where that leads.
func paceLine(kr *goalbot.KeyResult, p goalbot.Pace, due, today goalbot.Date) string {
	if p.Reached {
		return "🎯 target reached"
	}
	goal := "the target"
	if p.GoalDate != due {
		goal = "the milestone's " + value(kr, p.Goal)
	}
	var b strings.Builder
	if p.Overdue {
		fmt.Fprintf(&b, "pace: %s still needed for %s (due %s)", signed(p.Required, kr.Unit), goal, p.GoalDate)
	} else {
		fmt.Fprintf(&b, "pace: need %s to reach %s by %s", rate(p.Required, kr.Unit), goal, p.GoalDate)
	}
	if !p.HasActual {
		b.WriteString("; check in on two different days to see the actual pace")
		return b.String()
	}
	if today.DaysUntil(p.Since) >= -goalbot.WindowDays {
		fmt.Fprintf(&b, "; last 4 weeks %s", rate(p.Actual, kr.Unit))
	} else {
		fmt.Fprintf(&b, "; since %s %s (no check-ins in the last 4 weeks)", p.Since, rate(p.Actual, kr.Unit))
	}
	projected := p.Projected
	if math.Abs(projected) >= 100 {
		projected = math.Round(projected) // "about 1,658", not "about 1,658.33"
	}
	fmt.Fprintf(&b, " → about %s by the due date", value(kr, projected))
	if p.WillReach {
		fmt.Fprintf(&b, ", target reached around %s", p.ReachedOn)
	} else {
		b.WriteString(", target not reached at this pace")
	}
	return b.String()
}

// rate formats a change per day; per week or per month when it is too
// small to show per day.
func rate(perDay float64, unit string) string {
	switch a := math.Abs(perDay); {
	case a == 0 || a >= 1:
		return signed(perDay, unit) + "/day"
	case a*7 >= 0.01:
		return signed(perDay*7, unit) + "/week"
	case a*30 >= 0.01:
		return signed(perDay*30, unit) + "/month"
	}
	// Too small for two decimals even per month: two significant digits.
	return fmt.Sprintf("%+.2g %s/month", perDay*30, unit)
}

// milestoneLines lists o's milestones with their marks: done, overdue or
// upcoming.
func milestoneLines(o *goalbot.Objective, today goalbot.Date) Text {
	if len(o.Milestones) == 0 {
		return nil
	}
	t := line(strong("Milestones"))
	for _, m := range o.Milestones {
		kr := o.KeyResult(m.KR)
		mark, planned := milestoneMark(o, kr, m, today)
		who := ""
		if kr != nil {
			who = kr.Ref.String() + " "
		}
		t = append(t, plain(fmt.Sprintf("\n%s %s %s%s%s", mark, m.Date, who, m.Title, planned)))
	}
	return t
}

// milestoneMark judges a milestone: ✅ reached, ⚠️ overdue, ⏳ upcoming (or
// ☑️ passed, for one without a planned value).
func milestoneMark(o *goalbot.Objective, kr *goalbot.KeyResult, m goalbot.Milestone, today goalbot.Date) (mark, planned string) {
	if !m.HasTarget {
		if today.After(m.Date) {
			return "☑️", ""
		}
		return "⏳", ""
	}
	if kr != nil {
		planned = " · planned " + value(kr, m.Target)
	} else {
		planned = " · planned " + percent(m.Target)
	}
	reached := goalbot.MilestoneReached(o, kr, m)
	switch {
	case reached:
		return "✅", planned
	case today.After(m.Date):
		return "⚠️ overdue", planned
	}
	return "⏳", planned
}

// quality is the goal-quality hint block: the five SMART criteria, or the
// OKR hints.
func (c *call) quality(o *goalbot.Objective, paces map[goalbot.KRRef]goalbot.Pace) Text {
	if o.Framework == goalbot.FrameworkOKR {
		var t Text
		for _, h := range goalbot.OKRHints(o) {
			t = append(t, plain("💡 "+h))
		}
		return t
	}
	t := line(plain("SMART check:"))
	for _, cr := range goalbot.SMARTCheck(o, paces, c.x.AchievableMultiple) {
		mark := "✅"
		if !cr.Met {
			mark = "⚠️"
		}
		t = append(t, plain(fmt.Sprintf("\n%s %s: %s", mark, cr.Name, cr.Why)))
	}
	return t
}

func showKeyResult(c *call, ref goalbot.KRRef) (Reply, error) {
	o, kr, err := c.x.Store.FindKeyResult(c.ctx, c.inv.TeamID, ref)
	if err != nil {
		return Reply{}, err
	}
	checkIns, err := c.x.Store.ListCheckIns(c.ctx, c.inv.TeamID, ref, pacePoints)
	if err != nil {
		return Reply{}, fmt.Errorf("list check-ins: %w", err)
	}
	var r Reply
	r.add(Heading, plain(fmt.Sprintf("Key result %s: %s", kr.Ref, kr.Title)))
	r.Blocks = append(r.Blocks, Block{Kind: Section, Text: krLine(o, kr, c.today)})
	r.add(Context, plain(fmt.Sprintf("Objective %d: %s · %s · %s", o.Number, o.Title, frameworkName(o.Framework), dueText(goalbot.KRDue(o, kr), c.today))))
	if kr.Pending {
		r.add(Section, plain("The baseline is pending: the first check-in sets the start value."))
	} else if kr.Kind != goalbot.KindYesNo && o.State == goalbot.StateActive {
		r.add(Section, plain(paceLine(kr, goalbot.ComputePace(pacePlan(o, kr, checkInPoints(checkIns)), c.today), goalbot.KRDue(o, kr), c.today)))
	}
	// Only this key result's milestones.
	mine := *o
	mine.Milestones = nil
	for _, m := range o.Milestones {
		if m.KR == kr.Ref.Number {
			mine.Milestones = append(mine.Milestones, m)
		}
	}
	if ms := milestoneLines(&mine, c.today); len(ms) > 0 {
		r.Blocks = append(r.Blocks, Block{Kind: Section, Text: ms})
	}
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
