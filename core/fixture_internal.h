/*
 * core/fixture_internal.h — vocabulary shared by the fixture reader, writer
 * and the CLI views: the JSON spellings of enumerated certificate fields.
 *
 * Each table maps a value (a bit or an enum) to the one spelling fixtures
 * use; lookups are by exact, case-sensitive match. The tables live in
 * core/fixture_names.c. Not public: other modules go through fixture.h.
 */
#ifndef TRUSTFUZZ_FIXTURE_INTERNAL_H
#define TRUSTFUZZ_FIXTURE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tf_json_word {
	const char *text;
	unsigned value;
} tf_json_word;

/* keyUsage names in bit order (TF_KU_*), extendedKeyUsage names (TF_EKU_*),
 * SKI/AKI forms (tf_kid), each NULL-terminated. */
extern const tf_json_word tf_json_ku[];
extern const tf_json_word tf_json_eku[];
extern const tf_json_word tf_json_kid[];

/* Validity presets: "valid", "expired", "not-yet-valid" with their
 * (not_before, not_after) from fixture.h. */
typedef struct tf_json_validity {
	const char *text;
	int64_t not_before, not_after;
} tf_json_validity;
extern const tf_json_validity tf_json_validity_presets[];

/* Value of `text` in words, or false. */
bool tf_json_word_find(const tf_json_word *words, const char *text, unsigned *value);
/* Spelling of `value`, or NULL. */
const char *tf_json_word_text(const tf_json_word *words, unsigned value);
/* "a, b, c": the spellings for an "expected one of" message. Returns buf. */
char *tf_json_word_list(const tf_json_word *words, char *buf, size_t bufsz);
/* Preset name matching (nb, na) exactly, or NULL. */
const char *tf_json_validity_name(int64_t nb, int64_t na);

#endif
