/*
 * cli/bench_tables.h — the sections `trustfuzz bench` prints (bench_tables.c):
 * each runs its measurement (bench/bench.h) and prints one Markdown table.
 * Private to cli/cmd_bench.c.
 */
#ifndef TRUSTFUZZ_CLI_BENCH_TABLES_H
#define TRUSTFUZZ_CLI_BENCH_TABLES_H

#include "bench.h"

typedef struct bench_args {
	unsigned scenarios, campaign, first_seeds;
	uint64_t seed;
	tf_profile profile;
	double min_cpu, first_timeout;
	const char *libfuzzer, *dict, *tmp, *only;
} bench_args;

/* Each returns an exit code (printing the error) and passes back the figure
 * the targets table needs (NAN when not measured). */
int bench_print_rates(const bench_args *a, const tf_bench_set *set, const tf_bench_crypto *cr,
		double *model_rate, double *full_rate, double *campaign_rate);
int bench_print_by_alg(const bench_args *a, const tf_bench_set *set, tf_bench_crypto *costs);
void bench_print_crypto(const tf_bench_set *set, const tf_bench_crypto *cr);
int bench_print_minimize(const bench_args *a, double *median);
int bench_print_first(const bench_args *a, const char *self, const char *tmp, double *run_med,
		double *lf_med, double *lf_tuned_med);
void bench_print_targets(double model, double full, double campaign, const tf_bench_crypto *cr,
		   double min_med, double run_med, double lf_med, double lf_tuned_med);

#endif
