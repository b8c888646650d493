/*
 * backends/audit.c — the store audit of audit.h: per-certificate facts with
 * OpenSSL, then findings, then the trusted issuer list and its cut.
 *
 * The issuer list is computed as tf_issuer_list_trusted and
 * tf_issuer_list_truncate compute it for a scenario (evaluator.h: entries
 * of 2 + subject DER bytes, store order, longest prefix within the limit),
 * here over stores of any size; tests/test_backend_audit.c checks both agree
 * on stores that fit a scenario. Windows keeps one copy of a certificate per
 * thumbprint, so a certificate listed twice counts once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "import_internal.h"
#include "trustfuzz/audit.h"

/* What Windows Server 2012 does, and the fix, per kind (docs/import.md). */
static const struct {
	const char *name, *windows, *fix;
} kinds[] = {
	[TF_AUDIT_NOT_SELF_ISSUED] = {
		"not-self-issued",
		"KB 2802568: with a certificate that is not self-signed in Root, Schannel's "
		"trusted issuer list keeps only the non-self-signed ones. With SendTrustedIssuerList=0 "
		"(the default) a client certificate that chains to a self-signed root gets IIS "
		"403.16, sc-win32-status 2148204809 (0x800B0109 CERT_E_UNTRUSTEDROOT); with "
		"SendTrustedIssuerList=1 clients find no matching issuer and send nothing: 403.7. "
		"(The KB model predicts that clients whose chain runs through this very "
		"certificate are still accepted.)",
		"move it to the Intermediate Certification Authorities store (certutil -delstore "
		"Root THUMBPRINT; certutil -addstore CA FILE); if it must stay in Root, set "
		"ClientAuthTrustMode=2 (Exclusive CA Trust) under HKLM\\SYSTEM\\CurrentControlSet\\"
		"Control\\SecurityProviders\\Schannel"},
	[TF_AUDIT_NOT_SELF_SIGNED] = {
		"not-self-signed",
		"KB 2795828's check (Issuer differs from Subject) misses it, yet it is not "
		"self-signed: its signature does not verify under its own key (a cross-certificate "
		"or re-keyed CA carrying a root's name). If Schannel's test is signature-based, it "
		"triggers KB 2802568 exactly like a non-self-issued certificate (403.16 / 403.7).",
		"move it to the Intermediate Certification Authorities store, or set "
		"ClientAuthTrustMode=2 (Exclusive CA Trust)"},
	[TF_AUDIT_MIXED_SOURCE] = {
		"mixed-source",
		"the Client Authentication Issuers store is the source of the trusted issuer list "
		"and mixes self-signed and other certificates: as with Root in KB 2802568, only "
		"the non-self-signed ones are kept, so clients chaining to the self-signed ones "
		"get 403.16 (0x800B0109), or 403.7 when the list is sent.",
		"keep one kind in that store: the issuing CAs only (with ClientAuthTrustMode=2), "
		"or the roots only"},
	[TF_AUDIT_LIST_OVER_LIMIT] = {
		"list-over-limit",
		"KB 2880390: on Windows 8 / Server 2012 a trusted issuer list over 16 KB breaks "
		"client authentication whatever SendTrustedIssuerList says; the list is truncated "
		"(Schannel event 36885 on older releases) and the entries past the limit are "
		"never sent.",
		"remove unused certificates from Root, or fill the Client Authentication Issuers "
		"store (or a site-specific store) with only the CAs that issue client "
		"certificates"},
	[TF_AUDIT_EXPIRED] = {
		"expired",
		"its name stays in the trusted issuer list, but chains ending at it fail: IIS "
		"403.17, 0x800B0101 CERT_E_EXPIRED (or 403.16 when another failure ranks first).",
		"remove it, and import its renewal if clients still chain to that CA"},
	[TF_AUDIT_DUPLICATE] = {
		"duplicate",
		"a Windows store keeps one copy per thumbprint: the second copy is an artefact of "
		"the export and changes nothing.",
		"none needed; drop the extra copy from the exported files"},
	[TF_AUDIT_SAME_SUBJECT] = {
		"same-subject",
		"both are candidates for the same issuer name: the issuer list sends the name "
		"twice, and path building picks between them by key and validity (a renewed CA "
		"next to its predecessor is normal).",
		"none needed unless one of them is stale: then remove it"},
	[TF_AUDIT_CAI_OVERRIDES] = {
		"cai-overrides",
		"the Client Authentication Issuers store holds certificates, so the trusted issuer "
		"list comes from it and not from Root: under ClientAuthTrustMode=0 a client "
		"certificate must chain to one of them.",
		"intended: nothing to do; otherwise empty the Client Authentication Issuers store"},
};

/* The Root findings while Client Authentication Issuers is the list's
 * source: Root is then neither the list nor, under the mixed-store rule,
 * the store whose mix matters (spec s.1, s.4), so they are warnings. */
static const char root_not_source[] =
	"not a trigger now: the Client Authentication Issuers store holds certificates, so the "
	"trusted issuer list comes from it and Root's mix does not shape it (KB 2802568's "
	"mixed-store rule applies to the store the list comes from). It becomes the KB 2802568 "
	"trigger (403.16 / 0x800B0109, or 403.7 with the list sent) as soon as that store is "
	"emptied.";

static const char *const severities[] = {"info", "warning", "trigger"};

const char *tf_audit_kind_str(tf_audit_kind k)
{
	return (unsigned)k < sizeof kinds / sizeof kinds[0] ? kinds[k].name : "?";
}

const char *tf_audit_severity_str(tf_audit_severity s)
{
	return (unsigned)s < 3 ? severities[s] : "?";
}

void tf_audit_report_free(tf_audit_report *r)
{
	free(r->entries);
	free(r->findings);
	memset(r, 0, sizeof *r);
}

/* Facts about one certificate of a store. */
typedef struct fact {
	X509 *x;
	bool self_issued, self_signed, dup;
	size_t first; /* dup: index of the first copy */
	int64_t nb, na;
	size_t subject_len;
	char subject[TF_AUDIT_TEXT_MAX], issuer[TF_AUDIT_TEXT_MAX];
	char thumb[64];
} fact;

typedef struct audit {
	tf_audit_report *r;
	const tf_audit_opts *o;
	tf_error *err;
	size_t cap;
} audit;

static tf_err add(audit *a, tf_audit_kind kind, tf_audit_severity sev, tf_store_id store,
		  const tf_import_cert *c, const fact *f, const char *fmt, ...) TF_PRINTF(7, 8);

static tf_err add(audit *a, tf_audit_kind kind, tf_audit_severity sev, tf_store_id store,
		  const tf_import_cert *c, const fact *f, const char *fmt, ...)
{
	tf_audit_report *r = a->r;
	if (r->nfindings == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		tf_audit_finding *v = realloc(r->findings, cap * sizeof *v);
		TF_ENSURE(v, a->err, TF_ERR_NOMEM, "audit: out of memory");
		r->findings = v;
		a->cap = cap;
	}
	tf_audit_finding *x = &r->findings[r->nfindings++];
	memset(x, 0, sizeof *x);
	x->kind = kind;
	x->severity = sev;
	x->store = store;
	x->windows = kinds[kind].windows;
	x->fix = kinds[kind].fix;
	if (c)
		snprintf(x->origin, sizeof x->origin, "%s", c->origin);
	if (f) {
		snprintf(x->subject, sizeof x->subject, "%s", f->subject);
		snprintf(x->thumbprint, sizeof x->thumbprint, "%s", f->thumb);
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->what, sizeof x->what, fmt, ap);
	va_end(ap);
	if (sev == TF_AUDIT_TRIGGER)
		r->trigger = true;
	return TF_OK;
}

static tf_err facts_of(audit *a, const tf_import_list *l, fact *fs)
{
	for (size_t i = 0; i < l->n; i++) {
		fact *f = &fs[i];
		const tf_der *d = &l->v[i].der;
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
		f->x = tf_import_x509(d->data, d->len);
		TF_ENSURE(f->x, a->err, TF_ERR_PARSE, "%s: DER does not parse as one X.509 certificate",
			  l->v[i].origin);
		const X509_NAME *sub = X509_get_subject_name(f->x);
		const X509_NAME *iss = X509_get_issuer_name(f->x);
		f->self_issued = X509_NAME_cmp(sub, iss) == 0;
		f->self_signed = f->self_issued && tf_import_verifies(f->x, f->x);
		int len = i2d_X509_NAME(sub, NULL);
		f->subject_len = len > 0 ? (size_t)len : 0;
		tf_import_dn_text(sub, f->subject, sizeof f->subject);
		tf_import_dn_text(iss, f->issuer, sizeof f->issuer);
		TF_ENSURE(tf_import_time_offset(X509_get0_notBefore(f->x), a->o->time, &f->nb) &&
				  tf_import_time_offset(X509_get0_notAfter(f->x), a->o->time, &f->na),
			  a->err, TF_ERR_PARSE, "%s: validity: not a valid time", l->v[i].origin);
		if (!EVP_Digest(d->data, d->len, md, &mdlen, EVP_sha1(), NULL))
			mdlen = 0;
		for (unsigned k = 0; k < mdlen && 2 * k + 2 < sizeof f->thumb; k++)
			snprintf(f->thumb + 2 * k, 3, "%02X", md[k]);
		for (size_t j = 0; j < i; j++)
			if (!f->dup && l->v[j].der.len == d->len &&
			    !memcmp(l->v[j].der.data, d->data, d->len)) {
				f->dup = true;
				f->first = j;
			}
		ERR_clear_error();
	}
	return TF_OK;
}

/* Findings about each certificate of one store. */
static tf_err per_cert(audit *a, tf_store_id store, const tf_import_list *l, const fact *fs)
{
	bool anchors = store != TF_STORE_INTERMEDIATE;
	for (size_t i = 0; i < l->n; i++) {
		const fact *f = &fs[i];
		const tf_import_cert *c = &l->v[i];
		if (f->dup) {
			TF_GUARD(add(a, TF_AUDIT_DUPLICATE, TF_AUDIT_WARNING, store, c, f,
				     "the certificate of %s again, in %s", l->v[f->first].origin,
				     tf_store_name(store)));
			continue;
		}
		bool root_source = a->r->source == TF_STORE_ROOT;
		if (store == TF_STORE_ROOT && !f->self_issued)
			TF_GUARD(add(a, TF_AUDIT_NOT_SELF_ISSUED,
				     root_source ? TF_AUDIT_TRIGGER : TF_AUDIT_WARNING, store, c, f,
				     "in Root but not self-issued (issuer %s)", f->issuer));
		else if (store == TF_STORE_ROOT && !f->self_signed)
			TF_GUARD(add(a, TF_AUDIT_NOT_SELF_SIGNED,
				     a->o->trigger_signature && root_source ? TF_AUDIT_TRIGGER
									    : TF_AUDIT_WARNING,
				     store, c, f, "in Root, self-issued, but not signed by its own key"));
		if (store == TF_STORE_ROOT && !root_source && (!f->self_issued || !f->self_signed))
			a->r->findings[a->r->nfindings - 1].windows = root_not_source;
		if (anchors && (f->nb > 0 || f->na < 0))
			TF_GUARD(add(a, TF_AUDIT_EXPIRED, TF_AUDIT_WARNING, store, c, f, "%s",
				     f->nb > 0 ? "not yet valid at the audit time"
					       : "expired at the audit time"));
		for (size_t j = 0; j < i; j++) {
			if (fs[j].dup || X509_NAME_cmp(X509_get_subject_name(fs[j].x),
						       X509_get_subject_name(f->x)) != 0)
				continue;
			TF_GUARD(add(a, TF_AUDIT_SAME_SUBJECT, TF_AUDIT_INFO, store, c, f,
				     "same subject as %s in %s", l->v[j].origin, tf_store_name(store)));
			break;
		}
		ERR_clear_error();
	}
	return TF_OK;
}

/* The trusted issuer list: distinct certificates of the source store, in
 * order, cut at the limit. */
static tf_err issuer_list(audit *a, const tf_import_list *l, const fact *fs)
{
	tf_audit_report *r = a->r;
	r->entries = calloc(l->n ? l->n : 1, sizeof *r->entries);
	TF_ENSURE(r->entries, a->err, TF_ERR_NOMEM, "audit: out of memory");
	bool full = false;
	for (size_t i = 0; i < l->n; i++) {
		if (fs[i].dup)
			continue;
		tf_audit_entry *e = &r->entries[r->nentries++];
		e->cert = i;
		e->bytes = 2 + fs[i].subject_len;
		snprintf(e->subject, sizeof e->subject, "%s", fs[i].subject);
		r->bytes += e->bytes;
		/* The longest prefix within the limit, as tf_issuer_list_truncate. */
		full = full || r->kept_bytes + e->bytes > r->limit;
		e->kept = !full;
		if (e->kept) {
			r->kept_bytes += e->bytes;
			r->nkept++;
		}
	}
	if (r->nkept < r->nentries) {
		const tf_audit_entry *first = &r->entries[r->nkept];
		TF_GUARD(add(a, TF_AUDIT_LIST_OVER_LIMIT, TF_AUDIT_TRIGGER, r->source, NULL, NULL,
			     "the trusted issuer list (%s) is %zu bytes, over the %u-byte limit: %zu of "
			     "%zu entries fall off, from %s (%s) on",
			     tf_store_name(r->source), r->bytes, (unsigned)r->limit,
			     r->nentries - r->nkept, r->nentries, l->v[first->cert].origin,
			     fs[first->cert].subject));
	}
	return TF_OK;
}

/* Whether the source store (CAI) mixes self-signed and other certificates,
 * by the trigger test of the options. */
static tf_err mixed_source(audit *a, const tf_import_list *l, const fact *fs)
{
	size_t self = 0, other = 0;
	for (size_t i = 0; i < l->n; i++) {
		bool s = a->o->trigger_signature ? fs[i].self_signed : fs[i].self_issued;
		if (!fs[i].dup)
			s ? self++ : other++;
	}
	if (self && other)
		TF_GUARD(add(a, TF_AUDIT_MIXED_SOURCE, TF_AUDIT_TRIGGER, TF_STORE_CAI, NULL, NULL,
			     "client_auth_issuers holds %zu self-signed and %zu other certificates",
			     self, other));
	return TF_OK;
}

static void free_facts(fact *fs, size_t n)
{
	for (size_t i = 0; fs && i < n; i++)
		X509_free(fs[i].x);
	free(fs);
}

tf_err tf_audit_run(const tf_import_list *root, const tf_import_list *intermediate,
		    const tf_import_list *cai, const tf_audit_opts *opts, tf_audit_report *out,
		    tf_error *err)
{
	static const tf_import_list none = {0};
	const tf_import_list *st[TF_STORE_COUNT] = {root ? root : &none,
						    intermediate ? intermediate : &none,
						    cai ? cai : &none};
	fact *fs[TF_STORE_COUNT] = {NULL};
	audit a = {.r = out, .o = opts, .err = err};
	tf_err rc = TF_OK;

	memset(out, 0, sizeof *out);
	out->time = opts->time;
	out->limit = opts->limit;
	out->source = st[TF_STORE_CAI]->n ? TF_STORE_CAI : TF_STORE_ROOT;
	for (unsigned s = 0; s < TF_STORE_COUNT && rc == TF_OK; s++) {
		fs[s] = calloc(st[s]->n ? st[s]->n : 1, sizeof *fs[s]);
		rc = fs[s] ? facts_of(&a, st[s], fs[s])
			   : tf_error_set(err, TF_ERR_NOMEM, "audit: out of memory");
	}
	for (unsigned s = 0; s < TF_STORE_COUNT && rc == TF_OK; s++)
		rc = per_cert(&a, (tf_store_id)s, st[s], fs[s]);
	if (rc == TF_OK && out->source == TF_STORE_CAI)
		rc = mixed_source(&a, st[TF_STORE_CAI], fs[TF_STORE_CAI]);
	if (rc == TF_OK)
		rc = issuer_list(&a, st[out->source], fs[out->source]);
	if (rc == TF_OK && out->source == TF_STORE_CAI)
		rc = add(&a, TF_AUDIT_CAI_OVERRIDES, TF_AUDIT_INFO, TF_STORE_CAI, NULL, NULL,
			 "client_auth_issuers holds %zu certificates: the issuer list ignores Root's %zu",
			 st[TF_STORE_CAI]->n, st[TF_STORE_ROOT]->n);
	for (unsigned s = 0; s < TF_STORE_COUNT; s++)
		free_facts(fs[s], st[s]->n);
	if (rc != TF_OK)
		tf_audit_report_free(out);
	ERR_clear_error();
	return rc;
}
