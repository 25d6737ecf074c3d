package bot

import (
	"context"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/goalbot/goalbot"
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
// payload's workspace. Its reply goes to the payload's response_url,
// replacing the message that held the button when the reply says so, or,
// when the reply is a form (Update), opens as a modal. A change of a field
// that refreshes its modal (the goal type) updates the modal. Other
// interactions are ignored.
func (b *Bot) interaction(ctx context.Context, req *socketmode.Request, data any) {
	cb, ok := data.(slack.InteractionCallback)
	clicker, can := b.cmds.(Clicker)
	if !ok || cb.Type != slack.InteractionTypeBlockActions || !can || len(cb.ActionCallback.BlockActions) == 0 {
		b.log.Debug("interaction ignored", "envelope", req.EnvelopeID)
		return
	}
	if cb.View.Type == slack.VTModal {
		b.refill(ctx, req, cb)
		return
	}
	// A click carries one action; Slack sends each click on its own.
	action := cb.ActionCallback.BlockActions[0]
	name := actionName(action.ActionID)
	_, forms := b.cmds.(Former)
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	inv := commands.Invocation{TeamID: cb.Team.ID, UserID: cb.User.ID, ChannelID: channel,
		Location: b.users.zone(ctx, cb.User.ID), Forms: forms && cb.TriggerID != ""}
	reply, err := clicker.Click(ctx, inv, name, action.Value)
	if err != nil {
		b.log.Error("click failed", "envelope", req.EnvelopeID, "team", inv.TeamID, "user", inv.UserID, "action", name, "err", err)
	} else if reply.Failed {
		b.log.Info("click refused", "envelope", req.EnvelopeID, "team", inv.TeamID, "user", inv.UserID, "action", name)
	}
	if reply.Form != nil {
		or := origin{responseURL: cb.ResponseURL, home: cb.View.Type == slack.VTHomeTab}
		var blocks []slack.Block
		if cb.Container.MessageTs != "" && !cb.Container.IsEphemeral {
			or.channel, or.ts, or.text, blocks = channel, cb.Container.MessageTs, cb.Message.Text, cb.Message.Blocks.BlockSet
		}
		err := b.openForm(ctx, cb.TriggerID, inv, reply.Form, or, blocks)
		if err == nil {
			return
		}
		b.log.Warn("views.open failed", "envelope", req.EnvelopeID, "err", err)
		reply = formFailed()
	}
	if cb.ResponseURL == "" {
		// App Home clicks come without one: the answer goes to the DM.
		if _, err := b.sender.Send(ctx, goalbot.Delivery{TeamID: inv.TeamID, User: inv.UserID}, reply); err != nil {
			b.log.Error("click answer not delivered", "envelope", req.EnvelopeID, "err", err)
		}
	} else {
		msg := message(reply)
		msg.ReplaceOriginal = reply.Replaces
		b.respond(ctx, cb.ResponseURL, msg)
	}
	if reply.GoalsChanged {
		b.RefreshHome(ctx, inv.TeamID, inv.UserID)
	}
}

// refill answers a change in an open modal of a field that refreshes it:
// the form is built again with what was filled in and the modal updated
// (views.update, guarded by the view's hash against a newer state).
func (b *Bot) refill(ctx context.Context, req *socketmode.Request, cb slack.InteractionCallback) {
	former, ok := b.cmds.(Former)
	if !ok {
		return
	}
	meta, ok := b.readMeta(cb.Team.ID, cb.User.ID, cb.View.PrivateMetadata)
	if !ok || meta.Form != cb.View.CallbackID {
		b.log.Warn("modal action refused: private_metadata not signed for this user and workspace",
			"envelope", req.EnvelopeID, "team", cb.Team.ID, "user", cb.User.ID)
		return
	}
	inv := commands.Invocation{TeamID: cb.Team.ID, UserID: cb.User.ID, ChannelID: meta.Channel, Location: b.users.zone(ctx, cb.User.ID)}
	r, err := former.Refill(ctx, inv, commands.Filled{Kind: meta.Form, Ref: meta.Ref, Values: formValues(cb.View.State)})
	if err != nil || r.Form == nil {
		b.log.Error("modal not refreshed", "envelope", req.EnvelopeID, "team", inv.TeamID, "user", inv.UserID, "err", err, "reply", r.PlainText())
		return
	}
	view := modalView(r.Form, b.signMeta(inv.TeamID, inv.UserID, formMeta{Form: r.Form.Kind, Ref: r.Form.Ref, Channel: meta.Channel, Origin: meta.Origin}))
	if _, err := b.api.UpdateViewContext(ctx, view, "", cb.View.Hash, cb.View.ID); err != nil {
		b.log.Warn("views.update failed", "envelope", req.EnvelopeID, "err", scrubURL(err))
	}
}
