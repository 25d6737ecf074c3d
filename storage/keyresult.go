package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/goalbot/goalbot"
)

// CreateKeyResult adds kr to objective kr.Ref.Objective of kr.TeamID as its
// next key result and sets kr.Ref.Number and kr.CreatedAt. check sees the
// objective as loaded inside the write transaction and may refuse with an
// error, returned as is, before anything is written. It returns ENOTFOUND
// when the objective does not exist, and goalbot.ErrRepeated, writing
// nothing, when kr.Request is set and already made a key result.
func (db *DB) CreateKeyResult(ctx context.Context, kr *goalbot.KeyResult, check func(o *goalbot.Objective) error) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	o, err := findObjective(ctx, tx, kr.TeamID, kr.Ref.Objective)
	if err != nil {
		return err
	}
	if err := check(o); err != nil {
		return err
	}
	if err := claimRequest(ctx, tx, kr.TeamID, kr.Request); err != nil {
		return err
	}
	objectiveID, err := findObjectiveID(ctx, tx, kr.TeamID, kr.Ref.Objective)
	if err != nil {
		return err
	}
	if err := insertKeyResult(ctx, tx, objectiveID, kr); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit key result: %w", err)
	}
	kr.CreatedAt = tx.now
	return nil
}

// insertKeyResult adds kr to the objective with row id objectiveID as its
// next key result, inside tx, and sets kr.Ref.Number, its defaults and its
// current value (the start).
func insertKeyResult(ctx context.Context, tx *writeTx, objectiveID int64, kr *goalbot.KeyResult) error {
	var number int
	if err := tx.QueryRowContext(ctx, `UPDATE objectives SET last_kr = last_kr + 1, updated_at = ?
		WHERE team_id = ? AND id = ? RETURNING last_kr`, tx.now.Unix(), kr.TeamID, objectiveID).Scan(&number); err != nil {
		return fmt.Errorf("number key result: %w", err)
	}
	if kr.Weight == 0 {
		kr.Weight = 1
	}
	if kr.Kind == "" {
		kr.Kind = goalbot.KindNumber
	}
	start := sql.NullFloat64{Float64: kr.Start, Valid: !kr.Pending}
	if _, err := tx.ExecContext(ctx, `INSERT INTO key_results
		(team_id, objective_id, number, title, kind, start_value, target_value, unit, weight, owner_id, due_date, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		kr.TeamID, objectiveID, number, kr.Title, string(kr.Kind), start, kr.Target, kr.Unit, kr.Weight, kr.OwnerID,
		kr.Due.String(), kr.CreatedBy, tx.now.Unix(), tx.now.Unix()); err != nil {
		return fmt.Errorf("insert key result: %w", err)
	}
	kr.Ref.Number = number
	kr.Current, kr.LastConfidence = kr.Start, -1
	return nil
}

// FindKeyResult returns the objective holding key result ref of team, with
// all its key results loaded, and that key result. It returns ENOTFOUND
// naming the missing ID.
func (db *DB) FindKeyResult(ctx context.Context, team string, ref goalbot.KRRef) (*goalbot.Objective, *goalbot.KeyResult, error) {
	o, err := db.FindObjective(ctx, team, ref.Objective)
	if err != nil {
		return nil, nil, err
	}
	for _, kr := range o.KeyResults {
		if kr.Ref == ref {
			return o, kr, nil
		}
	}
	return nil, nil, goalbot.Errorf(goalbot.ENOTFOUND, "Key result %s not found.", ref)
}

// attachKeyResults loads the key results of the objectives in byID (picked
// by sel, as in queryObjectives) with their current values, which each key
// result keeps (migration 0008). The unary + keeps SQLite from walking
// every key result of the workspace by the owner index: the objectives
// selected lead, by their own index. The value at the due date is the
// latest one unless that was measured after the due date: only then is it
// looked up (CASE evaluates lazily).
func attachKeyResults(ctx context.Context, q querier, team string, byID map[int64]*goalbot.Objective, sel selection) error {
	where, args := sel.where(team)
	rows, err := q.QueryContext(ctx, `SELECT k.objective_id, k.number, k.title, k.kind, k.start_value, k.target_value,
		k.unit, k.weight, k.owner_id, k.due_date, k.baseline_date, k.created_by, k.created_at,
		k.check_in_count, k.last_value, k.last_as_of, k.last_confidence,
		CASE WHEN k.last_as_of <= (CASE k.due_date WHEN '' THEN o.due_date ELSE k.due_date END) THEN k.last_value
			WHEN k.last_as_of IS NULL THEN NULL
			ELSE (SELECT c.value FROM check_ins c WHERE c.team_id = k.team_id AND c.key_result_id = k.id
				AND c.as_of <= (CASE k.due_date WHEN '' THEN o.due_date ELSE k.due_date END)
				ORDER BY c.as_of DESC, c.id DESC LIMIT 1) END
		FROM key_results k JOIN objectives o ON o.team_id = k.team_id AND o.id = k.objective_id
		WHERE +k.team_id = ? AND k.objective_id IN (SELECT o.id FROM objectives o WHERE `+where+`)
		ORDER BY k.objective_id, k.number`, append([]any{team}, args...)...)
	if err != nil {
		return fmt.Errorf("query key results: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			objectiveID int64
			kr          = &goalbot.KeyResult{TeamID: team}
			start       sql.NullFloat64
			due         string
			baseline    string
			created     int64
			current     sql.NullFloat64
			asOf        sql.NullString
			confidence  sql.NullInt64
			atDue       sql.NullFloat64
		)
		if err := rows.Scan(&objectiveID, &kr.Ref.Number, &kr.Title, &kr.Kind, &start, &kr.Target,
			&kr.Unit, &kr.Weight, &kr.OwnerID, &due, &baseline, &kr.CreatedBy, &created,
			&kr.CheckIns, &current, &asOf, &confidence, &atDue); err != nil {
			return fmt.Errorf("scan key result: %w", err)
		}
		o := byID[objectiveID]
		if o == nil {
			continue
		}
		kr.Ref.Objective = o.Number
		kr.Start, kr.Pending = start.Float64, !start.Valid
		if kr.Due, err = parseDate(due); err != nil {
			return fmt.Errorf("key result %s due: %w", kr.Ref, err)
		}
		if kr.BaselineDate, err = parseDate(baseline); err != nil {
			return fmt.Errorf("key result %s baseline date: %w", kr.Ref, err)
		}
		kr.CreatedAt = time.Unix(created, 0).UTC()
		kr.Current, kr.LastConfidence = kr.Start, -1
		kr.ValueAtDue, kr.HasValueAtDue = atDue.Float64, atDue.Valid
		if current.Valid {
			kr.Current = current.Float64
			if kr.LastAsOf, err = parseDate(asOf.String); err != nil {
				return fmt.Errorf("key result %s as-of: %w", kr.Ref, err)
			}
			if confidence.Valid {
				kr.LastConfidence = int(confidence.Int64)
			}
		}
		o.KeyResults = append(o.KeyResults, kr)
	}
	return rows.Err()
}

// keyResultIDs returns the row ids of the key results in refs of team that
// exist, in one query.
func keyResultIDs(ctx context.Context, q querier, team string, refs []goalbot.KRRef) (map[goalbot.KRRef]int64, error) {
	want := make(map[goalbot.KRRef]bool, len(refs))
	args := []any{team, team}
	seen := map[int]bool{}
	for _, ref := range refs {
		want[ref] = true
		if !seen[ref.Objective] {
			seen[ref.Objective] = true
			args = append(args, ref.Objective)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT o.number, k.number, k.id FROM key_results k
		JOIN objectives o ON o.id = k.objective_id
		WHERE k.team_id = ? AND o.team_id = ? AND o.number IN (`+placeholders(len(args)-2)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("find key results: %w", err)
	}
	defer rows.Close()
	ids := make(map[goalbot.KRRef]int64, len(refs))
	for rows.Next() {
		var (
			ref goalbot.KRRef
			id  int64
		)
		if err := rows.Scan(&ref.Objective, &ref.Number, &id); err != nil {
			return nil, fmt.Errorf("scan key result: %w", err)
		}
		if want[ref] {
			ids[ref] = id
		}
	}
	return ids, rows.Err()
}

// findKeyResultID returns the row id of key result ref of team.
func findKeyResultID(ctx context.Context, q querier, team string, ref goalbot.KRRef) (int64, error) {
	if _, err := findObjectiveID(ctx, q, team, ref.Objective); err != nil {
		return 0, err
	}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective_id
		WHERE k.team_id = ? AND o.team_id = ? AND o.number = ? AND k.number = ?`,
		team, team, ref.Objective, ref.Number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, goalbot.Errorf(goalbot.ENOTFOUND, "Key result %s not found.", ref)
	} else if err != nil {
		return 0, fmt.Errorf("find key result %s: %w", ref, err)
	}
	return id, nil
}
