/*
 * backends/import_internal.h — OpenSSL-typed helpers shared by the importer
 * (import_*.c) and the store audit (audit*.c). Private to backends/; other
 * modules use trustfuzz/import.h and trustfuzz/audit.h, which speak bytes.
 */
#ifndef TRUSTFUZZ_IMPORT_INTERNAL_H
#define TRUSTFUZZ_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "trustfuzz/import.h"

/* The certificate in d, or NULL unless d is exactly one DER X.509
 * certificate (no trailing bytes). OpenSSL's error queue is left empty. */
X509 *tf_import_x509(const uint8_t *der, size_t len);

/* A readable one-line form of a DN: RFC 2253 order and escaping ("CN=Leaf,
 * O=Example"), bytes outside printable ASCII escaped as \XX, cut to bufsz-1
 * bytes. The empty DN is "". */
void tf_import_dn_text(const X509_NAME *name, char *buf, size_t bufsz);

/* Seconds from validation time t to the ASN.1 time `when` (negative: before
 * t). False when `when` is not a valid time. */
bool tf_import_time_offset(const ASN1_TIME *when, int64_t t, int64_t *out);

/* Whether x's signature verifies under the public key of `signer`
 * (X509_verify); OpenSSL's error queue is left empty. */
bool tf_import_verifies(X509 *x, X509 *signer);

/* The fields of certs[i] that depend on x alone (import_fields.c): version,
 * serial, validity, basicConstraints, keyUsage, EKU, unknown_critical, and
 * whether SKI/AKI (keyIdentifier) are present. Names, keys, the signer and
 * the SKI/AKI match are the caller's. Errors name `origin`. */
tf_err tf_import_fields(X509 *x, int64_t validation_time, const char *origin, tf_cert *c,
			tf_error *err) TF_MUST_USE;

#endif
