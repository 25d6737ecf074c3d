package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/storage"
)

// update rewrites the golden files: go test ./bot -run Golden -update
var update = flag.Bool("update", false, "rewrite the Block Kit golden files in testdata/golden")

const goldenDir = "testdata/golden"

// goldenNow is Thursday 2026-11-26 10:00 UTC, the moment the golden
// surfaces are rendered.
var goldenNow = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

// goldenWorkspace builds, through the commands a team would type over two
// months, a workspace with an OKR objective (titled with characters Slack
// escapes) of three key results of different kinds and owners, a milestone,
// and a SMART objective due tomorrow; the clock is then goldenNow.
func goldenWorkspace(t *testing.T) *commands.Executor {
	t.Helper()
	// The workspace is built by one goroutine and rendered after: a plain
	// variable is the clock.
	now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	clock := goalbot.ClockFunc(func() time.Time { return now })
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "goalbot.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	x := &commands.Executor{Store: db, Clock: clock}
	const alice, bob = "U0ALICE01", "U0BOB0001"
	for _, step := range []struct {
		day, user, text string
	}{
		{"2026-10-01", alice, "new Grow &lt;LinkedIn&gt; brand &amp; reach &lt;!here&gt; due:2026-12-31 channel:<#C0MKTG001|marketing> type:brand-awareness"},
		{"2026-10-01", alice, "kr 1 LinkedIn followers from:1,200 to:2,000 unit:followers"},
		{"2026-10-01", alice, "kr 1 Cost per click from:$1.40 to:$0.90 owner:<@U0BOB0001|bob>"},
		{"2026-10-01", alice, "kr 1 Publish the crisis playbook kind:yesno due:2026-12-03"},
		{"2026-10-01", alice, "milestone 1 2026-11-29 Half-way review"},
		{"2026-10-02", alice, "new Ship the v2 API framework:smart due:2026-11-27 channel:<#C0MKTG001|marketing>"},
		{"2026-10-02", alice, "kr 2 Endpoints migrated from:0 to:40"},
		{"2026-10-15", alice, "update 1.1 1,450 confidence:high First campaign &lt;b&gt;live&lt;/b&gt;"},
		{"2026-11-01", bob, "update 1.2 $1.15 confidence:medium Paid campaign paused for two days"},
		{"2026-11-10", alice, "update 2.1 12 confidence:low Blocked on the auth service"},
	} {
		day, err := time.Parse(time.DateOnly, step.day)
		if err != nil {
			t.Fatal(err)
		}
		now = day.Add(9 * time.Hour)
		r, err := x.Run(context.Background(), commands.Invocation{TeamID: "T0TEAM001", UserID: step.user, ChannelID: "C0MKTG001"}, step.text)
		if err != nil || r.Failed {
			t.Fatalf("%s: %q failed (%v):\n%s", step.day, step.text, err, r.PlainText())
		}
	}
	now = goldenNow
	return x
}

// goldenPayload is what goalbot sends to Slack for one surface: a message
// (text and blocks) or a view (type and blocks).
type goldenPayload struct {
	ResponseType string        `json:"response_type,omitempty"`
	Type         string        `json:"type,omitempty"`
	Text         string        `json:"text,omitempty"`
	Blocks       []slack.Block `json:"blocks"`
}

// checkGolden compares payload with the golden file name, or rewrites it
// under -update.
func checkGolden(t *testing.T, name string, payload any) {
	t.Helper()
	// Re-encoded without HTML escaping (slack-go's blocks escape < > &
	// as \u003c...), so the files read as Slack will show them; the JSON
	// means the same. Keys come out sorted.
	data, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := json.Unmarshal(data, &tree); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(tree); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot -run Golden -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from what goalbot sends now; if the change is intended, run go test ./bot -run Golden -update and review the diff.\ngot:\n%s", path, got)
	}
}

// TestGoldenBlockKit renders every surface goalbot has today from one
// workspace and compares the Block Kit JSON with testdata/golden: slash
// command replies (list, show, help), the weekly digest, the check-in and
// due-date reminder DMs and the App Home view.
func TestGoldenBlockKit(t *testing.T) {
	x := goldenWorkspace(t)
	ctx := context.Background()
	inv := commands.Invocation{TeamID: "T0TEAM001", UserID: "U0ALICE01", ChannelID: "C0MKTG001"}
	for name, text := range map[string]string{
		"list.json":      "list all",
		"show.json":      "show 1",
		"show-kr.json":   "show 1.2",
		"templates.json": "templates brand-awareness",
		"error.json":     "update 1.1 lots",
		"delete.json":    "delete 1.3",
	} {
		t.Run(name, func(t *testing.T) {
			r, err := x.Run(ctx, inv, text)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name, message(r))
		})
	}
	t.Run("digest", func(t *testing.T) {
		parts, err := x.Digest(ctx, inv.TeamID, "C0MKTG001", goldenNow, time.UTC, time.Time{})
		if err != nil || len(parts) != 1 {
			t.Fatalf("%d parts, err %v", len(parts), err)
		}
		checkGolden(t, "digest.json", goldenPayload{Text: Fallback(parts[0]), Blocks: Blocks(parts[0])})
	})
	t.Run("check-in reminder", func(t *testing.T) {
		r, ok, err := x.CheckInReminder(ctx, inv.TeamID, inv.UserID, goldenNow, time.UTC)
		if err != nil || !ok {
			t.Fatalf("no reminder (ok %v, err %v)", ok, err)
		}
		checkGolden(t, "reminder-checkin.json", goldenPayload{Text: Fallback(r), Blocks: Blocks(r)})
	})
	t.Run("deadline reminder", func(t *testing.T) {
		r, ok, err := x.DeadlineReminder(ctx, inv.TeamID, inv.UserID, goalbot.DateOf(goldenNow))
		if err != nil || !ok {
			t.Fatalf("no reminder (ok %v, err %v)", ok, err)
		}
		checkGolden(t, "reminder-deadline.json", goldenPayload{Text: Fallback(r), Blocks: Blocks(r)})
	})
	t.Run("modals", func(t *testing.T) {
		b := New(Config{BotToken: "xoxb-golden"}, x, nil)
		forms := withForms(inv)
		refill := func() commands.Reply {
			r, err := x.Refill(ctx, forms, commands.Filled{Kind: commands.FormNew,
				Values: map[string]string{"title": "Grow newsletter signups", "goal_type": "leads"}})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		for name, r := range map[string]commands.Reply{
			"modal-new.json":          mustRun(t, x, forms, "new"),
			"modal-new-template.json": refill(),
			"modal-checkin.json":      mustRun(t, x, forms, "update 1.2"),
		} {
			f := r.Form
			if f == nil {
				t.Fatalf("%s: no form: %s", name, r.PlainText())
			}
			checkGolden(t, name, modalView(f, b.signMeta(inv.TeamID, inv.UserID, formMeta{Form: f.Kind, Ref: f.Ref, Channel: inv.ChannelID})))
		}
	})
	t.Run("App Home", func(t *testing.T) {
		r, err := x.Home(ctx, inv.TeamID, inv.UserID, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, "home.json", goldenPayload{Type: "home", Blocks: viewBlocks(r)})
	})
}

// withForms is inv able to open modals.
func withForms(inv commands.Invocation) commands.Invocation {
	inv.Forms = true
	return inv
}

// mustRun runs text and fails the test unless it succeeds.
func mustRun(t *testing.T, x *commands.Executor, inv commands.Invocation, text string) commands.Reply {
	t.Helper()
	r, err := x.Run(context.Background(), inv, text)
	if err != nil || r.Failed {
		t.Fatalf("%s: %v %s", text, err, r.PlainText())
	}
	return r
}

// Slack's limits as its Block Kit reference states them.
const (
	limitMessageBlocks  = 50
	limitViewBlocks     = 100
	limitSectionText    = 3000
	limitHeaderText     = 150
	limitContextElems   = 10
	limitActionElems    = 25
	limitButtonText     = 75
	limitActionID       = 255
	limitButtonValue    = 2000
	limitMessageText    = 40000
	limitPrivateMetaLen = 3000
	limitModalTitle     = 24
	limitBlockID        = 255
	limitInputLabel     = 2000
	limitPlaceholder    = 150
	limitTextInput      = 3000
	limitOptions        = 100
	limitOptionText     = 75
	limitOptionValue    = 150
)

// markup is every <...> in mrkdwn; only goalbot's own mentions may appear.
var (
	markup       = regexp.MustCompile(`<[^>]*>`)
	ownMention   = regexp.MustCompile(`^<(@[UW][A-Z0-9]+|#[CGD][A-Z0-9]+)>$`)
	bareEntities = regexp.MustCompile(`&(amp|lt|gt);`)
)

// TestGoldenFilesRespectSlackLimits walks every golden file and checks
// what Slack would reject or mangle: block counts, text lengths, button
// texts, values and action IDs (unique within a message), a plain-text
// fallback on messages, and mrkdwn that carries no markup goalbot did not
// put there (every < is a mention goalbot made, every & an entity).
func TestGoldenFilesRespectSlackLimits(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(goldenDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 9 {
		t.Fatalf("%d golden files, want at least 9: run go test ./bot -run Golden -update", len(files))
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, problem := range validatePayload(data) {
				t.Error(problem)
			}
		})
	}
}

// validatePayload returns what in a message or view payload breaks Slack's
// limits or goalbot's escaping rules.
func validatePayload(data []byte) []string {
	var p struct {
		Type            string      `json:"type"`
		Text            string      `json:"text"`
		PrivateMetadata string      `json:"private_metadata"`
		Title           *textObject `json:"title"`
		Submit          *textObject `json:"submit"`
		Close           *textObject `json:"close"`
		CallbackID      string      `json:"callback_id"`
		Blocks          []struct {
			Type      string         `json:"type"`
			BlockID   string         `json:"block_id"`
			Text      *textObject    `json:"text"`
			Elements  []blockElement `json:"elements"`
			Fields    []textObject   `json:"fields"`
			Accessory *blockElement  `json:"accessory"`
			Label     *textObject    `json:"label"`
			Hint      *textObject    `json:"hint"`
			Element   *inputElement  `json:"element"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return []string{fmt.Sprintf("not a payload: %v", err)}
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	// checkMarkup refuses mrkdwn with markup goalbot did not make: every
	// <...> must be a mention goalbot made, every & an entity.
	checkMarkup := func(where, text string) {
		for _, m := range markup.FindAllString(text, -1) {
			if !ownMention.MatchString(m) {
				bad("%s carries Slack markup %q", where, m)
			}
		}
		if n := strings.Count(text, "&"); n != len(bareEntities.FindAllString(text, -1)) {
			bad("%s has an unescaped &: %q", where, text)
		}
	}
	limit := limitMessageBlocks
	switch p.Type {
	case "modal":
		for name, t := range map[string]*textObject{"title": p.Title, "submit": p.Submit, "close": p.Close} {
			if t == nil || t.Type != "plain_text" || utf8.RuneCountInString(t.Text) == 0 || utf8.RuneCountInString(t.Text) > limitModalTitle {
				bad("the modal's %s must be plain text of 1-%d characters: %+v", name, limitModalTitle, t)
			}
		}
		if p.CallbackID == "" {
			bad("a modal without a callback_id")
		}
		fallthrough
	case "home":
		limit = limitViewBlocks
		if n := utf8.RuneCountInString(p.PrivateMetadata); n > limitPrivateMetaLen {
			bad("private_metadata has %d characters, Slack allows %d", n, limitPrivateMetaLen)
		}
	case "":
		if strings.TrimSpace(p.Text) == "" {
			bad("a message without a plain-text fallback")
		}
		if n := utf8.RuneCountInString(p.Text); n > limitMessageText {
			bad("fallback text has %d characters, Slack truncates at %d", n, limitMessageText)
		}
		checkMarkup("the fallback text", p.Text)
	default:
		bad("unknown payload type %q", p.Type)
	}
	if len(p.Blocks) == 0 || len(p.Blocks) > limit {
		bad("%d blocks, want 1-%d", len(p.Blocks), limit)
	}
	actionIDs, blockIDs := map[string]bool{}, map[string]bool{}
	checkText := func(where string, t *textObject, max int) {
		if t == nil {
			bad("%s without text", where)
			return
		}
		if n := utf8.RuneCountInString(t.Text); n == 0 || n > max {
			bad("%s has %d characters, want 1-%d", where, n, max)
		}
		if t.Type == "mrkdwn" {
			checkMarkup(where, t.Text)
		}
	}
	checkButton := func(at string, e blockElement) {
		if e.Type != "button" {
			bad("%s is a %q", at, e.Type)
		}
		checkText(at, e.Label, limitButtonText)
		if e.ActionID == "" || len(e.ActionID) > limitActionID {
			bad("%s has action_id %q", at, e.ActionID)
		}
		if actionIDs[e.ActionID] {
			bad("%s repeats action_id %q", at, e.ActionID)
		}
		actionIDs[e.ActionID] = true
		if len(e.Value) > limitButtonValue {
			bad("%s value has %d characters", at, len(e.Value))
		}
	}
	for i, b := range p.Blocks {
		where := fmt.Sprintf("block %d (%s)", i+1, b.Type)
		if b.BlockID != "" {
			if blockIDs[b.BlockID] || len(b.BlockID) > limitBlockID {
				bad("%s has a repeated or long block_id %q", where, b.BlockID)
			}
			blockIDs[b.BlockID] = true
		}
		switch b.Type {
		case "header":
			if b.Text == nil || b.Text.Type != "plain_text" {
				bad("%s is not plain text", where)
			}
			checkText(where, b.Text, limitHeaderText)
		case "section":
			checkText(where, b.Text, limitSectionText)
			if b.Accessory != nil {
				checkButton(where+" accessory", *b.Accessory)
			}
		case "input":
			if p.Type != "modal" {
				bad("%s outside a modal", where)
			}
			if b.BlockID == "" {
				bad("%s without a block_id: its errors could not be shown", where)
			}
			if b.Label == nil || b.Label.Type != "plain_text" {
				bad("%s label is not plain text", where)
			}
			checkText(where+" label", b.Label, limitInputLabel)
			if b.Hint != nil {
				checkText(where+" hint", b.Hint, limitInputLabel)
			}
			for _, problem := range b.Element.problems() {
				bad("%s: %s", where, problem)
			}
		case "context":
			if len(b.Elements) == 0 || len(b.Elements) > limitContextElems {
				bad("%s has %d elements, want 1-%d", where, len(b.Elements), limitContextElems)
			}
			for j := range b.Elements {
				checkText(fmt.Sprintf("%s element %d", where, j+1), &b.Elements[j].textObject, limitSectionText)
			}
		case "actions":
			if len(b.Elements) == 0 || len(b.Elements) > limitActionElems {
				bad("%s has %d elements, want 1-%d", where, len(b.Elements), limitActionElems)
			}
			for j, e := range b.Elements {
				checkButton(fmt.Sprintf("%s button %d", where, j+1), e)
			}
		default:
			bad("%s: goalbot does not send this block type", where)
		}
	}
	return problems
}

// inputElement is the element of an input block.
type inputElement struct {
	Type        string      `json:"type"`
	ActionID    string      `json:"action_id"`
	Placeholder *textObject `json:"placeholder"`
	MaxLength   int         `json:"max_length"`
	Initial     string      `json:"initial_value"`
	Options     []struct {
		Text  textObject `json:"text"`
		Value string     `json:"value"`
	} `json:"options"`
	InitialOption *struct {
		Value string `json:"value"`
	} `json:"initial_option"`
}

// problems returns what Slack would refuse in an input element.
func (e *inputElement) problems() []string {
	if e == nil {
		return []string{"no element"}
	}
	var out []string
	switch e.Type {
	case "plain_text_input", "static_select", "datepicker", "users_select", "conversations_select":
	default:
		out = append(out, fmt.Sprintf("element type %q", e.Type))
	}
	if e.ActionID == "" || len(e.ActionID) > limitActionID {
		out = append(out, fmt.Sprintf("action_id %q", e.ActionID))
	}
	if e.Placeholder != nil && (e.Placeholder.Type != "plain_text" || utf8.RuneCountInString(e.Placeholder.Text) > limitPlaceholder) {
		out = append(out, fmt.Sprintf("placeholder %q", e.Placeholder.Text))
	}
	if e.MaxLength > limitTextInput || (e.MaxLength > 0 && utf8.RuneCountInString(e.Initial) > e.MaxLength) {
		out = append(out, fmt.Sprintf("max_length %d with initial value %q", e.MaxLength, e.Initial))
	}
	if e.Type == "static_select" && (len(e.Options) == 0 || len(e.Options) > limitOptions) {
		out = append(out, fmt.Sprintf("%d options", len(e.Options)))
	}
	found := e.InitialOption == nil
	for _, o := range e.Options {
		if n := utf8.RuneCountInString(o.Text.Text); n == 0 || n > limitOptionText || len(o.Value) > limitOptionValue {
			out = append(out, fmt.Sprintf("option %q (%q)", o.Text.Text, o.Value))
		}
		if e.InitialOption != nil && e.InitialOption.Value == o.Value {
			found = true
		}
	}
	if !found {
		out = append(out, fmt.Sprintf("initial option %q is not an option", e.InitialOption.Value))
	}
	return out
}

// textObject is a Block Kit text object.
type textObject struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// blockElement is a context element (a text object) or a button.
type blockElement struct {
	textObject
	Label    *textObject `json:"-"`
	ActionID string      `json:"action_id"`
	Value    string      `json:"value"`
}

// UnmarshalJSON reads a button's label from "text", which for a context
// element is the string itself.
func (e *blockElement) UnmarshalJSON(data []byte) error {
	var raw struct {
		Type     string          `json:"type"`
		Text     json.RawMessage `json:"text"`
		ActionID string          `json:"action_id"`
		Value    string          `json:"value"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	e.Type, e.ActionID, e.Value = raw.Type, raw.ActionID, raw.Value
	if raw.Type == "button" {
		e.Label = &textObject{}
		return json.Unmarshal(raw.Text, e.Label)
	}
	return json.Unmarshal(raw.Text, &e.Text)
}

// TestValidatorCatchesBrokenPayloads feeds the validator payloads that each
// break one rule, so a validator that passes everything fails here.
func TestValidatorCatchesBrokenPayloads(t *testing.T) {
	section := func(text string) string {
		return fmt.Sprintf(`{"type":"section","text":{"type":"mrkdwn","text":%q}}`, text)
	}
	buttons := func(n int) string {
		var b []string
		for i := range n {
			b = append(b, fmt.Sprintf(`{"type":"button","action_id":"a%d","value":"1.1","text":{"type":"plain_text","text":"A"}}`, i))
		}
		return strings.Join(b, ",")
	}
	button := func(id, label string) string {
		return fmt.Sprintf(`{"type":"button","action_id":%q,"value":"1.1","text":{"type":"plain_text","text":%q}}`, id, label)
	}
	many := func(n int, block string) string { return strings.TrimSuffix(strings.Repeat(block+",", n), ",") }
	input := func(id, element string) string {
		return fmt.Sprintf(`{"type":"input","block_id":%q,"label":{"type":"plain_text","text":"L"},"element":%s}`, id, element)
	}
	modal := func(title, blocks string) string {
		return `{"type":"modal","callback_id":"new","title":{"type":"plain_text","text":"` + title +
			`"},"submit":{"type":"plain_text","text":"OK"},"close":{"type":"plain_text","text":"No"},"blocks":[` + blocks + `]}`
	}
	for name, payload := range map[string]string{
		"no fallback":          `{"blocks":[` + section("hi") + `]}`,
		"51 blocks":            `{"text":"x","blocks":[` + many(51, section("hi")) + `]}`,
		"101 blocks in a view": `{"type":"home","blocks":[` + many(101, section("hi")) + `]}`,
		"long section":         `{"text":"x","blocks":[` + section(strings.Repeat("a", 3001)) + `]}`,
		"long header":          `{"text":"x","blocks":[{"type":"header","text":{"type":"plain_text","text":"` + strings.Repeat("h", 151) + `"}}]}`,
		"raw broadcast":        `{"text":"x","blocks":[` + section("hello <!channel>") + `]}`,
		"raw link":             `{"text":"x","blocks":[` + section("<https://evil.example|click>") + `]}`,
		"bare ampersand":       `{"text":"x","blocks":[` + section("R&D") + `]}`,
		"long button text":     `{"text":"x","blocks":[{"type":"actions","elements":[` + button("a", strings.Repeat("b", 76)) + `]}]}`,
		"repeated action id":   `{"text":"x","blocks":[{"type":"actions","elements":[` + button("a", "A") + `,` + button("a", "B") + `]}]}`,
		"26 buttons":           `{"text":"x","blocks":[{"type":"actions","elements":[` + buttons(26) + `]}]}`,
		"unknown block":        `{"text":"x","blocks":[{"type":"image"}]}`,
		"raw fallback":         `{"text":"hi <!here>","blocks":[` + section("hi") + `]}`,
		"long modal title":     modal(strings.Repeat("t", 25), input("a", `{"type":"plain_text_input","action_id":"a"}`)),
		"input in a message":   `{"text":"x","blocks":[` + input("a", `{"type":"plain_text_input","action_id":"a"}`) + `]}`,
		"input without id":     modal("T", input("", `{"type":"plain_text_input","action_id":"a"}`)),
		"repeated block id":    modal("T", input("a", `{"type":"plain_text_input","action_id":"a"}`)+","+input("a", `{"type":"plain_text_input","action_id":"b"}`)),
		"initial past max":     modal("T", input("a", `{"type":"plain_text_input","action_id":"a","max_length":2,"initial_value":"abc"}`)),
		"stray initial option": modal("T", input("a", `{"type":"static_select","action_id":"a","options":[{"text":{"type":"plain_text","text":"A"},"value":"a"}],"initial_option":{"value":"b"}}`)),
		"long option text":     modal("T", input("a", `{"type":"static_select","action_id":"a","options":[{"text":{"type":"plain_text","text":"`+strings.Repeat("o", 76)+`"},"value":"a"}]}`)),
		"long accessory text":  `{"text":"x","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"a"},"accessory":` + button("a", strings.Repeat("b", 76)) + `}]}`,
	} {
		if problems := validatePayload([]byte(payload)); len(problems) == 0 {
			t.Errorf("%s: the validator found nothing wrong", name)
		}
	}
	ok := `{"text":"x","blocks":[` + section("*Grow* &lt;b&gt; &amp; <@U0BOB0001> in <#C0MKTG001>") + `,{"type":"actions","elements":[` + button("a", "A") + `,` + button("b", "B") + `]}]}`
	if problems := validatePayload([]byte(ok)); len(problems) != 0 {
		t.Errorf("a valid payload was refused: %v", problems)
	}
	okModal := modal("New objective", input("a", `{"type":"plain_text_input","action_id":"a","max_length":5,"initial_value":"abc"}`))
	if problems := validatePayload([]byte(okModal)); len(problems) != 0 {
		t.Errorf("a valid modal was refused: %v", problems)
	}
}
