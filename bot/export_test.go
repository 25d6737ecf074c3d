package bot

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/internal/fakeslack"
	"github.com/goalbot/goalbot/storage"
)

var exportNow = time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)

// exportRig is a bot on a fake Slack, not connected, with an executor on a
// real store holding a small workspace (fakeslack.TeamID) and another one
// that no export of the first may show.
type exportRig struct {
	fs   *fakeslack.Server
	bot  *Bot
	db   *storage.DB
	exec *commands.Executor
	log  *bytes.Buffer
}

// alice is the fake's default caller; she runs /goal in the default channel.
const alice = fakeslack.DefaultUserID

func mustExportRig(t *testing.T) *exportRig {
	t.Helper()
	clock := goalbot.ClockFunc(func() time.Time { return exportNow })
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "goalbot.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	x := &commands.Executor{Store: db, Clock: clock}
	for _, step := range []struct{ team, text string }{
		{fakeslack.TeamID, "new Grow LinkedIn brand due:2026-12-31"},
		{fakeslack.TeamID, "kr 1 Followers from:1,200 to:2,000 unit:followers"},
		{fakeslack.TeamID, "kr 1 Cost per click from:$1.40 to:$0.90"},
		{fakeslack.TeamID, "kr 1 Open rate from:pending to:40%"},
		{fakeslack.TeamID, "update 1.1 1,350 as-of:2026-11-20 confidence:high first, partial week"},
		{fakeslack.TeamID, "update 1.1 1,500 =SUM(A1:A2)"},
		{fakeslack.TeamID, "update 1.2 $1.20 confidence:4"},
		{fakeslack.TeamID, "new Ship the playbook framework:smart due:2026-12-15"},
		{"T0OTHER01", "new Secret plan of another workspace"},
		{"T0OTHER01", "kr 1 Secret metric from:0 to:10"},
		{"T0OTHER01", "update 1.1 7 secret note"},
	} {
		inv := commands.Invocation{TeamID: step.team, UserID: alice, ChannelID: fakeslack.DefaultChannelID}
		if r, err := x.Run(context.Background(), inv, step.text); err != nil || r.Failed {
			t.Fatalf("%q: %v\n%s", step.text, err, r.PlainText())
		}
	}
	fs := fakeslack.New(t)
	log := &bytes.Buffer{}
	b := New(Config{BotToken: fakeslack.BotToken, AppToken: fakeslack.AppToken, APIURL: fs.APIURL(),
		HTTPClient: &http.Client{Timeout: 5 * time.Second}, ShutdownGrace: 5 * time.Second},
		x, slog.New(slog.NewTextHandler(log, nil)))
	return &exportRig{fs: fs, bot: b, db: db, exec: x, log: log}
}

// export runs /goal text for alice and returns the reply before delivery.
func (r *exportRig) export(t *testing.T, text string) commands.Reply {
	t.Helper()
	inv := commands.Invocation{TeamID: fakeslack.TeamID, UserID: alice, ChannelID: fakeslack.DefaultChannelID}
	reply, err := r.exec.Run(context.Background(), inv, text)
	if err != nil || reply.File == nil {
		t.Fatalf("%q: err %v, no file:\n%s", text, err, reply.PlainText())
	}
	return reply
}

// slashCommand is what Slack sends when alice types /goal text in the
// default channel.
func slashCommand(text string) slack.SlashCommand {
	return slack.SlashCommand{TeamID: fakeslack.TeamID, UserID: alice, ChannelID: fakeslack.DefaultChannelID, Text: text}
}

// mustUploadedToDM checks the calls that delivered one file: conversations.open
// with alice, then files.getUploadURLExternal, then files.completeUploadExternal
// into that DM, and nothing posted to any channel. It returns the upload.
func mustUploadedToDM(t *testing.T, fs *fakeslack.Server) fakeslack.Upload {
	t.Helper()
	ups, err := fs.WaitUploads(1, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 1 {
		t.Fatalf("%d uploads, want 1: %+v", len(ups), ups)
	}
	var methods []string
	for _, c := range fs.Calls("") {
		if c.Method != "users.info" && c.Method != "apps.connections.open" && c.Method != "auth.test" {
			methods = append(methods, c.Method)
		}
	}
	if want := []string{"conversations.open", "files.getUploadURLExternal", "files.completeUploadExternal"}; !slices.Equal(methods, want) {
		t.Errorf("Web API calls %v, want %v", methods, want)
	}
	opens := fs.Calls("conversations.open")
	if len(opens) != 1 || opens[0].Param("users") != alice {
		t.Errorf("conversations.open calls %+v, want one with the caller %s", opens, alice)
	}
	u := ups[0]
	get := fs.Calls("files.getUploadURLExternal")[0]
	if get.Param("filename") != u.Filename || get.Param("length") != fmt.Sprint(len(u.Bytes)) {
		t.Errorf("files.getUploadURLExternal filename %q length %q; %d bytes were posted", get.Param("filename"), get.Param("length"), len(u.Bytes))
	}
	complete := fs.Calls("files.completeUploadExternal")[0]
	var files []map[string]string
	if err := json.Unmarshal([]byte(complete.Param("files")), &files); err != nil || len(files) != 1 || files[0]["id"] != u.FileID || files[0]["title"] != u.Filename {
		t.Errorf("files.completeUploadExternal files = %s", complete.Param("files"))
	}
	if u.Channel != "D"+alice || len(u.Channels) != 0 {
		t.Errorf("the file went to channel %q (channels %v), want only the DM D%s", u.Channel, u.Channels, alice)
	}
	if u.Channel == fakeslack.DefaultChannelID || strings.Contains(complete.Param("channels"), fakeslack.DefaultChannelID) {
		t.Errorf("the file was shared in the command's channel")
	}
	if !strings.HasPrefix(u.InitialComment, "Exported ") {
		t.Errorf("the DM introduces the file with %q", u.InitialComment)
	}
	return u
}

// mustMatchDatabase checks that an uploaded CSV has the rows the database
// holds for the workspace, read through FindObjective and ListCheckIns: one
// per check-in, per key result without any, per objective without any.
func mustMatchDatabase(t *testing.T, db *storage.DB, content []byte) {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(content)).ReadAll()
	if err != nil {
		t.Fatalf("the upload is not CSV: %v\n%s", err, content)
	}
	if !slices.Equal(rows[0], commands.CSVColumns) {
		t.Errorf("header %v", rows[0])
	}
	col := map[string]int{}
	for i, name := range commands.CSVColumns {
		col[name] = i
	}
	var got []string
	for _, row := range rows[1:] {
		got = append(got, strings.Join([]string{row[col["objective"]], row[col["objective_title"]], row[col["kr"]], row[col["kr_title"]],
			row[col["checkin_as_of"]], row[col["value"]], strings.TrimPrefix(row[col["note"]], "'"), row[col["checked_in_by"]]}, "|"))
	}
	var want []string
	ctx := context.Background()
	for n := 1; ; n++ {
		o, err := db.FindObjective(ctx, fakeslack.TeamID, n)
		if goalbot.ErrorCode(err) == goalbot.ENOTFOUND {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if len(o.KeyResults) == 0 {
			want = append(want, fmt.Sprintf("%d|%s||||||", o.Number, o.Title))
		}
		for _, kr := range o.KeyResults {
			list, err := db.ListCheckIns(ctx, fakeslack.TeamID, kr.Ref, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) == 0 {
				want = append(want, fmt.Sprintf("%d|%s|%s|%s||||", o.Number, o.Title, kr.Ref, kr.Title))
			}
			slices.Reverse(list) // oldest measurement first
			for _, c := range list {
				want = append(want, fmt.Sprintf("%d|%s|%s|%s|%s|%s|%s|%s", o.Number, o.Title, kr.Ref, kr.Title,
					c.AsOf, commandsNumber(c.Value), c.Note, c.UserID))
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("CSV rows\n%s\nwant, from the database,\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if strings.Contains(string(content), "Secret") || strings.Contains(string(content), "secret") {
		t.Errorf("the export shows another workspace's data:\n%s", content)
	}
}

// commandsNumber formats v as the CSV does.
func commandsNumber(v float64) string { return fmt.Sprint(v) }

func TestSendFileUploadsToTheCallersDM(t *testing.T) {
	rig := mustExportRig(t)
	reply := rig.export(t, "export")
	content := append([]byte(nil), reply.File.Content...)
	got := rig.bot.sendFile(context.Background(), slashCommand("export"), reply)

	u := mustUploadedToDM(t, rig.fs)
	if u.Filename != "goalbot-export-T0TEAM001-2026-11-26.csv" || !bytes.Equal(u.Bytes, content) {
		t.Errorf("uploaded %q (%d bytes), want the reply's file (%d bytes)", u.Filename, len(u.Bytes), len(content))
	}
	mustMatchDatabase(t, rig.db, u.Bytes)
	want := "Exported 2 objectives, 3 key results and 3 check-ins to goalbot-export-T0TEAM001-2026-11-26.csv.\n📎 Sent to your DM (only you can see it)."
	if got.Failed || got.File != nil || got.PlainText() != want {
		t.Errorf("reply (failed %v, file %v):\n%s\nwant\n%s", got.Failed, got.File, got.PlainText(), want)
	}
}

func TestSendFileJSON(t *testing.T) {
	rig := mustExportRig(t)
	rig.bot.sendFile(context.Background(), slashCommand("export json"), rig.export(t, "export json"))
	u := mustUploadedToDM(t, rig.fs)
	var doc commands.JSONExport
	if err := json.Unmarshal(u.Bytes, &doc); err != nil || doc.Team != fakeslack.TeamID || len(doc.Objectives) != 2 ||
		u.Filename != "goalbot-export-T0TEAM001-2026-11-26.json" {
		t.Errorf("uploaded %s: team %q, %d objectives (err %v)", u.Filename, doc.Team, len(doc.Objectives), err)
	}
}

func TestSendFileWithoutAFileDoesNothing(t *testing.T) {
	rig := mustExportRig(t)
	r := textReply("just text")
	if got := rig.bot.sendFile(context.Background(), slashCommand("list"), r); got.PlainText() != "just text" {
		t.Errorf("reply changed to %q", got.PlainText())
	}
	if calls := rig.fs.Calls(""); len(calls) != 0 {
		t.Errorf("calls %+v", calls)
	}
}

func TestSendFileFailureIsTheReply(t *testing.T) {
	for _, tt := range []struct {
		name, method string
		answer       any
		want         string
	}{
		{"DM refused", "conversations.open", map[string]any{"ok": false, "error": "cannot_dm_bot"}, "Slack did not take the file"},
		{"no upload URL", "files.getUploadURLExternal", map[string]any{"ok": false, "error": "missing_scope"}, "goalbot lacks Slack's files:write or im:write permission"},
		{"upload URL down", "files.getUploadURLExternal", &fakeslack.HTTPError{Status: http.StatusBadGateway}, "Slack did not take the file"},
		{"not completed", "files.completeUploadExternal", map[string]any{"ok": false, "error": "not_in_channel"}, "Slack did not take the file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rig := mustExportRig(t)
			rig.fs.Handle(tt.method, func(fakeslack.Call) any { return tt.answer })
			got := rig.bot.sendFile(context.Background(), slashCommand("export"), rig.export(t, "export"))
			text := got.PlainText()
			if !got.Failed || got.File != nil || !strings.Contains(text, "Could not send goalbot-export-T0TEAM001-2026-11-26.csv to your DM: "+tt.want) ||
				strings.Contains(text, "Sent to your DM") {
				t.Errorf("reply (failed %v):\n%s", got.Failed, text)
			}
			ref := text[strings.Index(text, "(ref ")+5 : strings.Index(text, "(ref ")+13]
			if !strings.Contains(rig.log.String(), "ref="+ref) || !strings.Contains(rig.log.String(), "file not delivered") {
				t.Errorf("the log does not hold ref %s:\n%s", ref, rig.log)
			}
			for _, u := range rig.fs.Uploads() {
				if u.Completed {
					t.Errorf("a failed delivery completed an upload: %+v", u)
				}
			}
		})
	}
}

func TestSlashExportGoesToTheCallersDM(t *testing.T) {
	rig := mustExportRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- rig.bot.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	if err := rig.fs.WaitConnections(1, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	id, responseURL, err := rig.fs.SendSlashCommand(fakeslack.SlashCommand{Text: "export"})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := rig.fs.WaitAck(id, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	body := ack.Payload
	if body == nil { // slower than the ack budget: the reply took response_url
		post, err := rig.fs.WaitResponse(responseURL, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		body = post.Body
	}
	var msg struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	if err := json.Unmarshal(body, &msg); err != nil {
		t.Fatal(err)
	}
	if msg.ResponseType != "ephemeral" || !strings.Contains(msg.Text, "Exported 2 objectives, 3 key results and 3 check-ins") ||
		!strings.Contains(msg.Text, "Sent to your DM") {
		t.Errorf("the caller's reply is %s", body)
	}
	u := mustUploadedToDM(t, rig.fs)
	mustMatchDatabase(t, rig.db, u.Bytes)
	if posts := rig.fs.Calls("chat.postMessage"); len(posts) != 0 {
		t.Errorf("export posted messages: %+v", posts)
	}
}

// The uploaded file never reaches the log or the reply: only its name does.
func TestSendFileKeepsTheContentOutOfTheLog(t *testing.T) {
	rig := mustExportRig(t)
	rig.fs.Handle("files.completeUploadExternal", func(fakeslack.Call) any { return map[string]any{"ok": false, "error": "fatal_error"} })
	got := rig.bot.sendFile(context.Background(), slashCommand("export"), rig.export(t, "export"))
	for what, s := range map[string]string{"log": rig.log.String(), "reply": got.PlainText()} {
		if strings.Contains(s, "Grow LinkedIn brand") || strings.Contains(s, "/upload/") {
			t.Errorf("the %s shows the file or its upload URL:\n%s", what, s)
		}
	}
}

// TestSendFileWaitsOutARateLimit answers the first files.getUploadURLExternal
// with 429 and Retry-After: 1: the upload starts again after it and lands.
func TestSendFileWaitsOutARateLimit(t *testing.T) {
	rig := mustExportRig(t)
	var mu sync.Mutex
	limited := false
	rig.fs.Handle("files.getUploadURLExternal", func(fakeslack.Call) any {
		mu.Lock()
		defer mu.Unlock()
		if limited {
			return nil
		}
		limited = true
		return &fakeslack.HTTPError{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"1"}}}
	})
	got := rig.bot.sendFile(context.Background(), slashCommand("export"), rig.export(t, "export"))
	if got.Failed || !strings.Contains(got.PlainText(), "Sent to your DM") {
		t.Fatalf("reply (failed %v):\n%s", got.Failed, got.PlainText())
	}
	if n := len(rig.fs.Uploads()); n != 1 {
		t.Errorf("%d uploads, want 1", n)
	}
	if n := len(rig.fs.Calls("files.completeUploadExternal")); n != 1 {
		t.Errorf("files.completeUploadExternal called %d times, want 1", n)
	}
	if n := len(rig.fs.Calls("files.getUploadURLExternal")); n != 2 {
		t.Errorf("files.getUploadURLExternal called %d times, want 2 (one limited, one retried)", n)
	}
	calls := rig.fs.Calls("files.getUploadURLExternal")
	if wait := calls[1].At.Sub(calls[0].At); wait < time.Second {
		t.Errorf("retried after %v, before Slack's Retry-After of 1s", wait)
	}
}
