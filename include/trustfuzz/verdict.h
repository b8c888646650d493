/*
 * trustfuzz/verdict.h — what every evaluator returns (spec section 3).
 *
 * A verdict is said in IIS terms: HTTP 200, or 403 with a substatus, plus the
 * Win32 HRESULT IIS would log in sc-win32-status, the client identity that was
 * presented, the path of certificates that decided it, and one short human
 * sentence. Verdicts are plain values: no pointers, fixed size, comparable.
 *
 * Comparison depths (the differential harness compares at one of them):
 *   TF_DEPTH_STATUS  status and substatus (default)
 *   TF_DEPTH_WIN32   + the HRESULT
 *   TF_DEPTH_PATH    + the path (certificate indexes, in order)
 *
 * Not here: how verdicts are reached (evaluator.h) or stored (fixture.h).
 */
#ifndef TRUSTFUZZ_VERDICT_H
#define TRUSTFUZZ_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trustfuzz/err.h"
#include "trustfuzz/scenario.h"

/* IIS status classes. The value is status*100 + substatus so that it sorts
 * and prints naturally. */
typedef enum tf_status {
	TF_STATUS_200 = 20000,    /* 200 OK: the client certificate was accepted */
	TF_STATUS_403_7 = 40307,  /* 403.7 Client certificate required: none presented */
	TF_STATUS_403_13 = 40313, /* 403.13 Client certificate revoked (when modelled) */
	TF_STATUS_403_16 = 40316, /* 403.16 Client certificate is untrusted or invalid */
	TF_STATUS_403_17 = 40317  /* 403.17 Client certificate has expired or is not yet valid */
} tf_status;

/* "200", "403.7", "403.13", "403.16", "403.17"; "?" for other values. */
const char *tf_status_str(tf_status s);
/* Parses the forms above; false when unknown. */
bool tf_status_parse(const char *text, tf_status *out);
/* HTTP status (200 or 403) and substatus (0, 7, 13, 16, 17). */
unsigned tf_status_http(tf_status s);
unsigned tf_status_sub(tf_status s);

/* HRESULTs IIS logs for client-certificate outcomes (winerror.h values). */
typedef enum tf_win32 {
	TF_WIN32_OK = 0x00000000u,                        /* S_OK; also what IIS logs for 403.7 (no certificate, no chain error) */
	TF_WIN32_CERT_E_EXPIRED = 0x800B0101u,            /* outside its validity period */
	TF_WIN32_CERT_E_VALIDITYPERIODNESTING = 0x800B0102u,
	TF_WIN32_CERT_E_ROLE = 0x800B0103u,               /* a non-CA certificate used as a CA */
	TF_WIN32_CERT_E_PATHLENCONST = 0x800B0104u,       /* path length constraint violated */
	TF_WIN32_CERT_E_CRITICAL = 0x800B0105u,           /* unknown critical extension */
	TF_WIN32_CERT_E_PURPOSE = 0x800B0106u,
	TF_WIN32_CERT_E_ISSUERCHAINING = 0x800B0107u,
	TF_WIN32_CERT_E_MALFORMED = 0x800B0108u,          /* a field is malformed (strict profile) */
	TF_WIN32_CERT_E_UNTRUSTEDROOT = 0x800B0109u,      /* chain ends in an untrusted root */
	TF_WIN32_CERT_E_CHAINING = 0x800B010Au,           /* no issuer found: chain could not be built */
	TF_WIN32_CERT_E_REVOKED = 0x800B010Cu,
	TF_WIN32_CERT_E_WRONG_USAGE = 0x800B0110u,        /* EKU or key usage forbids client auth / cert signing */
	TF_WIN32_TRUST_E_CERT_SIGNATURE = 0x80096004u,    /* a signature does not verify */
	TF_WIN32_TRUST_E_BASIC_CONSTRAINTS = 0x80096019u  /* basic constraints violated */
} tf_win32;

/* Symbolic name ("CERT_E_UNTRUSTEDROOT"), or NULL for an unknown value. */
const char *tf_win32_str(uint32_t hr);
/* Parses "0x800B0109", "2148204809" or "CERT_E_UNTRUSTEDROOT". */
bool tf_win32_parse(const char *text, uint32_t *out);
/* Formats "0x800B0109 (2148204809)" into buf: hex and the unsigned decimal
 * IIS logs. Returns buf. */
char *tf_win32_format(uint32_t hr, char *buf, size_t bufsz);

#define TF_REASON_MAX 200

typedef struct tf_verdict {
	tf_status status;
	uint32_t win32;      /* tf_win32 value */
	int8_t identity;     /* index of the identity presented, -1 none */
	uint8_t path_len;
	uint8_t path[TF_MAX_PATH]; /* certificate indexes, leaf first, anchor last */
	char reason[TF_REASON_MAX];
} tf_verdict;

typedef enum tf_depth {
	TF_DEPTH_STATUS = 0,
	TF_DEPTH_WIN32 = 1,
	TF_DEPTH_PATH = 2
} tf_depth;

const char *tf_depth_str(tf_depth d); /* "status", "win32", "path" */
bool tf_depth_parse(const char *text, tf_depth *out);

/* Sets v to {status, win32, identity, empty path, printf reason}. */
void tf_verdict_set(tf_verdict *v, tf_status status, uint32_t win32, int identity,
		    const char *fmt, ...) TF_PRINTF(5, 6);
/* Whether a and b agree at depth d. */
bool tf_verdict_equal(const tf_verdict *a, const tf_verdict *b, tf_depth d);

/* An expected verdict from a fixture: only the fields that were given are
 * compared. */
typedef struct tf_expect {
	tf_verdict v;
	bool has_win32, has_identity, has_path;
} tf_expect;

/* Whether actual matches every given field of exp. When it does not and
 * diff is not NULL, writes a one-line description of the first mismatch
 * ("status: expected 403.16, got 200"), naming certificates by id. */
bool tf_expect_match(const tf_expect *exp, const tf_verdict *actual, const tf_scenario *s,
		     char *diff, size_t diffsz);

/* Formats the path as "L1 > I2 > R0" (ids from s) into buf; returns buf. */
char *tf_path_format(const tf_scenario *s, const uint8_t *path, unsigned n, char *buf,
		     size_t bufsz);

#endif
