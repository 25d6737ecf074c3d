package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/goalbot/goalbot"
)

// CreateObjective stores o as the workspace's next objective, with its key
// results o.KeyResults numbered 1, 2... in order, all in one transaction, and
// sets o.Number, o.CreatedAt and the key results' references. o.TeamID must
// be set. With o.Request set, a second call with the same request creates
// nothing and returns goalbot.ErrRepeated.
func (db *DB) CreateObjective(ctx context.Context, o *goalbot.Objective) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := claimRequest(ctx, tx, o.TeamID, o.Request); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO workspaces (team_id) VALUES (?) ON CONFLICT DO NOTHING`, o.TeamID); err != nil {
		return fmt.Errorf("create workspace %s: %w", o.TeamID, err)
	}
	var number int
	if err := tx.QueryRowContext(ctx, `UPDATE workspaces SET last_objective = last_objective + 1
		WHERE team_id = ? RETURNING last_objective`, o.TeamID).Scan(&number); err != nil {
		return fmt.Errorf("number objective: %w", err)
	}
	if o.State == "" {
		o.State = goalbot.StateActive
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO objectives
		(team_id, number, title, owner_id, channel_id, framework, goal_type, aim, start_date, due_date, state, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.TeamID, number, o.Title, o.OwnerID, o.ChannelID, string(o.Framework), o.GoalType, o.Aim,
		o.Start.String(), o.Due.String(), string(o.State), o.CreatedBy, tx.now.Unix(), tx.now.Unix())
	if err != nil {
		return fmt.Errorf("insert objective: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("insert objective: %w", err)
	}
	for _, kr := range o.KeyResults {
		kr.TeamID, kr.Ref.Objective = o.TeamID, number
		if err := insertKeyResult(ctx, tx, id, kr); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit objective: %w", err)
	}
	o.Number, o.CreatedAt = number, tx.now
	for _, kr := range o.KeyResults {
		kr.CreatedAt = tx.now
	}
	return nil
}

// FindObjective returns objective number of team with its key results and
// milestones. It returns ENOTFOUND when the workspace has no such objective.
func (db *DB) FindObjective(ctx context.Context, team string, number int) (*goalbot.Objective, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findObjective(ctx, tx, team, number)
}

func findObjective(ctx context.Context, q querier, team string, number int) (*goalbot.Objective, error) {
	os, err := queryObjectives(ctx, q, team, selection{cond: `o.number = ?`, args: []any{number}})
	if err != nil {
		return nil, err
	} else if len(os) == 0 {
		return nil, goalbot.Errorf(goalbot.ENOTFOUND, "Objective %d not found.", number)
	}
	return os[0], nil
}

// ListObjectives returns the workspace's objectives matching f, with their
// key results, ordered by due date then number.
func (db *DB) ListObjectives(ctx context.Context, team string, f goalbot.ObjectiveFilter) ([]*goalbot.Objective, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	sel := selection{cond: `o.state = 'active'`}
	var match []string
	if f.UserID != "" && f.ChannelID == "" {
		// Both owner indexes find the user's objectives; given as a list
		// of row IDs, the three queries of queryObjectives look each up
		// directly. (As a subquery, SQLite walked every objective of the
		// workspace in each of them: 1,000 rows per query for a user with
		// two.)
		ids, err := userObjectives(ctx, tx, team, f.UserID)
		if err != nil || len(ids) == 0 {
			return nil, err
		}
		sel.cond += " AND o.id IN (" + placeholders(len(ids)) + ")"
		sel.args = append(sel.args, ids...)
		sel.rowIDs = true
	} else if f.UserID != "" {
		match = append(match, `o.id IN (SELECT id FROM objectives WHERE team_id = ? AND owner_id = ?
			UNION SELECT objective_id FROM key_results WHERE team_id = ? AND owner_id = ?)`)
		sel.args = append(sel.args, team, f.UserID, team, f.UserID)
	}
	if f.ChannelID != "" {
		match = append(match, `o.channel_id = ?`)
		sel.args = append(sel.args, f.ChannelID)
	}
	if len(match) > 0 {
		sel.cond += " AND (" + strings.Join(match, " OR ") + ")"
	}
	return queryObjectives(ctx, tx, team, sel)
}

// userObjectives returns the row IDs of the objectives of team that user
// owns or holds a key result of.
func userObjectives(ctx context.Context, q querier, team, user string) ([]any, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM objectives WHERE team_id = ? AND owner_id = ?
		UNION SELECT objective_id FROM key_results WHERE team_id = ? AND owner_id = ?`, team, user, team, user)
	if err != nil {
		return nil, fmt.Errorf("query objectives of %s: %w", user, err)
	}
	defer rows.Close()
	var ids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("scan objective of %s: %w", user, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// selection picks objectives of a workspace for queryObjectives: cond is a
// condition on alias o, with args.
type selection struct {
	cond string
	args []any
	// rowIDs says cond names the objectives by row ID (o.id IN (...)).
	// The workspace test is then kept out of the index choice: without
	// statistics SQLite prefers the (team_id, number) index and walks
	// every objective of the workspace (1,000 rows for a user's 12).
	rowIDs bool
}

// where is the WHERE condition of sel for workspace team on alias o.
func (sel selection) where(team string) (string, []any) {
	test := `o.team_id = ?`
	if sel.rowIDs {
		test = `+o.team_id = ?`
	}
	return test + ` AND (` + sel.cond + `)`, append([]any{team}, sel.args...)
}

// queryObjectives loads the objectives of team that sel picks and attaches
// their key results and milestones.
func queryObjectives(ctx context.Context, q querier, team string, sel selection) ([]*goalbot.Objective, error) {
	where, args := sel.where(team)
	rows, err := q.QueryContext(ctx, `SELECT o.id, o.number, o.title, o.owner_id, o.channel_id, o.framework,
		o.goal_type, o.aim, o.start_date, o.due_date, o.state, o.score, o.close_note, o.created_by, o.created_at
		FROM objectives o WHERE `+where+` ORDER BY o.due_date, o.number`, args...)
	if err != nil {
		return nil, fmt.Errorf("query objectives: %w", err)
	}
	defer rows.Close()
	var list []*goalbot.Objective
	byID := map[int64]*goalbot.Objective{}
	for rows.Next() {
		var (
			o          = &goalbot.Objective{TeamID: team}
			id         int64
			start, due string
			score      sql.NullFloat64
			created    int64
		)
		if err := rows.Scan(&id, &o.Number, &o.Title, &o.OwnerID, &o.ChannelID, &o.Framework,
			&o.GoalType, &o.Aim, &start, &due, &o.State, &score, &o.CloseNote, &o.CreatedBy, &created); err != nil {
			return nil, fmt.Errorf("scan objective: %w", err)
		}
		o.Score, o.Scored = score.Float64, score.Valid
		if o.Start, err = parseDate(start); err != nil {
			return nil, fmt.Errorf("objective %d start: %w", o.Number, err)
		}
		if o.Due, err = parseDate(due); err != nil {
			return nil, fmt.Errorf("objective %d due: %w", o.Number, err)
		}
		o.CreatedAt = time.Unix(created, 0).UTC()
		list = append(list, o)
		byID[id] = o
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("query objectives: %w", err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	if err := attachKeyResults(ctx, q, team, byID, sel); err != nil {
		return nil, err
	}
	if err := attachMilestones(ctx, q, team, byID, sel); err != nil {
		return nil, err
	}
	return list, nil
}

// placeholders returns n comma-separated SQL parameters: "?,?,?".
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// findObjectiveID returns the row id of objective number of team.
func findObjectiveID(ctx context.Context, q querier, team string, number int) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM objectives WHERE team_id = ? AND number = ?`, team, number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, goalbot.Errorf(goalbot.ENOTFOUND, "Objective %d not found.", number)
	} else if err != nil {
		return 0, fmt.Errorf("find objective %d: %w", number, err)
	}
	return id, nil
}
