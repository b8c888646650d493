/*
 * backends/import_fields.c — one real certificate's own fields, read into
 * the terms of tf_cert (import.h lists the mapping; docs/import.md says
 * why each choice).
 *
 * Only what depends on the certificate alone is here. Names, keys, the
 * signer, and whether SKI/AKI match are relations between certificates
 * (import_map.c).
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "import_internal.h"

void tf_import_dn_text(const X509_NAME *name, char *buf, size_t bufsz)
{
	/* RFC 2253 with every byte outside printable ASCII escaped (ESC_MSB on
	 * the UTF-8 form): labels must be printable ASCII. */
	const unsigned long flags = XN_FLAG_RFC2253;
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL;
	long n = 0;
	buf[0] = '\0';
	if (b && X509_NAME_print_ex(b, name, 0, flags) >= 0 && (n = BIO_get_mem_data(b, &p)) > 0) {
		size_t k = 0;
		for (long i = 0; i < n && k + 1 < bufsz; i++)
			buf[k++] = p[i] >= 0x20 && p[i] <= 0x7e ? p[i] : '?';
		buf[k] = '\0';
	}
	BIO_free(b);
	ERR_clear_error();
}

bool tf_import_time_offset(const ASN1_TIME *when, int64_t t, int64_t *out)
{
	int day = 0, sec = 0;
	ASN1_TIME *base = ASN1_TIME_set(NULL, (time_t)t);
	bool ok = base && ASN1_TIME_diff(&day, &sec, base, when);
	ASN1_TIME_free(base);
	ERR_clear_error();
	if (ok)
		*out = (int64_t)day * TF_DAY + sec;
	return ok;
}

bool tf_import_verifies(X509 *x, X509 *signer)
{
	EVP_PKEY *pk = X509_get0_pubkey(signer);
	bool ok = pk && X509_verify(x, pk) == 1;
	ERR_clear_error();
	return ok;
}

/* Number of content octets of the DER INTEGER a (0 when it does not
 * encode). */
static size_t integer_octets(const ASN1_INTEGER *a)
{
	unsigned char *der = NULL;
	int total = i2d_ASN1_INTEGER(a, &der);
	size_t n = 0;
	if (total >= 2 && der[1] < 0x80) {
		n = der[1];
	} else if (total >= 2) {
		size_t ll = der[1] & 0x7fu;
		for (size_t i = 0; i < ll && 2 + i < (size_t)total; i++)
			n = n << 8 | der[2 + i];
	}
	OPENSSL_free(der);
	return n;
}

static tf_err read_serial(X509 *x, const char *origin, tf_cert *c, tf_error *err)
{
	const ASN1_INTEGER *a = X509_get0_serialNumber(x);
	int64_t v = 0;
	TF_ENSURE(a, err, TF_ERR_PARSE, "%s: serialNumber: missing", origin);
	c->serial_long = integer_octets(a) > 20;
	if (ASN1_INTEGER_get_int64(&v, a) == 1) {
		c->serial = v;
		ERR_clear_error();
		return TF_OK;
	}
	ERR_clear_error();
	/* Too large for int64: keep the sign and the low 62 bits, with bit 62
	 * set so that a non-zero serial never reads as zero. */
	const unsigned char *p = ASN1_STRING_get0_data(a);
	int n = ASN1_STRING_length(a);
	uint64_t low = 0;
	for (int i = n > 8 ? n - 8 : 0; i < n; i++)
		low = low << 8 | p[i];
	int64_t mag = (int64_t)((low & ((UINT64_C(1) << 62) - 1)) | (UINT64_C(1) << 62));
	c->serial = ASN1_STRING_type(a) == V_ASN1_NEG_INTEGER ? -mag : mag;
	return TF_OK;
}

static tf_err read_validity(X509 *x, int64_t t, const char *origin, tf_cert *c, tf_error *err)
{
	TF_ENSURE(tf_import_time_offset(X509_get0_notBefore(x), t, &c->not_before), err,
		  TF_ERR_PARSE, "%s: notBefore: not a valid time", origin);
	TF_ENSURE(tf_import_time_offset(X509_get0_notAfter(x), t, &c->not_after), err,
		  TF_ERR_PARSE, "%s: notAfter: not a valid time", origin);
	return TF_OK;
}

/* The decoded extension `nid` (NULL when absent) and its criticality. A
 * present extension that does not decode, or appears twice, is an error:
 * the model has no way to say either. */
static tf_err get_ext(X509 *x, int nid, const char *what, const char *origin, void **out,
		      bool *critical, tf_error *err)
{
	int crit = -1;
	*out = X509_get_ext_d2i(x, nid, &crit, NULL);
	ERR_clear_error();
	TF_ENSURE(crit != -2, err, TF_ERR_PARSE, "%s: %s: the extension appears twice", origin,
		  what);
	TF_ENSURE(*out || crit == -1, err, TF_ERR_PARSE, "%s: %s: the extension does not parse",
		  origin, what);
	*critical = crit == 1;
	return TF_OK;
}

static tf_err read_bc(X509 *x, const char *origin, tf_cert *c, tf_error *err)
{
	BASIC_CONSTRAINTS *bc = NULL;
	tf_err rc = TF_OK;
	c->bc = TF_BC_ABSENT;
	c->pathlen = -1;
	TF_GUARD(get_ext(x, NID_basic_constraints, "basicConstraints", origin, (void **)&bc,
			 &c->bc_critical, err));
	if (!bc)
		return TF_OK;
	c->bc = bc->ca ? TF_BC_CA_TRUE : TF_BC_CA_FALSE;
	/* pathLen means nothing without cA (RFC 5280 s.4.2.1.9): dropped. */
	if (bc->ca && bc->pathlen) {
		int64_t v = 0;
		if (ASN1_STRING_type(bc->pathlen) == V_ASN1_NEG_INTEGER)
			rc = tf_error_set(err, TF_ERR_PARSE, "%s: basicConstraints: negative pathLen",
					  origin);
		else if (ASN1_INTEGER_get_int64(&v, bc->pathlen) != 1 || v > TF_MAX_PATH)
			c->pathlen = TF_MAX_PATH; /* no path is longer: the same constraint */
		else
			c->pathlen = (int8_t)v;
	}
	ERR_clear_error();
	BASIC_CONSTRAINTS_free(bc);
	return rc;
}

static tf_err read_ku(X509 *x, const char *origin, tf_cert *c, tf_error *err)
{
	ASN1_BIT_STRING *ku = NULL;
	TF_GUARD(get_ext(x, NID_key_usage, "keyUsage", origin, (void **)&ku, &c->ku_critical, err));
	if (!ku)
		return TF_OK;
	unsigned bits = 0;
	for (int i = 0; i <= 6; i++)
		if (ASN1_BIT_STRING_get_bit(ku, i))
			bits |= 1u << i;
	/* encipherOnly (7) and decipherOnly (8) only qualify keyAgreement. */
	if (ASN1_BIT_STRING_get_bit(ku, 7) || ASN1_BIT_STRING_get_bit(ku, 8))
		bits |= TF_KU_KEY_AGREEMENT;
	ASN1_BIT_STRING_free(ku);
	TF_ENSURE(bits, err, TF_ERR_PARSE, "%s: keyUsage: no usage bit set, not representable",
		  origin);
	c->ku_present = true;
	c->ku = (uint8_t)bits;
	return TF_OK;
}

static tf_err read_eku(X509 *x, const char *origin, tf_cert *c, tf_error *err)
{
	EXTENDED_KEY_USAGE *eku = NULL;
	TF_GUARD(get_ext(x, NID_ext_key_usage, "extendedKeyUsage", origin, (void **)&eku,
			 &c->eku_critical, err));
	if (!eku)
		return TF_OK;
	unsigned bits = 0;
	for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		switch (OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i))) {
		case NID_client_auth: bits |= TF_EKU_CLIENT_AUTH; break;
		case NID_server_auth: bits |= TF_EKU_SERVER_AUTH; break;
		case NID_anyExtendedKeyUsage: bits |= TF_EKU_ANY; break;
		default: bits |= TF_EKU_CODE_SIGNING; break; /* "an unrelated purpose" */
		}
	}
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	TF_ENSURE(bits, err, TF_ERR_PARSE,
		  "%s: extendedKeyUsage: no purpose listed, not representable", origin);
	c->eku_present = true;
	c->eku = (uint8_t)bits;
	return TF_OK;
}

/* Presence only; import_map.c decides match or mismatch. */
static tf_err read_key_ids(X509 *x, const char *origin, tf_cert *c, tf_error *err)
{
	ASN1_OCTET_STRING *ski = NULL;
	AUTHORITY_KEYID *aki = NULL;
	bool crit = false;
	TF_GUARD(get_ext(x, NID_subject_key_identifier, "subjectKeyIdentifier", origin,
			 (void **)&ski, &crit, err));
	c->ski = ski ? TF_KID_MATCH : TF_KID_ABSENT;
	ASN1_OCTET_STRING_free(ski);
	TF_GUARD(get_ext(x, NID_authority_key_identifier, "authorityKeyIdentifier", origin,
			 (void **)&aki, &crit, err));
	/* Only the keyIdentifier form counts (the strict profile asks for it). */
	c->aki = aki && aki->keyid ? TF_KID_MATCH : TF_KID_ABSENT;
	AUTHORITY_KEYID_free(aki);
	return TF_OK;
}

/* A critical extension nobody here understands: neither one OpenSSL
 * processes nor SKI/AKI, which the model reads (RFC 5280 s.4.2). */
static bool has_unknown_critical(X509 *x)
{
	for (int i = 0; i < X509_get_ext_count(x); i++) {
		X509_EXTENSION *e = X509_get_ext(x, i);
		int nid = OBJ_obj2nid(X509_EXTENSION_get_object(e));
		if (!X509_EXTENSION_get_critical(e) || X509_supported_extension(e) ||
		    nid == NID_subject_key_identifier || nid == NID_authority_key_identifier)
			continue;
		return true;
	}
	return false;
}

tf_err tf_import_fields(X509 *x, int64_t validation_time, const char *origin, tf_cert *c,
			tf_error *err)
{
	long version = X509_get_version(x);
	TF_ENSURE(version >= 0 && version <= 2, err, TF_ERR_PARSE,
		  "%s: version: %ld is not v1, v2 or v3, not representable", origin, version + 1);
	c->version = (uint8_t)(version + 1);
	TF_GUARD(read_serial(x, origin, c, err));
	TF_GUARD(read_validity(x, validation_time, origin, c, err));
	TF_GUARD(read_bc(x, origin, c, err));
	TF_GUARD(read_ku(x, origin, c, err));
	TF_GUARD(read_eku(x, origin, c, err));
	TF_GUARD(read_key_ids(x, origin, c, err));
	c->unknown_critical = has_unknown_critical(x);
	c->corrupt_sig = false;
	return TF_OK;
}
