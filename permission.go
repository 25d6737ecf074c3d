package goalbot

import "slices"

// MayChangeObjective reports whether user may change objective o (add key
// results to it, and later edit, close or delete it): its owner and admins.
func MayChangeObjective(o *Objective, user string, admins []string) bool {
	return user == o.OwnerID || slices.Contains(admins, user)
}

// MayCheckIn reports whether user may check in on key result kr of
// objective o: the key result's owner, the objective's owner and admins.
func MayCheckIn(o *Objective, kr *KeyResult, user string, admins []string) bool {
	return user == kr.OwnerID || MayChangeObjective(o, user, admins)
}
