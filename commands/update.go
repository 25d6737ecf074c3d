package commands

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goalbot/goalbot"
)

var updateSpec = &spec{
	name:         "update",
	changesGoals: true,
	args:         "<kr> <value|yes|no>",
	trailing:     "[note...]",
	summary:      "check in a new value of a key result",
	options: []option{
		{key: "confidence", arg: "high|medium|low|0-10", help: "how sure you are the target will be reached"},
		{key: "as-of", arg: "DATE", help: "the day the value was measured (default: today)"},
	},
	examples: []string{
		"/goal update 1.1 1,450 confidence:medium Paid campaign paused for two days",
		"/goal update 1.2 $1.15 as-of:yesterday",
	},
	parse: func(a *args) (Command, error) {
		ref, err := a.keyResult(0)
		if err != nil {
			return nil, err
		}
		if len(a.pos) < 2 {
			return nil, invalid(a.spec, "Give the new value of %s.", ref)
		}
		c := updateCommand{kr: ref, confidence: -1, note: a.rest(2)}
		if c.value, c.yesNo, err = checkInValue(a.pos[1].text); err != nil {
			return nil, withUsage(a.spec, err)
		}
		if err := checkNote(c.note); err != nil {
			return nil, withUsage(a.spec, err)
		}
		if w, ok := a.opt("confidence"); ok {
			if c.confidence, err = parseConfidence(w.text); err != nil {
				return nil, withUsage(a.spec, err)
			}
		}
		if c.asOf, err = a.pastDate("as-of"); err != nil {
			return nil, err
		}
		if err := checkAsOf(c.asOf, a.today); err != nil {
			return nil, withUsage(a.spec, err)
		}
		return c, nil
	},
}

// checkInValue reads the value of a check-in: a number, or yes, no or
// done (yesNo true).
func checkInValue(s string) (v Number, yesNo bool, err error) {
	switch strings.ToLower(s) {
	case "yes", "done":
		return Number{Value: 1}, true, nil
	case "no":
		return Number{Value: 0}, true, nil
	}
	v, err = ParseNumber(s)
	return v, false, err
}

// checkNote refuses a check-in note that is too long or holds control
// characters.
func checkNote(note string) error {
	if n := utf8.RuneCountInString(note); n > MaxNoteLen {
		return goalbot.Errorf(goalbot.EINVALID, "The note is %d characters long; the limit is %d.", n, MaxNoteLen)
	}
	return checkText(note)
}

// checkAsOf refuses a measurement date after today.
func checkAsOf(asOf, today goalbot.Date) error {
	if asOf.After(today) {
		return goalbot.Errorf(goalbot.EINVALID, "as-of: %s is in the future.", asOf)
	}
	return nil
}

// parseConfidence reads high, medium, low or a whole number 0-10.
func parseConfidence(s string) (int, error) {
	switch strings.ToLower(s) {
	case "high":
		return goalbot.ConfidenceHigh, nil
	case "medium":
		return goalbot.ConfidenceMedium, nil
	case "low":
		return goalbot.ConfidenceLow, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 10 {
		return 0, goalbot.Errorf(goalbot.EINVALID, "confidence: %q must be high, medium, low or 0-10.", s)
	}
	return n, nil
}

// updateCommand records a check-in.
type updateCommand struct {
	kr         goalbot.KRRef
	value      Number
	yesNo      bool // the value was yes, no or done
	confidence int
	asOf       goalbot.Date
	note       string
}

func (updateCommand) Name() string { return "update" }

func (u updateCommand) run(c *call) (Reply, error) {
	asOf := u.asOf
	if asOf.IsZero() {
		asOf = c.today
	}
	ci := &goalbot.CheckIn{TeamID: c.inv.TeamID, KR: u.kr, Value: u.value.Value, Confidence: u.confidence,
		Note: u.note, AsOf: asOf, UserID: c.inv.UserID, Request: c.inv.Request}
	var o *goalbot.Objective
	var kr *goalbot.KeyResult
	becomesCurrent, err := c.x.Store.RecordCheckIn(c.ctx, ci, func(lo *goalbot.Objective, lkr *goalbot.KeyResult) error {
		o, kr = lo, lkr
		if err := c.mayChangeKeyResult(o, kr, "check in on it"); err != nil {
			return err
		}
		if err := active(updateSpec, o); err != nil {
			return err
		}
		return u.check(kr)
	})
	if err != nil {
		return Reply{}, err
	}
	if c.x.OnCheckIn != nil {
		c.x.OnCheckIn()
	}

	previous, baselineSet := kr.Current, kr.Pending
	if baselineSet {
		// As storage does: the key result's period now starts at the
		// baseline's as-of date, so its status is judged from then.
		kr.Pending, kr.Start, kr.BaselineDate = false, ci.Value, asOf
	}
	if becomesCurrent {
		kr.Current, kr.LastAsOf, kr.LastConfidence = ci.Value, asOf, ci.Confidence
	}
	kr.CheckIns++

	var r Reply
	t := line(plain("Checked in "), strong(kr.Ref.String()), plain(" "+kr.Title+": "), strong(value(kr, ci.Value)))
	if becomesCurrent && previous != ci.Value && !baselineSet {
		t = append(t, plain(" ("+movement(kr, previous, ci.Value)+")"))
	}
	status := goalbot.KRStatus(o, kr, c.today)
	if kr.Kind == goalbot.KindYesNo {
		t = append(t, plain(fmt.Sprintf("\n%s %s · %s %s", bar(kr.Progress()), percent(kr.Progress()), statusEmoji(status), status)))
	} else {
		t = append(t, plain(fmt.Sprintf("\n%s %s of the way from %s to %s · %s %s",
			bar(kr.Progress()), percent(kr.Progress()), value(kr, kr.Start), value(kr, kr.Target), statusEmoji(status), status)))
	}
	// The row of this key result in the message the check-in came from
	// (a reminder) shows it from now on.
	r.Blocks = append(r.Blocks, Block{Kind: Section, Text: t, ID: RowID(kr.Ref.String())})
	if baselineSet {
		r.add(Context, plain(fmt.Sprintf("This first check-in sets the baseline: %s → %s.", value(kr, kr.Start), value(kr, kr.Target))))
	}
	if u.confidence >= 0 && u.confidence <= goalbot.LowConfidence && strings.TrimSpace(u.note) == "" {
		r.add(Context, plain("💬 Low confidence noted. A few words on what is in the way help your team help you; add them as a note next time."))
	}
	if !becomesCurrent {
		r.add(Context, plain(fmt.Sprintf("Recorded as of %s; the current value stays %s, measured %s.", asOf, value(kr, kr.Current), kr.LastAsOf)))
	}
	r.add(Context, plain(fmt.Sprintf("Objective %d (%s) is now at %s.", o.Number, o.Title, percent(o.Progress()))))
	if becomesCurrent {
		var news Reply
		t := line(plain("📈 "), user(c.inv.UserID), plain(" checked in "), strong(kr.Ref.String()), plain(" "+kr.Title+": "+value(kr, ci.Value)))
		if previous != ci.Value && !baselineSet {
			t = append(t, plain(" ("+movement(kr, previous, ci.Value)+")"))
		}
		t = append(t, plain(fmt.Sprintf(" · objective %d at %s", o.Number, percent(o.Progress()))))
		news.Blocks = append(news.Blocks, Block{Kind: Section, Text: t})
		if hint := c.announce(o.ChannelID, news); hint != nil {
			r.Blocks = append(r.Blocks, Block{Kind: Context, Text: hint})
		}
	}
	return r, nil
}

// movement describes a change of value, saying whether it is good for this
// key result: for lower-is-better results a fall is progress.
func movement(kr *goalbot.KeyResult, from, to float64) string {
	delta := to - from
	arrow := "↑"
	if delta < 0 {
		arrow = "↓"
	}
	verdict := "🟢 better"
	if !kr.Better(from, to) {
		verdict = "🔴 worse"
	}
	if kr.Kind == goalbot.KindYesNo {
		return verdict
	}
	return fmt.Sprintf("%s %s, %s", arrow, signed(delta, kr.Unit), verdict)
}

// check refuses a value that does not fit kr: a number for a yes/no
// result, yes/no for a number, another unit, or a baseline already at the
// target.
func (u updateCommand) check(kr *goalbot.KeyResult) error {
	switch {
	case kr.Kind == goalbot.KindYesNo:
		if !u.yesNo && (u.value.Unit != "" || (u.value.Value != 0 && u.value.Value != 1)) {
			return invalid(updateSpec, "%s is a yes/no key result: check in with yes, no or done.", kr.Ref)
		}
	case u.yesNo:
		return invalid(updateSpec, "%s is measured in %s: give a number, not %s.", kr.Ref, unitName(kr.Unit), u.rawYesNo())
	case u.value.Unit != "" && u.value.Unit != kr.Unit:
		return invalid(updateSpec, "%s is measured in %s, not %s.", kr.Ref, unitName(kr.Unit), u.value.Unit)
	case kr.Pending && u.value.Value == kr.Target:
		return invalid(updateSpec, "This first check-in sets the baseline of %s, and %s is already its target: there would be nothing to measure. Edit the target first.", kr.Ref, value(kr, kr.Target))
	}
	return nil
}

// rawYesNo names the word the value was given as.
func (u updateCommand) rawYesNo() string {
	if u.value.Value == 1 {
		return "yes"
	}
	return "no"
}

func unitName(u string) string {
	if u == "" {
		return "plain numbers"
	}
	return u
}
