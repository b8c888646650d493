/* harness/finding.c — a divergence becomes a fixture (finding.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trustfuzz/finding.h"
#include "trustfuzz/gen.h"

/* Phrases for the why, by feature bit (the issuer list is said either way). */
static const char *const phrases[TF_FEAT_COUNT] = {
	"trigger (non-self-issued certificate among the trusted issuers)",
	NULL,
	"trust mode 1",
	"trust mode 2",
	"non-self-signed anchor on a path",
	"name collision",
	"cross-signed CA",
	"expired or not-yet-valid certificate on a path",
	"Client Authentication Issuers store in use",
	"issuer list over its size limit",
	"several client identities",
	"corrupt signature",
	"strict-profile issue",
	"key or extended key usage restricts client authentication",
	"mismatching key identifier",
	"validity bound exactly at the validation time",
	"anchor that is no CA by its own extensions",
	"re-issued copy of a certificate on a path",
	"self-issued CA below a pathLenConstraint",
	"same-subject same-key twin of a path certificate in a trust store",
};

static void say(const tf_verdict *v, char *buf, size_t n)
{
	const char *hr = tf_win32_str(v->win32);
	if (v->win32 == TF_WIN32_OK)
		snprintf(buf, n, "%s", tf_status_str(v->status));
	else if (hr)
		snprintf(buf, n, "%s (%s)", tf_status_str(v->status), hr);
	else
		snprintf(buf, n, "%s (0x%08X)", tf_status_str(v->status), (unsigned)v->win32);
}

char *tf_finding_why(const tf_instance *inst, const tf_signature *sig, const tf_verdict *va,
		     const tf_verdict *vb, const tf_known_entry *known, char *buf, size_t bufsz)
{
	char a[80], b[80];
	size_t used = 0;
	say(va, a, sizeof a);
	say(vb, b, sizeof b);
	int w = snprintf(buf, bufsz, "%s says %s, %s says %s:", inst[sig->a].name, a,
			 inst[sig->b].name, b);
	used = w > 0 ? (size_t)w : 0;
	bool first = true;
	for (unsigned i = 0; i < TF_FEAT_COUNT && used < bufsz; i++) {
		const char *p = i == 1 ? (sig->features & TF_FEAT_ISSUER_LIST ? "issuer list on"
										: "issuer list off")
				       : (sig->features & (1u << i) ? phrases[i] : NULL);
		if (!p)
			continue;
		w = snprintf(buf + used, bufsz - used, "%s %s", first ? "" : ",", p);
		first = false;
		if (w > 0)
			used += (size_t)w;
	}
	if (used < bufsz)
		snprintf(buf + used, bufsz - used, "; %s%s", known ? "known: " : "new",
			 known ? known->id : "");
	return buf;
}

static tf_err set_expects(tf_instance *inst, const tf_run *run, tf_fixture *f, tf_error *err)
{
	for (unsigned i = 0; i < run->n; i++) {
		tf_expect e;
		if (run->rc[i] != TF_OK)
			continue;
		memset(&e, 0, sizeof e);
		e.v = run->v[i];
		e.has_win32 = e.has_identity = e.has_path = true;
		TF_GUARD(tf_fixture_set_expect(f, inst[i].name, &e, err));
	}
	return TF_OK;
}

static tf_err set_tags(const tf_signature *sig, const tf_known_entry *known, tf_fixture *f,
		       tf_error *err)
{
	char tag[TF_FIXTURE_TAG_MAX];
	for (unsigned i = 0; i < TF_FEAT_COUNT; i++)
		if (sig->features & (1u << i))
			TF_GUARD(tf_fixture_add_tag(f, tf_feature_name(i), err));
	if (known)
		snprintf(tag, sizeof tag, "known:%s", known->id);
	else
		snprintf(tag, sizeof tag, "new");
	return tf_fixture_add_tag(f, tag, err);
}

static void set_provenance(const tf_scenario *original, const tf_finding_opts *o, tf_fixture *f)
{
	tf_provenance *p = &f->prov;
	tf_error eerr = {0};
	snprintf(p->tool, sizeof p->tool, "trustfuzz %s", TF_VERSION_STRING);
	snprintf(p->origin, sizeof p->origin, "%s",
		 o->origin ? o->origin : o->no_minimize ? "example" : "minimized");
	snprintf(p->profile, sizeof p->profile, "%s", o->profile ? o->profile : "");
	p->has_seed = o->has_seed;
	p->seed = o->seed;
	/* A scenario with bound real DER has no byte form: no input then. */
	if (tf_gen_encode(original, p->input, sizeof p->input, &p->input_len, &eerr) != TF_OK)
		p->input_len = 0;
}

/* Finds sig's pair in a run, as a signature of this run. */
static bool same_signature(const tf_instance *inst, const tf_run *run, const tf_scenario *s,
			   const tf_signature *want, tf_depth d, const tf_known_table *known,
			   tf_signature *got)
{
	if (want->a >= run->n || want->b >= run->n || run->rc[want->a] != TF_OK ||
	    run->rc[want->b] != TF_OK)
		return false;
	if (!tf_diff_pair_signature(inst, want->a, want->b, &run->v[want->a], &run->v[want->b], s,
				    d, got))
		return false;
	(void)tf_known_coarsen(known, inst, got);
	return strcmp(got->text, want->text) == 0;
}

tf_err tf_finding_fixture(tf_instance *inst, unsigned n, const tf_scenario *s,
			  const tf_signature *given, const tf_finding_opts *opts, tf_fixture *out,
			  tf_finding_info *info, tf_error *err)
{
	/* Coarsening is idempotent, so a caller may pass either form. */
	tf_signature want = *given;
	const tf_signature *sig = &want;
	tf_finding_opts dflt = {0};
	tf_finding_info local;
	tf_run *run = NULL;
	tf_signature got;
	tf_err rc = TF_OK;
	const tf_finding_opts *o = opts ? opts : &dflt;

	(void)tf_known_coarsen(o->known, inst, &want);

	if (!info)
		info = &local;
	memset(info, 0, sizeof *info);
	tf_fixture_init(out);
	run = malloc(sizeof *run);
	if (!run)
		return tf_error_set(err, TF_ERR_NOMEM, "finding: out of memory");

	if (o->no_minimize) {
		TF_GUARD_GOTO(tf_scenario_copy(&out->scenario, s) == TF_OK
				      ? TF_OK
				      : tf_error_set(err, TF_ERR_NOMEM, "finding: out of memory"),
			      rc, fail);
	} else {
		tf_min_sig_ctx ctx = {inst, n, o->depth, sig, o->known};
		TF_GUARD_GOTO(tf_minimize(s, tf_min_keep_signature, &ctx, &o->min, &out->scenario,
					  &info->stats, err),
			      rc, fail);
	}
	tf_diff_run(inst, n, &out->scenario, run);
	if (!same_signature(inst, run, &out->scenario, sig, o->depth, o->known, &got)) {
		rc = tf_error_set(err, o->no_minimize ? TF_ERR_INVALID : TF_ERR_INTERNAL,
				  "finding: the %s scenario does not show %s",
				  o->no_minimize ? "given" : "minimized", sig->text);
		goto fail;
	}
	info->known = tf_known_match(o->known, inst, &got);
	snprintf(out->id, sizeof out->id, "div-%s", got.id);
	tf_finding_why(inst, &got, &run->v[got.a], &run->v[got.b], info->known, out->why,
		       sizeof out->why);
	TF_GUARD_GOTO(set_tags(&got, info->known, out, err), rc, fail);
	TF_GUARD_GOTO(set_expects(inst, run, out, err), rc, fail);
	set_provenance(s, o, out);
	free(run);
	return TF_OK;
fail:
	free(run);
	tf_fixture_free(out);
	return rc;
}
