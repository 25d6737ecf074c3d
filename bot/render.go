package bot

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/goalbot/goalbot/commands"
)

// Slack's hard limits that rendering respects.
const (
	maxMessageBlocks  = 50
	maxSectionText    = 3000
	maxHeaderText     = 150
	maxFallbackText   = 3000
	maxButtonText     = 75
	maxActionElements = 25
)

var (
	slackUserID    = regexp.MustCompile(`^[UW][A-Z0-9]{1,20}$`)
	slackChannelID = regexp.MustCompile(`^[CGD][A-Z0-9]{1,20}$`)
	escaper        = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
)

// escape makes text literal in Slack mrkdwn: a typed <!channel> or <@U1>
// is shown, not executed.
func escape(s string) string { return escaper.Replace(s) }

// mrkdwn renders spans to Slack mrkdwn. Only User and Channel spans, which
// goalbot itself creates, become mentions and links.
func mrkdwn(t commands.Text) string {
	var b strings.Builder
	for _, s := range t {
		switch s.Kind {
		case commands.Strong:
			if s.Text != "" {
				b.WriteString("*" + escape(s.Text) + "*")
			}
		case commands.Code:
			b.WriteString("`" + escape(s.Text) + "`")
		case commands.User:
			if slackUserID.MatchString(s.Text) {
				b.WriteString("<@" + s.Text + ">")
			} else {
				b.WriteString(escape("@" + s.Text))
			}
		case commands.Channel:
			if slackChannelID.MatchString(s.Text) {
				b.WriteString("<#" + s.Text + ">")
			} else {
				b.WriteString(escape("#" + s.Text))
			}
		default:
			b.WriteString(escape(s.Text))
		}
	}
	return b.String()
}

// allPlain reports whether t has only Plain spans (a header can show it).
func allPlain(t commands.Text) bool {
	for _, s := range t {
		if s.Kind != commands.Plain {
			return false
		}
	}
	return true
}

// Blocks renders a reply to Block Kit within Slack's limits: sections longer
// than 3,000 characters are split at line breaks, headers are cut at 150
// characters, and a reply of more than 50 blocks keeps the first 49 and says
// how many were left out.
func Blocks(r commands.Reply) []slack.Block { return renderBlocks(r, maxMessageBlocks) }

// renderBlocks is Blocks with a block limit: 50 for a message, 100 for a
// view.
func renderBlocks(r commands.Reply, limit int) []slack.Block {
	var out []slack.Block
	for _, bl := range r.Blocks {
		switch bl.Kind {
		case commands.Heading:
			// A header is plain_text, which Slack shows as typed; still,
			// text with markup characters goes into an escaped bold section
			// so no message goalbot sends carries a raw <!here>.
			if allPlain(bl.Text) && !strings.ContainsAny(bl.Text.PlainText(), "<>&") {
				out = append(out, slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType,
					truncate(bl.Text.PlainText(), maxHeaderText), false, false)))
				continue
			}
			out = append(out, section("*"+mrkdwn(bl.Text)+"*"))
		case commands.Section:
			for i, chunk := range splitText(mrkdwn(bl.Text), maxSectionText) {
				sec := slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, chunk, false, false), nil, nil)
				if i == 0 {
					// A row's ID and its button go with its first part.
					sec.BlockID = bl.ID
					if len(bl.Buttons) > 0 {
						sec.Accessory = slack.NewAccessory(button(bl.Buttons[0]))
					}
				}
				out = append(out, sec)
			}
		case commands.Actions:
			var elems []slack.BlockElement
			for _, btn := range bl.Buttons {
				elems = append(elems, button(btn))
			}
			for len(elems) > 0 { // at most 25 elements per actions block
				n := min(len(elems), maxActionElements)
				out = append(out, slack.NewActionBlock("", elems[:n]...))
				elems = elems[n:]
			}
		case commands.Context:
			for _, chunk := range splitText(mrkdwn(bl.Text), maxSectionText) {
				out = append(out, slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, chunk, false, false)))
			}
		}
	}
	if len(out) > limit {
		left := len(out) - (limit - 1)
		out = append(out[:limit-1], slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType,
			fmt.Sprintf("…and %d more blocks not shown. Narrow the request to see them.", left), false, false)))
	}
	return out
}

// button renders a button. Its value rides in the action ID too: action
// IDs must be unique within a message; actionName takes it off again.
func button(btn commands.Button) *slack.ButtonBlockElement {
	el := slack.NewButtonBlockElement(btn.ActionID+":"+btn.Value, btn.Value,
		slack.NewTextBlockObject(slack.PlainTextType, truncate(btn.Text, maxButtonText), false, false))
	if btn.Danger {
		el.Style = slack.StyleDanger
	}
	return el
}

func section(text string) slack.Block {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)
}

// Fallback is the plain `text` of a message: what notifications and
// clients without Block Kit show. It is mrkdwn, escaped like the blocks.
func Fallback(r commands.Reply) string {
	parts := make([]string, 0, len(r.Blocks))
	for _, bl := range r.Blocks {
		if bl.Kind != commands.Actions {
			parts = append(parts, mrkdwn(bl.Text))
		}
	}
	return truncate(strings.Join(parts, "\n"), maxFallbackText)
}

// splitText cuts s into pieces of at most limit bytes, at line breaks where
// possible, never inside a UTF-8 sequence or an escape entity.
func splitText(s string, limit int) []string {
	var out []string
	for len(s) > limit {
		cut := strings.LastIndexByte(s[:limit], '\n')
		if cut <= 0 {
			cut = limit
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
			if amp := strings.LastIndexByte(s[:cut], '&'); amp >= 0 && !strings.Contains(s[amp:cut], ";") {
				cut = amp
			}
		}
		out = append(out, s[:cut])
		s = strings.TrimPrefix(s[cut:], "\n")
	}
	if s != "" || len(out) == 0 {
		out = append(out, s)
	}
	return out
}

// truncate cuts s to at most limit characters, ending with … when cut.
func truncate(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	r := []rune(s)
	return string(r[:limit-1]) + "…"
}
