package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/goalbot/goalbot/bot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/internal/fakeslack"
)

// clickPosted is what the bot posted to a click's response_url.
type clickPosted struct {
	Text            string           `json:"text"`
	ResponseType    string           `json:"response_type"`
	ReplaceOriginal bool             `json:"replace_original"`
	Blocks          []map[string]any `json:"blocks"`
}

// sendClick sends a block_actions envelope shaped like
// ../shared/slack-samples/block_actions.json: user of team clicked the
// button actionID with value on an ephemeral message. It waits for the ack
// (which must be empty) and returns the click's response_url.
func sendClick(t *testing.T, fs *fakeslack.Server, team, user, actionID, value string) string {
	t.Helper()
	responseURL := fs.URL() + "/response/click-" + fmt.Sprint(time.Now().UnixNano())
	payload := map[string]any{
		"type":         "block_actions",
		"api_app_id":   fakeslack.AppID,
		"team":         map[string]any{"id": team, "domain": "acme"},
		"user":         map[string]any{"id": user, "username": "someone", "team_id": team},
		"container":    map[string]any{"type": "message", "message_ts": "1764150000.000200", "channel_id": fakeslack.DefaultChannelID, "is_ephemeral": true},
		"channel":      map[string]any{"id": fakeslack.DefaultChannelID, "name": "marketing"},
		"trigger_id":   "2234567890.111222333.abcdef0123456789abcdef0123456789",
		"response_url": responseURL,
		"actions": []map[string]any{{
			"type": "button", "action_id": actionID, "block_id": "b1", "value": value,
			"text": map[string]any{"type": "plain_text", "text": "Delete", "emoji": true}, "action_ts": "1764150042.123456",
		}},
	}
	id, err := fs.SendEnvelope("interactive", payload, false)
	if err != nil {
		t.Fatal(err)
	}
	ack, err := fs.WaitAck(id, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Payload != nil {
		t.Errorf("the ack of a click carried %s; it must be empty", ack.Payload)
	}
	return responseURL
}

// waitClickAnswer waits for the bot's post to responseURL.
func waitClickAnswer(t *testing.T, fs *fakeslack.Server, responseURL string) clickPosted {
	t.Helper()
	post, err := fs.WaitResponse(responseURL, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var got clickPosted
	if err := json.Unmarshal(post.Body, &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// objectiveExists reports whether alice can still show objective n.
func objectiveExists(t *testing.T, x *commands.Executor, team string, n int) bool {
	t.Helper()
	r, err := x.Run(context.Background(), commands.Invocation{TeamID: team, UserID: fakeslack.DefaultUserID}, fmt.Sprint("show ", n))
	if err != nil {
		t.Fatal(err)
	}
	return !r.Failed
}

// TestDeleteByButtons goes the whole way: /goal delete 1 answers with a
// red Delete button and a Cancel button; Cancel keeps the objective and
// replaces the prompt; Delete deletes it and replaces the prompt; a second
// click on Delete deletes nothing more.
func TestDeleteByButtons(t *testing.T) {
	fs := fakeslack.New(t)
	x := MustHomeExecutor(t)
	runUntilStopped(t, fs, newBot(fs, x, bot.Config{}, io.Discard))

	id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "delete 1"})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := fs.WaitAck(id, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var prompt clickPosted
	if err := json.Unmarshal(ack.Payload, &prompt); err != nil {
		t.Fatal(err)
	}
	got := buttons(prompt.Blocks)
	want := [][2]string{{commands.ActionDeleteConfirm + ":1", "1"}, {commands.ActionDeleteCancel + ":1", "1"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("the prompt's buttons are %v, want %v", got, want)
	}
	if data, _ := json.Marshal(prompt.Blocks); !strings.Contains(string(data), `"style":"danger"`) {
		t.Errorf("the Delete button is not red: %s", data)
	}

	answer := waitClickAnswer(t, fs, sendClick(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, commands.ActionDeleteCancel+":1", "1"))
	if !answer.ReplaceOriginal || answer.ResponseType != "ephemeral" || answer.Text != "Cancelled: nothing deleted by this question about objective 1." {
		t.Errorf("cancel answered %+v", answer)
	}
	if !objectiveExists(t, x, fakeslack.TeamID, 1) {
		t.Fatal("cancel deleted the objective")
	}

	answer = waitClickAnswer(t, fs, sendClick(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, commands.ActionDeleteConfirm+":1", "1"))
	if !answer.ReplaceOriginal || !strings.HasPrefix(answer.Text, "Deleted objective 1 with its key results and check-ins.") {
		t.Errorf("delete answered %+v", answer)
	}
	if objectiveExists(t, x, fakeslack.TeamID, 1) {
		t.Fatal("the objective is still there")
	}
	answer = waitClickAnswer(t, fs, sendClick(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, commands.ActionDeleteConfirm+":1", "1"))
	if answer.Text != "Objective 1 not found." || answer.ReplaceOriginal {
		t.Errorf("the second click answered %q, replacing the first answer: %v", answer.Text, answer.ReplaceOriginal)
	}
}

// TestBadClicksAreRefusedAndChangeNothing sends clicks goalbot never made:
// an unknown action, a tampered value, another workspace's IDs and a user
// who may not delete. Each is acked, answered with a refusal, and the
// objective stays.
func TestBadClicksAreRefusedAndChangeNothing(t *testing.T) {
	fs := fakeslack.New(t)
	x := MustHomeExecutor(t)
	runUntilStopped(t, fs, newBot(fs, x, bot.Config{}, io.Discard))
	for _, tc := range []struct {
		name, team, user, action, value, want string
	}{
		{"unknown action", fakeslack.TeamID, fakeslack.DefaultUserID, "drop_all:1", "1", "This button does nothing any more; nothing was done."},
		{"tampered value", fakeslack.TeamID, fakeslack.DefaultUserID, commands.ActionDeleteConfirm + ":1", "1 confirm <!channel>", "This button is not one goalbot made; nothing was done."},
		{"another workspace", "T0OTHER01", fakeslack.DefaultUserID, commands.ActionDeleteConfirm + ":1", "1", "Objective 1 not found."},
		{"not the owner", fakeslack.TeamID, "U0MALLORY", commands.ActionDeleteConfirm + ":1", "1", "Only the owner of objective 1 or an admin may delete it. Ask <@" + fakeslack.DefaultUserID + ">."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			answer := waitClickAnswer(t, fs, sendClick(t, fs, tc.team, tc.user, tc.action, tc.value))
			if answer.Text != tc.want {
				t.Errorf("answered %q, want %q", answer.Text, tc.want)
			}
			if !objectiveExists(t, x, fakeslack.TeamID, 1) {
				t.Fatal("the objective was deleted")
			}
		})
	}
}

// TestPauseButtonOnAReminderDM clicks "Pause for a week" of a reminder:
// the answer is a new ephemeral message (the reminder is not replaced) and
// the clicking user's reminders are paused through the same weekday next
// week.
func TestPauseButtonOnAReminderDM(t *testing.T) {
	fs := fakeslack.New(t)
	x := MustHomeExecutor(t)
	runUntilStopped(t, fs, newBot(fs, x, bot.Config{}, io.Discard))
	answer := waitClickAnswer(t, fs, sendClick(t, fs, fakeslack.TeamID, fakeslack.DefaultUserID, commands.ActionRemindPause+":7", "7"))
	if answer.ReplaceOriginal || answer.ResponseType != "ephemeral" ||
		answer.Text != "Your reminders are paused through 2026-12-03. `/goal remind on` resumes them now." {
		t.Errorf("pause answered %+v", answer)
	}
	r, err := x.Run(context.Background(), commands.Invocation{TeamID: fakeslack.TeamID, UserID: fakeslack.DefaultUserID}, "remind")
	if err != nil || !strings.Contains(r.PlainText(), "paused through 2026-12-03") {
		t.Errorf("after the click /goal remind says %q (%v)", r.PlainText(), err)
	}
}
