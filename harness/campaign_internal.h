/*
 * harness/campaign_internal.h — what the campaign's parent, workers and
 * files share. Not public (campaign.h is).
 *
 * Worker → parent protocol, one pipe per worker. A message is a 4-byte
 * header {type, payload length} and its payload; every message is smaller
 * than PIPE_BUF, so a write is atomic and a dead worker never leaves half a
 * message behind. Per worker, in order:
 *
 *   SIG   the first time this worker meets a signature: its id, text,
 *         known-table entry and whether its finding exists (written now or
 *         before). Always precedes the DONE of the same scenario.
 *   DONE  scenario `index` is finished: the verdict class of every
 *         instance and the ids of its signatures. The parent's next index
 *         for the worker becomes index + jobs; a worker that dies after a
 *         DONE died on its next index.
 *   MIN_BEGIN / MIN_END  the worker starts / ends minimizing a finding it
 *         published unminimized (or was handed). A worker that dies in
 *         between died minimizing, not on its next scenario.
 *   FATAL an internal error ended the worker (exit status 3).
 *   BYE   the worker stopped cleanly (exit status 0).
 *
 * Discovery never waits for shrinking: a new signature's scenario is
 * published at once as an unminimized finding and queued; the worker
 * shrinks its queue, simplest signature (fewest features) first, in the
 * time it does not spend scanning (half of it, by the caller's clock; all
 * of it at once without a clock, which keeps clockless runs deterministic).
 * What is still queued when the campaign stops stays on disk, unminimized
 * and tagged so, and the next run on the directory takes it up.
 */
#ifndef TRUSTFUZZ_CAMPAIGN_INTERNAL_H
#define TRUSTFUZZ_CAMPAIGN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "trustfuzz/campaign.h"
#include "trustfuzz/diff.h"
#include "trustfuzz/finding.h"

/* Distinct pairs of TF_MAX_INSTANCES instances: the most signatures one
 * scenario can show. */
#define CAMP_MAX_PAIRS (TF_MAX_INSTANCES * (TF_MAX_INSTANCES - 1) / 2)

enum {
	CAMP_MSG_SIG = 1,
	CAMP_MSG_DONE = 2,
	CAMP_MSG_FATAL = 3,
	CAMP_MSG_BYE = 4,
	CAMP_MSG_MIN_BEGIN = 5,
	CAMP_MSG_MIN_END = 6
};

typedef struct camp_hdr {
	uint16_t type;
	uint16_t len; /* payload bytes */
} camp_hdr;

/* SIG flags. WROTE: this worker published the finding, unminimized, and
 * queued it for minimizing. */
enum { CAMP_SIG_KNOWN = 1, CAMP_SIG_HAS_FINDING = 2, CAMP_SIG_WROTE = 4 };

typedef struct camp_msg_sig {
	uint64_t index; /* scenario where this worker met it */
	uint8_t flags;
	uint8_t nfeatures; /* feature bits set: the minimizing priority */
	char id[TF_SIG_ID_SIZE];
	char text[256];
	char known_id[64];
} camp_msg_sig;

typedef struct camp_msg_done {
	uint64_t index;
	uint8_t n;                        /* instances */
	uint8_t vclass[TF_MAX_INSTANCES];
	uint8_t nsig;
	uint64_t sig[CAMP_MAX_PAIRS];     /* ids as numbers; only nsig are sent */
} camp_msg_done;

typedef struct camp_msg_min {
	char id[TF_SIG_ID_SIZE];
	uint8_t ok; /* MIN_END: 1 replaced by the minimized fixture, 0 left as it was */
} camp_msg_min;

/* A finding waiting to be minimized, and which worker owns it. */
typedef struct camp_pend {
	char id[TF_SIG_ID_SIZE];
	uint8_t nfeatures;
	unsigned owner;
	bool done;
} camp_pend;

typedef struct camp_msg_fatal {
	int32_t code; /* tf_err */
	char msg[TF_ERROR_MSG_MAX];
} camp_msg_fatal;

/* Everything a worker needs; it runs in a forked child and never returns. */
typedef struct camp_worker_args {
	const tf_campaign_opts *o;
	unsigned j;            /* worker number */
	uint64_t start;        /* first index (≡ j mod jobs) */
	uint64_t bound;        /* stop before this index; 0 = none */
	int fd;                /* write end of its pipe */
	pid_t parent;          /* the parent's pid: a worker outliving it stops */
	tf_findings *findings; /* the parent's index, copied by fork */
	const tf_known_table *known; /* NULL: every signature is new */
	const camp_pend *pend; /* findings to minimize; this worker takes owner == j, !done */
	size_t npend;
} camp_worker_args;

/* The worker's body; ends the process with _exit (0 clean, 3 internal). */
void camp_worker_main(const camp_worker_args *a) __attribute__((noreturn));

/* ---- Inside a worker (campaign_worker.c, campaign_queue.c) ------------- */

typedef struct camp_queued {
	char id[TF_SIG_ID_SIZE];
	uint8_t cost;      /* decimal order of the pair's evaluation time (campaign_queue.c) */
	uint8_t nfeatures;
	uint64_t seq;      /* arrival order: ties go to the older */
} camp_queued;

typedef struct camp_worker {
	const camp_worker_args *a;
	tf_instance inst[TF_MAX_INSTANCES];
	unsigned n, nopen;
	tf_scenario s;
	tf_run run;
	tf_signature sig[CAMP_MAX_PAIRS];
	tf_fixture fx, fx2;
	uint64_t *sent;         /* ids this worker has reported (open addressing, 0 = free) */
	size_t nsent, capsent;
	unsigned saved;         /* error/oracle scenarios saved */
	camp_queued *q;              /* findings to minimize */
	size_t nq, capq;
	uint64_t seq;
	uint64_t scan_us, min_us; /* time spent on each, by the caller's clock */
} camp_worker;

/* The caller's clock in microseconds (0 without one). */
uint64_t camp_worker_now(const camp_worker *w);
/* Writes one message to the parent; a dead parent ends the worker. */
void camp_send(const camp_worker *w, uint16_t type, const void *payload, size_t len);
/* Fixture options for scenario `index` (example: not minimized). */
void camp_finding_opts(const camp_worker *w, uint64_t index, bool example,
		       tf_finding_opts *fo);
/* Whether SIGTERM/SIGINT asked this worker to stop. */
bool camp_stop_requested(void);

/* campaign_queue.c: the cost class of shrinking sig (one timed evaluation of
 * its pair), queueing, and minimizing the queue when it is its turn (all:
 * everything now). */
uint8_t camp_pair_cost(camp_worker *w, const tf_signature *sig);
tf_err camp_enqueue(camp_worker *w, const char *id, uint8_t cost, unsigned nfeatures,
		    tf_error *err) TF_MUST_USE;
tf_err camp_catch_up(camp_worker *w, bool all, tf_error *err) TF_MUST_USE;

/* ---- Parent-side bookkeeping (campaign_table.c) ------------------------ */

typedef struct camp_point {
	double s;
	uint64_t scenarios;
	unsigned distinct;
} camp_point;

typedef struct camp_table {
	tf_campaign_result *res; /* counters and the signature rows live here */
	size_t cap;              /* rows allocated in res->sigs */
	camp_point *timeline;
	size_t ntimeline, captimeline;
	double prev_s;           /* seconds of earlier runs */
	uint64_t prev_scenarios; /* scenarios of earlier runs */
} camp_table;

/* The row for id, created (text "", unseen) when absent; NULL on ENOMEM. */
tf_campaign_sig *camp_row(camp_table *t, const char *id);
/* Records a SIG message; out is the findings directory (fixture paths). */
tf_err camp_apply_sig(camp_table *t, const camp_msg_sig *m, const char *out, tf_error *err);
/* Records a DONE message; also maintains the timeline. */
tf_err camp_apply_done(camp_table *t, const camp_msg_done *m, double now_s, tf_error *err);
/* Recomputes signatures / new_signatures from the rows. */
void camp_count_rows(camp_table *t);
/* Sorts the rows for the final table (campaign.h: by first occurrence). */
void camp_sort_rows(camp_table *t);
void camp_table_free(camp_table *t);

/* ---- Files (campaign_files.c) ------------------------------------------ */

typedef struct camp_state {
	tf_campaign_saved saved;
	uint64_t next[TF_CAMPAIGN_MAX_JOBS];
} camp_state;

/* state.json: writes; reads (TF_ERR_IO when absent). */
tf_err camp_state_write(const char *out, const camp_state *st, tf_error *err) TF_MUST_USE;
tf_err camp_state_read(const char *out, camp_state *st, tf_error *err) TF_MUST_USE;
/* stats.json: writes everything in t; reads an earlier run's counters, rows
 * and timeline into t (a missing file is not an error: nothing to restore;
 * a file for another campaign seed is ignored). */
tf_err camp_stats_write(const char *out, const tf_campaign_opts *o, const camp_table *t,
			tf_error *err) TF_MUST_USE;
void camp_stats_read(const char *out, const tf_campaign_opts *o, camp_table *t);

/* ---- The parent (campaign.c, campaign_loop.c) ------------------------- */

typedef struct camp_slot {
	pid_t pid;
	int fd;                 /* read end of the worker's pipe, -1 when none */
	bool live;              /* forked and not yet reaped */
	bool fatal;             /* sent FATAL */
	bool killed;            /* killed by the parent at the end of the grace period */
	bool hung;              /* killed by the parent for reporting nothing too long */
	uint64_t last_ms;       /* when it last reported */
	char minimizing[TF_SIG_ID_SIZE]; /* between MIN_BEGIN and MIN_END, else "" */
	size_t blen;
	unsigned char buf[8192];
} camp_slot;

typedef struct camp {
	const tf_campaign_opts *o;
	tf_findings findings;
	tf_known_table *known;  /* NULL without opts.known_path */
	camp_table table;
	tf_campaign_result *res;
	camp_state state;       /* saved.* and the next index of every worker */
	camp_slot *slot;        /* jobs of them */
	camp_pend *pend;        /* unminimized findings and their owners */
	size_t npend, cappend;
	int lock_fd;            /* flock on DIR/.lock: one campaign per directory */
	pid_t self;
	uint64_t t0, last_progress, last_save, stop_since;
	bool stopping;
	tf_err fatal;           /* first worker FATAL or parent failure */
	tf_error fatal_err;
} camp;

/* Adds a finding to minimize, owned by worker `owner`. */
tf_err camp_pend_add(camp *c, const char *id, unsigned nfeatures, unsigned owner,
		     tf_error *err) TF_MUST_USE;
/* The pending entry of id that is not done, or NULL. */
camp_pend *camp_pend_find(camp *c, const char *id);
/* Sets every row's fixture path and minimized flag from the files. */
void camp_refresh_rows(camp *c);

/* Campaign seconds now (earlier runs included). */
double camp_now_s(const camp *c);
uint64_t camp_ms(const camp *c);
/* Runs the workers until every one has ended (campaign_loop.c). */
tf_err camp_loop(camp *c, tf_error *err) TF_MUST_USE;
/* Writes state.json and stats.json from c. */
tf_err camp_save(camp *c, tf_error *err) TF_MUST_USE;
/* Fills the progress snapshot in c->res->totals. */
void camp_snapshot(camp *c);

/* Classes of a verdict / failed evaluation. */
tf_vclass camp_vclass(tf_err rc, const tf_verdict *v);

#endif
