/* generators/labels.c — name labels and certificate ids: canonical, custom, repaired. */
#include <string.h>

#include "visit.h"

/* "<prefix><i>" or, for k > 0, "<prefix><i>-<k>"; without snprintf, which
 * would dominate generation time. */
static void canonical(char *buf, char prefix, unsigned i, unsigned k)
{
	char tmp[24];
	size_t n = 0, at = 0;
	buf[at++] = prefix;
	if (k == 0 && i < 100) { /* every table index: the common case */
		if (i >= 10)
			buf[at++] = (char)('0' + i / 10);
		buf[at++] = (char)('0' + i % 10);
		buf[at] = '\0';
		return;
	}
	do
		tmp[n++] = (char)('0' + i % 10);
	while ((i /= 10) != 0);
	while (n)
		buf[at++] = tmp[--n];
	if (k) {
		buf[at++] = '-';
		do
			tmp[n++] = (char)('0' + k % 10);
		while ((k /= 10) != 0);
		while (n)
			buf[at++] = tmp[--n];
	}
	buf[at] = '\0';
}

static char cert_prefix(const tf_scenario *d, unsigned i)
{
	if (tf_cert_self_issued(d, i))
		return 'R';
	return d->certs[i].bc == TF_BC_CA_TRUE ? 'I' : 'L';
}

/* A custom label: a length, then one printable character per byte. */
static void visit_custom(gen_io *io, char *label, unsigned minlen, const char *want)
{
	unsigned wlen = want ? (unsigned)strlen(want) : minlen;
	unsigned len = minlen + gen_pick(io, GK_LABEL_LEN, TF_LABEL_MAX - minlen,
					 GEN_WANT(io, wlen - minlen));
	for (unsigned k = 0; k < len; k++)
		label[k] = (char)(32 + gen_pick(io, GK_LABEL_CHAR, 95,
						GEN_WANT(io, (unsigned char)want[k] - 32)));
	label[len] = '\0';
}

static bool name_taken(const tf_scenario *d, unsigned upto, const char *label)
{
	for (unsigned j = 0; j < upto; j++)
		if (!strcmp(d->names[j].label, label))
			return true;
	return false;
}

static bool id_taken(const tf_scenario *d, unsigned upto, const char *id)
{
	for (unsigned j = 0; j < upto; j++)
		if (!strcmp(d->certs[j].id, id))
			return true;
	return false;
}

/* Labels must be unique; only inputs no encoder wrote can repeat one. The
 * repair takes the first free "<P><i>-1", "<P><i>-2", ...: with at most 23
 * earlier labels one of the first 24 candidates is free. */
static void visit_names(gen_io *io, tf_scenario *d, const tf_scenario *s)
{
	bool custom_seen = false;
	for (unsigned i = 0; i < d->nnames; i++) {
		char *label = d->names[i].label;
		const char *want = io->mode == GEN_ENCODE ? s->names[i].label : NULL;
		canonical(label, 'N', i, 0);
		if (gen_pick(io, GK_NAME_LABEL, 2, want ? strcmp(want, label) != 0 : 0)) {
			visit_custom(io, label, 0, want);
			custom_seen = true;
		}
		for (unsigned k = 0; custom_seen && name_taken(d, i, label); k++)
			canonical(label, 'N', i, k + 1);
	}
}

static void visit_ids(gen_io *io, tf_scenario *d, const tf_scenario *s)
{
	bool custom_seen = false;
	for (unsigned i = 0; i < d->ncerts; i++) {
		char *id = d->certs[i].id;
		const char *want = io->mode == GEN_ENCODE ? s->certs[i].id : NULL;
		char prefix = cert_prefix(d, i);
		canonical(id, prefix, i, 0);
		if (gen_pick(io, GK_CERT_LABEL, 2, want ? strcmp(want, id) != 0 : 0)) {
			visit_custom(io, id, 1, want);
			custom_seen = true;
		}
		for (unsigned k = 0; custom_seen && id_taken(d, i, id); k++)
			canonical(id, prefix, i, k + 1);
	}
}

void gen_visit_labels(gen_io *io, tf_scenario *d, const tf_scenario *s)
{
	visit_names(io, d, s);
	visit_ids(io, d, s);
}
