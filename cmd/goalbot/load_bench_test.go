package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/internal/fakeslack"
	"github.com/goalbot/goalbot/internal/seed"
	"github.com/goalbot/goalbot/storage"
)

// The load workspace: 1,000 objectives of 5 key results, each with 50
// weekly check-ins (250,000 in all), owned round-robin by 500 people
// (objective o by loadUser(o-1), its key result k by loadUser(5(o-1)+k-1)),
// with no channel, so check-ins post no announcements.
const (
	loadObjectives = 1000
	loadUsers      = 500
)

// loadUser is user i of the load workspace.
func loadUser(i int) string { return fmt.Sprintf("U%05d", i%loadUsers) }

// seedLoadDB creates the load workspace in a new database file.
func seedLoadDB(b *testing.B) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "load.db")
	db, err := storage.Open(context.Background(), path, goalbot.SystemClock)
	if err != nil {
		b.Fatal(err)
	}
	db.Close()
	now := time.Now()
	err = seed.Tx(path, func(tx *sql.Tx) error {
		if err := seed.Write(tx, seed.Workspace{Team: fakeslack.TeamID, Objectives: loadObjectives, KRsPer: 5, Users: loadUsers,
			User:        loadUser,
			TitleFiller: "grow the community", Due: goalbot.DateOf(now.AddDate(0, 3, 0)), Created: now.AddDate(-1, 0, 0)}); err != nil {
			return err
		}
		return seed.WeeklyCheckIns(tx, fakeslack.TeamID, 50, now.AddDate(0, 0, -7), 6,
			func(w int) float64 { return float64(w) }, func(int) string { return "" })
	})
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// loadCommand is the i-th command of the load mix, by the user who sends
// it: half check-ins (by the key result's owner), then show, the sender's
// own list, and help.
func loadCommand(i int) fakeslack.SlashCommand {
	o, k := i%loadObjectives+1, i%5+1
	owner := loadUser(5*(o-1) + k - 1)
	switch i % 10 {
	case 0, 1, 2, 3, 4:
		return fakeslack.SlashCommand{UserID: owner, Text: fmt.Sprintf("update %d.%d %d", o, k, 50+i%50)}
	case 5, 6, 7:
		return fakeslack.SlashCommand{UserID: owner, Text: fmt.Sprintf("show %d", o)}
	case 8:
		return fakeslack.SlashCommand{UserID: owner, Text: "list mine"}
	}
	return fakeslack.SlashCommand{UserID: owner, Text: "help"}
}

// BenchmarkLoad drives the bot (the real Main, in process) over loopback
// Socket Mode with the load mix at increasing concurrency: each op is one
// slash command, acknowledged with its reply. It reports the ack latency
// the fake Slack measured (from writing the envelope to reading the ack)
// at p50, p99 and max, acks per second, acks missed (not within 3 s), and
// the p99 of each kind of command (update, show, list, help).
//
//	go test ./cmd/goalbot -run '^$' -bench BenchmarkLoad -benchtime 2000x
func BenchmarkLoad(b *testing.B) {
	path := seedLoadDB(b)
	_, fs, _ := runBotEnv(b, nil, 0, map[string]string{"GOALBOT_DB": path})
	warmUp(b, fs)
	for _, workers := range []int{1, 10, 50, 100} {
		b.Run(fmt.Sprintf("concurrency=%d", workers), func(b *testing.B) {
			latencies := make([]time.Duration, 0, b.N)
			byKind := map[string][]time.Duration{}
			var mu sync.Mutex
			missed := 0
			next := make(chan int)
			var wg sync.WaitGroup
			start := time.Now()
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range next {
						cmd := loadCommand(i)
						id, _, err := fs.SendSlashCommand(cmd)
						if err != nil {
							b.Error(err)
							return
						}
						ack, err := fs.WaitAck(id, ackWindow)
						mu.Lock()
						if err != nil || ack.Payload == nil {
							missed++
						} else {
							latencies = append(latencies, ack.Latency)
							kind := strings.Fields(cmd.Text)[0]
							byKind[kind] = append(byKind[kind], ack.Latency)
						}
						mu.Unlock()
					}
				}()
			}
			for i := range b.N {
				next <- i
			}
			close(next)
			wg.Wait()
			elapsed := time.Since(start)
			slices.Sort(latencies)
			pct := func(p float64) float64 {
				if len(latencies) == 0 {
					return 0
				}
				return float64(latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(pct(1), "max-ms")
			b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "acks/s")
			b.ReportMetric(float64(missed), "missed")
			for _, kind := range []string{"update", "show", "list", "help"} {
				l := byKind[kind]
				slices.Sort(l)
				if len(l) > 0 {
					b.ReportMetric(float64(l[min(len(l)-1, len(l)*99/100)].Microseconds())/1000, "p99-"+kind+"-ms")
				}
			}
		})
	}
}

// warmUp has each of the load workspace's users send /goal help once, 10
// at a time, before anything is measured: the bot learns their time zones
// (one users.info call each, cached for a day), as it has within minutes of
// starting in a real workspace. Without it the first level measured pays
// for 500 look-ups.
func warmUp(b *testing.B, fs *fakeslack.Server) {
	b.Helper()
	next := make(chan int)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range next {
				id, _, err := fs.SendSlashCommand(fakeslack.SlashCommand{UserID: loadUser(u), Text: "help"})
				if err == nil {
					_, err = fs.WaitAck(id, ackWindow)
				}
				if err != nil {
					b.Error(err)
				}
			}
		}()
	}
	for u := range loadUsers {
		next <- u
	}
	close(next)
	wg.Wait()
}

// rssMB returns the resident set size of process pid, in MB.
func rssMB(b *testing.B, pid int) float64 {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(rest), "%f", &kb)
			return kb / 1024
		}
	}
	b.Fatal("no VmRSS")
	return 0
}

// BenchmarkBinary runs the real binary on the load workspace: the time
// from starting the process to its Socket Mode connection (median and
// max over the ops), and its resident memory when idle (connected, 2 s
// after start) and after 2,000 commands from 50 concurrent senders. The
// time per op means nothing: the timer stays stopped.
//
//	go test ./cmd/goalbot -run '^$' -bench BenchmarkBinary -benchtime 5x
func BenchmarkBinary(b *testing.B) {
	path := seedLoadDB(b)
	bin, err := buildBinary()
	if err != nil {
		b.Fatal(err)
	}
	var idle, loaded float64
	var starts []time.Duration
	b.StopTimer()
	for i := 0; i < b.N; i++ {
		fs := fakeslack.New(b)
		start := time.Now()
		p := startBinaryAt(b, bin, fs, map[string]string{"GOALBOT_DB": path})
		if err := fs.WaitConnections(1, 20*time.Second); err != nil {
			b.Fatalf("%v\n%s", err, p.stderr)
		}
		starts = append(starts, time.Since(start))
		if i == b.N-1 {
			time.Sleep(2 * time.Second)
			idle = rssMB(b, p.cmd.Process.Pid)
			next := make(chan int)
			var wg sync.WaitGroup
			for range 50 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for n := range next {
						id, _, err := fs.SendSlashCommand(loadCommand(n))
						if err == nil {
							fs.WaitAck(id, ackWindow)
						}
					}
				}()
			}
			for n := range 2000 {
				next <- n
			}
			close(next)
			wg.Wait()
			loaded = rssMB(b, p.cmd.Process.Pid)
		}
		p.cmd.Process.Signal(syscall.SIGTERM)
		<-p.exited
		fs.Close()
	}
	slices.Sort(starts)
	b.ReportMetric(float64(starts[len(starts)/2].Microseconds())/1000, "start-median-ms")
	b.ReportMetric(float64(starts[len(starts)-1].Microseconds())/1000, "start-max-ms")
	b.ReportMetric(idle, "rss-idle-MB")
	b.ReportMetric(loaded, "rss-load-MB")
}
