/*
 * harness/report_sarif.c — the findings as a SARIF 2.1.0 log, for code
 * scanning tools (GitHub code scanning, SARIF viewers).
 *
 * One run, one rule and one result per signature. The rule id is the
 * signature id (16 hex digits of FNV-1a over the stable signature text,
 * diff.h), so the same divergence keeps its id across campaigns, builds and
 * machines; the rule's short description is the signature text, its full
 * description the explanation. Known signatures are level "note", new ones
 * "warning". A result points at the finding's fixture file: relative to
 * the working directory under %SRCROOT% when it lies below it (what GitHub
 * maps onto the repository), else as an absolute file: URI. Its properties
 * hold every instance's verdict, as in the HTML report.
 */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_internal.h"

#define SARIF_SCHEMA                                                                               \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

/* Percent-encodes a path for a URI (RFC 3986 unreserved characters and '/'
 * stay). */
static char *uri_path(const char *path, char *buf, size_t bufsz)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)path; *p && o + 4 < bufsz; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			buf[o++] = (char)*p;
		else
			o += (size_t)snprintf(buf + o, bufsz - o, "%%%02X", *p);
	}
	buf[o] = '\0';
	return buf;
}

static json_t *location(const tf_report_sig *s, bool *under_root)
{
	char rel[TF_REPORT_PATH_MAX], abs[PATH_MAX], uri[3 * PATH_MAX + 16], enc[3 * PATH_MAX];
	json_t *art;
	rep_relpath(".", s->fixture, rel, sizeof rel);
	if (strncmp(rel, "../", 3) != 0 && rel[0] != '/') {
		art = json_pack("{s:s, s:s}", "uri", uri_path(rel, enc, sizeof enc), "uriBaseId",
				"%SRCROOT%");
		*under_root = true;
	} else {
		if (!realpath(s->fixture, abs))
			snprintf(abs, sizeof abs, "%s", s->fixture);
		snprintf(uri, sizeof uri, "file://%s", uri_path(abs, enc, sizeof enc));
		art = json_pack("{s:s}", "uri", uri);
	}
	return json_pack("[{s:{s:o, s:{s:i}}}]", "physicalLocation", "artifactLocation", art,
			 "region", "startLine", 1);
}

static json_t *verdicts(const tf_report_sig *s)
{
	char hr[16];
	json_t *all = json_object();
	for (unsigned k = 0; all && k < s->nverdicts; k++) {
		const tf_report_verdict *v = &s->verdicts[k];
		json_t *one;
		if (!v->judged) {
			one = json_pack("{s:s}", "error", v->msg);
		} else {
			const char *name = tf_win32_str(v->v.win32);
			snprintf(hr, sizeof hr, "0x%08X", (unsigned)v->v.win32);
			one = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s}", "status",
					tf_status_str(v->v.status), "win32", hr, "win32_name",
					name ? name : "", "identity", (int)v->v.identity, "path", v->path,
					"reason", v->v.reason);
		}
		json_object_set_new(all, v->instance, one);
	}
	return all;
}

/* Signature features, for the rule's tags: the part after the last ':'. */
static json_t *tags(const tf_report_sig *s)
{
	json_t *t = json_array();
	const char *f = strrchr(s->text, ':');
	json_array_append_new(t, json_string("trustfuzz"));
	json_array_append_new(t, json_string(s->known ? "known" : "new"));
	if (!f || !strcmp(f + 1, "-"))
		return t;
	for (const char *p = f + 1; *p;) {
		size_t n = strcspn(p, "+");
		json_array_append_new(t, json_stringn(p, n));
		p += n + (p[n] == '+');
	}
	return t;
}

static json_t *rule(const tf_report *r, const tf_report_sig *s)
{
	char lines[REP_REPRO_MAX][REP_REPRO_LINE], help[REP_REPRO_MAX * REP_REPRO_LINE + 64];
	unsigned n = rep_repro(r, s, lines);
	snprintf(help, sizeof help, "%s", n ? "Reproduce:\n" : "No fixture: nothing to reproduce.");
	for (unsigned k = 0; k < n; k++) {
		size_t used = strlen(help);
		snprintf(help + used, sizeof help - used, "  %s\n", lines[k]);
	}
	const char *text = s->text[0] ? s->text : s->id;
	json_t *props = json_pack("{s:o}", "tags", tags(s));
	if (props && s->known)
		json_object_set_new(props, "known_id", json_string(s->known_id));
	return json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:o}", "id", s->id, "name",
			 s->known ? "KnownDivergence" : "NewDivergence", "shortDescription", "text",
			 text, "fullDescription", "text",
			 s->explanation[0] ? s->explanation : text, "help", "text", help,
			 "defaultConfiguration", "level", s->known ? "note" : "warning",
			 "properties", props);
}

static json_t *result(const tf_report_sig *s, unsigned index, bool *under_root)
{
	char msg[TF_FIXTURE_WHY_MAX + 300];
	const char *text = s->text[0] ? s->text : s->id;
	snprintf(msg, sizeof msg, "%s divergence %s%s%s", s->known ? "Known" : "New", text,
		 s->why[0] ? ": " : "", s->why);
	json_t *props = json_pack("{s:s, s:s, s:s, s:b, s:o}", "signature", text, "class",
				  s->known ? "known" : "new", "known_id", s->known_id, "minimized",
				  s->minimized, "verdicts", verdicts(s));
	if (props && s->has_count)
		json_object_set_new(props, "count", json_integer((json_int_t)s->count));
	if (props && s->has_first_index)
		json_object_set_new(props, "first_index", json_integer((json_int_t)s->first_index));
	if (props && s->has_first_s)
		json_object_set_new(props, "first_s", json_real(s->first_s));
	if (props && s->reproduces >= 0)
		json_object_set_new(props, "reproduces", json_boolean(s->reproduces == 1));
	json_t *res = json_pack("{s:s, s:i, s:s, s:s, s:{s:s}, s:{s:s}, s:o}", "ruleId", s->id,
				"ruleIndex", (int)index, "kind", "fail", "level",
				s->known ? "note" : "warning", "message", "text", msg,
				"partialFingerprints", "trustfuzzSignature/v1", s->id, "properties",
				props);
	if (res && s->fixture[0])
		json_object_set_new(res, "locations", location(s, under_root));
	return res;
}

tf_err tf_report_sarif(const tf_report *r, const char *path, tf_error *err)
{
	char cwd[PATH_MAX], enc[3 * PATH_MAX], root[3 * PATH_MAX + 16];
	bool under_root = false;
	json_t *rules = json_array(), *results = json_array();
	for (unsigned i = 0; rules && results && i < r->nsigs; i++) {
		/* Every text is UTF-8 already (fixtures are JSON, verdict reasons
		 * ASCII): a failure here is a bug or no memory, never data. */
		if (json_array_append_new(rules, rule(r, &r->sigs[i])) != 0 ||
		    json_array_append_new(results, result(&r->sigs[i], i, &under_root)) != 0) {
			json_decref(rules);
			json_decref(results);
			TF_BAIL(err, TF_ERR_INTERNAL, "%s: cannot encode signature %s", path,
				r->sigs[i].id);
		}
	}
	json_t *run = json_pack("{s:{s:{s:s, s:s, s:s, s:o}}, s:o, s:s}", "tool", "driver", "name",
				"trustfuzz", "version", TF_VERSION_STRING, "semanticVersion",
				TF_VERSION_STRING, "rules", rules, "results", results,
				"columnKind", "unicodeCodePoints");
	if (run && under_root && getcwd(cwd, sizeof cwd)) {
		snprintf(root, sizeof root, "file://%s/", uri_path(cwd, enc, sizeof enc));
		json_object_set_new(run, "originalUriBaseIds",
				    json_pack("{s:{s:s}}", "%SRCROOT%", "uri", root));
	}
	json_t *log = json_pack("{s:s, s:s, s:[o]}", "$schema", SARIF_SCHEMA, "version", "2.1.0",
				"runs", run);
	TF_ENSURE(log, err, TF_ERR_NOMEM, "%s: out of memory", path);
	char *text = json_dumps(log, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(log);
	TF_ENSURE(text, err, TF_ERR_NOMEM, "%s: out of memory", path);
	size_t len = strlen(text);
	char *nl = realloc(text, len + 2);
	if (!nl) {
		free(text);
		TF_BAIL(err, TF_ERR_NOMEM, "%s: out of memory", path);
	}
	nl[len] = '\n';
	nl[len + 1] = '\0';
	tf_err rc = tf_write_file_atomic(path, nl, len + 1, err);
	free(nl);
	return rc;
}
