package commands

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/goalbot/goalbot"
)

// buttonRef is what a button's value may hold: an objective or key-result
// ID. Anything else was not made by goalbot.
var buttonRef = regexp.MustCompile(`^[1-9][0-9]{0,8}(\.[1-9][0-9]{0,8})?$`)

// Click runs the button actionID (one of the Action constants) on value for
// inv's user. A click is the command the user could have typed, run through
// Run, so it has the same permission checks, workspace scope and replies;
// clicking twice runs it twice, which every action tolerates (a second
// delete finds nothing to delete). A value goalbot did not make or an
// unknown action is refused and nothing is done; the error, as for Run, is
// only for internal failures.
func (x *Executor) Click(ctx context.Context, inv Invocation, actionID, value string) (Reply, error) {
	notOurs := goalbot.Errorf(goalbot.EINVALID, "This button is not one goalbot made; nothing was done.")
	if actionID == ActionRemindPause {
		days, err := strconv.Atoi(value)
		if err != nil || days < 1 || days > 28 || strconv.Itoa(days) != value {
			return errorReply(notOurs)
		}
		until := x.newCall(ctx, inv).today.AddDays(days)
		// A longer pause already set stays: the button never shortens it.
		j, err := x.Store.FindJob(ctx, inv.TeamID, goalbot.JobCheckIn, inv.UserID)
		switch {
		case err == nil && j.PausedUntil.After(until):
			until = j.PausedUntil
		case err != nil && goalbot.ErrorCode(err) != goalbot.ENOTFOUND:
			return errorReply(fmt.Errorf("read reminder job of %s: %w", inv.UserID, err))
		}
		return x.Run(ctx, inv, "remind pause until:"+until.String())
	}
	if actionID == ActionRemindSnooze {
		if value != "1" {
			return errorReply(notOurs)
		}
		return x.Run(ctx, inv, "remind snooze")
	}
	if !buttonRef.MatchString(value) {
		return errorReply(notOurs)
	}
	switch actionID {
	case ActionDeleteConfirm:
		r, err := x.Run(ctx, inv, "delete "+value+" confirm")
		// A refusal (a second click finds nothing to delete) comes as a
		// new message; the answered question stays answered.
		r.Replaces = err == nil && !r.Failed
		return r, err
	case ActionDeleteCancel:
		var r Reply
		r.add(Section, plain(fmt.Sprintf("Cancelled: nothing deleted by this question about %s.", describeRef(value))))
		r.Replaces = true
		return r, nil
	case ActionShow:
		return x.Run(ctx, inv, "show "+value)
	case ActionCheckIn:
		if !strings.Contains(value, ".") { // check-ins are on key results only
			return errorReply(notOurs)
		}
		if inv.Forms {
			return x.Run(ctx, inv, "update "+value)
		}
		// Without a form, show the key result and the command that
		// checks in on it.
		r, err := x.Run(ctx, inv, "show "+value)
		if err == nil && !r.Failed {
			r.add(Context, plain("Check in with "), code("/goal update "+value+" <value> [confidence:high|medium|low] [note...]"), plain("."))
		}
		return r, err
	}
	return errorReply(goalbot.Errorf(goalbot.EINVALID, "This button does nothing any more; nothing was done."))
}

// describeRef names an objective ("objective 3") or key result
// ("key result 3.1") by its ID.
func describeRef(ref string) string {
	if strings.Contains(ref, ".") {
		return "key result " + ref
	}
	return "objective " + ref
}
