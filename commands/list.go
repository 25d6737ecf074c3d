package commands

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/goalbot/goalbot"
)

var listSpec = &spec{
	name:     "list",
	args:     "[mine|@user|#chan|all|at-risk]",
	summary:  "objectives with progress and status (default: yours and this channel's)",
	examples: []string{"/goal list", "/goal list @bob", "/goal list at-risk"},
	parse: func(a *args) (Command, error) {
		if len(a.pos) > 1 {
			return nil, invalid(a.spec, "list takes one scope: mine, @user, #chan, all or at-risk.")
		}
		if len(a.pos) == 0 {
			return listCommand{}, nil
		}
		w := a.pos[0]
		switch strings.ToLower(w.text) {
		case "mine", "all", "at-risk":
			return listCommand{scope: strings.ToLower(w.text)}, nil
		}
		if u, ok := parseUser(w.raw); ok {
			return listCommand{scope: "user", user: u}, nil
		}
		if ch, ok := parseChannel(w.raw); ok {
			return listCommand{scope: "channel", channel: ch}, nil
		}
		return nil, invalid(a.spec, "%q is not a scope: use mine, @user, #chan, all or at-risk.", w.text)
	},
}

// listCommand lists objectives.
type listCommand struct {
	scope   string // "", mine, all, at-risk, user, channel
	user    *UserRef
	channel *ChannelRef
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
	shown := 0
	for _, o := range list {
		status := goalbot.ObjectiveStatus(o, c.today)
		if l.scope == "at-risk" && status == goalbot.OnTrack {
			continue
		}
		r.Blocks = append(r.Blocks, Block{Kind: Section, Text: objectiveLine(o, status, c.today)})
		shown++
	}
	switch {
	case shown == 0 && len(list) > 0:
		// Only at-risk hides objectives: there are some, all on track.
		r.add(Section, plain("No objective is at risk or off track."))
	case shown == 0:
		r.add(Section, plain("No active objectives here yet. Create one with "), code("/goal new <title>"), plain("."))
	}
	return r, nil
}

// objectiveLine is the one-paragraph summary of an objective used by list.
func objectiveLine(o *goalbot.Objective, status goalbot.Status, today goalbot.Date) Text {
	return line(strong(strconv.Itoa(o.Number)), plain(" "+o.Title+"\n"),
		plain(fmt.Sprintf("%s %s · %s %s · %s · %s · owner ",
			bar(o.Progress()), percent(o.Progress()), statusEmoji(status), status, dueText(o.Due, today), count(len(o.KeyResults), "key result"))),
		user(o.OwnerID))
}
