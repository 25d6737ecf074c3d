package commands

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/goalbot/goalbot"
)

// Form kinds: what a form does when submitted.
const (
	// FormNew creates an objective with up to FormKeyResults key results.
	FormNew = "new"
	// FormCheckIn records a check-in on the key result in Form.Ref.
	FormCheckIn = "checkin"
)

// Limits of a form, from Slack's modals.
const (
	// MaxFormTitle is the longest form title, in characters.
	MaxFormTitle = 24
	// FormKeyResults is how many key results the creation form offers.
	FormKeyResults = 5
)

// Form is a form for the caller to fill in: Slack shows it as a modal. The
// command layer builds it, the bot renders it, and the filled-in values come
// back to Executor.Submit.
type Form struct {
	Kind   string // FormNew or FormCheckIn
	Title  string // at most MaxFormTitle characters
	Submit string // the submit button's text
	// Intro is shown above the fields.
	Intro  []Block
	Fields []Field
	// Ref is what the form acts on ("1.1" for a check-in); it comes back
	// with the submission.
	Ref string
}

// FieldKind says what a field takes.
type FieldKind int

// Field kinds.
const (
	TextField    FieldKind = iota // a line of text
	SelectField                   // one of Options
	DateField                     // a calendar date, YYYY-MM-DD
	UserField                     // a Slack user ID
	ChannelField                  // a Slack channel ID
)

// Field is one input of a form. Its value comes back under ID.
type Field struct {
	ID          string
	Label       string
	Kind        FieldKind
	Initial     string // the value it starts with: text, an option value, a date, a user or channel ID
	Placeholder string
	Hint        string
	Optional    bool
	MaxLen      int      // for TextField; 0 means no limit
	Options     []Option // for SelectField
	// Refresh says a change of this field rebuilds the form at once
	// (Executor.Refill): choosing a goal type fills in its key results.
	Refresh bool
}

// Option is a choice of a SelectField.
type Option struct {
	Value string
	Text  string
}

// Filled is a form as submitted: its kind and Ref as built, and the value of
// each field by ID ("" for an empty one).
type Filled struct {
	Kind   string
	Ref    string
	Values map[string]string
	// Request identifies this submission (Slack's view ID): a repeat of
	// it takes effect once.
	Request string
}

// openForm answers text with a form when it is a command that, typed
// without its arguments, asks for one: "new" alone or "update <kr>"
// without a value. ok is false for any other text.
func (c *call) openForm(text string) (r Reply, ok bool, err error) {
	words := strings.Fields(text)
	switch {
	case len(words) == 1 && strings.EqualFold(words[0], "new"):
		r, err = c.newForm(nil)
		return r, true, err
	case len(words) == 2 && strings.EqualFold(words[0], "update"):
		if _, ok := goalbot.ParseKRRef(words[1]); ok {
			r, err = c.checkInForm(words[1])
			return r, true, err
		}
	}
	return Reply{}, false, nil
}

// Submit runs a submitted form for inv: it validates every field, and only
// when all are valid does what the form is for, through the same code as the
// typed command. Invalid fields come back in Reply.FieldErrors with nothing
// written; a repeat of a submission that took effect comes back as
// Reply.Repeated. The error, as for Run, is only for internal failures.
func (x *Executor) Submit(ctx context.Context, inv Invocation, f Filled) (Reply, error) {
	inv.Request = f.Request
	c := x.newCall(ctx, inv)
	v := formValues(f.Values)
	var r Reply
	var err error
	switch f.Kind {
	case FormCheckIn:
		r, err = c.submitCheckIn(f.Ref, v)
	case FormNew:
		r, err = c.submitNew(v)
	default:
		return errorReply(goalbot.Errorf(goalbot.EINVALID, "This is not a form goalbot made; nothing was done."))
	}
	switch {
	case errors.Is(err, goalbot.ErrRepeated):
		return repeatedReply(), nil
	case err != nil:
		return errorReply(err)
	}
	if r.FieldErrors == nil && !r.Failed {
		r.GoalsChanged = true
	}
	return r, nil
}

// Refill rebuilds a form after a field marked Refresh changed, keeping what
// was filled in: choosing a goal type on the creation form fills the empty
// key-result rows with the type's suggested key results.
func (x *Executor) Refill(ctx context.Context, inv Invocation, f Filled) (Reply, error) {
	c := x.newCall(ctx, inv)
	if f.Kind != FormNew {
		return errorReply(goalbot.Errorf(goalbot.EINVALID, "This is not a form goalbot made; nothing was done."))
	}
	return c.newForm(formValues(f.Values))
}

// values are a submitted form's values by field ID. A field ID may carry a
// version after "~" (key-result rows refilled from a template do: Slack keeps
// what was typed into a field unless its ID changes); get ignores it, and
// errors are keyed by the ID as submitted.
type values struct {
	byBase map[string]string // base ID -> value
	ids    map[string]string // base ID -> ID as submitted
	errs   map[string]string // by ID as submitted
}

func formValues(in map[string]string) *values {
	v := &values{byBase: map[string]string{}, ids: map[string]string{}}
	for id, val := range in {
		base, _, _ := strings.Cut(id, "~")
		v.byBase[base], v.ids[base] = strings.TrimSpace(val), id
	}
	return v
}

func (v *values) get(id string) string { return v.byBase[id] }

// fail records msg as the error of field id (the first one stays).
func (v *values) fail(id string, err error) {
	if v.errs == nil {
		v.errs = map[string]string{}
	}
	key := v.ids[id]
	if key == "" {
		key = id
	}
	if _, dup := v.errs[key]; !dup {
		v.errs[key] = goalbot.ErrorMessage(err)
	}
}

// failed returns the reply that sends the form back with its errors.
func (v *values) failed() Reply {
	return Reply{Failed: true, FieldErrors: v.errs}
}

// Slack IDs that user and channel pickers return.
var (
	formUserID    = regexp.MustCompile(`^[UW][A-Z0-9]{1,20}$`)
	formChannelID = regexp.MustCompile(`^[CGD][A-Z0-9]{1,20}$`)
)

// checkInForm is the check-in form of key result ref, when inv may check in
// on it; otherwise the refusal.
func (c *call) checkInForm(ref string) (Reply, error) {
	kref, ok := goalbot.ParseKRRef(ref)
	if !ok {
		return errorReply(invalid(updateSpec, "%q is not a key result (like 3.1).", ref))
	}
	o, kr, err := c.x.Store.FindKeyResult(c.ctx, c.inv.TeamID, kref)
	if err == nil {
		err = c.mayChangeKeyResult(o, kr, "check in on it")
	}
	if err == nil {
		err = active(updateSpec, o)
	}
	if err != nil {
		return errorReply(err)
	}
	f := &Form{Kind: FormCheckIn, Ref: kr.Ref.String(), Title: "Check in on " + kr.Ref.String(), Submit: "Check in"}
	if len([]rune(f.Title)) > MaxFormTitle {
		f.Title = "Check in"
	}
	now := "now " + value(kr, kr.Current) + " · last check-in " + kr.LastAsOf.String()
	switch {
	case kr.Pending:
		now = "no baseline yet: this first check-in sets it"
	case kr.CheckIns == 0:
		now = "now " + value(kr, kr.Current) + " · no check-in yet"
	}
	f.Intro = []Block{
		{Kind: Section, Text: line(strong(kr.Ref.String()), plain(" "+kr.Title+"\n"+rangeText(kr)+"\n"+now))},
		{Kind: Context, Text: line(plain(fmt.Sprintf("Objective %d: %s", o.Number, o.Title)))},
	}
	val := Field{ID: "value", Label: "New value", Kind: TextField, MaxLen: 40}
	switch {
	case kr.Kind == goalbot.KindYesNo:
		val.Kind, val.Options = SelectField, []Option{{"yes", "Done"}, {"no", "Not done"}}
		val.Initial = "no"
		if kr.Current >= 1 {
			val.Initial = "yes"
		}
	case kr.Pending:
		val.Placeholder = "the value today, in " + unitName(kr.Unit)
	default:
		// Prefilled in a form the parser reads back: a word unit is
		// not part of a number.
		unit := kr.Unit
		if !isCurrency(unit) && unit != "%" {
			unit = ""
			if kr.Unit != "" {
				val.Label = "New value (" + kr.Unit + ")"
			}
		}
		val.Initial = FormatNumber(kr.Current, unit)
	}
	f.Fields = []Field{
		val,
		{ID: "confidence", Label: "Confidence", Kind: SelectField, Optional: true, Placeholder: "How sure are you of the target?",
			Options: []Option{{"high", "High"}, {"medium", "Medium"}, {"low", "Low"}}},
		{ID: "note", Label: "Note", Kind: TextField, Optional: true, MaxLen: MaxNoteLen, Placeholder: "What moved it, what is in the way"},
		{ID: "as_of", Label: "Measured on", Kind: DateField, Initial: c.today.String()},
	}
	return Reply{Form: f}, nil
}

// submitCheckIn records the check-in of a submitted check-in form.
func (c *call) submitCheckIn(ref string, v *values) (Reply, error) {
	kref, ok := goalbot.ParseKRRef(ref)
	if !ok {
		return Reply{}, goalbot.Errorf(goalbot.EINVALID, "This is not a form goalbot made; nothing was done.")
	}
	u := updateCommand{kr: kref, confidence: -1, note: v.get("note")}
	var err error
	if v.get("value") == "" {
		v.fail("value", goalbot.Errorf(goalbot.EINVALID, "Give the new value."))
	} else if u.value, u.yesNo, err = checkInValue(v.get("value")); err != nil {
		v.fail("value", err)
	}
	if s := v.get("confidence"); s != "" {
		if u.confidence, err = parseConfidence(s); err != nil {
			v.fail("confidence", err)
		}
	}
	if err := checkNote(u.note); err != nil {
		v.fail("note", err)
	}
	if s := v.get("as_of"); s != "" {
		if u.asOf, err = formDate(s); err != nil {
			v.fail("as_of", err)
		} else if err := checkAsOf(u.asOf, c.today); err != nil {
			v.fail("as_of", err)
		}
	}
	if v.errs != nil {
		return v.failed(), nil
	}
	r, err := u.run(c)
	if err != nil && goalbot.ErrorCode(err) != goalbot.EINTERNAL && !errors.Is(err, goalbot.ErrRepeated) {
		// A refusal (not the owner, a closed objective, a value that
		// does not fit) belongs beside the value.
		v.fail("value", err)
		return v.failed(), nil
	}
	return r, err
}

// newForm is the creation form, filled with what v holds (nil: a fresh
// form). Choosing a goal type puts its suggested key results in the rows
// without a title.
func (c *call) newForm(v *values) (Reply, error) {
	if v == nil {
		v = formValues(nil)
	}
	get := func(id, initial string) string {
		if s, ok := v.byBase[id]; ok {
			return s
		}
		return initial
	}
	channel := ""
	if !strings.HasPrefix(c.inv.ChannelID, "D") {
		channel = c.inv.ChannelID
	}
	types := []Option{}
	for _, g := range goalbot.Templates {
		types = append(types, Option{g.Type, g.Name})
	}
	f := &Form{Kind: FormNew, Title: "New objective", Submit: "Create"}
	f.Intro = []Block{{Kind: Context, Text: line(plain("Key results are optional here: a row without a title is left out. Leave from and to empty for a done/not-done key result; from can be “pending”."))}}
	f.Fields = []Field{
		{ID: "title", Label: "Objective", Kind: TextField, Initial: get("title", ""), MaxLen: goalbot.MaxTitleLen,
			Placeholder: "Grow LinkedIn followers"},
		{ID: "framework", Label: "Framework", Kind: SelectField, Initial: get("framework", string(goalbot.FrameworkOKR)),
			Options: []Option{{string(goalbot.FrameworkOKR), "OKR: a stretch goal, scored 0-1"}, {string(goalbot.FrameworkSMART), "SMART: a committed goal, achieved or missed"}}},
		{ID: "goal_type", Label: "Goal type", Kind: SelectField, Initial: get("goal_type", ""), Optional: true, Refresh: true,
			Options: types, Placeholder: "Pick one to get suggested key results", Hint: "Suggested key results fill the empty rows below."},
		{ID: "due", Label: "Due date", Kind: DateField, Initial: get("due", c.today.QuarterEnd().String())},
		{ID: "owner", Label: "Owner", Kind: UserField, Initial: get("owner", c.inv.UserID), Hint: "The owner also owns the key results below."},
		{ID: "channel", Label: "Team channel", Kind: ChannelField, Initial: get("channel", channel), Optional: true,
			Hint: "Announcements and digests of this objective go there."},
	}
	rows := krRows(v)
	// Template rows: the goal type's metrics not yet in a row fill the
	// rows without a title. The version in the row IDs makes Slack show
	// the new values instead of what the fields held.
	version := ""
	if g, ok := goalbot.TemplateFor(v.get("goal_type")); ok {
		version = "~" + g.Type
		have := map[string]bool{}
		for _, r := range rows {
			have[strings.ToLower(r.title)] = true
		}
		next := 0
		for i := range rows {
			if rows[i].title != "" || rows[i].from != "" || rows[i].to != "" {
				continue // a row being filled in is kept as it is
			}
			for next < len(g.KeyResults) && have[strings.ToLower(g.KeyResults[next].Metric)] {
				next++
			}
			if next == len(g.KeyResults) {
				break
			}
			m := g.KeyResults[next]
			rows[i] = krRow{title: m.Metric, unit: m.Unit, decreasing: m.Decreasing}
			next++
		}
	}
	for i, r := range rows {
		n := strconv.Itoa(i + 1)
		to := "2,000"
		if r.decreasing {
			to = "lower than from: lower is better"
		}
		f.Fields = append(f.Fields,
			Field{ID: "kr" + n + "_title" + version, Label: "Key result " + n, Kind: TextField, Initial: r.title, Optional: true, MaxLen: goalbot.MaxTitleLen},
			Field{ID: "kr" + n + "_from" + version, Label: "From", Kind: TextField, Initial: r.from, Optional: true, MaxLen: 40, Placeholder: "1,200 or pending"},
			Field{ID: "kr" + n + "_to" + version, Label: "To", Kind: TextField, Initial: r.to, Optional: true, MaxLen: 40, Placeholder: to},
			Field{ID: "kr" + n + "_unit" + version, Label: "Unit", Kind: TextField, Initial: r.unit, Optional: true, MaxLen: MaxUnitLen, Placeholder: "followers, $, %"},
		)
	}
	return Reply{Form: f}, nil
}

// formDate reads a date picker's YYYY-MM-DD with the typed commands' range.
func formDate(s string) (goalbot.Date, error) {
	d, err := goalbot.ParseISODate(s)
	if err != nil {
		return d, err
	}
	return checkDateRange(s, d)
}

// krRow is one key-result row of the creation form.
type krRow struct {
	title, from, to, unit string
	decreasing            bool
}

// krRows reads the key-result rows of v.
func krRows(v *values) []krRow {
	rows := make([]krRow, FormKeyResults)
	for i := range rows {
		p := "kr" + strconv.Itoa(i+1) + "_"
		rows[i] = krRow{title: v.get(p + "title"), from: v.get(p + "from"), to: v.get(p + "to"), unit: v.get(p + "unit")}
	}
	return rows
}

// submitNew creates the objective of a submitted creation form, with its
// key results, in one transaction.
func (c *call) submitNew(v *values) (Reply, error) {
	o := &goalbot.Objective{TeamID: c.inv.TeamID, CreatedBy: c.inv.UserID, Start: c.today, Request: c.inv.Request}
	a := &args{spec: newSpec, today: c.today}
	var err error
	if o.Title, err = a.title(v.get("title"), "objective"); err != nil {
		v.fail("title", err)
	}
	if o.Framework, err = goalbot.ParseFramework(v.get("framework")); err != nil {
		v.fail("framework", err)
	}
	if s := v.get("goal_type"); s != "" {
		if o.GoalType, err = goalbot.ParseGoalType(s); err != nil {
			v.fail("goal_type", err)
		}
	}
	if s := v.get("due"); s == "" {
		v.fail("due", goalbot.Errorf(goalbot.EINVALID, "Pick the due date."))
	} else if o.Due, err = formDate(s); err != nil {
		v.fail("due", err)
	} else if err := c.checkPeriod(o); err != nil {
		v.fail("due", err)
	}
	if o.OwnerID = v.get("owner"); !formUserID.MatchString(o.OwnerID) {
		v.fail("owner", goalbot.Errorf(goalbot.EINVALID, "Pick the owner."))
	}
	if o.ChannelID = v.get("channel"); o.ChannelID != "" && !formChannelID.MatchString(o.ChannelID) {
		v.fail("channel", goalbot.Errorf(goalbot.EINVALID, "Pick a channel, or none."))
	}
	for i, row := range krRows(v) {
		if row.title == "" {
			if row.from != "" || row.to != "" {
				v.fail("kr"+strconv.Itoa(i+1)+"_title", goalbot.Errorf(goalbot.EINVALID, "Give this key result a title, or clear its from and to."))
			}
			continue // a row left empty, or a suggestion dropped (its unit may stay)
		}
		kr := c.formKeyResult(strconv.Itoa(i+1), row, v)
		if kr != nil {
			kr.OwnerID, kr.CreatedBy = o.OwnerID, c.inv.UserID
			o.KeyResults = append(o.KeyResults, kr)
		}
	}
	if v.errs != nil {
		return v.failed(), nil
	}
	return c.createObjective(o)
}

// formKeyResult reads key-result row n with the rules of /goal kr; errors go
// to v, and then it returns nil.
func (c *call) formKeyResult(n string, row krRow, v *values) *goalbot.KeyResult {
	p := "kr" + n + "_"
	a := &args{spec: krSpec, today: c.today, opts: map[string]word{}}
	title, err := a.title(row.title, "key result")
	if err != nil {
		v.fail(p+"title", err)
		return nil
	}
	kr := &goalbot.KeyResult{TeamID: c.inv.TeamID, Title: title, Kind: goalbot.KindNumber, Weight: 1}
	if row.from == "" && row.to == "" {
		if row.unit != "" {
			v.fail(p+"from", goalbot.Errorf(goalbot.EINVALID, "Give from and to, or clear the unit for a done/not-done key result."))
			return nil
		}
		kr.Kind, kr.Target = goalbot.KindYesNo, 1
		return kr
	}
	ok := true
	for _, f := range []struct{ id, text string }{{"from", row.from}, {"to", row.to}} {
		switch {
		case f.text == "" && f.id == "from":
			v.fail(p+"from", goalbot.Errorf(goalbot.EINVALID, "Give the start value, or pending to let the first check-in set it."))
			ok = false
		case f.text == "":
			v.fail(p+"to", goalbot.Errorf(goalbot.EINVALID, "Give the target value."))
			ok = false
		case f.id == "from" && strings.EqualFold(f.text, "pending"):
		default:
			if _, err := ParseNumber(f.text); err != nil {
				v.fail(p+f.id, err)
				ok = false
			}
		}
		a.opts[f.id] = word{text: f.text, raw: f.text}
	}
	if row.unit != "" {
		a.opts["unit"] = word{text: row.unit, raw: row.unit}
		if _, _, err := a.unit(); err != nil {
			v.fail(p+"unit", err)
			ok = false
		}
	}
	if !ok {
		return nil
	}
	var k krCommand
	if err := k.parseRange(a); err != nil {
		field := p + "to"
		if strings.Contains(goalbot.ErrorMessage(err), "unit:") {
			field = p + "unit"
		}
		v.fail(field, err)
		return nil
	}
	kr.Pending, kr.Start, kr.Target, kr.Unit = k.pending, k.from, k.to, k.unit
	return kr
}
