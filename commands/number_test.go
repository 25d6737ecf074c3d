package commands

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/goalbot/goalbot"
)

var parseNumberTests = []struct {
	in   string
	want Number
}{
	{"1200", Number{1200, ""}},
	{"-3", Number{-3, ""}},
	{"+5", Number{5, ""}},
	{"0", Number{0, ""}},
	{"-0", Number{0, ""}},
	{"007", Number{7, ""}},
	{"4.5", Number{4.5, ""}},
	{".5", Number{0.5, ""}},
	{"-.25", Number{-0.25, ""}},
	{"1.500", Number{1.5, ""}},
	{"1,200", Number{1200, ""}},
	{"12,345.6", Number{12345.6, ""}},
	{"1,234,567", Number{1234567, ""}},
	{"1,234,567.891", Number{1234567.891, ""}},
	{"-1,234", Number{-1234, ""}},
	{"0,9", Number{0.9, ""}},
	{"1,50", Number{1.5, ""}},
	{"12,34", Number{12.34, ""}},
	{"1,2345", Number{1.2345, ""}},
	{"1234,5", Number{1234.5, ""}},
	{"-0,5", Number{-0.5, ""}},
	{"1.2k", Number{1200, ""}},
	{"1.2K", Number{1200, ""}},
	{"2.5M", Number{2500000, ""}},
	{"2.5m", Number{2500000, ""}},
	{"0.1M", Number{100000, ""}},
	{"3B", Number{3e9, ""}},
	{"3b", Number{3e9, ""}},
	{"1.23456k", Number{1234.56, ""}},
	{"1,5k", Number{1500, ""}},
	{"1,200k", Number{1200000, ""}},
	{"-2k", Number{-2000, ""}},
	{".5k", Number{500, ""}},
	{"45%", Number{45, "%"}},
	{"4.5%", Number{4.5, "%"}},
	{"-10%", Number{-10, "%"}},
	{"0,5%", Number{0.5, "%"}},
	{"150%", Number{150, "%"}},
	{"$1,200", Number{1200, "$"}},
	{"$1.4", Number{1.4, "$"}},
	{"-$5", Number{-5, "$"}},
	{"$-5", Number{-5, "$"}},
	{"+$5", Number{5, "$"}},
	{"$1.2M", Number{1200000, "$"}},
	{"€3", Number{3, "€"}},
	{"€1,50", Number{1.5, "€"}},
	{"£2.5k", Number{2500, "£"}},
	{"-£0.99", Number{-0.99, "£"}},
	{" 12 ", Number{12, ""}},
	{"1,000,000,000,000,000", Number{1e15, ""}},
	{"-1000000B", Number{-1e15, ""}},
	{"999999999999999.9", Number{999999999999999.9, ""}},
}

var parseNumberErrors = []string{
	"",
	" ",
	"abc",
	"1..2",
	"1.2.3",
	"--1",
	"+-1",
	"-$-5",
	"$$5",
	"NaN",
	"nan",
	"Inf",
	"-Inf",
	"infinity",
	"1e5",
	"1E5",
	"2.5e-3",
	"%",
	"$",
	"k",
	"-",
	"+",
	"-%",
	"12abc",
	"12ab",
	"1kk",
	"1 200",
	"12 %",
	"1\t2",
	"1,234,56",
	"1,5.3",
	"1,",
	",5",
	",",
	"1.",
	"1.k",
	"0,125",
	"1234,567",
	"01,234",
	"1,2,3",
	"1k%",
	"$45%",
	"5$",
	"0x10",
	"1_000",
	"١٢",
	"10000000000000000",
	"1000001B",
	"1,000,000,000,000,001",
	strings.Repeat("9", 400),
}

func TestParseNumber(t *testing.T) {
	for _, tt := range parseNumberTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseNumber(tt.in)
			if err != nil {
				t.Fatalf("ParseNumber(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseNumber(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			if math.Signbit(got.Value) != (got.Value < 0) {
				t.Errorf("ParseNumber(%q) returned negative zero", tt.in)
			}
		})
	}
}

func TestParseNumberErrors(t *testing.T) {
	for _, in := range parseNumberErrors {
		t.Run(in, func(t *testing.T) {
			got, err := ParseNumber(in)
			if err == nil {
				t.Fatalf("ParseNumber(%q) = %#v, want an error", in, got)
			}
			checkUserError(t, err, in)
		})
	}
}

func TestParseNumberMessages(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"abc", `"abc" is not a number. Try 1200, 1,200, 1.5, 1.2k, 45% or $1,200.`},
		{"1,234,56", `"1,234,56" has misplaced commas.`},
		{"1e5", `"1e5" uses an exponent.`},
		{"1 200", `"1 200" has a space in it.`},
		{"$45%", `"$45%" mixes a currency with a percentage.`},
		{"1k%", `"1k%" combines a k, M or B suffix with a percentage.`},
		{"2000000B", `"2000000B" is too large.`},
	} {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseNumber(tt.in)
			if msg := goalbot.ErrorMessage(err); !strings.HasPrefix(msg, tt.want) {
				t.Errorf("ParseNumber(%q) message = %q, want it to start with %q", tt.in, msg, tt.want)
			}
		})
	}
}

func TestParseNumberQuotesLongInputBriefly(t *testing.T) {
	in := strings.Repeat("x", 1000)
	_, err := ParseNumber(in)
	msg := goalbot.ErrorMessage(err)
	if len(msg) > 300 || !strings.Contains(msg, `"`+strings.Repeat("x", maxQuotedRunes)+`…"`) {
		t.Errorf("message for long input = %q, want a shortened quote", msg)
	}
}

// checkUserError asserts that err is an EINVALID error with a one-line
// message that quotes in and ends with a period.
func checkUserError(t *testing.T, err error, in string) {
	t.Helper()
	if code := goalbot.ErrorCode(err); code != goalbot.EINVALID {
		t.Errorf("error code for %q = %q, want %q (err: %v)", in, code, goalbot.EINVALID, err)
	}
	msg := goalbot.ErrorMessage(err)
	if !strings.Contains(msg, quotedArg(in)) {
		t.Errorf("message for %q = %q, want it to quote the input", in, msg)
	}
	if len([]rune(in)) <= maxQuotedRunes && !strings.Contains(msg, fmt.Sprintf("%q", in)) {
		t.Errorf("message for %q = %q, want it to contain %q", in, msg, fmt.Sprintf("%q", in))
	}
	if !strings.HasSuffix(msg, ".") || strings.ContainsAny(msg, "\n\r") {
		t.Errorf("message for %q = %q, want one line ending with a period", in, msg)
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		unit string
		want string
	}{
		{1200, "", "1,200"},
		{1234567.891, "", "1,234,567.89"},
		{0.5, "", "0.5"},
		{0, "", "0"},
		{-0.001, "", "0"},
		{-3.5, "", "-3.5"},
		{999, "", "999"},
		{1000, "", "1,000"},
		{123456, "", "123,456"},
		{-1234567, "", "-1,234,567"},
		{1.005, "", "1"}, // 1.005 is 1.00499999... in binary
		{2.675, "", "2.67"},
		{0.125, "", "0.12"},
		{1e15, "", "1,000,000,000,000,000"},
		{45, "%", "45%"},
		{4.5, "%", "4.5%"},
		{-10, "%", "-10%"},
		{1.4, "$", "$1.40"},
		{0.9, "$", "$0.90"},
		{1200, "$", "$1,200"},
		{1199.999, "$", "$1,200"},
		{-5, "$", "-$5"},
		{-0.5, "$", "-$0.50"},
		{1234.5, "€", "€1,234.50"},
		{2500, "£", "£2,500"},
		{2000, "followers", "2,000 followers"},
		{1.5, "km", "1.5 km"},
		{math.Inf(1), "", "+Inf"},
		{math.NaN(), "%", "NaN%"},
	} {
		t.Run(fmt.Sprintf("%v%s", tt.v, tt.unit), func(t *testing.T) {
			if got := FormatNumber(tt.v, tt.unit); got != tt.want {
				t.Errorf("FormatNumber(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
			}
		})
	}
}

// checkNumberRoundTrip asserts that ParseNumber reads FormatNumber's output
// back as v, give or take the two-decimal rounding.
func checkNumberRoundTrip(t *testing.T, v float64, unit string) {
	t.Helper()
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) >= 1e12 {
		return
	}
	s := FormatNumber(v, unit)
	got, err := ParseNumber(s)
	if err != nil {
		t.Fatalf("ParseNumber(FormatNumber(%v, %q) = %q) error: %v", v, unit, s, err)
	}
	// 0.005 is the rounding to two decimals; the float nearest the decimal
	// may add up to half an ulp of v on top.
	av := math.Abs(v)
	tolerance := 0.005 + 2*(math.Nextafter(av, math.Inf(1))-av)
	if math.Abs(got.Value-v) > tolerance || got.Unit != unit {
		t.Fatalf("ParseNumber(FormatNumber(%v, %q) = %q) = %#v, want %v within %v", v, unit, s, got, v, tolerance)
	}
}

func TestFormatNumberRoundTrip(t *testing.T) {
	for _, v := range []float64{0, 0.125, -0.125, 0.005, 1.005, 2.675, 1200, 1234567.891, -3.5, 999999999999.125, -999999999999.995, 1e-9} {
		for _, unit := range []string{"", "%", "$", "€", "£"} {
			checkNumberRoundTrip(t, v, unit)
		}
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, tt := range parseNumberTests {
		f.Add(tt.in)
	}
	for _, in := range parseNumberErrors {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNumber(s)
		if err != nil {
			checkUserError(t, err, s)
			return
		}
		if math.IsNaN(n.Value) || math.IsInf(n.Value, 0) || math.Abs(n.Value) > 1e15 {
			t.Fatalf("ParseNumber(%q) = %v, want a finite value of at most 1e15", s, n.Value)
		}
		if math.Signbit(n.Value) && n.Value == 0 {
			t.Fatalf("ParseNumber(%q) returned negative zero", s)
		}
		switch n.Unit {
		case "", "%", "$", "€", "£":
		default:
			t.Fatalf("ParseNumber(%q) unit = %q", s, n.Unit)
		}
		checkNumberRoundTrip(t, n.Value, "")
		checkNumberRoundTrip(t, n.Value, n.Unit)
	})
}

func FuzzFormatNumber(f *testing.F) {
	for _, v := range []float64{0, 0.125, 1.005, 1200, 1234567.891, -3.5, 999999999999.125, 1e15, 1e300, 5e-324} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		for _, unit := range []string{"", "%", "$"} {
			checkNumberRoundTrip(t, v, unit)
		}
	})
}
