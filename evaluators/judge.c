/*
 * evaluators/judge.c — the pipeline every pure evaluator shares: anchors by
 * trust mode, the issuer list sent, client selection, then path building.
 * An evaluator only says which lists it derived (tf_judge_lists).
 */
#include "paths.h"

static bool is_anchor(const tf_scenario *s, const tf_knobs *k, unsigned cert)
{
	return k->anchors == TF_ANCHORS_RFC5280 || tf_cert_self_signed(s, cert);
}

void tf_trust_anchors(const tf_scenario *s, const tf_knobs *k, const tf_issuer_list *trusted,
		      tf_trust *t)
{
	/* Mode 0 trusts Root whatever the source of the issuer list; modes 1
	 * and 2 trust the source store itself (spec s.4). */
	uint8_t mode = s->server.trust_mode;
	const tf_store *st = &s->stores[mode == 0 ? TF_STORE_ROOT : trusted->source];
	t->anchor_set = 0;
	t->anchors = 0;
	for (unsigned i = 0; i < st->n; i++) {
		unsigned c = st->cert[i];
		if (mode == 1 && !tf_cert_self_signed(s, c))
			continue;
		t->anchor_set |= 1u << c;
		if (is_anchor(s, k, c))
			t->anchors |= 1u << c;
	}
}

void tf_judge(const tf_scenario *s, const tf_knobs *k, const tf_judge_lists *lists,
	      tf_verdict *out)
{
	tf_issuer_list sent;
	const tf_issuer_list *offered = NULL;
	if (s->server.send_issuer_list) {
		sent = *lists->trusted;
		tf_issuer_list_truncate(s, &sent, s->server.issuer_list_limit);
		offered = &sent;
	}
	int id = tf_select_identity(s, offered);
	if (id < 0) {
		tf_verdict_set(out, TF_STATUS_403_7, TF_WIN32_OK, -1,
			       "no identity offered: none holds a certificate issued by a name of "
			       "%s (%u of %u entries sent)",
			       lists->what, offered ? offered->n : 0u, lists->trusted->n);
		return;
	}
	tf_trust t;
	tf_trust_anchors(s, k, lists->trusted, &t);
	t.required = lists->required;
	t.required_what = lists->what;
	tf_paths_judge(s, k, &t, (unsigned)id, out);
}

void tf_ref_judge(const tf_scenario *s, const tf_knobs *k, tf_verdict *out)
{
	tf_issuer_list trusted;
	tf_issuer_list_trusted(s, &trusted);
	/* The pass-through rule only bites in mode 0 with Client Authentication
	 * Issuers as the source: with Root as the source every anchor is a list
	 * entry, in mode 1 the anchors are list entries, mode 2 has no rule. */
	bool cai = trusted.source == TF_STORE_CAI;
	tf_judge_lists lists = {
		&trusted,
		s->server.trust_mode == 0 && cai ? &trusted : NULL,
		cai ? "the trusted issuer list (client_auth_issuers)" : "the trusted issuer list (root)",
	};
	tf_judge(s, k, &lists, out);
}
