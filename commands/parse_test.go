package commands_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/storage"
)

// usages are the usage lines replies show under a reason, by command name,
// from the command table (the README test pins the lines themselves).
var usages = func() map[string]string {
	m := map[string]string{}
	for _, u := range commands.Usages() {
		m[strings.Fields(u)[1]] = u
	}
	return m
}()

// title200 is exactly 200 characters (not bytes) long: 40 × "Grow🚀".
var title200 = strings.Repeat("Grow🚀", 40)

// TestParseNames checks which command Parse makes of each command word,
// including the empty text (help) and case-insensitive names.
func TestParseNames(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"", "help"},
		{"   ", "help"},
		{"help", "help"},
		{"help kr", "help"},
		{"HELP Update", "help"},
		{"new Grow followers", "new"},
		{"New Grow followers", "new"},
		{`"new" Grow followers`, "new"},
		{"kr 1 Followers from:1 to:2", "kr"},
		{"update 1.1 5", "update"},
		{"list", "list"},
		{"list at-risk", "list"},
		{"show 1", "show"},
		{"show #1.1", "show"},
		{"history #1.1", "history"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			cmd, err := commands.Parse(tt.text, testToday)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.text, err)
			}
			if cmd.Name() != tt.want {
				t.Errorf("Parse(%q) is %s, want %s", tt.text, cmd.Name(), tt.want)
			}
		})
	}
}

// TestParseErrorCarriesUsage checks the error value Parse returns: EINVALID,
// a message for the caller, and the usage of the command tried.
func TestParseErrorCarriesUsage(t *testing.T) {
	_, err := commands.Parse("kr 1 Followers from:1000 tagret:2000", testToday)
	var pe *commands.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *ParseError", err, err)
	}
	if goalbot.ErrorCode(err) != goalbot.EINVALID {
		t.Errorf("code %q, want %q", goalbot.ErrorCode(err), goalbot.EINVALID)
	}
	if want := "Unknown option tagret:. Options of kr: due: from: kind: owner: to: unit: weight:"; goalbot.ErrorMessage(err) != want {
		t.Errorf("message %q, want %q", goalbot.ErrorMessage(err), want)
	}
	if pe.Usage != usages["kr"] {
		t.Errorf("usage %q, want %q", pe.Usage, usages["kr"])
	}
}

// objectiveWant is what a parsed new command must store. Empty fields take
// the defaults of alice's objective created in #general today.
type objectiveWant struct {
	title, owner, channel, goalType string
	framework                       goalbot.Framework
	start, due                      string
}

// TestParseNew runs new with every option and title form, and checks the
// objective stored and the title shown back.
func TestParseNew(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		plainNames bool   // shell mode
		channel    string // the invocation's channel; general when ""
		want       objectiveWant
	}{
		{name: "title only", text: "new Grow LinkedIn followers",
			want: objectiveWant{title: "Grow LinkedIn followers"}},
		{name: "quoted title", text: `new "Grow LinkedIn followers"`,
			want: objectiveWant{title: "Grow LinkedIn followers"}},
		{name: "Slack markup in a title reads as typed",
			text: "new Thanks <@U0BOB0001|bob> and <@U0CAROL01> in <#C0MKTG001|marketing> <!here> <!subteam^S0TEAM|@design> <https://example.com/x|example.com/x> <https://example.com/y> &lt;!channel&gt;",
			want: objectiveWant{title: "Thanks @bob and @U0CAROL01 in #marketing @here @design example.com/x https://example.com/y <!channel>"}},
		{name: "lone quote is literal", text: `new Buy 27" monitors due:2027-03-31`,
			want: objectiveWant{title: `Buy 27" monitors`, due: "2027-03-31"}},
		{name: "unclosed curly quote is literal", text: "new “Grow reach",
			want: objectiveWant{title: "“Grow reach"}},
		{name: "spaces collapse", text: "new   Grow \t LinkedIn   followers  ",
			want: objectiveWant{title: "Grow LinkedIn followers"}},
		{name: "upper-case command", text: "NEW Grow",
			want: objectiveWant{title: "Grow"}},
		{name: "due ISO date", text: "new Grow due:2027-03-31",
			want: objectiveWant{title: "Grow", due: "2027-03-31"}},
		{name: "due in days", text: "new Grow due:+30d",
			want: objectiveWant{title: "Grow", due: "2026-12-26"}},
		{name: "due in weeks", text: "new Grow due:+6w",
			want: objectiveWant{title: "Grow", due: "2027-01-07"}},
		{name: "due weekday", text: "new Grow due:friday",
			want: objectiveWant{title: "Grow", due: "2026-11-27"}},
		{name: "due tomorrow", text: "new Grow due:tomorrow",
			want: objectiveWant{title: "Grow", due: "2026-11-27"}},
		{name: "due next year's quarter", text: "new Grow due:2027Q2",
			want: objectiveWant{title: "Grow", due: "2027-06-30"}},
		{name: "start ISO date", text: "new Grow start:2026-12-01 due:2027-03-31",
			want: objectiveWant{title: "Grow", start: "2026-12-01", due: "2027-03-31"}},
		{name: "start in the past", text: "new Grow start:10-01",
			want: objectiveWant{title: "Grow", start: "2026-10-01"}},
		{name: "start today", text: "new Grow start:today due:Q4",
			want: objectiveWant{title: "Grow", start: "2026-11-26", due: "2026-12-31"}},
		{name: "framework smart", text: "new Ship the playbook framework:smart",
			want: objectiveWant{title: "Ship the playbook", framework: goalbot.FrameworkSMART}},
		{name: "framework upper case", text: "new Ship framework:SMART",
			want: objectiveWant{title: "Ship", framework: goalbot.FrameworkSMART}},
		{name: "framework okr", text: "new Ship framework:okr",
			want: objectiveWant{title: "Ship", framework: goalbot.FrameworkOKR}},
		{name: "goal type", text: "new Grow type:brand-awareness",
			want: objectiveWant{title: "Grow", goalType: "brand-awareness"}},
		{name: "goal type upper case", text: "new Grow type:Leads",
			want: objectiveWant{title: "Grow", goalType: "leads"}},
		{name: "owner mention with name", text: "new Grow owner:<@U0BOB0001|bob>",
			want: objectiveWant{title: "Grow", owner: bob}},
		{name: "owner mention without name", text: "new Grow owner:<@U0BOB0001>",
			want: objectiveWant{title: "Grow", owner: bob}},
		{name: "channel link with name", text: "new Grow channel:<#C0MKTG001|marketing>",
			want: objectiveWant{title: "Grow", channel: marketing}},
		{name: "channel link without name", text: "new Grow channel:<#C0MKTG001>",
			want: objectiveWant{title: "Grow", channel: marketing}},
		{name: "created in a DM has no channel", text: "new Personal goal", channel: "D0ALICE01",
			want: objectiveWant{title: "Personal goal", channel: "-"}},
		{name: "plain names in the shell", text: "new Grow owner:@bob channel:#marketing", plainNames: true,
			want: objectiveWant{title: "Grow", owner: "bob", channel: "marketing"}},
		{name: "every option anywhere",
			text: "new due:2027-03-31 Grow framework:smart brand type:brand-awareness owner:<@U0BOB0001|bob> awareness channel:<#C0MKTG001|marketing> start:2026-12-01",
			want: objectiveWant{title: "Grow brand awareness", owner: bob, channel: marketing, goalType: "brand-awareness",
				framework: goalbot.FrameworkSMART, start: "2026-12-01", due: "2027-03-31"}},
		{name: "capitalised options", text: "new Grow Due:2027-03-31 OWNER:<@U0BOB0001|bob>",
			want: objectiveWant{title: "Grow", owner: bob, due: "2027-03-31"}},
		{name: "entity ampersand", text: "new Grow &amp; reach",
			want: objectiveWant{title: "Grow & reach"}},
		{name: "entity brackets", text: "new &lt;!channel&gt; party &lt;@U0BOB0001&gt;",
			want: objectiveWant{title: "<!channel> party <@U0BOB0001>"}},
		{name: "entity encoded entity", text: "new Tom &amp;amp; Jerry",
			want: objectiveWant{title: "Tom &amp; Jerry"}},
		{name: "quoted option is title", text: `new "note: this is not an option" due:2027-03-31`,
			want: objectiveWant{title: "note: this is not an option", due: "2027-03-31"}},
		{name: "curly quoted option is title", text: "new “deadline: soon” ok",
			want: objectiveWant{title: "deadline: soon ok"}},
		{name: "quoted due is title", text: `new Launch "due:Q1"`,
			want: objectiveWant{title: "Launch due:Q1"}},
		{name: "URL is not an option", text: "new Read https://example.com/okrs?q=1 daily",
			want: objectiveWant{title: "Read https://example.com/okrs?q=1 daily"}},
		{name: "time of day is not an option", text: "new Standup at 10:30",
			want: objectiveWant{title: "Standup at 10:30"}},
		{name: "emoji", text: "new 🚀 Launch the 🦄 campaign 🎉 👩‍💻",
			want: objectiveWant{title: "🚀 Launch the 🦄 campaign 🎉 👩‍💻"}},
		{name: "SQL-looking text", text: "new '; DROP TABLE objectives; --",
			want: objectiveWant{title: "'; DROP TABLE objectives; --"}},
		{name: "200 characters", text: "new " + title200,
			want: objectiveWant{title: title200}},
		{name: "200 characters counted after decoding", text: "new " + strings.Repeat("&amp;", 200),
			want: objectiveWant{title: strings.Repeat("&", 200)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, db := MustExecutor(t)
			x.PlainNames = tt.plainNames
			inv := as(alice)
			if tt.channel != "" {
				inv.ChannelID = tt.channel
			}
			got := firstLine(mustRun(t, x, inv, tt.text))
			if want := "Created objective 1: " + tt.want.title; got != want {
				t.Errorf("replied %q, want %q", got, want)
			}
			o, err := db.FindObjective(context.Background(), team, 1)
			if err != nil {
				t.Fatal(err)
			}
			w := tt.want
			w.owner = or(w.owner, alice)
			w.channel = or(w.channel, general)
			if w.channel == "-" {
				w.channel = ""
			}
			w.framework = goalbot.Framework(or(string(w.framework), string(goalbot.FrameworkOKR)))
			w.start = or(w.start, "2026-11-26")
			w.due = or(w.due, "2026-12-31")
			stored := objectiveWant{title: o.Title, owner: o.OwnerID, channel: o.ChannelID, goalType: o.GoalType,
				framework: o.Framework, start: o.Start.String(), due: o.Due.String()}
			if stored != w {
				t.Errorf("stored %+v\nwant   %+v", stored, w)
			}
			if o.CreatedBy != alice || o.State != goalbot.StateActive {
				t.Errorf("created by %s, state %s; want %s, active", o.CreatedBy, o.State, alice)
			}
			// The title is shown back exactly as stored.
			if got, want := firstLine(mustRun(t, x, inv, "show 1")), "Objective 1: "+tt.want.title; got != want {
				t.Errorf("show 1 heading %q, want %q", got, want)
			}
		})
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// krWant is what a parsed kr command must store.
type krWant struct {
	title         string
	start, target float64
	unit          string
	weight        float64
	owner, due    string
	decreasing    bool // lower is better
}

// TestParseKR runs kr with every option and number form, on objective 1
// (2026-11-26 to 2027-03-31), and checks the key result stored.
func TestParseKR(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		plainNames bool
		want       krWant // weight 1 and owner alice when zero
	}{
		{name: "plain numbers", text: "kr 1 Followers from:1200 to:2000",
			want: krWant{title: "Followers", start: 1200, target: 2000}},
		{name: "thousands separators", text: "kr 1 Followers from:1,200 to:12,345.5",
			want: krWant{title: "Followers", start: 1200, target: 12345.5}},
		{name: "multipliers", text: "kr 1 Impressions from:1.2k to:2.5M",
			want: krWant{title: "Impressions", start: 1200, target: 2500000}},
		{name: "decimal comma", text: "kr 1 NPS from:0,9 to:1,50",
			want: krWant{title: "NPS", start: 0.9, target: 1.5}},
		{name: "percentages", text: "kr 1 Engagement rate from:4.5% to:45%",
			want: krWant{title: "Engagement rate", start: 4.5, target: 45, unit: "%"}},
		{name: "percent on one side", text: "kr 1 Share of voice from:10 to:45%",
			want: krWant{title: "Share of voice", start: 10, target: 45, unit: "%"}},
		{name: "currency", text: "kr 1 Revenue from:$1,200 to:$2.5k",
			want: krWant{title: "Revenue", start: 1200, target: 2500, unit: "$"}},
		{name: "lower is better", text: "kr 1 Cost per click from:$1.40 to:$0.90",
			want: krWant{title: "Cost per click", start: 1.40, target: 0.90, unit: "$", decreasing: true}},
		{name: "negative start", text: "kr 1 Net sentiment from:-5 to:+5",
			want: krWant{title: "Net sentiment", start: -5, target: 5}},
		{name: "unit option", text: "kr 1 Followers from:1200 to:2000 unit:followers",
			want: krWant{title: "Followers", start: 1200, target: 2000, unit: "followers"}},
		{name: "unit option agreeing with numbers", text: "kr 1 Budget from:$5 to:$10 unit:$",
			want: krWant{title: "Budget", start: 5, target: 10, unit: "$"}},
		{name: "due ISO date", text: "kr 1 Followers from:1 to:2 due:2027-01-15",
			want: krWant{title: "Followers", start: 1, target: 2, due: "2027-01-15"}},
		{name: "due month-day", text: "kr 1 Followers from:1 to:2 due:12-31",
			want: krWant{title: "Followers", start: 1, target: 2, due: "2026-12-31"}},
		{name: "due quarter", text: "kr 1 Followers from:1 to:2 due:Q4",
			want: krWant{title: "Followers", start: 1, target: 2, due: "2026-12-31"}},
		{name: "due year and quarter", text: "kr 1 Followers from:1 to:2 due:2026Q4",
			want: krWant{title: "Followers", start: 1, target: 2, due: "2026-12-31"}},
		{name: "due today", text: "kr 1 Followers from:1 to:2 due:today",
			want: krWant{title: "Followers", start: 1, target: 2, due: "2026-11-26"}},
		{name: "due in days", text: "kr 1 Followers from:1 to:2 due:+30d",
			want: krWant{title: "Followers", start: 1, target: 2, due: "2026-12-26"}},
		{name: "owner mention with name", text: "kr 1 Followers from:1 to:2 owner:<@U0BOB0001|bob>",
			want: krWant{title: "Followers", start: 1, target: 2, owner: bob}},
		{name: "owner mention without name", text: "kr 1 Followers from:1 to:2 owner:<@U0BOB0001>",
			want: krWant{title: "Followers", start: 1, target: 2, owner: bob}},
		{name: "plain owner in the shell", text: "kr 1 Followers from:1 to:2 owner:@bob", plainNames: true,
			want: krWant{title: "Followers", start: 1, target: 2, owner: "bob"}},
		{name: "weight", text: "kr 1 Followers from:1 to:2 weight:3",
			want: krWant{title: "Followers", start: 1, target: 2, weight: 3}},
		{name: "fractional weight", text: "kr 1 Followers from:1 to:2 weight:0,5",
			want: krWant{title: "Followers", start: 1, target: 2, weight: 0.5}},
		{name: "largest weight", text: "kr 1 Followers from:1 to:2 weight:100",
			want: krWant{title: "Followers", start: 1, target: 2, weight: 100}},
		{name: "objective with a hash", text: "kr #1 Followers from:1 to:2",
			want: krWant{title: "Followers", start: 1, target: 2}},
		{name: "every option, options first",
			text: "kr 1 to:$0.90 weight:2 due:Q4 owner:<@U0BOB0001|bob> unit:$ from:$1.40 Cost per click",
			want: krWant{title: "Cost per click", start: 1.40, target: 0.90, unit: "$", weight: 2, owner: bob, due: "2026-12-31", decreasing: true}},
		{name: "entities and quotes in the title", text: `kr 1 Reach &amp; "from: the top" to:2 from:1`,
			want: krWant{title: "Reach & from: the top", start: 1, target: 2}},
		{name: "emoji title", text: "kr 1 🚀 launches from:0 to:3",
			want: krWant{title: "🚀 launches", start: 0, target: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, db := MustExecutor(t)
			x.PlainNames = tt.plainNames
			mustRun(t, x, as(alice), "new Grow due:2027-03-31")
			reply := mustRun(t, x, as(alice), tt.text)
			if want := "Added key result 1.1 to objective 1: " + tt.want.title; firstLine(reply) != want {
				t.Errorf("replied %q, want %q", firstLine(reply), want)
			}
			direction := "(higher is better)"
			if tt.want.decreasing {
				direction = "(lower is better)"
			}
			if !strings.Contains(reply, direction) {
				t.Errorf("reply does not say %s:\n%s", direction, reply)
			}
			kr := mustFindKeyResult(t, db, team, 1, 1)
			w := tt.want
			if w.weight == 0 {
				w.weight = 1
			}
			w.owner = or(w.owner, alice)
			stored := krWant{title: kr.Title, start: kr.Start, target: kr.Target, unit: kr.Unit, weight: kr.Weight,
				owner: kr.OwnerID, due: kr.Due.String(), decreasing: kr.Decreasing()}
			if stored != w {
				t.Errorf("stored %+v\nwant   %+v", stored, w)
			}
			if kr.CreatedBy != alice || kr.CheckIns != 0 || kr.Current != kr.Start {
				t.Errorf("created by %s with %d check-ins, current %v", kr.CreatedBy, kr.CheckIns, kr.Current)
			}
		})
	}
}

// checkInWant is what a parsed update command must store.
type checkInWant struct {
	value      float64
	confidence int
	note       string
	asOf       string
}

// TestParseUpdate runs update with every option and value form and checks
// the check-in stored. Objective 1 has key results 1.1 followers
// (1000 -> 2000), 1.2 cost per click ($1.40 -> $0.90) and 1.3 engagement
// rate (2% -> 5%).
func TestParseUpdate(t *testing.T) {
	tests := []struct {
		name string
		text string
		kr   int         // the key result of objective 1 checked in on
		want checkInWant // confidence -1 and as-of today when zero
	}{
		{name: "plain", text: "update 1.1 1500", kr: 1, want: checkInWant{value: 1500}},
		{name: "thousands separator", text: "update 1.1 1,500", kr: 1, want: checkInWant{value: 1500}},
		{name: "multiplier k", text: "update 1.1 1.2k", kr: 1, want: checkInWant{value: 1200}},
		{name: "multiplier M", text: "update 1.1 2.5M", kr: 1, want: checkInWant{value: 2500000}},
		{name: "decimal comma", text: "update 1.1 1500,5", kr: 1, want: checkInWant{value: 1500.5}},
		{name: "percentage", text: "update 1.3 4,5%", kr: 3, want: checkInWant{value: 4.5}},
		{name: "currency", text: "update 1.2 $1.15", kr: 2, want: checkInWant{value: 1.15}},
		{name: "plain number on a currency", text: "update 1.2 0,9", kr: 2, want: checkInWant{value: 0.9}},
		{name: "currency thousands", text: "update 1.2 $1,200", kr: 2, want: checkInWant{value: 1200}},
		{name: "key result with a hash", text: "update #1.1 1500", kr: 1, want: checkInWant{value: 1500}},
		{name: "confidence high", text: "update 1.1 1500 confidence:high", kr: 1, want: checkInWant{value: 1500, confidence: 8}},
		{name: "confidence medium", text: "update 1.1 1500 confidence:medium", kr: 1, want: checkInWant{value: 1500, confidence: 5}},
		{name: "confidence low", text: "update 1.1 1500 confidence:low", kr: 1, want: checkInWant{value: 1500, confidence: 2}},
		{name: "confidence upper case", text: "update 1.1 1500 confidence:HIGH", kr: 1, want: checkInWant{value: 1500, confidence: 8}},
		{name: "confidence 7", text: "update 1.1 1500 confidence:7", kr: 1, want: checkInWant{value: 1500, confidence: 7}},
		{name: "confidence 10", text: "update 1.1 1500 confidence:10", kr: 1, want: checkInWant{value: 1500, confidence: 10}},
		{name: "as-of ISO date", text: "update 1.1 1500 as-of:2026-11-20", kr: 1, want: checkInWant{value: 1500, asOf: "2026-11-20"}},
		{name: "as-of month-day", text: "update 1.1 1500 as-of:11-20", kr: 1, want: checkInWant{value: 1500, asOf: "2026-11-20"}},
		{name: "as-of yesterday", text: "update 1.1 1500 as-of:yesterday", kr: 1, want: checkInWant{value: 1500, asOf: "2026-11-25"}},
		{name: "as-of days ago", text: "update 1.1 1500 as-of:-3d", kr: 1, want: checkInWant{value: 1500, asOf: "2026-11-23"}},
		{name: "as-of today", text: "update 1.1 1500 as-of:today", kr: 1, want: checkInWant{value: 1500, asOf: "2026-11-26"}},
		{name: "as-of quarter means the last one", text: "update 1.1 1500 as-of:Q3", kr: 1, want: checkInWant{value: 1500, asOf: "2026-09-30"}},
		{name: "as-of Q4 is last year's", text: "update 1.1 1500 as-of:Q4", kr: 1, want: checkInWant{value: 1500, asOf: "2025-12-31"}},
		{name: "as-of weekday means the last one", text: "update 1.1 1500 as-of:monday", kr: 1, want: checkInWant{value: 1500, asOf: "2026-11-23"}},
		{name: "as-of today's weekday is today", text: "update 1.1 1500 as-of:thursday", kr: 1, want: checkInWant{value: 1500, asOf: "2026-11-26"}},
		{name: "note", text: "update 1.1 1500 Paid campaign paused for two days", kr: 1,
			want: checkInWant{value: 1500, note: "Paid campaign paused for two days"}},
		{name: "note around options", text: `update 1.1 1500 Paid &amp; organic confidence:low "status: blocked" as-of:2026-11-25 &lt;!here&gt;`, kr: 1,
			want: checkInWant{value: 1500, confidence: 2, asOf: "2026-11-25", note: "Paid & organic status: blocked <!here>"}},
		{name: "note with URL", text: "update 1.1 1500 see https://example.com/report", kr: 1,
			want: checkInWant{value: 1500, note: "see https://example.com/report"}},
		{name: "note with emoji and SQL", text: "update 1.1 1500 🎉 '); DELETE FROM check_ins; --", kr: 1,
			want: checkInWant{value: 1500, note: "🎉 '); DELETE FROM check_ins; --"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, db := MustExecutor(t)
			mustRun(t, x, as(alice), "new Grow")
			mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000")
			mustRun(t, x, as(alice), "kr 1 Cost per click from:$1.40 to:$0.90")
			mustRun(t, x, as(alice), "kr 1 Engagement rate from:2% to:5%")
			reply := mustRun(t, x, as(alice), tt.text)
			ref := fmt.Sprintf("1.%d", tt.kr)
			if want := "Checked in " + ref + " "; !strings.HasPrefix(reply, want) {
				t.Errorf("replied\n%s\nwant it to start with %q", reply, want)
			}
			list, err := db.ListCheckIns(context.Background(), team, goalbot.KRRef{Objective: 1, Number: tt.kr}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 {
				t.Fatalf("%d check-ins stored, want 1", len(list))
			}
			w := tt.want
			if w.confidence == 0 {
				w.confidence = -1
			}
			w.asOf = or(w.asOf, "2026-11-26")
			c := list[0]
			stored := checkInWant{value: c.Value, confidence: c.Confidence, note: c.Note, asOf: c.AsOf.String()}
			if stored != w {
				t.Errorf("stored %+v\nwant   %+v", stored, w)
			}
			if c.UserID != alice {
				t.Errorf("checked in by %s, want %s", c.UserID, alice)
			}
			if w.note != "" {
				if h := mustRun(t, x, as(alice), "history "+ref); !strings.HasSuffix(h, " · "+w.note) {
					t.Errorf("history does not show the note %q:\n%s", w.note, h)
				}
			}
		})
	}
}

// TestParseReadCommands checks show, history and list arguments, including
// #N and #N.M references and the mention forms Slack sends.
func TestParseReadCommands(t *testing.T) {
	x, _ := MustExecutor(t)
	mustRun(t, x, as(alice), "new Grow followers channel:<#C0MKTG001|marketing> owner:<@U0BOB0001|bob>")
	mustRun(t, x, as(admin), "kr 1 Followers from:1000 to:2000")
	mustRun(t, x, as(admin), "update 1.1 1500")
	tests := []struct {
		text, heading string
	}{
		{"show 1", "Objective 1: Grow followers"},
		{"show #1", "Objective 1: Grow followers"},
		{"show 1.1", "Key result 1.1: Followers"},
		{"show #1.1", "Key result 1.1: Followers"},
		{"history 1.1", "History of 1.1: Followers"},
		{"history #1.1", "History of 1.1: Followers"},
		{"list", "Your objectives and this channel's"},
		{"list mine", "Your objectives"},
		{"list all", "All objectives"},
		{"list at-risk", "Objectives at risk or off track"},
		{"list <@U0BOB0001|bob>", "Objectives of @U0BOB0001"},
		{"list <@U0BOB0001>", "Objectives of @U0BOB0001"},
		{"list <#C0MKTG001|marketing>", "Objectives of #C0MKTG001"},
		{"list <#C0MKTG001>", "Objectives of #C0MKTG001"},
		{"help", "goalbot: objectives, key results and check-ins"},
		{"help kr", "/goal kr"},
		{"help HISTORY", "/goal history"},
		{"", "goalbot: objectives, key results and check-ins"},
	}
	for _, tt := range tests {
		t.Run(or(tt.text, "empty"), func(t *testing.T) {
			if got := firstLine(mustRun(t, x, as(carol), tt.text)); got != tt.heading {
				t.Errorf("heading %q, want %q", got, tt.heading)
			}
		})
	}
	t.Run("show owner and channel", func(t *testing.T) {
		got := mustRun(t, x, as(carol), "show #1")
		if want := "owner @U0BOB0001 · #C0MKTG001\n"; !strings.Contains(got, want) {
			t.Errorf("show replied\n%s\nwant it to contain %q", got, want)
		}
	})
	t.Run("plain names in the shell", func(t *testing.T) {
		shell := *x
		shell.PlainNames = true
		r := run(t, &shell, as(carol), "list @U0BOB0001")
		if got := listed(r); len(got) != 1 || got[0] != "1" {
			t.Errorf("list @U0BOB0001 in the shell listed %v:\n%s", got, r.PlainText())
		}
		r = run(t, &shell, as(carol), "list #C0MKTG001")
		if got := listed(r); len(got) != 1 || got[0] != "1" {
			t.Errorf("list #C0MKTG001 in the shell listed %v:\n%s", got, r.PlainText())
		}
	})
}

// TestMalformed runs bad input and checks the exact one-line reason, the
// usage line when the input was invalid, and that nothing was written.
// Objective 1 is alice's, due 2026-12-31; key result 1.1 (followers,
// 1000 -> 2000) is bob's and 1.2 (cost per click, $1.40 -> $0.90) alice's.
func TestMalformed(t *testing.T) {
	x, db := MustExecutor(t)
	mustRun(t, x, as(alice), "new Grow followers")
	mustRun(t, x, as(alice), "kr 1 Followers from:1000 to:2000 owner:<@U0BOB0001|bob>")
	mustRun(t, x, as(alice), "kr 1 Cost per click from:$1.40 to:$0.90")
	mustRun(t, x, as(alice), "update 1.2 $1.30")

	tests := []struct {
		name   string
		text   string
		reason string
		usage  string // the command whose usage is shown, "" for none
		user   string // alice when ""
		team   string // team when ""
	}{
		{name: "unknown command", text: "frobnicate 1",
			reason: `Unknown command "frobnicate". Try /goal help.`},
		{name: "unknown option names the key", text: "kr 1 Followers from:1000 tagret:2000",
			reason: "Unknown option tagret:. Options of kr: due: from: kind: owner: to: unit: weight:", usage: "kr"},
		{name: "capitalised unknown option", text: "new Tagret:2000 reach",
			reason: "Unknown option tagret:. Options of new: aim: channel: due: framework: owner: start: type:", usage: "new"},
		{name: "option of another command", text: "new Grow weight:2",
			reason: "Option weight: does not apply to new (it is for kr, edit).", usage: "new"},
		{name: "option of two other commands", text: "list due:Q4",
			reason: "Option due: does not apply to list (it is for new, kr, edit).", usage: "list"},
		{name: "unknown option on a command without options", text: "show 1 verbose:yes",
			reason: "Unknown option verbose:. show takes no options.", usage: "show"},
		{name: "duplicate option", text: "new Grow due:Q4 due:2027Q1",
			reason: "Option due: is given twice.", usage: "new"},
		{name: "missing objective title", text: "new due:2027-03-31",
			reason: "Give the objective a title.", usage: "new"},
		{name: "missing key result title", text: "kr 1 from:1 to:2",
			reason: "Give the key result a title.", usage: "kr"},
		{name: "5000-character title", text: "new " + strings.Repeat("x", 5000),
			reason: "The title is 5000 characters long; the limit is 200.", usage: "new"},
		{name: "201-character title", text: "new " + title200 + "!",
			reason: "The title is 201 characters long; the limit is 200.", usage: "new"},
		{name: "control character in title", text: "new Grow\x07reach",
			reason: "The text contains a control character (U+0007).", usage: "new"},
		{name: "control character in note", text: "update 1.2 $1.15 bad\x1bnote",
			reason: "The text contains a control character (U+001B).", usage: "update"},
		{name: "note too long", text: "update 1.2 $1.15 " + strings.Repeat("n", 1001),
			reason: "The note is 1001 characters long; the limit is 1000.", usage: "update"},
		{name: "bad number", text: "kr 1 Followers from:lots to:2000",
			reason: `from: "lots" is not a number. Try 1200, 1,200, 1.5, 1.2k, 45% or $1,200.`, usage: "kr"},
		{name: "number with exponent", text: "kr 1 Followers from:1 to:1e5",
			reason: `to: "1e5" uses an exponent. Write the number out, as in 100000 or 100k.`, usage: "kr"},
		{name: "misplaced commas", text: "kr 1 Followers from:1,234,56 to:2000",
			reason: `from: "1,234,56" has misplaced commas. Use commas between groups of three digits, as in 1,234,567, and a dot for decimals, as in 1,234.56.`, usage: "kr"},
		{name: "bad value", text: "update 1.2 cheap",
			reason: `"cheap" is not a number. Try 1200, 1,200, 1.5, 1.2k, 45% or $1,200.`, usage: "update"},
		{name: "bad date", text: "new Grow due:someday",
			reason: `due: "someday" is not a date. Try 2026-12-31, 12-31, Q4, +30d, friday or tomorrow.`, usage: "new"},
		{name: "day that does not exist", text: "new Grow due:2027-02-30",
			reason: `due: "2027-02-30" is not a real day: February 2027 has 28 days.`, usage: "new"},
		{name: "months are not days", text: "kr 1 Followers from:1 to:2 due:+2m",
			reason: `due: "+2m" is not a date. Months and years vary in length, so count days or weeks, as in +60d or +8w, or give a date like 2026-12-31.`, usage: "kr"},
		{name: "from equal to to", text: "kr 1 Followers from:1,000 to:1000",
			reason: "from and to are both 1,000: there is nothing to measure.", usage: "kr"},
		{name: "missing from", text: "kr 1 Followers to:2000",
			reason: "Give the start value with from:N, or from:pending to let the first check-in set it.", usage: "kr"},
		{name: "missing to", text: "kr 1 Followers from:1000",
			reason: "Give the target value with to:N.", usage: "kr"},
		{name: "units differ", text: "kr 1 Budget from:$5 to:50%",
			reason: "from is in $ but to is in %.", usage: "kr"},
		{name: "units differ, same number", text: "kr 1 Budget from:$5 to:5%",
			reason: "from is in $ but to is in %.", usage: "kr"},
		{name: "weight below 0.01", text: "kr 1 Reach from:1 to:2 weight:0.001",
			reason: "weight: must be a number from 0.01 to 100.", usage: "kr"},
		{name: "unit option contradicts numbers", text: "kr 1 Budget from:$5 to:$10 unit:EUR",
			reason: "The numbers are in $ but unit: says EUR.", usage: "kr"},
		{name: "unit too long", text: "kr 1 Reach from:1 to:2 unit:" + strings.Repeat("u", 31),
			reason: "A unit is at most 30 characters.", usage: "kr"},
		{name: "weight 0", text: "kr 1 Reach from:1 to:2 weight:0",
			reason: "weight: must be a number from 0.01 to 100.", usage: "kr"},
		{name: "weight -1", text: "kr 1 Reach from:1 to:2 weight:-1",
			reason: "weight: must be a number from 0.01 to 100.", usage: "kr"},
		{name: "weight 1000", text: "kr 1 Reach from:1 to:2 weight:1000",
			reason: "weight: must be a number from 0.01 to 100.", usage: "kr"},
		{name: "weight in percent", text: "kr 1 Reach from:1 to:2 weight:50%",
			reason: "weight: must be a number from 0.01 to 100.", usage: "kr"},
		{name: "bad framework", text: "new Grow framework:agile",
			reason: `Unknown framework "agile": use okr or smart.`, usage: "new"},
		{name: "bad goal type quoted as typed", text: "new Grow type:Growth",
			reason: `Unknown goal type "Growth": use one of brand-awareness, reputation, community-engagement, conversions, customer-insight, leads, customer-service, recruiting, crisis-management, internal-communication.`, usage: "new"},
		{name: "bad goal type", text: "new Grow type:growth",
			reason: `Unknown goal type "growth": use one of brand-awareness, reputation, community-engagement, conversions, customer-insight, leads, customer-service, recruiting, crisis-management, internal-communication.`, usage: "new"},
		{name: "confidence 11", text: "update 1.2 $1.15 confidence:11",
			reason: `confidence: "11" must be high, medium, low or 0-10.`, usage: "update"},
		{name: "confidence sure", text: "update 1.2 $1.15 confidence:sure",
			reason: `confidence: "sure" must be high, medium, low or 0-10.`, usage: "update"},
		{name: "confidence -1", text: "update 1.2 $1.15 confidence:-1",
			reason: `confidence: "-1" must be high, medium, low or 0-10.`, usage: "update"},
		{name: "as-of in the future", text: "update 1.2 $1.15 as-of:tomorrow",
			reason: "as-of: 2026-11-27 is in the future.", usage: "update"},
		{name: "as-of next quarter end", text: "update 1.2 $1.15 as-of:2026-Q4",
			reason: "as-of: 2026-12-31 is in the future.", usage: "update"},
		{name: "update without value", text: "update 1.2",
			reason: "Give the new value of 1.2.", usage: "update"},
		{name: "update without key result", text: "update",
			reason: "Say which key result, like 3.1.", usage: "update"},
		{name: "unit mismatch", text: "update 1.2 45%",
			reason: "1.2 is measured in $, not %.", usage: "update"},
		{name: "currency on a plain key result", user: bob, text: "update 1.1 $1,500",
			reason: "1.1 is measured in plain numbers, not $.", usage: "update"},
		{name: "key result ref 1.x", text: "update 1.x 5",
			reason: `"1.x" is not a key result (like 3.1).`, usage: "update"},
		{name: "key result ref 0.1", text: "update 0.1 5",
			reason: `"0.1" is not a key result (like 3.1).`, usage: "update"},
		{name: "key result ref 1.-1", text: "history 1.-1",
			reason: `"1.-1" is not an objective (3) or key result (3.1).`, usage: "history"},
		{name: "objective ref x", text: "kr x Followers from:1 to:2",
			reason: `"x" is not an objective number (like 3).`, usage: "kr"},
		{name: "objective ref 0", text: "kr 0 Followers from:1 to:2",
			reason: `"0" is not an objective number (like 3).`, usage: "kr"},
		{name: "kr without objective", text: "kr",
			reason: "Say which objective, by its number (like 3).", usage: "kr"},
		{name: "unknown objective 99", text: "kr 99 Followers from:1 to:2",
			reason: "Objective 99 not found."},
		{name: "unknown objective shown", text: "show 99",
			reason: "Objective 99 not found."},
		{name: "unknown key result 1.9", text: "update 1.9 5",
			reason: "Key result 1.9 not found."},
		{name: "unknown key result shown", text: "show 1.9",
			reason: "Key result 1.9 not found."},
		{name: "unknown key result history", text: "history 1.9",
			reason: "Key result 1.9 not found."},
		{name: "key result of unknown objective", text: "update 99.1 5",
			reason: "Objective 99 not found."},
		{name: "due date in the past", text: "new Grow start:2026-01-01 due:2026-06-30",
			reason: "The due date 2026-06-30 is in the past.", usage: "new"},
		{name: "due before start", text: "new Grow start:2027-03-01 due:2027-01-31",
			reason: "The due date 2027-01-31 must be after the start 2027-03-01.", usage: "new"},
		{name: "due today", text: "new Grow due:today",
			reason: "The due date 2026-11-26 must be after the start 2026-11-26.", usage: "new"},
		{name: "key result due after objective", text: "kr 1 Reach from:1 to:2 due:2027-06-30",
			reason: "due: 2027-06-30 is outside objective 1's period 2026-11-26 to 2026-12-31.", usage: "kr"},
		{name: "list nonsense", text: "list nonsense",
			reason: `"nonsense" is not a scope: use mine, @user, #chan, all or at-risk.`, usage: "list"},
		{name: "list two scopes", text: "list mine all",
			reason: "list takes one scope: mine, @user, #chan, all or at-risk.", usage: "list"},
		{name: "show without argument", text: "show",
			reason: "Say which objective or key result to show, like 3 or 3.1.", usage: "show"},
		{name: "show bad argument", text: "show abc",
			reason: `"abc" is not an objective (3) or key result (3.1).`, usage: "show"},
		{name: "show two arguments", text: "show 1 2",
			reason: "Say which objective or key result to show, like 3 or 3.1.", usage: "show"},
		{name: "history without argument", text: "history",
			reason: "Say which objective or key result, like 3 or 3.1.", usage: "history"},
		{name: "help for an unknown command", text: "help frobnicate",
			reason: `There is no command "frobnicate". Try /goal help.`, usage: "help"},
		{name: "help for two commands", text: "help new kr",
			reason: "help takes at most one command name.", usage: "help"},
		{name: "invalid UTF-8", text: "new Grow \xff\xfe reach",
			reason: "The command text is not valid UTF-8.", usage: "new"},
		{name: "invalid UTF-8 command", text: "\xffnew",
			reason: "The command text is not valid UTF-8."},
		{name: "plain owner in Slack", text: "new Grow owner:@alice",
			reason: "Slack did not recognise @alice as a user. Pick the person from Slack's @ suggestions.", usage: "new"},
		{name: "plain key result owner in Slack", text: "kr 1 Reach from:1 to:2 owner:@bob",
			reason: "Slack did not recognise @bob as a user. Pick the person from Slack's @ suggestions.", usage: "kr"},
		{name: "plain channel in Slack", text: "new Grow channel:#marketing",
			reason: "Slack did not recognise #marketing as a channel. Pick it from Slack's # suggestions.", usage: "new"},
		{name: "plain list user in Slack", text: "list @bob",
			reason: "Slack did not recognise @bob as a user. Pick the person from Slack's @ suggestions.", usage: "list"},
		{name: "owner without mention", text: "new Grow owner:bob",
			reason: `owner: "bob" is not a user. Mention someone with @, like owner:@alice.`, usage: "new"},
		{name: "owner typed as an escaped mention", text: "new Grow owner:&lt;@U0BOB0001&gt;",
			reason: `owner: "<@U0BOB0001>" is not a user. Mention someone with @, like owner:@alice.`, usage: "new"},
		{name: "channel without link", text: "new Grow channel:marketing",
			reason: `channel: "marketing" is not a channel. Link one with #, like channel:#marketing.`, usage: "new"},
		{name: "stranger adds a key result", user: carol, text: "kr 1 Reach from:1 to:2",
			reason: "Only the owner of objective 1 or an admin may add key results to it. Ask @U0ALICE01."},
		{name: "stranger checks in", user: carol, text: "update 1.1 1500",
			reason: "Only the owner of key result 1.1, the owner of objective 1 or an admin may check in on it. Ask @U0BOB0001."},
		{name: "another workspace", team: "T2", text: "update 1.1 1500",
			reason: "Objective 1 not found."},
	}
	if len(tests) < 30 {
		t.Fatalf("only %d malformed inputs", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := as(or(tt.user, alice))
			inv.TeamID = or(tt.team, team)
			before := countRows(t, db)
			r, err := x.Run(context.Background(), inv, tt.text)
			if err != nil {
				t.Fatalf("internal error %v", err)
			}
			if !r.Failed {
				t.Errorf("reply not marked failed")
			}
			got := r.PlainText()
			if reason := firstLine(got); reason != tt.reason {
				t.Errorf("reason\n%q\nwant\n%q", reason, tt.reason)
			}
			wantLines := []string{tt.reason}
			if tt.usage != "" {
				wantLines = append(wantLines, "Usage: "+usages[tt.usage])
			}
			if got != strings.Join(wantLines, "\n") {
				t.Errorf("reply\n%s\nwant\n%s", got, strings.Join(wantLines, "\n"))
			}
			if after := countRows(t, db); after != before {
				t.Errorf("rows changed from %+v to %+v", before, after)
			}
		})
	}
}

// TestMalformedParse checks the purely syntactic failures through Parse
// itself: no store is needed to refuse them.
func TestMalformedParse(t *testing.T) {
	for _, text := range []string{
		"frobnicate", "new", `new "open due:soon`, "new a b:c", "kr 1 x from:1 to:1", "update 1.1", "update 1.1 5 as-of:+1d",
		"list x y", "show", "history", "help nope", "new \xff",
	} {
		t.Run(text, func(t *testing.T) {
			cmd, err := commands.Parse(text, testToday)
			if err == nil {
				t.Fatalf("Parse(%q) = %s, want an error", text, cmd.Name())
			}
			if goalbot.ErrorCode(err) != goalbot.EINVALID || goalbot.ErrorMessage(err) == "" {
				t.Errorf("Parse(%q): code %q, message %q", text, goalbot.ErrorCode(err), goalbot.ErrorMessage(err))
			}
		})
	}
}

// FuzzParseCommand checks that Parse never panics and fails only with an EINVALID
// message for the caller.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{
		"new Grow &amp; reach due:Q4 owner:<@U0BOB0001|bob> channel:<#C0MKTG001|marketing>",
		`kr #1 "from: x" from:$1,200 to:2.5M weight:0,9 unit:$`,
		"update 1.1 45% confidence:high as-of:-3d note “quoted”",
		"list <@U1>", "show #3.1", "history 3.1", "help kr", `new "`, "\xff",
		`edit 1 title:"New name" due:+6w aim:"More leads" framework:smart`, "edit 1.2 to:$0.80 weight:2",
		"milestone 1.1 12-01 Half way target:1.5k", "milestone 1 Q4 Launch target:60%",
		"close 1 score:0.7 good", "reopen #1", "archive 1", "delete 1.1 confirm", "templates conversions",
		"kr 1 Playbook kind:yesno", "kr 1 Open rate from:pending to:40%", "update 1.3 done", "list all page:2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cmd, err := commands.Parse(text, testToday)
		if err != nil {
			if goalbot.ErrorCode(err) != goalbot.EINVALID || goalbot.ErrorMessage(err) == "" {
				t.Fatalf("Parse(%q): code %q, message %q", text, goalbot.ErrorCode(err), goalbot.ErrorMessage(err))
			}
			return
		}
		if cmd == nil || cmd.Name() == "" {
			t.Fatalf("Parse(%q) returned no command", text)
		}
	})
}

// TestParseDatesResolveAgainstToday checks that Parse resolves relative
// dates against the today it is given, not the wall clock: the same text
// gives different objectives on different days.
func TestParseDatesResolveAgainstToday(t *testing.T) {
	for _, tt := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC), "2026-12-26"},
		{time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC), "2027-03-03"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			x, db := MustExecutor(t)
			x.Clock = goalbot.ClockFunc(func() time.Time { return tt.now })
			mustRun(t, x, as(alice), "new Grow due:+30d")
			o, err := db.FindObjective(context.Background(), team, 1)
			if err != nil {
				t.Fatal(err)
			}
			if o.Due.String() != tt.want {
				t.Errorf("due %s, want %s", o.Due, tt.want)
			}
		})
	}
}

var _ commands.Store = (*storage.DB)(nil)
