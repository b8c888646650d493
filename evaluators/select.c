/*
 * evaluators/select.c — the trusted issuer list, its truncation, and the
 * browser-like client selection (evaluator.h). Every evaluator, the OpenSSL
 * backend included, goes through these so that they differ only in trust
 * decisions, never in what the client presents.
 */
#include "trustfuzz/evaluator.h"

void tf_issuer_list_trusted(const tf_scenario *s, tf_issuer_list *out)
{
	/* Windows Server 2012: the Client Authentication Issuers store wins as
	 * soon as it holds anything (spec s.1); duplicates are kept because a
	 * store may really hold one certificate twice and both are sent. */
	tf_store_id src = s->stores[TF_STORE_CAI].n ? TF_STORE_CAI : TF_STORE_ROOT;
	const tf_store *st = &s->stores[src];
	uint32_t bytes = 0;
	out->source = src;
	out->n = st->n;
	out->ntotal = st->n;
	for (unsigned i = 0; i < st->n; i++) {
		out->cert[i] = st->cert[i];
		bytes += (uint32_t)tf_issuer_entry_size(s, st->cert[i]);
	}
	out->bytes = bytes;
}

size_t tf_issuer_entry_size(const tf_scenario *s, unsigned cert)
{
	/* TLS CertificateRequest: DistinguishedName certificate_authorities<3..2^16-1>,
	 * each entry opaque<1..2^16-1>: a 2-byte length, then the DER. */
	return 2 + tf_name_der_len(s, s->certs[cert].subject);
}

void tf_issuer_list_truncate(const tf_scenario *s, tf_issuer_list *l, uint32_t limit)
{
	uint32_t bytes = 0;
	unsigned keep = 0;
	while (keep < l->n) {
		uint32_t next = bytes + (uint32_t)tf_issuer_entry_size(s, l->cert[keep]);
		if (next > limit)
			break;
		bytes = next;
		keep++;
	}
	l->n = (uint8_t)keep;
	l->bytes = bytes;
}

bool tf_issuer_list_has_name(const tf_scenario *s, const tf_issuer_list *l, unsigned name)
{
	for (unsigned i = 0; i < l->n; i++)
		if (s->certs[l->cert[i]].subject == name)
			return true;
	return false;
}

/* Whether identity id holds a certificate issued by a name of the list. */
static bool identity_matches(const tf_scenario *s, const tf_identity *id, const tf_issuer_list *l)
{
	if (tf_issuer_list_has_name(s, l, s->certs[id->leaf].issuer))
		return true;
	for (unsigned j = 0; j < id->nchain; j++)
		if (tf_issuer_list_has_name(s, l, s->certs[id->chain[j]].issuer))
			return true;
	return false;
}

int tf_select_identity(const tf_scenario *s, const tf_issuer_list *sent)
{
	if (s->nidentities == 0)
		return -1;
	/* An empty certificate_authorities means "any" to browsers (RFC 5246
	 * s.7.4.4 and RFC 8446 s.4.2.4 leave it to the client; all of them
	 * offer their first certificate). */
	if (!sent || sent->n == 0)
		return 0;
	for (unsigned i = 0; i < s->nidentities; i++)
		if (identity_matches(s, &s->identities[i], sent))
			return (int)i;
	return -1;
}
