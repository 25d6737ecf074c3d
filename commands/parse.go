package commands

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goalbot/goalbot"
)

// Command is a parsed command, ready to run.
type Command interface {
	// Name is the command's name in the table (new, kr, ...).
	Name() string
	run(ctx *call) (Reply, error)
}

// word is one token of command text.
type word struct {
	text   string // with entities decoded and quotes removed
	raw    string // as typed, entities still encoded
	quoted bool   // began with a quote: never an option
}

// UserRef names a user: by Slack ID (from a <@U…> mention) or by a plain
// @name typed in the shell.
type UserRef struct {
	ID   string
	Name string
}

// ChannelRef names a channel: by Slack ID (from <#C…>) or by a plain #name.
type ChannelRef struct {
	ID   string
	Name string
}

// Parse parses command text as Slack sends it (with should_escape: &, < and
// > arrive as entities, mentions as <@U…|name>). today is the caller's date,
// against which relative dates resolve. Parse has no side effects. Errors are
// EINVALID with a message for the caller; ParseError adds the usage.
func Parse(text string, today goalbot.Date) (Command, error) {
	if !utf8.ValidString(text) {
		return nil, invalid(attempted(text), "The command text is not valid UTF-8.")
	}
	words, err := tokenize(text)
	if err != nil {
		return nil, err
	}
	if len(words) == 0 {
		return helpCommand{}, nil
	}
	name := strings.ToLower(words[0].text)
	s := lookup(name)
	if s == nil {
		return nil, invalid(nil, "Unknown command %q. Try /goal help.", words[0].text)
	}
	a := &args{spec: s, today: today, opts: map[string]word{}}
	if err := a.split(words[1:]); err != nil {
		return nil, err
	}
	return s.parse(a)
}

// ParseError is the error of a failed parse. It carries the usage of the
// command the caller tried, shown under the reason.
type ParseError struct {
	Err   *goalbot.Error
	Usage string
}

func (e *ParseError) Error() string { return e.Err.Error() }
func (e *ParseError) Unwrap() error { return e.Err }

// invalid returns an EINVALID ParseError with the usage of s (none when s is nil).
func invalid(s *spec, format string, args ...any) error {
	e := &ParseError{Err: goalbot.Errorf(goalbot.EINVALID, format, args...)}
	if s != nil {
		e.Usage = s.usage()
	}
	return e
}

// withUsage wraps an EINVALID error from a value parser with the usage of s.
func withUsage(s *spec, err error) error {
	if e, ok := err.(*goalbot.Error); ok {
		return &ParseError{Err: e, Usage: s.usage()}
	}
	return err
}

// attempted returns the spec of the command text starts with, or nil, so an
// error found before the text is split into words still shows the usage of
// the command the caller tried.
func attempted(text string) *spec {
	if f := strings.Fields(text); len(f) > 0 {
		return lookup(strings.ToLower(f[0]))
	}
	return nil
}

var entities = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// slackMarkup is Slack's <target|label> markup for mentions, channels,
// broadcasts and links. Angle brackets a user typed arrive as entities, so
// every real < in the text opens markup.
var slackMarkup = regexp.MustCompile(`<([^<>|]*)(?:\|([^<>]*))?>`)

// readable turns Slack markup into the text the user saw when typing it:
// <@U1|bob> is @bob, <#C1|general> is #general, <!here> is @here and a
// link is its label or its address. Titles and notes keep that text, not
// the markup.
func readable(raw string) string {
	if !strings.Contains(raw, "<") {
		return raw
	}
	return slackMarkup.ReplaceAllStringFunc(raw, func(m string) string {
		sub := slackMarkup.FindStringSubmatch(m)
		target, label := sub[1], sub[2]
		switch {
		case strings.HasPrefix(target, "@"), strings.HasPrefix(target, "#"):
			if label != "" {
				return target[:1] + label
			}
			return target
		case strings.HasPrefix(target, "!"):
			if label != "" {
				return label
			}
			name, _, _ := strings.Cut(target[1:], "^")
			return "@" + name
		case label != "":
			return label
		}
		return target
	})
}

// tokenize splits text into words on white space. Double quotes (straight or
// curly) group words; a word that begins with a quote is never an option.
// Text with an unclosed quote is split with its quotes kept literally.
func tokenize(text string) ([]word, error) {
	var (
		words  []word
		cur    strings.Builder
		inWord bool
		quote  rune
		quoted bool
	)
	flush := func() {
		if inWord {
			raw := cur.String()
			words = append(words, word{text: entities.Replace(readable(raw)), raw: raw, quoted: quoted})
		}
		cur.Reset()
		inWord, quoted = false, false
	}
	for _, r := range text {
		switch {
		case quote != 0 && r == closing(quote):
			quote = 0
		case quote == 0 && isQuote(r):
			if !inWord {
				quoted = true
			}
			inWord, quote = true, r
		case quote == 0 && unicode.IsSpace(r):
			flush()
		default:
			inWord = true
			cur.WriteRune(r)
		}
	}
	if quote != 0 {
		// A lone quote is part of the text (27" monitor), not a group.
		return tokenizeLiteral(text), nil
	}
	flush()
	return words, nil
}

// tokenizeLiteral splits text on white space, with quotes as plain characters.
func tokenizeLiteral(text string) []word {
	var words []word
	for _, f := range strings.Fields(text) {
		words = append(words, word{text: entities.Replace(readable(f)), raw: f})
	}
	return words
}

func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' }

func closing(open rune) rune {
	if open == '“' {
		return '”'
	}
	return open
}

// optionPattern matches a word shaped like an option. Keys match in any
// case, so a capitalised Due:Q4 or Tagret:2000 is not silently taken as
// title text.
var optionPattern = regexp.MustCompile(`^([A-Za-z][A-Za-z-]*):(.+)$`)

// args holds the words of one command after its name, split into positional
// words and options.
type args struct {
	spec  *spec
	today goalbot.Date
	pos   []word
	opts  map[string]word
}

// split sorts words into options (key:value with a key the command knows)
// and positional words. A word shaped like an option with a key the command
// does not know is an error, so a typo is never silently part of a title.
func (a *args) split(words []word) error {
	for _, w := range words {
		m := optionPattern.FindStringSubmatch(w.text)
		if w.quoted || m == nil || strings.HasPrefix(m[2], "//") {
			a.pos = append(a.pos, w)
			continue
		}
		key := strings.ToLower(m[1])
		if !a.spec.hasOption(key) {
			if known := optionOwners(key); len(known) > 0 {
				return invalid(a.spec, "Option %s: does not apply to %s (it is for %s).", key, a.spec.name, strings.Join(known, ", "))
			}
			return invalid(a.spec, "Unknown option %s:. %s", key, a.spec.optionList())
		}
		if _, dup := a.opts[key]; dup {
			return invalid(a.spec, "Option %s: is given twice.", key)
		}
		value := w
		value.text = m[2]
		value.raw = strings.TrimPrefix(w.raw, m[1]+":")
		a.opts[key] = value
	}
	return nil
}

// rest returns the positional words from i on, joined by spaces.
func (a *args) rest(i int) string {
	var parts []string
	for _, w := range a.pos[min(i, len(a.pos)):] {
		parts = append(parts, w.text)
	}
	return strings.Join(parts, " ")
}

// opt returns the value of option key and whether it was given.
func (a *args) opt(key string) (word, bool) {
	w, ok := a.opts[key]
	return w, ok
}

// number parses option key as a number.
func (a *args) number(key string) (Number, bool, error) {
	w, ok := a.opt(key)
	if !ok {
		return Number{}, false, nil
	}
	n, err := ParseNumber(w.text)
	if err != nil {
		return Number{}, true, invalid(a.spec, "%s: %s", key, goalbot.ErrorMessage(err))
	}
	return n, true, nil
}

// date parses option key as a date relative to today.
func (a *args) date(key string) (goalbot.Date, error) {
	return a.dateWith(key, ParseDate)
}

// pastDate parses option key as a date that lies in the past.
func (a *args) pastDate(key string) (goalbot.Date, error) {
	return a.dateWith(key, ParsePastDate)
}

func (a *args) dateWith(key string, parse func(string, goalbot.Date) (goalbot.Date, error)) (goalbot.Date, error) {
	w, ok := a.opt(key)
	if !ok {
		return goalbot.Date{}, nil
	}
	d, err := parse(w.text, a.today)
	if err != nil {
		return goalbot.Date{}, invalid(a.spec, "%s: %s", key, goalbot.ErrorMessage(err))
	}
	return d, nil
}

// user parses option key as a user mention.
func (a *args) user(key string) (*UserRef, error) {
	w, ok := a.opt(key)
	if !ok {
		return nil, nil
	}
	u, ok := parseUser(w.raw)
	if !ok {
		return nil, invalid(a.spec, "%s: %q is not a user. Mention someone with @, like %s:@alice.", key, w.text, key)
	}
	return u, nil
}

// channel parses option key as a channel link.
func (a *args) channel(key string) (*ChannelRef, error) {
	w, ok := a.opt(key)
	if !ok {
		return nil, nil
	}
	c, ok := parseChannel(w.raw)
	if !ok {
		return nil, invalid(a.spec, "%s: %q is not a channel. Link one with #, like %s:#marketing.", key, w.text, key)
	}
	return c, nil
}

var (
	slackUser    = regexp.MustCompile(`^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$`)
	slackChannel = regexp.MustCompile(`^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$`)
	plainName    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$`)
)

// parseUser reads <@U123|name>, <@U123> or a plain @name.
func parseUser(raw string) (*UserRef, bool) {
	if m := slackUser.FindStringSubmatch(raw); m != nil {
		return &UserRef{ID: m[1]}, true
	}
	if name, ok := strings.CutPrefix(raw, "@"); ok && plainName.MatchString(name) {
		return &UserRef{Name: name}, true
	}
	return nil, false
}

// parseChannel reads <#C123|name>, <#C123> or a plain #name.
func parseChannel(raw string) (*ChannelRef, bool) {
	if m := slackChannel.FindStringSubmatch(raw); m != nil {
		return &ChannelRef{ID: m[1]}, true
	}
	if name, ok := strings.CutPrefix(raw, "#"); ok && plainName.MatchString(name) {
		return &ChannelRef{Name: name}, true
	}
	return nil, false
}

// objective reads the objective reference at position i.
func (a *args) objective(i int) (int, error) {
	if i >= len(a.pos) {
		return 0, invalid(a.spec, "Say which objective, by its number (like 3).")
	}
	n, ok := goalbot.ParseObjectiveNumber(a.pos[i].text)
	if !ok {
		return 0, invalid(a.spec, "%q is not an objective number (like 3).", a.pos[i].text)
	}
	return n, nil
}

// objectiveOrKR reads the reference at position i: an objective (3) or a
// key result (3.1, with kr > 0).
func (a *args) objectiveOrKR(i int) (objective, kr int, err error) {
	if ref, ok := goalbot.ParseKRRef(a.pos[i].text); ok {
		return ref.Objective, ref.Number, nil
	}
	if n, ok := goalbot.ParseObjectiveNumber(a.pos[i].text); ok {
		return n, 0, nil
	}
	return 0, 0, invalid(a.spec, "%q is not an objective (3) or key result (3.1).", a.pos[i].text)
}

// keyResult reads the key-result reference at position i.
func (a *args) keyResult(i int) (goalbot.KRRef, error) {
	if i >= len(a.pos) {
		return goalbot.KRRef{}, invalid(a.spec, "Say which key result, like 3.1.")
	}
	ref, ok := goalbot.ParseKRRef(a.pos[i].text)
	if !ok {
		return goalbot.KRRef{}, invalid(a.spec, "%q is not a key result (like 3.1).", a.pos[i].text)
	}
	return ref, nil
}

// title validates free text used as a title.
func (a *args) title(s, what string) (string, error) {
	if s == "" {
		return "", invalid(a.spec, "Give the %s a title.", what)
	}
	if n := utf8.RuneCountInString(s); n > goalbot.MaxTitleLen {
		return "", invalid(a.spec, "The title is %d characters long; the limit is %d.", n, goalbot.MaxTitleLen)
	}
	if err := checkText(s); err != nil {
		return "", withUsage(a.spec, err)
	}
	return s, nil
}

// MaxNoteLen is the longest check-in note, in characters.
const MaxNoteLen = 1000

// checkText refuses control characters, which have no place in a title or
// note and could garble Slack messages or logs.
func checkText(s string) error {
	for _, r := range s {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return goalbot.Errorf(goalbot.EINVALID, "The text contains a control character (%U).", r)
		}
	}
	return nil
}
