package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/goalbot/goalbot"
)

// RecordCheckIn appends c to key result c.KR of c.TeamID and sets
// c.CreatedAt. check sees the objective and key result as loaded inside the
// write transaction and may refuse with an error, returned as is, before
// anything is written. The key result's current value becomes c.Value
// unless a check-in with a later as-of date exists; current reports which,
// as decided inside the same transaction. It returns ENOTFOUND for an unknown
// key result, and goalbot.ErrRepeated, writing nothing, when c.Request is
// set and already recorded a check-in.
//
// It returns once the check-in is committed. Check-ins that arrive while
// another commits are written together, each in a savepoint of one
// transaction, and committed with one fsync (group commit); one refused or
// failing is rolled back to its savepoint alone.
func (db *DB) RecordCheckIn(ctx context.Context, c *goalbot.CheckIn,
	check func(o *goalbot.Objective, kr *goalbot.KeyResult) error) (current bool, err error) {
	job := &checkInJob{ctx: ctx, c: c, check: check, done: make(chan checkInResult, 1)}
	select {
	case db.checkIns <- job:
	case <-ctx.Done():
		return false, ctx.Err()
	case <-db.closing:
		return false, fmt.Errorf("record check-in on %s: the database is closing", c.KR)
	}
	r := <-job.done
	return r.current, r.err
}

// checkInJob is a RecordCheckIn waiting for its group.
type checkInJob struct {
	ctx   context.Context
	c     *goalbot.CheckIn
	check func(o *goalbot.Objective, kr *goalbot.KeyResult) error
	done  chan checkInResult
}

type checkInResult struct {
	current bool
	err     error
}

// maxCheckInGroup bounds the check-ins committed together.
const maxCheckInGroup = 64

// recordCheckIns writes the check-ins sent to db.checkIns until Close:
// each group is the first waiting and all that queued up behind it.
func (db *DB) recordCheckIns() {
	defer close(db.checkInsDone)
	for {
		var group []*checkInJob
		select {
		case j := <-db.checkIns:
			group = append(group, j)
		case <-db.closing:
			return
		}
	more:
		for len(group) < maxCheckInGroup {
			select {
			case j := <-db.checkIns:
				group = append(group, j)
			default:
				break more
			}
		}
		db.commitCheckIns(group)
	}
}

// commitCheckIns writes a group of check-ins in one transaction, each in a
// savepoint, and answers each once the transaction is committed.
func (db *DB) commitCheckIns(group []*checkInJob) {
	results := make([]checkInResult, len(group))
	committed := false
	// Every caller is answered, also after a panic here (which is
	// recovered, so the goroutine goes on with the next group): a
	// check-in not committed is never answered as recorded.
	defer func() {
		p := recover()
		for i, j := range group {
			if !committed && results[i].err == nil {
				results[i].err = fmt.Errorf("check-in on %s not committed (panic: %v)", j.c.KR, p)
			}
			j.done <- results[i]
		}
	}()
	// The group's work must not die with one caller's context.
	ctx := context.Background()
	tx, err := db.beginWrite(ctx)
	if err != nil {
		for i := range results {
			results[i].err = err
		}
		return
	}
	defer tx.Rollback()
	written := 0
	for i, j := range group {
		if err := j.ctx.Err(); err != nil {
			results[i].err = err
			continue
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT check_in`); err != nil {
			results[i].err = fmt.Errorf("savepoint: %w", err)
			continue
		}
		current, err := recordCheckIn(ctx, tx, j.c, j.check)
		if err != nil {
			results[i].err = err
			if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO check_in`); rerr != nil {
				// The transaction cannot be trusted: nothing of it is kept.
				for k := range results {
					if results[k].err == nil {
						results[k] = checkInResult{err: fmt.Errorf("roll back check-in: %w", rerr)}
					}
				}
				return
			}
		} else {
			results[i].current = current
			written++
		}
		if _, err := tx.ExecContext(ctx, `RELEASE check_in`); err != nil {
			for k := range results {
				if results[k].err == nil {
					results[k] = checkInResult{err: fmt.Errorf("release savepoint: %w", err)}
				}
			}
			return
		}
	}
	if written == 0 {
		committed = true // nothing to commit: every result is an error
		return
	}
	if err := tx.Commit(); err != nil {
		for i, j := range group {
			if results[i].err == nil {
				results[i] = checkInResult{err: fmt.Errorf("commit check-in on %s: %w", j.c.KR, err)}
			}
		}
		return
	}
	committed = true
	for i, j := range group {
		if results[i].err == nil {
			j.c.CreatedAt = tx.now
		}
	}
}

// recordCheckIn is one check-in's work inside tx; a panic in check comes
// back as an error.
func recordCheckIn(ctx context.Context, tx *writeTx, c *goalbot.CheckIn,
	check func(o *goalbot.Objective, kr *goalbot.KeyResult) error) (current bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("check-in on %s: panic: %v", c.KR, p)
		}
	}()
	o, err := findObjective(ctx, tx, c.TeamID, c.KR.Objective)
	if err != nil {
		return false, err
	}
	kr := o.KeyResult(c.KR.Number)
	if kr == nil {
		return false, goalbot.Errorf(goalbot.ENOTFOUND, "Key result %s not found.", c.KR)
	}
	if err := check(o, kr); err != nil {
		return false, err
	}
	if err := claimRequest(ctx, tx, c.TeamID, c.Request); err != nil {
		return false, err
	}
	var confidence sql.NullInt64
	if c.Confidence >= 0 {
		confidence = sql.NullInt64{Int64: int64(c.Confidence), Valid: true}
	}
	// Check-ins are only ever inserted, here and by internal/seed, and
	// deleted with their key result: the trigger of migrations 0006 and
	// 0008 keeps each key result's count and latest check-in from that.
	// Code that edits or deletes check-ins must recompute both.
	//
	// One statement finds the key result's row and inserts (a trigger
	// counts it): a check-in is mostly this and the commit's fsync.
	if _, err := tx.ExecContext(ctx, `INSERT INTO check_ins
		(team_id, key_result_id, value, confidence, note, as_of, user_id, created_at)
		SELECT ?, k.id, ?, ?, ?, ?, ?, ? FROM key_results k JOIN objectives o ON o.id = k.objective_id
		WHERE o.team_id = ? AND o.number = ? AND k.team_id = ? AND k.number = ?`,
		c.TeamID, c.Value, confidence, c.Note, c.AsOf.String(), c.UserID, tx.now.Unix(),
		c.TeamID, c.KR.Objective, c.TeamID, c.KR.Number); err != nil {
		return false, fmt.Errorf("insert check-in on %s: %w", c.KR, err)
	}
	// The key result as loaded in this transaction says whether the new
	// check-in is the latest measurement: none before it, or none measured
	// later (an equal as-of date goes to the later entry, this one).
	current = kr.CheckIns == 0 || !c.AsOf.Before(kr.LastAsOf)
	if kr.Pending {
		// A pending baseline is set by the first check-in.
		if _, err := tx.ExecContext(ctx, `UPDATE key_results SET start_value = ?, baseline_date = ?, updated_at = ?
			WHERE team_id = ? AND number = ? AND start_value IS NULL
			AND objective_id = (SELECT id FROM objectives WHERE team_id = ? AND number = ?)`,
			c.Value, c.AsOf.String(), tx.now.Unix(), c.TeamID, c.KR.Number, c.TeamID, c.KR.Objective); err != nil {
			return false, fmt.Errorf("set baseline of %s: %w", c.KR, err)
		}
		if err := recordChanges(ctx, tx, []goalbot.Change{{TeamID: c.TeamID, Objective: c.KR.Objective, KR: c.KR.Number,
			UserID: c.UserID, Field: "baseline", Old: "pending", New: formatFloat(c.Value)}}); err != nil {
			return false, err
		}
	}
	return current, nil
}

// ListCheckIns returns the check-ins of key result ref of team, newest
// measurement first (by as-of date, then by entry), at most limit of them
// (all when limit <= 0). It returns ENOTFOUND for an unknown key result.
func (db *DB) ListCheckIns(ctx context.Context, team string, ref goalbot.KRRef, limit int) ([]goalbot.CheckIn, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	krID, err := findKeyResultID(ctx, tx, team, ref)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = -1
	}
	rows, err := tx.QueryContext(ctx, `SELECT value, confidence, note, as_of, user_id, created_at
		FROM check_ins WHERE team_id = ? AND key_result_id = ?
		ORDER BY as_of DESC, id DESC LIMIT ?`, team, krID, limit)
	if err != nil {
		return nil, fmt.Errorf("query check-ins of %s: %w", ref, err)
	}
	defer rows.Close()
	list := make([]goalbot.CheckIn, 0, max(limit, 0))
	for rows.Next() {
		var (
			c          = goalbot.CheckIn{TeamID: team, KR: ref, Confidence: -1}
			confidence sql.NullInt64
			asOf       string
			created    int64
		)
		if err := rows.Scan(&c.Value, &confidence, &c.Note, &asOf, &c.UserID, &created); err != nil {
			return nil, fmt.Errorf("scan check-in: %w", err)
		}
		if confidence.Valid {
			c.Confidence = int(confidence.Int64)
		}
		if c.AsOf, err = parseDate(asOf); err != nil {
			return nil, fmt.Errorf("check-in as-of: %w", err)
		}
		c.CreatedAt = time.Unix(created, 0).UTC()
		list = append(list, c)
	}
	return list, rows.Err()
}

// PacePoints returns the latest measurements (as-of date and value) of each
// key result in refs of team, newest first by as-of date, then by entry, at
// most limit of each, and only those as of since or later unless since is
// zero: what pace is computed from. One read transaction serves them all,
// and the index check_ins_latest answers each key result's read without
// touching the table. Unknown key results are left out.
func (db *DB) PacePoints(ctx context.Context, team string, refs []goalbot.KRRef, since goalbot.Date, limit int) (map[goalbot.KRRef][]goalbot.Point, error) {
	points := make(map[goalbot.KRRef][]goalbot.Point, len(refs))
	if len(refs) == 0 {
		return points, nil
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ids, err := keyResultIDs(ctx, tx, team, refs)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = -1
	}
	// as_of >= '' holds for every date.
	stmt, err := tx.PrepareContext(ctx, `SELECT as_of, value FROM check_ins
		WHERE team_id = ? AND key_result_id = ? AND as_of >= ? ORDER BY as_of DESC, id DESC LIMIT ?`)
	if err != nil {
		return nil, fmt.Errorf("prepare pace points: %w", err)
	}
	defer stmt.Close()
	for _, ref := range refs {
		id, ok := ids[ref]
		if !ok {
			continue
		}
		list, err := queryPoints(ctx, stmt, team, id, since, limit)
		if err != nil {
			return nil, fmt.Errorf("pace points of %s: %w", ref, err)
		}
		points[ref] = list
	}
	return points, nil
}

func queryPoints(ctx context.Context, stmt *sql.Stmt, team string, krID int64, since goalbot.Date, limit int) ([]goalbot.Point, error) {
	rows, err := stmt.QueryContext(ctx, team, krID, since.String(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []goalbot.Point
	for rows.Next() {
		var (
			p    goalbot.Point
			asOf string
		)
		if err := rows.Scan(&asOf, &p.Value); err != nil {
			return nil, err
		}
		if p.Date, err = parseDate(asOf); err != nil {
			return nil, err
		}
		list = append(list, p)
	}
	return list, rows.Err()
}

// ValuesAsOf returns the value of each key result of team measured on or
// before date (its latest check-in by as-of date then), for the key results
// that had one.
func (db *DB) ValuesAsOf(ctx context.Context, team string, date goalbot.Date) (map[goalbot.KRRef]float64, error) {
	// The latest check-in, which each key result keeps, is the answer
	// unless it was measured after date.
	rows, err := db.read.QueryContext(ctx, `SELECT o.number, k.number,
		CASE WHEN k.last_as_of <= ? THEN k.last_value
			WHEN k.last_as_of IS NULL THEN NULL
			ELSE (SELECT c.value FROM check_ins c WHERE c.team_id = k.team_id AND c.key_result_id = k.id AND c.as_of <= ?
				ORDER BY c.as_of DESC, c.id DESC LIMIT 1) END AS v
		FROM key_results k JOIN objectives o ON o.team_id = k.team_id AND o.id = k.objective_id
		WHERE k.team_id = ? AND o.state = 'active'`, date.String(), date.String(), team)
	if err != nil {
		return nil, fmt.Errorf("query values as of %s: %w", date, err)
	}
	defer rows.Close()
	values := map[goalbot.KRRef]float64{}
	for rows.Next() {
		var (
			ref goalbot.KRRef
			v   sql.NullFloat64
		)
		if err := rows.Scan(&ref.Objective, &ref.Number, &v); err != nil {
			return nil, fmt.Errorf("scan value: %w", err)
		}
		if v.Valid {
			values[ref] = v.Float64
		}
	}
	return values, rows.Err()
}

// CheckInCounts returns how many check-ins each user of team entered since t.
func (db *DB) CheckInCounts(ctx context.Context, team string, since time.Time) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT user_id, COUNT(*) FROM check_ins
		WHERE team_id = ? AND created_at >= ? GROUP BY user_id`, team, since.Unix())
	if err != nil {
		return nil, fmt.Errorf("count check-ins since %s: %w", since, err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var (
			user string
			n    int
		)
		if err := rows.Scan(&user, &n); err != nil {
			return nil, fmt.Errorf("scan count: %w", err)
		}
		counts[user] = n
	}
	return counts, rows.Err()
}
