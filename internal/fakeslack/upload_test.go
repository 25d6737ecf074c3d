package fakeslack_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/goalbot/goalbot/internal/fakeslack"
)

func TestUploadFlowWithSlackGo(t *testing.T) {
	s := fakeslack.New(t)
	api := newAPI(s, fakeslack.BotToken, fakeslack.AppToken)
	content := "a,b\n1,2\n"
	sum, err := api.UploadFileContext(context.Background(), slack.UploadFileParameters{
		Reader: strings.NewReader(content), FileSize: len(content), Filename: "x.csv", Title: "X",
		Channel: "D0ALICE01", InitialComment: "here",
	})
	if err != nil {
		t.Fatal(err)
	}
	ups, err := s.WaitUploads(1, wait)
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 1 {
		t.Fatalf("uploads %+v", ups)
	}
	u := ups[0]
	if sum.ID != u.FileID || sum.Title != "X" || !strings.HasPrefix(u.FileID, "F") {
		t.Errorf("summary %+v, upload %+v", sum, u)
	}
	if u.Filename != "x.csv" || u.Length != len(content) || string(u.Bytes) != content || !u.Posted || !u.Completed ||
		u.Title != "X" || u.Channel != "D0ALICE01" || len(u.Channels) != 0 || u.InitialComment != "here" ||
		!strings.HasPrefix(u.URL, s.URL()+"/upload/") {
		t.Errorf("upload %+v", u)
	}
	var methods []string
	for _, c := range s.Calls("") {
		methods = append(methods, c.Method)
	}
	if strings.Join(methods, " ") != "files.getUploadURLExternal files.completeUploadExternal" {
		t.Errorf("calls %v", methods)
	}
}

func TestUploadRefusals(t *testing.T) {
	s := fakeslack.New(t)
	api := newAPI(s, fakeslack.BotToken, fakeslack.AppToken)
	ctx := context.Background()

	// Completing before the bytes arrived, or an unknown file, fails.
	u, err := api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{FileName: "x.json", FileSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{u.FileID, "F404"} {
		_, err := api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{Files: []slack.FileSummary{{ID: id}}})
		if err == nil || err.Error() != "file_not_found" {
			t.Errorf("complete %s: err = %v, want file_not_found", id, err)
		}
	}
	// A raw (not multipart) post is taken as is; a post to an unknown URL is 404.
	resp, err := http.Post(u.UploadURL, "application/octet-stream", bytes.NewReader([]byte("{}")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("raw post: %s", resp.Status)
	}
	if resp, err = http.Post(s.URL()+"/upload/nope", "text/plain", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown upload URL: %s", resp.Status)
	}
	if _, err := api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{
		Files: []slack.FileSummary{{ID: u.FileID, Title: "J"}}, Channels: []string{"C1", "C2"}}); err != nil {
		t.Fatal(err)
	}
	got := s.Uploads()
	if len(got) != 1 || string(got[0].Bytes) != "{}" || got[0].Channel != "" || strings.Join(got[0].Channels, ",") != "C1,C2" {
		t.Errorf("uploads %+v", got)
	}
	// A missing filename or length is refused.
	if _, err := api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{FileName: "x", FileSize: -1}); err == nil ||
		err.Error() != "invalid_arguments" {
		t.Errorf("negative length: err = %v", err)
	}
}
