package bot

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goalbot/goalbot/commands"
)

func span(kind commands.SpanKind, s string) commands.Span { return commands.Span{Kind: kind, Text: s} }

func TestMrkdwnEscapesUserTextOnly(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   commands.Text
		want string
	}{
		{"broadcast typed by a user", commands.Text{span(commands.Plain, "<!channel> & <!here>")}, "&lt;!channel&gt; &amp; &lt;!here&gt;"},
		{"mention typed by a user", commands.Text{span(commands.Plain, "<@U0EVIL001>")}, "&lt;@U0EVIL001&gt;"},
		{"link typed by a user", commands.Text{span(commands.Plain, "<https://evil.example|click>")}, "&lt;https://evil.example|click&gt;"},
		{"goalbot's own mention", commands.Text{span(commands.User, "U0BOB0001")}, "<@U0BOB0001>"},
		{"goalbot's own channel", commands.Text{span(commands.Channel, "C0MKTG001")}, "<#C0MKTG001>"},
		{"a user span that is not an ID", commands.Text{span(commands.User, "U1>|<!channel")}, "@U1&gt;|&lt;!channel"},
		{"a channel span that is not an ID", commands.Text{span(commands.Channel, "general")}, "#general"},
		{"strong and code", commands.Text{span(commands.Strong, "a<b"), span(commands.Code, "/goal kr <n>")}, "*a&lt;b*`/goal kr &lt;n&gt;`"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mrkdwn(tc.in); got != tc.want {
				t.Errorf("mrkdwn = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestBlocksRespectSlackLimits(t *testing.T) {
	var r commands.Reply
	r.Blocks = append(r.Blocks, commands.Block{Kind: commands.Heading, Text: commands.Text{span(commands.Plain, strings.Repeat("H", 400))}})
	long := strings.Repeat("line of text & more\n", 1000) // 20,000 characters, 25,000 escaped
	for range 10 {
		r.Blocks = append(r.Blocks, commands.Block{Kind: commands.Section, Text: commands.Text{span(commands.Plain, long)}})
	}
	blocks := Blocks(r)
	if len(blocks) != maxMessageBlocks {
		t.Fatalf("%d blocks, want the cap of %d", len(blocks), maxMessageBlocks)
	}
	data, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	var decoded []struct {
		Type string `json:"type"`
		Text struct {
			Text string `json:"text"`
		} `json:"text"`
		Elements []struct {
			Text string `json:"text"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(data, &decoded); err != nil {
		t.Fatal(err)
	}
	if decoded[0].Type != "header" || utf8.RuneCountInString(decoded[0].Text.Text) != maxHeaderText {
		t.Errorf("header is %q with %d characters", decoded[0].Type, utf8.RuneCountInString(decoded[0].Text.Text))
	}
	for i, b := range decoded {
		if n := len(b.Text.Text); n > maxSectionText {
			t.Errorf("block %d has %d characters", i, n)
		}
		if strings.Contains(b.Text.Text, "&am\n") || strings.HasSuffix(b.Text.Text, "&amp") {
			t.Errorf("block %d splits an entity", i)
		}
	}
	last := decoded[len(decoded)-1]
	if last.Type != "context" || !strings.Contains(last.Elements[0].Text, "more blocks not shown") {
		t.Errorf("last block = %+v, want a note about the blocks left out", last)
	}
}

func TestSplitTextKeepsRunesAndEntities(t *testing.T) {
	s := strings.Repeat("é&amp;", 1000) // no line breaks: cut anywhere safe
	parts := splitText(s, 100)
	if strings.Join(parts, "") != s {
		t.Fatal("split lost or reordered text")
	}
	for _, p := range parts {
		if len(p) > 100 || !utf8.ValidString(p) {
			t.Fatalf("bad part %q", p)
		}
		if i := strings.LastIndexByte(p, '&'); i >= 0 && !strings.Contains(p[i:], ";") {
			t.Fatalf("part ends inside an entity: %q", p)
		}
	}
}

func TestHeadingWithMentionBecomesBoldSection(t *testing.T) {
	r := commands.Reply{Blocks: []commands.Block{{Kind: commands.Heading, Text: commands.Text{span(commands.Plain, "Objectives of "), span(commands.User, "U0BOB0001")}}}}
	data, _ := json.Marshal(Blocks(r))
	if !strings.Contains(string(data), `"type":"section"`) || !strings.Contains(string(data), `*Objectives of \u003c@U0BOB0001\u003e*`) {
		t.Errorf("blocks = %s", data)
	}
	if got := Fallback(r); got != "Objectives of <@U0BOB0001>" {
		t.Errorf("fallback = %q", got)
	}
}

func TestHeadingWithMarkupCharactersIsEscaped(t *testing.T) {
	r := commands.Reply{Blocks: []commands.Block{{Kind: commands.Heading, Text: commands.Text{span(commands.Plain, "Objective 1: Party <!here> & more")}}}}
	data, _ := json.Marshal(Blocks(r))
	var blocks []struct {
		Type string                `json:"type"`
		Text struct{ Text string } `json:"text"`
	}
	if err := json.Unmarshal(data, &blocks); err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 1 || blocks[0].Type != "section" || blocks[0].Text.Text != "*Objective 1: Party &lt;!here&gt; &amp; more*" {
		t.Errorf("blocks = %s", data)
	}
}
