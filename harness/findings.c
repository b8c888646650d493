/*
 * harness/findings.c — the findings directory and its in-memory index.
 *
 * The index is only a cache of what the directory holds: it is rebuilt by a
 * scan on open and corrected whenever a publish finds a name already taken,
 * so a stale index costs a wasted minimization at worst, never a duplicate
 * or a lost file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trustfuzz/diff.h"
#include "trustfuzz/findings.h"

static const char *const subdirs[] = {"findings", "examples", "crashes"};

bool tf_sig_id_valid(const char *text)
{
	if (!text)
		return false;
	for (unsigned i = 0; i < TF_SIG_ID_SIZE - 1; i++)
		if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')))
			return false;
	return text[TF_SIG_ID_SIZE - 1] == '\0';
}

/* The id's value as the hash key. 0 marks a free slot, so the id
 * 0000000000000000 is stored under key 1; lookups compare the text too. */
static uint64_t id_key(const char *id)
{
	uint64_t k = strtoull(id, NULL, 16);
	return k ? k : 1;
}

static tf_findings_entry *lookup(const tf_findings *f, const char *id)
{
	if (!f->cap)
		return NULL;
	uint64_t k = id_key(id);
	for (size_t i = (size_t)k & (f->cap - 1);; i = (i + 1) & (f->cap - 1)) {
		tf_findings_entry *e = &f->tab[i];
		if (!e->key)
			return NULL;
		if (e->key == k && !strcmp(e->id, id))
			return e;
	}
}

static tf_err grow(tf_findings *f, tf_error *err)
{
	size_t ncap = f->cap ? f->cap * 2 : 64;
	tf_findings_entry *ntab = calloc(ncap, sizeof *ntab);
	TF_ENSURE(ntab, err, TF_ERR_NOMEM, "findings index: out of memory");
	for (size_t i = 0; i < f->cap; i++) {
		const tf_findings_entry *e = &f->tab[i];
		if (!e->key)
			continue;
		size_t j = (size_t)e->key & (ncap - 1);
		while (ntab[j].key)
			j = (j + 1) & (ncap - 1);
		ntab[j] = *e;
	}
	free(f->tab);
	f->tab = ntab;
	f->cap = ncap;
	return TF_OK;
}

/* The entry for id, created empty when absent. */
static tf_err entry(tf_findings *f, const char *id, tf_findings_entry **out, tf_error *err)
{
	TF_ENSURE(tf_sig_id_valid(id), err, TF_ERR_RANGE,
		  "signature id \"%.40s\": expected 16 lower-case hex digits", id);
	*out = lookup(f, id);
	if (*out)
		return TF_OK;
	if ((f->n + 1) * 2 > f->cap)
		TF_GUARD(grow(f, err));
	uint64_t k = id_key(id);
	size_t i = (size_t)k & (f->cap - 1);
	while (f->tab[i].key)
		i = (i + 1) & (f->cap - 1);
	tf_findings_entry *e = &f->tab[i];
	e->key = k;
	memcpy(e->id, id, TF_SIG_ID_SIZE);
	f->n++;
	*out = e;
	return TF_OK;
}

static tf_err mkdir_one(const char *path, tf_error *err)
{
	if (mkdir(path, 0777) == 0 || errno == EEXIST)
		return TF_OK;
	TF_BAIL(err, TF_ERR_IO, "%s: cannot create directory: %s", path, strerror(errno));
}

/* Makes dir and its parents. */
static tf_err mkdirs(const char *dir, tf_error *err)
{
	char buf[PATH_MAX];
	size_t n = strlen(dir);
	TF_ENSURE(n > 0 && n < sizeof buf, err, TF_ERR_IO, "%s: bad directory name", dir);
	memcpy(buf, dir, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		TF_GUARD(mkdir_one(buf, err));
		*p = '/';
	}
	return mkdir_one(buf, err);
}

/* What the index keeps of a fixture: minimized or not, feature count. */
static void describe(const tf_fixture *fx, bool *minimized, uint8_t *nfeatures)
{
	*minimized = true;
	*nfeatures = 0;
	for (unsigned t = 0; t < fx->ntags; t++) {
		if (!strcmp(fx->tags[t], TF_TAG_UNMINIMIZED))
			*minimized = false;
		for (unsigned b = 0; tf_feature_name(b); b++)
			if (!strcmp(fx->tags[t], tf_feature_name(b)))
				(*nfeatures)++;
	}
}

/* Reads a fixture of the directory. An unreadable one is set aside: every
 * writer is atomic, so it is no finding (and must not block the name). */
static bool readable_fixture(tf_findings *f, const char *path, bool *minimized,
			     uint8_t *nfeatures)
{
	tf_error e = {0};
	tf_fixture *fx = malloc(sizeof *fx);
	*minimized = true;
	*nfeatures = 0;
	if (!fx)
		return true; /* cannot tell: keep it, never destroy data */
	tf_fixture_init(fx);
	tf_err rc = tf_fixture_read(path, fx, &e);
	if (rc == TF_OK)
		describe(fx, minimized, nfeatures);
	tf_fixture_free(fx);
	free(fx);
	if (rc == TF_OK || rc == TF_ERR_NOMEM)
		return true;
	char bad[PATH_MAX];
	snprintf(bad, sizeof bad, "%s.bad", path);
	if (rename(path, bad) == 0)
		f->nbad++;
	return false;
}

/* Parses "<16hex>.json" or "<16hex>-<k>.json"; *slot = 0 for the former. */
static bool parse_name(const char *name, char *id, unsigned *slot)
{
	size_t n = strlen(name);
	if (n < TF_SIG_ID_SIZE - 1 + 5 || strcmp(name + n - 5, ".json") != 0)
		return false;
	memcpy(id, name, TF_SIG_ID_SIZE - 1);
	id[TF_SIG_ID_SIZE - 1] = '\0';
	if (!tf_sig_id_valid(id))
		return false;
	const char *rest = name + TF_SIG_ID_SIZE - 1;
	*slot = 0;
	if (rest[0] == '.')
		return rest == name + n - 5;
	if (rest[0] != '-')
		return false;
	unsigned k = 0;
	const char *p = rest + 1;
	for (; *p >= '0' && *p <= '9' && k <= TF_FINDINGS_EXAMPLES_MAX; p++)
		k = k * 10 + (unsigned)(*p - '0');
	if (p == rest + 1 || p != name + n - 5 || k < 1 || k > TF_FINDINGS_EXAMPLES_MAX)
		return false;
	*slot = k;
	return true;
}

static tf_err scan(tf_findings *f, const char *sub, bool examples, tf_error *err)
{
	tf_err rc = TF_OK;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", f->dir, sub);
	DIR *d = opendir(path);
	TF_ENSURE(d, err, TF_ERR_IO, "%s: cannot open directory: %s", path, strerror(errno));
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		char id[TF_SIG_ID_SIZE];
		unsigned slot;
		if (!parse_name(de->d_name, id, &slot) || (slot != 0) != examples)
			continue;
		snprintf(path, sizeof path, "%s/%s/%s", f->dir, sub, de->d_name);
		bool minimized = true;
		uint8_t nfeatures = 0;
		if (!readable_fixture(f, path, &minimized, &nfeatures))
			continue;
		tf_findings_entry *e = NULL;
		TF_GUARD_GOTO(entry(f, id, &e, err), rc, done);
		if (slot) {
			e->example_slots |= (uint16_t)(1u << (slot - 1));
		} else {
			e->has_finding = true;
			e->minimized = minimized;
			e->nfeatures = nfeatures;
		}
	}
done:
	closedir(d);
	return rc;
}

tf_err tf_findings_open(tf_findings *f, const char *dir, unsigned max_examples, tf_error *err)
{
	tf_err rc = TF_OK;
	char path[PATH_MAX];

	memset(f, 0, sizeof *f);
	TF_ENSURE(strlen(dir) + 32 < sizeof path, err, TF_ERR_IO, "%s: path too long", dir);
	f->dir = strdup(dir);
	TF_ENSURE(f->dir, err, TF_ERR_NOMEM, "%s: out of memory", dir);
	f->max_examples = max_examples > TF_FINDINGS_EXAMPLES_MAX ? TF_FINDINGS_EXAMPLES_MAX
								  : max_examples;
	TF_GUARD_GOTO(mkdirs(dir, err), rc, fail);
	for (size_t i = 0; i < sizeof subdirs / sizeof *subdirs; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, subdirs[i]);
		TF_GUARD_GOTO(mkdir_one(path, err), rc, fail);
	}
	TF_GUARD_GOTO(scan(f, "findings", false, err), rc, fail);
	TF_GUARD_GOTO(scan(f, "examples", true, err), rc, fail);
	return TF_OK;
fail:
	tf_findings_close(f);
	return rc;
}

void tf_findings_close(tf_findings *f)
{
	free(f->dir);
	free(f->tab);
	memset(f, 0, sizeof *f);
}

/* A temp file of fileio.c or findings_excl.c: ".NAME.XXXXXX". */
static bool is_temp(const char *name)
{
	size_t n = strlen(name);
	return name[0] == '.' && n > 8 && name[n - 7] == '.' && strcmp(name, "..") != 0;
}

tf_err tf_findings_sweep(tf_findings *f, tf_error *err)
{
	char path[PATH_MAX];
	for (size_t i = 0; i < sizeof subdirs / sizeof *subdirs; i++) {
		snprintf(path, sizeof path, "%s/%s", f->dir, subdirs[i]);
		DIR *d = opendir(path);
		TF_ENSURE(d, err, TF_ERR_IO, "%s: cannot open directory: %s", path,
			  strerror(errno));
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (!is_temp(de->d_name))
				continue;
			snprintf(path, sizeof path, "%s/%s/%s", f->dir, subdirs[i], de->d_name);
			(void)unlink(path);
		}
		closedir(d);
	}
	return TF_OK;
}

char *tf_findings_path(const tf_findings *f, const char *id, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s/findings/%s.json", f->dir, id);
	return buf;
}

bool tf_findings_has(tf_findings *f, const char *id, bool check_disk)
{
	tf_findings_entry *e = lookup(f, id);
	if (e && e->has_finding)
		return true;
	if (!check_disk || !tf_sig_id_valid(id))
		return false;
	char path[PATH_MAX];
	struct stat st;
	if (lstat(tf_findings_path(f, id, path, sizeof path), &st) != 0)
		return false;
	tf_error ignored = {0};
	if (entry(f, id, &e, &ignored) == TF_OK) {
		/* Written by another process since the scan: it publishes
		 * and minimizes its own, so count it as minimized here. */
		e->has_finding = true;
		e->minimized = true;
	}
	return true;
}

const tf_findings_entry *tf_findings_get(const tf_findings *f, const char *id)
{
	return lookup(f, id);
}

static tf_err put_json(const tf_findings *f, const char *path, const tf_fixture *fx,
		       unsigned how, bool *existed, tf_error *err)
{
	char *json = NULL;
	size_t len = 0;
	TF_GUARD(tf_fixture_to_json(fx, &json, &len, err));
	tf_err rc = tf_write_file_publish(path, json, len,
					  how | (f->sync_later ? TF_PUBLISH_NOSYNC : 0), existed,
					  err);
	free(json);
	return rc;
}

tf_err tf_findings_sync(tf_findings *f, tf_error *err)
{
	int fd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	TF_ENSURE(fd >= 0, err, TF_ERR_IO, "%s: cannot open: %s", f->dir, strerror(errno));
#ifdef __linux__
	int rc = syncfs(fd);
#else
	sync();
	int rc = 0;
#endif
	int e = errno;
	close(fd);
	TF_ENSURE(rc == 0, err, TF_ERR_IO, "%s: cannot sync: %s", f->dir, strerror(e));
	return TF_OK;
}

static void give_path(const char *from, char *path, size_t pathsz)
{
	if (path && pathsz)
		snprintf(path, pathsz, "%s", from);
}

tf_err tf_findings_put_finding(tf_findings *f, const char *id, const tf_fixture *fx,
			       tf_put *put, char *path, size_t pathsz, tf_error *err)
{
	tf_findings_entry *e = NULL;
	char file[PATH_MAX];
	bool existed = false;

	TF_GUARD(entry(f, id, &e, err));
	tf_findings_path(f, id, file, sizeof file);
	give_path(file, path, pathsz);
	if (!e->has_finding)
		TF_GUARD(put_json(f, file, fx, TF_PUBLISH_EXCL, &existed, err));
	else
		existed = true;
	if (!e->has_finding && !existed)
		describe(fx, &e->minimized, &e->nfeatures);
	else if (!e->has_finding)
		e->minimized = true; /* someone else's: theirs to minimize */
	e->has_finding = true;
	*put = existed ? TF_PUT_EXISTS : TF_PUT_WRITTEN;
	return TF_OK;
}

tf_err tf_findings_replace(tf_findings *f, const char *id, const tf_fixture *fx, tf_error *err)
{
	tf_findings_entry *e = NULL;
	char file[PATH_MAX];
	TF_GUARD(entry(f, id, &e, err));
	TF_ENSURE(e->has_finding, err, TF_ERR_INTERNAL, "%s: no finding to replace", id);
	bool existed = false;
	TF_GUARD(put_json(f, tf_findings_path(f, id, file, sizeof file), fx, TF_PUBLISH_REPLACE,
			  &existed, err));
	describe(fx, &e->minimized, &e->nfeatures);
	return TF_OK;
}

bool tf_findings_examples_full(const tf_findings *f, const char *id)
{
	const tf_findings_entry *e = lookup(f, id);
	unsigned all = (1u << f->max_examples) - 1u;
	return e && (e->example_slots & all) == all;
}

tf_err tf_findings_put_example(tf_findings *f, const char *id, const tf_fixture *fx,
			       tf_put *put, char *path, size_t pathsz, tf_error *err)
{
	tf_findings_entry *e = NULL;
	char file[PATH_MAX];

	TF_GUARD(entry(f, id, &e, err));
	for (unsigned k = 1; k <= f->max_examples; k++) {
		if (e->example_slots & (1u << (k - 1)))
			continue;
		bool existed = false;
		snprintf(file, sizeof file, "%s/examples/%s-%u.json", f->dir, id, k);
		TF_GUARD(put_json(f, file, fx, TF_PUBLISH_EXCL, &existed, err));
		e->example_slots |= (uint16_t)(1u << (k - 1));
		if (!existed) {
			give_path(file, path, pathsz);
			*put = TF_PUT_WRITTEN;
			return TF_OK;
		}
	}
	give_path("", path, pathsz);
	*put = TF_PUT_FULL;
	return TF_OK;
}

static bool crash_name_ok(const char *name)
{
	if (!name || !*name || name[0] == '.' || strlen(name) > 128)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			return false;
	return true;
}

tf_err tf_findings_put_crash(tf_findings *f, const char *name, const uint8_t *bytes,
			     size_t len, const char *meta, tf_error *err)
{
	char file[PATH_MAX];
	TF_ENSURE(crash_name_ok(name), err, TF_ERR_RANGE, "crash name \"%.40s\": expected [A-Za-z0-9._-]+",
		  name ? name : "");
	/* Meta first: if the bytes cannot be written (or regenerating them is
	 * what crashes), the seed and index still say how to get them back. */
	snprintf(file, sizeof file, "%s/crashes/%s.json", f->dir, name);
	TF_GUARD(tf_write_file_atomic(file, meta, strlen(meta), err));
	if (!bytes)
		return TF_OK;
	snprintf(file, sizeof file, "%s/crashes/%s.bin", f->dir, name);
	return tf_write_file_atomic(file, bytes, len, err);
}

static int by_id(const void *a, const void *b)
{
	return strcmp((*(const tf_findings_entry *const *)a)->id,
		      (*(const tf_findings_entry *const *)b)->id);
}

tf_err tf_findings_each(const tf_findings *f, bool (*fn)(const tf_findings_entry *e, void *ctx),
			void *ctx, tf_error *err)
{
	if (!f->n)
		return TF_OK;
	const tf_findings_entry **list = malloc(f->n * sizeof *list);
	size_t n = 0;
	TF_ENSURE(list, err, TF_ERR_NOMEM, "findings index: out of memory");
	for (size_t i = 0; i < f->cap; i++)
		if (f->tab[i].key && f->tab[i].has_finding)
			list[n++] = &f->tab[i];
	qsort(list, n, sizeof *list, by_id);
	for (size_t i = 0; i < n; i++)
		if (!fn(list[i], ctx))
			break;
	free(list);
	return TF_OK;
}
