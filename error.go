package goalbot

import (
	"errors"
	"fmt"
)

// Application error codes. Every error a user can cause carries one of them;
// anything else is an internal error.
const (
	EINVALID   = "invalid"   // the request is malformed or breaks a rule
	ENOTFOUND  = "not_found" // an objective, key result or setting does not exist
	EFORBIDDEN = "forbidden" // the caller may not do this
	ECONFLICT  = "conflict"  // the change clashes with the current state
	EINTERNAL  = "internal"  // a bug or an unavailable dependency
)

// ErrRepeated is returned, in place of doing it again, for a request that
// already took effect: the same modal submission delivered twice.
var ErrRepeated = Errorf(ECONFLICT, "This was already done; the same request came twice and took effect once.")

// Error is the application error: a code and a message written for the Slack
// user who caused it. Messages are plain text; renderers escape them.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("goalbot error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the application error in err's chain, or
// EINTERNAL when there is none. A nil error has no code.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of the application error in
// err's chain. Internal errors get a generic sentence: their details belong in
// the log, not in Slack.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side."
}
