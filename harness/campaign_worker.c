/*
 * harness/campaign_worker.c — one worker process of a campaign.
 *
 * A worker walks its share of the scenario indexes in order, evaluates each
 * scenario with every instance, and for each signature it meets for the
 * first time makes sure a finding exists (publishing the scenario,
 * unminimized, unless the directory already has one, and queueing it),
 * then fills example slots with later occurrences. Between scenarios it
 * minimizes its queue (campaign_queue.c; campaign_internal.h says when and
 * in what order).
 * It tells the parent everything over its pipe and owns nothing the parent
 * needs after it dies: a crash costs the scenario or the minimization in
 * hand, nothing else.
 *
 * Stop requests (SIGTERM from the parent at the deadline, SIGINT from a
 * terminal) are honoured between scenarios and between minimizations.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "campaign_internal.h"
#include "trustfuzz/finding.h"

/* Error and oracle scenarios saved per worker run: enough to debug, not
 * enough to fill a disk when a backend fails on everything. */
#define WORKER_MAX_SAVED 16

static volatile sig_atomic_t worker_stop;

static void on_stop(int sig)
{
	(void)sig;
	worker_stop = 1;
}

bool camp_stop_requested(void)
{
	return worker_stop != 0;
}


uint64_t camp_worker_now(const camp_worker *w)
{
	const tf_campaign_opts *o = w->a->o;
	return o->now_us ? o->now_us(o->clock_ctx) : 0;
}

void camp_send(const camp_worker *w, uint16_t type, const void *payload, size_t len)
{
	unsigned char buf[sizeof(camp_hdr) + sizeof(camp_msg_fatal) + sizeof(camp_msg_done) +
			  sizeof(camp_msg_sig)];
	camp_hdr h = {type, (uint16_t)len};
	memcpy(buf, &h, sizeof h);
	if (len)
		memcpy(buf + sizeof h, payload, len);
	size_t left = sizeof h + len;
	const unsigned char *p = buf;
	while (left) {
		ssize_t k = write(w->a->fd, p, left);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			_exit(3); /* the parent is gone */
		p += k;
		left -= (size_t)k;
	}
}

static void fatal(camp_worker *w, const tf_error *err)
{
	camp_msg_fatal m;
	memset(&m, 0, sizeof m);
	m.code = (int32_t)(err->code ? err->code : TF_ERR_INTERNAL);
	snprintf(m.msg, sizeof m.msg, "%s", err->msg[0] ? err->msg : tf_err_str(err->code));
	camp_send(w, CAMP_MSG_FATAL, &m, sizeof m);
	_exit(3);
}

static uint64_t id_value(const char *id)
{
	uint64_t k = strtoull(id, NULL, 16);
	return k ? k : 1; /* 0 marks a free slot */
}

static bool sent_has(const camp_worker *w, uint64_t k)
{
	for (size_t i = (size_t)k & (w->capsent - 1); w->sent[i]; i = (i + 1) & (w->capsent - 1))
		if (w->sent[i] == k)
			return true;
	return false;
}

static tf_err sent_add(camp_worker *w, uint64_t k, tf_error *err)
{
	if ((w->nsent + 1) * 2 > w->capsent) {
		size_t ncap = w->capsent * 2;
		uint64_t *n = calloc(ncap, sizeof *n);
		TF_ENSURE(n, err, TF_ERR_NOMEM, "worker: out of memory");
		for (size_t i = 0; i < w->capsent; i++) {
			if (!w->sent[i])
				continue;
			size_t j = (size_t)w->sent[i] & (ncap - 1);
			while (n[j])
				j = (j + 1) & (ncap - 1);
			n[j] = w->sent[i];
		}
		free(w->sent);
		w->sent = n;
		w->capsent = ncap;
	}
	size_t i = (size_t)k & (w->capsent - 1);
	while (w->sent[i])
		i = (i + 1) & (w->capsent - 1);
	w->sent[i] = k;
	w->nsent++;
	return TF_OK;
}

void camp_finding_opts(const camp_worker *w, uint64_t index, bool example,
		       tf_finding_opts *fo)
{
	const tf_campaign_opts *o = w->a->o;
	memset(fo, 0, sizeof *fo);
	fo->depth = o->depth;
	fo->no_minimize = example;
	fo->min.max_steps = o->min_steps;
	fo->min.max_ms = o->min_ms;
	fo->known = w->a->known;
	fo->origin = example ? "campaign-example" : "campaign";
	fo->profile = tf_profile_str(o->profile);
	fo->has_seed = true;
	fo->seed = tf_campaign_scenario_seed(o->seed, index);
}


static unsigned popcount(uint32_t x)
{
	unsigned n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
}

/* The first meeting of a signature in this worker: make sure its finding
 * exists (publishing this scenario, unminimized, and queueing it when the
 * directory has none), then tell the parent. *wrote: this scenario became
 * the finding (and so is no example). */
static tf_err first_meeting(camp_worker *w, uint64_t index, const tf_signature *sig,
			    bool *wrote, tf_error *err)
{
	camp_msg_sig m;
	tf_finding_opts fo;
	const tf_known_entry *known = tf_known_match(w->a->known, w->inst, sig);

	memset(&m, 0, sizeof m);
	m.index = index;
	m.nfeatures = (uint8_t)popcount(sig->features);
	snprintf(m.id, sizeof m.id, "%s", sig->id);
	snprintf(m.text, sizeof m.text, "%s", sig->text);
	if (known) {
		m.flags |= CAMP_SIG_KNOWN;
		snprintf(m.known_id, sizeof m.known_id, "%s", known->id);
	}
	*wrote = false;
	if (!tf_findings_has(w->a->findings, sig->id, true)) {
		tf_put put;
		camp_finding_opts(w, index, true, &fo);
		fo.origin = "campaign";
		TF_GUARD(tf_finding_fixture(w->inst, w->n, &w->s, sig, &fo, &w->fx, NULL, err));
		tf_err rc = tf_fixture_add_tag(&w->fx, TF_TAG_UNMINIMIZED, err);
		if (rc == TF_OK)
			rc = tf_findings_put_finding(w->a->findings, sig->id, &w->fx, &put, NULL,
						     0, err);
		tf_fixture_free(&w->fx);
		TF_GUARD(rc);
		if (put == TF_PUT_WRITTEN) {
			m.flags |= CAMP_SIG_WROTE;
			*wrote = true;
			TF_GUARD(camp_enqueue(w, sig->id, camp_pair_cost(w, sig), m.nfeatures, err));
		}
	}
	m.flags |= CAMP_SIG_HAS_FINDING;
	camp_send(w, CAMP_MSG_SIG, &m, sizeof m);
	return sent_add(w, id_value(sig->id), err);
}


static tf_err example(camp_worker *w, uint64_t index, const tf_signature *sig, tf_error *err)
{
	tf_finding_opts fo;
	tf_put put;
	tf_findings *f = w->a->findings;
	if (!f->max_examples || tf_findings_examples_full(f, sig->id) ||
	    !tf_findings_has(f, sig->id, false))
		return TF_OK;
	camp_finding_opts(w, index, true, &fo);
	TF_GUARD(tf_finding_fixture(w->inst, w->n, &w->s, sig, &fo, &w->fx, NULL, err));
	tf_err rc = tf_findings_put_example(f, sig->id, &w->fx, &put, NULL, 0, err);
	tf_fixture_free(&w->fx);
	return rc;
}

/* An instance that could not judge: the scenario is kept for debugging,
 * its bytes replayable through the fuzz replayer. */
static tf_err save_failure(camp_worker *w, uint64_t index, unsigned k, tf_error *err)
{
	char name[64], meta[1024];
	uint8_t bytes[TF_GEN_MAX_BYTES];
	size_t len = 0;
	tf_error eerr = {0};
	const tf_campaign_opts *o = w->a->o;
	const char *kind = w->run.rc[k] == TF_ERR_ORACLE ? "oracle" : "error";

	if (w->saved >= WORKER_MAX_SAVED)
		return TF_OK;
	w->saved++;
	snprintf(name, sizeof name, "%s-%" PRIu64, kind, index);
	bool have = tf_gen_encode(&w->s, bytes, sizeof bytes, &len, &eerr) == TF_OK;
	char msg[2 * sizeof w->run.msg[k]];
	size_t m = 0;
	for (const char *p = w->run.msg[k]; *p && m + 2 < sizeof msg; p++) {
		if (*p == '"' || *p == '\\')
			msg[m++] = '\\';
		msg[m++] = (*p >= ' ' && *p < 127) ? *p : ' ';
	}
	msg[m] = '\0';
	snprintf(meta, sizeof meta,
		 "{\n  \"kind\": \"%s\",\n  \"campaign_seed\": \"%" PRIu64 "\",\n"
		 "  \"index\": %" PRIu64 ",\n  \"scenario_seed\": \"%" PRIu64 "\",\n"
		 "  \"profile\": \"%s\",\n  \"instance\": \"%s\",\n  \"error\": \"%s\",\n"
		 "  \"message\": \"%s\"\n}\n",
		 kind, o->seed, index, tf_campaign_scenario_seed(o->seed, index),
		 tf_profile_str(o->profile), w->inst[k].name, tf_err_str(w->run.rc[k]), msg);
	return tf_findings_put_crash(w->a->findings, name, have ? bytes : NULL, len, meta, err);
}

static tf_err one(camp_worker *w, uint64_t index, tf_error *err)
{
	const tf_campaign_opts *o = w->a->o;
	camp_msg_done d;

	if (o->test_crash_at >= 0 && (uint64_t)o->test_crash_at == index) {
		/* Test-only: behave like a backend that crashes on this input. */
		struct rlimit none = {0, 0};
		(void)setrlimit(RLIMIT_CORE, &none);
		abort();
	}
	tf_gen_from_seed(&w->s, tf_campaign_scenario_seed(o->seed, index), o->profile, NULL, NULL);
	tf_diff_run(w->inst, w->n, &w->s, &w->run);
	unsigned nsig = tf_diff_signatures(w->inst, &w->run, &w->s, o->depth, w->sig,
					   CAMP_MAX_PAIRS);
	if (nsig > CAMP_MAX_PAIRS)
		nsig = CAMP_MAX_PAIRS;
	tf_known_coarsen_all(w->a->known, w->inst, w->sig, nsig);
	memset(&d, 0, sizeof d);
	d.index = index;
	d.n = (uint8_t)w->n;
	for (unsigned k = 0; k < w->n; k++) {
		d.vclass[k] = (uint8_t)camp_vclass(w->run.rc[k], &w->run.v[k]);
		if (w->run.rc[k] != TF_OK)
			TF_GUARD(save_failure(w, index, k, err));
	}
	for (unsigned k = 0; k < nsig; k++) {
		const tf_signature *sig = &w->sig[k];
		bool wrote = false;
		if (!sent_has(w, id_value(sig->id)))
			TF_GUARD(first_meeting(w, index, sig, &wrote, err));
		if (!wrote)
			TF_GUARD(example(w, index, sig, err));
		d.sig[d.nsig++] = id_value(sig->id);
	}
	tf_scenario_free(&w->s);
	camp_send(w, CAMP_MSG_DONE, &d, offsetof(camp_msg_done, sig) + d.nsig * sizeof d.sig[0]);
	return TF_OK;
}

static tf_err open_instances(camp_worker *w, tf_error *err)
{
	TF_GUARD(tf_instances_parse(w->inst, TF_MAX_INSTANCES, &w->n, w->a->o->evaluators, err));
	for (w->nopen = 0; w->nopen < w->n; w->nopen++)
		TF_GUARD(tf_instance_open(&w->inst[w->nopen], err));
	return TF_OK;
}

void camp_worker_main(const camp_worker_args *a)
{
	static camp_worker w; /* large; one per process */
	tf_error err = {0};
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
#ifdef __linux__
	/* A parent killed with SIGKILL cannot stop its workers; the kernel can. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	if (getppid() != a->parent)
		_exit(0);
	w.a = a;
	w.capsent = 64;
	w.sent = calloc(w.capsent, sizeof *w.sent);
	if (!w.sent) {
		tf_error_set(&err, TF_ERR_NOMEM, "worker: out of memory");
		fatal(&w, &err);
	}
	tf_scenario_init(&w.s);
	tf_fixture_init(&w.fx);
	tf_fixture_init(&w.fx2);
	if (open_instances(&w, &err) != TF_OK)
		fatal(&w, &err);
	for (size_t k = 0; k < a->npend; k++)
		if (a->pend[k].owner == a->j && !a->pend[k].done &&
		    camp_enqueue(&w, a->pend[k].id, 0, a->pend[k].nfeatures, &err) != TF_OK)
			fatal(&w, &err);
	uint64_t jobs = a->o->jobs;
	for (uint64_t i = a->start; !worker_stop && (!a->bound || i < a->bound); i += jobs) {
		uint64_t t0 = camp_worker_now(&w);
		if (one(&w, i, &err) != TF_OK)
			fatal(&w, &err);
		w.scan_us += camp_worker_now(&w) - t0;
		if (camp_catch_up(&w, false, &err) != TF_OK)
			fatal(&w, &err);
	}
	/* The range is done (or the stop request ends this anyway): what is
	 * queued is all that is left to do. */
	if (camp_catch_up(&w, true, &err) != TF_OK)
		fatal(&w, &err);
	for (unsigned k = 0; k < w.nopen; k++)
		tf_instance_close(&w.inst[k]);
	free(w.sent);
	free(w.q);
	camp_send(&w, CAMP_MSG_BYE, NULL, 0);
	_exit(0);
}
