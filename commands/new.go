package commands

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/goalbot/goalbot"
)

var newSpec = &spec{
	name:         "new",
	changesGoals: true,
	args:         "<title>",
	summary:      "create an objective (owner: you; due: end of this quarter)",
	options: []option{
		{key: "due", arg: "DATE", help: "the due date (default: the end of the current quarter)"},
		{key: "start", arg: "DATE", help: "the start of the period, for pace (default: today)"},
		{key: "framework", arg: "okr|smart", help: "OKR stretch goal (default) or committed SMART goal"},
		{key: "type", arg: "GOALTYPE", help: "goal type, for templates: brand-awareness, leads, conversions..."},
		{key: "owner", arg: "@user", help: "who owns it (default: you)"},
		{key: "channel", arg: "#chan", help: "the team channel it belongs to"},
		{key: "aim", arg: "TEXT", help: "the business aim it serves (quote it: aim:\"More inbound leads\")"},
	},
	examples: []string{
		"/goal new Grow LinkedIn followers due:Q4 channel:#marketing",
		"/goal new Ship the crisis playbook framework:smart due:2026-12-15 owner:@bob",
	},
	parse: func(a *args) (Command, error) {
		title, err := a.title(a.rest(0), "objective")
		if err != nil {
			return nil, err
		}
		c := newCommand{title: title}
		if c.objectiveOptions, err = a.objectiveOptions(); err != nil {
			return nil, err
		}
		if c.framework == "" {
			c.framework = goalbot.FrameworkOKR
		}
		return c, nil
	},
}

// newCommand creates an objective.
type newCommand struct {
	title string
	objectiveOptions
}

// objectiveOptions are the options new and edit share for an objective;
// zero values (hasAim false) mean "not given".
type objectiveOptions struct {
	due, start goalbot.Date
	framework  goalbot.Framework
	goalType   string
	aim        string
	hasAim     bool
	owner      *UserRef
	channel    *ChannelRef
}

// objectiveOptions parses the objective options given.
func (a *args) objectiveOptions() (objectiveOptions, error) {
	var c objectiveOptions
	var err error
	if c.due, err = a.date("due"); err != nil {
		return c, err
	}
	if c.start, err = a.date("start"); err != nil {
		return c, err
	}
	if w, ok := a.opt("framework"); ok {
		if c.framework, err = goalbot.ParseFramework(w.text); err != nil {
			return c, withUsage(a.spec, err)
		}
	}
	if w, ok := a.opt("type"); ok {
		if c.goalType, err = goalbot.ParseGoalType(w.text); err != nil {
			return c, withUsage(a.spec, err)
		}
	}
	if c.owner, err = a.user("owner"); err != nil {
		return c, err
	}
	if c.channel, err = a.channel("channel"); err != nil {
		return c, err
	}
	if w, ok := a.opt("aim"); ok {
		if c.aim, err = a.text(w.text, "aim", MaxAimLen); err != nil {
			return c, err
		}
		c.hasAim = true
	}
	return c, nil
}

func (newCommand) Name() string { return "new" }

func (n newCommand) run(c *call) (Reply, error) {
	o := &goalbot.Objective{
		TeamID: c.inv.TeamID, Title: n.title, Framework: n.framework, GoalType: n.goalType, Aim: n.aim,
		Start: n.start, Due: n.due, CreatedBy: c.inv.UserID, Request: c.inv.Request,
	}
	var err error
	if o.OwnerID, err = c.resolveUser(newSpec, n.owner); err != nil {
		return Reply{}, err
	}
	if o.ChannelID, err = c.resolveChannel(newSpec, n.channel); err != nil {
		return Reply{}, err
	}
	if o.ChannelID == "" && !strings.HasPrefix(c.inv.ChannelID, "D") {
		// Created in a team channel: it is that team's objective. A DM is
		// nobody's team channel.
		o.ChannelID = c.inv.ChannelID
	}
	if err := c.checkPeriod(o); err != nil {
		return Reply{}, err
	}
	return c.createObjective(o)
}

// checkPeriod fills in the default start (today) and due date (the end of
// the quarter) of a new objective and refuses a due date in the past or
// not after the start.
func (c *call) checkPeriod(o *goalbot.Objective) error {
	if o.Start.IsZero() {
		o.Start = c.today
	}
	if o.Due.IsZero() {
		o.Due = c.today.QuarterEnd()
	}
	if o.Due.Before(c.today) {
		return invalid(newSpec, "The due date %s is in the past.", o.Due)
	}
	if !o.Due.After(o.Start) {
		return invalid(newSpec, "The due date %s must be after the start %s.", o.Due, o.Start)
	}
	return nil
}

// createObjective stores o, checked, with its key results, answers with
// what was created and what to do next, and announces it in its channel.
func (c *call) createObjective(o *goalbot.Objective) (Reply, error) {
	if err := c.x.Store.CreateObjective(c.ctx, o); err != nil {
		return Reply{}, fmt.Errorf("create objective: %w", err)
	}
	var r Reply
	t := line(plain("Created objective "), strong(strconv.Itoa(o.Number)), plain(": "+o.Title+"\n"),
		plain(frameworkName(o.Framework)+" · owner "), user(o.OwnerID), plain(" · "+dueText(o.Due, c.today)))
	if o.ChannelID != "" {
		t = append(t, plain(" · "), channelRef(o.ChannelID))
	}
	r.Blocks = append(r.Blocks, Block{Kind: Section, Text: t})
	if len(o.KeyResults) > 0 {
		krs := line(strong("Key results"))
		for _, kr := range o.KeyResults {
			krs = append(krs, plain("\n• "), strong(kr.Ref.String()), plain(" "+kr.Title+" · "+rangeText(kr)))
		}
		r.Blocks = append(r.Blocks, Block{Kind: Section, Text: krs})
		r.add(Context, plain("Check in with "), code(fmt.Sprintf("/goal update %s <value>", o.KeyResults[0].Ref)), plain("; add more with "),
			code(fmt.Sprintf("/goal kr %d <title> from:N to:N", o.Number)))
	} else {
		r.add(Context, plain("Next: add 2-5 key results with "), code(fmt.Sprintf("/goal kr %d <title> from:N to:N", o.Number)))
		if g, ok := goalbot.TemplateFor(o.GoalType); ok {
			r.Blocks = append(r.Blocks, Block{Kind: Section, Text: suggestions(g, o.Number)})
		}
	}
	if o.Framework == goalbot.FrameworkSMART {
		r.Blocks = append(r.Blocks, Block{Kind: Context, Text: c.quality(o, nil)})
	}
	var news Reply
	news.add(Section, plain("🎯 New objective "), strong(strconv.Itoa(o.Number)), plain(": "+o.Title+" · "+frameworkName(o.Framework)+" · owner "),
		user(o.OwnerID), plain(" · due "+o.Due.String()))
	if hint := c.announce(o.ChannelID, news); hint != nil {
		r.Blocks = append(r.Blocks, Block{Kind: Context, Text: hint})
	}
	return r, nil
}
