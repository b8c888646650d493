/* core/verdict.c — verdict codes, their names and comparisons. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trustfuzz/verdict.h"

static const struct {
	tf_status s;
	const char *text;
} statuses[] = {
	{TF_STATUS_200, "200"},       {TF_STATUS_403_7, "403.7"},   {TF_STATUS_403_13, "403.13"},
	{TF_STATUS_403_16, "403.16"}, {TF_STATUS_403_17, "403.17"},
};
#define NSTATUSES (sizeof statuses / sizeof statuses[0])

const char *tf_status_str(tf_status s)
{
	for (size_t i = 0; i < NSTATUSES; i++)
		if (statuses[i].s == s)
			return statuses[i].text;
	return "?";
}

bool tf_status_parse(const char *text, tf_status *out)
{
	for (size_t i = 0; i < NSTATUSES; i++) {
		if (!strcmp(statuses[i].text, text)) {
			*out = statuses[i].s;
			return true;
		}
	}
	return false;
}

unsigned tf_status_http(tf_status s) { return (unsigned)s / 100u; }
unsigned tf_status_sub(tf_status s) { return (unsigned)s % 100u; }

static const struct {
	uint32_t hr;
	const char *name;
} hresults[] = {
	{TF_WIN32_OK, "S_OK"},
	{TF_WIN32_CERT_E_EXPIRED, "CERT_E_EXPIRED"},
	{TF_WIN32_CERT_E_VALIDITYPERIODNESTING, "CERT_E_VALIDITYPERIODNESTING"},
	{TF_WIN32_CERT_E_ROLE, "CERT_E_ROLE"},
	{TF_WIN32_CERT_E_PATHLENCONST, "CERT_E_PATHLENCONST"},
	{TF_WIN32_CERT_E_CRITICAL, "CERT_E_CRITICAL"},
	{TF_WIN32_CERT_E_PURPOSE, "CERT_E_PURPOSE"},
	{TF_WIN32_CERT_E_ISSUERCHAINING, "CERT_E_ISSUERCHAINING"},
	{TF_WIN32_CERT_E_MALFORMED, "CERT_E_MALFORMED"},
	{TF_WIN32_CERT_E_UNTRUSTEDROOT, "CERT_E_UNTRUSTEDROOT"},
	{TF_WIN32_CERT_E_CHAINING, "CERT_E_CHAINING"},
	{TF_WIN32_CERT_E_REVOKED, "CERT_E_REVOKED"},
	{TF_WIN32_CERT_E_WRONG_USAGE, "CERT_E_WRONG_USAGE"},
	{TF_WIN32_TRUST_E_CERT_SIGNATURE, "TRUST_E_CERT_SIGNATURE"},
	{TF_WIN32_TRUST_E_BASIC_CONSTRAINTS, "TRUST_E_BASIC_CONSTRAINTS"},
};
#define NHRESULTS (sizeof hresults / sizeof hresults[0])

const char *tf_win32_str(uint32_t hr)
{
	for (size_t i = 0; i < NHRESULTS; i++)
		if (hresults[i].hr == hr)
			return hresults[i].name;
	return NULL;
}

bool tf_win32_parse(const char *text, uint32_t *out)
{
	for (size_t i = 0; i < NHRESULTS; i++) {
		if (!strcmp(hresults[i].name, text)) {
			*out = hresults[i].hr;
			return true;
		}
	}
	if (!*text || *text == '-' || *text == '+')
		return false;
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 0); /* 0x... hex or decimal */
	if (errno || *end || v > UINT32_MAX || (text[0] == '0' && text[1] && text[1] != 'x' && text[1] != 'X'))
		return false;
	*out = (uint32_t)v;
	return true;
}

char *tf_win32_format(uint32_t hr, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "0x%08" PRIX32 " (%" PRIu32 ")", hr, hr);
	return buf;
}

const char *tf_depth_str(tf_depth d)
{
	switch (d) {
	case TF_DEPTH_STATUS: return "status";
	case TF_DEPTH_WIN32: return "win32";
	case TF_DEPTH_PATH: return "path";
	}
	return "?";
}

bool tf_depth_parse(const char *text, tf_depth *out)
{
	for (int d = TF_DEPTH_STATUS; d <= TF_DEPTH_PATH; d++) {
		if (!strcmp(text, tf_depth_str((tf_depth)d))) {
			*out = (tf_depth)d;
			return true;
		}
	}
	return false;
}

void tf_verdict_set(tf_verdict *v, tf_status status, uint32_t win32, int identity,
		    const char *fmt, ...)
{
	va_list ap;
	v->status = status;
	v->win32 = win32;
	v->identity = (int8_t)identity;
	v->path_len = 0;
	va_start(ap, fmt);
	vsnprintf(v->reason, sizeof v->reason, fmt, ap);
	va_end(ap);
}

bool tf_verdict_equal(const tf_verdict *a, const tf_verdict *b, tf_depth d)
{
	if (a->status != b->status)
		return false;
	if (d >= TF_DEPTH_WIN32 && a->win32 != b->win32)
		return false;
	if (d >= TF_DEPTH_PATH &&
	    (a->path_len != b->path_len || memcmp(a->path, b->path, a->path_len)))
		return false;
	return true;
}

char *tf_path_format(const tf_scenario *s, const uint8_t *path, unsigned n, char *buf,
		     size_t bufsz)
{
	size_t used = 0;
	buf[0] = '\0';
	if (n == 0)
		snprintf(buf, bufsz, "-");
	for (unsigned i = 0; i < n && used < bufsz; i++) {
		const char *id = path[i] < s->ncerts ? s->certs[path[i]].id : "?";
		int w = snprintf(buf + used, bufsz - used, "%s%s", i ? " > " : "", id);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

static const char *identity_id(const tf_scenario *s, int identity, char *buf, size_t n)
{
	if (identity < 0)
		return "none";
	if (identity < s->nidentities)
		snprintf(buf, n, "%d (%s)", identity, s->certs[s->identities[identity].leaf].id);
	else
		snprintf(buf, n, "%d", identity);
	return buf;
}

bool tf_expect_match(const tf_expect *exp, const tf_verdict *actual, const tf_scenario *s,
		     char *diff, size_t diffsz)
{
	char a[160], b[160];
	if (exp->v.status != actual->status) {
		if (diff)
			snprintf(diff, diffsz, "status: expected %s, got %s (%s)",
				 tf_status_str(exp->v.status), tf_status_str(actual->status),
				 actual->reason);
		return false;
	}
	if (exp->has_win32 && exp->v.win32 != actual->win32) {
		if (diff)
			snprintf(diff, diffsz, "win32: expected %s, got %s",
				 tf_win32_format(exp->v.win32, a, sizeof a),
				 tf_win32_format(actual->win32, b, sizeof b));
		return false;
	}
	if (exp->has_identity && exp->v.identity != actual->identity) {
		if (diff)
			snprintf(diff, diffsz, "identity: expected %s, got %s",
				 identity_id(s, exp->v.identity, a, sizeof a),
				 identity_id(s, actual->identity, b, sizeof b));
		return false;
	}
	if (exp->has_path && (exp->v.path_len != actual->path_len ||
			      memcmp(exp->v.path, actual->path, actual->path_len))) {
		if (diff)
			snprintf(diff, diffsz, "path: expected %s, got %s",
				 tf_path_format(s, exp->v.path, exp->v.path_len, a, sizeof a),
				 tf_path_format(s, actual->path, actual->path_len, b, sizeof b));
		return false;
	}
	return true;
}
