/*
 * core/fixture_internal.h — shared by the fixture reader and writer (and
 * nothing else: other modules go through fixture.h).
 *
 * 1. The JSON spellings of enumerated certificate fields (fixture_names.c):
 *    each table maps a value (a bit or an enum) to the one spelling fixtures
 *    use; lookups are exact and case-sensitive.
 * 2. The reader's context and typed getters (fixture_rd.c). The reader walks
 *    the JSON tree keeping the JSON path of the value it is looking at
 *    ("scenario.certs[2].issuer"), so that every error names it:
 *    "<origin>: <path>: <problem>, expected <what>". Getters check type,
 *    range and length; a field absent from its object leaves *out untouched
 *    (the caller has set the default). On error the path is left pointing at
 *    the bad value: parsing stops at the first error.
 */
#ifndef TRUSTFUZZ_FIXTURE_INTERNAL_H
#define TRUSTFUZZ_FIXTURE_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trustfuzz/err.h"
#include "trustfuzz/scenario.h"

/* ---- Spellings --------------------------------------------------------- */

typedef struct tf_json_word {
	const char *text;
	unsigned value;
} tf_json_word;

/* keyUsage names in bit order (TF_KU_*), extendedKeyUsage names (TF_EKU_*),
 * SKI/AKI forms (tf_kid), each terminated by a NULL text. */
extern const tf_json_word tf_json_ku[];
extern const tf_json_word tf_json_eku[];
extern const tf_json_word tf_json_kid[];

/* Validity presets "valid", "expired", "not-yet-valid" with their
 * (not_before, not_after) from fixture.h; NULL-text terminated. */
typedef struct tf_json_validity {
	const char *text;
	int64_t not_before, not_after;
} tf_json_validity;
extern const tf_json_validity tf_json_validity_presets[];

/* Value of `text` in words, or false. */
bool tf_json_word_find(const tf_json_word *words, const char *text, unsigned *value);
/* Spelling of `value`, or NULL. */
const char *tf_json_word_text(const tf_json_word *words, unsigned value);
/* "a, b, c": the spellings, for an "expected one of" message. Returns buf. */
char *tf_json_word_list(const tf_json_word *words, char *buf, size_t bufsz);
/* Preset name matching (nb, na) exactly, or NULL. */
const char *tf_json_validity_name(int64_t nb, int64_t na);

/* ---- Reader context ---------------------------------------------------- */

typedef struct tf_rd {
	const char *origin; /* file name or "<stdin>" */
	tf_error *err;
	size_t len;         /* strlen(path) */
	char path[256];
} tf_rd;

enum {
	TF_TEXT_NONEMPTY = 1,  /* "" rejected */
	TF_TEXT_PRINTABLE = 2, /* ASCII 0x20..0x7e only */
	TF_TEXT_ONELINE = 4    /* no control characters (UTF-8 allowed) */
};

/* Copies text for a message: non-printable bytes become '?', long text is
 * cut with "...". Returns buf. */
const char *tf_rd_quote(const char *text, char *buf, size_t bufsz);

/* Path stack: push returns a mark that pop restores. */
size_t tf_rd_push_key(tf_rd *r, const char *key);
size_t tf_rd_push_index(tf_rd *r, size_t i);
void tf_rd_pop(tf_rd *r, size_t mark);

/* Sets r->err to "<origin>: <path>: <message>" (no path part at the top
 * level) and returns code. */
tf_err tf_rd_fail(tf_rd *r, tf_err code, const char *fmt, ...) TF_PRINTF(3, 4);
/* Fails with "is a string, expected <what>". */
tf_err tf_rd_type(tf_rd *r, const json_t *v, const char *what);

/* obj must be an object (else a type error naming `what`) whose keys are all
 * in the NULL-terminated `allowed` list (else "unknown field"). */
tf_err tf_rd_object(tf_rd *r, const json_t *obj, const char *const *allowed, const char *what);
/* Fails with "missing, expected <what>" at <path>.<key> when absent. */
tf_err tf_rd_require(tf_rd *r, const json_t *obj, const char *key, const char *what);
/* An array of at most max entries (else TF_ERR_LIMIT); *n its size. */
tf_err tf_rd_array(tf_rd *r, const json_t *v, size_t max, const char *what, size_t *n);

/* Typed fields of obj (absent: *out untouched). `what` may be NULL for
 * integers ("an integer MIN..MAX"). */
tf_err tf_rd_int(tf_rd *r, const json_t *obj, const char *key, long long min, long long max,
		 const char *what, long long *out);
tf_err tf_rd_bool(tf_rd *r, const json_t *obj, const char *key, bool *out);
tf_err tf_rd_text(tf_rd *r, const json_t *obj, const char *key, size_t cap, unsigned flags,
		  const char *what, char *out);
/* The same checks on a value at the current path. */
tf_err tf_rd_int_value(tf_rd *r, const json_t *v, long long min, long long max,
		       const char *what, long long *out);
tf_err tf_rd_text_value(tf_rd *r, const json_t *v, size_t cap, unsigned flags,
			const char *what, char *out);
/* A certificate id (string) at the current path, resolved in s. */
tf_err tf_rd_cert_ref(tf_rd *r, const tf_scenario *s, const json_t *v, uint8_t *out);
/* obj[key]: a list of at most max certificate ids, into out[0..*n). */
tf_err tf_rd_cert_list(tf_rd *r, const tf_scenario *s, const json_t *obj, const char *key,
		       size_t max, uint8_t *out, uint8_t *n);

/* ---- Real DER (fixture_der.c) ------------------------------------------ */

/* Largest blob (a DN, an SPKI, a certificate) a fixture carries. */
#define TF_FIXTURE_DER_MAX (1 << 20)

/* Padded base64 of p[0..n) on one line (malloc'ed, NUL-terminated); NULL
 * when out of memory or n > TF_FIXTURE_DER_MAX. */
char *tf_json_b64_encode(const uint8_t *p, size_t n);
/* The string v at the current path: canonical base64 (what
 * tf_json_b64_encode writes) of one whole DER SEQUENCE, described in
 * messages as `what` ("a DER DistinguishedName"). The bytes are copied into
 * s's arena. */
tf_err tf_rd_der(tf_rd *r, tf_scenario *s, const json_t *v, const char *what,
		 const uint8_t **out, size_t *len);

/* certs[i] of s from obj (fixture_read_cert.c); names and keys are read. */
tf_err tf_rd_cert(tf_rd *r, tf_scenario *s, const json_t *obj, unsigned i);
/* The scenario object (fixture_read_scenario.c): parsed, then checked with
 * tf_scenario_validate. s must be initialised. */
tf_err tf_rd_scenario(tf_rd *r, const json_t *v, tf_scenario *s);

#endif
