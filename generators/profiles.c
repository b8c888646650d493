/* generators/profiles.c — the seeded profiles: how often each decision kind
 * leaves its default, and how far. docs/generators.md explains the choices. */
#include <string.h>

#include "gen_io.h"

/* Probability of a non-zero draw, in 1/65536. */
#define P(x) ((uint32_t)((x) * 65536.0 + 0.5))
/* A kind's bias: probability, then the largest non-zero value drawn. */
#define B(k, p, c) [k] = {P(p), c}

/* mixed: every shape of issue 3 at a useful rate. */
static const gen_profile mixed = {
	.bias = {
		B(GK_NCERTS, 0.85, 5),     /* 2..7 certificates */
		B(GK_NNAMES, 0.10, 2),     /* more names than certs: rarely */
		B(GK_NKEYS, 0.10, 2),
		B(GK_KEY_POOL, 0.04, 0),   /* two key entries, one pool key */
		B(GK_SUBJ_TEMPLATE, 0.25, 0), /* copy an earlier subject: cross-sign material */
		B(GK_SUBJ_NAME, 0.02, 0),
		B(GK_SUBJ_KEY, 0.02, 0),   /* key reuse under another name */
		B(GK_COPY_KEY, 0.30, 0),   /* after a copy: a name collision */
		B(GK_ROOT_ISS_TEMPLATE, 0.04, 0), /* cert 0 not self-signed */
		B(GK_ISS_TEMPLATE, 0.08, 0), /* an earlier issuer: branches, extra roots */
		B(GK_ISS_NAME, 0.01, 0),   /* dangling issuer names */
		B(GK_ISS_KEY, 0.015, 0),   /* signed by the wrong key */
		B(GK_ATTR_GATE, 0.35, 0),
		B(GK_VERSION, 0.05, 0),
		B(GK_BC, 0.10, 0),
		B(GK_PATHLEN, 0.20, 3),
		B(GK_BC_CRIT, 0.05, 0),
		B(GK_KU_FORM, 0.20, 0),
		B(GK_KU_MASK, 0.95, 0),
		B(GK_KU_CRIT, 0.08, 0),
		B(GK_EKU_FORM, 0.25, 0),
		B(GK_EKU_MASK, 0.95, 0),
		B(GK_EKU_CRIT, 0.08, 0),
		B(GK_SKI, 0.04, 0),
		B(GK_AKI, 0.04, 0),
		B(GK_VALIDITY, 0.35, 0),
		B(GK_SERIAL_FORM, 0.04, 0),
		B(GK_SERIAL_LONG, 0.02, 0),
		B(GK_UNKNOWN_CRIT, 0.03, 0),
		B(GK_CORRUPT_SIG, 0.03, 0),
		B(GK_ROOT_COUNT, 0.35, 2), /* Root of 2..3: often an intermediate in Root */
		B(GK_ROOT_ENTRY, 0.35, 0),
		B(GK_INT_COUNT, 0.35, 3),
		B(GK_INT_ENTRY, 0.25, 0),
		B(GK_CAI_COUNT, 0.20, 2),
		B(GK_CAI_ENTRY, 0.40, 0),
		B(GK_NIDENT, 0.30, 2),     /* 1..3 identities */
		B(GK_ID_LEAF, 0.20, 0),
		B(GK_ID_NCHAIN, 0.40, 4),
		B(GK_ID_CHAIN, 0.10, 0),
		B(GK_ISSUER_LIST, 0.50, 0),
		B(GK_TRUST_MODE, 0.50, 0),
		B(GK_VTIME_FORM, 0.02, 0),
		B(GK_LIMIT_FORM, 0.05, 0),
		B(GK_NAME_LABEL, 0.02, 0), /* odd labels exercise fixtures, show and dot */
		B(GK_CERT_LABEL, 0.00, 0),
		B(GK_LABEL_LEN, 1.00, 24),
		B(GK_LABEL_CHAR, 1.00, 0),
		B(GK_KNOB, 0.00, 0),       /* knobs belong to the instance, not the profile */
	},
	.root_self_signed_only = false,
};

/* kb: the stores and server settings of KB 2802568 around short chains. */
static const gen_profile kb = {
	.bias = {
		B(GK_NCERTS, 0.70, 3),     /* 2..5 certificates */
		B(GK_NNAMES, 0.03, 1),
		B(GK_NKEYS, 0.03, 1),
		B(GK_SUBJ_TEMPLATE, 0.08, 0),
		B(GK_COPY_KEY, 0.20, 0),
		B(GK_ROOT_ISS_TEMPLATE, 0.02, 0),
		B(GK_ISS_TEMPLATE, 0.04, 0),
		B(GK_ATTR_GATE, 0.12, 0),
		B(GK_KU_FORM, 0.10, 0),
		B(GK_KU_MASK, 0.95, 0),
		B(GK_EKU_FORM, 0.15, 0),
		B(GK_EKU_MASK, 0.95, 0),
		B(GK_VALIDITY, 0.25, 0),
		B(GK_ROOT_COUNT, 0.70, 3), /* an intermediate in Root, most of the time */
		B(GK_ROOT_ENTRY, 0.60, 0),
		B(GK_INT_COUNT, 0.40, 3),
		B(GK_INT_ENTRY, 0.30, 0),
		B(GK_CAI_COUNT, 0.50, 3),
		B(GK_CAI_ENTRY, 0.50, 0),
		B(GK_NIDENT, 0.40, 2),
		B(GK_ID_LEAF, 0.20, 0),
		B(GK_ID_NCHAIN, 0.50, 3),
		B(GK_ID_CHAIN, 0.10, 0),
		B(GK_ISSUER_LIST, 0.50, 0),
		B(GK_TRUST_MODE, 0.67, 0), /* modes 0, 1, 2 about equally */
		B(GK_LIMIT_FORM, 0.15, 0), /* truncated issuer lists */
		B(GK_LIMIT, 1.00, 0),
		B(GK_LABEL_LEN, 1.00, 24),
		B(GK_LABEL_CHAR, 1.00, 0),
	},
	.root_self_signed_only = false,
};

/* rfc5280: path building — depth, cross-signs, collisions, bridges,
 * validity and extensions — with a Root of self-signed certificates. */
static const gen_profile rfc5280 = {
	.bias = {
		B(GK_NCERTS, 0.90, 7),     /* 2..9 certificates */
		B(GK_NNAMES, 0.15, 2),
		B(GK_NKEYS, 0.15, 2),
		B(GK_KEY_POOL, 0.08, 0),
		B(GK_SUBJ_TEMPLATE, 0.35, 0),
		B(GK_SUBJ_NAME, 0.03, 0),
		B(GK_SUBJ_KEY, 0.03, 0),
		B(GK_COPY_KEY, 0.40, 0),
		B(GK_ROOT_ISS_TEMPLATE, 0.03, 0),
		B(GK_ISS_TEMPLATE, 0.10, 0),
		B(GK_ISS_NAME, 0.02, 0),
		B(GK_ISS_KEY, 0.02, 0),
		B(GK_ATTR_GATE, 0.50, 0),
		B(GK_VERSION, 0.08, 0),
		B(GK_BC, 0.15, 0),
		B(GK_PATHLEN, 0.30, 4),
		B(GK_BC_CRIT, 0.08, 0),
		B(GK_KU_FORM, 0.25, 0),
		B(GK_KU_MASK, 0.95, 0),
		B(GK_KU_CRIT, 0.10, 0),
		B(GK_EKU_FORM, 0.25, 0),
		B(GK_EKU_MASK, 0.95, 0),
		B(GK_EKU_CRIT, 0.10, 0),
		B(GK_SKI, 0.10, 0),
		B(GK_AKI, 0.10, 0),
		B(GK_VALIDITY, 0.40, 0),
		B(GK_SERIAL_FORM, 0.06, 0),
		B(GK_SERIAL_LONG, 0.03, 0),
		B(GK_UNKNOWN_CRIT, 0.06, 0),
		B(GK_CORRUPT_SIG, 0.05, 0),
		B(GK_ROOT_COUNT, 0.30, 2),
		B(GK_ROOT_ENTRY, 0.40, 0),
		B(GK_INT_COUNT, 0.50, 5),
		B(GK_INT_ENTRY, 0.30, 0),
		B(GK_NIDENT, 0.15, 1),
		B(GK_ID_LEAF, 0.15, 0),
		B(GK_ID_NCHAIN, 0.50, 6),
		B(GK_ID_CHAIN, 0.15, 0),
		B(GK_ISSUER_LIST, 0.20, 0),
		B(GK_TRUST_MODE, 0.20, 0),
		B(GK_VTIME_FORM, 0.03, 0),
		B(GK_LABEL_LEN, 1.00, 24),
		B(GK_LABEL_CHAR, 1.00, 0),
	},
	.root_self_signed_only = true,
};

static const struct {
	const char *name;
	const gen_profile *prof;
} profiles[TF_GEN_PROFILE_COUNT] = {
	[TF_GEN_PROFILE_MIXED] = {"mixed", &mixed},
	[TF_GEN_PROFILE_KB] = {"kb", &kb},
	[TF_GEN_PROFILE_RFC5280] = {"rfc5280", &rfc5280},
};

const gen_profile *gen_profile_get(tf_profile p)
{
	return (unsigned)p < TF_GEN_PROFILE_COUNT ? profiles[p].prof : &mixed;
}

const char *tf_profile_str(tf_profile p)
{
	return (unsigned)p < TF_GEN_PROFILE_COUNT ? profiles[p].name : "?";
}

bool tf_profile_parse(const char *text, tf_profile *out)
{
	for (unsigned i = 0; i < TF_GEN_PROFILE_COUNT; i++)
		if (!strcmp(text, profiles[i].name)) {
			*out = (tf_profile)i;
			return true;
		}
	return false;
}
