package bot

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmeSurfaces are the golden surfaces the README shows as text, in the
// order it shows them.
var readmeSurfaces = []string{"reminder-checkin.json", "modal-checkin.json", "reminder-deadline.json", "modal-new-template.json", "home.json"}

// surfaceText renders a golden payload as the text a reader of the README
// can picture: sections as their text (entities decoded), a row's button
// after it, a row of buttons as [A] [B], context lines indented, and a
// modal's fields as "Label: [value]" with ▾ for a choice, 📅 a date, 👤 a
// person and # a channel; * marks a required field.
func surfaceText(data []byte) (string, error) {
	type text struct {
		Text string `json:"text"`
	}
	type element struct {
		Type                string          `json:"type"`
		Text                json.RawMessage `json:"text"`
		InitialValue        string          `json:"initial_value"`
		InitialDate         string          `json:"initial_date"`
		InitialUser         string          `json:"initial_user"`
		InitialConversation string          `json:"initial_conversation"`
		Placeholder         *text           `json:"placeholder"`
		InitialOption       *struct {
			Text text `json:"text"`
		} `json:"initial_option"`
	}
	var p struct {
		Type   string `json:"type"`
		Title  *text  `json:"title"`
		Submit *text  `json:"submit"`
		Close  *text  `json:"close"`
		Blocks []struct {
			Type      string    `json:"type"`
			Text      *text     `json:"text"`
			Label     *text     `json:"label"`
			Optional  bool      `json:"optional"`
			Elements  []element `json:"elements"`
			Accessory *element  `json:"accessory"`
			Element   *element  `json:"element"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return "", err
	}
	decode := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace
	label := func(e element) string {
		var t text
		json.Unmarshal(e.Text, &t)
		return "[" + t.Text + "]"
	}
	var b strings.Builder
	if p.Type == "modal" {
		fmt.Fprintf(&b, "┌─ %s ─ (modal)\n", p.Title.Text)
	}
	for _, bl := range p.Blocks {
		switch bl.Type {
		case "header":
			b.WriteString(strings.ToUpper(bl.Text.Text) + "\n")
		case "section":
			b.WriteString(decode(bl.Text.Text))
			if bl.Accessory != nil {
				b.WriteString("  " + label(*bl.Accessory))
			}
			b.WriteString("\n")
		case "context":
			var t string
			json.Unmarshal(bl.Elements[0].Text, &t)
			b.WriteString("   " + decode(t) + "\n")
		case "actions":
			var row []string
			for _, e := range bl.Elements {
				row = append(row, label(e))
			}
			b.WriteString(strings.Join(row, " ") + "\n")
		case "input":
			e := bl.Element
			v := e.InitialValue
			switch e.Type {
			case "static_select":
				v = "▾ "
				if e.InitialOption != nil {
					v += e.InitialOption.Text.Text
				}
			case "datepicker":
				v = "📅 " + e.InitialDate
			case "users_select":
				v = "👤 " + e.InitialUser
			case "conversations_select":
				v = "# " + e.InitialConversation
			}
			if strings.TrimSpace(v) == "" || v == "▾ " {
				if e.Placeholder != nil {
					v += "(" + e.Placeholder.Text + ")"
				}
			}
			required := "*"
			if bl.Optional {
				required = ""
			}
			fmt.Fprintf(&b, "│ %s%s: [%s]\n", bl.Label.Text, required, strings.TrimSpace(v))
		}
	}
	if p.Type == "modal" {
		fmt.Fprintf(&b, "└─ [%s] [%s]\n", p.Close.Text, p.Submit.Text)
	}
	return b.String(), nil
}

// TestGoldenSurfacesInREADME checks that the README's text renderings of
// the golden surfaces are what goalbot sends; -update rewrites them (each
// is the fenced block after a "<!-- surface: NAME -->" line).
func TestGoldenSurfacesInREADME(t *testing.T) {
	const readme = "../README.md"
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for _, name := range readmeSurfaces {
		golden, err := os.ReadFile(filepath.Join(goldenDir, name))
		if err != nil {
			t.Fatal(err)
		}
		text, err := surfaceText(golden)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		marker := "<!-- surface: " + name + " -->\n```\n"
		start := strings.Index(doc, marker)
		if start < 0 {
			t.Errorf("the README lacks the marker %q", strings.TrimSpace(marker))
			continue
		}
		start += len(marker)
		end := strings.Index(doc[start:], "```\n")
		if end < 0 {
			t.Fatalf("the README's %s block is not closed", name)
		}
		if got := doc[start : start+end]; got != text {
			if *update {
				doc = doc[:start] + text + doc[start+end:]
				continue
			}
			t.Errorf("the README's rendering of %s is out of date (go test ./bot -run Golden -update rewrites it); want:\n%s", name, text)
		}
	}
	if *update && doc != string(data) {
		if err := os.WriteFile(readme, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
