/*
 * harness/campaign_loop.c — the parent's loop: fork workers, read their
 * reports, notice deaths, save crash inputs, restart, stop.
 *
 * The parent learns where each worker is from its DONE reports alone: a
 * worker goes through its indexes in order, so when it dies the scenario in
 * hand is the index after its last DONE. That is the crash input; the
 * replacement worker starts one step further. Nothing about a crash needs
 * the dead worker's cooperation.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "campaign_internal.h"

#define TICK_MS 100
/* A worker silent this long (plus the minimizer's cap) is hung: no single
 * evaluation legitimately takes a minute. */
#define HANG_MS 60000
/* After a stop request, workers get this long (plus the minimizer's cap) to
 * finish the scenario in hand. */
#define GRACE_MS 10000

static void fail(camp *c, tf_err code, const char *fmt, const char *arg)
{
	if (c->fatal != TF_OK)
		return;
	c->fatal = code;
	tf_error_set(&c->fatal_err, code, fmt, arg);
}

static tf_err spawn(camp *c, unsigned j, tf_error *err)
{
	camp_slot *s = &c->slot[j];
	int p[2];
	TF_ENSURE(pipe(p) == 0, err, TF_ERR_IO, "campaign: cannot create a pipe: %s",
		  strerror(errno));
	/* Buffered output would be written twice if a child flushed it too. */
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		TF_BAIL(err, TF_ERR_IO, "campaign: cannot fork a worker: %s", strerror(e));
	}
	if (pid == 0) {
		close(p[0]);
		for (unsigned k = 0; k < c->o->jobs; k++)
			if (c->slot[k].fd >= 0)
				close(c->slot[k].fd);
		/* The directory lock is the parent's: a worker outliving it
		 * must not keep the next run out. */
		if (c->lock_fd >= 0)
			close(c->lock_fd);
		camp_worker_args a = {
			.o = c->o,
			.j = j,
			.start = c->state.next[j],
			.bound = c->o->iterations,
			.fd = p[1],
			.parent = c->self,
			.findings = &c->findings,
			.known = c->known,
			.pend = c->pend,
			.npend = c->npend,
		};
		camp_worker_main(&a);
	}
	close(p[1]);
	(void)fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	memset(s, 0, sizeof *s);
	s->pid = pid;
	s->fd = p[0];
	s->live = true;
	s->last_ms = camp_ms(c);
	return TF_OK;
}

static void begin_stop(camp *c)
{
	if (c->stopping)
		return;
	c->stopping = true;
	c->stop_since = camp_ms(c);
	for (unsigned j = 0; j < c->o->jobs; j++)
		if (c->slot[j].live)
			kill(c->slot[j].pid, SIGTERM);
}

static tf_err on_msg(camp *c, unsigned j, uint16_t type, const unsigned char *p, size_t len,
		     tf_error *err)
{
	camp_slot *s = &c->slot[j];
	if (type == CAMP_MSG_SIG) {
		camp_msg_sig m;
		TF_ENSURE(len == sizeof m, err, TF_ERR_INTERNAL, "campaign: bad SIG report");
		memcpy(&m, p, sizeof m);
		m.id[TF_SIG_ID_SIZE - 1] = '\0';
		TF_GUARD(camp_apply_sig(&c->table, &m, c->o->out, err));
		if (m.flags & CAMP_SIG_HAS_FINDING)
			(void)tf_findings_has(&c->findings, m.id, true);
		/* Its publisher minimizes it; a restarted publisher is handed
		 * it again from this list. */
		if (m.flags & CAMP_SIG_WROTE)
			TF_GUARD(camp_pend_add(c, m.id, m.nfeatures, j, err));
	} else if (type == CAMP_MSG_MIN_BEGIN || type == CAMP_MSG_MIN_END) {
		camp_msg_min m;
		TF_ENSURE(len == sizeof m, err, TF_ERR_INTERNAL, "campaign: bad MIN report");
		memcpy(&m, p, sizeof m);
		m.id[TF_SIG_ID_SIZE - 1] = '\0';
		if (type == CAMP_MSG_MIN_BEGIN) {
			snprintf(s->minimizing, sizeof s->minimizing, "%s", m.id);
		} else {
			s->minimizing[0] = '\0';
			camp_pend *pe = camp_pend_find(c, m.id);
			if (pe)
				pe->done = true;
		}
	} else if (type == CAMP_MSG_DONE) {
		camp_msg_done m;
		TF_ENSURE(len >= offsetof(camp_msg_done, sig) && len <= sizeof m, err,
			  TF_ERR_INTERNAL, "campaign: bad DONE report");
		memset(&m, 0, sizeof m);
		memcpy(&m, p, len);
		TF_ENSURE(offsetof(camp_msg_done, sig) + m.nsig * sizeof m.sig[0] == len &&
				  m.index == c->state.next[j],
			  err, TF_ERR_INTERNAL, "campaign: worker %u reported scenario %" PRIu64
			  " out of order", j, m.index);
		c->state.next[j] = m.index + c->o->jobs;
		TF_GUARD(camp_apply_done(&c->table, &m, camp_now_s(c), err));
	} else if (type == CAMP_MSG_FATAL) {
		camp_msg_fatal m;
		TF_ENSURE(len == sizeof m, err, TF_ERR_INTERNAL, "campaign: bad FATAL report");
		memcpy(&m, p, sizeof m);
		m.msg[sizeof m.msg - 1] = '\0';
		s->fatal = true;
		tf_err code = m.code > 0 && m.code <= TF_ERR_INTERNAL ? (tf_err)m.code
								      : TF_ERR_INTERNAL;
		fail(c, code, "worker: %s", m.msg);
		begin_stop(c);
	} else {
		TF_ENSURE(type == CAMP_MSG_BYE && len == 0, err, TF_ERR_INTERNAL,
			  "campaign: unknown report type %u", (unsigned)type);
	}
	return TF_OK;
}

/* Reads what worker j has written; *eof when its pipe is closed. */
static tf_err drain(camp *c, unsigned j, bool *eof, tf_error *err)
{
	camp_slot *s = &c->slot[j];
	*eof = false;
	for (;;) {
		ssize_t n = read(s->fd, s->buf + s->blen, sizeof s->buf - s->blen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			*eof = true;
			break;
		}
		s->blen += (size_t)n;
		s->last_ms = camp_ms(c);
		size_t off = 0;
		while (s->blen - off >= sizeof(camp_hdr)) {
			camp_hdr h;
			memcpy(&h, s->buf + off, sizeof h);
			if (s->blen - off < sizeof h + h.len)
				break;
			TF_GUARD(on_msg(c, j, h.type, s->buf + off + sizeof h, h.len, err));
			off += sizeof h + h.len;
		}
		memmove(s->buf, s->buf + off, s->blen - off);
		s->blen -= off;
	}
	return TF_OK;
}

static void describe(int status, bool hung, char *buf, size_t n)
{
	if (hung)
		snprintf(buf, n, "no report for %d s: killed as hung", HANG_MS / 1000);
	else if (WIFSIGNALED(status))
		snprintf(buf, n, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, n, "exited with status %d", WEXITSTATUS(status));
}

/* A worker died minimizing finding id: that finding stays unminimized and
 * is not tried again (crashes/minimize-<id>.json marks it for later runs). */
static tf_err save_min_crash(camp *c, const char *id, const char *reason, tf_error *err)
{
	char name[64], meta[1024], path[4200];
	camp_pend *pe = camp_pend_find(c, id);
	if (pe)
		pe->done = true;
	snprintf(name, sizeof name, "minimize-%s", id);
	snprintf(meta, sizeof meta,
		 "{\n  \"kind\": \"minimize-crash\",\n  \"signature_id\": \"%s\",\n"
		 "  \"finding\": \"%s\",\n  \"evaluators\": \"%s\",\n  \"reason\": \"%s\"\n}\n",
		 id, tf_findings_path(&c->findings, id, path, sizeof path), c->o->evaluators,
		 reason);
	return tf_findings_put_crash(&c->findings, name, NULL, 0, meta, err);
}

/* Records scenario `index` as a crash input: first what is known without
 * touching the scenario, then its bytes, regenerated in a child process in
 * case generating it is what crashes. */
static tf_err save_crash(camp *c, uint64_t index, const char *reason, tf_error *err)
{
	const tf_campaign_opts *o = c->o;
	char name[64], meta[2048];
	uint64_t sseed = tf_campaign_scenario_seed(o->seed, index);

	snprintf(name, sizeof name, "scenario-%" PRIu64, index);
	snprintf(meta, sizeof meta,
		 "{\n  \"kind\": \"crash\",\n  \"campaign_seed\": \"%" PRIu64 "\",\n"
		 "  \"index\": %" PRIu64 ",\n  \"scenario_seed\": \"%" PRIu64 "\",\n"
		 "  \"profile\": \"%s\",\n  \"evaluators\": \"%s\",\n  \"reason\": \"%s\",\n"
		 "  \"input\": \"%s.bin\"\n}\n",
		 o->seed, index, sseed, tf_profile_str(o->profile), o->evaluators, reason, name);
	TF_GUARD(tf_findings_put_crash(&c->findings, name, NULL, 0, meta, err));
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		static uint8_t bytes[TF_GEN_MAX_BYTES];
		if (c->lock_fd >= 0)
			close(c->lock_fd);
		size_t len = 0;
		tf_scenario s;
		tf_error e = {0};
		char path[4200];
		tf_gen_from_seed(&s, sseed, o->profile, bytes, &len);
		tf_scenario_free(&s);
		snprintf(path, sizeof path, "%s/crashes/%s.bin", o->out, name);
		_exit(tf_write_file_atomic(path, bytes, len, &e) == TF_OK ? 0 : 1);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	return TF_OK;
}

static bool owns_pending(const camp *c, unsigned j)
{
	for (size_t i = 0; i < c->npend; i++)
		if (c->pend[i].owner == j && !c->pend[i].done)
			return true;
	return false;
}

static tf_err reap(camp *c, unsigned j, tf_error *err)
{
	camp_slot *s = &c->slot[j];
	int status = 0;
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	s->live = false;
	if (s->fatal || s->killed || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
		return TF_OK;
	/* Our own stop request may land before the worker's handler is set. */
	if (c->stopping && WIFSIGNALED(status) &&
	    (WTERMSIG(status) == SIGTERM || WTERMSIG(status) == SIGINT))
		return TF_OK;
	char reason[128];
	describe(status, s->hung, reason, sizeof reason);
	if (s->minimizing[0]) {
		TF_GUARD(save_min_crash(c, s->minimizing, reason, err));
	} else {
		uint64_t index = c->state.next[j];
		TF_GUARD(save_crash(c, index, reason, err));
		c->state.next[j] = index + c->o->jobs;
	}
	c->res->totals.crashes++;
	if (c->res->totals.crashes > TF_CAMPAIGN_MAX_CRASHES) {
		fail(c, TF_ERR_INTERNAL, "campaign: more than 64 scenarios crashed a worker (last: %s)",
		     reason);
		begin_stop(c);
		return TF_OK;
	}
	if (!c->stopping && (!c->o->iterations || c->state.next[j] < c->o->iterations ||
			     owns_pending(c, j)))
		TF_GUARD(spawn(c, j, err));
	return TF_OK;
}

static void watch(camp *c, uint64_t now)
{
	const tf_campaign_opts *o = c->o;
	if (!c->stopping && ((o->stop && *o->stop) || (o->time_ms && now - c->t0 >= o->time_ms)))
		begin_stop(c);
	if (!o->now_us)
		return;
	for (unsigned j = 0; j < o->jobs; j++) {
		camp_slot *s = &c->slot[j];
		if (!s->live || s->killed || s->hung)
			continue;
		if (c->stopping && now - c->stop_since > GRACE_MS + o->min_ms) {
			s->killed = true;
			kill(s->pid, SIGKILL);
		} else if (!c->stopping && now - s->last_ms > HANG_MS + o->min_ms) {
			s->hung = true;
			kill(s->pid, SIGKILL);
		}
	}
}

static void ticks(camp *c, uint64_t now, tf_error *err)
{
	const tf_campaign_opts *o = c->o;
	unsigned every = o->progress_ms ? o->progress_ms : 1000;
	if (o->progress && o->now_us && now - c->last_progress >= every) {
		c->last_progress = now;
		camp_snapshot(c);
		o->progress(&c->res->totals, false, o->progress_ctx);
	}
	unsigned save = o->save_ms ? o->save_ms : 2000;
	if (o->now_us && now - c->last_save >= save && camp_save(c, err) != TF_OK)
		fail(c, err->code, "%s", err->msg);
}

tf_err camp_loop(camp *c, tf_error *err)
{
	const tf_campaign_opts *o = c->o;
	struct pollfd pfd[TF_CAMPAIGN_MAX_JOBS];
	unsigned who[TF_CAMPAIGN_MAX_JOBS];

	for (unsigned j = 0; j < o->jobs; j++)
		if (!o->iterations || c->state.next[j] < o->iterations || owns_pending(c, j))
			TF_GUARD(spawn(c, j, err));
	for (;;) {
		unsigned n = 0;
		watch(c, camp_ms(c));
		for (unsigned j = 0; j < o->jobs; j++)
			if (c->slot[j].live) {
				pfd[n] = (struct pollfd){c->slot[j].fd, POLLIN, 0};
				who[n++] = j;
			}
		if (!n)
			break;
		int r = poll(pfd, n, TICK_MS);
		if (r < 0 && errno != EINTR)
			return tf_error_set(err, TF_ERR_IO, "campaign: poll: %s", strerror(errno));
		for (unsigned k = 0; r > 0 && k < n; k++) {
			if (!pfd[k].revents)
				continue;
			unsigned j = who[k];
			bool eof = false;
			tf_error e = {0};
			if (drain(c, j, &eof, &e) != TF_OK) {
				fail(c, e.code, "%s", e.msg);
				begin_stop(c);
			}
			if (!eof)
				continue;
			close(c->slot[j].fd);
			c->slot[j].fd = -1;
			if (reap(c, j, &e) != TF_OK) {
				fail(c, e.code, "%s", e.msg);
				begin_stop(c);
			}
		}
		tf_error e = {0};
		ticks(c, camp_ms(c), &e);
		if (c->fatal != TF_OK)
			begin_stop(c);
	}
	if (c->fatal != TF_OK) {
		*err = c->fatal_err;
		return c->fatal;
	}
	return TF_OK;
}
