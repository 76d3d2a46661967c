package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// jobsCmd is the operator's view of the job queue: counts, the dead
// letters with their reasons, and requeueing one after the cause is fixed.
func jobsCmd(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: bankapp jobs status | dead | requeue ID")
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "status":
		counts, err := db.JobCounts(ctx)
		if err != nil {
			return err
		}
		for _, s := range []string{"pending", "running", "done", "dead", "cancelled"} {
			fmt.Fprintf(stdout, "%-10s %d\n", s, counts[s])
		}
		return nil
	case "dead":
		list, err := db.JobsByStatus(ctx, "dead", 200)
		if err != nil {
			return err
		}
		for _, j := range list {
			fmt.Fprintf(stdout, "%s  %-20s %-40s attempts=%d  %s\n", j.ID, j.Kind, j.DedupeKey, j.Attempts, j.LastError)
		}
		fmt.Fprintf(stdout, "%d dead jobs\n", len(list))
		return nil
	case "requeue":
		if len(args) != 2 {
			return errors.New("usage: bankapp jobs requeue ID")
		}
		if err := db.RequeueJob(ctx, args[1], time.Now().UTC()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "requeued %s\n", args[1])
		return nil
	}
	return fmt.Errorf("jobs: unknown subcommand %q (status, dead, requeue)", args[0])
}
