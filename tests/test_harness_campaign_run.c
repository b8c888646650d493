/* Unit tests for the campaign runner (harness/campaign*.c): what a campaign
 * covers depends on the seed and the indexes only (not on the job count),
 * a resumed campaign adds up to an uninterrupted one, a crashing scenario
 * costs one scenario and is saved, stop requests and time budgets end the
 * run with everything flushed, and a resume that contradicts the saved
 * campaign is refused. Evaluators ref and kb: fast and pure. */
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "trustfuzz/campaign.h"
#include "trustfuzz/finding.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/gen.h"

#define N_ITER 2400

static const char *tmpdir(const char *tag)
{
	static char bufs[8][4096];
	static unsigned next;
	const char *base = getenv("TF_TMP");
	char *buf = bufs[next++ % 8];
	if (!base)
		base = "/tmp";
	mkdir(base, 0777);
	snprintf(buf, 4096, "%s/campaign-%s-XXXXXX", base, tag);
	assert_non_null(mkdtemp(buf));
	return buf;
}

static void opts(tf_campaign_opts *o, const char *dir, uint64_t seed, unsigned jobs,
		 uint64_t iterations)
{
	tf_campaign_opts_init(o);
	o->out = dir;
	o->seed = seed;
	o->jobs = jobs;
	o->iterations = iterations;
	snprintf(o->evaluators, sizeof o->evaluators, "ref,kb");
	o->min_ms = 0; /* the step bound only: deterministic fixtures */
	o->min_steps = 300;
	o->examples = 1;
}

static void run_ok(const tf_campaign_opts *o, tf_campaign_result *r)
{
	tf_error err = {0};
	tf_err rc = tf_campaign_run(o, r, &err);
	if (rc != TF_OK)
		fail_msg("campaign: %s", err.msg);
}

static const tf_campaign_sig *row(const tf_campaign_result *r, const char *id)
{
	for (unsigned i = 0; i < r->nsigs; i++)
		if (!strcmp(r->sigs[i].id, id))
			return &r->sigs[i];
	return NULL;
}

/* Same signatures, same counts, same first index, same verdict counts. */
static void assert_same_campaign(const tf_campaign_result *a, const tf_campaign_result *b)
{
	assert_int_equal(a->totals.scenarios, b->totals.scenarios);
	assert_int_equal(a->totals.divergent, b->totals.divergent);
	assert_int_equal(a->nsigs, b->nsigs);
	for (unsigned i = 0; i < a->nsigs; i++) {
		const tf_campaign_sig *y = row(b, a->sigs[i].id);
		assert_non_null(y);
		assert_string_equal(a->sigs[i].text, y->text);
		assert_int_equal(a->sigs[i].count, y->count);
		assert_int_equal(a->sigs[i].first_index, y->first_index);
	}
	assert_memory_equal(a->verdicts, b->verdicts, sizeof a->verdicts);
}

static void test_scenario_seed_stable(void **state)
{
	(void)state;
	/* Changing these breaks every printed seed ever: they are the format. */
	assert_true(tf_campaign_scenario_seed(1, 0) == UINT64_C(13830413928045401970));
	assert_true(tf_campaign_scenario_seed(1, 1) == UINT64_C(6869446166584666695));
	assert_true(tf_campaign_scenario_seed(0, 0) == UINT64_C(16294208416658607535));
	assert_true(tf_campaign_scenario_seed(2, 0) != tf_campaign_scenario_seed(1, 1));
	assert_string_equal(tf_vclass_str(TF_VCLASS_403_16), "403.16");
	assert_string_equal(tf_vclass_str(TF_VCLASS_ORACLE), "oracle");
}

static void test_jobs_do_not_matter(void **state)
{
	tf_campaign_opts o1, o2;
	tf_campaign_result r1, r2;
	(void)state;
	opts(&o1, tmpdir("jobs1"), 11, 1, N_ITER);
	opts(&o2, tmpdir("jobs3"), 11, 3, N_ITER);
	run_ok(&o1, &r1);
	run_ok(&o2, &r2);
	assert_int_equal(r1.totals.scenarios, N_ITER);
	assert_true(r1.complete && !r1.stopped);
	assert_true(r1.nsigs > 0); /* ref and kb disagree on some generated scenarios */
	assert_same_campaign(&r1, &r2);
	/* Every signature has its fixture, and it is the finding of that id. */
	for (unsigned i = 0; i < r2.nsigs; i++) {
		tf_fixture f;
		tf_error err = {0};
		char id[64];
		tf_fixture_init(&f);
		assert_true(r2.sigs[i].fixture[0] != '\0');
		assert_true(r2.sigs[i].minimized); /* a complete campaign leaves none behind */
		if (tf_fixture_read(r2.sigs[i].fixture, &f, &err) != TF_OK)
			fail_msg("%s", err.msg);
		snprintf(id, sizeof id, "div-%s", r2.sigs[i].id);
		assert_string_equal(f.id, id);
		assert_true(f.nexpect == 2);
		for (unsigned t = 0; t < f.ntags; t++)
			assert_string_not_equal(f.tags[t], TF_TAG_UNMINIMIZED);
		tf_fixture_free(&f);
	}
	tf_campaign_result_free(&r1);
	tf_campaign_result_free(&r2);
}

static void test_resume_adds_up(void **state)
{
	tf_campaign_opts whole, part;
	tf_campaign_result rw, rp;
	tf_campaign_saved saved;
	tf_error err = {0};
	const char *dir = tmpdir("resume");
	(void)state;

	opts(&whole, tmpdir("whole"), 12, 2, N_ITER);
	run_ok(&whole, &rw);

	opts(&part, dir, 12, 2, N_ITER / 3);
	run_ok(&part, &rp);
	assert_true(rp.complete);
	tf_campaign_result_free(&rp);
	assert_int_equal(tf_campaign_peek(dir, &saved, &err), TF_OK);
	assert_true(saved.seed == 12 && saved.jobs == 2 && saved.next_min >= N_ITER / 3);
	assert_string_equal(saved.evaluators, "ref,kb");

	opts(&part, dir, 12, 2, N_ITER);
	part.resume = true;
	run_ok(&part, &rp);
	assert_true(rp.complete);
	assert_int_equal(rp.totals.run_scenarios, N_ITER - N_ITER / 3);
	assert_same_campaign(&rw, &rp);
	tf_campaign_result_free(&rp);

	/* Nothing left to do: a resume of a complete campaign evaluates nothing. */
	run_ok(&part, &rp);
	assert_int_equal(rp.totals.run_scenarios, 0);
	assert_same_campaign(&rw, &rp);
	tf_campaign_result_free(&rp);
	tf_campaign_result_free(&rw);
}

static void test_resume_other_job_count(void **state)
{
	tf_campaign_opts o, ref;
	tf_campaign_result r, rr;
	const char *dir = tmpdir("rejobs");
	(void)state;
	opts(&ref, tmpdir("rejobs-ref"), 13, 1, 900);
	run_ok(&ref, &rr);
	opts(&o, dir, 13, 3, 300);
	run_ok(&o, &r);
	tf_campaign_result_free(&r);
	opts(&o, dir, 13, 2, 900);
	o.resume = true;
	run_ok(&o, &r);
	assert_true(r.complete);
	/* Restarting from the lowest saved index may redo a few scenarios,
	 * never skip one: every signature of the uninterrupted run is there. */
	assert_true(r.totals.scenarios >= 900);
	for (unsigned i = 0; i < rr.nsigs; i++)
		assert_non_null(row(&r, rr.sigs[i].id));
	tf_campaign_result_free(&r);
	tf_campaign_result_free(&rr);
}

static void test_crash_costs_one_scenario(void **state)
{
	tf_campaign_opts o;
	tf_campaign_result r;
	char path[4300];
	const char *dir = tmpdir("crash");
	(void)state;

	opts(&o, dir, 14, 2, 300);
	o.test_crash_at = 101;
	run_ok(&o, &r);
	assert_int_equal(r.totals.crashes, 1);
	assert_int_equal(r.totals.scenarios, 299);
	assert_true(r.complete);
	tf_campaign_result_free(&r);

	/* The crash input is the scenario's byte form: it decodes to it. */
	char *bytes = NULL, *meta = NULL;
	size_t len = 0, mlen = 0;
	tf_error err = {0};
	snprintf(path, sizeof path, "%s/crashes/scenario-101.bin", dir);
	assert_int_equal(tf_read_file(path, &bytes, &len, &err), TF_OK);
	snprintf(path, sizeof path, "%s/crashes/scenario-101.json", dir);
	assert_int_equal(tf_read_file(path, &meta, &mlen, &err), TF_OK);
	assert_non_null(strstr(meta, "\"index\": 101"));
	assert_non_null(strstr(meta, "\"campaign_seed\": \"14\""));
	assert_non_null(strstr(meta, "signal 6"));
	tf_scenario a, b;
	tf_gen_from_bytes(&a, (const uint8_t *)bytes, len);
	tf_gen_from_seed(&b, tf_campaign_scenario_seed(14, 101), TF_GEN_PROFILE_MIXED, NULL, NULL);
	assert_true(tf_scenario_equal(&a, &b));
	tf_scenario_free(&a);
	tf_scenario_free(&b);
	free(bytes);
	free(meta);
}

static volatile sig_atomic_t stop_now;

static void test_stop_then_resume(void **state)
{
	tf_campaign_opts o;
	tf_campaign_result r;
	const char *dir = tmpdir("stop");
	(void)state;

	opts(&o, dir, 15, 2, 600);
	stop_now = 1;
	o.stop = &stop_now;
	run_ok(&o, &r);
	assert_true(r.stopped);
	assert_true(r.totals.scenarios < 600);
	tf_campaign_result_free(&r);
	stop_now = 0;
	o.resume = true;
	run_ok(&o, &r);
	assert_true(r.complete && !r.stopped);
	assert_int_equal(r.totals.scenarios, 600); /* nothing lost, nothing counted twice */
	tf_campaign_result_free(&r);
}

/* A clock that moves 100 ms each time it is read. */
static uint64_t fake_us(void *ctx)
{
	uint64_t *t = ctx;
	return *t += 100000;
}

static void test_time_budget_ends_unbounded_run(void **state)
{
	tf_campaign_opts o;
	tf_campaign_result r;
	tf_campaign_saved saved;
	tf_error err = {0};
	uint64_t t = 0;
	const char *dir = tmpdir("time");
	(void)state;

	opts(&o, dir, 16, 2, 0);
	o.time_ms = 3000;
	o.now_us = fake_us;
	o.clock_ctx = &t;
	run_ok(&o, &r);
	assert_false(r.complete);
	assert_true(r.totals.elapsed_s >= 3.0);
	tf_campaign_result_free(&r);
	assert_int_equal(tf_campaign_peek(dir, &saved, &err), TF_OK);
	assert_true(saved.iterations == 0);

	o.now_us = NULL; /* a time budget without a clock is refused */
	assert_int_equal(tf_campaign_run(&o, &r, &err), TF_ERR_USAGE);
	tf_campaign_result_free(&r);
}

/* A finding left unminimized by an earlier run (written here by hand, as a
 * stopped campaign leaves it) is minimized by the next run on the
 * directory, even by a worker with no scenario left to evaluate. */
static void test_unminimized_taken_up(void **state)
{
	tf_instance inst[TF_MAX_INSTANCES];
	unsigned n = 0;
	tf_error err = {0};
	tf_scenario s;
	tf_run run;
	tf_signature sig[4];
	tf_fixture fx;
	char path[4300];
	const char *dir = tmpdir("unmin");
	(void)state;

	assert_int_equal(tf_instances_parse(inst, TF_MAX_INSTANCES, &n, "ref,kb", &err), TF_OK);
	for (unsigned k = 0; k < n; k++)
		assert_int_equal(tf_instance_open(&inst[k], &err), TF_OK);
	/* A divergent scenario with room to shrink, and what it shrinks to
	 * with the campaign's bounds (opts: 300 steps, no time cap). */
	tf_finding_opts fm = {.min = {.max_steps = 300}, .origin = "campaign"};
	unsigned nsig = 0, after = 0;
	for (uint64_t seed = 0; nsig == 0 && seed < 100000; seed++) {
		tf_gen_from_seed(&s, seed, TF_GEN_PROFILE_KB, NULL, NULL);
		tf_diff_run(inst, n, &s, &run);
		nsig = tf_diff_signatures(inst, &run, &s, TF_DEPTH_STATUS, sig, 4);
		if (nsig) {
			assert_int_equal(tf_finding_fixture(inst, n, &s, &sig[0], &fm, &fx, NULL, &err),
					 TF_OK);
			after = fx.scenario.ncerts;
			tf_fixture_free(&fx);
			if (after >= s.ncerts)
				nsig = 0;
		}
		if (!nsig)
			tf_scenario_free(&s);
	}
	assert_true(nsig > 0);
	tf_finding_opts fo = {.no_minimize = true, .origin = "campaign"};
	assert_int_equal(tf_finding_fixture(inst, n, &s, &sig[0], &fo, &fx, NULL, &err), TF_OK);
	assert_int_equal(tf_fixture_add_tag(&fx, TF_TAG_UNMINIMIZED, &err), TF_OK);
	unsigned before = fx.scenario.ncerts;
	snprintf(path, sizeof path, "%s/findings", dir);
	mkdir(path, 0777);
	snprintf(path, sizeof path, "%s/findings/%s.json", dir, sig[0].id);
	assert_int_equal(tf_fixture_write(path, &fx, &err), TF_OK);
	tf_fixture_free(&fx);
	tf_scenario_free(&s);
	for (unsigned k = 0; k < n; k++)
		tf_instance_close(&inst[k]);

	tf_campaign_opts o;
	tf_campaign_result r;
	opts(&o, dir, 19, 2, 1);
	run_ok(&o, &r);
	assert_int_equal(r.totals.unminimized, 0);
	tf_campaign_result_free(&r);
	tf_fixture_init(&fx);
	assert_int_equal(tf_fixture_read(path, &fx, &err), TF_OK);
	for (unsigned t = 0; t < fx.ntags; t++)
		assert_string_not_equal(fx.tags[t], TF_TAG_UNMINIMIZED);
	assert_int_equal(fx.scenario.ncerts, after);
	assert_true(after < before);
	tf_fixture_free(&fx);
}

static void test_refusals(void **state)
{
	tf_campaign_opts o;
	tf_campaign_result r;
	tf_error err = {0};
	const char *dir = tmpdir("refuse");
	(void)state;

	opts(&o, dir, 17, 1, 50);
	o.resume = true;
	assert_int_equal(tf_campaign_run(&o, &r, &err), TF_ERR_IO); /* nothing to resume */
	tf_campaign_result_free(&r);
	o.resume = false;
	run_ok(&o, &r);
	tf_campaign_result_free(&r);

	o.resume = true;
	o.seed = 18;
	assert_int_equal(tf_campaign_run(&o, &r, &err), TF_ERR_USAGE);
	assert_non_null(strstr(err.msg, "seed 17"));
	tf_campaign_result_free(&r);
	o.seed = 17;
	snprintf(o.evaluators, sizeof o.evaluators, "ref,kb,ref+anchors=self-signed-only");
	assert_int_equal(tf_campaign_run(&o, &r, &err), TF_ERR_USAGE);
	tf_campaign_result_free(&r);
	snprintf(o.evaluators, sizeof o.evaluators, "ref,nosuch");
	o.resume = false;
	assert_int_equal(tf_campaign_run(&o, &r, &err), TF_ERR_USAGE);
	tf_campaign_result_free(&r);

	/* One campaign per directory. */
	char lock[4200];
	snprintf(lock, sizeof lock, "%s/.lock", dir);
	int fd = open(lock, O_RDWR | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	snprintf(o.evaluators, sizeof o.evaluators, "ref,kb");
	assert_int_equal(tf_campaign_run(&o, &r, &err), TF_ERR_USAGE);
	assert_non_null(strstr(err.msg, "another campaign"));
	tf_campaign_result_free(&r);
	close(fd);
	o.jobs = 0;
	assert_int_equal(tf_campaign_run(&o, &r, &err), TF_ERR_USAGE);
	tf_campaign_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenario_seed_stable),
		cmocka_unit_test(test_jobs_do_not_matter),
		cmocka_unit_test(test_resume_adds_up),
		cmocka_unit_test(test_resume_other_job_count),
		cmocka_unit_test(test_crash_costs_one_scenario),
		cmocka_unit_test(test_stop_then_resume),
		cmocka_unit_test(test_time_budget_ends_unbounded_run),
		cmocka_unit_test(test_unminimized_taken_up),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
