package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/bot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/internal/fakeslack"
)

// openedView is a views.open (or views.update) call: the trigger, and the
// modal asked for with the view ID the fake gave it.
type openedView struct {
	TriggerID string
	ViewID    string
	Hash      string
	View      struct {
		Type            string           `json:"type"`
		CallbackID      string           `json:"callback_id"`
		PrivateMetadata string           `json:"private_metadata"`
		Blocks          []map[string]any `json:"blocks"`
	}
}

// input returns the input block whose block_id is id or starts with id~.
func (v openedView) input(t *testing.T, id string) map[string]any {
	t.Helper()
	for _, b := range v.View.Blocks {
		if bid, _ := b["block_id"].(string); b["type"] == "input" && (bid == id || strings.HasPrefix(bid, id+"~")) {
			return b
		}
	}
	t.Fatalf("the modal has no input %s", id)
	return nil
}

// waitView waits for the nth call of method ("views.open", "views.update")
// and decodes it.
func waitView(t *testing.T, fs *fakeslack.Server, method string, n int) openedView {
	t.Helper()
	calls, err := fs.WaitCalls(method, n, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c := calls[n-1]
	var req struct {
		TriggerID string          `json:"trigger_id"`
		ViewID    string          `json:"view_id"`
		Hash      string          `json:"hash"`
		View      json.RawMessage `json:"view"`
	}
	if err := json.Unmarshal(c.JSON, &req); err != nil {
		t.Fatalf("%s body %s: %v", method, c.JSON, err)
	}
	v := openedView{TriggerID: req.TriggerID, ViewID: req.ViewID, Hash: req.Hash}
	if err := json.Unmarshal(req.View, &v.View); err != nil {
		t.Fatal(err)
	}
	if v.ViewID == "" && method == "views.open" {
		v.ViewID = fmt.Sprintf("VTEST%04d", n) // as recordViewIDs numbers them
	}
	return v
}

// recordViewIDs makes the fake's views.open answer with IDs the test knows,
// in order: VTEST0001, VTEST0002...
func recordViewIDs(fs *fakeslack.Server) {
	var mu sync.Mutex
	n := 0
	fs.Handle("views.open", func(c fakeslack.Call) any {
		mu.Lock()
		n++
		id := fmt.Sprintf("VTEST%04d", n)
		mu.Unlock()
		var req struct {
			View struct {
				CallbackID string `json:"callback_id"`
			} `json:"view"`
		}
		json.Unmarshal(c.JSON, &req)
		return map[string]any{"ok": true, "view": map[string]any{"id": id, "type": "modal", "callback_id": req.View.CallbackID, "hash": "h-" + id}}
	})
}

// state builds view state values: each field as the element Slack sends
// for its kind, keyed by block and action ID.
func state(v openedView, t *testing.T, values map[string]string) map[string]any {
	t.Helper()
	out := map[string]any{}
	for id, val := range values {
		b := v.input(t, id)
		el := b["element"].(map[string]any)
		action := el["action_id"].(string)
		typ := el["type"].(string)
		var got map[string]any
		switch typ {
		case "plain_text_input":
			got = map[string]any{"type": typ, "value": val}
		case "static_select":
			got = map[string]any{"type": typ, "selected_option": map[string]any{"value": val, "text": map[string]any{"type": "plain_text", "text": val}}}
		case "datepicker":
			got = map[string]any{"type": typ, "selected_date": val}
		case "users_select":
			got = map[string]any{"type": typ, "selected_user": val}
		case "conversations_select":
			got = map[string]any{"type": typ, "selected_conversation": val}
		default:
			t.Fatalf("element type %s", typ)
		}
		out[b["block_id"].(string)] = map[string]any{action: got}
	}
	return out
}

// submitView sends a view_submission of v by user of team with the given
// state, shaped like ../shared/slack-samples/view_submission.json, and
// returns the decoded ack payload (nil for an empty ack).
func submitView(t *testing.T, fs *fakeslack.Server, team, user string, v openedView, values map[string]any) map[string]any {
	t.Helper()
	payload := map[string]any{
		"type":       "view_submission",
		"api_app_id": fakeslack.AppID,
		"team":       map[string]any{"id": team, "domain": "acme"},
		"user":       map[string]any{"id": user, "username": "someone", "team_id": team},
		"trigger_id": "3234567890.111222333.cdef0123456789abcdef0123456789ab",
		"view": map[string]any{
			"id": v.ViewID, "type": "modal", "callback_id": v.View.CallbackID,
			"private_metadata": v.View.PrivateMetadata, "hash": "1764150100.AbCdEf12",
			"state": map[string]any{"values": values},
		},
		"response_urls": []any{},
	}
	id, err := fs.SendEnvelope("interactive", payload, true)
	if err != nil {
		t.Fatal(err)
	}
	ack, err := fs.WaitAck(id, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Payload == nil {
		return nil
	}
	var got map[string]any
	if err := json.Unmarshal(ack.Payload, &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// checkIns returns the number of check-ins of key result ref in team.
func checkIns(t *testing.T, x *commands.Executor, team, ref string) int {
	t.Helper()
	kref, _ := goalbot.ParseKRRef(ref)
	list, err := x.Store.ListCheckIns(context.Background(), team, kref, 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// TestCreationModalEndToEnd: /goal new without text opens the creation
// modal with the command's trigger; an invalid submission comes back with
// inline errors and creates nothing; a valid one creates the objective
// with its key results, confirms on the command's response_url and
// announces in the channel; the same submission again creates nothing.
func TestCreationModalEndToEnd(t *testing.T) {
	fs := fakeslack.New(t)
	recordViewIDs(fs)
	x := MustHomeExecutor(t) // objective 1 exists
	b := newBot(fs, x, bot.Config{}, io.Discard)
	x.Announce = b.Announce
	stop := runUntilStopped(t, fs, b)

	const trigger = "1764150000.111222333.0123456789abcdef"
	id, responseURL, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "new", TriggerID: trigger})
	if err != nil {
		t.Fatal(err)
	}
	if ack, err := fs.WaitAck(id, 3*time.Second); err != nil || ack.Payload != nil {
		t.Fatalf("the command's ack carried %s (%v); a modal opens instead", ack.Payload, err)
	}
	v := waitView(t, fs, "views.open", 1)
	if v.TriggerID != trigger || v.View.Type != "modal" || v.View.CallbackID != commands.FormNew {
		t.Fatalf("views.open with trigger %q, view %s/%s", v.TriggerID, v.View.Type, v.View.CallbackID)
	}
	if len(v.View.PrivateMetadata) > 2000 || strings.Contains(v.View.PrivateMetadata, fakeslack.BotToken) {
		t.Errorf("private_metadata %q", v.View.PrivateMetadata)
	}

	valid := map[string]string{"title": "Grow <!channel> newsletter", "framework": "okr", "due": "2026-12-31",
		"owner": fakeslack.DefaultUserID, "channel": fakeslack.DefaultChannelID,
		"kr1_title": "Signups", "kr1_from": "300", "kr1_to": "1,000", "kr1_unit": "signups"}
	bad := map[string]string{}
	for k, val := range valid {
		bad[k] = val
	}
	bad["kr1_to"], bad["due"] = "300", "2026-01-01"
	got := submitView(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, v, state(v, t, bad))
	want := map[string]any{"response_action": "errors", "errors": map[string]any{
		"kr1_to": "from and to are both 300: there is nothing to measure.", "due": "The due date 2026-01-01 is in the past."}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("an invalid submission was answered %v, want %v", got, want)
	}
	if objectiveExists(t, x, fakeslack.TeamID, 2) {
		t.Fatal("an invalid submission created objective 2")
	}

	if got := submitView(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, v, state(v, t, valid)); got != nil {
		t.Fatalf("a valid submission was answered %v; an empty ack closes the modal", got)
	}
	o, err := x.Store.FindObjective(context.Background(), fakeslack.TeamID, 2)
	if err != nil || o.Title != "Grow <!channel> newsletter" || len(o.KeyResults) != 1 || o.KeyResults[0].Target != 1000 || o.ChannelID != fakeslack.DefaultChannelID {
		t.Fatalf("objective 2: %+v (%v)", o, err)
	}
	answer := waitClickAnswer(t, fs, responseURL)
	if answer.ResponseType != "ephemeral" || !strings.Contains(answer.Text, "Created objective *2*: Grow &lt;!channel&gt; newsletter") {
		t.Errorf("the confirmation: %+v", answer)
	}
	posts, err := fs.WaitCalls("chat.postMessage", 1, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if p := posts[0]; p.Param("channel") != fakeslack.DefaultChannelID || !strings.Contains(p.Param("text"), "New objective *2*") || strings.Contains(p.Param("text"), "<!channel>") {
		t.Errorf("the announcement went to %s: %s", p.Param("channel"), p.Param("text"))
	}

	// Slack delivering the submission again creates nothing more.
	if got := submitView(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, v, state(v, t, valid)); got != nil {
		t.Errorf("the repeat was answered %v", got)
	}
	stop() // waits for the work of every envelope
	if objectiveExists(t, x, fakeslack.TeamID, 3) || len(fs.Calls("chat.postMessage")) != 1 {
		t.Error("a repeated submission created or announced again")
	}
}

// reminderMessage is a check-in reminder DM as the bot posted it, as Slack
// sends it back inside a block_actions payload.
func reminderMessage(t *testing.T) (blocks []map[string]any) {
	t.Helper()
	r := commands.Reply{Blocks: []commands.Block{
		{Kind: commands.Section, Text: commands.Text{{Kind: commands.Plain, Text: "👋 Time to check in."}}},
		{Kind: commands.Section, ID: commands.RowID("1.1"), Text: commands.Text{{Kind: commands.Plain, Text: "• 1.1 Followers · now 1,000"}},
			Buttons: []commands.Button{{Text: "Update 1.1", ActionID: commands.ActionCheckIn, Value: "1.1"}}},
		{Kind: commands.Actions, Buttons: []commands.Button{{Text: "Snooze 1 day", ActionID: commands.ActionRemindSnooze, Value: "1"}}},
	}}
	data, err := json.Marshal(bot.Blocks(r))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &blocks); err != nil {
		t.Fatal(err)
	}
	return blocks
}

// clickOn sends a block_actions click of user on the button actionID:value
// held by a message (channel, ts, blocks) or, with channel "", by the App
// Home, and waits for its empty ack.
func clickOn(t *testing.T, fs *fakeslack.Server, team, user, channel, ts string, blocks []map[string]any, actionID, value string) {
	t.Helper()
	payload := map[string]any{
		"type":       "block_actions",
		"api_app_id": fakeslack.AppID,
		"team":       map[string]any{"id": team, "domain": "acme"},
		"user":       map[string]any{"id": user, "username": "someone", "team_id": team},
		"trigger_id": "2234567890.111222333.abcdef0123456789abcdef0123456789",
		"actions": []map[string]any{{"type": "button", "action_id": actionID + ":" + value, "block_id": commands.RowID(value), "value": value,
			"text": map[string]any{"type": "plain_text", "text": "Update"}, "action_ts": "1764150042.123456"}},
	}
	if channel != "" {
		payload["container"] = map[string]any{"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": false}
		payload["channel"] = map[string]any{"id": channel, "name": "directmessage"}
		payload["message"] = map[string]any{"type": "message", "ts": ts, "text": "Time to check in", "blocks": blocks}
		payload["response_url"] = fs.URL() + "/response/click-" + fmt.Sprint(time.Now().UnixNano())
	} else {
		payload["container"] = map[string]any{"type": "view", "view_id": "VHOME0001"}
		payload["view"] = map[string]any{"id": "VHOME0001", "type": "home", "hash": "h"}
	}
	id, err := fs.SendEnvelope("interactive", payload, false)
	if err != nil {
		t.Fatal(err)
	}
	if ack, err := fs.WaitAck(id, 3*time.Second); err != nil || ack.Payload != nil {
		t.Fatalf("click ack %s (%v)", ack.Payload, err)
	}
}

// TestUpdateButtonOnAReminderChecksInAndUpdatesTheMessage: the Update
// button of a reminder DM opens the check-in modal prefilled with the
// current value; submitting it records the check-in and chat.update
// rewrites the key result's row of that DM (keeping its button and the
// rest of the message); submitting it twice records one check-in.
func TestUpdateButtonOnAReminderChecksInAndUpdatesTheMessage(t *testing.T) {
	fs := fakeslack.New(t)
	recordViewIDs(fs)
	x := MustHomeExecutor(t)
	stop := runUntilStopped(t, fs, newBot(fs, x, bot.Config{}, io.Discard))
	const dm, ts = "D0ALICEDM", "1764150000.000200"
	blocks := reminderMessage(t)
	clickOn(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, dm, ts, blocks, commands.ActionCheckIn, "1.1")

	v := waitView(t, fs, "views.open", 1)
	if v.TriggerID != "2234567890.111222333.abcdef0123456789abcdef0123456789" || v.View.CallbackID != commands.FormCheckIn {
		t.Fatalf("views.open trigger %q callback %q", v.TriggerID, v.View.CallbackID)
	}
	if el := v.input(t, "value")["element"].(map[string]any); el["initial_value"] != "1,000" {
		t.Errorf("the value field starts as %v, want the current 1,000", el["initial_value"])
	}
	values := state(v, t, map[string]string{"value": "1,450", "confidence": "medium", "note": "Paid campaign <!here> paused", "as_of": "2026-11-26"})
	if got := submitView(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, v, values); got != nil {
		t.Fatalf("submission answered %v", got)
	}
	if n := checkIns(t, x, fakeslack.TeamID, "1.1"); n != 1 {
		t.Fatalf("%d check-ins, want 1", n)
	}
	calls, err := fs.WaitCalls("chat.update", 1, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	up := calls[0]
	if up.Param("channel") != dm || up.Param("ts") != ts || up.Param("text") != "Time to check in" {
		t.Errorf("chat.update of %s %s with text %q", up.Param("channel"), up.Param("ts"), up.Param("text"))
	}
	var updated []map[string]any
	if err := json.Unmarshal([]byte(up.Param("blocks")), &updated); err != nil {
		t.Fatalf("blocks %s: %v", up.Param("blocks"), err)
	}
	if len(updated) != len(blocks) || fmt.Sprint(updated[0]) != fmt.Sprint(blocks[0]) || fmt.Sprint(updated[2]) != fmt.Sprint(blocks[2]) {
		t.Errorf("chat.update changed more than the row:\n%v\nwas\n%v", updated, blocks)
	}
	row, _ := json.Marshal(updated[1])
	for _, want := range []string{`"block_id":"kr_1.1"`, "Checked in *1.1* Followers: *1,450*", "🟢 better", `"action_id":"checkin_open:1.1"`} {
		if !bytes.Contains(row, []byte(want)) {
			t.Errorf("the updated row lacks %s: %s", want, row)
		}
	}
	// A repeat of the submission: one check-in, no second update.
	if got := submitView(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, v, values); got != nil {
		t.Errorf("the repeat was answered %v", got)
	}
	stop()
	if n := checkIns(t, x, fakeslack.TeamID, "1.1"); n != 1 {
		t.Errorf("%d check-ins after a repeated submission, want 1", n)
	}
	if n := len(fs.Calls("chat.update")); n != 1 {
		t.Errorf("chat.update called %d times, want 1", n)
	}
	// The user's App Home was refreshed after the check-in.
	if len(fs.Calls("views.publish")) == 0 {
		t.Error("the App Home was not refreshed after the check-in")
	}
}

// TestCheckInModalFromTheCommandAndTheAppHome: /goal update 1.1 without a
// value opens the modal and confirms on the command's response_url; the
// App Home's Update button (a click without a response_url) opens it too
// and its check-in refreshes the App Home.
func TestCheckInModalFromTheCommandAndTheAppHome(t *testing.T) {
	fs := fakeslack.New(t)
	recordViewIDs(fs)
	x := MustHomeExecutor(t)
	stop := runUntilStopped(t, fs, newBot(fs, x, bot.Config{}, io.Discard))

	_, responseURL, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "update 1.1"})
	if err != nil {
		t.Fatal(err)
	}
	v := waitView(t, fs, "views.open", 1)
	submitView(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, v, state(v, t, map[string]string{"value": "1200"}))
	if answer := waitClickAnswer(t, fs, responseURL); !strings.Contains(answer.Text, "Checked in *1.1* Followers: *1,200*") {
		t.Errorf("confirmation on the command's response_url: %q", answer.Text)
	}

	clickOn(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, "", "", nil, commands.ActionCheckIn, "1.1")
	v = waitView(t, fs, "views.open", 2)
	publishes := len(fs.Calls("views.publish"))
	submitView(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, v, state(v, t, map[string]string{"value": "1300"}))
	if _, err := fs.WaitCalls("views.publish", publishes+1, 5*time.Second); err != nil {
		t.Errorf("the App Home was not refreshed: %v", err)
	}
	stop()
	if n := checkIns(t, x, fakeslack.TeamID, "1.1"); n != 2 {
		t.Errorf("%d check-ins, want 2", n)
	}
	if n := len(fs.Calls("chat.update")) + len(fs.Calls("chat.postMessage")); n != 0 {
		t.Errorf("%d messages posted or updated; the App Home check-in is confirmed by the App Home", n)
	}
}

// TestGoalTypeRefreshesTheCreationModal: picking a goal type in the open
// creation modal updates it (views.update with the view's ID and hash)
// with the type's suggested key results.
func TestGoalTypeRefreshesTheCreationModal(t *testing.T) {
	fs := fakeslack.New(t)
	recordViewIDs(fs)
	x := MustHomeExecutor(t)
	runUntilStopped(t, fs, newBot(fs, x, bot.Config{}, io.Discard))
	if _, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "new"}); err != nil {
		t.Fatal(err)
	}
	v := waitView(t, fs, "views.open", 1)
	payload := map[string]any{
		"type":       "block_actions",
		"team":       map[string]any{"id": fakeslack.TeamID},
		"user":       map[string]any{"id": fakeslack.DefaultUserID, "team_id": fakeslack.TeamID},
		"container":  map[string]any{"type": "view", "view_id": v.ViewID},
		"trigger_id": "4234567890.111222333.abcdef",
		"view": map[string]any{"id": v.ViewID, "type": "modal", "callback_id": v.View.CallbackID, "hash": "1764150100.h1",
			"private_metadata": v.View.PrivateMetadata,
			"state":            map[string]any{"values": state(v, t, map[string]string{"title": "Grow reach", "goal_type": "brand-awareness"})}},
		"actions": []map[string]any{{"type": "static_select", "action_id": "goal_type", "block_id": "goal_type",
			"selected_option": map[string]any{"value": "brand-awareness"}, "action_ts": "1764150042.1"}},
	}
	if _, err := fs.SendEnvelope("interactive", payload, false); err != nil {
		t.Fatal(err)
	}
	up := waitView(t, fs, "views.update", 1)
	if up.ViewID != v.ViewID || up.Hash != "1764150100.h1" {
		t.Errorf("views.update of %q with hash %q", up.ViewID, up.Hash)
	}
	title := up.input(t, "kr1_title")
	if title["block_id"] != "kr1_title~brand-awareness" || title["element"].(map[string]any)["initial_value"] != "Reach" {
		t.Errorf("the first key-result row after picking brand awareness: %v", title)
	}
	if got := up.input(t, "title")["element"].(map[string]any)["initial_value"]; got != "Grow reach" {
		t.Errorf("the title became %v", got)
	}
}

// TestForgedSubmissionsAreRefused: a submission whose private_metadata was
// altered, copied to another user or workspace, or is not JSON, is acked
// with a message in the modal, and nothing is written.
func TestForgedSubmissionsAreRefused(t *testing.T) {
	fs := fakeslack.New(t)
	recordViewIDs(fs)
	x := MustHomeExecutor(t, "kr 1 Reach from:1 to:9")
	var log bytes.Buffer
	var mu sync.Mutex
	runUntilStopped(t, fs, newBot(fs, x, bot.Config{}, &lockedWriter{w: &log, mu: &mu}))
	if _, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "update 1.1"}); err != nil {
		t.Fatal(err)
	}
	v := waitView(t, fs, "views.open", 1)
	values := state(v, t, map[string]string{"value": "1500"})
	retarget := v
	retarget.View.PrivateMetadata = strings.Replace(v.View.PrivateMetadata, `"ref":"1.1"`, `"ref":"1.2"`, 1)
	notJSON := v
	notJSON.View.PrivateMetadata = "1.1"
	otherForm := v
	otherForm.View.CallbackID = commands.FormNew
	for _, tc := range []struct {
		name, team, user string
		v                openedView
	}{
		{"retargeted", fakeslack.TeamID, fakeslack.DefaultUserID, retarget},
		{"another user", fakeslack.TeamID, "U0MALLORY", v},
		{"another workspace", "T0OTHER01", fakeslack.DefaultUserID, v},
		{"not JSON", fakeslack.TeamID, fakeslack.DefaultUserID, notJSON},
		{"another callback", fakeslack.TeamID, fakeslack.DefaultUserID, otherForm},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := submitView(t, fs, tc.team, tc.user, tc.v, values)
			data, _ := json.Marshal(got)
			if got["response_action"] != "update" || !strings.Contains(string(data), "This form could not be verified, so nothing was saved.") {
				t.Errorf("answered %s", data)
			}
			if n := checkIns(t, x, fakeslack.TeamID, "1.1") + checkIns(t, x, fakeslack.TeamID, "1.2"); n != 0 {
				t.Errorf("%d check-ins written", n)
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	if n := strings.Count(log.String(), "form submission refused"); n != 5 {
		t.Errorf("%d refusals logged, want 5:\n%s", n, log.String())
	}
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// slowForms is a Commands and Former whose submissions take a while and
// then come back with errors or an answer.
type slowForms struct {
	delay time.Duration
	errs  map[string]string
}

func (s slowForms) Run(_ context.Context, inv commands.Invocation, text string) (commands.Reply, error) {
	f := &commands.Form{Kind: commands.FormNew, Title: "New objective", Submit: "Create",
		Fields: []commands.Field{{ID: "title", Label: "Objective", Kind: commands.TextField}}}
	return commands.Reply{Form: f}, nil
}

func (s slowForms) Submit(context.Context, commands.Invocation, commands.Filled) (commands.Reply, error) {
	time.Sleep(s.delay)
	if s.errs != nil {
		return commands.Reply{Failed: true, FieldErrors: s.errs}, nil
	}
	return commands.Reply{Blocks: []commands.Block{{Kind: commands.Section, Text: commands.Text{{Kind: commands.Plain, Text: "Created objective 9"}}}}}, nil
}

func (s slowForms) Refill(context.Context, commands.Invocation, commands.Filled) (commands.Reply, error) {
	return commands.Reply{}, nil
}

// TestSlowSubmissionClosesTheModalInTime: a submission that takes longer
// than the ack budget is acked empty at the budget (the modal closes), and
// its outcome, errors included, follows on the command's response_url.
func TestSlowSubmissionClosesTheModalInTime(t *testing.T) {
	for _, tc := range []struct {
		name string
		cmds slowForms
		want string
	}{
		{"done", slowForms{delay: 300 * time.Millisecond}, "Created objective 9"},
		{"refused", slowForms{delay: 300 * time.Millisecond, errs: map[string]string{"title": "Give the objective a title."}},
			"Not saved; please try again:\n• Give the objective a title."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := fakeslack.New(t)
			recordViewIDs(fs)
			runUntilStopped(t, fs, newBot(fs, tc.cmds, bot.Config{AckBudget: 50 * time.Millisecond}, io.Discard))
			_, responseURL, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "new"})
			if err != nil {
				t.Fatal(err)
			}
			v := waitView(t, fs, "views.open", 1)
			if got := submitView(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, v, state(v, t, map[string]string{"title": ""})); got != nil {
				t.Errorf("a slow submission was acked with %v, want empty at the budget", got)
			}
			if answer := waitClickAnswer(t, fs, responseURL); answer.Text != tc.want {
				t.Errorf("the outcome: %q, want %q", answer.Text, tc.want)
			}
		})
	}
}

// TestTwoCheckInsFromOneMessageKeepBothRows: two owners open the check-in
// modal from the same channel message before either submits; the second
// chat.update keeps the first one's new row.
func TestTwoCheckInsFromOneMessageKeepBothRows(t *testing.T) {
	fs := fakeslack.New(t)
	recordViewIDs(fs)
	x := MustHomeExecutor(t, "kr 1 Reach from:1 to:9")
	runUntilStopped(t, fs, newBot(fs, x, bot.Config{}, io.Discard))
	r := commands.Reply{Blocks: []commands.Block{
		{Kind: commands.Section, ID: commands.RowID("1.1"), Text: commands.Text{{Kind: commands.Plain, Text: "1.1 Followers"}},
			Buttons: []commands.Button{{Text: "Update 1.1", ActionID: commands.ActionCheckIn, Value: "1.1"}}},
		{Kind: commands.Section, ID: commands.RowID("1.2"), Text: commands.Text{{Kind: commands.Plain, Text: "1.2 Reach"}},
			Buttons: []commands.Button{{Text: "Update 1.2", ActionID: commands.ActionCheckIn, Value: "1.2"}}},
	}}
	data, _ := json.Marshal(bot.Blocks(r))
	var blocks []map[string]any
	json.Unmarshal(data, &blocks)
	const channel, ts = fakeslack.DefaultChannelID, "1764150000.000300"
	clickOn(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, channel, ts, blocks, commands.ActionCheckIn, "1.1")
	first := waitView(t, fs, "views.open", 1)
	clickOn(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, channel, ts, blocks, commands.ActionCheckIn, "1.2")
	second := waitView(t, fs, "views.open", 2)
	submitView(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, first, state(first, t, map[string]string{"value": "1,500"}))
	if _, err := fs.WaitCalls("chat.update", 1, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	submitView(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, second, state(second, t, map[string]string{"value": "4"}))
	calls, err := fs.WaitCalls("chat.update", 2, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	last := calls[1].Param("blocks")
	for _, want := range []string{"Checked in *1.1* Followers: *1,500*", "Checked in *1.2* Reach: *4*"} {
		if !strings.Contains(last, want) {
			t.Errorf("the second update lacks %q: %s", want, last)
		}
	}
}

// TestRedeliveredEnvelopeChecksInOnce: Slack sends the same slash command
// envelope again (its ack was lost): one check-in is recorded, and the
// second ack says the request took effect once.
func TestRedeliveredEnvelopeChecksInOnce(t *testing.T) {
	fs := fakeslack.New(t)
	x := MustHomeExecutor(t)
	stop := runUntilStopped(t, fs, newBot(fs, x, bot.Config{}, io.Discard))
	id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "update 1.1 1500"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.WaitAck(id, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := fs.Resend(id); err != nil {
		t.Fatal(err)
	}
	var acks []fakeslack.Ack
	for i := 0; i < 100 && len(acks) < 2; i++ {
		acks = acks[:0]
		for _, a := range fs.Acks() {
			if a.EnvelopeID == id {
				acks = append(acks, a)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if len(acks) != 2 {
		t.Fatalf("%d acks of the envelope, want 2", len(acks))
	}
	if !strings.Contains(string(acks[0].Payload), "Checked in *1.1*") || !strings.Contains(string(acks[1].Payload), "took effect once") {
		t.Errorf("acks:\n%s\n%s", acks[0].Payload, acks[1].Payload)
	}
	if n := checkIns(t, x, fakeslack.TeamID, "1.1"); n != 1 {
		t.Errorf("%d check-ins, want 1", n)
	}
}
