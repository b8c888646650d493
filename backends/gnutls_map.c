/*
 * backends/gnutls_map.c — GnuTLS status and verify flags: their names, and
 * the status word → verdict table (docs/gnutls-backend.md, "Status flags").
 *
 * Pure tables, no GnuTLS calls: the unit tests check every row without a
 * verification, and the static asserts below pin the numbers to the
 * installed headers, so a GnuTLS that renumbers a flag fails the build.
 */
#include <stdio.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "trustfuzz/gnutls_backend.h"

_Static_assert(TF_GNUTLS_FLAGS_ACCEPTED ==
		       (GNUTLS_VERIFY_DISABLE_CA_SIGN | GNUTLS_VERIFY_DO_NOT_ALLOW_SAME |
			GNUTLS_VERIFY_ALLOW_ANY_X509_V1_CA_CRT | GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
			GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
			GNUTLS_VERIFY_DO_NOT_ALLOW_X509_V1_CA_CRT |
			GNUTLS_VERIFY_DO_NOT_ALLOW_UNSORTED_CHAIN |
			GNUTLS_VERIFY_IGNORE_UNKNOWN_CRIT_EXTENSIONS),
	       "TF_GNUTLS_FLAGS_ACCEPTED matches the documented GnuTLS flags");

typedef struct flag_name {
	uint32_t bit;
	const char *name;
} flag_name;

#define F(x) {GNUTLS_VERIFY_##x, #x}
static const flag_name verify_names[] = {
	F(DISABLE_CA_SIGN),
	F(DO_NOT_ALLOW_IP_MATCHES),
	F(DO_NOT_ALLOW_SAME),
	F(ALLOW_ANY_X509_V1_CA_CRT),
	F(ALLOW_SIGN_RSA_MD2),
	F(ALLOW_SIGN_RSA_MD5),
	F(DISABLE_TIME_CHECKS),
	F(DISABLE_TRUSTED_TIME_CHECKS),
	F(DO_NOT_ALLOW_X509_V1_CA_CRT),
	F(DISABLE_CRL_CHECKS),
	F(ALLOW_UNSORTED_CHAIN),
	F(DO_NOT_ALLOW_UNSORTED_CHAIN),
	F(DO_NOT_ALLOW_WILDCARDS),
	F(USE_TLS1_RSA),
	F(IGNORE_UNKNOWN_CRIT_EXTENSIONS),
	F(ALLOW_SIGN_WITH_SHA1),
	F(RSA_PSS_FIXED_SALT_LENGTH),
};
#undef F

#define S(x) {GNUTLS_CERT_##x, #x}
static const flag_name status_names[] = {
	S(INVALID),
	S(REVOKED),
	S(SIGNER_NOT_FOUND),
	S(SIGNER_NOT_CA),
	S(INSECURE_ALGORITHM),
	S(NOT_ACTIVATED),
	S(EXPIRED),
	S(SIGNATURE_FAILURE),
	S(REVOCATION_DATA_SUPERSEDED),
	S(UNEXPECTED_OWNER),
	S(REVOCATION_DATA_ISSUED_IN_FUTURE),
	S(SIGNER_CONSTRAINTS_FAILURE),
	S(MISMATCH),
	S(PURPOSE_MISMATCH),
	S(MISSING_OCSP_STATUS),
	S(INVALID_OCSP_STATUS),
	S(UNKNOWN_CRIT_EXTENSIONS),
};
#undef S

static const char *lookup(const flag_name *t, size_t n, uint32_t bit)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].bit == bit)
			return t[i].name;
	return NULL;
}

const char *tf_gnutls_verify_flag_name(uint32_t flag)
{
	return lookup(verify_names, sizeof verify_names / sizeof verify_names[0], flag);
}

const char *tf_gnutls_status_flag_name(uint32_t flag)
{
	return lookup(status_names, sizeof status_names / sizeof status_names[0], flag);
}

char *tf_gnutls_status_names(uint32_t status, char *buf, size_t bufsz)
{
	size_t used = 0;
	if (bufsz == 0)
		return buf;
	buf[0] = '\0';
	if (status == 0) {
		snprintf(buf, bufsz, "0");
		return buf;
	}
	for (unsigned i = 0; i < 32 && used < bufsz; i++) {
		uint32_t bit = UINT32_C(1) << i;
		if (!(status & bit))
			continue;
		const char *name = tf_gnutls_status_flag_name(bit);
		int w = name ? snprintf(buf + used, bufsz - used, "%s%s", used ? "|" : "", name)
			     : snprintf(buf + used, bufsz - used, "%s0x%x", used ? "|" : "",
					(unsigned)bit);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

/* HRESULTs outside tf_win32 (winerror.h values), as the OpenSSL backend
 * uses them for the same checks. */
#define HR_TRUST_E_FAIL 0x800B010Bu
#define HR_CERT_E_CN_NO_MATCH 0x800B010Fu
#define HR_CRYPT_E_REVOCATION_OFFLINE 0x80092013u

#define REVOCATION_DATA                                                                   \
	(GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED | GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE | \
	 GNUTLS_CERT_MISSING_OCSP_STATUS | GNUTLS_CERT_INVALID_OCSP_STATUS)
#define TIME_ONLY (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED)

bool tf_gnutls_map_status(uint32_t status, bool top_self_issued, bool signer_no_kcs,
			  tf_status *st, uint32_t *win32, const char **why)
{
	if (status == 0 || !(status & GNUTLS_CERT_INVALID))
		return false;
	/* Worst first, in the reference's order of failures (docs/evaluators.md):
	 * a word with several reasons reports the one the reference would. The
	 * first rows cannot occur here (trustfuzz gives GnuTLS no CRL, OCSP
	 * response, hostname or TOFU store) and take the HRESULT Windows logs
	 * for the same check, like the OpenSSL backend's table. */
	uint32_t known = 0;
	for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++)
		known |= status_names[i].bit;
	*st = TF_STATUS_403_16;
	if (status & ~known) {
		/* Bits GnuTLS 3.7.9 does not define: say so rather than guess. */
		*win32 = HR_TRUST_E_FAIL;
		*why = "a status flag this GnuTLS version does not define";
	} else if (status & GNUTLS_CERT_REVOKED) {
		*st = TF_STATUS_403_13;
		*win32 = TF_WIN32_CERT_E_REVOKED;
		*why = "a certificate is revoked";
	} else if (status & REVOCATION_DATA) {
		*win32 = HR_CRYPT_E_REVOCATION_OFFLINE;
		*why = "revocation status unusable";
	} else if (status & GNUTLS_CERT_UNEXPECTED_OWNER) {
		*win32 = HR_CERT_E_CN_NO_MATCH;
		*why = "the leaf is not the expected owner";
	} else if (status & GNUTLS_CERT_MISMATCH) {
		*win32 = HR_TRUST_E_FAIL;
		*why = "the leaf is not the expected (pinned) certificate";
	} else if (status & GNUTLS_CERT_SIGNER_NOT_FOUND) {
		*win32 = top_self_issued ? TF_WIN32_CERT_E_UNTRUSTEDROOT : TF_WIN32_CERT_E_CHAINING;
		*why = top_self_issued ? "chain ends at an untrusted self-issued certificate"
				       : "no issuer found for the top of the chain";
	} else if (status & GNUTLS_CERT_SIGNATURE_FAILURE) {
		*win32 = TF_WIN32_TRUST_E_CERT_SIGNATURE;
		*why = "a signature does not verify";
	} else if (status & GNUTLS_CERT_INSECURE_ALGORITHM) {
		*win32 = TF_WIN32_TRUST_E_CERT_SIGNATURE;
		*why = "a signature algorithm is refused as insecure";
	} else if ((status & ~GNUTLS_CERT_INVALID) == 0) {
		*win32 = TF_WIN32_CERT_E_MALFORMED;
		*why = "invalid without a stated reason";
	} else if (status & GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS) {
		*win32 = TF_WIN32_CERT_E_CRITICAL;
		*why = "an unknown critical extension";
	} else if ((status & GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE) && !signer_no_kcs) {
		*win32 = TF_WIN32_CERT_E_PATHLENCONST;
		*why = "a signer's pathLenConstraint is exceeded";
	} else if (status & GNUTLS_CERT_SIGNER_NOT_CA) {
		*win32 = TF_WIN32_TRUST_E_BASIC_CONSTRAINTS;
		*why = "a signer is not a CA";
	} else if (status & GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE) {
		/* GnuTLS 3.7 reports a signer whose keyUsage lacks keyCertSign
		 * as a constraints failure. */
		*win32 = TF_WIN32_CERT_E_WRONG_USAGE;
		*why = "a signer's keyUsage lacks keyCertSign";
	} else if (status & GNUTLS_CERT_PURPOSE_MISMATCH) {
		*win32 = TF_WIN32_CERT_E_WRONG_USAGE;
		*why = "the chain does not allow clientAuth";
	} else if (status & TIME_ONLY) {
		*st = TF_STATUS_403_17;
		*win32 = TF_WIN32_CERT_E_EXPIRED;
		*why = (status & GNUTLS_CERT_EXPIRED) ? "a certificate has expired"
						       : "a certificate is not yet valid";
	} else {
		return false; /* unreachable: every known bit has a row above */
	}
	return true;
}
