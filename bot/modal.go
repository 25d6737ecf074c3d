package bot

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
)

// Former runs submitted forms (commands.Executor does). When the Commands
// given to New also implement Former, /goal new, /goal update <kr> and the
// Update buttons open modals; otherwise they answer as in the shell.
type Former interface {
	Submit(ctx context.Context, inv commands.Invocation, f commands.Filled) (commands.Reply, error)
	Refill(ctx context.Context, inv commands.Invocation, f commands.Filled) (commands.Reply, error)
}

// Slack's limits of a modal.
const (
	maxModalTitle       = 24
	maxPlaceholder      = 150
	maxOptionText       = 75
	maxPrivateMetadata  = 2000 // Slack allows 3,000; goalbot stays well under
	maxTextInputLength  = 3000
	maxInputLabelLength = 2000
)

// formMeta is what a modal carries in its private_metadata: the form, what
// it acts on, and the channel it was opened from. Sig binds them to the
// workspace and user it was opened for, so a submission cannot name another
// key result or another workspace's form.
type formMeta struct {
	Form    string `json:"form"`
	Ref     string `json:"ref,omitempty"`
	Channel string `json:"channel,omitempty"`
	// Origin names where the form came from, in the bot's origins; it is
	// set before the modal opens, so a submission always finds it.
	Origin string `json:"origin,omitempty"`
	Sig    string `json:"sig"`
}

// metaKey derives the private_metadata signing key from the bot token: it
// is secret, and the same after a restart, so forms open across a restart
// still submit.
func metaKey(botToken string) []byte {
	m := hmac.New(sha256.New, []byte(botToken))
	m.Write([]byte("goalbot private_metadata v1"))
	return m.Sum(nil)
}

func (b *Bot) metaSig(team, user string, m formMeta) string {
	mac := hmac.New(sha256.New, b.metaKey)
	for _, s := range []string{team, user, m.Form, m.Ref, m.Channel, m.Origin} {
		mac.Write([]byte(s))
		mac.Write([]byte{0})
	}
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

// signMeta encodes m, signed for team and user.
func (b *Bot) signMeta(team, user string, m formMeta) string {
	m.Sig = b.metaSig(team, user, m)
	data, _ := json.Marshal(m)
	return string(data)
}

// readMeta decodes private_metadata and checks its signature for team and
// user; ok is false for anything goalbot did not sign for them.
func (b *Bot) readMeta(team, user, raw string) (m formMeta, ok bool) {
	if len(raw) > maxPrivateMetadata || json.Unmarshal([]byte(raw), &m) != nil {
		return formMeta{}, false
	}
	want := b.metaSig(team, user, m)
	return m, hmac.Equal([]byte(m.Sig), []byte(want))
}

// origin is where a form was opened from, kept until it is submitted: the message whose button opened it (to update it after a
// check-in), or the response_url of the command or click, or the App Home.
type origin struct {
	responseURL string
	channel, ts string // the message with the button
	text        string // its fallback text
	home        bool
}

// Bounds of what is kept of open forms and their messages: a form open
// longer, or past the count, is still submitted; its confirmation then
// goes to the user's DM.
const (
	originTTL  = 24 * time.Hour
	maxOrigins = 1000
)

// origins remembers the origin of open forms by the key in their metadata,
// and the blocks of
// the messages they came from as goalbot last made them, so two check-ins
// from one message (a channel's digest) each update the latest version.
type origins struct {
	mu       sync.Mutex
	forms    recent[origin]
	messages recent[[]slack.Block] // by channel + " " + ts
	// patching serialises read-patch-update of messages.
	patching sync.Mutex
}

// opened remembers the origin of the form with key and, the first time,
// the blocks of the message it came from.
func (o *origins) opened(key string, or origin, blocks []slack.Block) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.forms.put(key, or)
	if or.ts != "" {
		if _, known := o.messages.get(or.channel + " " + or.ts); !known {
			o.messages.put(or.channel+" "+or.ts, blocks)
		}
	}
}

// take returns and forgets the origin of the form with key.
func (o *origins) take(key string) (origin, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	or, ok := o.forms.get(key)
	o.forms.remove(key)
	return or, ok
}

// message returns the blocks of a message as goalbot last made them.
func (o *origins) message(channel, ts string) ([]slack.Block, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.messages.get(channel + " " + ts)
}

// updated records the blocks a message now has.
func (o *origins) updated(channel, ts string, blocks []slack.Block) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.messages.put(channel+" "+ts, blocks)
}

// recent is a map whose entries are forgotten after originTTL, and the
// oldest first beyond maxOrigins. Its user locks it.
type recent[T any] struct {
	m map[string]stamped[T]
}

type stamped[T any] struct {
	v  T
	at time.Time
}

func (r *recent[T]) put(key string, v T) {
	if r.m == nil {
		r.m = map[string]stamped[T]{}
	}
	now := time.Now()
	for k, e := range r.m {
		if now.Sub(e.at) > originTTL {
			delete(r.m, k)
		}
	}
	for len(r.m) >= maxOrigins {
		oldest := ""
		for k, e := range r.m {
			if oldest == "" || e.at.Before(r.m[oldest].at) {
				oldest = k
			}
		}
		delete(r.m, oldest)
	}
	r.m[key] = stamped[T]{v, now}
}

func (r *recent[T]) get(key string) (T, bool) {
	e, ok := r.m[key]
	return e.v, ok
}

func (r *recent[T]) remove(key string) { delete(r.m, key) }

// openForm opens f as a modal with triggerID for inv's user, remembering
// where it came from: or, and the blocks of the message that held the
// button (none for a command).
func (b *Bot) openForm(ctx context.Context, triggerID string, inv commands.Invocation, f *commands.Form, or origin, blocks []slack.Block) error {
	key := commands.NewRef() + commands.NewRef()
	b.origins.opened(key, or, blocks)
	meta := b.signMeta(inv.TeamID, inv.UserID, formMeta{Form: f.Kind, Ref: f.Ref, Channel: inv.ChannelID, Origin: key})
	if _, err := b.api.OpenViewContext(ctx, triggerID, modalView(f, meta)); err != nil {
		b.origins.take(key)
		return scrubURL(err)
	}
	return nil
}

// formFailed is the caller's reply when Slack would not open a form.
func formFailed() commands.Reply {
	return textReply("Slack did not open the form (the click may have expired). Please try again; typing the command with its values works too.")
}

// plainText is a plain_text object.
func plainText(s string, limit int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, truncate(s, limit), false, false)
}

// modalView renders a form as a modal: its intro as blocks, then an input
// block per field whose block and action IDs are the field's ID.
func modalView(f *commands.Form, meta string) slack.ModalViewRequest {
	blocks := renderBlocks(commands.Reply{Blocks: f.Intro}, max(1, maxViewBlocks-len(f.Fields)))
	for _, fd := range f.Fields {
		var el slack.BlockElement
		var placeholder *slack.TextBlockObject
		if fd.Placeholder != "" {
			placeholder = plainText(fd.Placeholder, maxPlaceholder)
		}
		switch fd.Kind {
		case commands.TextField:
			in := slack.NewPlainTextInputBlockElement(placeholder, fd.ID)
			in.InitialValue = fd.Initial
			if fd.MaxLen > 0 {
				in.MaxLength = min(fd.MaxLen, maxTextInputLength)
			}
			el = in
		case commands.SelectField:
			var opts []*slack.OptionBlockObject
			var initial *slack.OptionBlockObject
			for _, o := range fd.Options {
				opt := slack.NewOptionBlockObject(o.Value, plainText(o.Text, maxOptionText), nil)
				if o.Value == fd.Initial {
					initial = opt
				}
				opts = append(opts, opt)
			}
			el = slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, placeholder, fd.ID, opts...).WithInitialOption(initial)
		case commands.DateField:
			dp := slack.NewDatePickerBlockElement(fd.ID)
			dp.InitialDate, dp.Placeholder = fd.Initial, placeholder
			el = dp
		case commands.UserField:
			el = slack.NewOptionsSelectBlockElement(slack.OptTypeUser, placeholder, fd.ID).WithInitialUser(fd.Initial)
		case commands.ChannelField:
			sel := slack.NewOptionsSelectBlockElement(slack.OptTypeConversations, placeholder, fd.ID).WithInitialConversation(fd.Initial)
			sel.Filter = &slack.SelectBlockElementFilter{Include: []string{"public", "private"}, ExcludeBotUsers: true}
			el = sel
		}
		var hint *slack.TextBlockObject
		if fd.Hint != "" {
			hint = plainText(fd.Hint, maxInputLabelLength)
		}
		in := slack.NewInputBlock(fd.ID, plainText(fd.Label, maxInputLabelLength), hint, el)
		in.Optional = fd.Optional
		in.DispatchAction = fd.Refresh
		blocks = append(blocks, in)
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      f.Kind,
		Title:           plainText(f.Title, maxModalTitle),
		Submit:          plainText(f.Submit, maxModalTitle),
		Close:           plainText("Cancel", maxModalTitle),
		Blocks:          slack.Blocks{BlockSet: blocks},
		PrivateMetadata: meta,
	}
}

// formValues flattens a view's state to one value per block: the text
// typed, the option, date, user or conversation picked.
func formValues(state *slack.ViewState) map[string]string {
	out := map[string]string{}
	if state == nil {
		return out
	}
	for blockID, actions := range state.Values {
		for _, a := range actions {
			v := a.Value
			for _, s := range []string{a.SelectedOption.Value, a.SelectedDate, a.SelectedUser, a.SelectedConversation, a.SelectedChannel} {
				if s != "" {
					v = s
				}
			}
			out[blockID] = v
		}
	}
	return out
}

// fieldIDs returns the block IDs of a view's inputs, sorted.
func fieldIDs(state *slack.ViewState) []string {
	if state == nil {
		return nil
	}
	ids := make([]string, 0, len(state.Values))
	for id := range state.Values {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// messageView is a modal that shows r, with no fields: what replaces a form
// whose submission cannot be taken.
func messageView(title string, r commands.Reply) *slack.ModalViewRequest {
	return &slack.ModalViewRequest{
		Type:   slack.VTModal,
		Title:  plainText(title, maxModalTitle),
		Close:  plainText("Close", maxModalTitle),
		Blocks: slack.Blocks{BlockSet: renderBlocks(r, maxViewBlocks)},
	}
}

// submission handles a view_submission: it is acknowledged with the
// outcome, inline errors on the fields at fault or the modal closed, within
// the ack budget. A submission the bot cannot vouch for (metadata it did
// not sign for this user and workspace) is refused and nothing is run.
func (b *Bot) submission(ctx context.Context, req *socketmode.Request, cb slack.InteractionCallback) {
	former, ok := b.cmds.(Former)
	if !ok {
		b.ack(req.EnvelopeID, nil)
		return
	}
	meta, ok := b.readMeta(cb.Team.ID, cb.User.ID, cb.View.PrivateMetadata)
	if !ok || meta.Form != cb.View.CallbackID {
		b.log.Warn("form submission refused: private_metadata not signed for this user and workspace",
			"envelope", req.EnvelopeID, "team", cb.Team.ID, "user", cb.User.ID, "callback", cb.View.CallbackID)
		b.ack(req.EnvelopeID, slack.NewUpdateViewSubmissionResponse(messageView("goalbot",
			textReply("This form could not be verified, so nothing was saved. Please open it again from Slack."))))
		return
	}
	inv := commands.Invocation{TeamID: cb.Team.ID, UserID: cb.User.ID, ChannelID: meta.Channel}
	filled := commands.Filled{Kind: meta.Form, Ref: meta.Ref, Values: formValues(cb.View.State), Request: "view:" + cb.View.ID}

	// The budget starts now: the user's zone (users.info) counts.
	timer := time.NewTimer(b.cfg.AckBudget)
	defer timer.Stop()
	replies := make(chan commands.Reply, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ref := commands.NewRef()
				b.log.Error("panic in form submission", "ref", ref, "envelope", req.EnvelopeID, "panic", p)
				replies <- commands.InternalErrorReply(ref)
			}
		}()
		inv := inv
		inv.Location = b.users.zone(ctx, inv.UserID)
		r, err := former.Submit(ctx, inv, filled)
		if err != nil {
			b.log.Error("form submission failed", "envelope", req.EnvelopeID, "team", inv.TeamID, "user", inv.UserID, "form", meta.Form, "err", err)
		}
		replies <- r
	}()
	var r commands.Reply
	select {
	case r = <-replies:
		switch {
		case len(r.FieldErrors) > 0:
			b.ack(req.EnvelopeID, slack.NewErrorsViewSubmissionResponse(plainErrors(r.FieldErrors)))
			return
		case r.Failed:
			b.ack(req.EnvelopeID, slack.NewUpdateViewSubmissionResponse(messageView("goalbot", r)))
			return
		}
		b.ack(req.EnvelopeID, nil) // closes the modal
	case <-timer.C:
		// Slow (an announcement waiting for its channel's turn): the
		// modal closes now and the outcome comes as a message.
		b.ack(req.EnvelopeID, nil)
		r = <-replies
		if len(r.FieldErrors) > 0 {
			r = fieldErrorsReply(r.FieldErrors)
		}
	}
	if r.Repeated {
		b.log.Info("form submitted again; it took effect once", "envelope", req.EnvelopeID, "view", cb.View.ID)
		return
	}
	b.confirm(ctx, inv, meta.Origin, r)
	if r.GoalsChanged {
		b.RefreshHome(ctx, inv.TeamID, inv.UserID)
	}
}

// confirm shows the outcome of a submitted form where it was opened: the
// message whose button opened it is updated in place when the outcome
// replaces one of its rows (a check-in from a reminder); otherwise the
// outcome goes to the command's or click's response_url. A form opened from
// the App Home is confirmed by the refreshed App Home. When the origin is
// not known (the bot restarted meanwhile), the outcome goes to the user's
// DM.
func (b *Bot) confirm(ctx context.Context, inv commands.Invocation, originKey string, r commands.Reply) {
	or, known := b.origins.take(originKey)
	if known && or.ts != "" && b.updateRows(ctx, or, r) {
		return
	}
	switch {
	case known && or.responseURL != "" && b.respond(ctx, or.responseURL, message(r)):
	case known && or.home && !r.Failed:
		// The App Home refresh shows the new value.
	default:
		if _, err := b.sender.Send(ctx, goalbot.Delivery{TeamID: inv.TeamID, User: inv.UserID}, r); err != nil {
			b.log.Error("form outcome not delivered", "team", inv.TeamID, "user", inv.UserID, "err", err)
		}
	}
}

// updateRows rewrites the rows of the message or that r replaces
// (chat.update), starting from the message as goalbot last made it, one
// message update at a time. It reports whether the message was updated.
func (b *Bot) updateRows(ctx context.Context, or origin, r commands.Reply) bool {
	b.origins.patching.Lock()
	defer b.origins.patching.Unlock()
	current, ok := b.origins.message(or.channel, or.ts)
	if !ok {
		return false
	}
	blocks, ok := patch(current, r)
	if !ok {
		return false
	}
	_, _, _, err := b.api.UpdateMessageContext(ctx, or.channel, or.ts,
		slack.MsgOptionBlocks(blocks...), slack.MsgOptionText(or.text, false))
	if err != nil {
		b.log.Warn("chat.update of the message with the button failed", "channel", or.channel, "err", scrubURL(err))
		return false
	}
	b.origins.updated(or.channel, or.ts, blocks)
	return true
}

// plainErrors returns field errors fit for Slack's plain text: an error
// quotes what was typed, and angle brackets become look-alikes (‹ ›) so no
// Slack markup (<!channel>) goes back, even where Slack would show it as
// text.
func plainErrors(errs map[string]string) map[string]string {
	out := make(map[string]string, len(errs))
	for id, msg := range errs {
		out[id] = angles.Replace(msg)
	}
	return out
}

var angles = strings.NewReplacer("<", "‹", ">", "›")

// fieldErrorsReply tells, as a message, why a form that could no longer
// show its errors was not saved.
func fieldErrorsReply(errs map[string]string) commands.Reply {
	ids := make([]string, 0, len(errs))
	for id := range errs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	t := commands.Text{{Kind: commands.Plain, Text: "Not saved; please try again:"}}
	for _, id := range ids {
		t = append(t, commands.Span{Kind: commands.Plain, Text: "\n• " + errs[id]})
	}
	return commands.Reply{Failed: true, Blocks: []commands.Block{{Kind: commands.Section, Text: t}}}
}

// patch returns msg with each section whose block_id is the ID of a block of
// r replaced by r's rendering of that block, keeping the old block's button;
// ok is false when no block matched.
func patch(msg []slack.Block, r commands.Reply) (out []slack.Block, ok bool) {
	fresh := map[string]*slack.SectionBlock{}
	for _, bl := range r.Blocks {
		if bl.ID == "" || bl.Kind != commands.Section {
			continue
		}
		bl.Buttons = nil
		for _, rb := range Blocks(commands.Reply{Blocks: []commands.Block{bl}}) {
			if s, isSection := rb.(*slack.SectionBlock); isSection && s.BlockID == bl.ID {
				fresh[bl.ID] = s
			}
		}
	}
	out = make([]slack.Block, len(msg))
	for i, bl := range msg {
		out[i] = bl
		s, isSection := bl.(*slack.SectionBlock)
		if !isSection {
			continue
		}
		if f, match := fresh[s.BlockID]; match {
			replaced := *f
			replaced.Accessory = s.Accessory
			out[i], ok = &replaced, true
		}
	}
	return out, ok
}
