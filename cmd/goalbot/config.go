package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/goalbot/goalbot"
)

// Config is goalbot's configuration: defaults, then the TOML file given
// with -config, then environment variables.
type Config struct {
	Database string   `toml:"database"`
	Timezone string   `toml:"timezone"`
	Admins   []string `toml:"admins"`
	// AchievableMultiple: a SMART goal counts as achievable while the pace
	// it needs is at most this many times the pace it has.
	AchievableMultiple float64 `toml:"achievable_multiple"`
	// TickInterval is how often the scheduler looks for due messages.
	TickInterval Duration `toml:"tick_interval"`
	Slack        struct {
		BotToken    string   `toml:"bot_token"`
		AppToken    string   `toml:"app_token"`
		APIURL      string   `toml:"api_url"`
		HTTPTimeout Duration `toml:"http_timeout"`
	} `toml:"slack"`
	Log struct {
		Level  string `toml:"level"`
		Format string `toml:"format"`
	} `toml:"log"`
	// HTTP is the optional listener of /healthz and /metrics.
	HTTP struct {
		Listen string `toml:"listen"` // host:port; "" (the default) is off
	} `toml:"http"`
}

// Duration is a time.Duration written as "10s" in TOML.
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration like 10s", b)
	}
	d.Duration = v
	return nil
}

// DefaultConfig returns the defaults documented in config.example.toml.
func DefaultConfig() Config {
	var c Config
	c.Database = "goalbot.db"
	c.Timezone = "UTC"
	c.AchievableMultiple = goalbot.DefaultAchievableMultiple
	c.TickInterval = Duration{15 * time.Second}
	c.Slack.APIURL = "https://slack.com/api/"
	c.Slack.HTTPTimeout = Duration{10 * time.Second}
	c.Log.Level = "info"
	c.Log.Format = "text"
	return c
}

// LoadConfigFile reads a TOML file over c. A key goalbot does not know is an
// error that names it.
func LoadConfigFile(c *Config, path string, log *slog.Logger) error {
	md, err := toml.DecodeFile(path, c)
	if err != nil {
		return fmt.Errorf("read config %s: %w", path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		keys := make([]string, len(undecoded))
		for i, k := range undecoded {
			keys[i] = k.String()
		}
		sort.Strings(keys)
		return fmt.Errorf("config %s: unknown key %s (see config.example.toml)", path, strings.Join(keys, ", "))
	}
	warnIfReadableByOthers(path, log)
	return nil
}

// warnIfReadableByOthers says so when a config file that may hold tokens is
// readable by other users.
func warnIfReadableByOthers(path string, log *slog.Logger) {
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o044 != 0 {
		log.Warn("config file is readable by other users; if it holds Slack tokens, chmod 600 it", "path", path)
	}
}

// ApplyEnv overrides c with the environment variables goalbot reads.
func ApplyEnv(c *Config, getenv func(string) string) {
	set := func(dst *string, key string) {
		if v := getenv(key); v != "" {
			*dst = v
		}
	}
	set(&c.Slack.BotToken, "SLACK_BOT_TOKEN")
	set(&c.Slack.AppToken, "SLACK_APP_TOKEN")
	set(&c.Slack.APIURL, "SLACK_API_URL")
	set(&c.Database, "GOALBOT_DB")
	set(&c.Timezone, "GOALBOT_TIMEZONE")
	set(&c.HTTP.Listen, "GOALBOT_HTTP_LISTEN")
	if v := getenv("GOALBOT_ADMINS"); v != "" {
		c.Admins = strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' })
	}
}

// Validate checks what does not depend on Slack tokens.
func (c *Config) Validate() error {
	if c.Database == "" {
		return fmt.Errorf("config: database must not be empty")
	}
	if _, err := c.Location(); err != nil {
		return err
	}
	if _, err := c.logLevel(); err != nil {
		return err
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		return fmt.Errorf("config: log.format must be text or json, not %q", c.Log.Format)
	}
	if !(c.AchievableMultiple > 0) || c.AchievableMultiple > 1000 {
		return fmt.Errorf("config: achievable_multiple must be a number above 0 (default 2)")
	}
	if c.TickInterval.Duration < time.Second || c.TickInterval.Duration > time.Minute {
		return fmt.Errorf("config: tick_interval must be between 1s and 1m (default 15s)")
	}
	if c.HTTP.Listen != "" {
		if _, port, err := net.SplitHostPort(c.HTTP.Listen); err != nil || port == "" {
			return fmt.Errorf("config: http.listen %q must be host:port, like 127.0.0.1:9090", c.HTTP.Listen)
		}
	}
	if c.Slack.HTTPTimeout.Duration <= 0 {
		return fmt.Errorf("config: slack.http_timeout must be positive")
	}
	u, err := url.Parse(c.Slack.APIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("config: slack API URL %q must be an http(s) URL such as https://slack.com/api/", c.Slack.APIURL)
	}
	if !strings.HasSuffix(c.Slack.APIURL, "/") {
		c.Slack.APIURL += "/"
	}
	return nil
}

// HasTokens reports whether any Slack token is configured.
func (c *Config) HasTokens() bool { return c.Slack.BotToken != "" || c.Slack.AppToken != "" }

// ValidateTokens checks that both Slack tokens are set and have the right
// prefixes. Messages never include the tokens.
func (c *Config) ValidateTokens() error {
	if c.Slack.BotToken == "" || c.Slack.AppToken == "" {
		return fmt.Errorf(`goalbot run needs two Slack tokens:
  SLACK_BOT_TOKEN  the Bot User OAuth Token (xoxb-...) from "OAuth & Permissions"
  SLACK_APP_TOKEN  an app-level token (xapp-...) with connections:write, from "Basic Information"
Set them in the environment or as bot_token/app_token under [slack] in a config file (-config FILE).
To try goalbot without Slack, run: goalbot shell`)
	}
	if !strings.HasPrefix(c.Slack.BotToken, "xoxb-") {
		return fmt.Errorf("SLACK_BOT_TOKEN must be a bot token starting with xoxb- (the Bot User OAuth Token)")
	}
	if !strings.HasPrefix(c.Slack.AppToken, "xapp-") {
		return fmt.Errorf("SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information > App-Level Tokens)")
	}
	return nil
}

// Location returns the workspace time zone.
func (c *Config) Location() (*time.Location, error) {
	if c.Timezone == "" || c.Timezone == "Local" {
		return nil, fmt.Errorf("config: timezone must be an IANA zone such as Europe/Warsaw")
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return nil, fmt.Errorf("config: unknown timezone %q (use an IANA zone such as Europe/Warsaw)", c.Timezone)
	}
	return loc, nil
}

func (c *Config) logLevel() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.Log.Level)); err != nil {
		return 0, fmt.Errorf("config: log.level must be debug, info, warn or error, not %q", c.Log.Level)
	}
	return l, nil
}
