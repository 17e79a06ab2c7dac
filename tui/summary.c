// SPDX-License-Identifier: GPL-2.0
/*
 * The exit summary on stderr: events received and lost, every bound and
 * what it pushed out, the resync passes, what the table inferred rather
 * than saw. Nothing dropped is hidden. Each line is a table of rows, so a
 * new bound is one row, not one more argument to a long printf.
 */
#include "summary.h"

#include <string.h>

#include "binds.h"
#include "msg.h"
#include "procs.h"
#include "reconcile.h"
#include "resync.h"
#include "table.h"

/* One row of a line: its text, with up to four %llu, and their values. */
struct row {
	const char *fmt;
	unsigned long long v[4];
};

#define ROWS(r) (sizeof(r) / sizeof((r)[0]))

/* "socktop: NAME: row, row, ...; row\n"; sep[i] follows row i */
static void print_rows(FILE *f, const char *name, const struct row *r, size_t n,
		       const char *last_sep)
{
	fprintf(f, "socktop: %s: ", name);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(i == n - 1 && last_sep ? last_sep : ", ", f);
		/* C11 7.21.6.1: arguments past the format's are ignored */
		fprintf(f, r[i].fmt, r[i].v[0], r[i].v[1], r[i].v[2], r[i].v[3]);
	}
	fputc('\n', f);
}

void summary_bounds(const struct app *a, FILE *f)
{
	const struct table_stats *ts = table_stats(a->model.table);
	const struct table_limits *tl = table_limits(a->model.table);
	const struct binds_stats *bs = a->binds ? binds_stats(a->binds) : NULL;
	struct procs_bounds pb = { 0 };
	uint32_t log_kept = a->log.head < APP_LOG_LINES ? a->log.head : APP_LOG_LINES;

	if (a->procs)
		procs_bounds(a->procs, &pb);
	const struct row rows[] = {
		{ "sockets %llu of %llu (%llu evicted, %llu no memory)",
		  { table_count(a->model.table), tl->max_socks, ts->evicted, ts->oom } },
		{ "history %llu of %llu (%llu dropped)",
		  { table_history_count(a->model.table), tl->max_history, ts->history_dropped } },
		{ "%llu transitions, %llu task names and %llu holders not kept",
		  { ts->trans_dropped, ts->comms_dropped, a->model.owners_dropped } },
		{ "processes %llu of %llu (%llu not counted)",
		  { pb.nstats, PROCS_MAX_STATS, pb.stats_dropped } },
		{ "%llu listeners not indexed", { model_listeners_dropped(&a->model) } },
		{ "binds log %llu dropped", { bs ? bs->dropped : 0 } },
		{ "bind counts %llu dropped", { bs ? bs->counts_dropped : 0 } },
		{ "cgroup names flushed %llu times", { pb.cgroup_flushes } },
		{ "kernel tables full %llu times", { a->map_full } },
		{ "log %llu lines dropped", { a->log.head - log_kept } },
	};

	print_rows(f, "bounds", rows, ROWS(rows), NULL);
}

/* What the table inferred instead of seeing: said, never hidden. */
void summary_lifecycles(const struct app *a, FILE *f)
{
	const struct table_stats *ts = table_stats(a->model.table);
	struct procs_bounds pb = { 0 };

	if (a->procs)
		procs_bounds(a->procs, &pb);
	const struct row rows[] = {
		{ "%llu transitions from a state not seen entered (time in it unknown)",
		  { ts->gaps } },
		{ "%llu new on a known address (other endpoints)", { ts->split } },
		{ "%llu stamps older than the last", { ts->negative_dt } },
		{ "%llu TIME_WAIT ended by reuse", { ts->tw_reused } },
		{ "%llu by age", { ts->tw_expired } },
		{ "%llu pids taken by a new process", { pb.pids_reused } },
	};
	bool any = false;

	for (size_t i = 0; i < ROWS(rows); i++)
		any |= rows[i].v[0] != 0;
	if (any)
		print_rows(f, "lifecycles", rows, ROWS(rows), "; ");
}

static void resync_line(const struct app *a, FILE *f)
{
	static const struct resync_stats none;
	const struct resync_stats *rs = a->resync ? &a->resync->st : &none;
	const struct reconcile_stats *rc = &a->model.rc.st;

	if (!rc->passes && !rs->failed)
		return;
	fprintf(f,
		"socktop: resync: %llu passes (%llu failed), %llu repaired (%llu added, "
		"%llu closed, %llu state fixed), %llu TIME_WAIT found; last %u sockets "
		"in %.1f ms (%.1f ms walking the kernel), max %.1f ms\n",
		(unsigned long long)rc->passes, (unsigned long long)rs->failed,
		(unsigned long long)reconcile_repaired(rc), (unsigned long long)rc->added,
		(unsigned long long)rc->closed, (unsigned long long)rc->fixed,
		(unsigned long long)rc->timewait_found, rc->last_socks, (double)rs->last_ns / 1e6,
		(double)rs->last_walk_ns / 1e6, (double)rs->max_ns / 1e6);
}

void summary_print(const struct app *a, FILE *f)
{
	/* received + lost = emitted: every record the kernel tried to send */
	if (a->replay)
		fprintf(f, "socktop: %llu events replayed\n", (unsigned long long)a->received);
	else
		fprintf(f,
			"socktop: %llu events received + %llu lost (kernel drops) = %llu emitted; "
			"%llu BPF runs skipped (recursion misses)\n",
			(unsigned long long)a->ring_received, (unsigned long long)a->lost,
			(unsigned long long)a->emitted, (unsigned long long)a->recursion_misses);
	if (a->startup.ran && a->startup.socks >= 0)
		fprintf(f,
			"socktop: start-up snapshot: %d sockets in %.2f s, %llu ring records held "
			"back meanwhile\n",
			a->startup.socks, (double)a->startup.ns / 1e9,
			(unsigned long long)a->startup.held);
	if (a->queue_max)
		fprintf(f,
			"socktop: the rings' reader thread queued at most %.1f of %.1f MiB; "
			"%llu times full (the rest waited in the kernel's rings)\n",
			(double)a->queue_peak / (1 << 20), (double)a->queue_max / (1 << 20),
			(unsigned long long)a->queue_full);
	summary_bounds(a, f);
	resync_line(a, f);
	summary_lifecycles(a, f);
	if (a->bad_records)
		fprintf(f, "socktop: %llu ring records of the wrong size ignored\n",
			(unsigned long long)a->bad_records);
	if (a->rec_err)
		msg_err("recording %s failed: %s (errno %d); stopped, exit 1: %llu events not "
			"written; the file replays up to its last flush",
			a->opts->record, strerror(-a->rec_err), -a->rec_err,
			(unsigned long long)a->rec_errors);
}
