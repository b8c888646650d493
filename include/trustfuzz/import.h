/*
 * trustfuzz/import.h — real certificates in: PEM/DER files → a scenario.
 *
 * Researchers and operators have real certificate files; this module turns
 * them into a scenario that every evaluator judges (docs/import.md). It is
 * the only code that parses X.509 with OpenSSL on the way in, and it does so
 * once: the result is an ordinary scenario whose table entries are bound to
 * the real bytes (scenario.h: tf_name.der, tf_key.spki, tf_cert.der), so the
 * reference and KB evaluators judge imported certificates with no change,
 * and the OpenSSL and GnuTLS backends judge the original DER.
 *
 * How to call it:
 *   1. tf_import_spec_init, then tf_import_load (file or directory) into the
 *      list of each role; set spec.server (the validation time comes from
 *      the caller: nothing here reads a clock).
 *   2. tf_import_scenario maps everything into a scenario.
 *   3. tf_import_spec_free.
 * Or, for a directory with a manifest.json (docs/import.md),
 * tf_import_manifest does all three and builds a fixture.
 *
 * The mapping, field by field (docs/import.md, "Mapping"):
 *   names     subject and issuer DNs, one entry per DN under RFC 5280 name
 *             matching (OpenSSL's X509_NAME_cmp, which compares canonical
 *             encodings), holding the DER of the first certificate subject
 *             carrying it (else of the first issuer field); the label is the
 *             RFC 2253 one-line form, non-ASCII escaped, cut to fit and made
 *             unique with "~N"
 *   keys      one entry per distinct SubjectPublicKeyInfo (by bytes)
 *   signer    the key of the imported certificate whose public key verifies
 *             the signature (X509_verify, run once here); when none does, a
 *             key-table entry of its own that no imported certificate holds
 *             ("an unknown signer"); corrupt_signature stays false
 *   validity  notBefore/notAfter relative to the validation time, to the
 *             second
 *   serial    the value when it fits int64; otherwise its sign and low 62
 *             bits with bit 62 set (non-zero, as the real one);
 *             serial_long when the DER INTEGER has over 20 content octets
 *   basicConstraints, keyUsage, extendedKeyUsage: as they are; pathLen
 *             above TF_MAX_PATH reads as TF_MAX_PATH (no path is longer);
 *             pathLen with cA FALSE is dropped; encipherOnly and
 *             decipherOnly read as keyAgreement, which they qualify; EKU
 *             purposes other than clientAuth, serverAuth and
 *             anyExtendedKeyUsage read as codeSigning ("an unrelated
 *             purpose")
 *   SKI/AKI   absent or present; a key's identifiers are the SKIs of the
 *             certificates holding it and its RFC 5280 method-1 hash; an SKI
 *             is "mismatch" when it identifies another imported key (and is
 *             not its own key's hash), an AKI keyIdentifier when it does not
 *             identify the signing key (for an unknown signer: when it
 *             identifies a known key); an AKI without keyIdentifier is
 *             "absent"
 *   critical  a critical extension neither OpenSSL supports
 *             (X509_supported_extension) nor SKI/AKI sets unknown_critical
 * Certificates are one entry per distinct DER (a certificate in several
 * roles is one certificate in several places), in role order, with ids
 * "leaf", "chain1"..., "root1"..., "inter1"..., "cai1"... by first role.
 *
 * Not representable, hence an error naming the file: a version other than
 * 1..3, a keyUsage or EKU with no usage, an extension the model reads that
 * does not parse, a negative pathLen, more than the scenario maxima
 * (TF_MAX_CERTS certificates, TF_MAX_NAMES names, TF_MAX_KEYS keys,
 * TF_MAX_STORE per store, TF_MAX_CHAIN sent).
 *
 * Not here: judging (evaluators), store audits (audit.h), private keys (an
 * imported leaf has none: handshake mode and key export refuse it).
 */
#ifndef TRUSTFUZZ_IMPORT_H
#define TRUSTFUZZ_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "trustfuzz/err.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/render.h"
#include "trustfuzz/scenario.h"

#define TF_IMPORT_ORIGIN_MAX 512

/* One certificate read from a file: its DER, exactly as in the file, and
 * where it came from: "path", or "path#k" for the k-th (from 1) certificate
 * of a PEM bundle holding several. */
typedef struct tf_import_cert {
	tf_der der;
	char origin[TF_IMPORT_ORIGIN_MAX];
} tf_import_cert;

/* A growable list of certificates (owned). Zero-initialise it. */
typedef struct tf_import_list {
	size_t n, cap;
	tf_import_cert *v;
} tf_import_list;

void tf_import_list_free(tf_import_list *l);

/* Appends the certificates of `path` to l:
 *   a file   PEM (any number of CERTIFICATE blocks, text between blocks
 *            ignored) or one DER certificate;
 *   a dir    every *.pem, *.crt, *.cer and *.der in it (not recursive), in
 *            byte order of their names.
 * Each certificate must parse as DER X.509 (d2i_X509, no trailing bytes).
 * Errors are one line naming the file (TF_ERR_IO unreadable, TF_ERR_PARSE
 * otherwise; docs/import.md lists them), and leave l as it was. */
tf_err tf_import_load(const char *path, tf_import_list *l, tf_error *err) TF_MUST_USE;

/* The roles a certificate list can play. */
typedef enum tf_import_role {
	TF_IMPORT_LEAF = 0,         /* the client's leaf first, then what it sends */
	TF_IMPORT_CHAIN = 1,        /* sent by the client after the leaf list's own */
	TF_IMPORT_ROOT = 2,         /* LocalMachine\Root */
	TF_IMPORT_INTERMEDIATE = 3, /* LocalMachine\CA */
	TF_IMPORT_CAI = 4,          /* LocalMachine\ClientAuthIssuer */
	TF_IMPORT_ROLES = 5
} tf_import_role;

/* "leaf", "chain", "root", "intermediate", "client_auth_issuers". */
const char *tf_import_role_name(tf_import_role role);

typedef struct tf_import_spec {
	tf_import_list role[TF_IMPORT_ROLES];
	tf_server server; /* settings and validation time, copied into the scenario */
} tf_import_spec;

/* Empty lists, default server settings (TF_DEFAULT_VALIDATION_TIME: callers
 * set the time they mean). */
void tf_import_spec_init(tf_import_spec *sp);
void tf_import_spec_free(tf_import_spec *sp);

/* Maps the certificates of sp into *out (initialised here; left empty on
 * error): one identity (the leaf list's first certificate, sending the rest
 * of the leaf list then the chain list), the three stores in list order
 * (a certificate listed twice stays twice), the server settings; knobs at
 * their defaults. The leaf list must not be empty. The result validates. */
tf_err tf_import_scenario(const tf_import_spec *sp, tf_scenario *out, tf_error *err) TF_MUST_USE;

/* tf_import_scenario into f->scenario (f initialised here), with id and
 * why as given (why may be NULL), the tag "imported" and provenance
 * {tool, origin "import"}: a fixture ready to write. */
tf_err tf_import_fixture(const tf_import_spec *sp, const char *id, const char *why,
			 tf_fixture *f, tf_error *err) TF_MUST_USE;

/* ---- Manifest directories (docs/import.md, "Manifest") -------------------- */

#define TF_MANIFEST_FILE "manifest.json"

/* Whether path is a directory holding a regular file manifest.json. */
bool tf_import_is_manifest_dir(const char *path);

/* An expected result of a manifest, for one evaluator instance. */
typedef struct tf_manifest_expect {
	char evaluator[TF_FIXTURE_EVAL_MAX]; /* instance spec (registry.h) */
	bool reject;                         /* "reject": any status but 200 */
	tf_status status;                    /* otherwise: exactly this status */
} tf_manifest_expect;

typedef struct tf_manifest {
	unsigned nexpect; /* 0: the manifest states no expected result */
	tf_manifest_expect expect[TF_FIXTURE_MAX_EXPECT];
} tf_manifest;

/* Reads dir/manifest.json, imports the files it names (relative to dir)
 * and fills *f (initialised here): id, why, tags ("imported", plus
 * "expect-reject" when the expected result is "reject"), the scenario,
 * provenance origin "import", and an expectation of status for every
 * evaluator the expected result names, except for "reject", which a
 * fixture cannot state (it is in *m). Messages name the manifest file and
 * the JSON field, or the certificate file. */
tf_err tf_import_manifest(const char *dir, tf_fixture *f, tf_manifest *m,
			  tf_error *err) TF_MUST_USE;

#endif
