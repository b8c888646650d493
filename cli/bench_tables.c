/* cli/bench_tables.c — the tables of `trustfuzz bench` (bench_tables.h). */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench_tables.h"
#include "cli.h"
#include "trustfuzz/registry.h"

/* ---- Rates ------------------------------------------------------------------ */

typedef struct row {
	const char *what, *instances;
	tf_bench_work work;
	bool cache, repeat, vs_ceiling;
} row;

static const row rows[] = {
	{"generator alone", "-", TF_BENCH_GEN, true, true, false},
	{"reference", "ref", TF_BENCH_EVAL, true, true, false},
	{"KB model", "kb", TF_BENCH_EVAL, true, true, false},
	{"OpenSSL verify, cache on", "openssl+mode=verify", TF_BENCH_EVAL, true, false, true},
	{"OpenSSL verify, cache off", "openssl+mode=verify", TF_BENCH_EVAL, false, false, true},
	{"OpenSSL handshake, cache on", "openssl+mode=handshake", TF_BENCH_EVAL, true, false, true},
	{"OpenSSL handshake, cache off", "openssl+mode=handshake", TF_BENCH_EVAL, false, false, true},
	{"GnuTLS, cache on", "gnutls", TF_BENCH_EVAL, true, false, true},
	{"GnuTLS, cache off", "gnutls", TF_BENCH_EVAL, false, false, true},
	{"model-only differential", "ref,kb", TF_BENCH_DIFF, true, true, false},
	{"model-only differential + generator", "ref,kb", TF_BENCH_GEN_DIFF, true, true, false},
	{"full differential, cache on", "all", TF_BENCH_DIFF, true, false, true},
	{"full differential, cache off", "all", TF_BENCH_DIFF, false, false, true},
	{"campaign differential, cache on", "ref,kb,openssl", TF_BENCH_DIFF, true, false, true},
	{"campaign differential, cache off", "ref,kb,openssl", TF_BENCH_DIFF, false, false, true},
};

/* The rows that are about the signature cache, again for each key-pool
 * algorithm: Ed25519 signs cheaply, RSA does not. */
static const row alg_rows[] = {
	{"OpenSSL verify, cache on", "openssl+mode=verify", TF_BENCH_EVAL, true, false, true},
	{"OpenSSL verify, cache off", "openssl+mode=verify", TF_BENCH_EVAL, false, false, true},
	{"campaign differential, cache on", "ref,kb,openssl", TF_BENCH_DIFF, true, false, true},
	{"campaign differential, cache off", "ref,kb,openssl", TF_BENCH_DIFF, false, false, true},
};

static void bench_rate_row(const row *r, const tf_bench_rate *res, const tf_bench_crypto *cr)
{
	printf("| %s | %s | %" PRIu64 " | %.3f | %.3f | %.0f |", r->what, r->instances,
	       res->scenarios, res->t.cpu, res->t.wall, res->rate);
	if (r->vs_ceiling && cr->rate > 0)
		printf(" %.2f |", res->rate / cr->rate);
	else
		printf(" |");
	if (res->has_sig)
		printf(" %" PRIu64 " / %" PRIu64 " |", res->sig_hits, res->sig_misses);
	else
		printf(" |");
	printf("%s\n", res->errors ? " (evaluation errors)" : "");
	fflush(stdout);
}

static const char rate_head[] =
	"| measured | instances | scenarios | CPU s | wall s | scenarios/s | x ceiling | "
	"signatures cached / computed |\n|---|---|---:|---:|---:|---:|---:|---:|\n";

int bench_print_rates(const bench_args *a, const tf_bench_set *set, const tf_bench_crypto *cr,
		       double *model_rate, double *full_rate, double *campaign_rate)
{
	tf_error err = {0};
	printf("### Throughput (the same %u scenarios for every row)\n\n%s", set->n, rate_head);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const row *r = &rows[i];
		tf_bench_rate res;
		if (!strcmp(r->instances, "gnutls") && !tf_evaluator_find("gnutls"))
			continue;
		if (tf_bench_rate_run(set, r->work, r->instances, r->cache, a->min_cpu,
				      r->repeat ? 100000 : 1, &res, &err) != TF_OK)
			return cli_report(&err);
		bench_rate_row(r, &res, cr);
		if (r->work == TF_BENCH_DIFF && !strcmp(r->instances, "ref,kb"))
			*model_rate = res.rate;
		if (r->work == TF_BENCH_DIFF && r->cache && !strcmp(r->instances, "all"))
			*full_rate = res.rate;
		if (r->work == TF_BENCH_DIFF && r->cache && !strcmp(r->instances, "ref,kb,openssl"))
			*campaign_rate = res.rate;
	}
	printf("| crypto ceiling | EVP sign + verify | %u | %.3f | | %.0f | 1.00 | |\n", set->n,
	       cr->cost_s, cr->rate);
	printf("\nKey-pool algorithms in the set: ed25519 %u, p256 %u, rsa2048 %u; %u scenarios ask "
	       "for openssl.mode=handshake (the differential's `openssl` honours it).\n\n",
	       set->by_keys[0], set->by_keys[1], set->by_keys[2], set->handshake);
	return TF_EXIT_OK;
}

/* The cache rows again with every scenario's `keys` knob forced to each
 * algorithm in turn, each against the ceiling of that algorithm. */
int bench_print_by_alg(const bench_args *a, const tf_bench_set *set, tf_bench_crypto *costs)
{
	static const char *const alg[] = {"ed25519", "p256", "rsa2048"};
	tf_error err = {0};
	printf("### The signature cache by key-pool algorithm (the same scenarios, `keys` "
	       "forced)\n\n%s", rate_head);
	for (unsigned k = 0; k < 3; k++) {
		tf_bench_set ks;
		tf_bench_crypto cr = *costs;
		int rc = TF_EXIT_OK;
		if (tf_bench_set_with_keys(set, k, &ks, &err) != TF_OK ||
		    tf_bench_crypto_ceiling(&ks, &cr, &err) != TF_OK) {
			tf_bench_set_free(&ks);
			return cli_report(&err);
		}
		for (size_t i = 0; i < sizeof alg_rows / sizeof alg_rows[0] && rc == TF_EXIT_OK; i++) {
			row r = alg_rows[i];
			tf_bench_rate res;
			char what[96];
			snprintf(what, sizeof what, "%s: %s", alg[k], r.what);
			r.what = what;
			if (tf_bench_rate_run(&ks, r.work, r.instances, r.cache, a->min_cpu, 1, &res,
					      &err) != TF_OK)
				rc = cli_report(&err);
			else
				bench_rate_row(&r, &res, &cr);
		}
		if (rc == TF_EXIT_OK)
			printf("| %s: crypto ceiling | EVP sign + verify | %u | %.3f | | %.0f | 1.00 | |\n",
			       alg[k], ks.n, cr.cost_s, cr.rate);
		tf_bench_set_free(&ks);
		if (rc != TF_EXIT_OK)
			return rc;
	}
	printf("\n");
	return TF_EXIT_OK;
}

void bench_print_crypto(const tf_bench_set *set, const tf_bench_crypto *cr)
{
	static const char *const alg[] = {"ed25519", "p256", "rsa2048"};
	printf("### Crypto ceiling\n\n| keys | scenarios | EVP sign us | EVP verify us |\n"
	       "|---|---:|---:|---:|\n");
	for (unsigned i = 0; i < 3; i++)
		printf("| %s | %u | %.1f | %.1f |\n", alg[i], set->by_keys[i], cr->sign_s[i] * 1e6,
		       cr->verify_s[i] * 1e6);
	printf("\nPer scenario: %.2f signatures (one per certificate) and %.2f verifications "
	       "(the reference's deciding path below its end); together %.1f us, a ceiling of "
	       "%.0f scenarios/s.\n\n",
	       (double)cr->signs / set->n, (double)cr->verifies / set->n, cr->cost_s / set->n * 1e6,
	       cr->rate);
}

int bench_print_minimize(const bench_args *a, double *median)
{
	tf_error err = {0};
	tf_bench_min *m = calloc(1, sizeof *m);
	if (!m)
		return TF_EXIT_INTERNAL;
	if (tf_bench_min_run(a->seed, a->profile, a->campaign, m, &err) != TF_OK) {
		free(m);
		return cli_report(&err);
	}
	printf("### Minimizer\n\nCampaign: %u scenarios from seed %" PRIu64 ", instances "
	       "ref,kb,openssl, depth status; each distinct signature's first scenario shrunk with "
	       "the campaign's bounds (4000 steps, 10 s).\n\n",
	       m->campaign, a->seed);
	printf("| divergences | median CPU s | worst CPU s | median certificates before -> after "
	       "| stopped at a bound |\n|---:|---:|---:|---:|---:|\n");
	printf("| %u | %.3f | %.3f | %u -> %u | %u |\n\nWorst: `%s`.\n\n", m->n, m->median_s,
	       m->worst_s, m->median_certs_before, m->median_certs_after, m->hit_bound,
	       m->worst_sig);
	*median = m->median_s;
	free(m);
	return TF_EXIT_OK;
}

static void bench_first_row(const char *engine, const tf_bench_first *f)
{
	printf("| %s | %u |", engine, f->n);
	for (unsigned i = 0; i < f->n; i++) {
		if (f->found[i])
			printf(" %.2f", f->t[i]);
		else
			printf(" >timeout");
	}
	printf(" | %s%.2f | %u/%u |\n", isinf(f->median) ? ">" : "",
	       isinf(f->median) ? 0.0 : f->median, f->nfound, f->n);
}

int bench_print_first(const bench_args *a, const char *self, const char *tmp, double *run_med,
		       double *lf_med, double *lf_tuned_med)
{
	tf_error err = {0};
	tf_bench_first f;
	char timeout[32];
	snprintf(timeout, sizeof timeout, "%.0f", a->first_timeout);
	printf("### Time to the first KB divergence (a ref~kb finding), empty corpus\n\n");
	printf("| engine | seeds | wall s per seed | median s | found |\n|---|---:|---|---:|---:|\n");
	char *run_argv[] = {(char *)self, "run", "--seed", "{seed}", "--out", "{dir}",
			    "--evaluators", "ref,kb,openssl", "--jobs", "1", "--time", timeout, NULL};
	if (tf_bench_first_run(run_argv, NULL, tmp, "run", a->first_seeds, a->first_timeout, &f, &err) !=
	    TF_OK)
		return cli_report(&err);
	bench_first_row("trustfuzz run (1 job)", &f);
	*run_med = f.median;
	fflush(stdout);
	if (a->libfuzzer) {
		char maxt[48], dict[4200];
		snprintf(maxt, sizeof maxt, "-max_total_time=%.0f", a->first_timeout + 5);
		snprintf(dict, sizeof dict, "-dict=%s", a->dict ? a->dict : "");
		/* libFuzzer's defaults: lengths grow from 4 bytes as coverage
		 * stalls, while the trigger needs about twenty decision bytes
		 * (docs/generators.md). */
		char *lf_argv[] = {(char *)a->libfuzzer, "-seed={seed}", maxt, "{dir}/corpus", NULL};
		if (tf_bench_first_run(lf_argv, "TRUSTFUZZ_FINDINGS", tmp, "libfuzzer", a->first_seeds,
				       a->first_timeout, &f, &err) != TF_OK)
			return cli_report(&err);
		bench_first_row("libFuzzer fuzz-diff, no flags", &f);
		*lf_med = f.median;
		fflush(stdout);
		/* The recommended invocation: no length control, and the
		 * dictionary of wide values (times, serials, the issuer-list
		 * limit), which says nothing about the KB trigger. */
		char *lf0_argv[] = {(char *)a->libfuzzer, "-seed={seed}", maxt, "-len_control=0",
				    a->dict ? dict : "{dir}/corpus", a->dict ? "{dir}/corpus" : NULL,
				    NULL};
		if (tf_bench_first_run(lf0_argv, "TRUSTFUZZ_FINDINGS", tmp, "libfuzzer-lc0",
				       a->first_seeds, a->first_timeout, &f, &err) != TF_OK)
			return cli_report(&err);
		bench_first_row(a->dict ? "libFuzzer fuzz-diff -len_control=0 -dict"
					: "libFuzzer fuzz-diff -len_control=0",
				&f);
		*lf_tuned_med = f.median;
	}
	printf("\nWall time from process start until the first finding whose scenario shows a "
	       "ref~kb divergence is in its findings directory (polled every 5 ms)%s%s%s.\n\n",
	       a->libfuzzer && a->dict ? "; dictionary: `" : "",
	       a->libfuzzer && a->dict ? a->dict : "", a->libfuzzer && a->dict ? "`" : "");
	return TF_EXIT_OK;
}

void bench_print_targets(double model, double full, double campaign, const tf_bench_crypto *cr,
			  double min_med, double run_med, double lf_med, double lf_tuned_med)
{
	printf("### Targets\n\n| target | measured | met |\n|---|---:|---|\n");
	if (!isnan(model))
		printf("| model-only differential >= 200000 scenarios/s/core | %.0f | %s |\n", model,
		       model >= 200000 ? "yes" : "no");
	if (!isnan(full) && cr)
		printf("| full differential (all) >= crypto ceiling | %.2f x | %s |\n",
		       full / cr->rate, full >= cr->rate ? "yes" : "no");
	if (!isnan(campaign) && cr)
		printf("| campaign differential (ref,kb,openssl) >= crypto ceiling | %.2f x | %s |\n",
		       campaign / cr->rate, campaign >= cr->rate ? "yes" : "no");
	if (!isnan(min_med))
		printf("| minimization < 1 s median | %.3f s | %s |\n", min_med,
		       min_med < 1 ? "yes" : "no");
	if (!isnan(run_med))
		printf("| first KB divergence < 10 s (trustfuzz run) | %.2f s | %s |\n", run_med,
		       run_med < 10 ? "yes" : "no");
	if (!isnan(lf_tuned_med))
		printf("| first KB divergence < 10 s (libFuzzer, recommended flags) | %.2f s | %s |\n",
		       lf_tuned_med, lf_tuned_med < 10 ? "yes" : "no");
	if (!isnan(lf_med))
		printf("| first KB divergence < 10 s (libFuzzer, no flags) | %.2f s | %s |\n", lf_med,
		       lf_med < 10 ? "yes" : "no");
}
