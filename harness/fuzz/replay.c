/*
 * harness/fuzz/replay.c — standalone driver for the differential target
 * (fuzzer.h): runs files and folders of inputs without a fuzzing engine or
 * compiler, as OpenSSL's fuzz/test-corpus.c. ctest replays every seed
 * corpus with it; a crash input from a fuzzer or a campaign
 * (DIR/crashes/NAME.bin) is reproduced with it.
 *
 * Each input's name goes to stderr before it runs, so the last name printed
 * before an abort is the input that caused it (-q leaves the names out, for
 * large corpora).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzer.h"
#include "trustfuzz/fixture.h"
#include "walk.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: fuzz-diff-replay [-q] FILE|DIR...\n\n"
		     "Runs every input (every file under each DIR, sorted) through the\n"
		     "differential fuzz target, as a fuzzer would, without a fuzzing engine.\n"
		     "Configuration from TRUSTFUZZ_EVALUATORS, TRUSTFUZZ_DEPTH, TRUSTFUZZ_FINDINGS,\n"
		     "TRUSTFUZZ_KNOWN, TRUSTFUZZ_MIN_STEPS (docs/campaign.md).\n"
		     "exit: 0 every input ran; 2 usage or unreadable input; aborts on a harness\n"
		     "bug or an instance that could not judge, naming the input\n");
}

int main(int argc, char **argv)
{
	tf_walk_list l = {0};
	tf_error err = {0};
	int first = 1, rc = 0;
	bool quiet = false;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "-q")) {
		quiet = true;
		first = 2;
	}
	if (first >= argc) {
		usage(stderr);
		return 2;
	}
	for (int i = first; i < argc && rc == 0; i++)
		rc = tf_walk_add(&l, argv[i], NULL, "fuzz-diff-replay");
	if (rc == 0)
		tf_walk_sort(&l);
	if (rc == 0 && tf_fuzz_init("replay", &err) != TF_OK) {
		fprintf(stderr, "fuzz-diff-replay: %s\n", err.msg);
		rc = -1;
	} else if (rc == 0) {
		for (size_t i = 0; i < l.n && rc == 0; i++) {
			char *data = NULL;
			size_t len = 0;
			if (tf_read_file(l.v[i], &data, &len, &err) != TF_OK) {
				fprintf(stderr, "fuzz-diff-replay: %s\n", err.msg);
				rc = -1;
				break;
			}
			if (!quiet)
				fprintf(stderr, "fuzz-diff-replay: %s\n", l.v[i]);
			tf_fuzz_one((const uint8_t *)data, len);
			free(data);
		}
		if (rc == 0)
			printf("fuzz-diff-replay: %zu inputs ran, %u new findings recorded\n", l.n,
			       tf_fuzz_recorded());
		tf_fuzz_cleanup();
	}
	tf_walk_free(&l);
	return rc == 0 ? 0 : 2;
}
