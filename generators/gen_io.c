/* generators/gen_io.c — the decision stream: byte reader, byte writer, seeded PRNG. */
#include <string.h>

#include "gen_io.h"
#include "trustfuzz/scenario.h"

/* ---- PRNG: xoshiro256** seeded by splitmix64 (public domain algorithms) */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t gen_rand(gen_io *io)
{
	uint64_t *s = io->rng;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* ---- Set-up ------------------------------------------------------------ */

void gen_io_decoder(gen_io *io, const uint8_t *data, size_t len)
{
	memset(io, 0, sizeof *io);
	io->mode = GEN_DECODE;
	io->in = data;
	io->in_len = data ? len : 0;
}

void gen_io_encoder(gen_io *io, uint8_t *out, size_t cap)
{
	memset(io, 0, sizeof *io);
	io->mode = GEN_ENCODE;
	io->out = out;
	io->cap = out ? cap : 0;
}

void gen_io_seeded(gen_io *io, uint64_t seed, const gen_profile *prof, uint8_t *out, size_t cap)
{
	memset(io, 0, sizeof *io);
	io->mode = GEN_SEEDED;
	io->prof = prof;
	io->out = out;
	io->cap = out ? cap : 0;
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		io->rng[i] = splitmix64(&x);
}

/* ---- Bytes ------------------------------------------------------------- */

static uint8_t take(gen_io *io)
{
	return io->pos < io->in_len ? io->in[io->pos++] : 0;
}

static void emit(gen_io *io, uint8_t b)
{
	if (io->len < io->cap)
		io->out[io->len] = b;
	io->len++;
	if (b)
		io->used = io->len;
}

/* ---- Seeded draws ------------------------------------------------------ */

unsigned gen_draw(gen_io *io, gen_kind k, unsigned n)
{
	const gen_bias *b = &io->prof->bias[k];
	uint64_t r = gen_rand(io);
	if (n <= 1)
		return 0;
	if ((r & 0xffff) >= b->p)
		return 0;
	unsigned m = n - 1;
	if (b->cap && b->cap < m)
		m = b->cap;
	return 1 + (unsigned)gen_below(r, m);
}

/* Wide values: sane magnitudes, so seeded scenarios stay meaningful (and far
 * from int64 overflow in the consumers' time arithmetic); decoded bytes can
 * still carry any value. */
static uint64_t draw_wide(gen_io *io, gen_kind k)
{
	uint64_t r = gen_rand(io);
	unsigned sel = (unsigned)(r & 3);
	r >>= 8;
	switch (k) {
	case GK_TIME:
		if (sel == 0)
			return (uint64_t)(int64_t)((int64_t)gen_below(r, 7) - 3); /* to the second */
		return (uint64_t)(((int64_t)gen_below(r, 4001) - 2000) * TF_DAY);
	case GK_SERIAL:
		if (sel == 0)
			return (uint64_t)INT64_MAX;
		if (sel == 1)
			return (uint64_t)INT64_MIN;
		if (sel == 2)
			return (uint64_t)-(int64_t)(1 + gen_below(r, 1000));
		return r; /* a large positive serial (56 bits) */
	case GK_VTIME:
		return (uint64_t)(TF_DEFAULT_VALIDATION_TIME + ((int64_t)gen_below(r, 4001) - 2000) * TF_DAY);
	case GK_LIMIT:
		return gen_below(r, 20000);
	default:
		return 0;
	}
}

/* ---- Decisions --------------------------------------------------------- */

unsigned gen_pick(gen_io *io, gen_kind k, unsigned n, unsigned want)
{
	if (n <= 1)
		return 0;
	unsigned v;
	switch (io->mode) {
	case GEN_DECODE:
		return take(io) % n;
	case GEN_ENCODE:
		v = want;
		break;
	default:
		v = gen_draw(io, k, n);
		break;
	}
	emit(io, (uint8_t)v);
	return v;
}

unsigned gen_put(gen_io *io, unsigned n, unsigned v)
{
	if (n <= 1)
		return 0;
	if (io->mode == GEN_DECODE)
		return take(io) % n;
	emit(io, (uint8_t)v);
	return v;
}

uint64_t gen_wide(gen_io *io, gen_kind k, unsigned nbytes, uint64_t want)
{
	uint64_t v = 0;
	if (io->mode == GEN_DECODE) {
		for (unsigned i = 0; i < nbytes; i++)
			v = (v << 8) | take(io);
		return v;
	}
	v = io->mode == GEN_ENCODE ? want : draw_wide(io, k);
	if (nbytes < 8)
		v &= (UINT64_C(1) << (8 * nbytes)) - 1;
	for (unsigned i = nbytes; i-- > 0;)
		emit(io, (uint8_t)(v >> (8 * i)));
	return v;
}

unsigned gen_rot(gen_io *io, gen_kind k, unsigned n, unsigned dflt, unsigned field)
{
	unsigned want = 0;
	if (io->mode == GEN_ENCODE)
		want = field >= dflt ? field - dflt : field + n - dflt;
	unsigned f = dflt + gen_pick(io, k, n, want);
	return f >= n ? f - n : f;
}
