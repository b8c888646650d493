/*
 * trustfuzz/gnutls_backend.h — the GnuTLS backend: real certificates judged
 * by GnuTLS 3.7's gnutls_x509_trust_list_verify_crt2().
 *
 * The evaluator `tf_eval_gnutls` (name "gnutls", knob prefix "gnutls.")
 * renders the scenario with the shared renderer (render.h: the same DER the
 * OpenSSL backend judges), selects the client identity with the shared rule
 * (evaluator.h), and asks GnuTLS whether the presented chain is trusted:
 *
 *   trust list     the anchor set of the trust mode, as the reference builds
 *                  it: mode 0 Root; mode 1 the self-signed certificates of
 *                  the source store (Client Authentication Issuers when it
 *                  holds any, else Root); mode 2 the whole source store.
 *   presented      the leaf, then the chain the client sends, in the order it
 *                  sends it — exactly what a GnuTLS TLS server receives.
 *   Intermediate   not presented and not trusted: GnuTLS asks for a missing
 *   store          issuer through the trust list's get-issuer callback
 *                  (gnutls_x509_trust_list_set_getissuer_function, 3.7.0);
 *                  the callback answers with the first certificate of the
 *                  store, in store order, that GnuTLS's own
 *                  gnutls_x509_crt_check_issuer() accepts.
 *   purpose        GNUTLS_KP_TLS_WWW_CLIENT (clientAuth) as a
 *                  GNUTLS_DT_KEY_PURPOSE_OID typed datum.
 *   time           the scenario's validation time, through
 *                  gnutls_global_set_time_function() for the duration of the
 *                  call only (the default, libc time(), is put back after).
 *   flags          knob gnutls.flags (below), plus
 *                  GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS when the global
 *                  knob anchor_validity is "ignore".
 * Like the OpenSSL backend, it does not apply mode 0's "the path must pass
 * through the trusted issuer list" (a Schannel rule GnuTLS has no
 * counterpart of): the reference does, which is a known divergence.
 *
 * Verdict. GnuTLS answers with a status word of gnutls_certificate_status_t
 * flags; tf_gnutls_map_status() turns it into the verdict class, and the
 * raw word and the flag names go into the reason. The path is the chain
 * GnuTLS verified, reconstructed from its per-certificate verify-output
 * callback (docs/gnutls-backend.md, "Path").
 *
 * Threads. GnuTLS reads the time through one process-wide function pointer,
 * so two threads of one process must not run this evaluator at the same
 * time; trustfuzz evaluates in one thread per process (campaign workers are
 * fork()ed processes), which is what makes the hook safe.
 *
 * Not here: the TLS handshake mode (the OpenSSL backend has one; this
 * backend verifies only), revocation, hostnames.
 */
#ifndef TRUSTFUZZ_GNUTLS_BACKEND_H
#define TRUSTFUZZ_GNUTLS_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trustfuzz/evaluator.h"
#include "trustfuzz/verdict.h"

/* The GnuTLS evaluator (evaluator.h). Its state holds a reference to the
 * thread's shared renderer (tf_render_shared), the one the OpenSSL backend
 * uses too. */
extern const tf_evaluator tf_eval_gnutls;

/* The state's renderer (borrowed; render.h), for benchmarks' counters and
 * for exporting the very certificates the backend judged. `state` comes
 * from tf_eval_gnutls.init. */
struct tf_render *tf_gnutls_renderer(void *state);

/*
 * Knob gnutls.flags: an OR of gnutls_certificate_verify_flags values, as
 * GnuTLS 3.7.9 numbers them. Accepted are the flags that can change a trust
 * decision on a trustfuzz scenario (the others have nothing to act on: no
 * hostname, no CRL, no SHA-1/MD5/RSA-PSS signatures):
 *
 *   0x0001  GNUTLS_VERIFY_DISABLE_CA_SIGN        issuers need not be CAs (no cA, no keyCertSign check)
 *   0x0004  GNUTLS_VERIFY_DO_NOT_ALLOW_SAME      a leaf that is itself in the trust list is not
 *                                                trusted by itself
 *   0x0008  GNUTLS_VERIFY_ALLOW_ANY_X509_V1_CA_CRT  v1 certificates may be intermediate CAs
 *   0x0040  GNUTLS_VERIFY_DISABLE_TIME_CHECKS    no validity check at all
 *   0x0080  GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS  the anchor's validity is not checked
 *   0x0100  GNUTLS_VERIFY_DO_NOT_ALLOW_X509_V1_CA_CRT  trusted v1 certificates, and self-issued
 *                                                ones without basicConstraints, are no CAs
 *   0x0800  GNUTLS_VERIFY_DO_NOT_ALLOW_UNSORTED_CHAIN  the presented chain is taken in the
 *                                                order sent (the issuer callback still fills gaps)
 *   0x4000  GNUTLS_VERIFY_IGNORE_UNKNOWN_CRIT_EXTENSIONS  unknown critical extensions pass
 *
 * Any other bit makes evaluate fail with TF_ERR_USAGE naming the bits.
 */
#define TF_GNUTLS_FLAGS_ACCEPTED 0x49CDu

/* Name of verify flag `flag` (one bit, e.g. 0x80 → "DISABLE_TRUSTED_TIME_CHECKS"),
 * or NULL for a bit GnuTLS 3.7.9 does not define. */
const char *tf_gnutls_verify_flag_name(uint32_t flag);

/* Name of status flag `flag` (one bit, e.g. 0x40 → "SIGNER_NOT_FOUND"), or
 * NULL for a bit GnuTLS 3.7.9 does not define. */
const char *tf_gnutls_status_flag_name(uint32_t flag);

/* Writes the names of the set bits of `status`, lowest first, joined by '|'
 * ("INVALID|SIGNER_NOT_FOUND"; undefined bits as "0x..."; "0" for none).
 * Returns buf. */
char *tf_gnutls_status_names(uint32_t status, char *buf, size_t bufsz);

/* What a failed verification's status word means for the verdict
 * (docs/gnutls-backend.md, "Status flags"). Refinements the word alone
 * cannot tell, read off the certificates by the caller:
 *   top_self_issued   the chain GnuTLS tried ends at a self-issued
 *                     certificate: the one whose issuer was not found, or
 *                     its presented issuer that GnuTLS drops because a
 *                     self-signed certificate only counts when trusted
 *                     (SIGNER_NOT_FOUND → CERT_E_UNTRUSTEDROOT rather than
 *                     CERT_E_CHAINING);
 *   signer_no_kcs     the signer of the failing check has a keyUsage without
 *                     keyCertSign (SIGNER_CONSTRAINTS_FAILURE, which GnuTLS
 *                     3.7 raises for that and for an exceeded pathLen, →
 *                     CERT_E_WRONG_USAGE rather than CERT_E_PATHLENCONST).
 * Sets *st and *win32 and points *why at a short phrase. Returns false
 * (leaving the outputs unset) when the word is 0 or lacks INVALID, which
 * GnuTLS sets on every failure: a broken contract, which the evaluator
 * reports as TF_ERR_ORACLE. */
bool tf_gnutls_map_status(uint32_t status, bool top_self_issued, bool signer_no_kcs,
			  tf_status *st, uint32_t *win32, const char **why);

#endif
