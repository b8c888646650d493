/*
 * cli/cmd_show.c — `trustfuzz show`: a fixture as a readable tree.
 *
 * Meant for a person at a terminal: certificates with their subject <-
 * issuer, key, extensions and validity in short forms; marks on what the KB
 * 2802568 investigation cares about ("!!" a non-self-issued or
 * non-self-signed certificate in Root, "!" an expired or not-yet-valid
 * certificate); stores, server settings, identities, non-default knobs and
 * the expectations. The layout is for reading, not parsing (use the JSON).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trustfuzz/fixture.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: trustfuzz show FILE...\n"
		     "\n"
		     "Print each fixture's scenario as a tree: names, certificates (id, subject <-\n"
		     "issuer, key, BC/KU/EKU, validity), stores, server settings, identities,\n"
		     "non-default knobs and expected verdicts.\n"
		     "\n"
		     "Marks: !! a certificate in Root that is not self-issued (the KB 2802568\n"
		     "trigger) or self-issued but not self-signed; ! expired or not yet valid at\n"
		     "the validation time.\n"
		     "Short forms: BC ca|ca:false [pathlen:N] [noncritical]; KU and EKU list\n"
		     "their bits, (crit) when the extension is critical.\n"
		     "\n"
		     "  -h, --help   this help\n"
		     "\n"
		     "exit codes: 0 ok, 2 a file could not be read (one line naming the file and\n"
		     "field), 3 internal error\n");
}

static const char *const ku_short[] = {"digitalSignature", "nonRepudiation", "keyEncipherment",
				       "dataEncipherment", "keyAgreement",   "keyCertSign",
				       "cRLSign"};
static const char *const eku_short[] = {"clientAuth", "serverAuth", "anyEKU", "codeSigning"};

static void print_bits(const char *const *names, size_t n, unsigned bits)
{
	const char *sep = "";
	for (size_t i = 0; i < n; i++) {
		if (bits & (1u << i)) {
			printf("%s%s", sep, names[i]);
			sep = ",";
		}
	}
}

static bool in_root(const tf_scenario *s, unsigned i)
{
	return tf_store_has(&s->stores[TF_STORE_ROOT], i);
}

/* The class at the validation time; the bounds too unless they are one of
 * the fixture presets (whose class they always match). */
static void print_validity(const tf_cert *c, tf_time_class tc)
{
	static const char *const cls[] = {"valid", "EXPIRED", "NOT-YET-VALID"};
	bool preset = (c->not_before == TF_VALID_NOT_BEFORE && c->not_after == TF_VALID_NOT_AFTER) ||
		      (c->not_before == TF_EXPIRED_NOT_BEFORE &&
		       c->not_after == TF_EXPIRED_NOT_AFTER) ||
		      (c->not_before == TF_NYV_NOT_BEFORE && c->not_after == TF_NYV_NOT_AFTER);
	printf("  %s", cls[tc]);
	if (!preset)
		printf(" [%+" PRId64 "s..%+" PRId64 "s]", c->not_before, c->not_after);
}

static void print_cert(const tf_scenario *s, unsigned i)
{
	const tf_cert *c = &s->certs[i];
	tf_time_class tc = tf_cert_time_class(s, i);
	bool issued = tf_cert_self_issued(s, i), sig = tf_cert_self_signed(s, i);

	printf("    %s  \"%s\" <- \"%s\"  key %u", c->id, s->names[c->subject].label,
	       s->names[c->issuer].label, c->key);
	if (c->signing_key != c->key)
		printf(" signed by key %u", c->signing_key);
	if (sig)
		printf("  self-signed");
	else if (issued)
		printf("  self-issued");
	if (c->bc == TF_BC_ABSENT)
		printf("  BC -");
	else
		printf("  BC %s", c->bc == TF_BC_CA_TRUE ? "ca" : "ca:false");
	if (c->pathlen >= 0)
		printf(" pathlen:%d", c->pathlen);
	if (c->bc != TF_BC_ABSENT && !c->bc_critical)
		printf(" noncritical");
	printf("  KU ");
	if (c->ku_present) {
		print_bits(ku_short, 7, c->ku);
		printf("%s", c->ku_critical ? " (crit)" : "");
	} else {
		printf("-");
	}
	printf("  EKU ");
	if (c->eku_present) {
		print_bits(eku_short, 4, c->eku);
		printf("%s", c->eku_critical ? " (crit)" : "");
	} else {
		printf("-");
	}
	print_validity(c, tc);
	if (c->version != 3)
		printf("  v%u", c->version);
	if (c->serial != (int64_t)i + 1 || c->serial_long)
		printf("  serial %" PRId64 "%s", c->serial, c->serial_long ? " (21 octets)" : "");
	if (c->ski != TF_KID_MATCH)
		printf("  SKI %s", c->ski == TF_KID_ABSENT ? "absent" : "mismatch");
	if (c->aki != TF_KID_MATCH)
		printf("  AKI %s", c->aki == TF_KID_ABSENT ? "absent" : "mismatch");
	if (c->unknown_critical)
		printf("  unknown-critical-ext");
	if (c->corrupt_sig)
		printf("  CORRUPT-SIGNATURE");
	printf("\n");
	if (in_root(s, i) && !issued)
		printf("        !! not self-issued, in Root: the KB 2802568 trigger\n");
	else if (in_root(s, i) && !sig)
		printf("        !! self-issued but not self-signed, in Root: the trigger under "
		       "kb.trigger=signature\n");
	if (tc == TF_TIME_EXPIRED)
		printf("        ! expired at the validation time\n");
	else if (tc == TF_TIME_NOT_YET_VALID)
		printf("        ! not yet valid at the validation time\n");
}

static void print_scenario(const tf_scenario *s)
{
	char when[32];
	printf("  names:");
	for (unsigned i = 0; i < s->nnames; i++)
		printf("%s\"%s\"", i ? ", " : " ", s->names[i].label);
	printf("\n  keys:");
	for (unsigned i = 0; i < s->nkeys; i++) {
		if (s->keys[i].spki) /* imported: a real public key, no pool slot */
			printf("%s%u=spki (%zu bytes)", i ? ", " : " ", i, s->keys[i].spki_len);
		else
			printf("%s%u=pool %u", i ? ", " : " ", i, s->keys[i].pool);
	}
	printf("\n  certificates:\n");
	for (unsigned i = 0; i < s->ncerts; i++)
		print_cert(s, i);
	printf("  stores:\n");
	for (unsigned id = 0; id < TF_STORE_COUNT; id++) {
		const tf_store *st = &s->stores[id];
		printf("    %s:", tf_store_name((tf_store_id)id));
		if (!st->n)
			printf(" (empty)");
		for (unsigned j = 0; j < st->n; j++) {
			unsigned c = st->cert[j];
			bool mark = id == TF_STORE_ROOT && !tf_cert_self_signed(s, c);
			printf("%s%s%s", j ? ", " : " ", s->certs[c].id, mark ? " !!" : "");
		}
		printf("\n");
	}
	static const char *const modes[] = {"machine trust", "exclusive root trust",
					    "exclusive CA trust"};
	printf("  server: SendTrustedIssuerList=%d, ClientAuthTrustMode=%u (%s)\n",
	       s->server.send_issuer_list, s->server.trust_mode,
	       s->server.trust_mode < 3 ? modes[s->server.trust_mode] : "?");
	printf("          validation time %s, issuer list limit %" PRIu32 " bytes\n",
	       tf_time_format(s->server.validation_time, when, sizeof when) ? when : "(out of range)",
	       s->server.issuer_list_limit);
	printf("  identities:\n");
	for (unsigned i = 0; i < s->nidentities; i++) {
		const tf_identity *id = &s->identities[i];
		printf("    %u: leaf %s", i, s->certs[id->leaf].id);
		if (id->nchain) {
			printf(", sends");
			for (unsigned j = 0; j < id->nchain; j++)
				printf(" %s", s->certs[id->chain[j]].id);
		}
		printf("\n");
	}
	const char *name = NULL;
	char value[32];
	bool dflt = true, any = false;
	printf("  knobs:");
	for (size_t i = 0; tf_knob_get(&s->knobs, i, &name, value, sizeof value, &dflt); i++) {
		if (dflt)
			continue;
		printf("%s%s=%s", any ? ", " : " ", name, value);
		any = true;
	}
	printf("%s\n", any ? "" : " all default");
}

static void print_fixture(const char *path, const tf_fixture *f)
{
	char buf[200];
	printf("%s  (%s)\n", f->id, path);
	if (f->why[0])
		printf("  why: %s\n", f->why);
	if (f->ntags) {
		printf("  tags:");
		for (unsigned i = 0; i < f->ntags; i++)
			printf(" %s", f->tags[i]);
		printf("\n");
	}
	print_scenario(&f->scenario);
	printf("  expect:%s\n", f->nexpect ? "" : " none");
	for (unsigned i = 0; i < f->nexpect; i++) {
		const tf_expect *e = &f->expect[i].e;
		printf("    %s: %s", f->expect[i].evaluator, tf_status_str(e->v.status));
		if (e->has_win32)
			printf(", win32 %s", tf_win32_format(e->v.win32, buf, sizeof buf));
		if (e->has_identity)
			printf(", identity %d", e->v.identity);
		if (e->has_path)
			printf(", path %s",
			       tf_path_format(&f->scenario, e->v.path, e->v.path_len, buf, sizeof buf));
		printf("\n");
	}
	const tf_provenance *p = &f->prov;
	if (p->origin[0] || p->tool[0] || p->has_seed || p->input_len) {
		printf("  provenance:");
		if (p->origin[0])
			printf(" %s", p->origin);
		if (p->profile[0])
			printf(", profile %s", p->profile);
		if (p->has_seed)
			printf(", seed %" PRIu64, p->seed);
		if (p->input_len)
			printf(", %zu input bytes", p->input_len);
		if (p->tool[0])
			printf(" (%s)", p->tool);
		printf("\n");
	}
}

int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, rc = TF_EXIT_OK;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return TF_EXIT_OK;
		}
		if (c == '?' && optopt)
			return cli_usage_error("show", "unknown option '-%c'", optopt);
		return cli_usage_error("show", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind >= argc)
		return cli_usage_error("show", "no fixture file given");
	tf_fixture *f = malloc(sizeof *f);
	if (!f) {
		fprintf(stderr, "trustfuzz show: out of memory\n");
		return TF_EXIT_INTERNAL;
	}
	for (int i = optind; i < argc; i++) {
		tf_error err = {0};
		tf_fixture_init(f);
		if (tf_fixture_read(argv[i], f, &err) != TF_OK) {
			int e = cli_report(&err);
			rc = e > rc ? e : rc;
			continue;
		}
		if (i > optind)
			printf("\n");
		print_fixture(argv[i], f);
		tf_fixture_free(f);
	}
	free(f);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "trustfuzz: <stdout>: write failed\n");
		return TF_EXIT_INTERNAL;
	}
	return rc;
}
