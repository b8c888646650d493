/*
 * trustfuzz/scenario.h — the scenario: the one input every evaluator judges.
 *
 * A scenario is plain data (spec/BEHAVIOUR.md section 2): a table of keys, a
 * table of names, certificates that refer to both by index, the server's three
 * ordered stores, the server's settings, the client's candidate identities,
 * and the knobs of spec section 4 that select between documented behaviours.
 * It holds no DER and no pointers into other objects: evaluators and backends
 * derive everything else (real certificates, paths, issuer lists) from it.
 *
 * Memory. A scenario is one fixed-size struct with bounded arrays (the
 * maxima below), so copying it is a struct copy and generating one allocates
 * nothing. It also owns one arena (tf_arena) for variable-size data that
 * later features bind to table entries (a real DN, a real public key, a real
 * certificate's DER: the `der` fields below, all NULL in generated
 * scenarios). Use tf_scenario_init/tf_scenario_copy/tf_scenario_free; a plain
 * struct copy of a scenario whose arena is empty is also fine.
 *
 * Time. Certificate validity is stored relative to the scenario's validation
 * time, in seconds; nothing here reads a clock.
 *
 * Not here: how scenarios are made (gen.h), stored (fixture.h) or judged
 * (evaluator.h); DER rendering (render.h).
 */
#ifndef TRUSTFUZZ_SCENARIO_H
#define TRUSTFUZZ_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trustfuzz/err.h"

/* ---- Documented maxima ------------------------------------------------- */
#define TF_MAX_CERTS 24      /* certificates in one scenario */
#define TF_MAX_NAMES 24      /* entries in the name table */
#define TF_MAX_KEYS 24       /* entries in the key table */
#define TF_MAX_STORE 24      /* entries in each server store */
#define TF_MAX_IDENTITIES 4  /* client identities */
#define TF_MAX_CHAIN 8       /* certificates a client sends after its leaf */
#define TF_MAX_PATH 12       /* certificates on one path, leaf and anchor included */
#define TF_KEY_POOL_SIZE 64  /* keys in the deterministic key pool */
#define TF_LABEL_MAX 48      /* bytes of a name label or certificate id, NUL included */

/* Default validation time: 2024-01-01T00:00:00Z. */
#define TF_DEFAULT_VALIDATION_TIME INT64_C(1704067200)
/* Default issuer-list size limit: 16 KB, as Windows Server 2012 (spec s.1). */
#define TF_DEFAULT_ISSUER_LIST_LIMIT 16384u
#define TF_DAY INT64_C(86400)
/* The times X.509 can encode (GeneralizedTime, four-digit years):
 * 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z in Unix seconds. The
 * validation time and every certificate's validation time + notBefore /
 * notAfter must lie in this range (tf_scenario_validate). */
#define TF_TIME_MIN INT64_C(-62167219200)
#define TF_TIME_MAX INT64_C(253402300799)

/* ---- Arena ------------------------------------------------------------- */
/* A bump allocator freed all at once. Owned by one scenario. */
typedef struct tf_arena_chunk tf_arena_chunk;
typedef struct tf_arena {
	tf_arena_chunk *head;
	size_t used; /* bytes handed out, all chunks */
} tf_arena;

/* Returns size bytes (8-aligned, zeroed) that live until tf_arena_free, or
 * NULL when out of memory. */
void *tf_arena_alloc(tf_arena *a, size_t size);
/* Copies n bytes into the arena; NULL when out of memory. */
void *tf_arena_dup(tf_arena *a, const void *p, size_t n);
void tf_arena_free(tf_arena *a);

/* Room for one more element in a malloc'ed array of *cap elements of size
 * bytes, n of them in use: returns items itself while n < *cap, else the
 * array realloc'ed to twice the capacity (at least 16) with *cap updated,
 * or NULL (items and *cap untouched) when out of memory or on overflow. */
void *tf_grow(void *items, size_t *cap, size_t n, size_t size);

/* ---- Tables ------------------------------------------------------------ */

/* A name-table entry. Generated names are a label rendered as the DN
 * "CN=<label>" (UTF8String). `der`, when set, binds the entry to a real DN
 * (imported certificates; reserved for that feature). Labels are printable
 * ASCII, unique within the table; the empty label is the empty DN. Two
 * names are equal iff their indexes are equal (whoever binds real DNs keeps
 * the table free of duplicates). */
typedef struct tf_name {
	char label[TF_LABEL_MAX];
	const uint8_t *der; /* NULL: rendered from label. Lives in the scenario's arena. */
	size_t der_len;
} tf_name;

/* A key-table entry: an index into the deterministic key pool (render.h).
 * `spki`, when set, binds the entry to a real SubjectPublicKeyInfo
 * (reserved for imported certificates). */
typedef struct tf_key {
	uint16_t pool; /* < TF_KEY_POOL_SIZE */
	const uint8_t *spki;
	size_t spki_len;
} tf_key;

/* ---- Certificates ------------------------------------------------------ */

typedef enum tf_bc {
	TF_BC_ABSENT = 0,  /* no basicConstraints extension */
	TF_BC_CA_FALSE = 1,/* basicConstraints with cA FALSE */
	TF_BC_CA_TRUE = 2  /* basicConstraints with cA TRUE (pathlen optional) */
} tf_bc;

/* keyUsage bits, numbered as in RFC 5280 s.4.2.1.3 (bit i = 1u << i). */
enum {
	TF_KU_DIGITAL_SIGNATURE = 1u << 0,
	TF_KU_NON_REPUDIATION = 1u << 1,
	TF_KU_KEY_ENCIPHERMENT = 1u << 2,
	TF_KU_DATA_ENCIPHERMENT = 1u << 3,
	TF_KU_KEY_AGREEMENT = 1u << 4,
	TF_KU_KEY_CERT_SIGN = 1u << 5,
	TF_KU_CRL_SIGN = 1u << 6,
	TF_KU_ALL = 0x7f
};

/* extendedKeyUsage purposes (a set). */
enum {
	TF_EKU_CLIENT_AUTH = 1u << 0,  /* id-kp-clientAuth */
	TF_EKU_SERVER_AUTH = 1u << 1,  /* id-kp-serverAuth */
	TF_EKU_ANY = 1u << 2,          /* anyExtendedKeyUsage */
	TF_EKU_CODE_SIGNING = 1u << 3, /* id-kp-codeSigning: an unrelated purpose */
	TF_EKU_ALL = 0x0f
};

/* subjectKeyIdentifier / authorityKeyIdentifier forms. */
typedef enum tf_kid {
	TF_KID_MATCH = 0,   /* present and correct (SKI of the subject key; AKI = issuer's SKI) */
	TF_KID_ABSENT = 1,  /* extension absent */
	TF_KID_MISMATCH = 2 /* present, but the identifier of an unrelated key */
} tf_kid;

/* One certificate, in the terms of spec section 2. */
typedef struct tf_cert {
	char id[TF_LABEL_MAX]; /* unique, non-empty: how fixtures, paths and stores name it */
	uint8_t subject;       /* name-table index */
	uint8_t issuer;        /* name-table index */
	uint8_t key;           /* key-table index: the subject public key */
	uint8_t signing_key;   /* key-table index: the key that signs this certificate */
	int64_t serial;        /* 0 and negative values are representable on purpose */
	bool serial_long;      /* serial encoded on 21 octets (over the RFC 5280 limit) */
	uint8_t version;       /* 1, 2 or 3 (v1/v2 may still carry extensions: profile issue) */
	int64_t not_before;    /* seconds relative to the validation time */
	int64_t not_after;     /* seconds relative to the validation time, inclusive */
	uint8_t bc;            /* tf_bc */
	int8_t pathlen;        /* -1: absent; 0..TF_MAX_PATH: only with TF_BC_CA_TRUE */
	bool bc_critical;
	bool ku_present;
	uint8_t ku;            /* TF_KU_* bits, non-zero when present */
	bool ku_critical;
	bool eku_present;
	uint8_t eku;           /* TF_EKU_* bits, non-zero when present */
	bool eku_critical;
	uint8_t ski;           /* tf_kid */
	uint8_t aki;           /* tf_kid */
	bool unknown_critical; /* carries an unrecognised critical extension */
	bool corrupt_sig;      /* signature value is corrupted after signing */
	const uint8_t *der;    /* real certificate (imported); NULL when generated */
	size_t der_len;
} tf_cert;

/* ---- Stores, settings, client ------------------------------------------ */

typedef enum tf_store_id {
	TF_STORE_ROOT = 0,         /* LocalMachine\Root, Trusted Root Certification Authorities */
	TF_STORE_INTERMEDIATE = 1, /* LocalMachine\CA, Intermediate Certification Authorities */
	TF_STORE_CAI = 2,          /* LocalMachine\ClientAuthIssuer, Client Authentication Issuers */
	TF_STORE_COUNT = 3
} tf_store_id;

/* An ordered list of certificate indexes. Order is an input; the same
 * certificate may appear in several stores and even twice in one. */
typedef struct tf_store {
	uint8_t n;
	uint8_t cert[TF_MAX_STORE];
} tf_store;

typedef struct tf_server {
	bool send_issuer_list;      /* SendTrustedIssuerList (default 0) */
	uint8_t trust_mode;         /* ClientAuthTrustMode 0, 1, 2 (default 0) */
	int64_t validation_time;    /* Unix seconds (default TF_DEFAULT_VALIDATION_TIME) */
	uint32_t issuer_list_limit; /* bytes (default TF_DEFAULT_ISSUER_LIST_LIMIT) */
} tf_server;

/* A client identity: a leaf certificate (whose subject key's private half the
 * client holds) and the chain it sends after the leaf, in order. */
typedef struct tf_identity {
	uint8_t leaf;
	uint8_t nchain;
	uint8_t chain[TF_MAX_CHAIN];
} tf_identity;

/* ---- Knobs (spec section 4) -------------------------------------------- */
/* Each knob selects between documented behaviours. 0 is always the default.
 * Names and values as accepted by tf_knob_set() and written in fixtures:
 *
 *   anchors          rfc5280 | self-signed-only
 *   anchor_validity  check | ignore
 *   profile          rfc5280 | strict
 *   max_depth        1..TF_MAX_PATH, 0 = default (8): longest accepted path
 *   kb.trigger       name | signature
 *   kb.variant       mixed-store | any-trigger | cut-at-first
 *   openssl.mode     verify | handshake
 *   openssl.partial_chain  0 | 1
 *   openssl.x509_strict    0 | 1
 *   openssl.tls      1.3 | 1.2
 *   keys             ed25519 | p256 | rsa2048   (key pool algorithm)
 *   gnutls.flags     a backend-defined bit set, 0 = default
 */
typedef enum { TF_ANCHORS_RFC5280 = 0, TF_ANCHORS_SELF_SIGNED_ONLY = 1 } tf_anchors_knob;
typedef enum { TF_ANCHOR_VALIDITY_CHECK = 0, TF_ANCHOR_VALIDITY_IGNORE = 1 } tf_anchor_validity_knob;
typedef enum { TF_PROFILE_RFC5280 = 0, TF_PROFILE_STRICT = 1 } tf_profile_knob;
typedef enum { TF_KB_TRIGGER_NAME = 0, TF_KB_TRIGGER_SIGNATURE = 1 } tf_kb_trigger_knob;
typedef enum {
	TF_KB_VARIANT_MIXED_STORE = 0,
	TF_KB_VARIANT_ANY_TRIGGER = 1,
	TF_KB_VARIANT_CUT_AT_FIRST = 2
} tf_kb_variant_knob;
typedef enum { TF_OSSL_MODE_VERIFY = 0, TF_OSSL_MODE_HANDSHAKE = 1 } tf_ossl_mode_knob;
typedef enum { TF_TLS_13 = 0, TF_TLS_12 = 1 } tf_tls_knob;
typedef enum { TF_KEYS_ED25519 = 0, TF_KEYS_P256 = 1, TF_KEYS_RSA2048 = 2 } tf_keys_knob;

#define TF_DEFAULT_MAX_DEPTH 8

typedef struct tf_knobs {
	uint8_t anchors;
	uint8_t anchor_validity;
	uint8_t profile;
	uint8_t max_depth; /* 0 = TF_DEFAULT_MAX_DEPTH */
	uint8_t kb_trigger;
	uint8_t kb_variant;
	uint8_t ossl_mode;
	uint8_t ossl_partial_chain;
	uint8_t ossl_x509_strict;
	uint8_t tls;
	uint8_t keys;
	uint32_t gnutls_flags;
} tf_knobs;

/* Sets the knob `name` to the textual `value`. TF_ERR_USAGE with a message
 * listing the accepted values when either is unknown. */
tf_err tf_knob_set(tf_knobs *k, const char *name, const char *value, tf_error *err) TF_MUST_USE;
/* Parses "NAME=VALUE" and sets it. */
tf_err tf_knob_assign(tf_knobs *k, const char *assignment, tf_error *err) TF_MUST_USE;

/* Enumerates knobs: for i = 0, 1, ... until it returns false, gives the
 * knob's name and its current value as text (buf holds at least 32 bytes).
 * `is_default` tells whether the value is the default. Writers of fixtures
 * use it to emit non-default knobs only. */
bool tf_knob_get(const tf_knobs *k, size_t i, const char **name, char *buf, size_t bufsz,
		 bool *is_default);
/* Effective max depth (knob or default). */
unsigned tf_knobs_max_depth(const tf_knobs *k);

/* ---- The scenario ------------------------------------------------------ */

typedef struct tf_scenario {
	uint8_t nnames, nkeys, ncerts, nidentities;
	tf_name names[TF_MAX_NAMES];
	tf_key keys[TF_MAX_KEYS];
	tf_cert certs[TF_MAX_CERTS];
	tf_store stores[TF_STORE_COUNT];
	tf_server server;
	tf_identity identities[TF_MAX_IDENTITIES];
	tf_knobs knobs;
	tf_arena arena; /* owns every `der`/`spki` pointer above */
} tf_scenario;

/* Empties s: no names, keys, certificates or identities, default settings
 * and knobs, an empty arena. */
void tf_scenario_init(tf_scenario *s);
/* Frees the arena; s is left as after tf_scenario_init. */
void tf_scenario_free(tf_scenario *s);
/* Deep copy (arena data included). dst must be initialised or freed. */
tf_err tf_scenario_copy(tf_scenario *dst, const tf_scenario *src) TF_MUST_USE;

/* Checks every documented invariant: counts within maxima, every index in
 * range, unique non-empty certificate ids, unique printable name labels,
 * version in 1..3, enums in range, pathlen only with cA TRUE, non-empty
 * KU/EKU sets when present, trust mode 0..2, identities with a chain within
 * TF_MAX_CHAIN, at least one certificate and one identity, the validation
 * time and every absolute notBefore/notAfter within TF_TIME_MIN..TF_TIME_MAX
 * (representable as an X.509 time). On failure returns
 * TF_ERR_INVALID with a message naming the field, e.g.
 * "certs[2].issuer: name index 9 out of range (4 names)". */
tf_err tf_scenario_validate(const tf_scenario *s, tf_error *err) TF_MUST_USE;

/* Canonical value equality (everything, arena data compared by content). */
bool tf_scenario_equal(const tf_scenario *a, const tf_scenario *b);

/* ---- Derived facts (pure functions of the data) ------------------------ */

/* Self-issued: subject name == issuer name. */
bool tf_cert_self_issued(const tf_scenario *s, unsigned cert);
/* Self-signed in the scenario's own terms: self-issued, signed by its own
 * subject key (same pool key), and the signature is not corrupted. */
bool tf_cert_self_signed(const tf_scenario *s, unsigned cert);
/* Whether `issuer` could have signed `cert`: same name (issuer name of cert
 * == subject name of issuer) and same key (signing key of cert == subject key
 * of issuer, compared by pool index / SPKI). The signature verifies iff this
 * holds and cert is not corrupt_sig. */
bool tf_cert_names_chain(const tf_scenario *s, unsigned cert, unsigned issuer);
bool tf_cert_sig_verifies(const tf_scenario *s, unsigned cert, unsigned issuer);
bool tf_keys_same(const tf_scenario *s, unsigned key_a, unsigned key_b);

/* The producer MUSTs of RFC 5280 that x509-limbo expects verifiers to
 * enforce (knob profile=strict), in the order they are checked. One rule
 * list for everyone: the evaluators fail a path on it, the harness uses it
 * as a signature feature. */
typedef enum {
	TF_PROFILE_OK = 0,
	TF_PROFILE_OLD_VERSION_EXT, /* extensions in a v1/v2 certificate */
	TF_PROFILE_SERIAL,          /* serial not positive, or over 20 octets */
	TF_PROFILE_NO_AKI,          /* v3, not self-signed, no AKI */
	TF_PROFILE_NO_SKI,          /* CA without SKI */
	TF_PROFILE_KCS_NO_CA,       /* keyCertSign without cA=TRUE */
	TF_PROFILE_EMPTY_SUBJECT,   /* CA with an empty subject DN */
	TF_PROFILE_BC_NOT_CRITICAL  /* CA whose basicConstraints is not critical */
} tf_profile_rule;
/* The first rule of the list cert breaks, or TF_PROFILE_OK. */
tf_profile_rule tf_cert_profile_rule(const tf_scenario *s, unsigned cert);

/* Whether validation time vt plus offset (seconds) is a time X.509 can
 * encode (TF_TIME_MIN..TF_TIME_MAX); false also when the sum overflows. */
bool tf_time_representable(int64_t vt, int64_t offset);

typedef enum { TF_TIME_VALID = 0, TF_TIME_EXPIRED = 1, TF_TIME_NOT_YET_VALID = 2 } tf_time_class;
/* Validity at the validation time, to the second, notAfter inclusive. */
tf_time_class tf_cert_time_class(const tf_scenario *s, unsigned cert);

/* Index of the certificate with this id, or -1. */
int tf_scenario_find_cert(const tf_scenario *s, const char *id);
/* Index of the name with this label, or -1. */
int tf_scenario_find_name(const tf_scenario *s, const char *label);

/* Whether a store holds cert. */
bool tf_store_has(const tf_store *st, unsigned cert);
const char *tf_store_name(tf_store_id id); /* "root", "intermediate", "client_auth_issuers" */

/* Size in bytes of the DER encoding of name `name` as rendered (the DN
 * "CN=<label>" with a UTF8String, or the bound real DN). The OpenSSL backend
 * tests that this equals i2d_X509_NAME of its rendering. */
size_t tf_name_der_len(const tf_scenario *s, unsigned name);

#endif
