package commands

import (
	"fmt"
	"math"
	"strings"

	"github.com/goalbot/goalbot"
)

var closeSpec = &spec{
	name:         "close",
	changesGoals: true,
	args:         "<objective>",
	trailing:     "[note...]",
	summary:      "grade and close an objective (the score defaults to its progress)",
	options: []option{
		{key: "score", arg: "0.0-1.0", help: "the grade; OKRs count 0.7 and above as success"},
	},
	examples: []string{"/goal close 1 score:0.7 Strong quarter, reach fell short", "/goal close 2"},
	parse: func(a *args) (Command, error) {
		n, err := a.objective(0)
		if err != nil {
			return nil, err
		}
		c := closeCommand{objective: n, score: -1}
		if c.note, err = a.text(a.rest(1), "note", MaxNoteLen); err != nil {
			return nil, err
		}
		if s, ok, err := a.number("score"); err != nil {
			return nil, err
		} else if ok {
			v := s.Value
			if s.Unit == "%" {
				v /= 100
			} else if s.Unit != "" {
				return nil, invalid(a.spec, "score: must be between 0.0 and 1.0 (or 0%%-100%%).")
			}
			if v < 0 || v > 1 {
				return nil, invalid(a.spec, "score: %s is outside 0.0-1.0.", FormatNumber(s.Value, s.Unit))
			}
			c.score = v
		}
		return c, nil
	},
}

// closeCommand grades and closes an objective.
type closeCommand struct {
	objective int
	score     float64 // -1: the computed one
	note      string
}

func (closeCommand) Name() string { return "close" }

func (cl closeCommand) run(c *call) (Reply, error) {
	o, _, err := c.x.Store.UpdateObjective(c.ctx, c.inv.TeamID, cl.objective, c.inv.UserID, func(o *goalbot.Objective) error {
		if err := c.mayChangeObjective(o, "close it"); err != nil {
			return err
		}
		if o.State != goalbot.StateActive {
			return goalbot.Errorf(goalbot.ECONFLICT, "Objective %d is already %s.", o.Number, o.State)
		}
		if o.Framework == goalbot.FrameworkSMART && cl.score >= 0 {
			return invalid(closeSpec, "A SMART goal is achieved or missed by its key results; score: is for OKRs.")
		}
		o.State, o.Scored, o.Score, o.CloseNote = goalbot.StateClosed, true, cl.score, cl.note
		if cl.score < 0 {
			o.Score = goalbot.DefaultScore(o)
		}
		if o.Framework == goalbot.FrameworkSMART {
			// The outcome is decided now and kept: 1 when achieved, else
			// the progress short of it.
			if goalbot.SMARTAchieved(o, c.today) {
				o.Score = 1
			} else {
				o.Score = min(o.Score, 0.99)
			}
		}
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	var r Reply
	status := goalbot.ObjectiveStatus(o, c.today)
	t := line(plain(fmt.Sprintf("Closed objective %d: ", o.Number)), strong(o.Title), plain("\n"))
	t = append(t, plain(outcome(o, status)))
	r.Blocks = append(r.Blocks, Block{Kind: Section, Text: t})
	if cl.score >= 0 && math.Abs(cl.score-goalbot.DefaultScore(o)) >= 0.005 {
		r.add(Context, plain(fmt.Sprintf("Its computed progress was %.2f.", goalbot.DefaultScore(o))))
	}
	var news Reply
	news.add(Section, plain("🏁 Objective "), strong(fmt.Sprint(o.Number)), plain(" "+o.Title+" is closed. "+outcome(o, status)))
	if hint := c.announce(o.ChannelID, news); hint != nil {
		r.Blocks = append(r.Blocks, Block{Kind: Context, Text: hint})
	}
	return r, nil
}

// outcome says how a closed objective ended.
func outcome(o *goalbot.Objective, status goalbot.Status) string {
	if o.Framework == goalbot.FrameworkSMART {
		if status == goalbot.Achieved {
			return "✅ SMART goal achieved (100%)."
		}
		return fmt.Sprintf("❌ SMART goal missed: %s of 100%% by the due date.", percent(o.Score))
	}
	emoji := "🟡"
	if o.Score >= goalbot.OKRSuccess-1e-9 {
		emoji = "🏆"
	}
	return fmt.Sprintf("%s OKR score %.2f: %s.", emoji, o.Score, goalbot.Grade(o.Score))
}

var reopenSpec = &spec{
	name:         "reopen",
	changesGoals: true,
	args:         "<objective>",
	summary:      "reopen a closed or archived objective (its score is cleared)",
	examples:     []string{"/goal reopen 1"},
	parse:        oneObjective(func(n int) Command { return stateCommand{objective: n, to: goalbot.StateActive} }),
}

var archiveSpec = &spec{
	name:         "archive",
	changesGoals: true,
	args:         "<objective>",
	summary:      "archive an objective: kept for the record, hidden from lists",
	examples:     []string{"/goal archive 1"},
	parse:        oneObjective(func(n int) Command { return stateCommand{objective: n, to: goalbot.StateArchived} }),
}

// oneObjective parses commands that take one objective and nothing else.
func oneObjective(make func(n int) Command) func(a *args) (Command, error) {
	return func(a *args) (Command, error) {
		if len(a.pos) > 1 {
			return nil, invalid(a.spec, "%s takes one objective number, like 3.", a.spec.name)
		}
		n, err := a.objective(0)
		if err != nil {
			return nil, err
		}
		return make(n), nil
	}
}

// stateCommand reopens or archives an objective.
type stateCommand struct {
	objective int
	to        goalbot.State
}

func (s stateCommand) Name() string {
	if s.to == goalbot.StateActive {
		return "reopen"
	}
	return "archive"
}

func (s stateCommand) run(c *call) (Reply, error) {
	o, _, err := c.x.Store.UpdateObjective(c.ctx, c.inv.TeamID, s.objective, c.inv.UserID, func(o *goalbot.Objective) error {
		if err := c.mayChangeObjective(o, s.Name()+" it"); err != nil {
			return err
		}
		if o.State == s.to {
			return goalbot.Errorf(goalbot.ECONFLICT, "Objective %d is already %s.", o.Number, o.State)
		}
		o.State = s.to
		if s.to == goalbot.StateActive {
			o.Scored, o.Score, o.CloseNote = false, 0, ""
		}
		return nil
	})
	if err != nil {
		return Reply{}, err
	}
	var r Reply
	if s.to == goalbot.StateActive {
		r.add(Section, plain(fmt.Sprintf("Reopened objective %d: ", o.Number)), strong(o.Title), plain(fmt.Sprintf(" (%s, %s).", percent(o.Progress()), dueText(o.Due, c.today))))
	} else {
		r.add(Section, plain(fmt.Sprintf("Archived objective %d: ", o.Number)), strong(o.Title), plain(". It is kept for the record and hidden from lists; /goal reopen brings it back."))
	}
	return r, nil
}

var deleteSpec = &spec{
	name:         "delete",
	changesGoals: true,
	args:         "<objective|kr> [confirm]",
	summary:      "delete an objective or key result with its check-ins (asks for confirmation)",
	examples:     []string{"/goal delete 3", "/goal delete 3 confirm", "/goal delete 3.2 confirm"},
	parse: func(a *args) (Command, error) {
		c := deleteCommand{}
		if len(a.pos) == 0 || len(a.pos) > 2 {
			return nil, invalid(a.spec, "Say what to delete, like 3 or 3.1.")
		}
		var err error
		if c.objective, c.kr, err = a.objectiveOrKR(0); err != nil {
			return nil, err
		}
		if len(a.pos) == 2 {
			if !strings.EqualFold(a.pos[1].text, "confirm") {
				return nil, invalid(a.spec, "%q is not confirm.", a.pos[1].text)
			}
			c.confirmed = true
		}
		return c, nil
	},
}

// deleteCommand deletes an objective or key result once confirmed.
type deleteCommand struct {
	objective, kr int
	confirmed     bool
}

func (deleteCommand) Name() string { return "delete" }

func (d deleteCommand) run(c *call) (Reply, error) {
	ref := fmt.Sprint(d.objective)
	if d.kr != 0 {
		ref = fmt.Sprintf("%d.%d", d.objective, d.kr)
	}
	if !d.confirmed {
		// Permission first, so only those who may delete are asked to confirm.
		o, err := c.x.Store.FindObjective(c.ctx, c.inv.TeamID, d.objective)
		if err != nil {
			return Reply{}, err
		}
		what := fmt.Sprintf("objective %d %q with its %s", o.Number, o.Title, count(len(o.KeyResults), "key result"))
		if d.kr != 0 {
			kr := o.KeyResult(d.kr)
			if kr == nil {
				return Reply{}, goalbot.Errorf(goalbot.ENOTFOUND, "Key result %s not found.", ref)
			}
			if err := c.mayChangeKeyResult(o, kr, "delete it"); err != nil {
				return Reply{}, err
			}
			if err := active(deleteSpec, o); err != nil {
				return Reply{}, err
			}
			what = fmt.Sprintf("key result %s %q with its %s", ref, kr.Title, count(kr.CheckIns, "check-in"))
		} else if err := c.mayChangeObjective(o, "delete it"); err != nil {
			return Reply{}, err
		}
		r := Reply{Failed: true} // nothing was done yet
		r.add(Section, plain(fmt.Sprintf("Deleting %s cannot be undone. To go ahead: /goal delete %s confirm", what, ref)))
		r.Blocks = append(r.Blocks, Block{Kind: Actions, Buttons: []Button{
			{Text: "Delete " + describeRef(ref), ActionID: ActionDeleteConfirm, Value: ref, Danger: true},
			{Text: "Cancel", ActionID: ActionDeleteCancel, Value: ref},
		}})
		return r, nil
	}
	var err error
	if d.kr != 0 {
		err = c.x.Store.DeleteKeyResult(c.ctx, c.inv.TeamID, goalbot.KRRef{Objective: d.objective, Number: d.kr}, c.inv.UserID,
			func(o *goalbot.Objective, kr *goalbot.KeyResult) error {
				if err := c.mayChangeKeyResult(o, kr, "delete it"); err != nil {
					return err
				}
				return active(deleteSpec, o)
			})
	} else {
		err = c.x.Store.DeleteObjective(c.ctx, c.inv.TeamID, d.objective, c.inv.UserID,
			func(o *goalbot.Objective) error { return c.mayChangeObjective(o, "delete it") })
	}
	if err != nil {
		return Reply{}, err
	}
	var r Reply
	if d.kr != 0 {
		r.add(Section, plain(fmt.Sprintf("Deleted key result %s and its check-ins.", ref)))
	} else {
		r.add(Section, plain(fmt.Sprintf("Deleted objective %s with its key results and check-ins. /goal history %s still shows what happened to it.", ref, ref)))
	}
	return r, nil
}
