package storage

import "testing"

func TestMigrationVersion(t *testing.T) {
	for name, want := range map[string]int{
		"migrations/0001_init.sql": 1,
		"migrations/10_ledger.sql": 10,
		"migrations/2_x.sql":       2,
	} {
		if got, err := migrationVersion(name); err != nil || got != want {
			t.Errorf("migrationVersion(%q) = %d, %v; want %d", name, got, err, want)
		}
	}
	for _, name := range []string{"migrations/init.sql", "migrations/0_zero.sql", "migrations/-1_x.sql"} {
		if _, err := migrationVersion(name); err == nil {
			t.Errorf("migrationVersion(%q) accepted a bad name", name)
		}
	}
}
