package commands_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/storage"
)

// inChannel is an invocation by user in channel, in zone (nil: UTC).
func inChannel(user, channel string, zone *time.Location) commands.Invocation {
	return commands.Invocation{TeamID: team, UserID: user, ChannelID: channel, Location: zone}
}

// mustJob returns job (kind, target) of the test workspace.
func mustJob(tb testing.TB, db *storage.DB, kind goalbot.JobKind, target string) *goalbot.Job {
	tb.Helper()
	j, err := db.FindJob(context.Background(), team, kind, target)
	if err != nil {
		tb.Fatalf("find %s job of %s: %v", kind, target, err)
	}
	return j
}

func TestDigestCommand(t *testing.T) {
	x, db, _ := MustExecutorClock(t) // Thursday 2026-11-26 09:30 UTC
	inv := inChannel(alice, marketing, nil)

	got := mustRun(t, x, inv, "digest here")
	want := "The weekly digest of #" + marketing + " goes out every Friday at 16:00 (UTC). Next: Friday 2026-11-27 16:00.\n" +
		"/goal digest preview shows it now; /goal digest off stops it."
	if got != want {
		t.Errorf("digest here replied\n%s\nwant\n%s", got, want)
	}
	j := mustJob(t, db, goalbot.JobDigest, marketing)
	if j.Spec != "CRON_TZ=UTC 0 16 * * 5" || !j.NextAt.Equal(utc(time.November, 27, 16, 0)) || !j.Enabled {
		t.Errorf("job = %+v", j)
	}

	got = mustRun(t, x, inv, "digest here day:Mon time:9:05 tz:Europe/Warsaw")
	if !strings.HasPrefix(got, "The weekly digest of #"+marketing+" goes out every Monday at 09:05 (Europe/Warsaw). Next: Monday 2026-11-30 09:05.") {
		t.Errorf("digest here with options replied\n%s", got)
	}
	j = mustJob(t, db, goalbot.JobDigest, marketing)
	if j.Spec != "CRON_TZ=Europe/Warsaw 5 9 * * 1" || !j.NextAt.Equal(utc(time.November, 30, 8, 5)) {
		t.Errorf("job after the change = %+v", j)
	}

	if got := mustRun(t, x, inv, "digest off"); got != "The weekly digest of #"+marketing+" is off. /goal digest here turns it back on." {
		t.Errorf("digest off replied %q", got)
	}
	if j := mustJob(t, db, goalbot.JobDigest, marketing); j.Enabled {
		t.Error("the digest is still enabled after digest off")
	}
	r := run(t, x, inv, "digest off")
	if !r.Failed || r.PlainText() != "This channel has no weekly digest to turn off." {
		t.Errorf("a second digest off replied %q (failed %v)", r.PlainText(), r.Failed)
	}

	mustRun(t, x, inv, "digest here")
	if j := mustJob(t, db, goalbot.JobDigest, marketing); !j.Enabled || j.Spec != "CRON_TZ=UTC 0 16 * * 5" {
		t.Errorf("digest here did not turn it back on with the defaults: %+v", j)
	}

	// A channel without a digest, and the workspace's zone as the default.
	x.Zone, _ = time.LoadLocation("Asia/Kolkata")
	mustRun(t, x, inChannel(bob, general, nil), "digest here day:tue")
	if j := mustJob(t, db, goalbot.JobDigest, general); j.Spec != "CRON_TZ=Asia/Kolkata 0 16 * * 2" {
		t.Errorf("general's digest spec %q, want Tuesdays 16:00 in the workspace zone", j.Spec)
	}
}

func TestDigestPreviewSchedulesNothing(t *testing.T) {
	x, db, _ := MustExecutorClock(t)
	before := dump(t, db)
	got := mustRun(t, x, inChannel(alice, marketing, nil), "digest preview")
	if !strings.HasPrefix(got, "Weekly goal digest · 2026-11-26\n") || !strings.HasSuffix(got, "\nA preview, shown only to you.") {
		t.Errorf("preview:\n%s", got)
	}
	if after := dump(t, db); after != before {
		t.Errorf("preview changed the schedule:\n%s", after)
	}
}

// TestDigestAnnouncement: digest here confirms in the channel through
// Announce, before scheduling anything; when the bot may not post there
// (Slack's not_in_channel), the caller is told how to invite it and nothing
// is scheduled.
func TestDigestAnnouncement(t *testing.T) {
	x, db, _ := MustExecutorClock(t)
	type post struct {
		team, channel, text string
	}
	var posts []post
	x.Announce = func(_ context.Context, a commands.Announcement) error {
		if !a.Wait {
			t.Error("digest here must wait for its confirmation: it proves the bot may post there")
		}
		posts = append(posts, post{a.Team, a.Channel, a.Reply.PlainText()})
		return nil
	}
	mustRun(t, x, inChannel(alice, marketing, nil), "digest here")
	want := post{team, marketing, "📅 goalbot will post the weekly goal digest here every Friday at 16:00 (UTC). @" + alice + " set it up."}
	if len(posts) != 1 || posts[0] != want {
		t.Errorf("announcements %+v, want [%+v]", posts, want)
	}

	const invite = "I can't post in this channel yet. Invite me first (type /invite @goalbot here), then run /goal digest here again."
	x.Announce = func(context.Context, commands.Announcement) error {
		return goalbot.Errorf(goalbot.EINVALID, invite)
	}
	before := dump(t, db)
	r := run(t, x, inChannel(alice, general, nil), "digest here")
	if !r.Failed || r.PlainText() != invite {
		t.Errorf("digest here in a channel without the bot replied %q (failed %v), want %q", r.PlainText(), r.Failed, invite)
	}
	if after := dump(t, db); after != before {
		t.Errorf("the refused digest changed the schedule:\nbefore\n%s\nafter\n%s", before, after)
	}
}

func TestRemindCommand(t *testing.T) {
	x, db, _ := MustExecutorClock(t) // Thursday 2026-11-26 09:30 UTC
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	inv := inChannel(alice, general, warsaw)

	got := mustRun(t, x, inv, "remind")
	want := "Check-in reminders: Mondays at 10:00 (Europe/Warsaw), for key results without a check-in for 6 days. Due dates and milestones: every day at 10:00.\n" +
		"Next check-in reminder: Monday 2026-11-30 10:00."
	if got != want {
		t.Errorf("remind replied\n%s\nwant\n%s", got, want)
	}

	got = mustRun(t, x, inv, "remind day:friday time:08:15")
	if !strings.HasPrefix(got, "Check-in reminders: Fridays at 08:15 (Europe/Warsaw)") || !strings.Contains(got, "every day at 08:15") ||
		!strings.Contains(got, "Next check-in reminder: Friday 2026-11-27 08:15.") {
		t.Errorf("remind day: time: replied\n%s", got)
	}
	checkin, deadlines := mustJob(t, db, goalbot.JobCheckIn, alice), mustJob(t, db, goalbot.JobDeadlines, alice)
	if checkin.Spec != "CRON_TZ=Europe/Warsaw 15 8 * * 5" || !checkin.NextAt.Equal(utc(time.November, 27, 7, 15)) {
		t.Errorf("check-in job = %+v", checkin)
	}
	if deadlines.Spec != "CRON_TZ=Europe/Warsaw 15 8 * * *" || !deadlines.NextAt.Equal(utc(time.November, 27, 7, 15)) {
		t.Errorf("due-date job = %+v", deadlines)
	}

	if got := mustRun(t, x, inv, "remind off"); !strings.HasPrefix(got, "Your reminders are off") {
		t.Errorf("remind off replied %q", got)
	}
	for _, kind := range []goalbot.JobKind{goalbot.JobCheckIn, goalbot.JobDeadlines} {
		if mustJob(t, db, kind, alice).Enabled {
			t.Errorf("%s job still enabled after remind off", kind)
		}
	}
	mustRun(t, x, inv, "remind on")
	if got := mustRun(t, x, inv, "remind pause until:2026-12-31"); got != "Your reminders are paused through 2026-12-31. /goal remind on resumes them now." {
		t.Errorf("remind pause replied %q", got)
	}
	for _, kind := range []goalbot.JobKind{goalbot.JobCheckIn, goalbot.JobDeadlines} {
		if j := mustJob(t, db, kind, alice); !j.Enabled || j.PausedUntil.String() != "2026-12-31" {
			t.Errorf("%s job after pause = %+v", kind, j)
		}
	}
	if got := mustRun(t, x, inv, "remind on"); !strings.HasPrefix(got, "Check-in reminders: Fridays at 08:15") {
		t.Errorf("remind on after a pause replied %q", got)
	}
	if j := mustJob(t, db, goalbot.JobCheckIn, alice); !j.Enabled || !j.PausedUntil.IsZero() {
		t.Errorf("check-in job after remind on = %+v", j)
	}
	// Pausing through today is allowed: today is not in the past.
	mustRun(t, x, inv, "remind pause until:today")
}

// TestSchedulingBadInput: every malformed digest or remind command gets a
// one-line reason and the usage, and the schedule is left as it was.
func TestSchedulingBadInput(t *testing.T) {
	x, db, _ := MustExecutorClock(t)
	mustRun(t, x, inChannel(alice, marketing, nil), "digest here")
	mustRun(t, x, inChannel(alice, marketing, nil), "remind day:friday")
	for _, tc := range []struct{ text, reason, usage string }{
		{"digest", "Say here, off or preview.", "digest"},
		{"digest sometimes", `"sometimes" is not here, off or preview.`, "digest"},
		{"digest here there", "Say here, off or preview.", "digest"},
		{"digest here day:funday", `"funday" is not a day of the week. Use a day name, like monday or fri.`, "digest"},
		{"digest here day:mondays", `"mondays" is not a day of the week. Use a day name, like monday or fri.`, "digest"},
		{"digest here time:25:00", `"25:00" is not a time of day. Use 24-hour HH:MM, like 09:30 or 16:00.`, "digest"},
		{"digest here time:12:60", `"12:60" is not a time of day. Use 24-hour HH:MM, like 09:30 or 16:00.`, "digest"},
		{"digest here time:4pm", `"4pm" is not a time of day. Use 24-hour HH:MM, like 09:30 or 16:00.`, "digest"},
		{"digest here tz:Mars/Olympus", `"Mars/Olympus" is not a time zone. Use an IANA zone name, like Europe/Warsaw.`, "digest"},
		{"digest here tz:Local", `"Local" is not a time zone. Use an IANA zone name, like Europe/Warsaw.`, "digest"},
		{"digest here tz:europe/warsaw", `"europe/warsaw" is not a time zone. Use an IANA zone name, like Europe/Warsaw.`, "digest"},
		{"digest here dya:monday", "Unknown option dya:. Options of digest: day: time: tz:", "digest"},
		{"digest off day:monday", "digest off takes no options.", "digest"},
		{"digest preview time:10:00", "digest preview takes no options.", "digest"},
		{"remind maybe", `"maybe" is not on, off, pause or snooze.`, "remind"},
		{"remind snooze day:friday", "snooze takes no day: or time:; it reminds you again tomorrow at your usual time.", "remind"},
		{"remind on off", "Say on, off, pause or snooze, or give day: and time:.", "remind"},
		{"remind day:someday", `"someday" is not a day of the week. Use a day name, like monday or fri.`, "remind"},
		{"remind time:25:00", `"25:00" is not a time of day. Use 24-hour HH:MM, like 09:30 or 16:00.`, "remind"},
		{"remind time:9", `"9" is not a time of day. Use 24-hour HH:MM, like 09:30 or 16:00.`, "remind"},
		{"remind pause", "Say until when, like pause until:2026-12-31.", "remind"},
		{"remind pause until:2026-11-01", "until: 2026-11-01 is in the past.", "remind"},
		{"remind pause until:yesterday", "until: 2026-11-25 is in the past.", "remind"},
		{"remind on until:2026-12-31", "until: goes with pause.", "remind"},
		{"remind off time:09:00", "remind off takes no day: or time:.", "remind"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			mustRefuse(t, x, db, inChannel(alice, marketing, nil), tc.text, withUsage(tc.reason, tc.usage))
		})
	}
	t.Run("digest in a direct message", func(t *testing.T) {
		mustRefuse(t, x, db, inChannel(alice, "D0ALICE01", nil), "digest here",
			withUsage("Run this in the team channel the digest is for, not in a direct message.", "digest"))
	})
}
