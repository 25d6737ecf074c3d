package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/goalbot/goalbot/commands"
)

// sendFile delivers the file a command reply carries (an export) to the
// caller's DM, never to the channel the command came from, and returns the
// reply to show the caller: r with a line saying the file is in their DM,
// or, when Slack did not take the file, a failure that says so (with a
// reference the log repeats). A reply without a file is returned as is.
//
// The upload is Slack's external flow: conversations.open with the caller,
// files.getUploadURLExternal, a POST of the bytes to the upload URL, and
// files.completeUploadExternal into the DM.
func (b *Bot) sendFile(ctx context.Context, cmd slack.SlashCommand, r commands.Reply) commands.Reply {
	f := r.File
	if f == nil {
		return r
	}
	r.File = nil
	if err := b.uploadToDM(ctx, cmd.UserID, f, comment(r)); err != nil {
		ref := commands.NewRef()
		b.log.Error("file not delivered", "ref", ref, "team", cmd.TeamID, "user", cmd.UserID, "file", f.Name, "err", err)
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && se.Err == "missing_scope" {
			return textFailure(fmt.Sprintf("Could not send %s to your DM: goalbot lacks Slack's files:write or im:write permission. "+
				"Ask whoever installed it to reinstall the app from manifest.yml (ref %s).", f.Name, ref))
		}
		return textFailure(fmt.Sprintf("Could not send %s to your DM: Slack did not take the file (ref %s). Please try again.", f.Name, ref))
	}
	r.Blocks = append(r.Blocks, commands.Block{Kind: commands.Context,
		Text: commands.Text{{Kind: commands.Plain, Text: "📎 Sent to your DM (only you can see it)."}}})
	return r
}

// uploadToDM opens the DM with user and uploads f into it with comment as
// the message that introduces it.
func (b *Bot) uploadToDM(ctx context.Context, user string, f *commands.File, comment string) error {
	ch, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return fmt.Errorf("open DM with %s: %w", user, scrubURL(err))
	}
	// The upload posts a message in the DM: it takes the DM's turn, and a
	// rate limit at any of its steps starts it again after Retry-After.
	err = b.sender.inTurn(ctx, ch.ID, -1, func() error {
		_, err := b.api.UploadFileContext(ctx, slack.UploadFileParameters{
			Reader:         bytes.NewReader(f.Content),
			FileSize:       len(f.Content),
			Filename:       f.Name,
			Title:          f.Name,
			Channel:        ch.ID,
			InitialComment: comment,
		})
		return err
	})
	if err != nil {
		// The upload URL is a credential of sorts, and not every error
		// slack-go returns for it is a *url.Error: keep only Slack's error
		// code, when it has one, and never the error text.
		var se slack.SlackErrorResponse
		if errors.As(err, &se) {
			return fmt.Errorf("upload %s to %s: %w", f.Name, ch.ID, se)
		}
		return fmt.Errorf("upload %s to %s failed (details withheld: they may hold the upload URL)", f.Name, ch.ID)
	}
	return nil
}

// comment renders r as the mrkdwn text that introduces its file in the DM.
func comment(r commands.Reply) string {
	var lines []string
	for _, bl := range r.Blocks {
		if bl.Kind != commands.Actions {
			lines = append(lines, mrkdwn(bl.Text))
		}
	}
	return strings.Join(lines, "\n")
}

// textFailure is a failure reply of one plain paragraph.
func textFailure(text string) commands.Reply {
	r := textReply(text)
	r.Failed = true
	return r
}
