/*
 * backends/render_dercache.c — bounded cache of whole rendered certificates.
 *
 * Building a certificate with OpenSSL's setters and encoding it costs about
 * as much as signing it, and a campaign renders the same certificate (same
 * fields, names, keys and validation time) many times over; so does a
 * differential whose two real backends render the same scenario. The key is
 * SHA-256 of a fixed serialisation of everything the DER depends on (the
 * cert_job of render.c), so a hit returns exactly the bytes a fresh
 * rendering would produce. Certificates with a bound (imported) name or
 * public key are not cached: their inputs are not plain data of the job.
 *
 * Memory: at most TF_RENDER_DER_ENTRIES entries and TF_RENDER_DER_BYTES bytes
 * of DER; when either bound would be passed the cache is cleared and refilled
 * (counted as a signature-cache clear is, in der_clears), which keeps the
 * open-addressing table free of tombstones.
 */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

tf_err tf_dercache_init(tf_dercache *c, tf_error *err)
{
	memset(c, 0, sizeof *c);
	c->entry = calloc(TF_RENDER_DER_ENTRIES, sizeof *c->entry);
	c->index = calloc(TF_DERCACHE_SLOTS, sizeof *c->index);
	if (!c->entry || !c->index) {
		tf_dercache_free(c);
		TF_BAIL(err, TF_ERR_NOMEM, "certificate cache: out of memory");
	}
	return TF_OK;
}

static void drop_all(tf_dercache *c)
{
	for (uint32_t i = 0; i < c->n; i++)
		free(c->entry[i].der);
	if (c->index)
		memset(c->index, 0, TF_DERCACHE_SLOTS * sizeof *c->index);
	c->n = 0;
	c->bytes = 0;
}

void tf_dercache_free(tf_dercache *c)
{
	if (c->entry)
		drop_all(c);
	free(c->entry);
	free(c->index);
	memset(c, 0, sizeof *c);
}

static uint32_t slot_of(const uint8_t hash[32])
{
	uint32_t h = (uint32_t)hash[0] | (uint32_t)hash[1] << 8 | (uint32_t)hash[2] << 16 |
		     (uint32_t)hash[3] << 24;
	return h % TF_DERCACHE_SLOTS;
}

/* Looks up hash; on a hit, out is a malloc'ed copy. Returns false on a miss,
 * and also when the copy cannot be allocated (the caller renders afresh). */
bool tf_dercache_get(tf_dercache *c, const uint8_t hash[32], tf_der *out)
{
	for (uint32_t i = slot_of(hash); !c->off; i = (i + 1) % TF_DERCACHE_SLOTS) {
		uint16_t k = c->index[i];
		if (k == 0)
			break;
		const tf_der_entry *e = &c->entry[k - 1];
		if (memcmp(e->hash, hash, 32) != 0)
			continue;
		out->data = malloc(e->len);
		if (!out->data)
			return false;
		memcpy(out->data, e->der, e->len);
		out->len = e->len;
		c->hits++;
		return true;
	}
	c->misses++;
	return false;
}

void tf_dercache_put(tf_dercache *c, const uint8_t hash[32], const tf_der *der)
{
	if (c->off || der->len == 0 || der->len > TF_RENDER_DER_BYTES / 64)
		return;
	if (c->n == TF_RENDER_DER_ENTRIES || c->bytes + der->len > TF_RENDER_DER_BYTES) {
		drop_all(c);
		c->clears++;
	}
	uint32_t i = slot_of(hash);
	while (c->index[i] != 0) {
		if (memcmp(c->entry[c->index[i] - 1].hash, hash, 32) == 0)
			return;
		i = (i + 1) % TF_DERCACHE_SLOTS;
	}
	tf_der_entry *e = &c->entry[c->n];
	e->der = malloc(der->len);
	if (!e->der)
		return; /* a cache that cannot grow just misses */
	memcpy(e->der, der->data, der->len);
	memcpy(e->hash, hash, 32);
	e->len = der->len;
	c->bytes += der->len;
	c->index[i] = (uint16_t)(++c->n);
}
