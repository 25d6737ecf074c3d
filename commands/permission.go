package commands

import (
	"github.com/goalbot/goalbot"
)

// mayChangeObjective refuses callers other than the objective's owner and admins.
func (c *call) mayChangeObjective(o *goalbot.Objective, what string) error {
	if goalbot.MayChangeObjective(o, c.inv.UserID, c.x.Admins) {
		return nil
	}
	return &refusal{goalbot.Errorf(goalbot.EFORBIDDEN,
		"Only the owner of objective %d or an admin may %s.", o.Number, what), o.OwnerID}
}

// mayChangeKeyResult refuses callers other than the key result's owner, the
// objective's owner and admins.
func (c *call) mayChangeKeyResult(o *goalbot.Objective, kr *goalbot.KeyResult, what string) error {
	if goalbot.MayChangeKeyResult(o, kr, c.inv.UserID, c.x.Admins) {
		return nil
	}
	return &refusal{goalbot.Errorf(goalbot.EFORBIDDEN,
		"Only the owner of key result %s, the owner of objective %d or an admin may %s.", kr.Ref, o.Number, what), kr.OwnerID}
}

// refusal is a permission error that names who may act.
type refusal struct {
	err   *goalbot.Error
	owner string
}

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }
