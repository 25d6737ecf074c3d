package commands

import (
	"strings"
)

// Reply is the neutral answer to a command: a list of blocks of inline
// spans. The bot renders it to Block Kit, the shell to plain text. Spans
// keep user text apart from what goalbot itself adds (mentions, emphasis), so
// renderers escape the former and format the latter.
type Reply struct {
	Blocks []Block
	// Failed marks a refusal or error reply.
	Failed bool
	// File, when not nil, is a file for the caller (export): see File.
	File *File
	// GoalsChanged says the command changed objectives or key results (a
	// check-in, an edit...), so views of the caller's goals kept elsewhere
	// (Slack's App Home) are stale.
	GoalsChanged bool
	// Replaces says the reply to a button click takes the place of the
	// message that held the button (a confirmation prompt, answered).
	Replaces bool
	// Form, when not nil, is a form for the caller to fill in instead of
	// an answer (a Slack modal): see Invocation.Forms.
	Form *Form
	// FieldErrors answers a submitted form that is not valid: a message
	// for each field ID at fault. Nothing was done.
	FieldErrors map[string]string
	// Repeated says the submission already took effect once (Slack
	// delivered it twice); nothing was done this time.
	Repeated bool
}

// BlockKind says how a block is laid out.
type BlockKind int

// Block kinds.
const (
	// Heading is a short title line (plain text only).
	Heading BlockKind = iota
	// Section is a paragraph; it may span several lines.
	Section
	// Context is small print under a section.
	Context
	// Actions is a row of buttons.
	Actions
)

// Block is one block of a reply.
type Block struct {
	Kind BlockKind
	Text Text
	// Buttons are the buttons of an Actions block; a Section may have one,
	// shown beside its text.
	Buttons []Button
	// ID, when set, names the block so that a later reply can take its
	// place: a check-in replies with a block of ID RowID(kr), which
	// replaces the key result's row in the message its Update button was
	// on.
	ID string
}

// RowID is the block ID of key result ref's row in a message.
func RowID(ref string) string { return "kr_" + ref }

// Button is a button of an Actions block. ActionID says what it does and
// Value what it acts on (a key-result ID such as "1.1").
type Button struct {
	Text     string
	ActionID string
	Value    string
	// Danger marks a button that destroys something (shown red in Slack).
	Danger bool
}

// Action IDs of goalbot's buttons. Executor.Click runs them.
const (
	// ActionCheckIn opens the check-in of the key result in Value.
	ActionCheckIn = "checkin_open"
	// ActionDeleteConfirm deletes the objective or key result in Value,
	// like /goal delete <Value> confirm.
	ActionDeleteConfirm = "delete_confirm"
	// ActionDeleteCancel answers a delete prompt with no.
	ActionDeleteCancel = "delete_cancel"
	// ActionShow shows the objective or key result in Value, like
	// /goal show <Value>.
	ActionShow = "show"
	// ActionRemindPause pauses the clicking user's reminders for Value
	// days, like /goal remind pause until:<today + Value>.
	ActionRemindPause = "remind_pause"
	// ActionRemindSnooze sends the clicking user's check-in reminder
	// again tomorrow, like /goal remind snooze.
	ActionRemindSnooze = "remind_snooze"
)

// Text is a run of spans.
type Text []Span

// SpanKind says what a span holds.
type SpanKind int

// Span kinds.
const (
	// Plain is literal text, often typed by a user: renderers escape it.
	Plain SpanKind = iota
	// Strong is emphasised literal text.
	Strong
	// Code is literal text in a monospace font (commands, IDs).
	Code
	// User is a Slack user ID that goalbot mentions.
	User
	// Channel is a Slack channel ID that goalbot links.
	Channel
)

// Span is a piece of inline text.
type Span struct {
	Kind SpanKind
	Text string
}

// Convenience constructors for spans.
func plain(s string) Span       { return Span{Plain, s} }
func strong(s string) Span      { return Span{Strong, s} }
func code(s string) Span        { return Span{Code, s} }
func user(id string) Span       { return Span{User, id} }
func channelRef(id string) Span { return Span{Channel, id} }

// line joins spans into a Text.
func line(spans ...Span) Text { return Text(spans) }

// add appends a block to r.
func (r *Reply) add(kind BlockKind, spans ...Span) {
	r.Blocks = append(r.Blocks, Block{Kind: kind, Text: Text(spans)})
}

// PlainText renders r as plain text: user mentions as @ID, channels as #ID,
// one block per line group. Both the shell and Slack's notification fallback
// use it.
func (r Reply) PlainText() string {
	var b strings.Builder
	for i, bl := range r.Blocks {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(bl.Text.PlainText())
		for i, btn := range bl.Buttons {
			if i > 0 || bl.Kind != Actions {
				b.WriteByte(' ')
			}
			b.WriteString("[" + btn.Text + "]")
		}
	}
	return b.String()
}

// PlainText renders t without formatting.
func (t Text) PlainText() string {
	var b strings.Builder
	for _, s := range t {
		switch s.Kind {
		case User:
			b.WriteString("@" + s.Text)
		case Channel:
			b.WriteString("#" + s.Text)
		default:
			b.WriteString(s.Text)
		}
	}
	return b.String()
}
