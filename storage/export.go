package storage

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/goalbot/goalbot"
)

// Export returns everything team holds about its goals: every objective in
// any state with its key results and milestones, and every check-in of those
// key results. It reads in one transaction, so the parts agree with each
// other even while check-ins are being recorded. Objectives come by number,
// key results by number within their objective, check-ins by objective,
// key result, as-of date and entry order. A workspace without objectives
// gives an empty Export.
func (db *DB) Export(ctx context.Context, team string) (goalbot.Export, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return goalbot.Export{}, err
	}
	defer tx.Rollback()
	objectives, err := queryObjectives(ctx, tx, team, selection{cond: `1 = 1`})
	if err != nil {
		return goalbot.Export{}, fmt.Errorf("export objectives of %s: %w", team, err)
	}
	// queryObjectives lists by due date, for people; an export is by number.
	slices.SortFunc(objectives, func(a, b *goalbot.Objective) int { return cmp.Compare(a.Number, b.Number) })
	checkIns, err := exportCheckIns(ctx, tx, team)
	if err != nil {
		return goalbot.Export{}, err
	}
	return goalbot.Export{TeamID: team, Objectives: objectives, CheckIns: checkIns}, nil
}

// exportCheckIns returns every check-in of team in export order.
func exportCheckIns(ctx context.Context, q querier, team string) ([]goalbot.CheckIn, error) {
	rows, err := q.QueryContext(ctx, `SELECT o.number, k.number, c.value, c.confidence, c.note, c.as_of, c.user_id, c.created_at
		FROM check_ins c
		JOIN key_results k ON k.team_id = c.team_id AND k.id = c.key_result_id
		JOIN objectives o ON o.team_id = k.team_id AND o.id = k.objective_id
		WHERE c.team_id = ?
		ORDER BY o.number, k.number, c.as_of, c.id`, team)
	if err != nil {
		return nil, fmt.Errorf("export check-ins of %s: %w", team, err)
	}
	defer rows.Close()
	var list []goalbot.CheckIn
	for rows.Next() {
		var (
			c          = goalbot.CheckIn{TeamID: team, Confidence: -1}
			confidence sql.NullInt64
			asOf       string
			created    int64
		)
		if err := rows.Scan(&c.KR.Objective, &c.KR.Number, &c.Value, &confidence, &c.Note, &asOf, &c.UserID, &created); err != nil {
			return nil, fmt.Errorf("scan check-in: %w", err)
		}
		if confidence.Valid {
			c.Confidence = int(confidence.Int64)
		}
		if c.AsOf, err = parseDate(asOf); err != nil {
			return nil, fmt.Errorf("check-in of %s as-of: %w", c.KR, err)
		}
		c.CreatedAt = time.Unix(created, 0).UTC()
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("export check-ins of %s: %w", team, err)
	}
	return list, nil
}
