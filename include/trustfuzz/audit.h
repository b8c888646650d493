/*
 * trustfuzz/audit.h — audit a real, exported server certificate store for
 * the KB 2802568 / KB 2795828 trigger and its relatives (docs/import.md,
 * "Audit").
 *
 * Input: the certificates of the server's Root, Intermediate and Client
 * Authentication Issuers stores (import.h lists, any size: a real Root store
 * holds hundreds, far past a scenario's maxima), a time, the issuer-list
 * size limit and the trigger test. Output: a report of findings, each with
 * what Windows Server 2012 will do about it and the fix, and the trusted
 * issuer list as Schannel computes it (spec s.1, s.4: the Client
 * Authentication Issuers store when it holds certificates, else Root; its
 * entries in store order, cut at the limit), with the entries that fall off.
 *
 * Findings, by kind (severity in brackets; a TRIGGER finding means Windows
 * Server 2012 client authentication fails for some clients):
 *   not-self-issued   [trigger] in Root, Issuer differs from Subject: KB
 *                     2795828's own detection
 *   not-self-signed   [trigger under --trigger signature, else warning]
 *                     self-issued, but its signature does not verify under
 *                     its own key
 *                     (both only warnings while Client Authentication
 *                     Issuers holds certificates: the list, and the mix
 *                     that matters, are then that store's)
 *   mixed-source      [trigger] the Client Authentication Issuers store is
 *                     the source and mixes self-signed and other
 *                     certificates (the KB model's mixed-store rule)
 *   list-over-limit   [trigger] the issuer list exceeds the limit (KB 2880390)
 *   expired           [warning] a Root or Client Authentication Issuers
 *                     certificate outside its validity at the time
 *   duplicate         [warning] the same certificate (DER) twice in a store
 *   same-subject      [info] two different certificates with one subject
 *                     in a store
 *   cai-overrides     [info] the Client Authentication Issuers store is not
 *                     empty, so Root is not the issuer list
 * Store order is the input order (files in name order, certificates in file
 * order); which entries fall off the list depends on it, as on Windows it
 * depends on the store's enumeration order.
 *
 * Not here: printing (cli/cmd_audit.c), judging a client (evaluators).
 */
#ifndef TRUSTFUZZ_AUDIT_H
#define TRUSTFUZZ_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trustfuzz/err.h"
#include "trustfuzz/import.h"

typedef enum tf_audit_kind {
	TF_AUDIT_NOT_SELF_ISSUED = 0,
	TF_AUDIT_NOT_SELF_SIGNED = 1,
	TF_AUDIT_MIXED_SOURCE = 2,
	TF_AUDIT_LIST_OVER_LIMIT = 3,
	TF_AUDIT_EXPIRED = 4,
	TF_AUDIT_DUPLICATE = 5,
	TF_AUDIT_SAME_SUBJECT = 6,
	TF_AUDIT_CAI_OVERRIDES = 7
} tf_audit_kind;

typedef enum tf_audit_severity {
	TF_AUDIT_INFO = 0,
	TF_AUDIT_WARNING = 1,
	TF_AUDIT_TRIGGER = 2
} tf_audit_severity;

/* "not-self-issued", ...; "info", "warning", "trigger". */
const char *tf_audit_kind_str(tf_audit_kind k);
const char *tf_audit_severity_str(tf_audit_severity s);

#define TF_AUDIT_TEXT_MAX 512

typedef struct tf_audit_finding {
	tf_audit_kind kind;
	tf_audit_severity severity;
	tf_store_id store;
	char origin[TF_IMPORT_ORIGIN_MAX]; /* the certificate's file ("" for store-wide findings) */
	char subject[TF_AUDIT_TEXT_MAX];   /* RFC 2253 one-line subject ("" store-wide) */
	char thumbprint[64];               /* SHA-1 of the DER, hex, as certutil shows it */
	char what[TF_AUDIT_TEXT_MAX];      /* what is wrong, one line */
	const char *windows;               /* what Windows Server 2012 does (static text) */
	const char *fix;                   /* the fix (static text) */
} tf_audit_finding;

/* One entry of the trusted issuer list. */
typedef struct tf_audit_entry {
	size_t cert;   /* index in the source store's list */
	size_t bytes;  /* 2 + DER length of the subject (evaluator.h) */
	bool kept;     /* within the limit */
	char subject[TF_AUDIT_TEXT_MAX];
} tf_audit_entry;

typedef struct tf_audit_report {
	int64_t time;
	uint32_t limit;
	tf_store_id source;       /* TF_STORE_CAI or TF_STORE_ROOT */
	size_t nentries;          /* distinct certificates of the source store */
	tf_audit_entry *entries;
	size_t bytes, kept_bytes; /* whole list; the part within the limit */
	size_t nkept;
	size_t nfindings;
	tf_audit_finding *findings;
	bool trigger;             /* a TRIGGER finding is present */
} tf_audit_report;

typedef struct tf_audit_opts {
	int64_t time;            /* validation time, Unix seconds (from the caller) */
	uint32_t limit;          /* issuer-list size limit, bytes (16384) */
	bool trigger_signature;  /* kb.trigger=signature: not-self-signed is a trigger */
} tf_audit_opts;

/* Audits the stores (lists may be empty; NULL means empty). *out is
 * initialised here and freed with tf_audit_report_free. Findings come in
 * store order (Root, Intermediate, Client Authentication Issuers), then the
 * store-wide ones. */
tf_err tf_audit_run(const tf_import_list *root, const tf_import_list *intermediate,
		    const tf_import_list *cai, const tf_audit_opts *opts, tf_audit_report *out,
		    tf_error *err) TF_MUST_USE;

void tf_audit_report_free(tf_audit_report *r);

#endif
