package commands

import (
	"fmt"
	"math"
	"strings"

	"github.com/goalbot/goalbot"
)

// barWidth is the number of cells of a progress bar.
const barWidth = 10

// bar draws progress p (clamped to 0..1) as a Unicode bar: "█████░░░░░".
func bar(p float64) string {
	// Cut, not rounded: a bar is full only at 100%.
	filled := int(math.Floor(goalbot.Clamp01(p)*barWidth + 1e-9))
	return strings.Repeat("█", filled) + strings.Repeat("░", barWidth-filled)
}

// percent formats raw progress p as a whole percentage ("50%", "120%",
// "-10%"), cut toward zero like bars and scores, so 69.6% shows as 69%, not
// as a successful-looking 70%.
func percent(p float64) string {
	return fmt.Sprintf("%d%%", int(math.Trunc(p*100+math.Copysign(1e-9, p))))
}

// value formats a key result's value in its unit ("$0.90", "45%", "2,000
// followers"); a yes/no value is "done" or "not done".
func value(kr *goalbot.KeyResult, v float64) string {
	if kr.Kind == goalbot.KindYesNo {
		if v >= 1 {
			return "done"
		}
		return "not done"
	}
	return FormatNumber(v, kr.Unit)
}

// signed formats a change with an explicit sign ("+500", "-$0.25").
func signed(v float64, unit string) string {
	if v > 0 {
		return "+" + FormatNumber(v, unit)
	}
	return FormatNumber(v, unit)
}

// statusEmoji marks a status; both renderers show it as text.
func statusEmoji(s goalbot.Status) string {
	switch s {
	case goalbot.OnTrack:
		return "🟢"
	case goalbot.AtRisk:
		return "🟡"
	case goalbot.OffTrack:
		return "🔴"
	case goalbot.Achieved:
		return "✅"
	case goalbot.Missed:
		return "❌"
	case goalbot.Closed:
		return "🏁"
	}
	return "🗄️"
}

// dueText describes a due date relative to today.
func dueText(due, today goalbot.Date) string {
	switch n := today.DaysUntil(due); {
	case n == 0:
		return fmt.Sprintf("due today (%s)", due)
	case n == 1:
		return fmt.Sprintf("due tomorrow (%s)", due)
	case n > 1:
		return fmt.Sprintf("due %s (%d days left)", due, n)
	case n == -1:
		return fmt.Sprintf("was due yesterday (%s)", due)
	default:
		return fmt.Sprintf("was due %s (%d days ago)", due, -n)
	}
}

// frameworkName is how a framework is shown.
func frameworkName(f goalbot.Framework) string {
	if f == goalbot.FrameworkSMART {
		return "SMART"
	}
	return "OKR"
}

// count formats n things: "1 key result", "3 key results".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
