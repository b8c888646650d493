/*
 * harness/fuzz/libfuzzer.c — libFuzzer driver for the differential target
 * (fuzzer.h). Built only with TF_FUZZ=ON (clang); see docs/campaign.md.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzzer.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	tf_error err = {0};
	(void)argc;
	(void)argv;
	if (tf_fuzz_init("libfuzzer", &err) != TF_OK) {
		fprintf(stderr, "fuzz-diff: %s\n", err.msg);
		exit(2);
	}
	atexit(tf_fuzz_cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	return tf_fuzz_one(data, len);
}
