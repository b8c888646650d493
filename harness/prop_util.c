/* harness/prop_util.c — helpers the property checks share (prop_internal.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "prop_internal.h"
#include "trustfuzz/evaluator.h"

tf_err tf_prop_eval(tf_prop_env *env, unsigned i, const tf_scenario *s, tf_verdict *v,
		    tf_error *err)
{
	tf_err rc = tf_instance_eval(&env->inst[i], s, v, err);
	if (rc != TF_OK)
		tf_error_prefix(err, env->inst[i].name);
	return rc;
}

char *tf_prop_say(const tf_scenario *s, const tf_verdict *v, bool full, char *buf, size_t n)
{
	const char *hr = tf_win32_str(v->win32);
	char path[TF_MAX_PATH * (TF_LABEL_MAX + 3) + 1];
	int w;
	if (v->win32 == TF_WIN32_OK)
		w = snprintf(buf, n, "%s", tf_status_str(v->status));
	else if (hr)
		w = snprintf(buf, n, "%s (%s)", tf_status_str(v->status), hr);
	else
		w = snprintf(buf, n, "%s (0x%08X)", tf_status_str(v->status), (unsigned)v->win32);
	if (full && w > 0 && (size_t)w < n)
		snprintf(buf + w, n - (size_t)w, " identity %d path %s", v->identity,
			 v->path_len ? tf_path_format(s, v->path, v->path_len, path, sizeof path)
				     : "-");
	return buf;
}

bool tf_prop_search_bound(const tf_verdict *v)
{
	static const char tail[] = "(search bound reached)";
	size_t n = strnlen(v->reason, sizeof v->reason), t = sizeof tail - 1;
	return n >= t && memcmp(v->reason + n - t, tail, t) == 0;
}

uint64_t tf_prop_next(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

unsigned tf_prop_below(uint64_t *state, unsigned n)
{
	return (unsigned)(tf_prop_next(state) % n);
}

tf_err tf_prop_set_twin(tf_prop_detail *d, const tf_scenario *t, tf_error *err, const char *fmt,
			...)
{
	va_list ap;
	tf_scenario_free(&d->twin);
	if (tf_scenario_copy(&d->twin, t) != TF_OK)
		return tf_error_set(err, TF_ERR_NOMEM, "property: out of memory");
	d->has_twin = true;
	va_start(ap, fmt);
	vsnprintf(d->twin_how, sizeof d->twin_how, fmt, ap);
	va_end(ap);
	return TF_OK;
}

void tf_prop_digest(tf_prop_env *env, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = env->digest;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= UINT64_C(0x100000001b3);
	}
	env->digest = h;
}
