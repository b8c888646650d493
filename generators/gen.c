/* generators/gen.c — the public generators: from bytes, from a seed, encode. */
#include <string.h>

#include "gen_io.h"

void tf_gen_from_bytes(tf_scenario *s, const uint8_t *data, size_t len)
{
	gen_io io;
	tf_scenario_init(s);
	gen_io_decoder(&io, data, len);
	gen_visit(&io, s, NULL);
}

void tf_gen_from_seed(tf_scenario *s, uint64_t seed, tf_profile profile, uint8_t *bytes_out,
		      size_t *bytes_len)
{
	gen_io io;
	tf_scenario_init(s);
	gen_io_seeded(&io, seed, gen_profile_get(profile), bytes_out, TF_GEN_MAX_BYTES);
	gen_visit(&io, s, NULL);
	/* A seeded walk emits at most the encoder's bound (docs/generators.md),
	 * which is below TF_GEN_MAX_BYTES, so the record is always whole. */
	if (bytes_len)
		*bytes_len = bytes_out ? io.used : 0;
}

/* Data the byte format cannot carry: bound real DER (a later feature). */
static tf_err check_carriable(const tf_scenario *s, tf_error *err)
{
	for (unsigned i = 0; i < s->nnames; i++)
		TF_ENSURE(!s->names[i].der, err, TF_ERR_INVALID,
			  "names[%u]: a bound DER name cannot be encoded as generator bytes", i);
	for (unsigned i = 0; i < s->nkeys; i++)
		TF_ENSURE(!s->keys[i].spki, err, TF_ERR_INVALID,
			  "keys[%u]: a bound SPKI cannot be encoded as generator bytes", i);
	for (unsigned i = 0; i < s->ncerts; i++)
		TF_ENSURE(!s->certs[i].der, err, TF_ERR_INVALID,
			  "certs[%u]: a real certificate cannot be encoded as generator bytes", i);
	return TF_OK;
}

tf_err tf_gen_encode(const tf_scenario *s, uint8_t *out, size_t cap, size_t *len, tf_error *err)
{
	gen_io io;
	tf_scenario back;
	*len = 0;
	TF_GUARD(tf_scenario_validate(s, err));
	TF_GUARD(check_carriable(s, err));
	tf_scenario_init(&back);
	gen_io_encoder(&io, out, cap);
	gen_visit(&io, &back, s);
	TF_ENSURE(io.used <= cap, err, TF_ERR_LIMIT,
		  "encoding needs %zu bytes, the buffer holds %zu", io.used, cap);
	/* The walk that wrote the bytes also decoded them into `back`: if the
	 * two differ, a visitor computed a wanted value wrongly. */
	TF_ENSURE(tf_scenario_equal(&back, s), err, TF_ERR_INTERNAL,
		  "generator encoding does not reproduce the scenario");
	*len = io.used;
	return TF_OK;
}
