package commands

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goalbot/goalbot"
)

// maxNumberMagnitude is the largest absolute value ParseNumber accepts.
const maxNumberMagnitude = 1e15

// Number is a parsed numeric value with the unit its notation implied.
type Number struct {
	Value float64
	Unit  string // "%" for 45%, "$" for $1,200 (also "€", "£" prefixes), "" otherwise
}

// currencySymbols are the currency prefixes ParseNumber understands and
// FormatNumber writes before the number.
var currencySymbols = []string{"$", "€", "£"}

// ParseNumber parses the number forms users type: plain and signed integers
// and decimals (1200, -3, +5, 4.5), thousands separators (1,200, 12,345.6),
// a decimal comma (0,9, 12,34), the multipliers k, M (or m) and B (1.2k,
// 2.5M, 3B), percentages (45%, which gives Value 45 and Unit "%") and
// currency amounts ($1,200, -$5, $-5, €3, £2.5k). Surrounding whitespace is
// ignored. Anything else, including exponents, NaN, infinities and values
// whose magnitude exceeds 1e15, is an EINVALID error whose message quotes
// the input.
//
// A comma followed by exactly three digits (then the end, a dot, another
// comma or a suffix) is a thousands separator, and then every group must be
// well formed (1,234,567; not 1,234,56 or 0,125, which is refused as
// ambiguous). Any other single comma is a decimal comma (1,50 is 1.5,
// 1,2345 is 1.2345). A dot is always a decimal point (1.500 is 1.5), and a
// number cannot use both a decimal comma and a dot.
func ParseNumber(s string) (Number, error) {
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return Number{}, numberError(in)
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return Number{}, goalbot.Errorf(goalbot.EINVALID,
			"%s has a space in it. Write numbers without spaces, as in 1200 or 1,200.", quotedArg(in))
	}

	// Sign, currency, and a sign after the currency ($-5); one sign at most.
	neg, signed := false, false
	if s[0] == '+' || s[0] == '-' {
		neg, signed = s[0] == '-', true
		s = s[1:]
	}
	unit := ""
	for _, c := range currencySymbols {
		if strings.HasPrefix(s, c) {
			unit = c
			s = s[len(c):]
			break
		}
	}
	if unit != "" && !signed && s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}

	// Percent sign or multiplier suffix, never both.
	shift := 0
	if strings.HasSuffix(s, "%") {
		if unit != "" {
			return Number{}, goalbot.Errorf(goalbot.EINVALID,
				"%s mixes a currency with a percentage. Try $1,200 or 45%%.", quotedArg(in))
		}
		unit = "%"
		s = s[:len(s)-1]
		if s != "" && strings.ContainsRune("kKmMbB", rune(s[len(s)-1])) {
			return Number{}, goalbot.Errorf(goalbot.EINVALID,
				"%s combines a k, M or B suffix with a percentage. Write the percentage in full, as in 45%% or 1500%%.", quotedArg(in))
		}
	} else if s != "" {
		switch s[len(s)-1] {
		case 'k', 'K':
			shift = 3
		case 'm', 'M':
			shift = 6
		case 'b', 'B':
			shift = 9
		}
		if shift > 0 {
			s = s[:len(s)-1]
		}
	}

	// What remains must be digits with commas and at most one dot.
	if s == "" || strings.Trim(s, "0123456789,.") != "" {
		if looksLikeExponent(s) {
			return Number{}, goalbot.Errorf(goalbot.EINVALID,
				"%s uses an exponent. Write the number out, as in 100000 or 100k.", quotedArg(in))
		}
		return Number{}, numberError(in)
	}
	intPart, fracPart, hasDot := strings.Cut(s, ".")
	if hasDot && (fracPart == "" || strings.ContainsAny(fracPart, ",.")) {
		return Number{}, numberError(in)
	}
	if intPart == "" && !hasDot {
		return Number{}, numberError(in)
	}
	if groups := strings.Split(intPart, ","); len(groups) > 1 {
		switch {
		case allThousandsGroups(groups):
			intPart = strings.Join(groups, "")
		case len(groups) == 2 && !hasDot && groups[0] != "" && groups[1] != "" && len(groups[1]) != 3:
			intPart, fracPart = groups[0], groups[1]
		default:
			return Number{}, goalbot.Errorf(goalbot.EINVALID,
				"%s has misplaced commas. Use commas between groups of three digits, as in 1,234,567, and a dot for decimals, as in 1,234.56.", quotedArg(in))
		}
	}

	// Apply the multiplier by moving the decimal point, so 1.2k is exactly 1200.
	if shift > 0 {
		moved := min(shift, len(fracPart))
		intPart += fracPart[:moved] + strings.Repeat("0", shift-moved)
		fracPart = fracPart[moved:]
	}
	if intPart == "" {
		intPart = "0"
	}
	norm := intPart
	if fracPart != "" {
		norm += "." + fracPart
	}
	v, err := strconv.ParseFloat(norm, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return Number{}, numberError(in)
	}
	if math.IsInf(v, 0) || math.IsNaN(v) || v > maxNumberMagnitude {
		return Number{}, goalbot.Errorf(goalbot.EINVALID,
			"%s is too large. Numbers must be between -1,000,000,000,000,000 and 1,000,000,000,000,000.", quotedArg(in))
	}
	if neg && v != 0 {
		v = -v
	}
	return Number{Value: v, Unit: unit}, nil
}

// allThousandsGroups reports whether groups (a number's integer part split at
// its commas) is a well-formed thousands grouping: a first group of one to
// three digits without a leading zero, then groups of exactly three digits.
func allThousandsGroups(groups []string) bool {
	if len(groups[0]) < 1 || len(groups[0]) > 3 || groups[0][0] == '0' {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

// looksLikeExponent reports whether s is written in scientific notation,
// like 1e5 or 2.5E-3.
func looksLikeExponent(s string) bool {
	mant, exp, ok := strings.Cut(strings.ToLower(s), "e")
	if !ok || mant == "" || strings.Trim(mant, "0123456789.") != "" {
		return false
	}
	exp = strings.TrimLeft(exp, "+-")
	return exp != "" && strings.Trim(exp, "0123456789") == ""
}

func numberError(in string) error {
	return goalbot.Errorf(goalbot.EINVALID,
		"%s is not a number. Try 1200, 1,200, 1.5, 1.2k, 45%% or $1,200.", quotedArg(in))
}

// maxQuotedRunes bounds how much of a user's input an error message repeats.
const maxQuotedRunes = 64

// quotedArg quotes user input for an error message, shortening long input so
// the message stays readable.
func quotedArg(s string) string {
	if utf8.RuneCountInString(s) > maxQuotedRunes {
		r := []rune(s)
		s = string(r[:maxQuotedRunes]) + "…"
	}
	return strconv.Quote(s)
}

// FormatNumber formats v for replies: commas between thousands, at most two
// decimals with trailing zeros trimmed, and the unit attached. Currency units
// ("$", "€", "£") go before the number and keep two decimals unless the
// amount is whole ("$1,200", "$0.90", "-$5"); "%" follows without a space
// ("45%"); any other unit follows after a space ("2,000 followers"); an empty
// unit gives just the number ("-3.5").
func FormatNumber(v float64, unit string) string {
	var num string
	neg := false
	if math.IsNaN(v) || math.IsInf(v, 0) {
		num = strconv.FormatFloat(v, 'f', -1, 64)
	} else {
		neg = v < 0
		intPart, fracPart, _ := strings.Cut(strconv.FormatFloat(math.Abs(v), 'f', 2, 64), ".")
		if fracPart == "00" {
			fracPart = ""
		} else if !isCurrency(unit) {
			fracPart = strings.TrimRight(fracPart, "0")
		}
		if intPart == "0" && fracPart == "" {
			neg = false // -0.001 rounds to 0, not -0
		}
		num = groupThousands(intPart)
		if fracPart != "" {
			num += "." + fracPart
		}
	}
	sign := ""
	if neg {
		sign = "-"
	}
	switch {
	case unit == "":
		return sign + num
	case isCurrency(unit):
		return sign + unit + num
	case unit == "%":
		return sign + num + "%"
	default:
		return sign + num + " " + unit
	}
}

func isCurrency(unit string) bool {
	for _, c := range currencySymbols {
		if unit == c {
			return true
		}
	}
	return false
}

// groupThousands puts commas between groups of three digits.
func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteByte(',')
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
