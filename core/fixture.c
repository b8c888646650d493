/* core/fixture.c — a fixture's lifecycle, tags and expectations. */
#include <string.h>

#include "trustfuzz/fixture.h"

void tf_fixture_init(tf_fixture *f)
{
	memset(f, 0, sizeof *f);
	tf_scenario_init(&f->scenario);
}

void tf_fixture_free(tf_fixture *f)
{
	tf_scenario_free(&f->scenario);
	tf_fixture_init(f);
}

tf_err tf_fixture_set_expect(tf_fixture *f, const char *evaluator, const tf_expect *e,
			     tf_error *err)
{
	size_t n = strlen(evaluator);
	TF_ENSURE(n > 0 && n < TF_FIXTURE_EVAL_MAX, err, TF_ERR_LIMIT,
		  "expect: evaluator name of %zu bytes, expected 1..%d", n, TF_FIXTURE_EVAL_MAX - 1);
	for (unsigned i = 0; i < f->nexpect; i++) {
		if (!strcmp(f->expect[i].evaluator, evaluator)) {
			f->expect[i].e = *e;
			return TF_OK;
		}
	}
	TF_ENSURE(f->nexpect < TF_FIXTURE_MAX_EXPECT, err, TF_ERR_LIMIT,
		  "expect: more than %d evaluators", TF_FIXTURE_MAX_EXPECT);
	tf_fixture_expect *x = &f->expect[f->nexpect++];
	memcpy(x->evaluator, evaluator, n + 1);
	x->e = *e;
	return TF_OK;
}

tf_err tf_fixture_add_tag(tf_fixture *f, const char *tag, tf_error *err)
{
	size_t n = strlen(tag);
	TF_ENSURE(n > 0 && n < TF_FIXTURE_TAG_MAX, err, TF_ERR_LIMIT,
		  "tags: tag of %zu bytes, expected 1..%d", n, TF_FIXTURE_TAG_MAX - 1);
	for (unsigned i = 0; i < f->ntags; i++)
		if (!strcmp(f->tags[i], tag))
			return TF_OK;
	TF_ENSURE(f->ntags < TF_FIXTURE_MAX_TAGS, err, TF_ERR_LIMIT, "tags: more than %d tags",
		  TF_FIXTURE_MAX_TAGS);
	memcpy(f->tags[f->ntags++], tag, n + 1);
	return TF_OK;
}
