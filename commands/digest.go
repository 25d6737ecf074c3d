package commands

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goalbot/goalbot"
)

// Digest and reminder rules.
const (
	// StaleDays: a key result without a check-in for this many days is
	// stale in the digest.
	StaleDays = 14
	// ReminderDays: a key result without a check-in for this many days is
	// listed in its owner's check-in reminder.
	ReminderDays = 6
	// LookaheadDays: the digest lists milestones and due dates this far ahead.
	LookaheadDays = 14
	// digestLinesPerSection is how many lines (objectives, movers, risks...)
	// a digest section holds at most.
	digestLinesPerSection = 15
	// digestSectionBudget bounds a digest section's rendered length, below
	// Slack's 3,000 characters per section.
	digestSectionBudget = 2800
	// digestBlocksPerMessage keeps each digest message below Slack's 50 blocks.
	digestBlocksPerMessage = 45
	// digestButtonRows is how many at-risk key results get a row with an
	// Update button; the rest are listed packed.
	digestButtonRows = 10
)

// Digest builds the weekly digest of channel at now: the objectives whose
// channel it is, or every active objective of the workspace when it has none
// of its own. since is when the previous digest went out (zero: a week ago)
// and is what movers are measured against. A long digest is split into
// several messages of at most 45 blocks, each marked "part N of M".
func (x *Executor) Digest(ctx context.Context, team, channel string, now time.Time, loc *time.Location, since time.Time) ([]Reply, error) {
	today := goalbot.DateOf(now.In(loc))
	if since.IsZero() {
		since = now.AddDate(0, 0, -7)
	}
	list, err := x.Store.ListObjectives(ctx, team, goalbot.ObjectiveFilter{ChannelID: channel})
	if err != nil {
		return nil, fmt.Errorf("list objectives of %s: %w", channel, err)
	}
	scope := "this channel's"
	if len(list) == 0 {
		if list, err = x.Store.ListObjectives(ctx, team, goalbot.ObjectiveFilter{}); err != nil {
			return nil, fmt.Errorf("list objectives: %w", err)
		}
		scope = "the workspace's (this channel has none of its own)"
	}
	before, err := x.Store.ValuesAsOf(ctx, team, goalbot.DateOf(since.In(loc)))
	if err != nil {
		return nil, err
	}
	counts, err := x.Store.CheckInCounts(ctx, team, now.AddDate(0, 0, -7))
	if err != nil {
		return nil, err
	}

	type entry struct {
		o      *goalbot.Objective
		status goalbot.Status
	}
	var entries []entry
	for _, o := range list {
		entries = append(entries, entry{o, goalbot.ObjectiveStatus(o, today)})
	}
	sort.SliceStable(entries, func(i, j int) bool { return goalbot.Rank(entries[i].status) < goalbot.Rank(entries[j].status) })

	var blocks []Block
	add := func(kind BlockKind, t Text) { blocks = append(blocks, Block{Kind: kind, Text: t}) }
	add(Heading, line(plain(fmt.Sprintf("Weekly goal digest · %s", today))))
	add(Context, line(plain(fmt.Sprintf("%s, %s, most urgent first.", upperFirst(count(len(entries), "active objective")), scope))))
	if len(entries) == 0 {
		add(Section, line(plain("No active objectives yet. Create one with "), code("/goal new <title>"), plain(".")))
	}
	var objectives []Text
	for _, e := range entries {
		objectives = append(objectives, line(strong(strconv.Itoa(e.o.Number)), plain(fmt.Sprintf(" %s %s · %s %s · %s · ",
			bar(e.o.Progress()), percent(e.o.Progress()), statusEmoji(e.status), e.status, dueText(e.o.Due, today))),
			plain(e.o.Title)))
	}
	blocks = append(blocks, sections(nil, objectives)...)

	var movers, stale []Text
	var risks []Block    // the first digestButtonRows: a row each, with an Update button
	var moreRisks []Text // the rest, packed
	// coming is sorted by date below: a team reads what is due next first.
	type datedLine struct {
		date goalbot.Date
		line Text
	}
	var coming []datedLine
	for _, e := range entries {
		o := e.o
		for _, kr := range o.KeyResults {
			// A key result with no check-in by then stood at its start
			// value (or did not exist yet, and started there).
			old, ok := before[kr.Ref]
			if !ok && !kr.Pending {
				old, ok = kr.Start, true
			}
			if ok && kr.CheckIns > 0 && old != kr.Current && !kr.Pending {
				movers = append(movers, line(plain(fmt.Sprintf("%s %s: %s → %s (%s)", kr.Ref, kr.Title,
					value(kr, old), value(kr, kr.Current), movement(kr, old, kr.Current)))))
			}
			if s := goalbot.KRStatus(o, kr, today); s == goalbot.AtRisk || s == goalbot.OffTrack || s == goalbot.Missed {
				t := line(plain(fmt.Sprintf("%s %s %s: %s · %s · owner ", statusEmoji(s), kr.Ref, kr.Title, percent(kr.Progress()), s)), user(kr.OwnerID))
				if len(risks) < digestButtonRows {
					risks = append(risks, keyResultRow(kr, t))
				} else {
					moreRisks = append(moreRisks, t)
				}
			}
			last := goalbot.DateOf(kr.CreatedAt.In(loc))
			if kr.CheckIns > 0 {
				last = kr.LastAsOf
			}
			if days := last.DaysUntil(today); days >= StaleDays {
				stale = append(stale, line(plain(fmt.Sprintf("%s %s: no check-in for %d days · owner ", kr.Ref, kr.Title, days)), user(kr.OwnerID)))
			}
			if due := goalbot.KRDue(o, kr); !kr.Due.IsZero() && inWindow(today, due) {
				coming = append(coming, datedLine{due, line(plain(fmt.Sprintf("%s %s %s is due", due, kr.Ref, kr.Title)))})
			}
		}
		if inWindow(today, o.Due) {
			coming = append(coming, datedLine{o.Due, line(plain(fmt.Sprintf("%s objective %d %s is due", o.Due, o.Number, o.Title)))})
		}
		for _, m := range o.Milestones {
			if inWindow(today, m.Date) && !goalbot.MilestoneReached(o, o.KeyResult(m.KR), m) {
				who := fmt.Sprintf("objective %d", o.Number)
				if m.KR != 0 {
					who = fmt.Sprintf("%d.%d", o.Number, m.KR)
				}
				coming = append(coming, datedLine{m.Date, line(plain(fmt.Sprintf("%s milestone of %s: %s", m.Date, who, m.Title)))})
			}
		}
	}
	sort.SliceStable(coming, func(i, j int) bool { return coming[i].date.Before(coming[j].date) })
	comingLines := make([]Text, len(coming))
	for i, c := range coming {
		comingLines[i] = c.line
	}
	for _, part := range []struct {
		title string
		lines []Text
	}{
		{"Movers since the last digest", movers},
	} {
		if len(part.lines) > 0 {
			blocks = append(blocks, sections(line(strong(part.title)), part.lines)...)
		}
	}
	if len(risks) > 0 {
		// The most urgent each at its own row, so its owner can check in
		// from the digest and the row shows the new value to the channel;
		// the rest packed, so a big digest stays a few messages.
		add(Section, line(strong("At risk and off track")))
		blocks = append(blocks, risks...)
		blocks = append(blocks, sections(nil, moreRisks)...)
	}
	for _, part := range []struct {
		title string
		lines []Text
	}{
		{fmt.Sprintf("Stale: no check-in for %d days or more", StaleDays), stale},
		{fmt.Sprintf("Coming up in the next %d days", LookaheadDays), comingLines},
	} {
		if len(part.lines) > 0 {
			blocks = append(blocks, sections(line(strong(part.title)), part.lines)...)
		}
	}
	if len(counts) > 0 {
		users := make([]string, 0, len(counts))
		for u := range counts {
			users = append(users, u)
		}
		sort.Slice(users, func(i, j int) bool {
			return counts[users[i]] > counts[users[j]] || counts[users[i]] == counts[users[j]] && users[i] < users[j]
		})
		var people []Text
		for _, u := range users {
			people = append(people, line(user(u), plain(fmt.Sprintf(": %d", counts[u]))))
		}
		blocks = append(blocks, sections(line(strong("Check-ins this week")), people)...)
	} else {
		add(Section, line(strong("Check-ins this week"), plain("\nNone yet. Check in with "), code("/goal update <kr> <value>"), plain(".")))
	}
	return splitReply(blocks), nil
}

// inWindow reports whether d is today or within the digest's lookahead.
func inWindow(today, d goalbot.Date) bool {
	n := today.DaysUntil(d)
	return n >= 0 && n <= LookaheadDays
}

// sections packs lines into Section blocks, the first starting with title
// (when not nil), each of at most digestLinesPerSection lines and
// digestSectionBudget characters once rendered, so that every block stays
// one Slack block below its 3,000 characters however long the titles in it.
func sections(title Text, lines []Text) []Block {
	var (
		out     []Block
		cur     Text
		n, size int
	)
	if title != nil {
		cur, size = append(Text(nil), title...), renderedSize(title)
	}
	for _, l := range lines {
		if n > 0 && (n == digestLinesPerSection || size+1+renderedSize(l) > digestSectionBudget) {
			out = append(out, Block{Kind: Section, Text: cur})
			cur, n, size = nil, 0, 0
		}
		if len(cur) > 0 {
			cur = append(cur, plain("\n"))
			size++
		}
		cur = append(cur, l...)
		n++
		size += renderedSize(l)
	}
	if len(cur) > 0 {
		out = append(out, Block{Kind: Section, Text: cur})
	}
	return out
}

// renderedSize bounds the length of t in Slack mrkdwn: user text with &, <
// and > escaped (up to 5 bytes each), markup around strong and code spans,
// mentions and channel links. It counts bytes, never fewer than the
// characters Slack counts.
func renderedSize(t Text) int {
	n := 0
	for _, s := range t {
		n += len(s.Text) + 4*strings.Count(s.Text, "&") + 3*(strings.Count(s.Text, "<")+strings.Count(s.Text, ">"))
		switch s.Kind {
		case Strong, Code:
			n += 2
		case User, Channel:
			n += 4 // <@ID>, <#ID>, or the escaped @ID
		}
	}
	return n
}

// splitReply cuts blocks into replies of at most digestBlocksPerMessage
// blocks, numbering the parts (the "Part N of M" line counts) when there is
// more than one.
func splitReply(blocks []Block) []Reply {
	per := digestBlocksPerMessage
	if len(blocks) > per {
		per-- // room for the part's number
	}
	var parts []Reply
	for len(blocks) > 0 {
		n := min(len(blocks), per)
		parts = append(parts, Reply{Blocks: blocks[:n:n]})
		blocks = blocks[n:]
	}
	if len(parts) > 1 {
		for i := range parts {
			parts[i].Blocks = append(parts[i].Blocks, Block{Kind: Context, Text: line(plain(fmt.Sprintf("Part %d of %d.", i+1, len(parts))))})
		}
	}
	return parts
}

// CheckInReminder builds the check-in reminder of user at now: the key
// results they own in active objectives with no check-in for ReminderDays
// days (counted from their creation before the first), each with an Update
// button. ok is false when there is nothing to remind of.
func (x *Executor) CheckInReminder(ctx context.Context, team, userID string, now time.Time, loc *time.Location) (r Reply, ok bool, err error) {
	list, err := x.Store.ListObjectives(ctx, team, goalbot.ObjectiveFilter{UserID: userID})
	if err != nil {
		return Reply{}, false, fmt.Errorf("list objectives of %s: %w", userID, err)
	}
	r, ok = checkInReminder(list, userID, now, loc)
	return r, ok, nil
}

// pauseDays is how long the reminder's Pause button pauses reminders.
const pauseDays = 7

// checkInReminder is CheckInReminder on active objectives already loaded;
// list may hold other users' objectives too.
func checkInReminder(list []*goalbot.Objective, userID string, now time.Time, loc *time.Location) (r Reply, ok bool) {
	today := goalbot.DateOf(now.In(loc))
	r.add(Section, plain("👋 Time to check in. These key results have had no check-in for "+strconv.Itoa(ReminderDays)+" days or more:"))
	more := 0 // rows past maxReminderRows
	for _, o := range list {
		for _, kr := range o.KeyResults {
			if kr.OwnerID != userID {
				continue
			}
			last := goalbot.DateOf(kr.CreatedAt.In(loc))
			if kr.CheckIns > 0 {
				last = kr.LastAsOf
			}
			if last.DaysUntil(today) < ReminderDays {
				continue
			}
			now := "now " + value(kr, kr.Current)
			if kr.Pending {
				now = "baseline pending"
			}
			if len(r.Blocks) > maxReminderRows {
				more++
				continue
			}
			r.Blocks = append(r.Blocks, keyResultRow(kr,
				line(plain(fmt.Sprintf("• %s %s (objective %d: %s) · %s · last check-in %s", kr.Ref, kr.Title, o.Number, o.Title, now, lastText(kr, last))))))
		}
	}
	if len(r.Blocks) == 1 {
		return Reply{}, false
	}
	if more > 0 {
		r.add(Context, plain(fmt.Sprintf("…and %d more; ", more)), code("/goal list mine"), plain(" lists them all."))
	}
	r.Blocks = append(r.Blocks, Block{Kind: Actions, Buttons: []Button{
		{Text: "Snooze 1 day", ActionID: ActionRemindSnooze, Value: "1"},
		// Through the same weekday next week, so the next weekly
		// reminder is the one skipped.
		{Text: "Pause reminders for a week", ActionID: ActionRemindPause, Value: strconv.Itoa(pauseDays)},
	}})
	r.add(Context, plain("Or type "), code("/goal update <kr> <value>"), plain(". "), code("/goal remind off"), plain(" stops these reminders."))
	return r, true
}

// maxReminderRows bounds the key-result rows of a reminder DM, so that with
// its buttons and notes it stays within Slack's 50 blocks.
const maxReminderRows = 40

// keyResultRow is key result kr's row in a message: t with an Update
// button, under an ID that a check-in from the button replaces.
func keyResultRow(kr *goalbot.KeyResult, t Text) Block {
	ref := kr.Ref.String()
	return Block{Kind: Section, ID: RowID(ref), Text: t,
		Buttons: []Button{{Text: "Update " + ref, ActionID: ActionCheckIn, Value: ref}}}
}

func lastText(kr *goalbot.KeyResult, last goalbot.Date) string {
	if kr.CheckIns == 0 {
		return "never (created " + last.String() + ")"
	}
	return last.String()
}

// Deadline reminder days: before a due date, before a milestone.
var (
	dueReminderDays       = []int{7, 1}
	milestoneReminderDays = []int{3, 0}
)

// DeadlineReminder builds the due-date and milestone DM of user for today:
// key results and objectives they own due in 7 days or tomorrow, or overdue
// since yesterday; milestones of theirs in 3 days or today. Each comes with
// the pace needed against the pace measured. ok is false when nothing is due.
func (x *Executor) DeadlineReminder(ctx context.Context, team, userID string, today goalbot.Date) (r Reply, ok bool, err error) {
	list, err := x.Store.ListObjectives(ctx, team, goalbot.ObjectiveFilter{UserID: userID})
	if err != nil {
		return Reply{}, false, fmt.Errorf("list objectives of %s: %w", userID, err)
	}
	r, ok = x.deadlineReminder(ctx, team, list, userID, today)
	return r, ok, nil
}

// deadlineReminder is DeadlineReminder on active objectives already loaded;
// list may hold other users' objectives too.
func (x *Executor) deadlineReminder(ctx context.Context, team string, list []*goalbot.Objective, userID string, today goalbot.Date) (r Reply, ok bool) {
	var items []Block // one per thing coming due; key results with an Update button
	// when says when due is, if today is one of the days before it to
	// remind on, or (with overdue) the day after it.
	when := func(due goalbot.Date, days []int, overdue bool) (string, bool) {
		n := today.DaysUntil(due)
		for _, d := range days {
			if n == d {
				switch d {
				case 0:
					return "due today", true
				case 1:
					return "due tomorrow", true
				}
				return fmt.Sprintf("due in %d days (%s)", d, due), true
			}
		}
		if overdue && n == -1 {
			return fmt.Sprintf("overdue: it was due %s", due), true
		}
		return "", false
	}
	var opens []Button // one Open button per objective the DM mentions
	for _, o := range list {
		before := len(items)
		if o.OwnerID == userID {
			if w, ok := when(o.Due, dueReminderDays, true); ok {
				items = append(items, Block{Kind: Section, Text: line(plain(fmt.Sprintf("• Objective %d %s is %s: %s", o.Number, o.Title, w, percent(o.Progress()))))})
			}
		}
		for _, kr := range o.KeyResults {
			if kr.OwnerID != userID {
				continue
			}
			due := goalbot.KRDue(o, kr)
			if w, ok := when(due, dueReminderDays, true); ok && !kr.Reached() {
				t := line(plain(fmt.Sprintf("• %s %s is %s: %s", kr.Ref, kr.Title, w, percent(kr.Progress()))))
				items = append(items, keyResultRow(kr, append(t, x.paceNote(ctx, team, o, kr, today)...)))
			}
		}
		for _, m := range o.Milestones {
			kr := o.KeyResult(m.KR)
			if (kr == nil && o.OwnerID != userID) || (kr != nil && kr.OwnerID != userID) {
				continue
			}
			if w, ok := when(m.Date, milestoneReminderDays, false); ok && !goalbot.MilestoneReached(o, kr, m) {
				who := fmt.Sprintf("objective %d", o.Number)
				if kr != nil {
					who = kr.Ref.String()
				}
				t := line(plain(fmt.Sprintf("• Milestone %q of %s is %s", m.Title, who, w)))
				if kr != nil {
					t = append(t, x.paceNote(ctx, team, o, kr, today)...)
				}
				items = append(items, Block{Kind: Section, Text: t})
			}
		}
		if len(items) > before {
			n := strconv.Itoa(o.Number)
			opens = append(opens, Button{Text: "Open " + n, ActionID: ActionShow, Value: n})
		}
	}
	if len(items) == 0 {
		return Reply{}, false
	}
	r.add(Section, plain("⏰ Coming due:"))
	if len(items) > maxReminderRows {
		r.Blocks = append(r.Blocks, items[:maxReminderRows]...)
		r.add(Context, plain(fmt.Sprintf("…and %d more; ", len(items)-maxReminderRows)), code("/goal list mine"), plain(" lists them all."))
	} else {
		r.Blocks = append(r.Blocks, items...)
	}
	r.Blocks = append(r.Blocks, Block{Kind: Actions, Buttons: opens})
	return r, true
}

// paceNote is the "need +127/day; last 4 weeks +95/day" line of a key
// result, or nothing for yes/no and pending ones.
func (x *Executor) paceNote(ctx context.Context, team string, o *goalbot.Objective, kr *goalbot.KeyResult, today goalbot.Date) Text {
	if kr.Kind == goalbot.KindYesNo || kr.Pending {
		return nil
	}
	points, err := x.pacePoints(ctx, team, []*goalbot.KeyResult{kr}, today)
	if err != nil {
		return nil // the reminder still goes out, without the pace
	}
	p := goalbot.ComputePace(pacePlan(o, kr, points[kr.Ref]), today)
	t := "\n  need " + rate(p.Required, kr.Unit)
	if p.HasActual {
		t += "; last 4 weeks " + rate(p.Actual, kr.Unit)
	} else {
		t += "; no pace measured yet"
	}
	return line(plain(strings.TrimRight(t, " ")))
}
