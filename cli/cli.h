/*
 * cli/cli.h — the trustfuzz command line: one file per subcommand.
 *
 * Every subcommand is `int cmd_NAME(int argc, char **argv)` with argv[0] the
 * subcommand name; it parses its own flags with getopt_long, supports
 * --help, and returns an exit code:
 *   0  ok
 *   1  a finding or mismatch (where the subcommand defines one)
 *   2  usage error or bad input (one line on stderr naming the file/field)
 *   3  internal or backend failure
 * Only this folder prints to the terminal or exits; the library returns errors.
 */
#ifndef TRUSTFUZZ_CLI_H
#define TRUSTFUZZ_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "trustfuzz/err.h"

#define TF_EXIT_OK 0
#define TF_EXIT_FINDING 1
#define TF_EXIT_USAGE 2
#define TF_EXIT_INTERNAL 3

typedef struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} cli_command;

/* The subcommand table (main.c). NULL-terminated by name. */
extern const cli_command cli_commands[];

/* Prints "trustfuzz NAME: message" to stderr for a usage error; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) TF_PRINTF(2, 3);
/* For getopt_long's '?' or ':' return (call with opterr = 0 set before the
 * loop, so getopt prints nothing): prints ONE line naming the bad or
 * incomplete option and returns 2. */
int cli_bad_option(const char *cmd, char **argv);
/* Prints "trustfuzz: <err->msg>" to stderr; returns tf_err_exit_code(). */
int cli_report(const tf_error *err);
/* Strict number parsing: the whole string, in range. */
bool cli_parse_u64(const char *text, uint64_t *out);
bool cli_parse_long(const char *text, long min, long max, long *out);
/* Makes a directory and its parents (mode 0777 & ~umask); TF_ERR_IO on failure. */
tf_err cli_mkdirs(const char *path, tf_error *err) TF_MUST_USE;

int cmd_gen(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_dot(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_minimize(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_prop(int argc, char **argv);
int cmd_bench(int argc, char **argv);
/* more subcommands: declare here, add a line to cli_commands[] in main.c */

#endif
