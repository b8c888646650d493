/* tests/test_gen_exhaustive.c — every byte string of length 3 decodes to a
 * scenario that passes tf_scenario_validate.
 *
 * All 16,777,216 strings take about 20 s in a normal build. Sanitizer builds
 * run about three times slower, so there the test takes the dense subset of
 * strings whose bytes are in 0..63 or 192..255 (2,097,152 strings): every
 * residue of every decision modulus up to 64, from both ends of the byte
 * range, in every combination. Lengths 0..2 are exhaustive in
 * test_gen_totality.c in every build. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "trustfuzz/gen.h"

#if defined(__SANITIZE_ADDRESS__)
#define TF_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define TF_SANITIZED 1
#endif
#endif
#ifndef TF_SANITIZED
#define TF_SANITIZED 0
#endif

/* Next byte value to try after v, or 256 when done. */
static unsigned next_byte(unsigned v)
{
	if (TF_SANITIZED && v == 63)
		return 192;
	return v + 1;
}

static void test_length3(void **state)
{
	(void)state;
	uint8_t b[3];
	unsigned long count = 0;
	for (unsigned x = 0; x < 256; x = next_byte(x))
		for (unsigned y = 0; y < 256; y = next_byte(y))
			for (unsigned z = 0; z < 256; z = next_byte(z)) {
				tf_scenario s;
				tf_error err = {0};
				b[0] = (uint8_t)x;
				b[1] = (uint8_t)y;
				b[2] = (uint8_t)z;
				tf_gen_from_bytes(&s, b, sizeof b);
				if (tf_scenario_validate(&s, &err) != TF_OK)
					fail_msg("input %02x%02x%02x: %s", x, y, z, err.msg);
				count++;
			}
	assert_true(count == (TF_SANITIZED ? 128UL * 128 * 128 : 256UL * 256 * 256));
	print_message("%lu strings of length 3 decoded and validated%s\n", count,
		      TF_SANITIZED ? " (sanitizer subset)" : "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_length3),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
