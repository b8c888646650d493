/*
 * Unit tests for RFC 3339 UTC times (core/timefmt.c): edge cases of the one
 * accepted form, and agreement with gmtime_r over years 0000..9999.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "trustfuzz/fixture.h"

static void test_time_edges(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int64_t t;
	} good[] = {
		{"1970-01-01T00:00:00Z", 0},
		{"1969-12-31T23:59:59Z", -1},
		{"2024-01-01T00:00:00Z", TF_DEFAULT_VALIDATION_TIME},
		{"2000-02-29T23:59:59Z", INT64_C(951868799)},
		{"2038-01-19T03:14:08Z", INT64_C(2147483648)},
		{"1900-03-01T00:00:00Z", INT64_C(-2203891200)},
		{"0000-01-01T00:00:00Z", INT64_C(-62167219200)},
		{"0000-02-29T12:00:00Z", INT64_C(-62162121600) + 43200},
		{"9999-12-31T23:59:59Z", INT64_C(253402300799)},
	};
	char buf[32];
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int64_t t = 0;
		if (!tf_time_parse(good[i].text, &t) || t != good[i].t)
			fail_msg("%s: parsed as %lld", good[i].text, (long long)t);
		assert_string_equal(tf_time_format(good[i].t, buf, sizeof buf), good[i].text);
	}
	static const char *const bad[] = {
		"", "2024-01-01", "2024-01-01T00:00:00", "2024-01-01T00:00:00z",
		"2024-01-01t00:00:00Z", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00+00:00",
		"2024-01-01T00:00:00.5Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
		"2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z", "2024-04-31T00:00:00Z",
		"2024-01-00T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z",
		"2016-12-31T23:59:60Z", "+024-01-01T00:00:00Z", "2024-1-01T00:00:00Z ",
		" 2024-01-01T00:00:00Z", "20240101T000000Z",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t t = 77;
		if (tf_time_parse(bad[i], &t))
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(t, 77);
	}
	assert_false(tf_time_parse(NULL, &(int64_t){0}));
	assert_null(tf_time_format(INT64_C(-62167219201), buf, sizeof buf));
	assert_null(tf_time_format(INT64_C(253402300800), buf, sizeof buf));
	assert_null(tf_time_format(INT64_MIN, buf, sizeof buf));
	assert_null(tf_time_format(0, buf, 20));
	assert_non_null(tf_time_format(0, buf, 21));
}

/* Cross-check against gmtime_r (UTC, no time zone involved) across the range
 * it covers, stepping by an odd number of seconds to hit every field. */
static void test_time_against_gmtime(void **state)
{
	(void)state;
	char ours[32], theirs[32];
	for (int64_t t = INT64_C(-62167219200); t <= INT64_C(253402300799);
	     t += INT64_C(3155695200) / 40000 + 7) {
		time_t tt = (time_t)t;
		struct tm tm;
		assert_non_null(gmtime_r(&tt, &tm));
		snprintf(theirs, sizeof theirs, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		assert_non_null(tf_time_format(t, ours, sizeof ours));
		if (strcmp(ours, theirs))
			fail_msg("%lld: %s, gmtime says %s", (long long)t, ours, theirs);
		int64_t back = 0;
		assert_true(tf_time_parse(ours, &back));
		assert_int_equal(back, t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_edges),
		cmocka_unit_test(test_time_against_gmtime),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
