/*
 * trustfuzz/findings.h — the findings directory: where campaigns and fuzzers
 * keep what they found, so that nothing is lost and nothing is duplicated.
 *
 * Layout of a findings directory DIR (docs/campaign.md):
 *
 *   DIR/findings/<sig-id>.json      one minimized fixture per distinct signature
 *   DIR/examples/<sig-id>-<k>.json  further, unminimized examples, k = 1..max
 *   DIR/crashes/<name>.bin          decision bytes of a scenario that crashed a
 *   DIR/crashes/<name>.json         worker, and what is known about it
 *   DIR/state.json, DIR/stats.json  campaign resume state and statistics
 *                                   (campaign.h; not touched here)
 *
 * <sig-id> is tf_signature.id (diff.h): 16 lower-case hex digits.
 *
 * A finding may first be published unminimized, tagged "unminimized", so
 * that discovering a signature never waits for shrinking it; whoever
 * published it later replaces it, atomically, by the minimized fixture
 * (tf_findings_replace). Either way the signature has exactly one file.
 *
 * The files are the source of truth. tf_findings_open rebuilds the in-memory
 * index by scanning findings/ and examples/, so a resumed campaign, a second
 * fuzzer on the same directory, or a campaign after a fuzzer all see what is
 * already there. Every file is published without clobbering: written to a
 * temp file beside its final name (".NAME.XXXXXX"), fsync'ed, then link()ed
 * to the final name, which fails when the name exists. So when several
 * processes (campaign workers, parallel fuzzer instances) find the same
 * signature at once, exactly one file appears and the others learn that it
 * exists; a reader never sees half a file; a killed writer leaves at most a
 * temp file, which scans ignore and tf_findings_sweep removes.
 *
 * Order of calls: tf_findings_open → any number of tf_findings_* calls from
 * one thread → tf_findings_close. Several processes may hold the same
 * directory open at once; only tf_findings_sweep needs it to themselves.
 *
 * Not here: what a finding holds (minimize.h, fixture.h), how signatures are
 * made (diff.h), campaigns (campaign.h). Nothing here prints.
 */
#ifndef TRUSTFUZZ_FINDINGS_H
#define TRUSTFUZZ_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trustfuzz/err.h"
#include "trustfuzz/fixture.h"

/* Further examples kept per signature by default, and at most. */
#define TF_FINDINGS_EXAMPLES_DEFAULT 3
#define TF_FINDINGS_EXAMPLES_MAX 16
/* Bytes of a signature id plus its NUL (diff.h: 16 hex digits). */
#define TF_SIG_ID_SIZE 17
/* The tag of a finding published before it was minimized. */
#define TF_TAG_UNMINIMIZED "unminimized"

/* One signature known to the index. */
typedef struct tf_findings_entry {
	uint64_t key;              /* the id's value; 0 marks a free slot */
	char id[TF_SIG_ID_SIZE];
	bool has_finding;          /* findings/<id>.json exists */
	bool minimized;            /* ... and is not tagged TF_TAG_UNMINIMIZED (as far as known) */
	uint8_t nfeatures;         /* feature tags (diff.h names) of the finding */
	uint16_t example_slots;    /* bit k-1: examples/<id>-<k>.json is known to exist */
} tf_findings_entry;

/* An open findings directory. Treat as opaque; zero-initialise or use
 * tf_findings_open. */
typedef struct tf_findings {
	char *dir;                 /* owned copy of the directory name */
	unsigned max_examples;     /* 0..TF_FINDINGS_EXAMPLES_MAX */
	size_t n, cap;             /* entries used, table size (a power of two) */
	tf_findings_entry *tab;    /* open addressing on key */
	unsigned nbad;             /* files set aside by open as unreadable */
	/* When set, files are published without an fsync each; the caller
	 * makes them durable in one go (tf_findings_sync) before it records
	 * anything that relies on them. A killed process loses nothing either
	 * way (the page cache outlives it); only a power loss needs the sync. */
	bool sync_later;
} tf_findings;

/* What a publish call did. */
typedef enum tf_put {
	TF_PUT_WRITTEN = 0, /* this call wrote the file */
	TF_PUT_EXISTS = 1,  /* the file was already there (another process or an earlier run) */
	TF_PUT_FULL = 2     /* examples only: every example slot is taken */
} tf_put;

/* Whether text is a well-formed signature id (16 lower-case hex digits). */
bool tf_sig_id_valid(const char *text);

/* Opens (creating as needed) DIR and its findings/, examples/ and crashes/
 * folders, and indexes the fixtures already there. A file in findings/ or
 * examples/ that does not parse as a fixture cannot be a finding (every
 * writer is atomic), so it is renamed to "<name>.bad" and counted in
 * f->nbad rather than blocking the run. max_examples is capped at
 * TF_FINDINGS_EXAMPLES_MAX. TF_ERR_IO naming the path on failure. */
tf_err tf_findings_open(tf_findings *f, const char *dir, unsigned max_examples,
			tf_error *err) TF_MUST_USE;
/* Frees the index; f is left zeroed. Safe on a zeroed f. */
void tf_findings_close(tf_findings *f);

/* Removes temp files (".NAME.XXXXXX") left in findings/, examples/ and
 * crashes/ by a writer that was killed. Only for a caller that knows no other
 * process writes to DIR now (a campaign before it starts its workers). */
tf_err tf_findings_sweep(tf_findings *f, tf_error *err) TF_MUST_USE;

/* Whether the index knows a finding for signature id. With `check_disk`, an
 * unknown id is also looked up on disk (another process may have written it
 * since open), and the index updated. */
bool tf_findings_has(tf_findings *f, const char *id, bool check_disk);

/* Path of the finding for id ("DIR/findings/<id>.json") into buf; returns buf. */
char *tf_findings_path(const tf_findings *f, const char *id, char *buf, size_t bufsz);

/* Publishes fx as the finding of signature id without clobbering. *put says
 * whether this call wrote it (TF_PUT_WRITTEN) or it existed (TF_PUT_EXISTS);
 * either way the index then knows it. path (may be NULL) receives the file
 * name. TF_ERR_RANGE for a malformed id. */
tf_err tf_findings_put_finding(tf_findings *f, const char *id, const tf_fixture *fx,
			       tf_put *put, char *path, size_t pathsz,
			       tf_error *err) TF_MUST_USE;

/* Replaces the finding of id (which must exist) by fx, atomically: for the
 * publisher of an unminimized finding, once it is minimized. */
tf_err tf_findings_replace(tf_findings *f, const char *id, const tf_fixture *fx,
			   tf_error *err) TF_MUST_USE;

/* The index entry of id, or NULL when the index does not know it. */
const tf_findings_entry *tf_findings_get(const tf_findings *f, const char *id);

/* Publishes fx in the first free example slot of signature id
 * ("examples/<id>-<k>.json", k = 1..max_examples), or says TF_PUT_FULL.
 * Slots are claimed by the same no-clobber link, so the bound holds across
 * processes and runs. */
tf_err tf_findings_put_example(tf_findings *f, const char *id, const tf_fixture *fx,
			       tf_put *put, char *path, size_t pathsz,
			       tf_error *err) TF_MUST_USE;

/* Flushes every file published so far to stable storage (syncfs of the
 * directory's file system). For a caller that set sync_later. */
tf_err tf_findings_sync(tf_findings *f, tf_error *err) TF_MUST_USE;

/* Whether every example slot of id is known to be taken (no disk access). */
bool tf_findings_examples_full(const tf_findings *f, const char *id);

/* Writes crashes/<name>.bin (bytes; skipped when bytes is NULL) and
 * crashes/<name>.json (meta, a JSON text), each atomically; an existing
 * pair is replaced. name: [A-Za-z0-9._-]+, not starting with a dot. */
tf_err tf_findings_put_crash(tf_findings *f, const char *name, const uint8_t *bytes,
			     size_t len, const char *meta, tf_error *err) TF_MUST_USE;

/* The index in a stable order (by id): calls fn for every signature with a
 * finding; stops early when fn returns false. */
tf_err tf_findings_each(const tf_findings *f, bool (*fn)(const tf_findings_entry *e, void *ctx),
			void *ctx, tf_error *err) TF_MUST_USE;

/* Publishes data at path without clobbering (tf_write_file_publish with
 * TF_PUBLISH_EXCL, fixture.h). *existed is set when path was already there
 * (and nothing was written). The building block of the calls above, public
 * for other writers that must not overwrite (a fuzzer's crash files). */
tf_err tf_write_file_excl(const char *path, const void *data, size_t len, bool *existed,
			  tf_error *err) TF_MUST_USE;

#endif
