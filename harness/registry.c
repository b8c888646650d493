/*
 * harness/registry.c — the built-in evaluators and instance spec strings
 * "EVAL[+KNOB[=VALUE]]..." (registry.h).
 *
 * The list below is the only place that names evaluators: a backend is
 * added with one line (and its header).
 */
#include <stdio.h>
#include <string.h>

#include "trustfuzz/gnutls_backend.h"
#include "trustfuzz/models.h"
#include "trustfuzz/openssl_backend.h"
#include "trustfuzz/registry.h"

static const tf_evaluator *const builtin[] = {
	&tf_evaluator_ref,
	&tf_evaluator_kb,
	&tf_eval_openssl,
	&tf_eval_gnutls,
	NULL,
};

const tf_evaluator *const *tf_evaluators(void)
{
	return builtin;
}

const tf_evaluator *tf_evaluator_find(const char *name)
{
	for (const tf_evaluator *const *e = builtin; *e; e++)
		if (!strcmp((*e)->name, name))
			return *e;
	return NULL;
}

static bool knob_exists(const char *name)
{
	tf_knobs scratch = {0};
	const char *kn = NULL;
	char buf[40];
	bool is_default = false;
	for (size_t i = 0; tf_knob_get(&scratch, i, &kn, buf, sizeof buf, &is_default); i++)
		if (!strcmp(kn, name))
			return true;
	return false;
}

/* Full knob name for KNOB as written in a spec of evaluator ev: dotted names
 * as they are; otherwise the evaluator's own knob first, then a global. */
static tf_err resolve_knob(const tf_evaluator *ev, const char *spec, const char *knob,
			   char *full, size_t n, tf_error *err)
{
	if (!strchr(knob, '.') && ev->knob_prefix) {
		int w = snprintf(full, n, "%s%s", ev->knob_prefix, knob);
		if (w > 0 && (size_t)w < n && knob_exists(full))
			return TF_OK;
	}
	TF_ENSURE(strlen(knob) < n && knob_exists(knob), err, TF_ERR_USAGE,
		  "instance \"%s\": unknown knob \"%s\" for evaluator %s", spec, knob, ev->name);
	memcpy(full, knob, strlen(knob) + 1);
	return TF_OK;
}

/* Appends "+SHORT[=VALUE]" to the canonical name: the evaluator's prefix is
 * dropped from its own knobs and "=1" is implied. */
static tf_err append_canonical(tf_instance *inst, const char *spec, unsigned i, tf_error *err)
{
	const char *prefix = inst->ev->knob_prefix;
	const char *shortname = inst->knob[i];
	char part[sizeof inst->knob[0] + sizeof inst->value[0] + 2];
	if (prefix && !strncmp(shortname, prefix, strlen(prefix)))
		shortname += strlen(prefix);
	if (strcmp(inst->value[i], "1"))
		snprintf(part, sizeof part, "+%s=%s", shortname, inst->value[i]);
	else
		snprintf(part, sizeof part, "+%s", shortname);
	size_t used = strlen(inst->name);
	TF_ENSURE(used + strlen(part) < sizeof inst->name, err, TF_ERR_USAGE,
		  "instance \"%s\": name longer than %d bytes", spec, TF_INSTANCE_NAME_MAX - 1);
	memcpy(inst->name + used, part, strlen(part) + 1);
	return TF_OK;
}

/* One "+KNOB[=VALUE]" part (text of length len) of spec. */
static tf_err parse_override(tf_instance *inst, const char *spec, const char *part, size_t len,
			     tf_error *err)
{
	char knob[40], value[40];
	const char *eq = memchr(part, '=', len);
	size_t kn = eq ? (size_t)(eq - part) : len;
	size_t vn = eq ? len - kn - 1 : 1;
	TF_ENSURE(inst->noverrides < TF_INSTANCE_MAX_OVERRIDES, err, TF_ERR_USAGE,
		  "instance \"%s\": more than %d knob overrides", spec, TF_INSTANCE_MAX_OVERRIDES);
	TF_ENSURE(kn > 0 && (!eq || vn > 0), err, TF_ERR_USAGE,
		  "instance \"%s\": empty knob or value, expected EVAL[+KNOB[=VALUE]]...", spec);
	TF_ENSURE(kn < sizeof knob && vn < sizeof value, err, TF_ERR_USAGE,
		  "instance \"%s\": knob or value longer than %zu bytes", spec, sizeof knob - 1);
	memcpy(knob, part, kn);
	knob[kn] = '\0';
	if (eq) {
		memcpy(value, eq + 1, vn);
		value[vn] = '\0';
	} else {
		memcpy(value, "1", 2);
	}
	unsigned i = inst->noverrides;
	TF_GUARD(resolve_knob(inst->ev, spec, knob, inst->knob[i], sizeof inst->knob[i], err));
	memcpy(inst->value[i], value, strlen(value) + 1);
	/* Reject a bad value now rather than at the first evaluation. */
	tf_knobs scratch = {0};
	if (tf_knob_set(&scratch, inst->knob[i], inst->value[i], err) != TF_OK) {
		char msg[TF_ERROR_MSG_MAX];
		snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
		TF_BAIL(err, TF_ERR_USAGE, "instance \"%s\": %s", spec, msg);
	}
	inst->noverrides++;
	return append_canonical(inst, spec, i, err);
}

tf_err tf_instance_parse(tf_instance *inst, const char *spec, tf_error *err)
{
	memset(inst, 0, sizeof *inst);
	const char *plus = strchr(spec, '+');
	size_t n = plus ? (size_t)(plus - spec) : strlen(spec);
	char name[TF_INSTANCE_NAME_MAX];
	TF_ENSURE(n > 0 && n < sizeof name, err, TF_ERR_USAGE,
		  "instance \"%s\": expected EVAL[+KNOB[=VALUE]]...", spec);
	memcpy(name, spec, n);
	name[n] = '\0';
	inst->ev = tf_evaluator_find(name);
	if (!inst->ev) {
		char all[160] = "";
		for (const tf_evaluator *const *e = builtin; *e; e++) {
			size_t used = strlen(all);
			snprintf(all + used, sizeof all - used, "%s%s", e == builtin ? "" : ", ",
				 (*e)->name);
		}
		TF_BAIL(err, TF_ERR_USAGE, "instance \"%s\": unknown evaluator \"%s\" (built in: %s)",
			spec, name, all);
	}
	memcpy(inst->name, name, n + 1);
	while (plus) {
		const char *part = plus + 1;
		plus = strchr(part, '+');
		size_t len = plus ? (size_t)(plus - part) : strlen(part);
		TF_GUARD(parse_override(inst, spec, part, len, err));
	}
	return TF_OK;
}

tf_err tf_instances_parse(tf_instance *out, unsigned max, unsigned *n, const char *list,
			  tf_error *err)
{
	*n = 0;
	const char *p = list;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char spec[TF_INSTANCE_NAME_MAX];
		TF_ENSURE(len > 0, err, TF_ERR_USAGE,
			  "evaluator list \"%s\": empty entry, expected SPEC[,SPEC]... or all", list);
		TF_ENSURE(len < sizeof spec, err, TF_ERR_USAGE,
			  "evaluator list \"%s\": entry longer than %zu bytes", list, sizeof spec - 1);
		memcpy(spec, p, len);
		spec[len] = '\0';
		if (!strcmp(spec, "all")) {
			for (const tf_evaluator *const *e = builtin; *e; e++) {
				TF_ENSURE(*n < max, err, TF_ERR_LIMIT,
					  "evaluator list \"%s\": more than %u instances", list, max);
				TF_GUARD(tf_instance_parse(&out[(*n)++], (*e)->name, err));
			}
		} else {
			TF_ENSURE(*n < max, err, TF_ERR_LIMIT,
				  "evaluator list \"%s\": more than %u instances", list, max);
			TF_GUARD(tf_instance_parse(&out[(*n)++], spec, err));
		}
		if (!comma)
			return TF_OK;
		p = comma + 1;
	}
}

tf_err tf_instance_open(tf_instance *inst, tf_error *err)
{
	inst->state = NULL;
	if (inst->ev->init)
		return inst->ev->init(&inst->state, err);
	return TF_OK;
}

void tf_instance_close(tf_instance *inst)
{
	if (inst->ev && inst->ev->cleanup && inst->state)
		inst->ev->cleanup(inst->state);
	inst->state = NULL;
}

tf_err tf_instance_knobs(const tf_instance *inst, const tf_knobs *base, tf_knobs *out,
			 tf_error *err)
{
	*out = *base;
	for (unsigned i = 0; i < inst->noverrides; i++)
		TF_GUARD(tf_knob_set(out, inst->knob[i], inst->value[i], err));
	return TF_OK;
}

tf_err tf_instance_eval(tf_instance *inst, const tf_scenario *s, tf_verdict *out,
			tf_error *err)
{
	tf_knobs k;
	TF_GUARD(tf_instance_knobs(inst, &s->knobs, &k, err));
	return inst->ev->evaluate(inst->state, s, &k, out, err);
}
