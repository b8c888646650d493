/*
 * backends/render_ext.c — the certificate extensions of a tf_cert, built with
 * OpenSSL's extension structures and i2d, in the fixed order render.h lists:
 * basicConstraints, keyUsage, extendedKeyUsage, subjectKeyIdentifier,
 * authorityKeyIdentifier, and the unrecognised critical extension.
 */
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "render_internal.h"

/* A private OID under the RFC 5612 documentation enterprise number 32473:
 * no verifier can know it. */
#define UNKNOWN_CRITICAL_OID "1.3.6.1.4.1.32473.1"

static tf_err add_ext(X509 *x, int nid, void *value, bool critical, const char *what,
		      tf_error *err)
{
	if (X509_add1_ext_i2d(x, nid, value, critical ? 1 : 0, X509V3_ADD_APPEND) != 1)
		return tf_ossl_error(err, TF_ERR_BACKEND, what);
	return TF_OK;
}

static tf_err add_basic_constraints(X509 *x, const tf_cert *c, tf_error *err)
{
	BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
	tf_err rc = TF_OK;
	if (!bc)
		return tf_ossl_error(err, TF_ERR_NOMEM, "basicConstraints");
	bc->ca = c->bc == TF_BC_CA_TRUE ? 0xff : 0;
	if (c->pathlen >= 0) {
		bc->pathlen = ASN1_INTEGER_new();
		if (!bc->pathlen || !ASN1_INTEGER_set(bc->pathlen, c->pathlen)) {
			rc = tf_ossl_error(err, TF_ERR_BACKEND, "basicConstraints");
			goto done;
		}
	}
	rc = add_ext(x, NID_basic_constraints, bc, c->bc_critical, "basicConstraints", err);
done:
	BASIC_CONSTRAINTS_free(bc);
	return rc;
}

static tf_err add_key_usage(X509 *x, const tf_cert *c, tf_error *err)
{
	ASN1_BIT_STRING *ku = ASN1_BIT_STRING_new();
	tf_err rc = TF_OK;
	if (!ku)
		return tf_ossl_error(err, TF_ERR_NOMEM, "keyUsage");
	/* set_bit leaves the unused-bits count to the encoder, which writes the
	 * DER minimal form of a named bit list. */
	for (int i = 0; i < 7; i++)
		if ((c->ku & (1u << i)) && !ASN1_BIT_STRING_set_bit(ku, i, 1)) {
			rc = tf_ossl_error(err, TF_ERR_BACKEND, "keyUsage");
			goto done;
		}
	rc = add_ext(x, NID_key_usage, ku, c->ku_critical, "keyUsage", err);
done:
	ASN1_BIT_STRING_free(ku);
	return rc;
}

static tf_err add_eku(X509 *x, const tf_cert *c, tf_error *err)
{
	static const int nids[] = {NID_client_auth, NID_server_auth, NID_anyExtendedKeyUsage,
				   NID_code_sign};
	EXTENDED_KEY_USAGE *eku = sk_ASN1_OBJECT_new_null();
	tf_err rc = TF_OK;
	if (!eku)
		return tf_ossl_error(err, TF_ERR_NOMEM, "extendedKeyUsage");
	for (unsigned i = 0; i < sizeof nids / sizeof nids[0]; i++)
		if ((c->eku & (1u << i)) && !sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(nids[i]))) {
			rc = tf_ossl_error(err, TF_ERR_BACKEND, "extendedKeyUsage");
			goto done;
		}
	rc = add_ext(x, NID_ext_key_usage, eku, c->eku_critical, "extendedKeyUsage", err);
done:
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return rc;
}

static tf_err add_ski(X509 *x, const uint8_t id[TF_RENDER_KEY_ID_LEN], tf_error *err)
{
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	tf_err rc = TF_OK;
	if (!os || !ASN1_OCTET_STRING_set(os, id, TF_RENDER_KEY_ID_LEN))
		rc = tf_ossl_error(err, TF_ERR_BACKEND, "subjectKeyIdentifier");
	else
		rc = add_ext(x, NID_subject_key_identifier, os, false, "subjectKeyIdentifier", err);
	ASN1_OCTET_STRING_free(os);
	return rc;
}

static tf_err add_aki(X509 *x, const uint8_t id[TF_RENDER_KEY_ID_LEN], tf_error *err)
{
	AUTHORITY_KEYID *akid = AUTHORITY_KEYID_new();
	tf_err rc = TF_OK;
	if (!akid || !(akid->keyid = ASN1_OCTET_STRING_new()) ||
	    !ASN1_OCTET_STRING_set(akid->keyid, id, TF_RENDER_KEY_ID_LEN))
		rc = tf_ossl_error(err, TF_ERR_BACKEND, "authorityKeyIdentifier");
	else
		rc = add_ext(x, NID_authority_key_identifier, akid, false, "authorityKeyIdentifier",
			     err);
	AUTHORITY_KEYID_free(akid);
	return rc;
}

static tf_err add_unknown_critical(X509 *x, tf_error *err)
{
	ASN1_OBJECT *oid = NULL;
	ASN1_NULL *null = NULL;
	ASN1_OCTET_STRING *os = NULL;
	X509_EXTENSION *ext = NULL;
	unsigned char *val = NULL;
	tf_err rc = TF_OK;

	oid = OBJ_txt2obj(UNKNOWN_CRITICAL_OID, 1);
	null = ASN1_NULL_new();
	os = ASN1_OCTET_STRING_new();
	int len = null ? i2d_ASN1_NULL(null, &val) : -1;
	if (!oid || !os || len <= 0 || !ASN1_OCTET_STRING_set(os, val, len) ||
	    !(ext = X509_EXTENSION_create_by_OBJ(NULL, oid, 1, os)) || !X509_add_ext(x, ext, -1))
		rc = tf_ossl_error(err, TF_ERR_BACKEND, "unrecognised critical extension");
	X509_EXTENSION_free(ext);
	OPENSSL_free(val);
	ASN1_OCTET_STRING_free(os);
	ASN1_NULL_free(null);
	ASN1_OBJECT_free(oid);
	return rc;
}

tf_err tf_render_extensions(X509 *x, const tf_cert *c, const uint8_t ski[TF_RENDER_KEY_ID_LEN],
			    const uint8_t aki[TF_RENDER_KEY_ID_LEN], tf_error *err)
{
	if (c->bc != TF_BC_ABSENT)
		TF_GUARD(add_basic_constraints(x, c, err));
	if (c->ku_present)
		TF_GUARD(add_key_usage(x, c, err));
	if (c->eku_present)
		TF_GUARD(add_eku(x, c, err));
	if (c->ski != TF_KID_ABSENT)
		TF_GUARD(add_ski(x, ski, err));
	if (c->aki != TF_KID_ABSENT)
		TF_GUARD(add_aki(x, aki, err));
	if (c->unknown_critical)
		TF_GUARD(add_unknown_critical(x, err));
	return TF_OK;
}
