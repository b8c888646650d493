/*
 * generators/gen_io.h — the decision stream shared by decode, encode and
 * seeded generation (private to generators/).
 *
 * gen_visit() walks a scenario field by field and asks a gen_io for every
 * decision: a value v in [0, n). The io either reads v from bytes (decode),
 * writes the v the visitor wants (encode), or draws v from a local PRNG with
 * the per-kind bias of a profile (seeded) and records it. In every mode the
 * bytes that would reproduce the decisions are what the io consumes or emits,
 * so the three directions cannot drift apart: they are one walk.
 *
 * Byte format per decision: nothing when n == 1; one byte b (v = b % n) when
 * 2 <= n <= 256; wide values are raw big-endian bytes. Exhausted input reads
 * as 0. docs/generators.md lists the decisions in order.
 */
#ifndef TF_GEN_IO_H
#define TF_GEN_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trustfuzz/gen.h"

/* Decision kinds: what a profile biases, one per field family. A kind does
 * not change the byte format: two kinds may share one decision position
 * (GK_SUBJ_KEY after a fresh subject, GK_COPY_KEY after a copied one). */
typedef enum gen_kind {
	GK_NCERTS, GK_NNAMES, GK_NKEYS, GK_KEY_POOL,
	GK_SUBJ_TEMPLATE, GK_SUBJ_NAME, GK_SUBJ_KEY, GK_COPY_KEY,
	GK_ROOT_ISS_TEMPLATE, GK_ISS_TEMPLATE, GK_ISS_NAME, GK_ISS_KEY,
	GK_ATTR_GATE, GK_VERSION, GK_BC, GK_PATHLEN, GK_BC_CRIT,
	GK_KU_FORM, GK_KU_MASK, GK_KU_CRIT, GK_EKU_FORM, GK_EKU_MASK, GK_EKU_CRIT,
	GK_SKI, GK_AKI, GK_VALIDITY, GK_TIME, GK_SERIAL_FORM, GK_SERIAL, GK_SERIAL_LONG,
	GK_UNKNOWN_CRIT, GK_CORRUPT_SIG,
	GK_ROOT_COUNT, GK_ROOT_ENTRY, GK_INT_COUNT, GK_INT_ENTRY, GK_CAI_COUNT, GK_CAI_ENTRY,
	GK_NIDENT, GK_ID_LEAF, GK_ID_NCHAIN, GK_ID_CHAIN,
	GK_ISSUER_LIST, GK_TRUST_MODE, GK_VTIME_FORM, GK_VTIME, GK_LIMIT_FORM, GK_LIMIT,
	GK_NAME_LABEL, GK_CERT_LABEL, GK_LABEL_LEN, GK_LABEL_CHAR,
	GK_KNOB, GK_KNOB_WIDE,
	GK_COUNT
} gen_kind;

/* Seeded bias of one kind: a non-zero value is drawn with probability
 * p / 65536, then uniformly in [1, min(n - 1, cap)] (cap 0 = no cap). */
typedef struct gen_bias {
	uint32_t p;
	uint8_t cap;
} gen_bias;

/* A profile: one bias per kind plus the shape rules a bias cannot express. */
typedef struct gen_profile {
	gen_bias bias[GK_COUNT];
	bool root_self_signed_only; /* Root entries are drawn among self-signed certs */
} gen_profile;

const gen_profile *gen_profile_get(tf_profile p);

typedef enum gen_mode { GEN_DECODE, GEN_ENCODE, GEN_SEEDED } gen_mode;

typedef struct gen_io {
	gen_mode mode;
	const uint8_t *in; /* decode */
	size_t in_len, pos;
	uint8_t *out;      /* encode, and seeded recording (NULL: not recorded) */
	size_t cap, len;
	size_t used;       /* bytes up to the last non-zero one: the trimmed length
			      (bytes past cap are counted, not stored) */
	uint64_t rng[4];   /* seeded: xoshiro256** state */
	const gen_profile *prof;
} gen_io;

void gen_io_decoder(gen_io *io, const uint8_t *data, size_t len);
void gen_io_encoder(gen_io *io, uint8_t *out, size_t cap);
void gen_io_seeded(gen_io *io, uint64_t seed, const gen_profile *prof, uint8_t *out, size_t cap);

/* A decision v in [0, n), n in 1..256. `want` is the value an encoder
 * writes; decode and seeded modes ignore it. */
unsigned gen_pick(gen_io *io, gen_kind k, unsigned n, unsigned want);
/* As gen_pick, but a seeded io writes `v` instead of drawing: the visitor
 * chose it from context (a profile shape rule). Decode still reads. */
unsigned gen_put(gen_io *io, unsigned n, unsigned v);
/* A wide value of nbytes (1..8) raw big-endian bytes. */
uint64_t gen_wide(gen_io *io, gen_kind k, unsigned nbytes, uint64_t want);
/* The field value (dflt + v) mod n for a decision v; an encoder writes the
 * v that gives `field`. dflt and field must be < n. */
unsigned gen_rot(gen_io *io, gen_kind k, unsigned n, unsigned dflt, unsigned field);
/* Seeded mode only: the next PRNG output, and a biased draw of kind k that
 * is not yet emitted (the visitor adjusts it, then emits it with gen_put). */
uint64_t gen_rand(gen_io *io);
unsigned gen_draw(gen_io *io, gen_kind k, unsigned n);
/* Uniform in [0, m), m <= 2^32, from one PRNG output r. */
static inline uint64_t gen_below(uint64_t r, uint64_t m)
{
	return ((r >> 32) * m) >> 32;
}

/* Two's-complement reinterpretation without implementation-defined casts. */
static inline int64_t gen_u2i(uint64_t u)
{
	return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

/* v folded into [lo, hi] (lo <= hi): a value in range is returned as it is,
 * one outside is reduced modulo the range's length (after wrapping the
 * difference to 64 bits). Decoded times go through it, so they are always
 * ones X.509 can encode while every representable value is a fixed point
 * and the encoder's round trip stays the identity. Folding rather than
 * clamping keeps raw extremes (0x7f.., 0xff..) from piling up on the exact
 * first and last representable second. */
static inline int64_t gen_fold(int64_t v, int64_t lo, int64_t hi)
{
	if (v >= lo && v <= hi)
		return v;
	uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
	return gen_u2i((uint64_t)lo + ((uint64_t)v - (uint64_t)lo) % span);
}

/* The one walk. dst is built from the decisions; src is the scenario being
 * encoded (ENCODE mode only; NULL otherwise). dst must be initialised. */
void gen_visit(gen_io *io, tf_scenario *dst, const tf_scenario *src);

#endif
