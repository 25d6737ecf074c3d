package commands

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/goalbot/goalbot"
)

var exportSpec = &spec{
	name:     "export",
	args:     "[csv|json]",
	summary:  "every objective, key result and check-in of the workspace as a CSV (default) or JSON file, sent only to you",
	examples: []string{"/goal export", "/goal export json"},
	parse: func(a *args) (Command, error) {
		switch len(a.pos) {
		case 0:
			return exportCommand{format: "csv"}, nil
		case 1:
			switch f := strings.ToLower(a.pos[0].text); f {
			case "csv", "json":
				return exportCommand{format: f}, nil
			}
			return nil, invalid(a.spec, "Unknown export format %q: use csv or json.", a.pos[0].text)
		}
		return nil, invalid(a.spec, "export takes one format: csv or json.")
	},
}

// exportCommand exports the caller's workspace as a file.
type exportCommand struct {
	format string // csv or json
}

func (exportCommand) Name() string { return "export" }

func (ec exportCommand) run(c *call) (Reply, error) {
	e, err := c.x.Store.Export(c.ctx, c.inv.TeamID)
	if err != nil {
		return Reply{}, fmt.Errorf("export %s: %w", c.inv.TeamID, err)
	}
	var r Reply
	if len(e.Objectives) == 0 {
		r.add(Section, plain("Nothing to export: this workspace has no objectives yet. Create one with "), code("/goal new <title>"), plain("."))
		return r, nil
	}
	f := &File{Name: ExportFileName(c.inv.TeamID, c.today, ec.format)}
	if ec.format == "json" {
		f.Type = "application/json"
		f.Content, err = EncodeJSON(e, c.x.Clock.Now())
	} else {
		f.Type = "text/csv"
		f.Content, err = EncodeCSV(e)
	}
	if err != nil {
		return Reply{}, fmt.Errorf("export %s as %s: %w", c.inv.TeamID, ec.format, err)
	}
	r.add(Section, plain(fmt.Sprintf("Exported %s, %s and %s to ",
		count(len(e.Objectives), "objective"), count(e.KeyResults(), "key result"), count(len(e.CheckIns), "check-in"))),
		code(f.Name), plain("."))
	r.File = f
	return r, nil
}

// ExportFileName is the name of an export file of team made on day (the
// caller's date): goalbot-export-<team>-<YYYY-MM-DD>.<format>. Characters
// of the team ID other than letters, digits, - and _ become _, so the name
// never leaves a directory.
func ExportFileName(team string, day goalbot.Date, format string) string {
	safe := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return r
		}
		return '_'
	}, team)
	if safe == "" {
		safe = "workspace"
	}
	return fmt.Sprintf("goalbot-export-%s-%s.%s", safe, day, format)
}

// CSVColumns are the columns of a CSV export, in order. The file has a
// header row, then one row per check-in, plus one row for each key result
// without check-ins and one for each objective without key results, in the
// export's order (objective number, key-result number, check-in as-of date,
// entry order). Cells:
//
//	objective        objective number, like 3
//	objective_title  its title
//	framework        okr or smart
//	objective_state  active, closed or archived
//	objective_owner  Slack user ID of its owner
//	objective_due    its due date, YYYY-MM-DD
//	kr               key-result ID, like 3.1 (empty on an objective's own row)
//	kr_title         its title
//	kind             number or yesno
//	start            start value (empty while the baseline is pending)
//	target           target value (1 for yes/no)
//	unit             the unit as given ($, %, followers), or empty
//	weight           its weight in the objective's progress
//	kr_owner         Slack user ID of its owner
//	kr_due           its due date: its own, else the objective's
//	checkin_as_of    the day the value was measured, YYYY-MM-DD (empty on a key result's own row)
//	value            the value checked in (yes/no: 1 done, 0 not done)
//	confidence       0-10 (empty when not given)
//	note             the check-in's note
//	checked_in_by    Slack user ID of who checked in
//	checked_in_at    when the check-in was entered, RFC 3339 in UTC
//
// The file is UTF-8 with \n line ends, quoted as RFC 4180 says (a cell
// with a comma, quote or line break is quoted, quotes doubled). Numbers are
// plain decimals with a dot and no thousands separators or units (1450,
// 0.9, -3). Text cells that start with =, +, -, @, a tab or a carriage
// return get a leading apostrophe, so a spreadsheet shows them as text and
// never runs them as formulas.
var CSVColumns = []string{
	"objective", "objective_title", "framework", "objective_state", "objective_owner", "objective_due",
	"kr", "kr_title", "kind", "start", "target", "unit", "weight", "kr_owner", "kr_due",
	"checkin_as_of", "value", "confidence", "note", "checked_in_by", "checked_in_at",
}

// EncodeCSV writes e as a CSV file with CSVColumns.
func EncodeCSV(e goalbot.Export) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(CSVColumns); err != nil {
		return nil, err
	}
	checkIns := e.CheckInsByKeyResult()
	for _, o := range e.Objectives {
		objective := []string{strconv.Itoa(o.Number), cellText(o.Title), string(o.Framework), string(o.State),
			cellText(o.OwnerID), o.Due.String()}
		if len(o.KeyResults) == 0 {
			if err := w.Write(append(objective, make([]string, len(CSVColumns)-len(objective))...)); err != nil {
				return nil, err
			}
			continue
		}
		for _, kr := range o.KeyResults {
			start := ""
			if !kr.Pending {
				start = cellNumber(kr.Start)
			}
			due := kr.Due
			if due.IsZero() {
				due = o.Due
			}
			row := append(objective[:len(objective):len(objective)], kr.Ref.String(), cellText(kr.Title), string(kr.Kind),
				start, cellNumber(kr.Target), cellText(kr.Unit), cellNumber(kr.Weight), cellText(kr.OwnerID), due.String())
			list := checkIns[kr.Ref]
			if len(list) == 0 {
				if err := w.Write(append(row, make([]string, len(CSVColumns)-len(row))...)); err != nil {
					return nil, err
				}
				continue
			}
			for _, ci := range list {
				confidence := ""
				if ci.Confidence >= 0 {
					confidence = strconv.Itoa(ci.Confidence)
				}
				if err := w.Write(append(row[:len(row):len(row)], ci.AsOf.String(), cellNumber(ci.Value), confidence,
					cellText(ci.Note), cellText(ci.UserID), ci.CreatedAt.UTC().Format(time.RFC3339))); err != nil {
					return nil, err
				}
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cellNumber formats v as a plain decimal: 1450, 0.9, -3.
func cellNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// cellText guards text against spreadsheet formula injection: a cell that
// starts with =, +, -, @, a tab or a carriage return is a formula (or
// becomes one) in Excel, LibreOffice and Google Sheets; a leading
// apostrophe makes it text.
func cellText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// JSONExport is a JSON export file. Every field is always present; text
// that is not set is "", numbers that are not known are null. Dates are
// YYYY-MM-DD, instants RFC 3339 in UTC.
type JSONExport struct {
	Team       string          `json:"team"`        // Slack team ID
	ExportedAt time.Time       `json:"exported_at"` // when the file was made
	Objectives []JSONObjective `json:"objectives"`  // by number
}

// JSONObjective is an objective of a JSON export.
type JSONObjective struct {
	Number    int    `json:"number"`
	Title     string `json:"title"`
	Framework string `json:"framework"` // okr or smart
	GoalType  string `json:"goal_type"` // one of the ten goal types, or ""
	Aim       string `json:"aim"`
	State     string `json:"state"`   // active, closed or archived
	Owner     string `json:"owner"`   // Slack user ID
	Channel   string `json:"channel"` // Slack channel ID, or ""
	Start     string `json:"start"`
	Due       string `json:"due"`
	// Progress is the weighted mean of the key results' progress, each
	// clamped to 0..1.
	Progress   float64         `json:"progress"`
	Score      *float64        `json:"score"` // the grade given on close; null until closed
	CloseNote  string          `json:"close_note"`
	CreatedBy  string          `json:"created_by"`
	CreatedAt  time.Time       `json:"created_at"`
	KeyResults []JSONKeyResult `json:"key_results"` // by number
}

// JSONKeyResult is a key result of a JSON export.
type JSONKeyResult struct {
	ID     string   `json:"id"` // like 3.1
	Number int      `json:"number"`
	Title  string   `json:"title"`
	Kind   string   `json:"kind"`  // number or yesno
	Start  *float64 `json:"start"` // null while the baseline is pending
	Target float64  `json:"target"`
	Unit   string   `json:"unit"`
	Weight float64  `json:"weight"`
	Owner  string   `json:"owner"` // Slack user ID
	Due    string   `json:"due"`   // its own, else the objective's
	// BaselineDate is the as-of date of the check-in that set a pending
	// baseline, or "".
	BaselineDate string `json:"baseline_date"`
	// Current is the value of the latest check-in by as-of date (the start
	// value before any); null while the baseline is pending.
	Current *float64 `json:"current"`
	// Progress is (current-start)/(target-start), not clamped: 1.2 is 120%;
	// null while the baseline is pending.
	Progress  *float64      `json:"progress"`
	CreatedBy string        `json:"created_by"`
	CreatedAt time.Time     `json:"created_at"`
	CheckIns  []JSONCheckIn `json:"check_ins"` // by as-of date, then entry
}

// JSONCheckIn is a check-in of a JSON export.
type JSONCheckIn struct {
	AsOf       string    `json:"as_of"` // the day the value was measured
	Value      float64   `json:"value"` // yes/no: 1 done, 0 not done
	Confidence *int      `json:"confidence"`
	Note       string    `json:"note"`
	User       string    `json:"user"`       // Slack user ID of who checked in
	CreatedAt  time.Time `json:"created_at"` // when it was entered
}

// EncodeJSON writes e as an indented JSONExport made at now.
func EncodeJSON(e goalbot.Export, now time.Time) ([]byte, error) {
	doc := JSONExport{Team: e.TeamID, ExportedAt: now.UTC().Truncate(time.Second), Objectives: make([]JSONObjective, 0, len(e.Objectives))}
	checkIns := e.CheckInsByKeyResult()
	for _, o := range e.Objectives {
		jo := JSONObjective{Number: o.Number, Title: o.Title, Framework: string(o.Framework), GoalType: o.GoalType,
			Aim: o.Aim, State: string(o.State), Owner: o.OwnerID, Channel: o.ChannelID, Start: o.Start.String(),
			Due: o.Due.String(), Progress: o.Progress(), CloseNote: o.CloseNote, CreatedBy: o.CreatedBy,
			CreatedAt: o.CreatedAt.UTC(), KeyResults: make([]JSONKeyResult, 0, len(o.KeyResults))}
		if o.Scored {
			jo.Score = &o.Score
		}
		for _, kr := range o.KeyResults {
			due := kr.Due
			if due.IsZero() {
				due = o.Due
			}
			jk := JSONKeyResult{ID: kr.Ref.String(), Number: kr.Ref.Number, Title: kr.Title, Kind: string(kr.Kind),
				Target: kr.Target, Unit: kr.Unit, Weight: kr.Weight, Owner: kr.OwnerID, Due: due.String(),
				BaselineDate: kr.BaselineDate.String(), CreatedBy: kr.CreatedBy, CreatedAt: kr.CreatedAt.UTC(),
				CheckIns: make([]JSONCheckIn, 0, len(checkIns[kr.Ref]))}
			if !kr.Pending {
				start, current, progress := kr.Start, kr.Current, kr.Progress()
				jk.Start, jk.Current, jk.Progress = &start, &current, &progress
			}
			for _, ci := range checkIns[kr.Ref] {
				jc := JSONCheckIn{AsOf: ci.AsOf.String(), Value: ci.Value, Note: ci.Note, User: ci.UserID, CreatedAt: ci.CreatedAt.UTC()}
				if ci.Confidence >= 0 {
					confidence := ci.Confidence
					jc.Confidence = &confidence
				}
				jk.CheckIns = append(jk.CheckIns, jc)
			}
			jo.KeyResults = append(jo.KeyResults, jk)
		}
		doc.Objectives = append(doc.Objectives, jo)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // notes with <, > and & stay readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
