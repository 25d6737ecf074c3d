package goalbot

import "slices"

// MayChangeObjective reports whether user may change objective o (add key
// results to it, and later edit, close or delete it): its owner and admins.
func MayChangeObjective(o *Objective, user string, admins []string) bool {
	return user == o.OwnerID || slices.Contains(admins, user)
}

// MayChangeKeyResult reports whether user may change or delete key result
// kr of objective o, check in on it, or add milestones to it: the key
// result's owner, the objective's owner and admins.
func MayChangeKeyResult(o *Objective, kr *KeyResult, user string, admins []string) bool {
	return user == kr.OwnerID || MayChangeObjective(o, user, admins)
}
