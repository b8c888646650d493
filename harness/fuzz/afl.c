/*
 * harness/fuzz/afl.c — AFL++ driver for the differential target
 * (fuzzer.h): persistent mode with shared-memory test cases, built with
 * afl-clang-fast (TF_AFL=ON; see docs/campaign.md).
 *
 * Built by any other compiler it is a one-shot driver reading one input
 * from the file named on the command line, or from stdin, so the file is
 * compiled and run in every build, not only under AFL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzzer.h"
#include "trustfuzz/fixture.h"

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();
#endif

/* Test cases larger than this are cut: the byte format never reads that far
 * for a scenario within the documented maxima. */
#define AFL_MAX_INPUT (1u << 20)

static void setup(void)
{
	tf_error err = {0};
	if (tf_fuzz_init("afl", &err) != TF_OK) {
		fprintf(stderr, "fuzz-diff-afl: %s\n", err.msg);
		exit(2);
	}
}

#ifdef __AFL_FUZZ_TESTCASE_LEN
int main(void)
{
	setup();
#ifdef __AFL_HAVE_MANUAL_CONTROL
	/* Fork server starts after the instances are open: every child
	 * inherits them instead of opening them again. */
	__AFL_INIT();
#endif
	const unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(10000)) {
		size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
		tf_fuzz_one(buf, len < AFL_MAX_INPUT ? len : AFL_MAX_INPUT);
	}
	tf_fuzz_cleanup();
	return 0;
}
#else
static int read_stdin(unsigned char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	unsigned char *buf = malloc(cap);
	while (buf) {
		ssize_t r = read(STDIN_FILENO, buf + n, cap - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == cap && cap < AFL_MAX_INPUT) {
			unsigned char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		} else if (n == cap) {
			break;
		}
	}
	*out = buf;
	*len = n;
	return buf ? 0 : -1;
}

int main(int argc, char **argv)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	tf_error err = {0};
	if (argc > 2) {
		fprintf(stderr, "usage: fuzz-diff-afl [FILE]   (one input; stdin without FILE)\n");
		return 2;
	}
	setup();
	if (argc == 2) {
		char *text = NULL;
		if (tf_read_file(argv[1], &text, &len, &err) != TF_OK) {
			fprintf(stderr, "fuzz-diff-afl: %s\n", err.msg);
			tf_fuzz_cleanup();
			return 2;
		}
		buf = (unsigned char *)text;
	} else if (read_stdin(&buf, &len) != 0) {
		fprintf(stderr, "fuzz-diff-afl: out of memory\n");
		tf_fuzz_cleanup();
		return 3;
	}
	tf_fuzz_one(buf, len);
	free(buf);
	tf_fuzz_cleanup();
	return 0;
}
#endif
