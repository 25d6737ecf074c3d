package goalbot

// Export is everything one workspace holds about its goals, as /goal export
// hands it out: every objective in any state (active, closed, archived),
// each with its key results (current values loaded) and milestones, and
// every check-in of those key results. Deleted objectives and key results
// are gone, with their check-ins.
type Export struct {
	TeamID string
	// Objectives are ordered by number, their key results by number.
	Objectives []*Objective
	// CheckIns are ordered by objective number, key-result number, as-of
	// date, then the order they were entered in.
	CheckIns []CheckIn
}

// KeyResults counts the key results of every objective in e.
func (e *Export) KeyResults() int {
	n := 0
	for _, o := range e.Objectives {
		n += len(o.KeyResults)
	}
	return n
}

// CheckInsByKeyResult groups e.CheckIns by key result, each group in e's
// order. Key results without check-ins have no entry.
func (e *Export) CheckInsByKeyResult() map[KRRef][]CheckIn {
	m := map[KRRef][]CheckIn{}
	for _, c := range e.CheckIns {
		m[c.KR] = append(m[c.KR], c)
	}
	return m
}
