package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/goalbot/goalbot"
)

// AddMilestone adds m to objective m.Objective of m.TeamID (to its key result
// m.KR when not 0). check sees the objective, loaded inside the write
// transaction, and may refuse with an error that aborts and is returned as
// is. It returns ENOTFOUND for an unknown objective or key result, and
// goalbot.ErrRepeated, writing nothing, when m.Request is set and already
// added a milestone.
func (db *DB) AddMilestone(ctx context.Context, m *goalbot.Milestone, check func(o *goalbot.Objective) error) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	o, err := findObjective(ctx, tx, m.TeamID, m.Objective)
	if err != nil {
		return err
	}
	if err := check(o); err != nil {
		return err
	}
	if err := claimRequest(ctx, tx, m.TeamID, m.Request); err != nil {
		return err
	}
	objectiveID, err := findObjectiveID(ctx, tx, m.TeamID, m.Objective)
	if err != nil {
		return err
	}
	var krID sql.NullInt64
	if m.KR != 0 {
		id, err := findKeyResultID(ctx, tx, m.TeamID, goalbot.KRRef{Objective: m.Objective, Number: m.KR})
		if err != nil {
			return err
		}
		krID = sql.NullInt64{Int64: id, Valid: true}
	}
	target := sql.NullFloat64{Float64: m.Target, Valid: m.HasTarget}
	if _, err := tx.ExecContext(ctx, `INSERT INTO milestones
		(team_id, objective_id, key_result_id, date, title, target, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		m.TeamID, objectiveID, krID, m.Date.String(), m.Title, target, m.CreatedBy, tx.now.Unix()); err != nil {
		return fmt.Errorf("insert milestone: %w", err)
	}
	if err := recordChanges(ctx, tx, []goalbot.Change{{TeamID: m.TeamID, Objective: m.Objective, KR: m.KR,
		UserID: m.CreatedBy, At: tx.now, Field: "milestone", New: m.Date.String() + " " + m.Title}}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit milestone: %w", err)
	}
	return nil
}

// attachMilestones loads the milestones of the objectives in byID (picked
// by sel, as in queryObjectives), ordered by date.
func attachMilestones(ctx context.Context, q querier, team string, byID map[int64]*goalbot.Objective, sel selection) error {
	where, args := sel.where(team)
	rows, err := q.QueryContext(ctx, `SELECT m.objective_id, COALESCE(k.number, 0), m.date, m.title, m.target, m.created_by
		FROM milestones m LEFT JOIN key_results k ON k.team_id = m.team_id AND k.id = m.key_result_id
		WHERE m.team_id = ? AND m.objective_id IN (SELECT o.id FROM objectives o WHERE `+where+`)
		ORDER BY m.date, m.id`,
		append([]any{team}, args...)...)
	if err != nil {
		return fmt.Errorf("query milestones: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			objectiveID int64
			m           = goalbot.Milestone{TeamID: team}
			date        string
			target      sql.NullFloat64
		)
		if err := rows.Scan(&objectiveID, &m.KR, &date, &m.Title, &target, &m.CreatedBy); err != nil {
			return fmt.Errorf("scan milestone: %w", err)
		}
		o := byID[objectiveID]
		if o == nil {
			continue
		}
		if m.Date, err = parseDate(date); err != nil {
			return fmt.Errorf("milestone date: %w", err)
		}
		m.Objective, m.Target, m.HasTarget = o.Number, target.Float64, target.Valid
		o.Milestones = append(o.Milestones, m)
	}
	return rows.Err()
}
