/* harness/minimize_fields.c — "reset a field to its default" and the size
 * metric that decides what is smaller.
 *
 * The defaults are the fixture format's (docs/fixture-format.md): a field at
 * its default is omitted by the writer, so every reset the predicate allows
 * makes the minimized fixture shorter to read. */
#include <string.h>

#include "minimize_internal.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/gen.h"

void tf_min_default_cert(tf_cert *c)
{
	c->signing_key = c->key;
	c->bc = TF_BC_ABSENT;
	c->pathlen = -1;
	c->bc_critical = false;
	c->ku_present = false;
	c->ku = 0;
	c->ku_critical = false;
	c->eku_present = false;
	c->eku = 0;
	c->eku_critical = false;
	c->not_before = TF_VALID_NOT_BEFORE;
	c->not_after = TF_VALID_NOT_AFTER;
	c->serial_long = false;
	c->version = 3;
	c->ski = TF_KID_MATCH;
	c->aki = TF_KID_MATCH;
	c->unknown_critical = false;
	c->corrupt_sig = false;
}

void tf_min_unbind(tf_cert *c)
{
	c->der = NULL;
	c->der_len = 0;
}

bool tf_min_has_der(const tf_scenario *s)
{
	for (unsigned i = 0; i < s->ncerts; i++)
		if (s->certs[i].der)
			return true;
	return false;
}

/* One resettable certificate field: reset() moves it to its default and
 * says whether that changed anything. Criticality defaults follow the
 * fixture reader: basicConstraints and keyUsage critical when present,
 * extendedKeyUsage not. Serial defaults to index + 1. */
typedef bool (*reset_fn)(tf_cert *c, unsigned index);

#define SET(field, value)                                                                  \
	do {                                                                               \
		if (c->field == (value))                                                   \
			return false;                                                      \
		c->field = (value);                                                        \
		return true;                                                               \
	} while (0)

static bool r_signing_key(tf_cert *c, unsigned i) { (void)i; SET(signing_key, c->key); }
static bool r_corrupt(tf_cert *c, unsigned i) { (void)i; SET(corrupt_sig, false); }
static bool r_unknown_critical(tf_cert *c, unsigned i) { (void)i; SET(unknown_critical, false); }
static bool r_pathlen(tf_cert *c, unsigned i) { (void)i; SET(pathlen, -1); }
static bool r_bc_critical(tf_cert *c, unsigned i) { (void)i; SET(bc_critical, c->bc != TF_BC_ABSENT); }
static bool r_ku_critical(tf_cert *c, unsigned i) { (void)i; SET(ku_critical, c->ku_present); }
static bool r_eku_critical(tf_cert *c, unsigned i) { (void)i; SET(eku_critical, false); }
static bool r_ski(tf_cert *c, unsigned i) { (void)i; SET(ski, TF_KID_MATCH); }
static bool r_aki(tf_cert *c, unsigned i) { (void)i; SET(aki, TF_KID_MATCH); }
static bool r_version(tf_cert *c, unsigned i) { (void)i; SET(version, 3); }
static bool r_serial_long(tf_cert *c, unsigned i) { (void)i; SET(serial_long, false); }
static bool r_serial(tf_cert *c, unsigned i) { SET(serial, (int64_t)i + 1); }

static bool r_validity(tf_cert *c, unsigned i)
{
	(void)i;
	if (c->not_before == TF_VALID_NOT_BEFORE && c->not_after == TF_VALID_NOT_AFTER)
		return false;
	c->not_before = TF_VALID_NOT_BEFORE;
	c->not_after = TF_VALID_NOT_AFTER;
	return true;
}

static bool r_bc(tf_cert *c, unsigned i)
{
	(void)i;
	if (c->bc == TF_BC_ABSENT)
		return false;
	c->bc = TF_BC_ABSENT;
	c->pathlen = -1;
	c->bc_critical = false;
	return true;
}

static bool r_ku(tf_cert *c, unsigned i)
{
	(void)i;
	if (!c->ku_present)
		return false;
	c->ku_present = c->ku_critical = false;
	c->ku = 0;
	return true;
}

static bool r_eku(tf_cert *c, unsigned i)
{
	(void)i;
	if (!c->eku_present)
		return false;
	c->eku_present = c->eku_critical = false;
	c->eku = 0;
	return true;
}

/* Whole extensions first (one reset removes several fields), then the
 * flags that make a certificate odd, then the rest. */
static const reset_fn resets[] = {
	r_bc,	     r_ku,	  r_eku,	 r_corrupt,	r_unknown_critical,
	r_validity,  r_signing_key, r_pathlen,	 r_bc_critical, r_ku_critical,
	r_eku_critical, r_ski,	   r_aki,	 r_version,	r_serial_long,
	r_serial,
};
#define NRESETS (sizeof resets / sizeof resets[0])

/* Server settings and knobs, reset as a whole value each. */
static bool reset_setting(tf_scenario *s, unsigned k)
{
	tf_server *sv = &s->server;
	uint8_t *knob8[] = {&s->knobs.anchors,	      &s->knobs.anchor_validity,
			    &s->knobs.profile,	      &s->knobs.max_depth,
			    &s->knobs.kb_trigger,     &s->knobs.kb_variant,
			    &s->knobs.ossl_mode,      &s->knobs.ossl_partial_chain,
			    &s->knobs.ossl_x509_strict, &s->knobs.tls,
			    &s->knobs.keys};
	const unsigned nknob8 = sizeof knob8 / sizeof knob8[0];
	switch (k) {
	case 0:
		if (!sv->send_issuer_list)
			return false;
		sv->send_issuer_list = false;
		return true;
	case 1:
		if (!sv->trust_mode)
			return false;
		sv->trust_mode = 0;
		return true;
	case 2:
		/* Validity is relative to the validation time, while real DER
		 * holds absolute times: moving it would contradict every
		 * imported certificate, so it stays. */
		if (sv->validation_time == TF_DEFAULT_VALIDATION_TIME || tf_min_has_der(s))
			return false;
		sv->validation_time = TF_DEFAULT_VALIDATION_TIME;
		return true;
	case 3:
		if (sv->issuer_list_limit == TF_DEFAULT_ISSUER_LIST_LIMIT)
			return false;
		sv->issuer_list_limit = TF_DEFAULT_ISSUER_LIST_LIMIT;
		return true;
	case 4:
		if (!s->knobs.gnutls_flags)
			return false;
		s->knobs.gnutls_flags = 0;
		return true;
	default:
		if (k - 5 >= nknob8 || !*knob8[k - 5])
			return false;
		*knob8[k - 5] = 0;
		return true;
	}
}
#define NSETTINGS 16u

/* Validity is stored relative to the validation time, so a reset that moves
 * either can leave a bound outside years 0000..9999 (a validation time near
 * an end of that range, or a certificate whose offsets only fit the old
 * validation time). Such a candidate would not validate: it is skipped, so
 * that check mode (every candidate must validate) never sees one. */
static bool cert_times_ok(int64_t vt, const tf_cert *c)
{
	return c->der || (tf_time_representable(vt, c->not_before) &&
			  tf_time_representable(vt, c->not_after));
}

static bool times_ok(const tf_scenario *s)
{
	for (unsigned i = 0; i < s->ncerts; i++)
		if (!cert_times_ok(s->server.validation_time, &s->certs[i]))
			return false;
	return true;
}

bool tf_min_pass_reset_fields(tf_min_state *m)
{
	bool any = false;
	for (unsigned k = 0; k < NSETTINGS && !tf_min_done(m); k++) {
		tf_scenario probe = m->cur; /* plain copy: only compared, never freed */
		if (!reset_setting(&probe, k) || !times_ok(&probe))
			continue;
		if (tf_scenario_copy(&m->cand, &m->cur) != TF_OK)
			return any;
		reset_setting(&m->cand, k);
		any |= tf_min_offer(m, true);
	}
	for (unsigned i = 0; i < m->cur.ncerts; i++) {
		for (unsigned r = 0; r < NRESETS && !tf_min_done(m); r++) {
			tf_cert probe = m->cur.certs[i];
			tf_min_unbind(&probe);
			if (!resets[r](&probe, i) ||
			    !cert_times_ok(m->cur.server.validation_time, &probe))
				continue;
			if (tf_scenario_copy(&m->cand, &m->cur) != TF_OK)
				return any;
			m->cand.certs[i] = probe;
			tf_min_unbind(&m->cand.certs[i]);
			any |= tf_min_offer(m, true);
		}
	}
	return any;
}

/* Fields away from their default, by the same definitions as the resets. */
static unsigned cert_fields(const tf_cert *c, unsigned i)
{
	unsigned n = 0;
	for (unsigned r = 0; r < NRESETS; r++) {
		tf_cert probe = *c;
		n += resets[r](&probe, i);
	}
	return n;
}

void tf_min_measure(const tf_scenario *s, tf_min_metric *out, uint8_t *enc)
{
	memset(out, 0, sizeof *out);
	out->certs = s->ncerts;
	for (unsigned st = 0; st < TF_STORE_COUNT; st++)
		out->entries += s->stores[st].n;
	for (unsigned k = 0; k < s->nidentities; k++)
		out->entries += s->identities[k].nchain;
	out->identities = s->nidentities;
	out->fields = s->nnames + s->nkeys;
	for (unsigned i = 0; i < s->ncerts; i++)
		out->fields += cert_fields(&s->certs[i], i);
	for (unsigned k = 0; k < NSETTINGS; k++) {
		tf_scenario probe;
		probe.server = s->server;
		probe.knobs = s->knobs;
		probe.ncerts = 0; /* a field away from its default counts, DER or not */
		out->fields += reset_setting(&probe, k);
	}
	size_t len = 0;
	tf_error err = {0};
	if (tf_gen_encode(s, enc, TF_MIN_ENC_CAP, &len, &err) == TF_OK)
		out->enc = len;
}
