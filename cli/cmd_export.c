/*
 * cli/cmd_export.c — `trustfuzz export`: a fixture as real files, so that a
 * researcher can replay it outside trustfuzz: with the openssl command
 * (verify.sh reproduces the OpenSSL backend's verify-mode verdict) and on a
 * Windows server (reproduce.ps1 fills the machine stores and sets Schannel).
 * The certificates are the very DER the backend judged (same renderer,
 * same key pool); every file is written atomically.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "export.h"
#include "trustfuzz/fixture.h"
#include "trustfuzz/registry.h"

#define EXPORT_MAX_KNOBS 32

static void usage(FILE *out)
{
	fprintf(out,
		"usage: trustfuzz export FILE --out DIR [--evaluator SPEC] [--knob NAME=VALUE]...\n"
		"                        [--print-verdict]\n\n"
		"Writes the fixture's certificates and keys as files, with two scripts:\n"
		"  certs/<id>.pem, certs/<id>.cer   every certificate (PEM, DER)\n"
		"  root.pem intermediate.pem client-auth-issuers.pem   the server stores\n"
		"  anchors.pem untrusted.pem leaf.pem   what the OpenSSL backend verifies\n"
		"  identity-<k>-chain.pem identity-<k>-key.pem   each client identity\n"
		"  server.pem server-key.pem   a server certificate for the TLS site\n"
		"  verify.sh      the `openssl verify` command giving the backend's verdict\n"
		"  reproduce.ps1  fills the Windows stores, sets SendTrustedIssuerList and\n"
		"                 ClientAuthTrustMode, and prints how to bind the IIS site\n\n"
		"  -o, --out DIR          output directory (created)\n"
		"  -e, --evaluator SPEC   an openssl instance whose knobs apply, e.g.\n"
		"                         openssl+partial_chain (default: openssl)\n"
		"  -k, --knob NAME=VALUE  set a scenario knob first (repeatable); keys=rsa2048\n"
		"                         gives certificates Windows accepts (it has no Ed25519)\n"
		"  -p, --print-verdict    print the backend's verify-mode verdict on stdout:\n"
		"                         x509=N status=S win32=0x... identity=K\n"
		"  -h, --help             this text\n\n"
		"exit: 0 written, 2 usage or bad fixture, 3 internal or backend failure\n");
}

/* Certificate ids become file names and script words: keep them plain. */
static bool plain_id(const char *id)
{
	if (id[0] == '.' || id[0] == '-')
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '-' || *p == '+'))
			return false;
	return true;
}

static tf_err write_text(const char *dir, const char *name, const char *text, size_t len,
			 tf_error *err)
{
	char path[4096];
	int n = snprintf(path, sizeof path, "%s/%s", dir, name);
	TF_ENSURE(n > 0 && (size_t)n < sizeof path, err, TF_ERR_IO, "%s/%s: path too long", dir,
		  name);
	return tf_write_file_atomic(path, text ? text : "", len, err);
}

/* A PEM bundle of certificate indexes, written as `name`. */
static tf_err write_bundle(const char *dir, const char *name, const tf_rendered *rd,
			   const uint8_t *certs, unsigned n, tf_error *err)
{
	char *text = NULL;
	size_t len = 0;
	tf_err rc = TF_OK;
	for (unsigned i = 0; i < n && rc == TF_OK; i++)
		rc = tf_render_pem_append(&text, &len, "CERTIFICATE", &rd->cert[certs[i]], err);
	if (rc == TF_OK)
		rc = write_text(dir, name, text, len, err);
	free(text);
	return rc;
}

static tf_err write_key(const char *dir, const char *name, tf_render *r, unsigned keys,
			unsigned slot, tf_error *err)
{
	tf_der key = {0};
	char *text = NULL;
	size_t len = 0;
	TF_GUARD(tf_render_key_private(r, keys, slot, &key, err));
	tf_err rc = tf_render_pem_append(&text, &len, "PRIVATE KEY", &key, err);
	if (rc == TF_OK)
		rc = write_text(dir, name, text, len, err);
	free(text);
	tf_der_free(&key);
	return rc;
}

static tf_err write_certs(const export_job *j, tf_error *err)
{
	const tf_scenario *s = j->s;
	char sub[4096], name[TF_LABEL_MAX + 8];
	snprintf(sub, sizeof sub, "%s/certs", j->dir);
	TF_GUARD(cli_mkdirs(sub, err));
	for (unsigned i = 0; i < s->ncerts; i++) {
		const tf_der *d = &j->rd->cert[i];
		snprintf(name, sizeof name, "%s.cer", s->certs[i].id);
		TF_GUARD(write_text(sub, name, (const char *)d->data, d->len, err));
		snprintf(name, sizeof name, "%s.pem", s->certs[i].id);
		uint8_t one = (uint8_t)i;
		TF_GUARD(write_bundle(sub, name, j->rd, &one, 1, err));
	}
	static const char *const files[TF_STORE_COUNT] = {"root.pem", "intermediate.pem",
							  "client-auth-issuers.pem"};
	for (unsigned st = 0; st < TF_STORE_COUNT; st++)
		TF_GUARD(write_bundle(j->dir, files[st], j->rd, s->stores[st].cert, s->stores[st].n,
				      err));
	const tf_openssl_inputs *in = &j->in;
	TF_GUARD(write_bundle(j->dir, "anchors.pem", j->rd, in->anchors, in->nanchors, err));
	TF_GUARD(write_bundle(j->dir, "untrusted.pem", j->rd, in->untrusted, in->nuntrusted, err));
	if (in->identity >= 0) {
		uint8_t leaf = s->identities[in->identity].leaf;
		TF_GUARD(write_bundle(j->dir, "leaf.pem", j->rd, &leaf, 1, err));
	}
	return TF_OK;
}

static tf_err write_identities(const export_job *j, tf_error *err)
{
	const tf_scenario *s = j->s;
	char name[64];
	for (unsigned k = 0; k < s->nidentities; k++) {
		const tf_identity *id = &s->identities[k];
		uint8_t chain[1 + TF_MAX_CHAIN];
		chain[0] = id->leaf;
		memcpy(chain + 1, id->chain, id->nchain);
		snprintf(name, sizeof name, "identity-%u-chain.pem", k);
		TF_GUARD(write_bundle(j->dir, name, j->rd, chain, 1u + id->nchain, err));
		const tf_key *key = &s->keys[s->certs[id->leaf].key];
		if (key->spki)
			continue; /* a bound public key: there is no private half to export */
		snprintf(name, sizeof name, "identity-%u-key.pem", k);
		TF_GUARD(write_key(j->dir, name, j->render, j->keys, key->pool, err));
	}
	tf_der server = {0};
	char *text = NULL;
	size_t len = 0;
	TF_GUARD(tf_render_server_cert(j->render, j->keys, s->server.validation_time, &server, err));
	tf_err rc = tf_render_pem_append(&text, &len, "CERTIFICATE", &server, err);
	if (rc == TF_OK)
		rc = write_text(j->dir, "server.pem", text, len, err);
	free(text);
	tf_der_free(&server);
	TF_GUARD(rc);
	return write_key(j->dir, "server-key.pem", j->render, j->keys, TF_RENDER_SERVER_KEY, err);
}

static tf_err write_scripts(const export_job *j, tf_error *err)
{
	char *text = NULL;
	size_t len = 0;
	char path[4096];
	tf_err rc = export_verify_sh(j, &text, &len, err);
	if (rc == TF_OK)
		rc = write_text(j->dir, "verify.sh", text, len, err);
	free(text);
	TF_GUARD(rc);
	snprintf(path, sizeof path, "%s/verify.sh", j->dir);
	TF_ENSURE(chmod(path, 0755) == 0, err, TF_ERR_IO, "%s: cannot make it executable", path);
	text = NULL;
	len = 0;
	rc = export_reproduce_ps1(j, &text, &len, err);
	if (rc == TF_OK)
		rc = write_text(j->dir, "reproduce.ps1", text, len, err);
	free(text);
	return rc;
}

typedef struct export_opts {
	const char *out, *evaluator;
	const char *knobs[EXPORT_MAX_KNOBS];
	unsigned nknobs;
	bool print_verdict;
} export_opts;

static int parse_args(int argc, char **argv, export_opts *o, const char **file)
{
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},
		{"evaluator", required_argument, NULL, 'e'},
		{"knob", required_argument, NULL, 'k'},
		{"print-verdict", no_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	memset(o, 0, sizeof *o);
	o->evaluator = "openssl";
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:e:k:ph", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->out = optarg; break;
		case 'e': o->evaluator = optarg; break;
		case 'k':
			if (o->nknobs == EXPORT_MAX_KNOBS)
				return cli_usage_error("export", "more than %d --knob", EXPORT_MAX_KNOBS);
			o->knobs[o->nknobs++] = optarg;
			break;
		case 'p': o->print_verdict = true; break;
		case 'h': usage(stdout); return -1;
		default: return cli_usage_error("export", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("export", "expected exactly one fixture FILE");
	if (!o->out)
		return cli_usage_error("export", "--out DIR is required");
	*file = argv[optind];
	return TF_EXIT_OK;
}

/* The effective knobs: the fixture's, then --knob, then the instance's. */
static int knobs_of(const export_opts *o, tf_fixture *f, tf_knobs *k)
{
	tf_instance inst;
	tf_error err = {0};
	for (unsigned i = 0; i < o->nknobs; i++)
		if (tf_knob_assign(&f->scenario.knobs, o->knobs[i], &err) != TF_OK)
			return cli_usage_error("export", "--knob %s: %s", o->knobs[i], err.msg);
	if (tf_instance_parse(&inst, o->evaluator, &err) != TF_OK)
		return cli_usage_error("export", "--evaluator: %s", err.msg);
	if (inst.ev != &tf_eval_openssl)
		return cli_usage_error("export", "--evaluator %s: export reproduces the openssl "
						 "evaluator; give an openssl instance",
				       o->evaluator);
	if (tf_instance_knobs(&inst, &f->scenario.knobs, k, &err) != TF_OK)
		return cli_usage_error("export", "--evaluator %s: %s", o->evaluator, err.msg);
	return TF_EXIT_OK;
}

static int run_export(const char *file, const export_opts *o, tf_fixture *f)
{
	export_job j;
	tf_error err = {0};
	void *state = NULL;
	tf_rendered rd;
	int x509 = -1;
	int rc = TF_EXIT_OK;

	memset(&j, 0, sizeof j);
	memset(&rd, 0, sizeof rd);
	if (tf_fixture_read(file, f, &err) != TF_OK)
		return cli_report(&err);
	for (unsigned i = 0; i < f->scenario.ncerts; i++)
		if (!plain_id(f->scenario.certs[i].id)) {
			fprintf(stderr,
				"trustfuzz export: %s: scenario.certs[%u].id \"%s\": not usable as a file "
				"name, expected letters, digits, '.', '_', '-', '+'\n",
				file, i, f->scenario.certs[i].id);
			return TF_EXIT_USAGE;
		}
	if ((rc = knobs_of(o, f, &j.knobs)) != TF_EXIT_OK)
		return rc;
	j.s = &f->scenario;
	j.fixture = f;
	j.file = file;
	j.dir = o->out;
	j.keys = j.knobs.keys;
	j.instance = o->evaluator;
	if (tf_eval_openssl.init(&state, &err) != TF_OK)
		return cli_report(&err);
	j.render = tf_openssl_renderer(state);
	if (tf_openssl_verify_detail(state, j.s, &j.knobs, &j.verdict, &x509, &err) != TF_OK ||
	    tf_render_scenario(j.render, j.s, j.keys, &rd, &err) != TF_OK) {
		rc = cli_report(&err);
		goto done;
	}
	j.x509_error = x509;
	j.rd = &rd;
	tf_openssl_inputs_get(j.s, &j.in);
	if (cli_mkdirs(j.dir, &err) != TF_OK || write_certs(&j, &err) != TF_OK ||
	    write_identities(&j, &err) != TF_OK || write_scripts(&j, &err) != TF_OK) {
		rc = cli_report(&err);
		goto done;
	}
	if (o->print_verdict)
		printf("x509=%d status=%s win32=0x%08X identity=%d\n", x509,
		       tf_status_str(j.verdict.status), (unsigned)j.verdict.win32,
		       j.verdict.identity);
done:
	tf_rendered_free(&rd);
	tf_eval_openssl.cleanup(state);
	return rc;
}

int cmd_export(int argc, char **argv)
{
	export_opts o;
	const char *file = NULL;
	int rc = parse_args(argc, argv, &o, &file);
	if (rc != TF_EXIT_OK)
		return rc < 0 ? TF_EXIT_OK : rc;
	tf_fixture *f = malloc(sizeof *f);
	if (!f) {
		fprintf(stderr, "trustfuzz export: out of memory\n");
		return TF_EXIT_INTERNAL;
	}
	tf_fixture_init(f);
	rc = run_export(file, &o, f);
	tf_fixture_free(f);
	free(f);
	return rc;
}
