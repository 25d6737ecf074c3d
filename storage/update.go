package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/goalbot/goalbot"
)

// UpdateObjective changes objective number of team in one write transaction.
// It loads the objective with its key results and milestones, lets fn change
// it, saves the fields fn changed, and records each change (who, when,
// old -> new) for user. fn may refuse with an error, which aborts the update
// and is returned as is; fn sees the state it changes, so permission and
// state checks made in fn cannot go stale. Key results may be changed but not
// added or removed. It returns the updated objective and the changes made
// (none when fn changed nothing), and ENOTFOUND for an unknown objective.
func (db *DB) UpdateObjective(ctx context.Context, team string, number int, user string,
	fn func(o *goalbot.Objective) error) (*goalbot.Objective, []goalbot.Change, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	o, err := findObjective(ctx, tx, team, number)
	if err != nil {
		return nil, nil, err
	}
	before := *o
	beforeKRs := make([]goalbot.KeyResult, len(o.KeyResults))
	for i, kr := range o.KeyResults {
		beforeKRs[i] = *kr
	}
	if err := fn(o); err != nil {
		return nil, nil, err
	}
	if len(o.KeyResults) != len(beforeKRs) {
		return nil, nil, fmt.Errorf("update objective %d: key results were added or removed", number)
	}

	changes := objectiveChanges(&before, o, user)
	if len(changes) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE objectives SET title = ?, owner_id = ?, channel_id = ?, framework = ?,
			goal_type = ?, aim = ?, start_date = ?, due_date = ?, state = ?, score = ?, close_note = ?, updated_at = ?
			WHERE team_id = ? AND number = ?`,
			o.Title, o.OwnerID, o.ChannelID, string(o.Framework), o.GoalType, o.Aim, o.Start.String(), o.Due.String(),
			string(o.State), sql.NullFloat64{Float64: o.Score, Valid: o.Scored}, o.CloseNote, tx.now.Unix(),
			team, number); err != nil {
			return nil, nil, fmt.Errorf("update objective %d: %w", number, err)
		}
	}
	for i, kr := range o.KeyResults {
		krChanges := keyResultChanges(&beforeKRs[i], kr, user)
		if len(krChanges) == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE key_results SET title = ?, kind = ?, start_value = ?, target_value = ?,
			unit = ?, weight = ?, owner_id = ?, due_date = ?, updated_at = ?
			WHERE team_id = ? AND number = ? AND objective_id = (SELECT id FROM objectives WHERE team_id = ? AND number = ?)`,
			kr.Title, string(kr.Kind), sql.NullFloat64{Float64: kr.Start, Valid: !kr.Pending}, kr.Target,
			kr.Unit, kr.Weight, kr.OwnerID, kr.Due.String(), tx.now.Unix(),
			team, kr.Ref.Number, team, number); err != nil {
			return nil, nil, fmt.Errorf("update key result %s: %w", kr.Ref, err)
		}
		changes = append(changes, krChanges...)
	}
	for i := range changes {
		changes[i].TeamID, changes[i].Objective, changes[i].At = team, number, tx.now
	}
	if err := recordChanges(ctx, tx, changes); err != nil {
		return nil, nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, fmt.Errorf("commit objective %d: %w", number, err)
	}
	for _, kr := range o.KeyResults {
		if kr.CheckIns == 0 {
			kr.Current = kr.Start // as loaded: a new start is the current value until a check-in
		}
	}
	return o, changes, nil
}

// diff collects the fields that differ between two versions.
type diff struct {
	user    string
	kr      int
	changes []goalbot.Change
}

func (d *diff) field(name, old, new string) {
	if old != new {
		d.changes = append(d.changes, goalbot.Change{KR: d.kr, UserID: d.user, Field: name, Old: old, New: new})
	}
}

func objectiveChanges(a, b *goalbot.Objective, user string) []goalbot.Change {
	d := &diff{user: user}
	d.field("title", a.Title, b.Title)
	d.field("owner", a.OwnerID, b.OwnerID)
	d.field("channel", a.ChannelID, b.ChannelID)
	d.field("framework", string(a.Framework), string(b.Framework))
	d.field("type", a.GoalType, b.GoalType)
	d.field("aim", a.Aim, b.Aim)
	d.field("start", a.Start.String(), b.Start.String())
	d.field("due", a.Due.String(), b.Due.String())
	d.field("state", string(a.State), string(b.State))
	d.field("score", scoreText(a), scoreText(b))
	d.field("close note", a.CloseNote, b.CloseNote)
	return d.changes
}

func keyResultChanges(a, b *goalbot.KeyResult, user string) []goalbot.Change {
	d := &diff{user: user, kr: b.Ref.Number}
	d.field("title", a.Title, b.Title)
	d.field("kind", string(a.Kind), string(b.Kind))
	d.field("from", startText(a), startText(b))
	d.field("to", formatFloat(a.Target), formatFloat(b.Target))
	d.field("unit", a.Unit, b.Unit)
	d.field("weight", formatFloat(a.Weight), formatFloat(b.Weight))
	d.field("owner", a.OwnerID, b.OwnerID)
	d.field("due", a.Due.String(), b.Due.String())
	return d.changes
}

func scoreText(o *goalbot.Objective) string {
	if !o.Scored {
		return ""
	}
	return formatFloat(o.Score)
}

func startText(kr *goalbot.KeyResult) string {
	if kr.Pending {
		return "pending"
	}
	return formatFloat(kr.Start)
}

// DeleteObjective deletes objective number of team with its key results,
// check-ins and milestones, and records the deletion for user. check sees
// the objective inside the write transaction and may refuse with an error,
// returned as is. It returns ENOTFOUND for an unknown objective.
func (db *DB) DeleteObjective(ctx context.Context, team string, number int, user string, check func(o *goalbot.Objective) error) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	o, err := findObjective(ctx, tx, team, number)
	if err != nil {
		return err
	}
	if err := check(o); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM objectives WHERE team_id = ? AND number = ?`, team, number); err != nil {
		return fmt.Errorf("delete objective %d: %w", number, err)
	}
	if err := recordChanges(ctx, tx, []goalbot.Change{{TeamID: team, Objective: number, UserID: user,
		Field: "deleted", Old: o.Title}}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit deletion of objective %d: %w", number, err)
	}
	return nil
}

// DeleteKeyResult deletes key result ref of team with its check-ins and
// milestones, and records the deletion for user. check sees the objective
// and key result inside the write transaction and may refuse with an error,
// returned as is. It returns ENOTFOUND for an unknown key result.
func (db *DB) DeleteKeyResult(ctx context.Context, team string, ref goalbot.KRRef, user string,
	check func(o *goalbot.Objective, kr *goalbot.KeyResult) error) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	o, err := findObjective(ctx, tx, team, ref.Objective)
	if err != nil {
		return err
	}
	kr := o.KeyResult(ref.Number)
	if kr == nil {
		return goalbot.Errorf(goalbot.ENOTFOUND, "Key result %s not found.", ref)
	}
	if err := check(o, kr); err != nil {
		return err
	}
	id, err := findKeyResultID(ctx, tx, team, ref)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM key_results WHERE team_id = ? AND id = ?`, team, id); err != nil {
		return fmt.Errorf("delete key result %s: %w", ref, err)
	}
	if err := recordChanges(ctx, tx, []goalbot.Change{{TeamID: team, Objective: ref.Objective, KR: ref.Number,
		UserID: user, Field: "deleted", Old: kr.Title}}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit deletion of key result %s: %w", ref, err)
	}
	return nil
}
