package bot

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/goalbot/goalbot/commands"
)

// FuzzInteractivePayload feeds arbitrary interactive payloads through what
// goalbot reads of them: slack-go's decoding, the action name, the form
// values and the signed private_metadata. Nothing may panic; metadata that
// goalbot did not sign must never verify; and a form built from any values
// must render to a modal within Slack's limits.
func FuzzInteractivePayload(f *testing.F) {
	for _, name := range []string{"block_actions.json", "view_submission.json"} {
		data, err := os.ReadFile("../../shared/slack-samples/" + name)
		if err != nil {
			continue // the samples are outside the repository
		}
		var env struct {
			Payload json.RawMessage `json:"payload"`
		}
		if json.Unmarshal(data, &env) == nil {
			f.Add(string(env.Payload))
		}
	}
	f.Add(`{"type":"view_submission","team":{"id":"T1"},"user":{"id":"U1"},"view":{"id":"V1","callback_id":"checkin","private_metadata":"{\"form\":\"checkin\",\"ref\":\"1.1\",\"sig\":\"00\"}","state":{"values":{"value":{"value":{"type":"plain_text_input","value":"1,450"}}}}}}`)
	f.Add(`{"type":"block_actions","actions":[{"action_id":"checkin_open:1.1","value":"1.1"}],"view":{"type":"modal","state":{"values":{"goal_type":{"goal_type":{"type":"static_select","selected_option":{"value":"leads"}}}}}}}`)
	f.Add(`{"type":"view_submission","view":{"state":{"values":{"a":{"b":{"selected_date":"9999-99-99","selected_user":"<!channel>"}}}}}}`)
	b := New(Config{BotToken: "xoxb-fuzz"}, nil, nil)
	f.Fuzz(func(t *testing.T, payload string) {
		var cb slack.InteractionCallback
		if err := json.Unmarshal([]byte(payload), &cb); err != nil {
			return
		}
		for _, a := range cb.ActionCallback.BlockActions {
			if name := actionName(a.ActionID); strings.Contains(name, ":") {
				t.Errorf("action name %q keeps a colon", name)
			}
		}
		values := formValues(cb.View.State)
		if len(values) > 90 {
			return // goalbot's forms have 27 fields at most
		}
		if meta, ok := b.readMeta(cb.Team.ID, cb.User.ID, cb.View.PrivateMetadata); ok {
			t.Errorf("metadata goalbot never signed verified: %+v", meta)
		}
		signed := b.signMeta(cb.Team.ID, cb.User.ID, formMeta{Form: cb.View.CallbackID, Ref: values["value"]})
		if _, ok := b.readMeta(cb.Team.ID, cb.User.ID, signed); !ok && utf8.ValidString(cb.View.CallbackID+values["value"]) {
			t.Errorf("metadata goalbot signed did not verify: %s", signed)
		}
		if _, ok := b.readMeta(cb.Team.ID+"x", cb.User.ID, signed); ok {
			t.Error("metadata verified for another workspace")
		}
		f := &commands.Form{Kind: cb.View.CallbackID, Title: cb.View.CallbackID, Submit: values["value"]}
		for id, v := range values {
			f.Fields = append(f.Fields, commands.Field{ID: id, Label: v, Kind: commands.TextField, Initial: v, Placeholder: v, Hint: v})
		}
		view := modalView(f, signed)
		if n := utf8.RuneCountInString(view.Title.Text); n > maxModalTitle {
			t.Errorf("modal title of %d characters", n)
		}
		if n := len(view.Blocks.BlockSet); n > maxViewBlocks {
			t.Errorf("%d blocks in a modal", n)
		}
	})
}
