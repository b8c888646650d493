/*
 * backends/openssl_x509cache.c — parsed certificates by DER, across
 * evaluations.
 *
 * OpenSSL 3.0 decodes a certificate's public key through its provider
 * decoders on every d2i_X509, which is most of the cost of an evaluation;
 * campaigns present the same certificates again and again. The cache maps
 * SHA-256(DER) to a parsed X509 (one reference held by the cache, one handed
 * out per lookup). What OpenSSL caches inside an X509 (extension flags) is a
 * function of its bytes, so sharing one across evaluations cannot change a
 * verdict. At most TF_OSSL_X509_CACHE entries; when full, every entry is
 * released and the cache starts over.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "openssl_internal.h"

#define SLOTS (2 * TF_OSSL_X509_CACHE)

struct tf_ossl_x509cache {
	EVP_MD *sha256;
	uint32_t n;
	uint16_t index[SLOTS]; /* entry + 1, 0 empty */
	struct {
		uint8_t hash[32];
		X509 *x;
	} entry[TF_OSSL_X509_CACHE];
	uint64_t hits, misses, clears;
};

tf_err tf_ossl_x509cache_new(tf_ossl_x509cache **out, tf_error *err)
{
	tf_ossl_x509cache *c = calloc(1, sizeof *c);
	*out = NULL;
	TF_ENSURE(c, err, TF_ERR_NOMEM, "openssl: out of memory");
	c->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!c->sha256) {
		free(c);
		return tf_ossl_error(err, TF_ERR_BACKEND, "openssl: SHA-256");
	}
	*out = c;
	return TF_OK;
}

static void clear(tf_ossl_x509cache *c)
{
	for (uint32_t i = 0; i < c->n; i++)
		X509_free(c->entry[i].x);
	memset(c->index, 0, sizeof c->index);
	c->n = 0;
}

void tf_ossl_x509cache_free(tf_ossl_x509cache *c)
{
	if (!c)
		return;
	clear(c);
	EVP_MD_free(c->sha256);
	free(c);
}

tf_err tf_ossl_x509cache_get(tf_ossl_x509cache *c, const tf_der *der, X509 **out,
			     tf_error *err)
{
	uint8_t h[32];
	*out = NULL;
	if (!EVP_Digest(der->data, der->len, h, NULL, c->sha256, NULL))
		return tf_ossl_error(err, TF_ERR_BACKEND, "openssl: SHA-256");
	uint32_t i = ((uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16) % SLOTS;
	for (; c->index[i]; i = (i + 1) % SLOTS) {
		if (!memcmp(c->entry[c->index[i] - 1].hash, h, 32)) {
			*out = c->entry[c->index[i] - 1].x;
			X509_up_ref(*out);
			c->hits++;
			return TF_OK;
		}
	}
	c->misses++;
	const unsigned char *p = der->data;
	X509 *x = d2i_X509(NULL, &p, (long)der->len);
	if (!x || p != der->data + der->len) {
		X509_free(x);
		return tf_ossl_error(err, TF_ERR_PARSE, "certificate DER");
	}
	if (c->n == TF_OSSL_X509_CACHE) {
		clear(c);
		c->clears++;
		i = ((uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16) % SLOTS;
	}
	memcpy(c->entry[c->n].hash, h, 32);
	c->entry[c->n].x = x;
	c->index[i] = (uint16_t)(++c->n);
	X509_up_ref(x);
	*out = x;
	return TF_OK;
}

void tf_ossl_x509cache_stats(const tf_ossl_x509cache *c, uint64_t *hits, uint64_t *misses,
			     uint64_t *clears)
{
	*hits = c->hits;
	*misses = c->misses;
	*clears = c->clears;
}
