package storage_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/goalbot/goalbot"
	"github.com/goalbot/goalbot/storage"
)

// TestBackupWhileWriting copies the database while check-ins keep being
// written: the copy is a consistent snapshot (it passes integrity_check
// and holds a prefix of the check-ins), the source keeps working, and an
// existing file or a database that is not goalbot's is refused.
func TestBackupWhileWriting(t *testing.T) {
	db, _ := MustOpenClock(t)
	ctx := context.Background()
	MustObjective(t, db, "T1", "Grow")
	for i := range 200 {
		mustCheckIn(t, db, "T1", 1, 1, float64(1000+i), "2026-11-20")
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			c := &goalbot.CheckIn{TeamID: "T1", KR: goalbot.KRRef{Objective: 1, Number: 1}, Value: float64(i), Confidence: -1, AsOf: day("2026-11-21"), UserID: "U1"}
			if _, err := db.RecordCheckIn(ctx, c, allowCheckIn); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	dst := filepath.Join(t.TempDir(), "backup.db")
	size, err := storage.Backup(ctx, db.Path(), dst)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(dst)
	if err != nil || info.Size() != size || size == 0 {
		t.Fatalf("backup file %v (%v), reported size %d", info, err, size)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("the backup is readable by others: %v", perm)
	}
	copyDB := mustOpenPath(t, dst)
	list, err := copyDB.ListCheckIns(ctx, "T1", goalbot.KRRef{Objective: 1, Number: 1}, 0)
	if err != nil || len(list) < 200 {
		t.Fatalf("the copy holds %d check-ins (%v), want at least the 200 made before", len(list), err)
	}
	conn, _ := sql.Open("sqlite3", "file:"+dst+"?mode=ro")
	defer conn.Close()
	var ok string
	if err := conn.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check of the copy: %q %v", ok, err)
	}
	if matches, _ := filepath.Glob(dst + ".partial-*"); len(matches) != 0 {
		t.Errorf("temporary files left: %v", matches)
	}

	if _, err := storage.Backup(ctx, db.Path(), dst); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a second backup to the same file: %v", err)
	}
	notOurs := filepath.Join(t.TempDir(), "other.db")
	other, _ := sql.Open("sqlite3", "file:"+notOurs)
	other.Exec(`CREATE TABLE t (x)`)
	other.Close()
	if _, err := storage.Backup(ctx, notOurs, filepath.Join(t.TempDir(), "b.db")); err == nil || !strings.Contains(err.Error(), "is not a goalbot database") {
		t.Errorf("backup of a foreign database: %v", err)
	}
	check, _ := sql.Open("sqlite3", "file:"+notOurs+"?mode=ro")
	var journal string
	check.QueryRow(`PRAGMA journal_mode`).Scan(&journal)
	check.Close()
	if journal != "delete" {
		t.Errorf("the refused database's journal mode became %q", journal)
	}
	if _, err := storage.Backup(ctx, filepath.Join(t.TempDir(), "missing.db"), filepath.Join(t.TempDir(), "c.db")); err == nil {
		t.Error("backup of a missing file succeeded")
	}
}
