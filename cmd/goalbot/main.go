// Command goalbot is a self-hosted Slack bot for team goals (OKRs and SMART
// goals). `goalbot run` serves Slack in Socket Mode; `goalbot shell` runs the
// same commands locally against the same database; `goalbot version` prints
// the version. With no subcommand it runs the bot, except that with no Slack
// tokens set and a person at a terminal it opens the shell.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
	_ "time/tzdata" // time zones work on hosts and images without zoneinfo

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/bot"
	"github.com/goalbot/goalbot/commands"
	"github.com/goalbot/goalbot/shell"
	"github.com/goalbot/goalbot/storage"
	"golang.org/x/term"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

func main() {
	m := NewMain()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// A second signal exits at once: signal.NotifyContext stops catching
	// after the first one, so the default handler ends the process.
	go func() { <-ctx.Done(); stop() }()
	err := m.ParseFlags(os.Args[1:])
	if err == nil {
		err = m.Run(ctx)
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	} else if err != nil {
		fmt.Fprintln(m.Stderr, "goalbot:", err)
		os.Exit(2)
	}
}

// Main is the program: flags, configuration and wiring. Tests run it
// in-process against the fake Slack and a temp database.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Clock is the real clock unless a test injects one; GOALBOT_FAKE_NOW
	// offsets it.
	Clock goalbot.Clock
	// StdinIsTerminal makes the shell prompt; set by NewMain from the real
	// standard input.
	StdinIsTerminal bool

	Config     Config
	command    string
	configPath string
	shellUser  string
	shellTeam  string
	backupPath string
	opsAddr    atomic.Value // string: where /healthz and /metrics listen
	log        *slog.Logger
	db         *storage.DB
}

// NewMain returns a Main wired to the process's standard streams and
// environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Clock: goalbot.SystemClock,
		StdinIsTerminal: term.IsTerminal(int(os.Stdin.Fd()))}
}

const usage = `usage:
  goalbot run [-config FILE]      serve Slack in Socket Mode
  goalbot shell [-config FILE] [-db FILE] [-user ID] [-team ID]
                                  the same commands in a local console, no Slack
  goalbot backup [-config FILE] [-db FILE] BACKUP
                                  copy the database to the new file BACKUP, also while the bot runs
  goalbot version
  goalbot [-config FILE]          run; or, with no Slack tokens set and a terminal on standard input, shell`

// ParseFlags reads the subcommand and its flags, then the configuration.
func (m *Main) ParseFlags(args []string) error {
	m.command = "auto"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		m.command, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("goalbot "+m.command, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() { fmt.Fprintln(m.Stderr, usage) }
	fs.StringVar(&m.configPath, "config", "", "TOML config file (see config.example.toml)")
	var dbPath string
	switch m.command {
	case "auto", "run":
	case "shell":
		fs.StringVar(&dbPath, "db", "", "SQLite database file (default: the config's, goalbot.db)")
		fs.StringVar(&m.shellUser, "user", "U1", "user ID to act as")
		fs.StringVar(&m.shellTeam, "team", "T1", "workspace (team) ID")
	case "backup":
		fs.StringVar(&dbPath, "db", "", "SQLite database file (default: the config's, goalbot.db)")
	case "version":
		return nil
	case "help":
		fs.Usage()
		return flag.ErrHelp
	default:
		fmt.Fprintln(m.Stderr, usage)
		return fmt.Errorf("unknown command %q", m.command)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if m.command == "backup" {
		if fs.NArg() != 1 {
			return fmt.Errorf("backup takes the file to write, once\n%s", usage)
		}
		m.backupPath = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q\n%s", fs.Arg(0), usage)
	}

	m.Config = DefaultConfig()
	m.log = slog.New(slog.NewTextHandler(m.Stderr, nil))
	if m.configPath != "" {
		if err := LoadConfigFile(&m.Config, m.configPath, m.log); err != nil {
			return err
		}
	}
	ApplyEnv(&m.Config, m.Getenv)
	if dbPath != "" {
		m.Config.Database = dbPath
	}
	if err := m.Config.Validate(); err != nil {
		return err
	}
	level, _ := m.Config.logLevel()
	opts := &slog.HandlerOptions{Level: level}
	if m.Config.Log.Format == "json" {
		m.log = slog.New(slog.NewJSONHandler(m.Stderr, opts))
	} else {
		m.log = slog.New(slog.NewTextHandler(m.Stderr, opts))
	}
	if m.command == "auto" {
		// A person trying goalbot without Slack gets the shell; a service
		// started without tokens fails loudly as `run` does.
		m.command = "run"
		if !m.Config.HasTokens() && m.StdinIsTerminal {
			m.command = "shell"
			m.shellUser, m.shellTeam = "U1", "T1"
			fmt.Fprintln(m.Stderr, "No Slack tokens set (SLACK_BOT_TOKEN, SLACK_APP_TOKEN): starting the local shell. Type help, or :quit to leave.")
		}
	}
	return nil
}

// Run runs the chosen subcommand until it ends or ctx is cancelled.
func (m *Main) Run(ctx context.Context) error {
	switch m.command {
	case "version":
		_, err := fmt.Fprintln(m.Stdout, "goalbot", Version)
		return err
	case "shell":
		return m.runShell(ctx)
	case "run":
		return m.runBot(ctx)
	case "backup":
		size, err := storage.Backup(ctx, m.Config.Database, m.backupPath)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(m.Stdout, "backed up %s to %s (%d bytes, integrity check ok)\n", m.Config.Database, m.backupPath, size)
		return err
	}
	return fmt.Errorf("unknown command %q", m.command)
}

// clock returns the program's clock, honouring GOALBOT_FAKE_NOW.
func (m *Main) clock() (goalbot.Clock, error) {
	v := m.Getenv("GOALBOT_FAKE_NOW")
	if v == "" {
		return m.Clock, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, fmt.Errorf("GOALBOT_FAKE_NOW %q is not an RFC 3339 time like 2026-11-26T10:00:00Z", v)
	}
	m.log.Warn("GOALBOT_FAKE_NOW is set: the clock starts at a fake time; for tests and demos only", "fake_now", t.Format(time.RFC3339))
	return goalbot.OffsetClock(t, m.Clock), nil
}

func (m *Main) openDB(ctx context.Context, clock goalbot.Clock) error {
	db, err := storage.Open(ctx, m.Config.Database, clock)
	if err != nil {
		return err
	}
	m.db = db
	return nil
}

func (m *Main) runShell(ctx context.Context) error {
	base, err := m.clock()
	if err != nil {
		return err
	}
	clock := shell.NewClock(base)
	if err := m.openDB(ctx, clock); err != nil {
		return err
	}
	zone, _ := m.Config.Location()
	exec := m.executor(clock, true)
	exec.Zone = zone
	sh := &shell.Shell{
		Exec:      exec,
		Clock:     clock,
		In:        m.Stdin,
		Out:       m.Stdout,
		Prompt:    m.StdinIsTerminal,
		Log:       m.log,
		TeamID:    m.shellTeam,
		UserID:    m.shellUser,
		ChannelID: "C1",
		Zone:      zone,
	}
	sh.Dispatch = &commands.Dispatcher{Exec: exec, Store: m.db, Sender: sh, UserZone: sh.UserZone}
	return sh.Run(ctx)
}

func (m *Main) runBot(ctx context.Context) error {
	if err := m.Config.ValidateTokens(); err != nil {
		return err
	}
	clock, err := m.clock()
	if err != nil {
		return err
	}
	if err := m.openDB(ctx, clock); err != nil {
		return err
	}
	zone, _ := m.Config.Location()
	exec := m.executor(clock, false)
	exec.Zone = zone
	b := bot.New(bot.Config{
		BotToken:   m.Config.Slack.BotToken,
		AppToken:   m.Config.Slack.AppToken,
		APIURL:     m.Config.Slack.APIURL,
		HTTPClient: &http.Client{Timeout: m.Config.Slack.HTTPTimeout.Duration},
		Zone:       zone,
	}, exec, m.log)
	exec.Announce = b.Announce
	exec.OnCheckIn = b.CountCheckIn
	if m.Config.HTTP.Listen != "" {
		addr, err := serveOps(ctx, m.Config.HTTP.Listen, opsHandler(b, m.db, m.log), m.log)
		if err != nil {
			return err
		}
		m.opsAddr.Store(addr.String())
	}
	b.Schedule(&commands.Dispatcher{Exec: exec, Store: m.db, Sender: b.Sender(), UserZone: b.UserZone},
		m.Config.TickInterval.Duration)
	m.log.Info("goalbot starting", "version", Version, "database", m.Config.Database, "timezone", m.Config.Timezone)
	return b.Run(ctx)
}

// executor is the command layer on the open database.
func (m *Main) executor(clock goalbot.Clock, plainNames bool) *commands.Executor {
	return &commands.Executor{Store: m.db, Clock: clock, Admins: m.Config.Admins,
		AchievableMultiple: m.Config.AchievableMultiple, PlainNames: plainNames}
}

// Close releases what Run opened.
func (m *Main) Close() error {
	if m.db != nil {
		return m.db.Close()
	}
	return nil
}
