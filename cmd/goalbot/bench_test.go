package main

import (
	"testing"
	"time"

	"github.com/goalbot/goalbot/internal/fakeslack"
)

// BenchmarkSlashCommandAck measures one slash command through the real
// Main over loopback Socket Mode: the fake writes the envelope, the bot
// parses it, runs it against SQLite, renders Block Kit and acks with the
// reply; the op ends when the fake has read the ack.
func BenchmarkSlashCommandAck(b *testing.B) {
	for _, text := range []string{"help", "show 1", "update 1.1 1500"} {
		b.Run(text, func(b *testing.B) {
			_, fs, _ := MustRunBot(b)
			for _, setup := range []string{"new Grow due:2026-12-31", "kr 1 Followers from:1000 to:2000"} {
				id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: setup})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := fs.WaitAck(id, 3*time.Second); err != nil {
					b.Fatal(err)
				}
			}
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
