/*
 * backends/render_sigcache.c — bounded cache of certificate signatures.
 *
 * Campaigns render the same certificate (same TBS bytes, same signing key)
 * over and over while other parts of a scenario change; RSA signing is a
 * millisecond each. Entries are fixed-size and allocated once, so memory is
 * bounded by TF_RENDER_CACHE_ENTRIES; a full cache is cleared rather than
 * evicted entry by entry, which keeps the table free of tombstones.
 */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

tf_err tf_sigcache_init(tf_sigcache *c, tf_error *err)
{
	memset(c, 0, sizeof *c);
	c->entry = calloc(TF_RENDER_CACHE_ENTRIES, sizeof *c->entry);
	c->index = calloc(TF_SIGCACHE_SLOTS, sizeof *c->index);
	if (!c->entry || !c->index) {
		tf_sigcache_free(c);
		TF_BAIL(err, TF_ERR_NOMEM, "signature cache: out of memory");
	}
	return TF_OK;
}

void tf_sigcache_free(tf_sigcache *c)
{
	free(c->entry);
	free(c->index);
	memset(c, 0, sizeof *c);
}

static uint32_t slot_of(const uint8_t hash[32], unsigned slot, unsigned alg)
{
	uint32_t h = (uint32_t)hash[0] | (uint32_t)hash[1] << 8 | (uint32_t)hash[2] << 16 |
		     (uint32_t)hash[3] << 24;
	h ^= (uint32_t)slot * 0x9e3779b1u ^ (uint32_t)alg * 0x85ebca6bu;
	return h % TF_SIGCACHE_SLOTS;
}

static bool same_key(const tf_sig_entry *e, const uint8_t hash[32], unsigned slot, unsigned alg)
{
	return e->slot == slot && e->alg == alg && memcmp(e->hash, hash, 32) == 0;
}

void tf_render_set_cache(tf_render *r, bool enabled)
{
	r->cache.off = !enabled;
	r->certs.off = !enabled;
}

bool tf_sigcache_get(tf_sigcache *c, const uint8_t hash[32], unsigned slot, unsigned alg,
		     uint8_t *sig, size_t *siglen)
{
	for (uint32_t i = slot_of(hash, slot, alg); !c->off; i = (i + 1) % TF_SIGCACHE_SLOTS) {
		uint16_t k = c->index[i];
		if (k == 0)
			break;
		const tf_sig_entry *e = &c->entry[k - 1];
		if (same_key(e, hash, slot, alg)) {
			memcpy(sig, e->sig, e->len);
			*siglen = e->len;
			c->hits++;
			return true;
		}
	}
	c->misses++;
	return false;
}

void tf_sigcache_put(tf_sigcache *c, const uint8_t hash[32], unsigned slot, unsigned alg,
		     const uint8_t *sig, size_t siglen)
{
	if (siglen > TF_RENDER_SIG_MAX || c->off)
		return;
	if (c->n == TF_RENDER_CACHE_ENTRIES) {
		memset(c->index, 0, TF_SIGCACHE_SLOTS * sizeof *c->index);
		c->n = 0;
		c->clears++;
	}
	uint32_t i = slot_of(hash, slot, alg);
	while (c->index[i] != 0) {
		if (same_key(&c->entry[c->index[i] - 1], hash, slot, alg))
			return;
		i = (i + 1) % TF_SIGCACHE_SLOTS;
	}
	tf_sig_entry *e = &c->entry[c->n];
	memcpy(e->hash, hash, 32);
	e->slot = (uint16_t)slot;
	e->alg = (uint8_t)alg;
	e->len = (uint16_t)siglen;
	memcpy(e->sig, sig, siglen);
	c->index[i] = (uint16_t)(++c->n);
}
