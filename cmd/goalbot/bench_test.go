package main

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/goalbot/goalbot/internal/fakeslack"
)

// BenchmarkSlashCommandAck measures one slash command through the real
// Main over loopback Socket Mode: the fake writes the envelope, the bot
// parses it, runs it against SQLite, renders Block Kit and acks with the
// reply; the op ends when the fake has read the ack.
//
// The objective is made in a DM, so it has no channel and a check-in posts
// no announcement; "announced" makes it in a channel, where every check-in
// also posts an announcement there, paced at one message per second per
// channel, and the reply waits for it.
func BenchmarkSlashCommandAck(b *testing.B) {
	for _, tc := range []struct{ name, text, channel string }{
		{"help", "help", benchDM},
		{"show 1", "show 1", benchDM},
		{"update 1.1 1500", "update 1.1 1500", benchDM},
		{"update 1.1 1500 announced", "update 1.1 1500", fakeslack.DefaultChannelID},
	} {
		b.Run(tc.name, func(b *testing.B) {
			_, fs, _ := MustRunBot(b)
			benchSetup(b, fs, tc.channel)
			text := tc.text
			for b.Loop() {
				id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: text})
				if err != nil {
					b.Fatal(err)
				}
				if ack, err := fs.WaitAck(id, 3*time.Second); err != nil || ack.Payload == nil {
					b.Fatalf("ack %v, err %v", ack, err)
				}
			}
		})
	}
}

// benchDM is a DM with the bot: an objective made there has no channel.
const benchDM = "D0ALICEDM"

// benchSetup makes objective 1 with key result 1.1 from channel.
func benchSetup(b *testing.B, fs *fakeslack.Server, channel string) {
	b.Helper()
	for _, setup := range []string{"new Grow due:2026-12-31", "kr 1 Followers from:1000 to:2000"} {
		id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: setup, ChannelID: channel})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := fs.WaitAck(id, 3*time.Second); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckInModal measures a check-in by modal through the real Main
// over loopback: /goal update 1.1 acked empty after views.open, then the
// view_submission acked (the modal closes) once the check-in is committed.
// The op ends when the fake has read the submission's ack.
func BenchmarkCheckInModal(b *testing.B) {
	_, fs, _ := MustRunBot(b)
	var mu sync.Mutex
	views := 0
	fs.Handle("views.open", func(c fakeslack.Call) any {
		mu.Lock()
		defer mu.Unlock()
		views++
		return map[string]any{"ok": true, "view": map[string]any{"id": fmt.Sprintf("VBENCH%06d", views), "type": "modal"}}
	})
	benchSetup(b, fs, benchDM)
	n := 0
	for b.Loop() {
		n++
		id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "update 1.1"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := fs.WaitAck(id, 3*time.Second); err != nil {
			b.Fatal(err)
		}
		calls, err := fs.WaitCalls("views.open", n, 3*time.Second)
		if err != nil {
			b.Fatal(err)
		}
		var req struct {
			View struct {
				PrivateMetadata string `json:"private_metadata"`
			} `json:"view"`
		}
		if err := json.Unmarshal(calls[n-1].JSON, &req); err != nil {
			b.Fatal(err)
		}
		sub, err := fs.SendEnvelope("interactive", map[string]any{
			"type": "view_submission",
			"team": map[string]any{"id": fakeslack.TeamID},
			"user": map[string]any{"id": fakeslack.DefaultUserID, "team_id": fakeslack.TeamID},
			"view": map[string]any{"id": fmt.Sprintf("VBENCH%06d", n), "type": "modal", "callback_id": "checkin",
				"private_metadata": req.View.PrivateMetadata,
				"state": map[string]any{"values": map[string]any{
					"value": map[string]any{"value": map[string]any{"type": "plain_text_input", "value": fmt.Sprint(1000 + n%1000)}}}}},
		}, true)
		if err != nil {
			b.Fatal(err)
		}
		if ack, err := fs.WaitAck(sub, 3*time.Second); err != nil || ack.Payload != nil {
			b.Fatalf("submission ack %s, err %v", ack.Payload, err)
		}
	}
}
