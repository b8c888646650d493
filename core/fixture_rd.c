/*
 * core/fixture_rd.c — the fixture reader's typed getters.
 *
 * Every check the reader makes goes through here, so that every message has
 * the one shape "<origin>: <json path>: <problem>, expected <what>".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fixture_internal.h"

const char *tf_rd_quote(const char *text, char *buf, size_t bufsz)
{
	size_t o = 0, limit = bufsz > 4 ? bufsz - 4 : 0;
	for (size_t i = 0; text[i] && o < bufsz - 1; i++) {
		if (o == limit && text[i + 1]) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		unsigned char c = (unsigned char)text[i];
		buf[o++] = c >= 0x20 && c <= 0x7e ? (char)c : '?';
	}
	buf[o] = '\0';
	return buf;
}

size_t tf_rd_push_key(tf_rd *r, const char *key)
{
	size_t mark = r->len;
	char safe[64];
	int n = snprintf(r->path + r->len, sizeof r->path - r->len, "%s%s", r->len ? "." : "",
			 tf_rd_quote(key, safe, sizeof safe));
	if (n > 0)
		r->len = strnlen(r->path, sizeof r->path - 1);
	return mark;
}

size_t tf_rd_push_index(tf_rd *r, size_t i)
{
	size_t mark = r->len;
	int n = snprintf(r->path + r->len, sizeof r->path - r->len, "[%zu]", i);
	if (n > 0)
		r->len = strnlen(r->path, sizeof r->path - 1);
	return mark;
}

void tf_rd_pop(tf_rd *r, size_t mark)
{
	r->len = mark;
	r->path[mark] = '\0';
}

tf_err tf_rd_fail(tf_rd *r, tf_err code, const char *fmt, ...)
{
	char msg[TF_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (r->len)
		return tf_error_set(r->err, code, "%s: %s: %s", r->origin, r->path, msg);
	return tf_error_set(r->err, code, "%s: %s", r->origin, msg);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "?";
}

tf_err tf_rd_type(tf_rd *r, const json_t *v, const char *what)
{
	return tf_rd_fail(r, TF_ERR_SCHEMA, "is %s, expected %s", type_name(v), what);
}

tf_err tf_rd_object(tf_rd *r, const json_t *obj, const char *const *allowed, const char *what)
{
	const char *key = NULL;
	json_t *v = NULL;
	if (!json_is_object(obj))
		return tf_rd_type(r, obj, what);
	json_object_foreach((json_t *)obj, key, v) {
		size_t i = 0;
		while (allowed[i] && strcmp(allowed[i], key))
			i++;
		if (allowed[i])
			continue;
		char list[TF_ERROR_MSG_MAX] = "";
		for (size_t j = 0, used = 0; allowed[j] && used < sizeof list; j++) {
			int n = snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "",
					 allowed[j]);
			if (n < 0)
				break;
			used += (size_t)n;
		}
		tf_rd_push_key(r, key);
		return tf_rd_fail(r, TF_ERR_SCHEMA, "unknown field, expected one of %s", list);
	}
	return TF_OK;
}

tf_err tf_rd_require(tf_rd *r, const json_t *obj, const char *key, const char *what)
{
	if (json_object_get(obj, key))
		return TF_OK;
	tf_rd_push_key(r, key);
	return tf_rd_fail(r, TF_ERR_SCHEMA, "missing, expected %s", what);
}

tf_err tf_rd_array(tf_rd *r, const json_t *v, size_t max, const char *what, size_t *n)
{
	if (!json_is_array(v))
		return tf_rd_type(r, v, what);
	*n = json_array_size(v);
	if (*n > max)
		return tf_rd_fail(r, TF_ERR_LIMIT, "%zu entries, expected at most %zu", *n, max);
	return TF_OK;
}

tf_err tf_rd_int_value(tf_rd *r, const json_t *v, long long min, long long max,
		       const char *what, long long *out)
{
	char range[64];
	if (!what) {
		snprintf(range, sizeof range, "an integer %lld..%lld", min, max);
		what = range;
	}
	if (!json_is_integer(v))
		return tf_rd_type(r, v, what);
	long long x = json_integer_value(v);
	if (x < min || x > max)
		return tf_rd_fail(r, TF_ERR_RANGE, "%lld out of range, expected %s", x, what);
	*out = x;
	return TF_OK;
}

tf_err tf_rd_int(tf_rd *r, const json_t *obj, const char *key, long long min, long long max,
		 const char *what, long long *out)
{
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return TF_OK;
	size_t mark = tf_rd_push_key(r, key);
	TF_GUARD(tf_rd_int_value(r, v, min, max, what, out));
	tf_rd_pop(r, mark);
	return TF_OK;
}

tf_err tf_rd_bool(tf_rd *r, const json_t *obj, const char *key, bool *out)
{
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return TF_OK;
	size_t mark = tf_rd_push_key(r, key);
	if (!json_is_boolean(v))
		return tf_rd_type(r, v, "true or false");
	*out = json_is_true(v);
	tf_rd_pop(r, mark);
	return TF_OK;
}

tf_err tf_rd_text_value(tf_rd *r, const json_t *v, size_t cap, unsigned flags,
			const char *what, char *out)
{
	if (!json_is_string(v))
		return tf_rd_type(r, v, what);
	const char *text = json_string_value(v);
	size_t n = json_string_length(v);
	if ((flags & TF_TEXT_NONEMPTY) && n == 0)
		return tf_rd_fail(r, TF_ERR_SCHEMA, "empty, expected %s", what);
	if (n >= cap)
		return tf_rd_fail(r, TF_ERR_LIMIT, "%zu bytes long, expected at most %zu", n,
				  cap - 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((flags & TF_TEXT_PRINTABLE) && (c < 0x20 || c > 0x7e))
			return tf_rd_fail(r, TF_ERR_SCHEMA,
					  "character %zu is not printable ASCII, expected %s", i,
					  what);
		if ((flags & TF_TEXT_ONELINE) && (c < 0x20 || c == 0x7f))
			return tf_rd_fail(r, TF_ERR_SCHEMA,
					  "character %zu is a control character, expected %s", i,
					  what);
	}
	memcpy(out, text, n + 1);
	return TF_OK;
}

tf_err tf_rd_text(tf_rd *r, const json_t *obj, const char *key, size_t cap, unsigned flags,
		  const char *what, char *out)
{
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return TF_OK;
	size_t mark = tf_rd_push_key(r, key);
	TF_GUARD(tf_rd_text_value(r, v, cap, flags, what, out));
	tf_rd_pop(r, mark);
	return TF_OK;
}

tf_err tf_rd_cert_ref(tf_rd *r, const tf_scenario *s, const json_t *v, uint8_t *out)
{
	if (!json_is_string(v))
		return tf_rd_type(r, v, "a certificate id (string)");
	char safe[64];
	int i = tf_scenario_find_cert(s, json_string_value(v));
	if (i < 0)
		return tf_rd_fail(r, TF_ERR_SCHEMA,
				  "unknown certificate \"%s\", expected an id of scenario.certs",
				  tf_rd_quote(json_string_value(v), safe, sizeof safe));
	*out = (uint8_t)i;
	return TF_OK;
}

tf_err tf_rd_cert_list(tf_rd *r, const tf_scenario *s, const json_t *obj, const char *key,
		       size_t max, uint8_t *out, uint8_t *n)
{
	const json_t *v = json_object_get(obj, key);
	size_t count = 0;
	if (!v)
		return TF_OK;
	size_t mark = tf_rd_push_key(r, key);
	TF_GUARD(tf_rd_array(r, v, max, "a list of certificate ids", &count));
	for (size_t i = 0; i < count; i++) {
		size_t m = tf_rd_push_index(r, i);
		TF_GUARD(tf_rd_cert_ref(r, s, json_array_get(v, i), &out[i]));
		tf_rd_pop(r, m);
	}
	*n = (uint8_t)count;
	tf_rd_pop(r, mark);
	return TF_OK;
}
