package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/goalbot/goalbot/internal/fakeslack"
)

// buildBinary builds cmd/goalbot into a temporary directory, once per test
// binary run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "goalbot-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "goalbot")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// process is the real goalbot binary running against a fake Slack.
type process struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	exited chan error
}

// startBinary runs the built binary with env (plus the fake's tokens and
// URL) until it exits; the test's end kills it if needed.
func startBinary(t *testing.T, fs *fakeslack.Server, env map[string]string, args ...string) *process {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	return startBinaryAt(t, bin, fs, env, args...)
}

// startBinaryAt is startBinary with the binary at bin.
func startBinaryAt(t testing.TB, bin string, fs *fakeslack.Server, env map[string]string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "SLACK_BOT_TOKEN=" + fakeslack.BotToken,
		"SLACK_APP_TOKEN=" + fakeslack.AppToken, "SLACK_API_URL=" + fs.APIURL()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &process{cmd: cmd, stderr: &lockedBuffer{}, exited: make(chan error, 1)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	return p
}

// TestSIGKILLDuringCheckInsLosesNothingAcknowledged runs the real binary,
// streams check-ins at it and kills it with SIGKILL in the middle. After a
// restart: every check-in whose ack said "Checked in" is in the database,
// the database passes PRAGMA integrity_check, the due-date DM sent before
// the kill is not sent again, and the one due after the restart is sent
// once. The restarted binary then stops on SIGTERM with status 0.
func TestSIGKILLDuringCheckInsLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "goalbot.db")
	config := filepath.Join(dir, "goalbot.toml")
	if err := os.WriteFile(config, []byte("tick_interval = \"1s\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fs := fakeslack.New(t)
	fs.SetUser("U0ALICE01", "alice", "UTC")
	fs.SetUser("U0BOB0001", "bob", "Atlantic/Azores") // UTC-1 in November: his 10:00 is 11:00 UTC
	env := map[string]string{"GOALBOT_DB": db, "GOALBOT_FAKE_NOW": "2026-11-26T09:59:58Z"}

	first := startBinary(t, fs, env, "run", "-config", config)
	if err := fs.WaitConnections(1, 20*time.Second); err != nil {
		t.Fatalf("%v\n%s", err, first.stderr)
	}
	for _, c := range []fakeslack.SlashCommand{
		{UserID: "U0ALICE01", Text: "new Grow due:2026-12-31"},
		{UserID: "U0ALICE01", Text: "kr 1 Followers from:0 to:100000 due:2026-12-03"},
		{UserID: "U0ALICE01", Text: "kr 1 Reach from:0 to:10 due:2026-12-03 owner:<@U0BOB0001|bob>"},
	} {
		id, _, err := fs.SendSlashCommand(c)
		if err != nil {
			t.Fatal(err)
		}
		if ack, err := fs.WaitAck(id, 3*time.Second); err != nil || ack.Payload == nil {
			t.Fatalf("%s: %v", c.Text, err)
		}
	}
	// Alice's due-date DM (1.1 due in 7 days) goes out at 10:00 UTC.
	dms := func(user string) int {
		n := 0
		for _, c := range fs.Calls("chat.postMessage") {
			if c.Param("channel") == "D"+user && strings.Contains(c.Param("text"), "Coming due") {
				n++
			}
		}
		return n
	}
	for deadline := time.Now().Add(10 * time.Second); dms("U0ALICE01") == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("alice's due-date DM never went out\n%s", first.stderr)
		}
	}

	// Stream check-ins; kill the process while they flow.
	var (
		mu    sync.Mutex
		acked []int
	)
	stop := make(chan struct{})
	streamed := make(chan struct{})
	go func() {
		defer close(streamed)
		for n := 1; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{UserID: "U0ALICE01", Text: fmt.Sprintf("update 1.1 %d", n)})
			if err != nil {
				return // the connection is gone
			}
			ack, err := fs.WaitAck(id, 2*time.Second)
			if err != nil {
				return
			}
			if bytes.Contains(ack.Payload, []byte("Checked in")) {
				mu.Lock()
				acked = append(acked, n)
				mu.Unlock()
			}
		}
	}()
	// Kill once a few check-ins were acknowledged, amid the stream.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 5 || time.Now().After(deadline) {
			break
		}
	}
	if err := first.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-first.exited
	close(stop)
	<-streamed
	if len(acked) < 5 {
		t.Fatalf("only %d check-ins were acknowledged before the kill", len(acked))
	}

	env["GOALBOT_FAKE_NOW"] = "2026-11-26T10:59:58Z"
	second := startBinary(t, fs, env, "run", "-config", config)
	if err := fs.WaitConnections(2, 20*time.Second); err != nil {
		t.Fatalf("%v\n%s", err, second.stderr)
	}
	// Bob's DM (1.2, his 10:00 in the Azores) is due after the restart.
	for deadline := time.Now().Add(10 * time.Second); dms("U0BOB0001") == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("bob's due-date DM never went out\n%s", second.stderr)
		}
	}
	time.Sleep(1500 * time.Millisecond) // another tick or two
	if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-second.exited:
		if err != nil {
			t.Errorf("after SIGTERM the binary exited with %v\n%s", err, second.stderr)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the binary did not stop within 15 s of SIGTERM")
	}
	if a, b := dms("U0ALICE01"), dms("U0BOB0001"); a != 1 || b != 1 {
		t.Errorf("due-date DMs: alice %d, bob %d; want one each across the crash and restart", a, b)
	}

	conn, err := sql.Open("sqlite3", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var integrity string
	if err := conn.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Errorf("integrity_check: %q %v", integrity, err)
	}
	stored := map[int]bool{}
	rows, err := conn.QueryContext(context.Background(), `SELECT CAST(value AS INTEGER) FROM check_ins`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v int
		rows.Scan(&v)
		stored[v] = true
	}
	rows.Close()
	for _, n := range acked {
		if !stored[n] {
			t.Errorf("check-in %d was acknowledged but is not in the database", n)
		}
	}
	t.Logf("%d check-ins acknowledged before SIGKILL, %d stored", len(acked), len(stored))
}

// TestSecondSignalExitsAtOnce: during the shutdown grace (a command still
// waiting for Slack), a second SIGTERM ends the process at once.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	fs := fakeslack.New(t)
	release := make(chan struct{})
	defer close(release)
	fs.Handle("views.open", func(fakeslack.Call) any {
		select { // Slack is slow to open the modal
		case <-release:
		case <-time.After(8 * time.Second):
		}
		return nil
	})
	p := startBinary(t, fs, map[string]string{"GOALBOT_DB": filepath.Join(t.TempDir(), "goalbot.db")}, "run")
	if err := fs.WaitConnections(1, 20*time.Second); err != nil {
		t.Fatalf("%v\n%s", err, p.stderr)
	}
	if _, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{Text: "new"}); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.WaitCalls("views.open", 1, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exited:
		t.Fatalf("the first SIGTERM ended the process at once (%v): the command in flight had no grace", err)
	case <-time.After(300 * time.Millisecond):
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exited:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() == 0 {
			t.Errorf("after the second SIGTERM the process ended with %v, want killed by the signal", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the second SIGTERM did not end the process")
	}
}
