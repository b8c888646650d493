/*
 * Unit tests for tf_grow (core/arena.c), the one way harness code grows its
 * malloc'ed arrays: the array is kept while it has room, doubles when full,
 * keeps its contents, and an impossible size leaves array and capacity as
 * they were.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "trustfuzz/scenario.h"

static void test_grow_doubles_and_keeps(void **state)
{
	(void)state;
	int *a = NULL;
	size_t cap = 0, n = 0;
	for (int i = 0; i < 1000; i++) {
		size_t before = cap;
		int *g = tf_grow(a, &cap, n, sizeof *g);
		assert_non_null(g);
		if (n < before) {
			assert_ptr_equal(g, a);
			assert_int_equal(cap, before);
		} else {
			assert_int_equal(cap, before ? before * 2 : 16);
		}
		a = g;
		a[n++] = i;
	}
	assert_int_equal(cap, 1024);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(a[i], i);
	free(a);
}

static void test_grow_overflow_untouched(void **state)
{
	(void)state;
	char *a = malloc(4);
	assert_non_null(a);
	size_t cap = SIZE_MAX / 2 + 1;
	assert_null(tf_grow(a, &cap, cap, 1));
	assert_int_equal(cap, SIZE_MAX / 2 + 1);
	cap = 4;
	assert_null(tf_grow(a, &cap, 4, SIZE_MAX / 4));
	assert_int_equal(cap, 4);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_doubles_and_keeps),
		cmocka_unit_test(test_grow_overflow_untouched),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
