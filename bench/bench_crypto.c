/* bench/bench_crypto.c — the crypto ceiling (bench.h): EVP's cost of one
 * signature and one verification per key-pool algorithm, and the set's
 * counts of each. */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <string.h>

#include "bench.h"
#include "trustfuzz/registry.h"

/* About the size of a generated certificate's TBSCertificate. */
#define TBS_BYTES 400

static EVP_PKEY *keygen(unsigned alg)
{
	switch (alg) {
	case TF_KEYS_ED25519: return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	case TF_KEYS_P256: return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	default: return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	}
}

/* One operation, as the renderer and OpenSSL's verifier do it: Ed25519 on
 * the message, the others over SHA-256. */
static bool sign_once(EVP_PKEY *k, unsigned alg, const uint8_t *msg, uint8_t *sig, size_t *len)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	bool ok = c && EVP_DigestSignInit(c, NULL, alg == TF_KEYS_ED25519 ? NULL : EVP_sha256(),
					  NULL, k) == 1 &&
		  EVP_DigestSign(c, sig, len, msg, TBS_BYTES) == 1;
	EVP_MD_CTX_free(c);
	return ok;
}

static bool verify_once(EVP_PKEY *k, unsigned alg, const uint8_t *msg, const uint8_t *sig,
			size_t len)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	bool ok = c && EVP_DigestVerifyInit(c, NULL, alg == TF_KEYS_ED25519 ? NULL : EVP_sha256(),
					    NULL, k) == 1 &&
		  EVP_DigestVerify(c, sig, len, msg, TBS_BYTES) == 1;
	EVP_MD_CTX_free(c);
	return ok;
}

static tf_err measure(unsigned alg, double min_cpu, double *sign_s, double *verify_s,
		      tf_error *err)
{
	uint8_t msg[TBS_BYTES], sig[512];
	size_t len = sizeof sig;
	unsigned n = 0;
	tf_bench_clock t0, t1;
	EVP_PKEY *k = keygen(alg);
	for (unsigned i = 0; i < TBS_BYTES; i++)
		msg[i] = (uint8_t)(i * 131u + 7u);
	if (!k)
		goto fail;
	tf_bench_now(&t0);
	do {
		len = sizeof sig;
		if (!sign_once(k, alg, msg, sig, &len))
			goto fail;
		n++;
		tf_bench_now(&t1);
		tf_bench_since(&t0, &t1);
	} while (t1.cpu < min_cpu);
	*sign_s = t1.cpu / n;
	n = 0;
	tf_bench_now(&t0);
	do {
		if (!verify_once(k, alg, msg, sig, len))
			goto fail;
		n++;
		tf_bench_now(&t1);
		tf_bench_since(&t0, &t1);
	} while (t1.cpu < min_cpu);
	*verify_s = t1.cpu / n;
	EVP_PKEY_free(k);
	return TF_OK;
fail:
	EVP_PKEY_free(k);
	ERR_clear_error();
	return tf_error_set(err, TF_ERR_BACKEND, "bench: EVP sign/verify with keys=%u failed", alg);
}

tf_err tf_bench_crypto_costs(double min_cpu, tf_bench_crypto *out, tf_error *err)
{
	memset(out, 0, sizeof *out);
	for (unsigned a = 0; a < 3; a++)
		TF_GUARD(measure(a, min_cpu, &out->sign_s[a], &out->verify_s[a], err));
	return TF_OK;
}

tf_err tf_bench_crypto_ceiling(const tf_bench_set *set, tf_bench_crypto *out, tf_error *err)
{
	tf_instance ref;
	tf_err rc = TF_OK;
	out->signs = out->verifies = 0;
	out->cost_s = out->rate = 0;
	TF_GUARD(tf_instance_parse(&ref, "ref", err));
	TF_GUARD(tf_instance_open(&ref, err));
	for (unsigned i = 0; i < set->n && rc == TF_OK; i++) {
		const tf_scenario *s = &set->s[i];
		unsigned alg = s->knobs.keys < 3 ? s->knobs.keys : 0;
		tf_verdict v;
		rc = tf_instance_eval(&ref, s, &v, err);
		/* Each certificate is signed once to exist; each one below the
		 * anchor (or the path's end) is verified once along the path. */
		unsigned verifies = v.path_len > 1 ? v.path_len - 1u : 0u;
		out->signs += s->ncerts;
		out->verifies += verifies;
		out->cost_s += s->ncerts * out->sign_s[alg] + verifies * out->verify_s[alg];
	}
	tf_instance_close(&ref);
	out->rate = out->cost_s > 0 ? set->n / out->cost_s : 0;
	return rc;
}
