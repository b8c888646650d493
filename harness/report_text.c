/*
 * harness/report_text.c — escaping and formatting for the report writers
 * (report_internal.h). Fixtures, verdict reasons and statistics files are
 * input like any other: every string from them goes through one of the
 * escapers here before it reaches HTML, SVG, Markdown or a shell line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "trustfuzz/openssl_backend.h"
#include "trustfuzz/registry.h"

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when the bytes are
 * not one (overlong forms, surrogates and values past U+10FFFF included). */
static size_t utf8_len(const unsigned char *p)
{
	unsigned c = p[0];
	size_t n;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Calls put for each character of text after the control/UTF-8 rules:
 * returns through put either a plain ASCII byte, or a whole valid UTF-8
 * sequence (ascii = 0). */
typedef void (*put_fn)(FILE *o, const unsigned char *p, size_t n);

static void each_char(FILE *o, const char *text, put_fn put)
{
	static const unsigned char replacement[] = {0xef, 0xbf, 0xbd};
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	while (*p) {
		size_t n = utf8_len(p);
		if (n == 0) {
			put(o, replacement, sizeof replacement);
			p++;
			continue;
		}
		if (n == 1 && (*p < 0x20 || *p == 0x7f) && *p != '\n' && *p != '\t') {
			put(o, (const unsigned char *)"?", 1);
			p++;
			continue;
		}
		put(o, p, n);
		p += n;
	}
}

static void put_html_char(FILE *o, const unsigned char *p, size_t n)
{
	if (n == 1) {
		switch (*p) {
		case '&': fputs("&amp;", o); return;
		case '<': fputs("&lt;", o); return;
		case '>': fputs("&gt;", o); return;
		case '"': fputs("&quot;", o); return;
		case '\'': fputs("&#39;", o); return;
		default: break;
		}
	}
	fwrite(p, 1, n, o);
}

void rep_put_html(FILE *o, const char *text)
{
	each_char(o, text, put_html_char);
}

static void put_md_char(FILE *o, const unsigned char *p, size_t n)
{
	if (n == 1) {
		if (*p == '\n' || *p == '\t') {
			fputc(' ', o);
			return;
		}
		if (*p == '<') {
			fputs("&lt;", o);
			return;
		}
		if (*p == '&') {
			fputs("&amp;", o);
			return;
		}
		/* Inline markup only: the writers never start a line with
		 * fixture text, so block markers (#, -, 1.) need no escape. */
		if (strchr("\\`*_[]|~", *p))
			fputc('\\', o);
	}
	fwrite(p, 1, n, o);
}

void rep_put_md(FILE *o, const char *text)
{
	each_char(o, text, put_md_char);
}

static void put_md_code_char(FILE *o, const unsigned char *p, size_t n)
{
	if (n == 1 && *p == '`') {
		fputc('\'', o);
		return;
	}
	if (n == 1 && (*p == '\n' || *p == '\t')) {
		fputc(' ', o);
		return;
	}
	/* A '|' ends a table cell even inside a code span in GitHub's Markdown. */
	if (n == 1 && *p == '|') {
		fputs("\\|", o);
		return;
	}
	fwrite(p, 1, n, o);
}

void rep_put_md_code(FILE *o, const char *text)
{
	each_char(o, text, put_md_code_char);
}

void rep_put_url(FILE *o, const char *path)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			fputc(*p, o);
		else
			fprintf(o, "%%%02X", *p);
	}
}

char *rep_win32(uint32_t hr, char *buf, size_t bufsz)
{
	const char *name = tf_win32_str(hr);
	if (name)
		snprintf(buf, bufsz, "%s", name);
	else
		snprintf(buf, bufsz, "0x%08X", (unsigned)hr);
	return buf;
}

char *rep_shell_word(const char *text, char *buf, size_t bufsz)
{
	size_t o = 0;
	bool plain = *text != '\0';
	for (const char *p = text; *p && plain; p++)
		plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || strchr("_./:=+,@%-", *p);
	if (bufsz == 0)
		return buf;
	if (plain) {
		snprintf(buf, bufsz, "%s", text);
		return buf;
	}
	buf[o++] = '\'';
	for (const char *p = text; *p && o + 5 < bufsz; p++) {
		if (*p == '\'') {
			memcpy(buf + o, "'\\''", 4);
			o += 4;
		} else {
			buf[o++] = *p;
		}
	}
	if (o + 1 < bufsz)
		buf[o++] = '\'';
	buf[o < bufsz ? o : bufsz - 1] = '\0';
	return buf;
}

char *rep_duration(double s, char *buf, size_t bufsz)
{
	if (s < 0)
		s = 0;
	if (s < 60) {
		snprintf(buf, bufsz, "%.1f s", s);
	} else if (s < 3600) {
		unsigned long t = (unsigned long)(s + 0.5);
		snprintf(buf, bufsz, "%lu min %02lu s", t / 60, t % 60);
	} else {
		unsigned long t = (unsigned long)(s / 60 + 0.5);
		snprintf(buf, bufsz, "%lu h %02lu min", t / 60, t % 60);
	}
	return buf;
}

char *rep_first_seen(const tf_report_sig *s, char *buf, size_t bufsz)
{
	char d[32];
	if (s->has_first_index && s->has_first_s)
		snprintf(buf, bufsz, "#%llu at %s", (unsigned long long)s->first_index,
			 rep_duration(s->first_s, d, sizeof d));
	else if (s->has_first_s)
		snprintf(buf, bufsz, "at %s%s", rep_duration(s->first_s, d, sizeof d),
			 s->first_in_fuzz ? " of fuzzing" : "");
	else if (s->has_first_index)
		snprintf(buf, bufsz, "#%llu", (unsigned long long)s->first_index);
	else
		snprintf(buf, bufsz, "-");
	return buf;
}

char *rep_summary(const char *text, size_t max, char *buf, size_t bufsz)
{
	size_t n = 0;
	/* A sentence ends at ". " (not inside "s.4" or "e.g."): the next
	 * character is a space followed by a capital. A first sentence too
	 * short to explain anything ("KB 2802568 row 1.") takes the next. */
	for (; text[n]; n++) {
		if (text[n] == '.' && text[n + 1] == ' ' && text[n + 2] >= 'A' && text[n + 2] <= 'Z' &&
		    n >= 60) {
			n++;
			break;
		}
	}
	if (max + 1 > bufsz)
		max = bufsz - 1;
	if (n <= max) {
		snprintf(buf, bufsz, "%.*s", (int)n, text);
		return buf;
	}
	size_t cut = max > 3 ? max - 3 : 0;
	while (cut > 0 && text[cut] != ' ')
		cut--;
	/* Never cut inside a UTF-8 sequence. */
	while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80)
		cut--;
	snprintf(buf, bufsz, "%.*s...", (int)cut, text);
	return buf;
}

const char *rep_default_evaluators(const tf_report *r)
{
	if (r->camp.present && r->camp.evaluators[0])
		return r->camp.evaluators;
	if (r->fuzz.present && r->fuzz.evaluators[0])
		return r->fuzz.evaluators;
	return TF_DEFAULT_EVALUATORS;
}

const tf_known_entry *rep_known_entry(const tf_report *r, const char *id)
{
	if (!r->known || !id[0])
		return NULL;
	for (unsigned i = 0; i < r->known->n; i++)
		if (!strcmp(r->known->e[i].id, id))
			return &r->known->e[i];
	return NULL;
}

/* The instance whose knobs an export should use: `trustfuzz export` writes
 * the OpenSSL backend's verify.sh, so the first instance of the divergent
 * pair that is that backend (asked of the registry, not by its name), else
 * the backend itself. */
static const char *export_instance(const tf_report_sig *s)
{
	const unsigned pair[2] = {s->pair_a, s->pair_b};
	for (unsigned k = 0; s->has_pair && k < 2; k++) {
		const char *name = s->verdicts[pair[k]].instance;
		tf_instance inst;
		tf_error err = {0};
		if (tf_instance_parse(&inst, name, &err) == TF_OK && inst.ev == &tf_eval_openssl)
			return name;
	}
	return tf_eval_openssl.name;
}

unsigned rep_repro(const tf_report *r, const tf_report_sig *s,
		   char lines[REP_REPRO_MAX][REP_REPRO_LINE])
{
	char fx[TF_REPORT_PATH_MAX + 64], ev[600], inst[TF_INSTANCE_NAME_MAX + 8];
	char out[64], win[64];
	unsigned n = 0;
	if (!s->fixture[0])
		return 0;
	rep_shell_word(s->fixture, fx, sizeof fx);
	/* The instances the finding was judged with, when known. */
	ev[0] = '\0';
	for (unsigned k = 0; k < s->nverdicts; k++) {
		size_t used = strlen(ev);
		snprintf(ev + used, sizeof ev - used, "%s%s", k ? "," : "", s->verdicts[k].instance);
	}
	if (!ev[0])
		snprintf(ev, sizeof ev, "%s", rep_default_evaluators(r));
	char evq[700];
	rep_shell_word(ev, evq, sizeof evq);
	rep_shell_word(export_instance(s), inst, sizeof inst);
	snprintf(out, sizeof out, "repro-%s", s->id);
	snprintf(win, sizeof win, "repro-%s-win", s->id);
	snprintf(lines[n++], REP_REPRO_LINE, "trustfuzz eval %s --evaluator %s", fx, evq);
	snprintf(lines[n++], REP_REPRO_LINE, "trustfuzz replay %s", fx);
	snprintf(lines[n++], REP_REPRO_LINE, "trustfuzz export %s --out %s --evaluator %s", fx, out,
		 inst);
	snprintf(lines[n++], REP_REPRO_LINE, "sh %s/verify.sh", out);
	snprintf(lines[n++], REP_REPRO_LINE, "trustfuzz export %s --out %s --knob keys=rsa2048", fx,
		 win);
	snprintf(lines[n++], REP_REPRO_LINE,
		 "powershell -ExecutionPolicy Bypass -File %s\\reproduce.ps1   # on Windows Server",
		 win);
	return n;
}
