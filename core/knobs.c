/* core/knobs.c — the knob table: names, accepted values, defaults. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trustfuzz/scenario.h"

/* A knob is either an enum (values[] lists its names, index = value) or a
 * number in [0, max]. Field access goes through offsets into tf_knobs. */
typedef struct knob_desc {
	const char *name;
	size_t offset;
	size_t size; /* 1 or 4 */
	const char *const *values;
	unsigned long max; /* numbers only */
} knob_desc;

static const char *const v_anchors[] = {"rfc5280", "self-signed-only", NULL};
static const char *const v_anchor_validity[] = {"check", "ignore", NULL};
static const char *const v_profile[] = {"rfc5280", "strict", NULL};
static const char *const v_kb_trigger[] = {"name", "signature", NULL};
static const char *const v_kb_variant[] = {"mixed-store", "any-trigger", "cut-at-first", NULL};
static const char *const v_mode[] = {"verify", "handshake", NULL};
static const char *const v_bool[] = {"0", "1", NULL};
static const char *const v_tls[] = {"1.3", "1.2", NULL};
static const char *const v_keys[] = {"ed25519", "p256", "rsa2048", NULL};

#define K8(name, field, values, max) \
	{name, offsetof(tf_knobs, field), 1, values, max}

static const knob_desc knobs[] = {
	K8("anchors", anchors, v_anchors, 0),
	K8("anchor_validity", anchor_validity, v_anchor_validity, 0),
	K8("profile", profile, v_profile, 0),
	K8("max_depth", max_depth, NULL, TF_MAX_PATH),
	K8("kb.trigger", kb_trigger, v_kb_trigger, 0),
	K8("kb.variant", kb_variant, v_kb_variant, 0),
	K8("openssl.mode", ossl_mode, v_mode, 0),
	K8("openssl.partial_chain", ossl_partial_chain, v_bool, 0),
	K8("openssl.x509_strict", ossl_x509_strict, v_bool, 0),
	K8("openssl.tls", tls, v_tls, 0),
	K8("keys", keys, v_keys, 0),
	{"gnutls.flags", offsetof(tf_knobs, gnutls_flags), 4, NULL, 0xffffffffUL},
};
#define NKNOBS (sizeof knobs / sizeof knobs[0])

static unsigned long get_raw(const tf_knobs *k, const knob_desc *d)
{
	const unsigned char *p = (const unsigned char *)k + d->offset;
	if (d->size == 4) {
		uint32_t v;
		memcpy(&v, p, 4);
		return v;
	}
	return *p;
}

static void set_raw(tf_knobs *k, const knob_desc *d, unsigned long v)
{
	unsigned char *p = (unsigned char *)k + d->offset;
	if (d->size == 4) {
		uint32_t x = (uint32_t)v;
		memcpy(p, &x, 4);
	} else {
		*p = (unsigned char)v;
	}
}

static void list_values(const knob_desc *d, char *buf, size_t n)
{
	buf[0] = '\0';
	if (!d->values) {
		snprintf(buf, n, "a number 0..%lu", d->max);
		return;
	}
	for (size_t i = 0; d->values[i]; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, n - used, "%s%s", i ? "|" : "", d->values[i]);
	}
}

tf_err tf_knob_set(tf_knobs *k, const char *name, const char *value, tf_error *err)
{
	const knob_desc *d = NULL;
	for (size_t i = 0; i < NKNOBS; i++)
		if (!strcmp(knobs[i].name, name))
			d = &knobs[i];
	if (!d) {
		char all[512] = "";
		for (size_t i = 0; i < NKNOBS; i++) {
			size_t used = strlen(all);
			snprintf(all + used, sizeof all - used, "%s%s", i ? ", " : "", knobs[i].name);
		}
		TF_BAIL(err, TF_ERR_USAGE, "unknown knob \"%s\" (knobs: %s)", name, all);
	}
	char expect[256];
	list_values(d, expect, sizeof expect);
	if (d->values) {
		for (unsigned long i = 0; d->values[i]; i++) {
			if (!strcmp(d->values[i], value)) {
				set_raw(k, d, i);
				return TF_OK;
			}
		}
		TF_BAIL(err, TF_ERR_USAGE, "knob %s: unknown value \"%s\", expected %s", name, value,
			expect);
	}
	char *end = NULL;
	errno = 0;
	unsigned long v = strtoul(value, &end, 0);
	TF_ENSURE(*value && *value != '-' && !errno && !*end && v <= d->max, err, TF_ERR_USAGE,
		  "knob %s: bad value \"%s\", expected %s", name, value, expect);
	set_raw(k, d, v);
	return TF_OK;
}

tf_err tf_knob_assign(tf_knobs *k, const char *assignment, tf_error *err)
{
	const char *eq = strchr(assignment, '=');
	TF_ENSURE(eq && eq != assignment, err, TF_ERR_USAGE,
		  "knob \"%s\": expected NAME=VALUE", assignment);
	char name[64];
	size_t n = (size_t)(eq - assignment);
	TF_ENSURE(n < sizeof name, err, TF_ERR_USAGE, "knob \"%s\": name too long", assignment);
	memcpy(name, assignment, n);
	name[n] = '\0';
	return tf_knob_set(k, name, eq + 1, err);
}

bool tf_knob_get(const tf_knobs *k, size_t i, const char **name, char *buf, size_t bufsz,
		 bool *is_default)
{
	if (i >= NKNOBS)
		return false;
	const knob_desc *d = &knobs[i];
	unsigned long v = get_raw(k, d);
	*name = d->name;
	if (d->values) {
		size_t nvalues = 0;
		while (d->values[nvalues])
			nvalues++;
		snprintf(buf, bufsz, "%s", v < nvalues ? d->values[v] : "?");
	} else {
		snprintf(buf, bufsz, "%lu", v);
	}
	*is_default = v == 0;
	return true;
}

unsigned tf_knobs_max_depth(const tf_knobs *k)
{
	return k->max_depth ? k->max_depth : TF_DEFAULT_MAX_DEPTH;
}
