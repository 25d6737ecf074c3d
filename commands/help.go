package commands

import (
	"strings"
)

var helpSpec = &spec{
	name:     "help",
	args:     "[command]",
	summary:  "usage of every command, or details of one",
	examples: []string{"/goal help", "/goal help kr"},
	parse: func(a *args) (Command, error) {
		if len(a.pos) > 1 {
			return nil, invalid(a.spec, "help takes at most one command name.")
		}
		if len(a.pos) == 1 {
			topic := strings.ToLower(a.pos[0].text)
			if lookup(topic) == nil {
				return nil, invalid(a.spec, "There is no command %q. Try /goal help.", a.pos[0].text)
			}
			return helpCommand{topic: topic}, nil
		}
		return helpCommand{}, nil
	},
}

// helpCommand shows the usage of every command, or the details of one.
type helpCommand struct {
	topic string
}

func (helpCommand) Name() string { return "help" }

func (c helpCommand) run(*call) (Reply, error) {
	return Help(c.topic), nil
}

// Help returns the help reply for topic ("" for the overview). It is
// generated from the command table.
func Help(topic string) Reply {
	var r Reply
	if s := lookup(topic); s != nil {
		r.add(Heading, plain("/goal "+s.name))
		r.add(Section, plain(upperFirst(s.summary)+"."), plain("\n"), code(s.usage()))
		if len(s.options) > 0 {
			var t Text
			for i, o := range s.options {
				if i > 0 {
					t = append(t, plain("\n"))
				}
				t = append(t, code(o.key+":"+o.arg), plain(" "+o.help))
			}
			r.Blocks = append(r.Blocks, Block{Kind: Section, Text: t})
		}
		if len(s.examples) > 0 {
			t := Text{plain("Examples:")}
			for _, e := range s.examples {
				t = append(t, plain("\n"), code(e))
			}
			r.Blocks = append(r.Blocks, Block{Kind: Section, Text: t})
		}
		return r
	}
	r.add(Heading, plain("goalbot: objectives, key results and check-ins"))
	var t Text
	for i, s := range table {
		if i > 0 {
			t = append(t, plain("\n"))
		}
		t = append(t, code(s.usage()), plain(" — "+s.summary))
	}
	r.Blocks = append(r.Blocks, Block{Kind: Section, Text: t})
	r.add(Context, plain("Numbers: 1200, 1,200, 1.2k, 2.5M, 45%, $1,200, 0,9. Dates: 2026-12-31, 12-31, Q4, 2026Q4, +30d, +6w, friday, today, tomorrow. More: /goal help <command>."))
	return r
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
