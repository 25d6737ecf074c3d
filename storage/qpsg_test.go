package storage

import "testing"

// TestConnectionsHaveAStablePlanner: every connection opened after the
// package is loaded has SQLite's query planner stability guarantee, which
// keeps cached statements from being parsed again on each use (qpsg.go).
func TestConnectionsHaveAStablePlanner(t *testing.T) {
	if !qpsgOnNewConnection() {
		t.Fatal("a new SQLite connection lacks SQLITE_DBCONFIG_ENABLE_QPSG")
	}
}
