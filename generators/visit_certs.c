/* generators/visit_certs.c — certificates: subjects, issuers, attributes. */
#include "trustfuzz/fixture.h"
#include "visit.h"

/* ---- Pass 1: subject name and key -------------------------------------- */

/* Template 0 is a fresh subject (name i % nnames, key i % nkeys); k + 1
 * copies cert k's subject and key (cross-sign material; a key rotation after
 * it makes a name collision). The encoder prefers a template that needs no
 * rotation, so that shapes stay visible in the bytes. */
static unsigned subject_template_want(const tf_scenario *d, const tf_cert *sc, unsigned i)
{
	if (sc->subject == i % d->nnames && sc->key == i % d->nkeys)
		return 0;
	for (unsigned k = 0; k < i; k++)
		if (d->certs[k].subject == sc->subject && d->certs[k].key == sc->key)
			return k + 1;
	return 0;
}

void gen_visit_subjects(gen_io *io, tf_scenario *d, const tf_scenario *s)
{
	for (unsigned i = 0; i < d->ncerts; i++) {
		tf_cert *c = &d->certs[i];
		const tf_cert *sc = io->mode == GEN_ENCODE ? &s->certs[i] : NULL;
		unsigned t;
		if (io->mode == GEN_SEEDED && i + 1 == d->ncerts)
			t = gen_put(io, i + 1, 0); /* the default leaf stays a fresh subject */
		else
			t = gen_pick(io, GK_SUBJ_TEMPLATE, i + 1,
				     sc ? subject_template_want(d, sc, i) : 0);
		unsigned dn = t ? d->certs[t - 1].subject : i % d->nnames;
		unsigned dk = t ? d->certs[t - 1].key : i % d->nkeys;
		c->subject = (uint8_t)gen_rot(io, GK_SUBJ_NAME, d->nnames, dn, GEN_WANT(io, sc->subject));
		c->key = (uint8_t)gen_rot(io, t ? GK_COPY_KEY : GK_SUBJ_KEY, d->nkeys, dk,
					  GEN_WANT(io, sc->key));
	}
}

/* ---- Pass 2: issuer name and signing key ------------------------------- */

/* Template 0 is the default parent (cert i - 1; cert 0 signs itself); t + 1
 * is "issued by cert t", any cert, later ones included (bridges, loops). */
static unsigned issuer_template_want(const tf_scenario *d, const tf_cert *sc, unsigned i)
{
	unsigned p = i ? i - 1 : 0;
	if (sc->issuer == d->certs[p].subject && sc->signing_key == d->certs[p].key)
		return 0;
	for (unsigned t = 0; t < d->ncerts; t++)
		if (sc->issuer == d->certs[t].subject && sc->signing_key == d->certs[t].key)
			return t + 1;
	return 0;
}

static bool same_pair(const tf_scenario *d, unsigned a, unsigned b)
{
	return d->certs[a].subject == d->certs[b].subject && d->certs[a].key == d->certs[b].key;
}

/* The earliest cert with cert i's subject and key (i itself when primary). */
static unsigned first_of_pair(const tf_scenario *d, unsigned i)
{
	unsigned k = 0;
	while (!same_pair(d, k, i))
		k++;
	return k;
}

/* Seeded mode: the default parent i - 1 serves a plain chain, but a copied
 * subject in the middle would cut it (the next cert would hang below the
 * copy) and a copy would often get its original's issuer or itself. So when
 * the profile keeps the default, a primary cert (the first with its subject
 * and key) is issued by the nearest earlier primary of another name, and a
 * copy by a random cert that is neither itself nor its original's issuer:
 * a cross-sign. The adjusted template is what gets recorded. */
static unsigned seeded_issuer_template(gen_io *io, const tf_scenario *d, unsigned i)
{
	unsigned n = d->ncerts;
	if (i == 0)
		return gen_draw(io, GK_ROOT_ISS_TEMPLATE, n + 1);
	/* Another issuer than the default: an earlier cert (a branch, a
	 * shortcut) or the cert itself (an extra self-signed root); loops come
	 * from cert 0 and from copies. */
	if (gen_draw(io, GK_ISS_TEMPLATE, n + 1))
		return 1 + (unsigned)gen_below(gen_rand(io), i + 1);
	unsigned k = first_of_pair(d, i);
	if (k == i) {
		for (unsigned j = i; j-- > 0;)
			if (first_of_pair(d, j) == j && d->certs[j].subject != d->certs[i].subject)
				return j == i - 1 ? 0 : j + 1;
		return 0;
	}
	uint8_t cand[TF_MAX_CERTS];
	unsigned ncand = 0;
	const tf_cert *orig = &d->certs[k];
	for (unsigned t = 0; t < n; t++)
		if (!same_pair(d, t, i) &&
		    !(d->certs[t].subject == orig->issuer && d->certs[t].key == orig->signing_key))
			cand[ncand++] = (uint8_t)t;
	return ncand ? 1u + cand[gen_below(gen_rand(io), ncand)] : 0;
}

void gen_visit_issuers(gen_io *io, tf_scenario *d, const tf_scenario *s)
{
	for (unsigned i = 0; i < d->ncerts; i++) {
		tf_cert *c = &d->certs[i];
		const tf_cert *sc = io->mode == GEN_ENCODE ? &s->certs[i] : NULL;
		unsigned t;
		if (io->mode == GEN_SEEDED)
			t = gen_put(io, d->ncerts + 1u, seeded_issuer_template(io, d, i));
		else
			t = gen_pick(io, GK_ISS_TEMPLATE, d->ncerts + 1u,
				     sc ? issuer_template_want(d, sc, i) : 0);
		unsigned p = t ? t - 1 : (i ? i - 1 : 0);
		c->issuer = (uint8_t)gen_rot(io, GK_ISS_NAME, d->nnames, d->certs[p].subject,
					     GEN_WANT(io, sc->issuer));
		c->signing_key = (uint8_t)gen_rot(io, GK_ISS_KEY, d->nkeys, d->certs[p].key,
						  GEN_WANT(io, sc->signing_key));
	}
}

/* ---- Structure queries ------------------------------------------------- */

uint32_t gen_ca_roles(const tf_scenario *d)
{
	/* Bucket the certs by issuer name first: O(ncerts) plus the matches. */
	uint32_t by_issuer[TF_MAX_NAMES] = {0}, roles = 0;
	for (unsigned j = 0; j < d->ncerts; j++)
		by_issuer[d->certs[j].issuer] |= UINT32_C(1) << j;
	for (unsigned i = 0; i < d->ncerts; i++) {
		uint32_t m = by_issuer[d->certs[i].subject] & ~(UINT32_C(1) << i);
		for (unsigned j = 0; m; j++, m >>= 1)
			if ((m & 1) && tf_keys_same(d, d->certs[j].signing_key, d->certs[i].key)) {
				roles |= UINT32_C(1) << i;
				break;
			}
	}
	return roles;
}

unsigned gen_parent(const tf_scenario *d, unsigned c)
{
	unsigned n = d->ncerts;
	for (unsigned step = 1; step < n; step++) {
		unsigned t = (c + n - step) % n;
		if (tf_cert_names_chain(d, c, t))
			return t;
	}
	return (c + n - 1) % n;
}

/* ---- Attributes -------------------------------------------------------- */

/* The defaults of a role: what a CA or a client leaf normally carries. */
static void role_defaults(tf_cert *c, bool ca, unsigned i)
{
	c->serial = (int64_t)i + 1;
	c->serial_long = false;
	c->version = 3;
	c->not_before = TF_VALID_NOT_BEFORE;
	c->not_after = TF_VALID_NOT_AFTER;
	c->bc = ca ? TF_BC_CA_TRUE : TF_BC_ABSENT;
	c->pathlen = -1;
	c->bc_critical = ca;
	c->ku_present = true;
	c->ku = ca ? TF_KU_KEY_CERT_SIGN | TF_KU_CRL_SIGN : TF_KU_DIGITAL_SIGNATURE;
	c->ku_critical = true;
	c->eku_present = !ca;
	c->eku = ca ? 0 : TF_EKU_CLIENT_AUTH;
	c->eku_critical = false;
	c->ski = TF_KID_MATCH;
	c->aki = TF_KID_MATCH;
	c->unknown_critical = false;
	c->corrupt_sig = false;
}

static bool attrs_equal(const tf_cert *a, const tf_cert *b)
{
	return a->serial == b->serial && a->serial_long == b->serial_long &&
	       a->version == b->version && a->not_before == b->not_before &&
	       a->not_after == b->not_after && a->bc == b->bc && a->pathlen == b->pathlen &&
	       a->bc_critical == b->bc_critical && a->ku_present == b->ku_present &&
	       a->ku == b->ku && a->ku_critical == b->ku_critical &&
	       a->eku_present == b->eku_present && a->eku == b->eku &&
	       a->eku_critical == b->eku_critical && a->ski == b->ski && a->aki == b->aki &&
	       a->unknown_critical == b->unknown_critical && a->corrupt_sig == b->corrupt_sig;
}

/* keyUsage / extendedKeyUsage: 0 the role default, 1 absent, 2 a custom
 * non-empty mask (1 + v, v < all). */
static void visit_usage(gen_io *io, gen_kind kform, gen_kind kmask, unsigned all, bool *present,
			uint8_t *mask, const bool *want_present, const uint8_t *want_mask)
{
	unsigned want = 0;
	if (io->mode == GEN_ENCODE) {
		if (*want_present == *present && (!*present || *want_mask == *mask))
			want = 0;
		else
			want = *want_present ? 2 : 1;
	}
	switch (gen_pick(io, kform, 3, want)) {
	case 1:
		*present = false;
		*mask = 0;
		break;
	case 2:
		*present = true;
		*mask = (uint8_t)(1 + gen_pick(io, kmask, all, GEN_WANT(io, *want_mask - 1)));
		break;
	default:
		break;
	}
}

/* Validity classes; class 7 is custom (two raw int64). Boundaries probe
 * "to the second, notAfter inclusive" from both sides. */
static const int64_t validity_presets[7][2] = {
	{TF_VALID_NOT_BEFORE, TF_VALID_NOT_AFTER},     /* 0 valid */
	{TF_EXPIRED_NOT_BEFORE, TF_EXPIRED_NOT_AFTER}, /* 1 expired */
	{TF_NYV_NOT_BEFORE, TF_NYV_NOT_AFTER},         /* 2 not yet valid */
	{TF_VALID_NOT_BEFORE, 0},                      /* 3 notAfter == T: still valid */
	{TF_VALID_NOT_BEFORE, -1},                     /* 4 expired one second ago */
	{0, TF_VALID_NOT_AFTER},                       /* 5 notBefore == T: valid */
	{1, TF_VALID_NOT_AFTER},                       /* 6 valid one second from now */
};

static void visit_validity(gen_io *io, tf_cert *c, const tf_cert *sc)
{
	unsigned want = 7;
	if (sc) {
		for (unsigned k = 0; k < 7; k++)
			if (sc->not_before == validity_presets[k][0] &&
			    sc->not_after == validity_presets[k][1]) {
				want = k;
				break;
			}
	}
	unsigned cls = gen_pick(io, GK_VALIDITY, 8, sc ? want : 0);
	if (cls < 7) {
		c->not_before = validity_presets[cls][0];
		c->not_after = validity_presets[cls][1];
		return;
	}
	c->not_before = gen_u2i(gen_wide(io, GK_TIME, 8, sc ? (uint64_t)sc->not_before : 0));
	c->not_after = gen_u2i(gen_wide(io, GK_TIME, 8, sc ? (uint64_t)sc->not_after : 0));
}

void gen_fit_times(tf_scenario *d)
{
	/* Certificates are decoded before the validation time, so the range
	 * is applied here, once both are known. Presets need it too: "expired"
	 * under a validation time in year 0000 would reach before it. */
	int64_t lo = TF_TIME_MIN - d->server.validation_time;
	int64_t hi = TF_TIME_MAX - d->server.validation_time;
	for (unsigned i = 0; i < d->ncerts; i++) {
		tf_cert *c = &d->certs[i];
		c->not_before = gen_fold(c->not_before, lo, hi);
		c->not_after = gen_fold(c->not_after, lo, hi);
	}
}

/* Serial forms: 0 default (i + 1), 1 zero, 2 minus one, 3 custom int64. */
static void visit_serial(gen_io *io, tf_cert *c, const tf_cert *sc, unsigned i)
{
	unsigned want = 0;
	if (sc)
		want = sc->serial == (int64_t)i + 1 ? 0 : sc->serial == 0 ? 1 : sc->serial == -1 ? 2 : 3;
	switch (gen_pick(io, GK_SERIAL_FORM, 4, want)) {
	case 1: c->serial = 0; break;
	case 2: c->serial = -1; break;
	case 3: c->serial = gen_u2i(gen_wide(io, GK_SERIAL, 8, sc ? (uint64_t)sc->serial : 0)); break;
	default: break;
	}
	c->serial_long = gen_rot(io, GK_SERIAL_LONG, 2, 0, GEN_WANT(io, sc->serial_long));
}

static void visit_cert_attributes(gen_io *io, tf_scenario *d, const tf_scenario *s, unsigned i,
				  bool ca)
{
	tf_cert *c = &d->certs[i];
	const tf_cert *sc = io->mode == GEN_ENCODE ? &s->certs[i] : NULL;
	role_defaults(c, ca, i);
	/* The gate keeps default certificates at one byte: random input then
	 * mostly varies structure, not every field of every certificate. */
	if (!gen_pick(io, GK_ATTR_GATE, 2, sc ? !attrs_equal(c, sc) : 0))
		return;
	c->version = (uint8_t)(1 + gen_rot(io, GK_VERSION, 3, 2, GEN_WANT(io, sc->version - 1)));
	c->bc = (uint8_t)gen_rot(io, GK_BC, 3, c->bc, GEN_WANT(io, sc->bc));
	if (c->bc == TF_BC_CA_TRUE)
		c->pathlen = (int8_t)((int)gen_rot(io, GK_PATHLEN, TF_MAX_PATH + 2, 0,
						   GEN_WANT(io, sc->pathlen + 1)) - 1);
	c->bc_critical = gen_rot(io, GK_BC_CRIT, 2, c->bc == TF_BC_CA_TRUE,
				 GEN_WANT(io, sc->bc_critical));
	visit_usage(io, GK_KU_FORM, GK_KU_MASK, TF_KU_ALL, &c->ku_present, &c->ku,
		    sc ? &sc->ku_present : NULL, sc ? &sc->ku : NULL);
	c->ku_critical = gen_rot(io, GK_KU_CRIT, 2, c->ku_present, GEN_WANT(io, sc->ku_critical));
	visit_usage(io, GK_EKU_FORM, GK_EKU_MASK, TF_EKU_ALL, &c->eku_present, &c->eku,
		    sc ? &sc->eku_present : NULL, sc ? &sc->eku : NULL);
	c->eku_critical = gen_rot(io, GK_EKU_CRIT, 2, 0, GEN_WANT(io, sc->eku_critical));
	c->ski = (uint8_t)gen_rot(io, GK_SKI, 3, TF_KID_MATCH, GEN_WANT(io, sc->ski));
	c->aki = (uint8_t)gen_rot(io, GK_AKI, 3, TF_KID_MATCH, GEN_WANT(io, sc->aki));
	visit_validity(io, c, sc);
	visit_serial(io, c, sc, i);
	c->unknown_critical = gen_rot(io, GK_UNKNOWN_CRIT, 2, 0, GEN_WANT(io, sc->unknown_critical));
	c->corrupt_sig = gen_rot(io, GK_CORRUPT_SIG, 2, 0, GEN_WANT(io, sc->corrupt_sig));
}

void gen_visit_attributes(gen_io *io, tf_scenario *d, const tf_scenario *s)
{
	uint32_t roles = gen_ca_roles(d);
	for (unsigned i = 0; i < d->ncerts; i++)
		visit_cert_attributes(io, d, s, i, (roles >> i) & 1);
}
