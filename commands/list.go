package commands

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/goalbot/goalbot"
)

var listSpec = &spec{
	name:     "list",
	args:     "[mine|@user|#chan|all|at-risk]",
	summary:  "active objectives, most urgent first (default: yours and this channel's)",
	options:  []option{{key: "page", arg: "N", help: fmt.Sprintf("which page of %d objectives to show", listPageSize)}},
	examples: []string{"/goal list", "/goal list @bob", "/goal list at-risk", "/goal list all page:2"},
	parse: func(a *args) (Command, error) {
		if len(a.pos) > 1 {
			return nil, invalid(a.spec, "list takes one scope: mine, @user, #chan, all or at-risk.")
		}
		c := listCommand{page: 1}
		if n, ok, err := a.number("page"); err != nil {
			return nil, err
		} else if ok {
			if n.Unit != "" || n.Value < 1 || n.Value != float64(int(n.Value)) || n.Value > 10000 {
				return nil, invalid(a.spec, "page: must be a whole number from 1.")
			}
			c.page = int(n.Value)
		}
		if len(a.pos) == 0 {
			return c, nil
		}
		w := a.pos[0]
		switch strings.ToLower(w.text) {
		case "mine", "all", "at-risk":
			c.scope = strings.ToLower(w.text)
			return c, nil
		}
		if u, ok := parseUser(w.raw); ok {
			c.scope, c.user = "user", u
			return c, nil
		}
		if ch, ok := parseChannel(w.raw); ok {
			c.scope, c.channel = "channel", ch
			return c, nil
		}
		return nil, invalid(a.spec, "%q is not a scope: use mine, @user, #chan, all or at-risk.", w.text)
	},
}

// listPageSize is how many objectives one list reply shows: one section
// each keeps a page well within Slack's 50 blocks.
const listPageSize = 20

// listCommand lists objectives.
type listCommand struct {
	scope   string // "", mine, all, at-risk, user, channel
	user    *UserRef
	channel *ChannelRef
	page    int
}

func (listCommand) Name() string { return "list" }

func (l listCommand) run(c *call) (Reply, error) {
	var f goalbot.ObjectiveFilter
	heading := "Objectives"
	switch l.scope {
	case "":
		f = goalbot.ObjectiveFilter{UserID: c.inv.UserID, ChannelID: c.inv.ChannelID}
		heading = "Your objectives and this channel's"
	case "mine":
		f.UserID = c.inv.UserID
		heading = "Your objectives"
	case "all":
		heading = "All objectives"
	case "at-risk":
		heading = "Objectives at risk or off track"
	case "user":
		id, err := c.resolveUser(listSpec, l.user)
		if err != nil {
			return Reply{}, err
		}
		f.UserID = id
	case "channel":
		id, err := c.resolveChannel(listSpec, l.channel)
		if err != nil {
			return Reply{}, err
		}
		f.ChannelID = id
	}
	list, err := c.x.Store.ListObjectives(c.ctx, c.inv.TeamID, f)
	if err != nil {
		return Reply{}, fmt.Errorf("list objectives: %w", err)
	}
	var r Reply
	switch l.scope {
	case "user":
		r.add(Heading, plain("Objectives of "), user(f.UserID))
	case "channel":
		r.add(Heading, plain("Objectives of "), channelRef(f.ChannelID))
	default:
		r.add(Heading, plain(heading))
	}
	type entry struct {
		o      *goalbot.Objective
		status goalbot.Status
	}
	var entries []entry
	for _, o := range list {
		status := goalbot.ObjectiveStatus(o, c.today)
		if l.scope == "at-risk" && status != goalbot.AtRisk && status != goalbot.OffTrack {
			continue
		}
		entries = append(entries, entry{o, status})
	}
	// Most urgent first, then by due date; storage already ordered by due
	// date and number, and the sort is stable.
	sort.SliceStable(entries, func(i, j int) bool { return goalbot.Rank(entries[i].status) < goalbot.Rank(entries[j].status) })
	if len(entries) == 0 {
		if l.scope == "at-risk" {
			r.add(Section, plain("No objective is at risk or off track."))
		} else {
			r.add(Section, plain("No active objectives here yet. Create one with "), code("/goal new <title>"), plain("."))
		}
		return r, nil
	}
	pages := (len(entries) + listPageSize - 1) / listPageSize
	if l.page > pages {
		if pages == 1 {
			return Reply{}, invalid(listSpec, "There is only 1 page of objectives here.")
		}
		return Reply{}, invalid(listSpec, "There are only %d pages of objectives here.", pages)
	}
	for _, e := range entries[(l.page-1)*listPageSize : min(len(entries), l.page*listPageSize)] {
		r.Blocks = append(r.Blocks, Block{Kind: Section, Text: objectiveLine(e.o, e.status, c.today)})
	}
	if pages > 1 {
		r.add(Context, plain(fmt.Sprintf("Page %d of %d (%d objectives).", l.page, pages, len(entries))))
		if l.page < pages {
			r.add(Context, plain(fmt.Sprintf("Add page:%d to the same command for the next page.", l.page+1)))
		}
	}
	return r, nil
}

// objectiveLine is the one-paragraph summary of an objective used by list.
func objectiveLine(o *goalbot.Objective, status goalbot.Status, today goalbot.Date) Text {
	return line(strong(strconv.Itoa(o.Number)), plain(" "+o.Title+"\n"),
		plain(fmt.Sprintf("%s %s · %s %s · %s · %s · %s · owner ",
			bar(o.Progress()), percent(o.Progress()), statusEmoji(status), status, frameworkName(o.Framework),
			dueText(o.Due, today), count(len(o.KeyResults), "key result"))),
		user(o.OwnerID))
}
