package commands_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/storage"
)

// SetTime moves the clock to t.
func (c *settableClock) SetTime(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// sentMessage is one message a recordingSender delivered.
type sentMessage struct {
	Delivery goalbot.Delivery
	Text     string // the reply as plain text
	At       time.Time
}

// recordingSender is a commands.Sender that records what it sends. fail,
// when set, runs first and may fail the send (or simulate a crash by
// cancelling the tick's context).
type recordingSender struct {
	clock goalbot.Clock

	mu   sync.Mutex
	sent []sentMessage
	fail func(ctx context.Context, d goalbot.Delivery) error
	// crash, when set, makes Send panic after the message went out (when
	// accepted) or before: the process dies there.
	crash    bool
	accepted bool
}

// errCrash is what a simulated crash panics with.
var errCrash = fmt.Errorf("simulated crash")

func (s *recordingSender) Send(ctx context.Context, d goalbot.Delivery, r commands.Reply) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.crash && !s.accepted {
		panic(errCrash)
	}
	if s.fail != nil {
		if err := s.fail(ctx, d); err != nil {
			return "", err
		}
	}
	s.sent = append(s.sent, sentMessage{Delivery: d, Text: r.PlainText(), At: s.clock.Now()})
	if s.crash {
		panic(errCrash)
	}
	return fmt.Sprintf("1764150000.%06d", len(s.sent)), nil
}

// crashingTick runs a tick that dies in Send, as a killed process would.
func crashingTick(t *testing.T, r *schedRig) {
	t.Helper()
	defer func() {
		if p := recover(); p != errCrash {
			t.Fatalf("the tick did not crash in Send (recovered %v)", p)
		}
	}()
	r.d.Tick(context.Background())
}

// messages returns a copy of what was sent so far.
func (s *recordingSender) messages() []sentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sentMessage(nil), s.sent...)
}

// keys returns the ledger keys of what was sent so far, in order.
func (s *recordingSender) keys() []string {
	var keys []string
	for _, m := range s.messages() {
		keys = append(keys, m.Delivery.Key)
	}
	return keys
}

// schedRig is a dispatcher on a real SQLite file with a clock the test
// moves; restart closes the database and starts over from the file, as a
// restarted bot does.
type schedRig struct {
	tb    testing.TB
	path  string
	clock *settableClock
	send  *recordingSender
	// zones are users' time zones, as Slack's users.info would tell them.
	zones map[string]*time.Location

	db *storage.DB
	x  *commands.Executor
	d  *commands.Dispatcher
}

// MustSchedRig returns a rig whose clock starts at start.
func MustSchedRig(tb testing.TB, start time.Time) *schedRig {
	tb.Helper()
	clock := &settableClock{now: start}
	r := &schedRig{tb: tb, path: filepath.Join(tb.TempDir(), "goalbot.db"), clock: clock,
		send: &recordingSender{clock: clock}, zones: map[string]*time.Location{}}
	r.open()
	tb.Cleanup(func() {
		if err := r.db.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
	})
	return r
}

func (r *schedRig) open() {
	r.tb.Helper()
	db, err := storage.Open(context.Background(), r.path, r.clock)
	if err != nil {
		r.tb.Fatalf("open store: %v", err)
	}
	r.db = db
	r.x = &commands.Executor{Store: db, Clock: r.clock, Admins: []string{admin}}
	r.d = &commands.Dispatcher{Exec: r.x, Store: db, Sender: r.send,
		UserZone: func(_ context.Context, _, user string) *time.Location { return r.zones[user] }}
}

// restart stops the dispatcher and its database and starts new ones on the
// same file: nothing survives but what SQLite holds.
func (r *schedRig) restart() {
	r.tb.Helper()
	if err := r.db.Close(); err != nil {
		r.tb.Fatalf("close store: %v", err)
	}
	r.open()
}

// at moves the clock to t.
func (r *schedRig) at(t time.Time) { r.clock.SetTime(t) }

// tick runs one tick and fails the test on any error.
func (r *schedRig) tick() commands.TickReport {
	r.tb.Helper()
	rep, err := r.d.Tick(context.Background())
	if err != nil {
		r.tb.Fatalf("tick at %s: %v", r.clock.Now().Format(time.RFC3339), err)
	}
	for _, e := range rep.Errors {
		r.tb.Errorf("tick at %s: %v", r.clock.Now().Format(time.RFC3339), e)
	}
	return rep
}

// do runs a command as user (in their zone, in the general channel) and
// fails the test unless it succeeds.
func (r *schedRig) do(user, text string) string {
	r.tb.Helper()
	inv := commands.Invocation{TeamID: team, UserID: user, ChannelID: general, Location: r.zones[user]}
	return mustRun(r.tb, r.x, inv, text)
}

// delivery returns the ledger row of key.
func (r *schedRig) delivery(key string) *goalbot.Delivery {
	r.tb.Helper()
	d, err := r.db.FindDelivery(context.Background(), team, key)
	if err != nil {
		r.tb.Fatalf("find delivery %s: %v", key, err)
	}
	return d
}

// job returns the job (kind, target) of the test workspace.
func (r *schedRig) job(kind goalbot.JobKind, target string) *goalbot.Job {
	r.tb.Helper()
	j, err := r.db.FindJob(context.Background(), team, kind, target)
	if err != nil {
		r.tb.Fatalf("find %s job of %s: %v", kind, target, err)
	}
	return j
}

// utc is a time on 2026-MM-DD at hh:mm UTC.
func utc(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, time.UTC)
}

// aliceDueDM is the key of alice's due-date DM of 2026-11-26 (a message,
// the occurrence's only part); aliceDueDay is the occurrence's, which a
// skipped occurrence is recorded under.
const (
	aliceDueDay = "deadlines|" + alice + "|2026-11-26"
	aliceDueDM  = aliceDueDay + "|part1"
)

// mustDueSoonRig returns a rig at 2026-11-26 09:00 UTC (a Thursday) in
// which alice owns key result 1.1, due 2026-12-03, and has her default
// reminder jobs: her due-date DM ("due in 7 days") is due at 10:00 UTC.
func mustDueSoonRig(tb testing.TB) *schedRig {
	tb.Helper()
	r := MustSchedRig(tb, utc(time.November, 26, 9, 0))
	r.do(alice, "new Grow followers due:2026-12-31")
	r.do(alice, "kr 1 Followers from:1000 to:2000 due:2026-12-03")
	if rep := r.tick(); len(rep.Sent)+len(rep.Skipped)+len(rep.Failed) != 0 {
		tb.Fatalf("the first tick did something: %+v", rep)
	}
	if j := r.job(goalbot.JobDeadlines, alice); !j.NextAt.Equal(utc(time.November, 26, 10, 0)) || j.Spec != "CRON_TZ=UTC 0 10 * * *" {
		tb.Fatalf("alice's due-date job = %+v, want daily 10:00 UTC next at 2026-11-26 10:00", j)
	}
	if j := r.job(goalbot.JobCheckIn, alice); !j.NextAt.Equal(utc(time.November, 30, 10, 0)) || j.Spec != "CRON_TZ=UTC 0 10 * * 1" {
		tb.Fatalf("alice's check-in job = %+v, want Mondays 10:00 UTC next at 2026-11-30 10:00", j)
	}
	return r
}

// wantSentOnce checks that exactly one message went out, with key, and
// that the ledger says it was sent with the ts the sender returned.
func wantSentOnce(tb testing.TB, r *schedRig, key string) sentMessage {
	tb.Helper()
	msgs := r.send.messages()
	if len(msgs) != 1 || msgs[0].Delivery.Key != key {
		tb.Fatalf("sent %q, want exactly [%s]", r.send.keys(), key)
	}
	d := r.delivery(key)
	if d.State != goalbot.DeliverySent || d.TS == "" {
		tb.Errorf("ledger has %s as %s with ts %q, want sent with a ts", key, d.State, d.TS)
	}
	return msgs[0]
}

func TestTickTwiceAtTheSameClockSendsOnce(t *testing.T) {
	r := mustDueSoonRig(t)
	r.at(utc(time.November, 26, 10, 0))
	rep := r.tick()
	if len(rep.Sent) != 1 {
		t.Fatalf("first tick sent %d messages, want 1", len(rep.Sent))
	}
	m := wantSentOnce(t, r, aliceDueDM)
	if m.Delivery.User != alice || m.Delivery.Channel != "" {
		t.Errorf("delivery addressed to channel %q user %q, want a DM to alice", m.Delivery.Channel, m.Delivery.User)
	}
	for _, want := range []string{"⏰ Coming due:", "1.1 Followers is due in 7 days (2026-12-03): 0%", "need ", "[Update 1.1]\n[Open 1]"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the DM lacks %q:\n%s", want, m.Text)
		}
	}
	if rep := r.tick(); len(rep.Sent)+len(rep.Skipped)+len(rep.Failed) != 0 {
		t.Errorf("second tick at the same clock did %+v, want nothing", rep)
	}
	if got := len(r.send.messages()); got != 1 {
		t.Errorf("%d messages sent after two ticks, want 1", got)
	}
	if j := r.job(goalbot.JobDeadlines, alice); !j.NextAt.Equal(utc(time.November, 27, 10, 0)) {
		t.Errorf("next occurrence %s, want 2026-11-27 10:00 UTC", j.NextAt)
	}
}

// TestRestartAcrossADueOccurrence stops the dispatcher before alice's 10:00
// DM and restarts it later: less than 12 hours late it is sent once, from 12
// hours on it is recorded as skipped and never sent.
func TestRestartAcrossADueOccurrence(t *testing.T) {
	for _, tc := range []struct {
		late time.Duration
		sent bool
	}{
		{0, true},
		{time.Minute, true},
		{11 * time.Hour, true},
		{11*time.Hour + 59*time.Minute, true},
		{12 * time.Hour, false},
		{13 * time.Hour, false},
	} {
		t.Run(fmt.Sprintf("%v late", tc.late), func(t *testing.T) {
			r := mustDueSoonRig(t)
			r.at(utc(time.November, 26, 9, 59))
			r.tick()
			// Down from 09:59 until 10:00 + late.
			r.restart()
			r.at(utc(time.November, 26, 10, 0).Add(tc.late))
			rep := r.tick()
			if tc.sent {
				wantSentOnce(t, r, aliceDueDM)
				if len(rep.Skipped) != 0 {
					t.Errorf("skipped %+v", rep.Skipped)
				}
			} else {
				if msgs := r.send.messages(); len(msgs) != 0 {
					t.Fatalf("sent %q, want nothing %v late", r.send.keys(), tc.late)
				}
				if len(rep.Skipped) != 1 || rep.Skipped[0].Key != aliceDueDay || rep.Skipped[0].User != alice {
					t.Fatalf("skipped %+v, want %s", rep.Skipped, aliceDueDay)
				}
				if !strings.Contains(rep.Skipped[0].Error, "late") {
					t.Errorf("skip reason %q does not say how late", rep.Skipped[0].Error)
				}
				if d := r.delivery(aliceDueDay); d.State != goalbot.DeliverySkipped || d.TS != "" {
					t.Errorf("ledger has %s as %s (ts %q), want skipped", aliceDueDay, d.State, d.TS)
				}
			}
			// Neither another tick nor another restart repeats it.
			r.tick()
			r.restart()
			r.at(utc(time.November, 27, 9, 0))
			r.tick()
			want := 0
			if tc.sent {
				want = 1
			}
			if got := len(r.send.messages()); got != want {
				t.Errorf("%d messages after more ticks and a restart, want %d: %q", got, want, r.send.keys())
			}
			if j := r.job(goalbot.JobDeadlines, alice); !j.NextAt.Equal(utc(time.November, 27, 10, 0)) {
				t.Errorf("next occurrence %s, want 2026-11-27 10:00 UTC", j.NextAt)
			}
		})
	}
}

// TestRestartAfterASentOccurrence restarts after the DM went out: nothing is
// sent again, whenever the bot comes back.
func TestRestartAfterASentOccurrence(t *testing.T) {
	r := mustDueSoonRig(t)
	r.at(utc(time.November, 26, 10, 0))
	r.tick()
	wantSentOnce(t, r, aliceDueDM)
	for _, at := range []time.Time{utc(time.November, 26, 10, 0), utc(time.November, 26, 10, 1), utc(time.November, 26, 21, 0), utc(time.November, 27, 9, 59)} {
		r.restart()
		r.at(at)
		r.tick()
	}
	wantSentOnce(t, r, aliceDueDM)
}

// TestCrashBetweenClaimAndSend stops the dispatcher after it claimed the
// occurrence in the ledger and before the message went out: the next tick,
// after a restart, sends it exactly once.
func TestCrashBetweenClaimAndSend(t *testing.T) {
	t.Run("crash during send", func(t *testing.T) {
		r := mustDueSoonRig(t)
		r.at(utc(time.November, 26, 10, 0))
		r.send.crash = true // the process dies in Send: nothing after reaches the database
		crashingTick(t, r)
		if d := r.delivery(aliceDueDM); d.State != goalbot.DeliverySending {
			t.Fatalf("after the crash the ledger has %s as %s, want sending (leased)", aliceDueDM, d.State)
		}
		if n := len(r.send.messages()); n != 0 {
			t.Fatalf("%d messages sent before the crash", n)
		}
		r.send.crash = false
		r.restart()
		r.at(utc(time.November, 26, 10, 1)) // within the lease: still taken
		if rep := r.tick(); len(rep.Sent) != 0 {
			t.Fatalf("sent %d while the crashed dispatcher's lease held", len(rep.Sent))
		}
		r.at(utc(time.November, 26, 10, 15)) // the lease ran out
		rep := r.tick()
		if len(rep.Sent) != 1 {
			t.Errorf("the tick after the restart sent %d, want 1", len(rep.Sent))
		}
		r.tick()
		wantSentOnce(t, r, aliceDueDM)
	})
	t.Run("claim recorded directly", func(t *testing.T) {
		r := mustDueSoonRig(t)
		r.at(utc(time.November, 26, 10, 0))
		job := *r.job(goalbot.JobDeadlines, alice)
		payload, err := json.Marshal(commands.Reply{Blocks: []commands.Block{{Kind: commands.Section,
			Text: commands.Text{{Kind: commands.Plain, Text: "claimed before the crash"}}}}})
		if err != nil {
			t.Fatal(err)
		}
		claim := goalbot.Delivery{TeamID: team, Key: aliceDueDM, Kind: goalbot.JobDeadlines, User: alice, DueAt: job.NextAt, Payload: payload}
		n, err := r.db.RecordOccurrences(context.Background(), job, []goalbot.Delivery{claim}, utc(time.November, 27, 10, 0))
		if err != nil || n != 1 {
			t.Fatalf("RecordOccurrences claimed %d (err %v), want 1", n, err)
		}
		// A second dispatcher racing for the same occurrence claims nothing.
		if n, err := r.db.RecordOccurrences(context.Background(), job, []goalbot.Delivery{claim}, utc(time.November, 27, 10, 0)); err != nil || n != 0 {
			t.Fatalf("a second claim of the same occurrence claimed %d (err %v), want 0", n, err)
		}
		r.restart()
		r.tick()
		r.tick()
		m := wantSentOnce(t, r, aliceDueDM)
		if m.Text != "claimed before the crash" {
			t.Errorf("sent %q, want the claimed payload", m.Text)
		}
	})
}

// TestCrashAfterSlackAcceptedIsSentAgain documents the edge of the
// at-least-once policy: when the process dies after Slack accepted the
// message and before the ledger recorded it, the next tick sends it again.
func TestCrashAfterSlackAcceptedIsSentAgain(t *testing.T) {
	r := mustDueSoonRig(t)
	r.at(utc(time.November, 26, 10, 0))
	r.send.crash, r.send.accepted = true, true // Slack got it; the process dies before MarkSent
	crashingTick(t, r)
	r.send.crash, r.send.accepted = false, false
	r.restart()
	r.at(utc(time.November, 26, 10, 15)) // after the lease
	r.tick()
	r.tick()
	if keys := r.send.keys(); len(keys) != 2 || keys[0] != aliceDueDM || keys[1] != aliceDueDM {
		t.Errorf("sent %q, want %s twice (at least once)", keys, aliceDueDM)
	}
	if d := r.delivery(aliceDueDM); d.State != goalbot.DeliverySent {
		t.Errorf("ledger state %s, want sent", d.State)
	}
}

// TestFailedSendIsRecordedAndRetried fails the send (rate limits exhausted,
// Slack down): the ledger records the failure and the next tick retries it
// until it goes out, once.
func TestFailedSendIsRecordedAndRetried(t *testing.T) {
	r := mustDueSoonRig(t)
	r.at(utc(time.November, 26, 10, 0))
	fails := 2
	r.send.fail = func(context.Context, goalbot.Delivery) error {
		if fails > 0 {
			fails--
			return errors.New("post to DU0ALICE01: slack rate limit exceeded, retry after 1s")
		}
		return nil
	}
	for i := 1; i <= 2; i++ {
		rep := r.tick()
		if len(rep.Failed) != 1 || len(rep.Sent) != 0 || rep.Failed[0].Key != aliceDueDM {
			t.Fatalf("tick %d: sent %d failed %+v, want %s failed", i, len(rep.Sent), rep.Failed, aliceDueDM)
		}
		d := r.delivery(aliceDueDM)
		if d.State != goalbot.DeliveryFailed || d.Attempts != i || !strings.Contains(d.Error, "rate limit") {
			t.Errorf("tick %d: ledger has state %s, %d attempts, error %q", i, d.State, d.Attempts, d.Error)
		}
	}
	r.restart() // a failure survives a restart too
	r.at(utc(time.November, 26, 10, 1))
	if rep := r.tick(); len(rep.Sent) != 1 {
		t.Fatalf("third tick sent %d, want 1", len(rep.Sent))
	}
	r.tick()
	wantSentOnce(t, r, aliceDueDM)
	if d := r.delivery(aliceDueDM); d.Attempts != 3 || d.Error != "" {
		t.Errorf("ledger: %d attempts, error %q; want 3 attempts and the error cleared", d.Attempts, d.Error)
	}
}

// TestRemindersAcrossDST runs a New York user's 02:30 (spring forward) and
// 01:30 (fall back) Sunday reminders with a tick every 15 minutes: each
// goes out once that day, at the first instant the wall clock reads it.
func TestRemindersAcrossDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name            string
		created         time.Time // objective and key result
		due             string    // of the key result: 7 days after the Sunday
		setup           time.Time // remind day: time:
		clock           string
		from, to        time.Time // ticks
		label           string    // the Sunday's occurrence
		wantAt          time.Time // when it goes out
		wantAtLocalText string
	}{
		{
			name:    "spring forward",
			created: utc(time.February, 27, 12, 0), due: "2026-03-15",
			setup: utc(time.March, 7, 12, 0), clock: "02:30",
			from: utc(time.March, 7, 12, 0), to: utc(time.March, 9, 12, 0),
			label:  "2026-03-08|part1",
			wantAt: utc(time.March, 8, 7, 30), wantAtLocalText: "2026-03-08 03:30 EDT",
		},
		{
			name:    "fall back",
			created: utc(time.October, 23, 12, 0), due: "2026-11-08",
			setup: utc(time.October, 31, 12, 0), clock: "01:30",
			from: utc(time.October, 31, 12, 0), to: utc(time.November, 2, 12, 0),
			label:  "2026-11-01|part1",
			wantAt: utc(time.November, 1, 5, 30), wantAtLocalText: "2026-11-01 01:30 EDT",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := MustSchedRig(t, tc.created)
			r.zones[alice] = ny
			r.do(alice, "new Grow due:2026-12-31")
			r.do(alice, "kr 1 Followers from:1000 to:2000 due:"+tc.due)
			r.at(tc.setup)
			r.do(alice, "remind day:sunday time:"+tc.clock)
			for now := tc.from; !now.After(tc.to); now = now.Add(15 * time.Minute) {
				r.at(now)
				if rep := r.tick(); len(rep.Skipped) > 0 {
					t.Fatalf("skipped at %s: %+v", now, rep.Skipped)
				}
			}
			msgs := r.send.messages()
			got := map[goalbot.JobKind][]sentMessage{}
			for _, m := range msgs {
				got[m.Delivery.Kind] = append(got[m.Delivery.Kind], m)
			}
			for _, kind := range []goalbot.JobKind{goalbot.JobCheckIn, goalbot.JobDeadlines} {
				if len(got[kind]) != 1 {
					t.Errorf("%d %s messages, want 1: %q", len(got[kind]), kind, r.send.keys())
					continue
				}
				m := got[kind][0]
				if want := string(kind) + "|" + alice + "|" + tc.label; m.Delivery.Key != want {
					t.Errorf("%s key %q, want %q", kind, m.Delivery.Key, want)
				}
				if !m.At.Equal(tc.wantAt) || !m.Delivery.DueAt.Equal(tc.wantAt) {
					t.Errorf("%s due %s, sent %s; want both at %s (%s)", kind, m.Delivery.DueAt, m.At, tc.wantAt, tc.wantAtLocalText)
				}
				if local := m.Delivery.DueAt.In(ny).Format("2006-01-02 15:04 MST"); local != tc.wantAtLocalText {
					t.Errorf("%s due at %s New York time, want %s", kind, local, tc.wantAtLocalText)
				}
			}
			if len(msgs) != 2 {
				t.Errorf("%d messages in all, want 2: %q", len(msgs), r.send.keys())
			}
		})
	}
}

// TestPausedRemindersAreNotSent pauses alice's reminders through the day
// before her key result is due: that DM is not sent (nor recorded), and the
// overdue DM after the pause is.
func TestPausedRemindersAreNotSent(t *testing.T) {
	r := MustSchedRig(t, utc(time.November, 20, 9, 0))
	r.do(alice, "new Grow due:2026-12-31")
	r.do(alice, "kr 1 Followers from:1000 to:2000 due:2026-11-28")
	r.tick()
	r.at(utc(time.November, 26, 9, 0))
	r.do(alice, "remind pause until:2026-11-27")
	for day := 26; day <= 30; day++ {
		r.at(utc(time.November, day, 10, 0))
		r.tick()
	}
	if _, err := r.db.FindDelivery(context.Background(), team, "deadlines|"+alice+"|2026-11-27|part1"); goalbot.ErrorCode(err) != goalbot.ENOTFOUND {
		t.Errorf("the paused occurrence is in the ledger (err %v)", err)
	}
	var got []string
	for _, m := range r.send.messages() {
		if m.Delivery.Kind == goalbot.JobDeadlines {
			got = append(got, m.Delivery.Key)
			if !strings.Contains(m.Text, "overdue: it was due 2026-11-28") {
				t.Errorf("%s:\n%s", m.Delivery.Key, m.Text)
			}
		}
	}
	if want := "deadlines|" + alice + "|2026-11-29|part1"; len(got) != 1 || got[0] != want {
		t.Errorf("due-date DMs %q, want only %s", got, want)
	}
}

// TestReminderJobsFollowTheUserZone gives a new key-result owner the
// default reminder jobs in their own zone, and moves them when their zone
// changes: one due-date DM per local day, never two.
func TestReminderJobsFollowTheUserZone(t *testing.T) {
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	r := MustSchedRig(t, utc(time.November, 26, 7, 0))
	r.zones[bob] = warsaw
	r.do(alice, "new Grow due:2026-12-31")
	r.do(alice, "kr 1 Followers from:1000 to:2000 owner:<@"+bob+"> due:2026-12-03")
	r.do(alice, "kr 1 Reach from:0 to:50000 owner:<@"+bob+"> due:2026-11-28")
	r.tick()
	if j := r.job(goalbot.JobDeadlines, bob); j.Spec != "CRON_TZ=Europe/Warsaw 0 10 * * *" || !j.NextAt.Equal(utc(time.November, 26, 9, 0)) {
		t.Fatalf("bob's due-date job = %+v, want daily 10:00 Warsaw, next 09:00 UTC", j)
	}
	if j := r.job(goalbot.JobCheckIn, bob); j.Spec != "CRON_TZ=Europe/Warsaw 0 10 * * 1" {
		t.Errorf("bob's check-in job spec %q", j.Spec)
	}
	r.at(utc(time.November, 26, 9, 0))
	r.tick()
	wantSentOnce(t, r, "deadlines|"+bob+"|2026-11-26|part1")

	// Bob flies to New York, where 10:00 is 15:00 UTC. His 2026-11-27
	// reminder was due at 09:00 UTC in Warsaw time; it now goes out at
	// 10:00 New York time, once.
	r.zones[bob] = ny
	for at := utc(time.November, 27, 8, 0); !at.After(utc(time.November, 27, 23, 0)); at = at.Add(time.Hour) {
		r.at(at)
		r.tick()
	}
	if j := r.job(goalbot.JobDeadlines, bob); j.Spec != "CRON_TZ=America/New_York 0 10 * * *" || !j.NextAt.Equal(utc(time.November, 28, 15, 0)) {
		t.Errorf("bob's due-date job after his zone changed = %+v, want daily 10:00 New York, next 2026-11-28 15:00 UTC", j)
	}
	want := []string{"deadlines|" + bob + "|2026-11-26|part1", "deadlines|" + bob + "|2026-11-27|part1"}
	if got := r.send.keys(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("sent %q, want %q", got, want)
	}
	m := r.send.messages()[1]
	if !m.At.Equal(utc(time.November, 27, 15, 0)) || !strings.Contains(m.Text, "1.2 Reach is due tomorrow") {
		t.Errorf("the 2026-11-27 DM went out at %s:\n%s", m.At, m.Text)
	}
}

// TestDigestGoesOutWeeklyWithStableKeys sets up a channel digest and runs
// two weeks: one digest each Friday, movers measured against the previous
// one.
func TestDigestGoesOutWeeklyWithStableKeys(t *testing.T) {
	r := MustSchedRig(t, utc(time.November, 16, 9, 0))
	inv := commands.Invocation{TeamID: team, UserID: alice, ChannelID: marketing}
	mustRun(t, r.x, inv, "new Grow due:2026-12-31")
	mustRun(t, r.x, inv, "kr 1 Followers from:1000 to:2000")
	mustRun(t, r.x, inv, "digest here")
	if j := r.job(goalbot.JobDigest, marketing); j.Spec != "CRON_TZ=UTC 0 16 * * 5" || !j.NextAt.Equal(utc(time.November, 20, 16, 0)) {
		t.Fatalf("digest job = %+v", j)
	}
	r.at(utc(time.November, 18, 9, 0))
	mustRun(t, r.x, inv, "update 1.1 1200")
	r.at(utc(time.November, 20, 16, 0))
	r.tick()
	r.at(utc(time.November, 24, 9, 0))
	mustRun(t, r.x, inv, "update 1.1 1500")
	r.at(utc(time.November, 27, 16, 0))
	r.tick()
	r.tick()
	var digests []sentMessage
	for _, m := range r.send.messages() {
		if m.Delivery.Kind == goalbot.JobDigest {
			digests = append(digests, m)
		}
	}
	if len(digests) != 2 {
		t.Fatalf("%d digests, want 2: %q", len(digests), r.send.keys())
	}
	for i, want := range []string{"digest|" + marketing + "|2026-11-20|part1", "digest|" + marketing + "|2026-11-27|part1"} {
		if digests[i].Delivery.Key != want || digests[i].Delivery.Channel != marketing || digests[i].Delivery.User != "" {
			t.Errorf("digest %d: key %q to channel %q user %q", i+1, digests[i].Delivery.Key, digests[i].Delivery.Channel, digests[i].Delivery.User)
		}
	}
	if !strings.Contains(digests[0].Text, "1.1 Followers: 1,000 → 1,200") {
		t.Errorf("first digest lacks the move from the start value:\n%s", digests[0].Text)
	}
	if !strings.Contains(digests[1].Text, "1.1 Followers: 1,200 → 1,500") {
		t.Errorf("second digest does not measure movers since the first:\n%s", digests[1].Text)
	}
}

// TestMilestoneAndDueDateDM: one DM a day gathers what is coming due for
// its owner: a due date in 7 days, milestones in 3 days and today (with or
// without a planned value), with the pace needed.
func TestMilestoneAndDueDateDM(t *testing.T) {
	r := MustSchedRig(t, utc(time.November, 1, 9, 0))
	r.do(alice, "new Grow followers due:2026-12-31")
	r.do(alice, "kr 1 Followers from:1000 to:2000 due:2026-12-03")
	r.do(alice, "milestone 1 2026-11-29 Beta launch")
	r.do(alice, "milestone 1.1 2026-11-26 Halfway target:1500")
	r.at(utc(time.November, 26, 9, 0))
	r.tick()
	r.at(utc(time.November, 26, 10, 0))
	r.tick()
	m := wantSentOnce(t, r, aliceDueDM)
	for _, want := range []string{
		"• 1.1 Followers is due in 7 days (2026-12-03): 0%",
		`• Milestone "Beta launch" of objective 1 is due in 3 days (2026-11-29)`,
		`• Milestone "Halfway" of 1.1 is due today`,
		"need +",
	} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the DM lacks %q:\n%s", want, m.Text)
		}
	}
	r.at(utc(time.November, 29, 10, 0))
	r.tick()
	msgs := r.send.messages()
	if len(msgs) != 2 || !strings.Contains(msgs[1].Text, `Milestone "Beta launch" of objective 1 is due today`) {
		t.Errorf("sent %q; want the milestone's own day:\n%v", r.send.keys(), msgs)
	}
}

// TestMovingTheReminderTimeNeitherLosesNorRepeatsTheDay checks /goal remind
// time: around a day's due-date DM: moved earlier before it went out, it
// goes out at once; moved later after it went out, it does not go again.
func TestMovingTheReminderTimeNeitherLosesNorRepeatsTheDay(t *testing.T) {
	t.Run("earlier, before it went out", func(t *testing.T) {
		r := mustDueSoonRig(t) // alice's DM is due 2026-11-26 10:00 UTC
		r.at(utc(time.November, 26, 9, 30))
		r.do(alice, "remind time:09:00")
		r.tick()
		wantSentOnce(t, r, aliceDueDM)
	})
	t.Run("later, after it went out", func(t *testing.T) {
		r := mustDueSoonRig(t)
		r.at(utc(time.November, 26, 10, 0))
		r.tick()
		r.at(utc(time.November, 26, 11, 0))
		r.do(alice, "remind time:15:00")
		r.at(utc(time.November, 26, 15, 0))
		r.tick()
		wantSentOnce(t, r, aliceDueDM)
	})
	t.Run("showing the settings writes nothing", func(t *testing.T) {
		r := mustDueSoonRig(t)
		before := *r.job(goalbot.JobDeadlines, alice)
		r.zones[alice] = mustZone(t, "Asia/Tokyo") // the caller's zone differs from the job's
		r.x.Clock = r.clock
		if got := r.do(alice, "remind"); !strings.HasPrefix(got, "Check-in reminders:") {
			t.Fatalf("remind replied %q", got)
		}
		if after := *r.job(goalbot.JobDeadlines, alice); after != before {
			t.Errorf("plain remind changed the job from %+v to %+v", before, after)
		}
	})
}

func mustZone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// TestTwoDispatchersSendOnce runs two dispatchers on one database (the bot
// and a shell's :tick): each message goes out once, taken under a lease.
func TestTwoDispatchersSendOnce(t *testing.T) {
	r := mustDueSoonRig(t)
	r.at(utc(time.November, 26, 10, 0))
	other := &recordingSender{clock: r.clock}
	second := &commands.Dispatcher{Exec: r.x, Store: r.db, Sender: other}
	// The second dispatcher ticks in the middle of the first one's send.
	r.send.fail = func(context.Context, goalbot.Delivery) error {
		if _, err := second.Tick(context.Background()); err != nil {
			t.Errorf("second dispatcher: %v", err)
		}
		return nil
	}
	r.tick()
	r.send.fail = nil
	if n := len(other.messages()); n != 0 {
		t.Errorf("the second dispatcher sent %d messages the first had taken", n)
	}
	wantSentOnce(t, r, aliceDueDM)
}

// TestObjectiveOwnersGetDueDateDMs checks that owning an objective without
// owning any of its key results is enough for due-date DMs.
func TestObjectiveOwnersGetDueDateDMs(t *testing.T) {
	r := MustSchedRig(t, utc(time.November, 20, 9, 0))
	r.do(alice, "new Launch due:2026-11-27")
	r.do(alice, "kr 1 Signups from:0 to:100 owner:<@"+bob+">")
	r.tick()
	r.at(utc(time.November, 20, 10, 0))
	r.tick()
	var got []string
	for _, m := range r.send.messages() {
		if m.Delivery.User == alice {
			got = append(got, m.Text)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "Objective 1 Launch is due in 7 days (2026-11-27)") {
		t.Errorf("alice, the objective's owner, got %q", got)
	}
}

// TestUndeliverableMessagesAreGivenUp checks that a message still failing
// 12 hours after it was due is given up, recorded and reported, not sent
// days late or retried forever.
func TestUndeliverableMessagesAreGivenUp(t *testing.T) {
	r := mustDueSoonRig(t)
	r.at(utc(time.November, 26, 10, 0))
	r.send.fail = func(context.Context, goalbot.Delivery) error { return fmt.Errorf("channel_not_found") }
	r.tick()
	r.at(utc(time.November, 26, 22, 0))
	r.send.fail = nil
	rep := r.tick()
	if len(rep.Expired) != 1 || rep.Expired[0].Key != aliceDueDM || len(r.send.messages()) != 0 {
		t.Fatalf("expired %+v, sent %q; want %s given up, nothing sent", rep.Expired, r.send.keys(), aliceDueDM)
	}
	if d := r.delivery(aliceDueDM); d.State != goalbot.DeliveryExpired || !strings.Contains(d.Error, "channel_not_found") {
		t.Errorf("ledger has %s as %s (%q), want expired with the last error", aliceDueDM, d.State, d.Error)
	}
	if rep := r.tick(); len(rep.Expired)+len(rep.Sent)+len(rep.Failed) != 0 {
		t.Errorf("the given-up message came back: %+v", rep)
	}
}

// TestZonesOnlyMoveWhenKnown checks that a failed zone look-up keeps the
// job's zone, and that a move far east still delivers the day's message.
func TestZonesOnlyMoveWhenKnown(t *testing.T) {
	r := mustDueSoonRig(t)
	r.zones[alice] = nil // Slack did not answer
	r.at(utc(time.November, 26, 10, 0))
	r.tick()
	wantSentOnce(t, r, aliceDueDM)
	if j := r.job(goalbot.JobDeadlines, alice); j.Spec != "CRON_TZ=UTC 0 10 * * *" {
		t.Errorf("an unknown zone changed the job to %s", j.Spec)
	}

	far := mustDueSoonRig(t)
	far.zones[alice] = mustZone(t, "America/Los_Angeles")
	far.at(utc(time.November, 25, 18, 0)) // 10:00 in Los Angeles: the job moves there
	far.tick()
	far.zones[alice] = mustZone(t, "Asia/Tokyo")
	far.at(utc(time.November, 26, 18, 0)) // the 11-26 occurrence, found after the move
	rep := far.tick()
	for _, s := range rep.Skipped {
		if strings.HasPrefix(s.Key, "deadlines|"+alice+"|2026-11-26") {
			t.Errorf("the day's DM was skipped after a move east: %+v", s)
		}
	}
}

func TestSnoozeSendsTheCheckInReminderAgainTomorrow(t *testing.T) {
	r := MustSchedRig(t, utc(time.November, 16, 9, 0)) // a Monday
	r.do(alice, "new Grow followers due:2026-12-31")
	r.do(alice, "kr 1 Followers from:1000 to:2000")
	r.tick()
	r.at(utc(time.November, 23, 10, 0))
	if rep := r.tick(); len(rep.Sent) != 1 {
		t.Fatalf("Monday's reminder: sent %d", len(rep.Sent))
	}
	reminder := r.send.messages()[0]
	if !strings.Contains(reminder.Text, "[Snooze 1 day] [Pause reminders for a week]") {
		t.Errorf("the reminder offers no snooze:\n%s", reminder.Text)
	}
	r.at(utc(time.November, 23, 10, 5))
	got := click(t, r.x, commands.Invocation{TeamID: team, UserID: alice, ChannelID: "D0ALICE01"}, commands.ActionRemindSnooze, "1")
	if got.Failed || got.PlainText() != "😴 Snoozed: I'll remind you of key results still without a check-in Tuesday 2026-11-24 10:00." {
		t.Fatalf("snooze: %q", got.PlainText())
	}
	r.at(utc(time.November, 24, 9, 59))
	if rep := r.tick(); len(rep.Sent) != 0 {
		t.Errorf("sent before the snooze ran out: %q", r.send.keys())
	}
	r.at(utc(time.November, 24, 10, 0))
	if rep := r.tick(); len(rep.Sent) != 1 || !strings.Contains(r.send.keys()[1], "2026-11-24") {
		t.Fatalf("Tuesday: sent %q, want the snoozed reminder", r.send.keys())
	}
	// The weekly schedule goes on: next Monday.
	if j := r.job(goalbot.JobCheckIn, alice); !j.NextAt.Equal(utc(time.November, 30, 10, 0)) {
		t.Errorf("after the snoozed reminder the next is %s, want Monday 2026-11-30 10:00", j.NextAt)
	}
	// Snoozing never pushes a sooner reminder back: on Sunday, tomorrow
	// is Monday's regular one.
	r.at(utc(time.November, 29, 12, 0))
	click(t, r.x, commands.Invocation{TeamID: team, UserID: alice}, commands.ActionRemindSnooze, "1")
	if j := r.job(goalbot.JobCheckIn, alice); !j.NextAt.Equal(utc(time.November, 30, 10, 0)) {
		t.Errorf("a snooze on Sunday moved Monday's reminder to %s", j.NextAt)
	}
	// A snooze button with another value was not made by goalbot.
	mustRefuseClick(t, r.x, r.db, commands.Invocation{TeamID: team, UserID: alice}, commands.ActionRemindSnooze, "30", "This button is not one goalbot made; nothing was done.")
	// Nothing to snooze when reminders are paused or off.
	r.do(alice, "remind pause until:2026-12-05")
	mustRefuse(t, r.x, r.db, commands.Invocation{TeamID: team, UserID: alice}, "remind snooze",
		withUsage("Your reminders are paused through 2026-12-05, so there is nothing to snooze.", "remind"))
	r.do(alice, "remind off")
	mustRefuse(t, r.x, r.db, commands.Invocation{TeamID: team, UserID: alice}, "remind snooze",
		withUsage("Your reminders are off, so there is nothing to snooze. /goal remind on turns them on.", "remind"))
}

// TestPanicInOneJobDoesNotStopTheTick: a job whose planning panics (here,
// the zone look-up of bob's jobs) is reported as that job's error, with
// the panic, and the other jobs of the tick still run: alice's due-date DM
// goes out.
func TestPanicInOneJobDoesNotStopTheTick(t *testing.T) {
	r := mustDueSoonRig(t) // alice's due-date DM is due at 10:00
	r.do(alice, "kr 1 Reach from:0 to:10 due:2026-12-03 owner:<@"+bob+">")
	r.tick() // bob gets his reminder jobs; nothing is due yet
	r.d.UserZone = func(_ context.Context, _, user string) *time.Location {
		if user == bob {
			panic("injected panic")
		}
		return nil
	}
	r.at(utc(time.November, 26, 10, 0))
	rep, err := r.d.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantSentOnce(t, r, aliceDueDM)
	failed := 0
	for _, e := range rep.Errors {
		if strings.Contains(e.Error(), "of "+bob+" in "+team+": panic: injected panic") {
			failed++
		}
	}
	if failed == 0 {
		t.Errorf("the panic is not reported as bob's job's error: %v", rep.Errors)
	}
}
