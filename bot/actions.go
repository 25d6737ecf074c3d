package bot

import (
	"context"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/goalbot/goalbot/commands"
)

// Clicker runs button clicks (commands.Executor does). When the Commands
// given to New also implement Clicker, the bot answers block_actions;
// otherwise clicks are acknowledged and ignored.
type Clicker interface {
	Click(ctx context.Context, inv commands.Invocation, actionID, value string) (commands.Reply, error)
}

// actionName is the action of a button's action_id: the renderer makes it
// "<action>:<value>" so that IDs are unique within a message.
func actionName(actionID string) string {
	name, _, _ := strings.Cut(actionID, ":")
	return name
}

// interaction handles an interactive envelope, already acknowledged. A
// block_actions click runs through Clicker as the clicking user of the
// payload's workspace, and its reply goes to the payload's response_url,
// replacing the message that held the button when the reply says so.
// Other interactions are ignored.
func (b *Bot) interaction(ctx context.Context, req *socketmode.Request, data any) {
	cb, ok := data.(slack.InteractionCallback)
	clicker, can := b.cmds.(Clicker)
	if !ok || cb.Type != slack.InteractionTypeBlockActions || !can || len(cb.ActionCallback.BlockActions) == 0 {
		b.log.Debug("interaction ignored", "envelope", req.EnvelopeID)
		return
	}
	// A click carries one action; Slack sends each click on its own.
	action := cb.ActionCallback.BlockActions[0]
	name := actionName(action.ActionID)
	if cb.ResponseURL == "" {
		// App Home clicks come without one; they need the check-in form,
		// which is not built yet. Nothing is run for them.
		b.log.Info("click ignored: no response_url to answer on", "envelope", req.EnvelopeID, "action", name)
		return
	}
	inv := commands.Invocation{TeamID: cb.Team.ID, UserID: cb.User.ID, ChannelID: cb.Channel.ID, Location: b.users.zone(ctx, cb.User.ID)}
	reply, err := clicker.Click(ctx, inv, name, action.Value)
	if err != nil {
		b.log.Error("click failed", "envelope", req.EnvelopeID, "team", inv.TeamID, "user", inv.UserID, "action", name, "err", err)
	} else if reply.Failed {
		b.log.Info("click refused", "envelope", req.EnvelopeID, "team", inv.TeamID, "user", inv.UserID, "action", name)
	}
	msg := message(reply)
	msg.ReplaceOriginal = reply.Replaces
	b.respond(ctx, cb.ResponseURL, msg)
	if reply.GoalsChanged {
		b.RefreshHome(ctx, inv.TeamID, inv.UserID)
	}
}
