package commands

import (
	"fmt"
	"sort"
	"strings"
)

// spec describes one command. The table of specs drives both Parse and help,
// so help never drifts from behaviour.
type spec struct {
	name     string
	args     string // positional arguments, as shown in usage
	trailing string // free text after the options in usage, like "[note...]"
	summary  string
	options  []option
	examples []string
	parse    func(a *args) (Command, error)
	// changesGoals marks commands that change objectives or key results
	// when they succeed: see Reply.GoalsChanged.
	changesGoals bool
}

// option is a key:value option of a command.
type option struct {
	key      string
	arg      string // placeholder shown in usage, like DATE
	help     string
	required bool
}

// table lists every command, in the order help shows them. It is filled in
// init because the help command's parser reads the table.
var table []*spec

func init() {
	table = []*spec{
		helpSpec, newSpec, krSpec, updateSpec, listSpec, showSpec, historySpec,
		editSpec, milestoneSpec, closeSpec, reopenSpec, archiveSpec, deleteSpec, templatesSpec,
		digestSpec, remindSpec, exportSpec,
	}
}

// lookup returns the spec named name, or nil.
func lookup(name string) *spec {
	for _, s := range table {
		if s.name == name {
			return s
		}
	}
	return nil
}

// optionOwners returns the names of the commands that take option key.
func optionOwners(key string) []string {
	var names []string
	for _, s := range table {
		if s.hasOption(key) {
			names = append(names, s.name)
		}
	}
	return names
}

func (s *spec) hasOption(key string) bool {
	for _, o := range s.options {
		if o.key == key {
			return true
		}
	}
	return false
}

// usage is the one-line usage of the command.
func (s *spec) usage() string {
	parts := []string{"/goal " + s.name}
	if s.args != "" {
		parts = append(parts, s.args)
	}
	for _, o := range s.options {
		if o.required {
			parts = append(parts, o.key+":"+o.arg)
		} else {
			parts = append(parts, "["+o.key+":"+o.arg+"]")
		}
	}
	if s.trailing != "" {
		parts = append(parts, s.trailing)
	}
	return strings.Join(parts, " ")
}

// optionList names the options of s, for "unknown option" replies.
func (s *spec) optionList() string {
	if len(s.options) == 0 {
		return fmt.Sprintf("%s takes no options.", s.name)
	}
	keys := make([]string, len(s.options))
	for i, o := range s.options {
		keys[i] = o.key + ":"
	}
	sort.Strings(keys)
	return fmt.Sprintf("Options of %s: %s", s.name, strings.Join(keys, " "))
}

// Usages returns the one-line usage of every command, in help's order.
func Usages() []string {
	out := make([]string, len(table))
	for i, s := range table {
		out[i] = s.usage()
	}
	return out
}
