/*
 * core/fixture_der.c — real DER in fixtures: base64 text ↔ bytes.
 *
 * Imported scenarios bind names, keys and certificates to real DER
 * (scenario.h); a fixture carries each blob as one base64 string (RFC 4648
 * alphabet, padded, no line breaks). The coding itself is OpenSSL's
 * EVP_EncodeBlock/EVP_DecodeBlock. EVP_DecodeBlock is lenient (it skips
 * surrounding white space and returns the padding as zero bytes), so the
 * reader re-encodes what it decoded and accepts only the text the writer
 * would have produced: one spelling per blob keeps fixtures canonical.
 *
 * The reader also checks that the bytes are one whole DER SEQUENCE — what a
 * DN, a SubjectPublicKeyInfo and a certificate all are — so that a pasted
 * fragment fails here, naming the field, rather than deep in a backend.
 * Whether the SEQUENCE really is a DN (or a key, or a certificate) is the
 * backends' business: core does not parse X.509.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "fixture_internal.h"

char *tf_json_b64_encode(const uint8_t *p, size_t n)
{
	if (n > TF_FIXTURE_DER_MAX)
		return NULL;
	char *out = malloc(4 * ((n + 2) / 3) + 1);
	if (!out)
		return NULL;
	int w = EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	out[w < 0 ? 0 : w] = '\0';
	return out;
}

/* Whether p[0..n) is exactly one DER SEQUENCE with a definite, minimal
 * length. */
static bool one_sequence(const uint8_t *p, size_t n)
{
	if (n < 2 || p[0] != 0x30)
		return false;
	size_t len = p[1], hdr = 2;
	if (p[1] & 0x80) {
		size_t ll = p[1] & 0x7f;
		if (ll == 0 || ll > 4 || n < 2 + ll || p[2] == 0)
			return false; /* indefinite, too long, or not minimal */
		len = 0;
		for (size_t i = 0; i < ll; i++)
			len = len << 8 | p[2 + i];
		if (len < 0x80)
			return false; /* DER: short form when it fits */
		hdr = 2 + ll;
	}
	return hdr + len == n;
}

tf_err tf_rd_der(tf_rd *r, tf_scenario *s, const json_t *v, const char *what,
		 const uint8_t **out, size_t *outlen)
{
	char expected[160];
	snprintf(expected, sizeof expected, "%s as one line of padded base64", what);
	if (!json_is_string(v))
		return tf_rd_type(r, v, expected);
	const char *text = json_string_value(v);
	size_t n = json_string_length(v);
	if (n == 0)
		return tf_rd_fail(r, TF_ERR_SCHEMA, "empty, expected %s", expected);
	if (n > 4 * ((TF_FIXTURE_DER_MAX + 2) / 3))
		return tf_rd_fail(r, TF_ERR_LIMIT, "%zu characters, expected at most %d bytes of DER",
				  n, TF_FIXTURE_DER_MAX);
	if (n % 4 || strlen(text) != n)
		return tf_rd_fail(r, TF_ERR_SCHEMA, "not base64, expected %s", expected);

	tf_err rc = TF_OK;
	uint8_t *bytes = malloc(n / 4 * 3);
	char *again = NULL;
	if (!bytes)
		return tf_rd_fail(r, TF_ERR_NOMEM, "out of memory");
	int got = EVP_DecodeBlock(bytes, (const unsigned char *)text, (int)n);
	size_t pad = (text[n - 1] == '=') + (text[n - 2] == '=');
	if (got < 0 || (size_t)got < pad) {
		rc = tf_rd_fail(r, TF_ERR_SCHEMA, "not base64, expected %s", expected);
		goto done;
	}
	size_t len = (size_t)got - pad;
	again = tf_json_b64_encode(bytes, len);
	if (!again) {
		rc = tf_rd_fail(r, TF_ERR_NOMEM, "out of memory");
		goto done;
	}
	if (strcmp(again, text)) {
		rc = tf_rd_fail(r, TF_ERR_SCHEMA, "not canonical base64, expected %s", expected);
		goto done;
	}
	if (!one_sequence(bytes, len)) {
		rc = tf_rd_fail(r, TF_ERR_SCHEMA, "%zu bytes that are not one DER SEQUENCE, "
						  "expected %s", len, expected);
		goto done;
	}
	const uint8_t *kept = tf_arena_dup(&s->arena, bytes, len);
	if (!kept) {
		rc = tf_rd_fail(r, TF_ERR_NOMEM, "out of memory");
		goto done;
	}
	*out = kept;
	*outlen = len;
done:
	free(again);
	free(bytes);
	return rc;
}
