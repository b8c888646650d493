/*
 * cli/export.h — what `trustfuzz export` (cmd_export.c) hands the script
 * writers (export_scripts.c): the fixture, the effective knobs, the rendered
 * certificates, the OpenSSL backend's inputs and its verify-mode verdict.
 */
#ifndef TRUSTFUZZ_CLI_EXPORT_H
#define TRUSTFUZZ_CLI_EXPORT_H

#include <stddef.h>

#include "trustfuzz/fixture.h"
#include "trustfuzz/openssl_backend.h"
#include "trustfuzz/render.h"

typedef struct export_job {
	const char *file;     /* the fixture's path */
	const char *dir;      /* output directory */
	const char *instance; /* the openssl instance spec whose knobs apply */
	const tf_fixture *fixture;
	const tf_scenario *s;
	tf_knobs knobs;       /* effective */
	unsigned keys;        /* knobs.keys */
	tf_render *render;    /* the backend's renderer (borrowed) */
	const tf_rendered *rd;
	tf_openssl_inputs in;
	tf_verdict verdict;   /* verify mode */
	int x509_error;       /* -1: no identity offered */
} export_job;

/* The text of verify.sh and of reproduce.ps1 (malloc'ed into *text). */
tf_err export_verify_sh(const export_job *j, char **text, size_t *len, tf_error *err) TF_MUST_USE;
tf_err export_reproduce_ps1(const export_job *j, char **text, size_t *len,
			    tf_error *err) TF_MUST_USE;

#endif
