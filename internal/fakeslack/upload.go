package fakeslack

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Upload is a file the app uploaded with Slack's external upload flow:
// files.getUploadURLExternal hands out an upload URL and a file ID, the app
// POSTs the bytes to the URL, and files.completeUploadExternal shares the
// file (with channel_id, to that channel; without, the file stays private).
type Upload struct {
	FileID   string // F..., from files.getUploadURLExternal
	Filename string // its filename parameter
	Length   int    // its length parameter: the size the app announced
	URL      string // the upload URL handed out, http://127.0.0.1:PORT/upload/<id>

	// Posted is true once the bytes arrived at URL; Bytes are the posted
	// body, or the file part of a multipart/form-data post.
	Posted bool
	Bytes  []byte

	// Completed is true once files.completeUploadExternal named the file.
	Completed      bool
	Title          string   // its title in the files parameter
	Channel        string   // the channel_id parameter ("" when not given)
	Channels       []string // the channels parameter, split at commas
	InitialComment string   // the initial_comment parameter
}

// uploads is the fake's record of uploads, guarded by Server.mu.
type uploads struct {
	list  []*Upload
	byKey map[string]*Upload // the <id> of the upload URL
	byID  map[string]*Upload // file ID
}

// uploadResponseLocked answers files.getUploadURLExternal and
// files.completeUploadExternal. s.mu must be held.
//
// getUploadURLExternal needs filename and a positive length, else
// invalid_arguments. completeUploadExternal needs files, a JSON list of
// {"id","title"} (else invalid_arguments), each a file ID this fake handed
// out whose bytes were posted (else file_not_found); it answers
// {"ok":true,"files":[{"id","title"}...]}.
func (s *Server) uploadResponseLocked(c Call) any {
	fail := func(code string) any { return map[string]any{"ok": false, "error": code} }
	if s.uploads.byKey == nil {
		s.uploads.byKey, s.uploads.byID = map[string]*Upload{}, map[string]*Upload{}
	}
	switch c.Method {
	case "files.getUploadURLExternal":
		length, err := strconv.Atoi(c.Param("length"))
		if c.Param("filename") == "" || err != nil || length <= 0 {
			return fail("invalid_arguments")
		}
		seq := s.nextSeqLocked()
		key := fmt.Sprintf("%s%d", randHex(6), seq)
		u := &Upload{FileID: fmt.Sprintf("F%08d", seq), Filename: c.Param("filename"), Length: length,
			URL: s.hs.URL + "/upload/" + key}
		s.uploads.list = append(s.uploads.list, u)
		s.uploads.byKey[key], s.uploads.byID[u.FileID] = u, u
		s.notifyLocked()
		return map[string]any{"ok": true, "upload_url": u.URL, "file_id": u.FileID}
	case "files.completeUploadExternal":
		var files []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		}
		if json.Unmarshal([]byte(c.Param("files")), &files) != nil || len(files) == 0 {
			return fail("invalid_arguments")
		}
		for _, f := range files {
			if u := s.uploads.byID[f.ID]; u == nil || !u.Posted {
				return fail("file_not_found")
			}
		}
		var channels []string
		if list := c.Param("channels"); list != "" {
			channels = strings.Split(list, ",")
		}
		out := make([]map[string]any, 0, len(files))
		for _, f := range files {
			u := s.uploads.byID[f.ID]
			u.Completed, u.Title, u.Channel, u.Channels = true, f.Title, c.Param("channel_id"), channels
			u.InitialComment = c.Param("initial_comment")
			out = append(out, map[string]any{"id": u.FileID, "title": u.Title})
		}
		s.notifyLocked()
		return map[string]any{"ok": true, "files": out}
	}
	return nil
}

// serveUpload takes the bytes of an upload at /upload/<id>: the raw body,
// or the file part of a multipart/form-data post (as slack-go sends it).
// It answers "OK - <size>" as Slack does, 404 for an unknown <id>.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	key := strings.TrimPrefix(r.URL.Path, "/upload/")
	s.mu.Lock()
	u := s.uploads.byKey[key]
	s.mu.Unlock()
	if u == nil {
		http.Error(w, "unknown upload", http.StatusNotFound)
		return
	}
	body, err := uploadedBytes(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	u.Posted, u.Bytes = true, body
	s.notifyLocked()
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = fmt.Fprintf(w, "OK - %d", len(body))
}

// uploadedBytes reads the posted file: the first file part of a multipart
// body, else the whole body.
func uploadedBytes(r *http.Request) ([]byte, error) {
	if ctype, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ctype != "multipart/form-data" {
		return io.ReadAll(r.Body)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil, fmt.Errorf("fakeslack: the multipart upload has no file part")
		} else if err != nil {
			return nil, err
		}
		if p.FileName() != "" {
			return io.ReadAll(p)
		}
	}
}

// Uploads returns a copy of every upload so far, in the order their upload
// URLs were handed out.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.uploadsLocked()
}

func (s *Server) uploadsLocked() []Upload {
	out := make([]Upload, 0, len(s.uploads.list))
	for _, u := range s.uploads.list {
		c := *u
		c.Bytes = append([]byte(nil), u.Bytes...)
		c.Channels = append([]string(nil), u.Channels...)
		out = append(out, c)
	}
	return out
}

// WaitUploads waits until at least n uploads were completed and returns
// every upload (as Uploads does); error on timeout.
func (s *Server) WaitUploads(n int, timeout time.Duration) ([]Upload, error) {
	var out []Upload
	err := s.waitFor(timeout, fmt.Sprintf("%d completed uploads", n), func() bool {
		out = s.uploadsLocked()
		done := 0
		for _, u := range out {
			if u.Completed {
				done++
			}
		}
		return done >= n
	})
	return out, err
}
