/*
 * trustfuzz/fixture.h — fixtures: one self-describing JSON file per scenario.
 *
 * A fixture holds a schema id and version, an id, tags, a one-line "why", the
 * scenario in readable form (names as strings, certificates as objects with
 * named fields, stores and chains as lists of certificate ids), the expected
 * verdict of each evaluator instance (possibly none), and provenance (seed or
 * input bytes, profile, tool version). The schema is docs/fixture-format.md.
 *
 * Writer: canonical and stable — the same fixture gives the same bytes, keys
 * in a fixed order, fields at their JSON default omitted — and atomic (temp
 * file in the same directory, fsync, rename): a reader never sees half a file.
 *
 * Reader: strict. Unknown fields, wrong types, dangling ids, out-of-range
 * values are errors; every error message names the file and the JSON path of
 * the bad field and says what was expected, e.g.
 *   corpus/x.json: scenario.certs[2].issuer: unknown name "CA9"
 * and nothing is partially applied (on error *f is left initialised-empty).
 *
 * Not here: evaluating the expectations (registry.h, verdict.h).
 */
#ifndef TRUSTFUZZ_FIXTURE_H
#define TRUSTFUZZ_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trustfuzz/err.h"
#include "trustfuzz/scenario.h"
#include "trustfuzz/verdict.h"

#define TF_FIXTURE_SCHEMA "trustfuzz-fixture"
#define TF_FIXTURE_VERSION 1
#define TF_FIXTURE_ID_MAX 96
#define TF_FIXTURE_WHY_MAX 400
#define TF_FIXTURE_MAX_TAGS 16
#define TF_FIXTURE_TAG_MAX 48
#define TF_FIXTURE_MAX_EXPECT 12
#define TF_FIXTURE_EVAL_MAX 96
#define TF_FIXTURE_INPUT_MAX 4096
#define TF_VERSION_STRING "0.1.0"

/* JSON defaults and validity presets (seconds relative to validation time). */
#define TF_VALID_NOT_BEFORE (-365 * TF_DAY)
#define TF_VALID_NOT_AFTER (365 * TF_DAY)
#define TF_EXPIRED_NOT_BEFORE (-730 * TF_DAY)
#define TF_EXPIRED_NOT_AFTER (-TF_DAY)
#define TF_NYV_NOT_BEFORE (TF_DAY)
#define TF_NYV_NOT_AFTER (730 * TF_DAY)

typedef struct tf_fixture_expect {
	char evaluator[TF_FIXTURE_EVAL_MAX]; /* instance spec, registry.h */
	tf_expect e;
} tf_fixture_expect;

typedef struct tf_provenance {
	char tool[32];        /* "trustfuzz 0.1.0" */
	char origin[64];      /* "gen", "hand-written", "minimized", "libfuzzer", ... ("" = unset) */
	char profile[16];     /* "" when not generated from a seed */
	bool has_seed;
	uint64_t seed;
	size_t input_len;     /* original input bytes (0 = none) */
	uint8_t input[TF_FIXTURE_INPUT_MAX];
} tf_provenance;

typedef struct tf_fixture {
	char id[TF_FIXTURE_ID_MAX];
	char why[TF_FIXTURE_WHY_MAX];
	unsigned ntags;
	char tags[TF_FIXTURE_MAX_TAGS][TF_FIXTURE_TAG_MAX];
	tf_scenario scenario;
	unsigned nexpect;
	tf_fixture_expect expect[TF_FIXTURE_MAX_EXPECT];
	tf_provenance prov;
} tf_fixture;

void tf_fixture_init(tf_fixture *f);
void tf_fixture_free(tf_fixture *f);

/* Reads and parses the file at path. Messages start with "path: ". */
tf_err tf_fixture_read(const char *path, tf_fixture *f, tf_error *err) TF_MUST_USE;
/* Parses text; `origin` is the name used in messages (a path or "<stdin>"). */
tf_err tf_fixture_parse(const char *text, size_t len, const char *origin, tf_fixture *f,
			tf_error *err) TF_MUST_USE;

/* Canonical JSON (malloc'ed, NUL-terminated, ends with a newline); caller
 * frees *out with free(). The scenario must validate. */
tf_err tf_fixture_to_json(const tf_fixture *f, char **out, size_t *len, tf_error *err) TF_MUST_USE;
/* tf_fixture_to_json, then an atomic write to path. */
tf_err tf_fixture_write(const char *path, const tf_fixture *f, tf_error *err) TF_MUST_USE;

/* Adds or replaces the expectation for `evaluator`. TF_ERR_LIMIT when full. */
tf_err tf_fixture_set_expect(tf_fixture *f, const char *evaluator, const tf_expect *e,
			     tf_error *err) TF_MUST_USE;
/* Adds a tag unless present. TF_ERR_LIMIT when full. */
tf_err tf_fixture_add_tag(tf_fixture *f, const char *tag, tf_error *err) TF_MUST_USE;

/* RFC 3339 UTC ("2024-01-01T00:00:00Z") ↔ Unix seconds, without the C
 * library's time zone machinery. */
bool tf_time_parse(const char *text, int64_t *out);
char *tf_time_format(int64_t t, char *buf, size_t bufsz); /* needs 21 bytes */

/* ---- Files ------------------------------------------------------------- */

/* Writes data to path atomically: a temp file beside it, fsync, rename,
 * directory fsync (tf_write_file_publish with TF_PUBLISH_REPLACE). */
tf_err tf_write_file_atomic(const char *path, const void *data, size_t len,
			    tf_error *err) TF_MUST_USE;

/* How tf_write_file_publish makes the temp file ".NAME.XXXXXX" (beside
 * path, mode 0644) the file at path: by rename() (REPLACE: a reader sees the
 * old file or the new one) or by link() (EXCL: fails with *existed set when
 * the name is taken, so concurrent writers never clobber each other); with
 * the file and its directory fsync'ed unless NOSYNC (the caller syncs
 * later). A crash leaves at most the temp file. */
typedef enum tf_publish {
	TF_PUBLISH_EXCL = 1,
	TF_PUBLISH_REPLACE = 2,
	TF_PUBLISH_NOSYNC = 4
} tf_publish;
tf_err tf_write_file_publish(const char *path, const void *data, size_t len, unsigned flags,
			     bool *existed, tf_error *err) TF_MUST_USE;
/* Reads a whole file (malloc'ed, NUL-terminated; caller frees). Messages
 * start with "path: ". */
tf_err tf_read_file(const char *path, char **out, size_t *len, tf_error *err) TF_MUST_USE;

#endif
