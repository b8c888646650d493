/*
 * trustfuzz/err.h — one error type for the whole library.
 *
 * Every fallible function in trustfuzz returns a tf_err and, when it can say
 * more, fills a caller-provided tf_error with a one-line message that names
 * the place (file, JSON path, field) and what was expected. Functions never
 * print and never exit(): only cli/ turns an error into a message and an exit
 * code (tf_err_exit_code()).
 *
 * The guard macros keep error paths to one line each, in the manner of
 * s2n-tls' s2n_safety_macros.h:
 *
 *   TF_GUARD(tf_foo(...));                 propagate a tf_err
 *   TF_ENSURE(n < TF_MAX_CERTS, err, TF_ERR_LIMIT, "certs: more than %d", TF_MAX_CERTS);
 *   TF_BAIL(err, TF_ERR_PARSE, "%s: not JSON", path);
 *
 * Not provided: error stacks, errno capture, localisation.
 */
#ifndef TRUSTFUZZ_ERR_H
#define TRUSTFUZZ_ERR_H

#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define TF_MUST_USE __attribute__((warn_unused_result))
#define TF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TF_MUST_USE
#define TF_PRINTF(a, b)
#endif

/* Error codes. 0 is success; every other value is a distinct failure class. */
typedef enum tf_err {
	TF_OK = 0,
	TF_ERR_NOMEM = 1,    /* an allocation failed */
	TF_ERR_IO = 2,       /* a file could not be read, written or renamed */
	TF_ERR_PARSE = 3,    /* input is not well-formed (not JSON, bad PEM, bad number) */
	TF_ERR_SCHEMA = 4,   /* well-formed input with a wrong field, type or value */
	TF_ERR_RANGE = 5,    /* an index or value outside its documented range */
	TF_ERR_INVALID = 6,  /* a scenario that is internally inconsistent */
	TF_ERR_LIMIT = 7,    /* a documented maximum was exceeded */
	TF_ERR_USAGE = 8,    /* a bad command-line flag, knob name or knob value */
	TF_ERR_BACKEND = 9,  /* a real backend (OpenSSL, GnuTLS) failed unexpectedly */
	TF_ERR_ORACLE = 10,  /* a backend broke its own documented contract (a finding) */
	TF_ERR_INTERNAL = 11 /* a trustfuzz bug: an invariant did not hold */
} tf_err;

/* Human name of a code ("TF_ERR_SCHEMA"). Never NULL. */
const char *tf_err_str(tf_err e);

/* Exit code the CLI uses for an error: 2 for bad input or usage, 1 for an
 * oracle finding, 3 for internal/backend/resource failures. */
int tf_err_exit_code(tf_err e);

#define TF_ERROR_MSG_MAX 512

/* A code plus a one-line message. Zero-initialise it ({0}) before use. */
typedef struct tf_error {
	tf_err code;
	char msg[TF_ERROR_MSG_MAX];
} tf_error;

/* Sets err (if not NULL) to code and a printf-formatted message; returns code.
 * A message already set is replaced. */
tf_err tf_error_set(tf_error *err, tf_err code, const char *fmt, ...) TF_PRINTF(3, 4);

/* Prefixes the message already in err with "prefix: " (used to add a file
 * name to an error raised deeper down). Returns err->code. */
tf_err tf_error_prefix(tf_error *err, const char *prefix);

#define TF_GUARD(expr)                                                         \
	do {                                                                   \
		tf_err tf_guard_e_ = (expr);                                   \
		if (tf_guard_e_ != TF_OK)                                      \
			return tf_guard_e_;                                    \
	} while (0)

#define TF_BAIL(err, code, ...) return tf_error_set((err), (code), __VA_ARGS__)

#define TF_ENSURE(cond, err, code, ...)                                        \
	do {                                                                   \
		if (!(cond))                                                   \
			return tf_error_set((err), (code), __VA_ARGS__);       \
	} while (0)

/* Guard for code with a cleanup label: sets rc and jumps. */
#define TF_GUARD_GOTO(expr, rc, label)                                         \
	do {                                                                   \
		(rc) = (expr);                                                 \
		if ((rc) != TF_OK)                                             \
			goto label;                                            \
	} while (0)

#endif
