/* core/err.c — error codes, messages and their exit codes. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "trustfuzz/err.h"

const char *tf_err_str(tf_err e)
{
	switch (e) {
	case TF_OK: return "TF_OK";
	case TF_ERR_NOMEM: return "TF_ERR_NOMEM";
	case TF_ERR_IO: return "TF_ERR_IO";
	case TF_ERR_PARSE: return "TF_ERR_PARSE";
	case TF_ERR_SCHEMA: return "TF_ERR_SCHEMA";
	case TF_ERR_RANGE: return "TF_ERR_RANGE";
	case TF_ERR_INVALID: return "TF_ERR_INVALID";
	case TF_ERR_LIMIT: return "TF_ERR_LIMIT";
	case TF_ERR_USAGE: return "TF_ERR_USAGE";
	case TF_ERR_BACKEND: return "TF_ERR_BACKEND";
	case TF_ERR_ORACLE: return "TF_ERR_ORACLE";
	case TF_ERR_INTERNAL: return "TF_ERR_INTERNAL";
	}
	return "TF_ERR_?";
}

int tf_err_exit_code(tf_err e)
{
	switch (e) {
	case TF_OK: return 0;
	case TF_ERR_ORACLE: return 1;
	case TF_ERR_IO:
	case TF_ERR_PARSE:
	case TF_ERR_SCHEMA:
	case TF_ERR_RANGE:
	case TF_ERR_INVALID:
	case TF_ERR_LIMIT:
	case TF_ERR_USAGE: return 2;
	case TF_ERR_NOMEM:
	case TF_ERR_BACKEND:
	case TF_ERR_INTERNAL: return 3;
	}
	return 3;
}

tf_err tf_error_set(tf_error *err, tf_err code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

tf_err tf_error_prefix(tf_error *err, const char *prefix)
{
	if (!err)
		return TF_ERR_INTERNAL;
	char tmp[TF_ERROR_MSG_MAX];
	snprintf(tmp, sizeof tmp, "%s: %s", prefix, err->msg);
	memcpy(err->msg, tmp, sizeof tmp);
	return err->code;
}
