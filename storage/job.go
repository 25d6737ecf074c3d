package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/goalbot/goalbot"
)

// SaveJob creates each job (j.TeamID, j.Kind, j.Target) or replaces its
// schedule, next occurrence and state, all in one transaction: the
// scheduler gives hundreds of new owners their jobs with one commit, not
// one each ahead of the check-ins waiting for the write connection.
func (db *DB) SaveJob(ctx context.Context, jobs ...*goalbot.Job) error {
	if len(jobs) == 0 {
		return nil
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, j := range jobs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO jobs (team_id, kind, target, spec, next_at, enabled, paused_until, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (team_id, kind, target) DO UPDATE SET spec = excluded.spec, next_at = excluded.next_at,
				enabled = excluded.enabled, paused_until = excluded.paused_until, updated_at = excluded.updated_at`,
			j.TeamID, string(j.Kind), j.Target, j.Spec, j.NextAt.Unix(), j.Enabled, j.PausedUntil.String(), tx.now.Unix()); err != nil {
			return fmt.Errorf("save %s job of %s: %w", j.Kind, j.Target, err)
		}
	}
	return tx.Commit()
}

// FindJob returns the job (team, kind, target), or ENOTFOUND.
func (db *DB) FindJob(ctx context.Context, team string, kind goalbot.JobKind, target string) (*goalbot.Job, error) {
	jobs, err := db.queryJobs(ctx, `team_id = ? AND kind = ? AND target = ?`, team, string(kind), target)
	if err != nil {
		return nil, err
	} else if len(jobs) == 0 {
		return nil, goalbot.Errorf(goalbot.ENOTFOUND, "No %s is set up for %s.", kind, target)
	}
	return &jobs[0], nil
}

// DueJobs returns the enabled jobs of team ("" for every workspace: the
// shell's dispatcher may serve them all) whose next occurrence is at or
// before now, oldest first. Each job carries its team_id for the queries
// that follow.
func (db *DB) DueJobs(ctx context.Context, team string, now time.Time, limit int) ([]goalbot.Job, error) {
	return db.queryJobs(ctx, `(? = '' OR team_id = ?) AND enabled = 1 AND next_at <= ? ORDER BY next_at LIMIT ?`,
		team, team, now.Unix(), limit)
}

func (db *DB) queryJobs(ctx context.Context, cond string, args ...any) ([]goalbot.Job, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT team_id, kind, target, spec, next_at, enabled, paused_until
		FROM jobs WHERE `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("query jobs: %w", err)
	}
	defer rows.Close()
	var jobs []goalbot.Job
	for rows.Next() {
		var (
			j      goalbot.Job
			next   int64
			paused string
		)
		if err := rows.Scan(&j.TeamID, &j.Kind, &j.Target, &j.Spec, &next, &j.Enabled, &paused); err != nil {
			return nil, fmt.Errorf("scan job: %w", err)
		}
		j.NextAt = time.Unix(next, 0).UTC()
		if j.PausedUntil, err = parseDate(paused); err != nil {
			return nil, fmt.Errorf("job pause date: %w", err)
		}
		jobs = append(jobs, j)
	}
	return jobs, rows.Err()
}

// OwnersWithoutJobs returns the owners of active objectives and of their key
// results, in team ("" for every workspace), who have no reminder jobs yet,
// at most limit.
func (db *DB) OwnersWithoutJobs(ctx context.Context, team string, limit int) ([]goalbot.Member, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT team_id, owner_id FROM (
			SELECT k.team_id, k.owner_id FROM key_results k
				JOIN objectives o ON o.team_id = k.team_id AND o.id = k.objective_id
				WHERE o.state = 'active' AND (? = '' OR k.team_id = ?)
			UNION
			SELECT o.team_id, o.owner_id FROM objectives o WHERE o.state = 'active' AND (? = '' OR o.team_id = ?)
		) AS owners
		WHERE NOT EXISTS (SELECT 1 FROM jobs j
			WHERE j.team_id = owners.team_id AND j.kind = 'checkin' AND j.target = owners.owner_id)
		LIMIT ?`, team, team, team, team, limit)
	if err != nil {
		return nil, fmt.Errorf("query owners without jobs: %w", err)
	}
	defer rows.Close()
	var owners []goalbot.Member
	for rows.Next() {
		var o goalbot.Member
		if err := rows.Scan(&o.TeamID, &o.UserID); err != nil {
			return nil, fmt.Errorf("scan owner: %w", err)
		}
		owners = append(owners, o)
	}
	return owners, rows.Err()
}

// RecordOccurrences records one job's run; see RecordRuns.
func (db *DB) RecordOccurrences(ctx context.Context, job goalbot.Job, deliveries []goalbot.Delivery, next time.Time) (claimed int, err error) {
	return db.RecordRuns(ctx, []goalbot.JobRun{{Job: job, Deliveries: deliveries, Next: next}})
}

// RecordRuns claims the deliveries of the jobs' due occurrences and moves
// each job to its next occurrence (and its spec, if changed), all in one
// transaction: one fsync per tick, however many jobs were due. A delivery
// whose key is already in the ledger is left as it is, so an occurrence is
// never claimed twice. A job another dispatcher moved on meanwhile (its
// next_at is no longer run.Job.NextAt) is left alone with its deliveries.
// claimed counts the new ledger rows to send.
func (db *DB) RecordRuns(ctx context.Context, runs []goalbot.JobRun) (claimed int, err error) {
	if len(runs) == 0 {
		return 0, nil
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	for _, run := range runs {
		job := run.Job
		res, err := tx.ExecContext(ctx, `UPDATE jobs SET next_at = ?, spec = ?, updated_at = ?
			WHERE team_id = ? AND kind = ? AND target = ? AND next_at = ?`,
			run.Next.Unix(), job.Spec, tx.now.Unix(), job.TeamID, string(job.Kind), job.Target, job.NextAt.Unix())
		if err != nil {
			return 0, fmt.Errorf("advance %s job of %s: %w", job.Kind, job.Target, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, fmt.Errorf("advance %s job of %s: %w", job.Kind, job.Target, err)
		} else if n == 0 {
			continue
		}
		for _, d := range run.Deliveries {
			if d.State == "" {
				d.State = goalbot.DeliveryClaimed
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO deliveries
				(team_id, key, kind, channel, user_id, due_at, payload, state, error, claimed_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (team_id, key) DO NOTHING`,
				d.TeamID, d.Key, string(d.Kind), d.Channel, d.User, d.DueAt.Unix(), d.Payload, d.State, d.Error, tx.now.Unix())
			if err != nil {
				return 0, fmt.Errorf("claim %s: %w", d.Key, err)
			}
			if n, _ := res.RowsAffected(); n > 0 && d.State == goalbot.DeliveryClaimed {
				claimed++
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit tick: %w", err)
	}
	return claimed, nil
}

// errNoRows reports whether err is sql.ErrNoRows.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
