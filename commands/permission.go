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

// mayCheckIn refuses callers other than the key result's owner, the
// objective's owner and admins.
func (c *call) mayCheckIn(o *goalbot.Objective, kr *goalbot.KeyResult) error {
	if goalbot.MayCheckIn(o, kr, c.inv.UserID, c.x.Admins) {
		return nil
	}
	return &refusal{goalbot.Errorf(goalbot.EFORBIDDEN,
		"Only the owner of key result %s, the owner of objective %d or an admin may check in on it.", kr.Ref, o.Number), kr.OwnerID}
}

// refusal is a permission error that names who may act.
type refusal struct {
	err   *goalbot.Error
	owner string
}

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }
