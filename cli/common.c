/* cli/common.c — helpers shared by the subcommands. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "trustfuzz %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see trustfuzz %s --help)\n", cmd);
	return TF_EXIT_USAGE;
}

int cli_bad_option(const char *cmd, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";
	if (optopt && optopt != '?' && (arg[0] != '-' || arg[1] != '-' || !arg[2]))
		return cli_usage_error(cmd, "bad or incomplete option '-%c'", optopt);
	return cli_usage_error(cmd, "bad or incomplete option '%s'", arg);
}

int cli_report(const tf_error *err)
{
	fprintf(stderr, "trustfuzz: %s\n", err->msg[0] ? err->msg : tf_err_str(err->code));
	return tf_err_exit_code(err->code);
}

bool cli_parse_u64(const char *text, uint64_t *out)
{
	char *end = NULL;
	if (!text || !*text || *text == '-' || *text == '+')
		return false;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 0);
	if (errno || *end)
		return false;
	*out = (uint64_t)v;
	return true;
}

bool cli_parse_long(const char *text, long min, long max, long *out)
{
	char *end = NULL;
	if (!text || !*text)
		return false;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

tf_err cli_mkdirs(const char *path, tf_error *err)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);
	if (n == 0 || n >= sizeof buf)
		return tf_error_set(err, TF_ERR_IO, "%s: bad directory name", path);
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return tf_error_set(err, TF_ERR_IO, "%s: cannot create directory: %s", buf,
					    strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0777) != 0 && errno != EEXIST)
		return tf_error_set(err, TF_ERR_IO, "%s: cannot create directory: %s", buf,
				    strerror(errno));
	return TF_OK;
}
