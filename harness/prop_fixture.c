/* harness/prop_fixture.c — a property's counterexample becomes fixtures:
 * the (minimized) scenario with the verdict each of the property's
 * instances gave, and, for a property that compared it with a transformed
 * copy, the copy with its own verdicts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "prop_internal.h"
#include "trustfuzz/fixture.h"

static tf_err set_expects(tf_prop_env *env, tf_fixture *fx, tf_error *err)
{
	for (unsigned i = 0; i < env->n; i++) {
		tf_expect e;
		memset(&e, 0, sizeof e);
		TF_GUARD(tf_prop_eval(env, i, &fx->scenario, &e.v, err));
		e.has_win32 = e.has_identity = e.has_path = true;
		TF_GUARD(tf_fixture_set_expect(fx, env->inst[i].name, &e, err));
	}
	return TF_OK;
}

static void set_provenance(const tf_prop_failure *f, const tf_scenario *original, tf_fixture *fx)
{
	tf_provenance *p = &fx->prov;
	tf_error ignored = {0};
	snprintf(p->tool, sizeof p->tool, "trustfuzz %s", TF_VERSION_STRING);
	snprintf(p->origin, sizeof p->origin, "%s property %s",
		 f->minimized ? "minimized" : "example", f->prop->name);
	snprintf(p->profile, sizeof p->profile, "%s", tf_profile_str(f->profile));
	p->has_seed = true;
	p->seed = f->scenario_seed;
	if (tf_gen_encode(original, p->input, sizeof p->input, &p->input_len, &ignored) != TF_OK)
		p->input_len = 0;
}

/* Writes one fixture of scenario s to path. */
static tf_err write_one(tf_prop_env *env, const tf_prop_failure *f, const tf_scenario *s,
			const tf_scenario *original, bool twin, const char *why, const char *path,
			tf_error *err)
{
	tf_err rc = TF_OK;
	char tag[TF_FIXTURE_TAG_MAX];
	tf_fixture *fx = malloc(sizeof *fx);
	if (!fx)
		return tf_error_set(err, TF_ERR_NOMEM, "property: out of memory");
	tf_fixture_init(fx);
	snprintf(fx->id, sizeof fx->id, "prop-%s-%016llx-%llu%s", f->prop->name,
		 (unsigned long long)f->seed, (unsigned long long)f->trial, twin ? "-twin" : "");
	snprintf(fx->why, sizeof fx->why, "%s", why);
	snprintf(tag, sizeof tag, "prop:%s", f->prop->name);
	TF_GUARD_GOTO(tf_fixture_add_tag(fx, "property", err), rc, done);
	TF_GUARD_GOTO(tf_fixture_add_tag(fx, tag, err), rc, done);
	if (twin)
		TF_GUARD_GOTO(tf_fixture_add_tag(fx, "twin", err), rc, done);
	if (tf_scenario_copy(&fx->scenario, s) != TF_OK) {
		rc = tf_error_set(err, TF_ERR_NOMEM, "property: out of memory");
		goto done;
	}
	TF_GUARD_GOTO(set_expects(env, fx, err), rc, done);
	set_provenance(f, original, fx);
	rc = tf_fixture_write(path, fx, err);
done:
	tf_fixture_free(fx);
	free(fx);
	return rc;
}

/* Creates dir and its parents: on the first counterexample, so that a
 * passing run leaves nothing behind. */
static tf_err make_dirs(const char *dir, tf_error *err)
{
	char buf[4096];
	size_t n = strlen(dir);
	TF_ENSURE(n > 0 && n < sizeof buf, err, TF_ERR_IO, "%s: bad directory name", dir);
	memcpy(buf, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char c = buf[i];
		buf[i] = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return tf_error_set(err, TF_ERR_IO, "%s: cannot create directory: %s", buf,
					    strerror(errno));
		buf[i] = c;
	}
	return TF_OK;
}

tf_err tf_prop_write_fixtures(tf_prop_env *env, const char *dir, tf_prop_failure *f,
			      const tf_scenario *s, const tf_prop_detail *d,
			      const tf_scenario *original, tf_error *err)
{
	char why[TF_FIXTURE_WHY_MAX];
	TF_GUARD(make_dirs(dir, err));
	int w = snprintf(f->path, sizeof f->path, "%s/prop-%s-%016llx-%llu.json", dir,
			 f->prop->name, (unsigned long long)f->seed, (unsigned long long)f->trial);
	TF_ENSURE(w > 0 && (size_t)w < sizeof f->path, err, TF_ERR_IO, "%s: path too long", dir);
	snprintf(why, sizeof why, "property %s fails: %s", f->prop->name, d->what);
	TF_GUARD(write_one(env, f, s, original, false, why, f->path, err));
	if (!d->has_twin)
		return TF_OK;
	w = snprintf(f->twin_path, sizeof f->twin_path, "%s/prop-%s-%016llx-%llu-twin.json", dir,
		     f->prop->name, (unsigned long long)f->seed, (unsigned long long)f->trial);
	TF_ENSURE(w > 0 && (size_t)w < sizeof f->twin_path, err, TF_ERR_IO, "%s: path too long",
		  dir);
	snprintf(why, sizeof why, "property %s, transformed twin of %s (%s): %s", f->prop->name,
		 strrchr(f->path, '/') + 1, d->twin_how, d->what);
	return write_one(env, f, &d->twin, original, true, why, f->twin_path, err);
}
